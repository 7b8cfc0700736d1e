/*
 * Error codes shared by the scheduler, the primitives and the drivers.
 *
 * Zero means success; every failure is a distinct negative value so that a
 * caller can tell "the wait timed out" from "the task was cancelled" from "the
 * queue is full" without guessing.  UA_PENDING is not an error: it is what an
 * awaitable operation returns while the calling task is suspended (see
 * ua_coro.h).  Drivers define their own codes below UA_ERR_DRIVER_BASE.
 */
#ifndef UA_ERR_H
#define UA_ERR_H

/* X(name, value, message) */
#define UA_ERRNO_MAP(X)                                                        \
    X(UA_ECANCELLED, -1, "task was cancelled")                                \
    X(UA_ETIMEDOUT, -2, "timed out")                                          \
    X(UA_EINVAL, -3, "invalid argument")                                      \
    X(UA_EBUSY, -4, "already in use")                                         \
    X(UA_EFULL, -5, "queue is full")                                          \
    X(UA_EEMPTY, -6, "queue is empty")                                        \
    X(UA_ERANGE, -7, "delay longer than half the tick period")                \
    X(UA_ESELF, -8, "a task cannot cancel or join itself")                    \
    X(UA_EOVERRELEASE, -9, "semaphore released more than acquired")           \
    X(UA_ENOTOWNER, -10, "lock is not held by the caller")                    \
    X(UA_ENOTDONE, -11, "task has not finished")                              \
    X(UA_ESTOPPED, -12, "loop was stopped")                                   \
    X(UA_EIO, -13, "device I/O error")                                        \
    X(UA_ENODEV, -14, "no device answered")                                   \
    X(UA_ECRC, -15, "checksum mismatch")                                      \
    X(UA_EOVERFLOW, -16, "buffer overflow")

enum ua_err {
    UA_OK = 0,
    UA_PENDING = 1, /* not an error: the awaiting task is suspended */
#define UA__ERR_ENUM(name, value, msg) name = value,
    UA_ERRNO_MAP(UA__ERR_ENUM)
#undef UA__ERR_ENUM
    UA_ERR_DRIVER_BASE = -64 /* drivers number their own codes from here down */
};

/* A short English description of a status code; never NULL. */
const char *ua_strerror(int status);

/* The symbolic name of a status code ("UA_ETIMEDOUT"); never NULL. */
const char *ua_err_name(int status);

#endif /* UA_ERR_H */
