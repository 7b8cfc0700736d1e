/*
 * The two operations ISR flags need, under the C11 memory model.
 *
 * An interrupt handler (or another thread, with the libuv port) stores 1
 * with release order; the loop takes the value with an acquire exchange, so
 * whatever the setter wrote before the flag (a byte in a ring, an index) is
 * visible to the task the flag wakes, on weakly ordered machines too.
 *
 * Targets without C11 atomics (armv6-m has no exclusive loads, and gcc then
 * calls libatomic, which newlib lacks) define UA_NO_ATOMICS.  There a plain
 * volatile byte and a compiler barrier are enough, because such targets have
 * one core and only two kinds of store ever happen: interrupts store 1, the
 * loop stores 0.  A 1 stored between the loop's read and its store of 0
 * merges with the set being consumed, which is the flag's documented meaning
 * ("several sets before a wait count as one").
 */
#ifndef UA_ATOMIC_H
#define UA_ATOMIC_H

#include <stdint.h>

#if defined(UA_NO_ATOMICS) || defined(__STDC_NO_ATOMICS__)

typedef volatile uint8_t ua_atomic_u8;

#define UA__COMPILER_BARRIER() __asm__ volatile("" ::: "memory")

static inline void ua_atomic_set_release(ua_atomic_u8 *p)
{
    UA__COMPILER_BARRIER();
    *p = 1;
}

static inline uint8_t ua_atomic_take_acquire(ua_atomic_u8 *p)
{
    uint8_t v = *p;
    if (v != 0)
        *p = 0;
    UA__COMPILER_BARRIER();
    return v;
}

static inline uint8_t ua_atomic_peek(const ua_atomic_u8 *p)
{
    return *p;
}

#else

#include <stdatomic.h>

typedef _Atomic uint8_t ua_atomic_u8;

/* Store 1 (interrupt or thread side). */
static inline void ua_atomic_set_release(ua_atomic_u8 *p)
{
    atomic_store_explicit(p, 1, memory_order_release);
}

/* Read and clear (loop side); returns the old value. */
static inline uint8_t ua_atomic_take_acquire(ua_atomic_u8 *p)
{
    return atomic_exchange_explicit(p, 0, memory_order_acquire);
}

/* Read without consuming (a hint: the result may be stale at once). */
static inline uint8_t ua_atomic_peek(const ua_atomic_u8 *p)
{
    return atomic_load_explicit((ua_atomic_u8 *)p, memory_order_acquire);
}

#endif

#endif /* UA_ATOMIC_H */
