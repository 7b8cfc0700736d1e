/*
 * A cmocka-compatible subset for bare-metal test images.
 *
 * The host suite's test files include <cmocka.h>; on the MPS2 images under
 * QEMU this header takes its place, so the very same sources run on the ARM
 * build.  It provides the part of cmocka's API the core tests use -- unit
 * tests with optional setup/teardown, group runs, the assert_* family,
 * fail(), fail_msg() and skip() -- and prints TAP like cmocka does with
 * CMOCKA_MESSAGE_OUTPUT=TAP.  A failed assertion longjmps back to the
 * runner, which reports the test and goes on with the next one.  Mocking
 * (will_return, expect_*) is not provided.
 *
 * Like cmocka, include <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h>
 * first (this header includes them itself as well).
 */
#ifndef UA_QEMU_CMOCKA_H
#define UA_QEMU_CMOCKA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uintmax_t LargestIntegralType;

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
    const char *name;
    CMUnitTestFunction test_func;
    CMFixtureFunction setup_func;
    CMFixtureFunction teardown_func;
    void *initial_state;
};

#define cmocka_unit_test(f) {#f, f, NULL, NULL, NULL}
#define cmocka_unit_test_setup(f, setup) {#f, f, setup, NULL, NULL}
#define cmocka_unit_test_teardown(f, teardown) {#f, f, NULL, teardown, NULL}
#define cmocka_unit_test_setup_teardown(f, setup, teardown)                    \
    {#f, f, setup, teardown, NULL}
#define cmocka_unit_test_prestate(f, state) {#f, f, NULL, NULL, state}
#define cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, state)    \
    {#f, f, setup, teardown, state}

/* Run a group and return the number of failed tests. */
#define cmocka_run_group_tests(tests, setup, teardown)                         \
    _cmocka_run_group_tests(#tests, tests, sizeof(tests) / sizeof((tests)[0]), \
                            setup, teardown)
#define cmocka_run_group_tests_name(name, tests, setup, teardown)              \
    _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof((tests)[0]),   \
                            setup, teardown)

int _cmocka_run_group_tests(const char *group, const struct CMUnitTest *tests,
                            size_t count, CMFixtureFunction setup,
                            CMFixtureFunction teardown);

/* Diagnostics, as TAP comments. */
void print_message(const char *format, ...)
    __attribute__((format(printf, 1, 2)));
void print_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* End the current test: failed (with a message) or skipped. */
_Noreturn void _cmocka_fail(const char *file, int line, const char *format,
                            ...) __attribute__((format(printf, 3, 4)));
_Noreturn void _cmocka_skip(const char *file, int line);

#define fail() _cmocka_fail(__FILE__, __LINE__, "fail()")
#define fail_msg(...) _cmocka_fail(__FILE__, __LINE__, __VA_ARGS__)
#define skip() _cmocka_skip(__FILE__, __LINE__)

/* The checks.  Each evaluates its arguments exactly once. */
void _cmocka_int(intmax_t a, intmax_t b, int want_equal, const char *sa,
                 const char *sb, const char *file, int line);
void _cmocka_uint(uintmax_t a, uintmax_t b, int want_equal, const char *sa,
                  const char *sb, const char *file, int line);
void _cmocka_ptr(const void *a, const void *b, int want_equal, const char *file,
                 int line);
void _cmocka_str(const char *a, const char *b, int want_equal, const char *file,
                 int line);
void _cmocka_mem(const void *a, const void *b, size_t n, int want_equal,
                 const char *file, int line);
void _cmocka_range(intmax_t v, intmax_t lo, intmax_t hi, int want_in,
                   const char *file, int line);

#define assert_true(c)                                                         \
    ((c) ? (void)0 : _cmocka_fail(__FILE__, __LINE__, "%s", #c))
#define assert_false(c)                                                        \
    (!(c) ? (void)0 : _cmocka_fail(__FILE__, __LINE__, "!(%s)", #c))
#define assert_non_null(p) assert_true((p) != NULL)
#define assert_null(p) assert_true((p) == NULL)
#define assert_int_equal(a, b)                                                 \
    _cmocka_int((intmax_t)(a), (intmax_t)(b), 1, #a, #b, __FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                             \
    _cmocka_int((intmax_t)(a), (intmax_t)(b), 0, #a, #b, __FILE__, __LINE__)
#define assert_uint_equal(a, b)                                                \
    _cmocka_uint((uintmax_t)(a), (uintmax_t)(b), 1, #a, #b, __FILE__, __LINE__)
#define assert_uint_not_equal(a, b)                                            \
    _cmocka_uint((uintmax_t)(a), (uintmax_t)(b), 0, #a, #b, __FILE__, __LINE__)
#define assert_ptr_equal(a, b)                                                 \
    _cmocka_ptr((const void *)(a), (const void *)(b), 1, __FILE__, __LINE__)
#define assert_ptr_not_equal(a, b)                                             \
    _cmocka_ptr((const void *)(a), (const void *)(b), 0, __FILE__, __LINE__)
#define assert_string_equal(a, b)                                              \
    _cmocka_str((a), (b), 1, __FILE__, __LINE__)
#define assert_string_not_equal(a, b)                                          \
    _cmocka_str((a), (b), 0, __FILE__, __LINE__)
#define assert_memory_equal(a, b, n)                                           \
    _cmocka_mem((a), (b), (n), 1, __FILE__, __LINE__)
#define assert_memory_not_equal(a, b, n)                                       \
    _cmocka_mem((a), (b), (n), 0, __FILE__, __LINE__)
#define assert_in_range(v, lo, hi)                                             \
    _cmocka_range((intmax_t)(v), (intmax_t)(lo), (intmax_t)(hi), 1, __FILE__,  \
                  __LINE__)
#define assert_not_in_range(v, lo, hi)                                         \
    _cmocka_range((intmax_t)(v), (intmax_t)(lo), (intmax_t)(hi), 0, __FILE__,  \
                  __LINE__)
#define assert_return_code(rc, err)                                            \
    ((void)(err),                                                              \
     _cmocka_range((intmax_t)(rc), 0, INTMAX_MAX, 1, __FILE__, __LINE__))

#endif /* UA_QEMU_CMOCKA_H */
