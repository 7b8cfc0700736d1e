/*
 * ARM semihosting, the little of it the test images need: write a string
 * to the host's console and end the program with a status.  QEMU serves
 * these calls with `-semihosting-config enable=on,target=native`; on real
 * hardware without a debugger attached they would fault, so only test
 * images use them.
 */
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stddef.h>

/* Print n bytes (they need not be NUL-terminated). */
void sh_write(const char *s, size_t n);

/* Stop the machine: QEMU exits with 0 if status is 0, else with 1. */
_Noreturn void sh_exit(int status);

#endif
