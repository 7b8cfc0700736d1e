/*
 * Support code shared by the tutorial's examples (docs/examples/).
 *
 * Each example runs on the virtual-clock port: time only moves when every
 * task waits, and then jumps to the next deadline, so an example that
 * "sleeps for a second" finishes at once and prints the same times on every
 * machine.  ex_log() prints a line stamped with the virtual time and keeps
 * a copy; ex_check() compares the copy with the output the example expects
 * and gives the exit code, so the test suite notices when the tutorial and
 * the code drift apart.
 */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ua.h"
#include "ua_vport.h"

static ua_vport_t ex_port;
static ua_loop_t ex_loop;
static char ex_out[8192];
static size_t ex_len;

static uint64_t ex_vport_us(void)
{
    return ex_port.now_us;
}

/* Where ex_log reads the time; simulator examples point it at sim_now. */
static uint64_t (*ex_time_us)(void) = ex_vport_us;

/* A fresh loop at virtual time 0, whose clock jumps while idle. */
static inline ua_loop_t *ex_setup(void)
{
    ua_vport_init(&ex_port, &ex_loop, 0, true);
    return &ex_loop;
}

/* printf, prefixed with the virtual time in milliseconds. */
__attribute__((format(printf, 1, 2))) static inline void
ex_log(const char *fmt, ...)
{
    char line[256];
    int n = snprintf(line, sizeof line, "%6llu.%03llu ms  ",
                     (unsigned long long)(ex_time_us() / 1000),
                     (unsigned long long)(ex_time_us() % 1000));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    fputs(line, stdout);
    fputc('\n', stdout);
    size_t len = strlen(line);
    if (ex_len + len + 1 < sizeof ex_out) {
        memcpy(ex_out + ex_len, line, len);
        ex_out[ex_len + len] = '\n';
        ex_len += len + 1;
    }
}

/* Append text that is not a log line (a table) to the checked output. */
static inline void ex_append(const char *text)
{
    size_t len = strlen(text);
    fputs(text, stdout);
    if (ex_len + len + 1 < sizeof ex_out) {
        memcpy(ex_out + ex_len, text, len);
        ex_len += len;
    }
}

/* Exit code: 0 if everything logged equals `expected`. */
static inline int ex_check(const char *expected)
{
    ex_out[ex_len] = '\0';
    if (strcmp(ex_out, expected) == 0)
        return 0;
    fprintf(stderr, "unexpected output; expected:\n%s", expected);
    return 1;
}

#endif /* EXAMPLE_H */
