/*
 * Newlib's system calls for the test images: stdout and stderr go to the
 * semihosting console, the heap lies between .bss and the stack (mps2.ld),
 * exit() ends QEMU.  Tests may use the heap (through printf); core and
 * devices never do, which `tools/cross.py cross` checks separately.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "mps2.h"
#include "semihost.h"

/* Prototypes, since newlib declares these only for its own use. */
int _write(int fd, const char *buf, int n);
int _read(int fd, char *buf, int n);
void *_sbrk(ptrdiff_t incr);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);
void _init(void);
void _fini(void);

extern char __heap_start, __heap_end;
static char *brk = &__heap_start;

int _write(int fd, const char *buf, int n)
{
    (void)fd;
    sh_write(buf, (size_t)n);
    return n;
}

int _read(int fd, char *buf, int n)
{
    (void)fd;
    (void)buf;
    (void)n;
    return 0;
}

void *_sbrk(ptrdiff_t incr)
{
    char *old = brk;

    if (incr > &__heap_end - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    brk += incr;
    return old;
}

int _close(int fd)
{
    (void)fd;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    (void)fd;
    return 1;
}

int _lseek(int fd, int off, int whence)
{
    (void)fd;
    (void)off;
    (void)whence;
    return 0;
}

void _exit(int status)
{
    sh_exit(status);
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void)
{
    return 1;
}

/* exit() runs the fini array, then _fini (normally from crti.o, which the
 * images do not link: the board's reset handler does the startup). */
void _init(void)
{
}

void _fini(void)
{
}

/* main() returned: flush stdio and stop QEMU with its status. */
void mps2_exit_hook(int status)
{
    exit(status);
}

/* A fault or an unexpected interrupt: say so in TAP and stop. */
void mps2_fault_hook(uint32_t ipsr)
{
    static const char msg[] = "Bail out! unexpected exception ";
    char num[4] = {(char)('0' + ipsr / 100 % 10), (char)('0' + ipsr / 10 % 10),
                   (char)('0' + ipsr % 10), '\n'};
    sh_write(msg, sizeof msg - 1);
    sh_write(num, sizeof num);
    sh_exit(1);
}
