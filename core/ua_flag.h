/*
 * ISR flag: the one way an interrupt handler talks to tasks.
 *
 * An interrupt handler calls ua_flag_set(); it stores two bytes and touches
 * no queue, so it needs no lock and is safe at any interrupt priority.  At
 * its next pass the loop sees the flag and wakes the one task waiting on it
 * -- through the I/O-priority lane when that is on.  Like uasyncio V3's
 * ThreadSafeFlag: one waiter, self-clearing, and a set that happens before
 * anyone waits is remembered (several sets before a wait count as one).
 *
 *     static ua_flag_t rx_flag;                 // ua_flag_init(&rx_flag, loop)
 *     void uart_irq(void) { ua_flag_set(&rx_flag); }
 *     ...  UA_AWAIT(ua_flag_wait(self, &rx_flag, UA_FOREVER));
 */
#ifndef UA_FLAG_H
#define UA_FLAG_H

#include "ua_loop.h"
#include "ua_trace.h"

typedef struct ua_flag {
    ua_atomic_u8 is_set;
    ua_task_t *waiter;
    struct ua_flag *next_registered;
    ua_loop_t *loop;
} ua_flag_t;

/* Register `f` with `loop` (task context, once).  UA_EBUSY (and a failed
 * assertion in builds with UA_DEBUG defined) if `f` is still registered with
 * `loop`: re-initialising a linked flag would link it into itself and hang
 * the loop's next scan.  ua_flag_deinit first. */
int ua_flag_init(ua_flag_t *f, ua_loop_t *loop);

/* Interrupt context (or another thread): set the flag.  Never blocks,
 * never allocates.  Release order: what the caller wrote before the set
 * (a byte in a ring and then its index, say) is visible to the woken task
 * on any machine (see ua_atomic.h). */
#if UA_TRACE
void ua__flag_note_set(ua_flag_t *f); /* the UA_TR_FLAG_RAISED record */
#endif
static inline void ua_flag_set(ua_flag_t *f)
{
    ua_atomic_set_release(&f->is_set);
    ua_atomic_set_release(&f->loop->isr_pending);
#if UA_TRACE
    ua__flag_note_set(f);
#endif
}

/* Task context: forget a set that nobody has waited for yet. */
void ua_flag_clear(ua_flag_t *f);

/* Await the flag (clearing it).  UA_EBUSY if another task already waits. */
int ua_flag_wait(ua_task_t *self, ua_flag_t *f, int32_t timeout_ms);

/* As ua_flag_wait, with the timeout in microseconds (ticks), for drivers
 * whose deadlines are finer than a millisecond.  UA_FOREVER: no timeout;
 * any other negative value: UA_EINVAL. */
int ua_flag_wait_us(ua_task_t *self, ua_flag_t *f, int32_t timeout_us);

/*
 * Task context: unregister `f` from its loop (the reverse of ua_flag_init),
 * so that its memory may be reused.  A task still waiting on it is woken
 * with UA_ECANCELLED.  Calling it again, or on a zeroed flag, does nothing.
 * The interrupt that sets the flag must be disabled first.
 */
void ua_flag_deinit(ua_flag_t *f);

#endif /* UA_FLAG_H */
