/*
 * Ticks: the scheduler's notion of time.
 *
 * A tick is one microsecond, counted in 32 bits, so the counter wraps every
 * 2^32 us (about 71.6 minutes).  Every comparison therefore goes through
 * ua_ticks_diff(), which is correct as long as the two instants are less than
 * half a period (about 35.8 minutes) apart.  That is why a single wait may not
 * be longer than UA_TICKS_MAX_DELAY: longer sleeps return UA_ERANGE (as
 * MicroPython raises OverflowError) and are written as a loop of shorter ones.
 */
#ifndef UA_TIME_H
#define UA_TIME_H

#include <stdint.h>

typedef uint32_t ua_ticks_t;

#define UA_TICKS_PER_MS 1000u
#define UA_TICKS_MAX_DELAY ((ua_ticks_t)INT32_MAX)

/* A timeout argument meaning "wait without a deadline". */
#define UA_FOREVER (-1)

/* Signed distance from `earlier` to `later` in ticks, wrap-safe. */
static inline int32_t ua_ticks_diff(ua_ticks_t later, ua_ticks_t earlier)
{
    uint32_t d = later - earlier;
    /* Two's complement reinterpretation without implementation-defined casts. */
    return d <= (uint32_t)INT32_MAX ? (int32_t)d : -(int32_t)(UINT32_MAX - d) - 1;
}

static inline ua_ticks_t ua_ticks_add(ua_ticks_t t, uint32_t delta)
{
    return t + delta;
}

#endif /* UA_TIME_H */
