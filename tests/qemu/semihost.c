/* ARM semihosting calls (see semihost.h). */
#include "semihost.h"

#include <stdint.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023

/* On M-profile cores the semihosting trap is BKPT 0xAB; r0 holds the
 * operation, r1 its argument, and the result comes back in r0. */
static uintptr_t sh_call(uintptr_t op, uintptr_t arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register uintptr_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void sh_write(const char *s, size_t n)
{
    char chunk[128];

    while (n > 0) {
        size_t k = n < sizeof chunk - 1 ? n : sizeof chunk - 1;
        size_t j = 0;
        /* SYS_WRITE0 stops at a NUL, so NUL bytes are dropped. */
        for (size_t i = 0; i < k; i++)
            if (s[i] != '\0')
                chunk[j++] = s[i];
        chunk[j] = '\0';
        sh_call(SYS_WRITE0, (uintptr_t)chunk);
        s += k;
        n -= k;
    }
}

_Noreturn void sh_exit(int status)
{
    sh_call(SYS_EXIT, status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                  : ADP_STOPPED_RUNTIME_ERROR_UNKNOWN);
    for (;;) {
    }
}
