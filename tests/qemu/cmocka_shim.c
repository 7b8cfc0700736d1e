/*
 * The runner and checks behind the cmocka.h subset (see there): TAP on
 * stdout, one longjmp per failed or skipped test.  Debian's newlib printf
 * lacks the C99 %zu and %jd, so sizes and values are cast to long types.
 */
#include "cmocka.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum outcome { PASSED, FAILED, SKIPPED };

static jmp_buf test_env;
static int in_test;
static char why[256];

static void vnote(const char *format, va_list ap)
{
    char line[256];

    vsnprintf(line, sizeof line, format, ap);
    printf("# %s\n", line);
}

void print_message(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vnote(format, ap);
    va_end(ap);
}

void print_error(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vnote(format, ap);
    va_end(ap);
}

_Noreturn void _cmocka_fail(const char *file, int line, const char *format,
                            ...)
{
    va_list ap;
    int n = snprintf(why, sizeof why, "%s:%d: ", file, line);

    va_start(ap, format);
    if (n > 0 && (size_t)n < sizeof why)
        vsnprintf(why + n, sizeof why - (size_t)n, format, ap);
    va_end(ap);
    if (!in_test) {
        printf("Bail out! %s\n", why);
        fflush(stdout);
        exit(1);
    }
    longjmp(test_env, FAILED);
}

_Noreturn void _cmocka_skip(const char *file, int line)
{
    snprintf(why, sizeof why, "%s:%d", file, line);
    if (!in_test)
        exit(0);
    longjmp(test_env, SKIPPED);
}

void _cmocka_int(intmax_t a, intmax_t b, int want_equal, const char *sa,
                 const char *sb, const char *file, int line)
{
    if ((a == b) != (want_equal != 0))
        _cmocka_fail(file, line, "%s (%lld) %s %s (%lld)", sa, (long long)a,
                     want_equal ? "!=" : "==", sb, (long long)b);
}

void _cmocka_uint(uintmax_t a, uintmax_t b, int want_equal, const char *sa,
                  const char *sb, const char *file, int line)
{
    if ((a == b) != (want_equal != 0))
        _cmocka_fail(file, line, "%s (%llu) %s %s (%llu)", sa,
                     (unsigned long long)a, want_equal ? "!=" : "==", sb,
                     (unsigned long long)b);
}

void _cmocka_ptr(const void *a, const void *b, int want_equal, const char *file,
                 int line)
{
    if ((a == b) != (want_equal != 0))
        _cmocka_fail(file, line, "%p %s %p", a, want_equal ? "!=" : "==", b);
}

void _cmocka_str(const char *a, const char *b, int want_equal, const char *file,
                 int line)
{
    int same = a != NULL && b != NULL ? strcmp(a, b) == 0 : a == b;

    if (same != (want_equal != 0))
        _cmocka_fail(file, line, "\"%s\" %s \"%s\"", a ? a : "(null)",
                     want_equal ? "!=" : "==", b ? b : "(null)");
}

void _cmocka_mem(const void *a, const void *b, size_t n, int want_equal,
                 const char *file, int line)
{
    if ((memcmp(a, b, n) == 0) != (want_equal != 0))
        _cmocka_fail(file, line, "%lu bytes at %p and %p %s", (unsigned long)n, a, b,
                     want_equal ? "differ" : "are equal");
}

void _cmocka_range(intmax_t v, intmax_t lo, intmax_t hi, int want_in,
                   const char *file, int line)
{
    if ((v >= lo && v <= hi) != (want_in != 0))
        _cmocka_fail(file, line, "%lld is %s [%lld, %lld]", (long long)v,
                     want_in ? "outside" : "inside", (long long)lo,
                     (long long)hi);
}

/* File scope, so that its value survives the longjmp. */
static void *test_state;

static enum outcome run_one(const struct CMUnitTest *t)
{
    volatile int set_up = 0;
    enum outcome result;

    test_state = t->initial_state;
    in_test = 1;
    result = (enum outcome)setjmp(test_env);
    if (result == PASSED) {
        if (t->setup_func != NULL && t->setup_func(&test_state) != 0) {
            snprintf(why, sizeof why, "setup of %s failed", t->name);
            result = FAILED;
        } else {
            set_up = 1;
            t->test_func(&test_state);
        }
    }
    /* Teardown runs after a pass, a failure or a skip, as in cmocka; a
     * failure inside it bails out (in_test is off). */
    in_test = 0;
    if (t->teardown_func != NULL && set_up)
        t->teardown_func(&test_state);
    return result;
}

int _cmocka_run_group_tests(const char *group, const struct CMUnitTest *tests,
                            size_t count, CMFixtureFunction setup,
                            CMFixtureFunction teardown)
{
    void *gstate = NULL;
    int failed = 0;

    printf("# group %s\n1..%lu\n", group, (unsigned long)count);
    if (setup != NULL && setup(&gstate) != 0) {
        for (size_t i = 0; i < count; i++)
            printf("not ok %lu - %s\n# group setup failed\n",
                   (unsigned long)i + 1, tests[i].name);
        fflush(stdout);
        return (int)count;
    }
    for (size_t i = 0; i < count; i++) {
        switch (run_one(&tests[i])) {
        case PASSED:
            printf("ok %lu - %s\n", (unsigned long)i + 1, tests[i].name);
            break;
        case SKIPPED:
            printf("ok %lu # SKIP %s\n", (unsigned long)i + 1, tests[i].name);
            break;
        default:
            printf("not ok %lu - %s\n# %s\n", (unsigned long)i + 1, tests[i].name,
                   why);
            failed++;
            break;
        }
        fflush(stdout);
    }
    if (teardown != NULL)
        teardown(&gstate);
    return failed;
}
