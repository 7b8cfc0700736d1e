/*
 * Cortex-M port: the scheduler on ARMv7-M (Cortex-M3, M4, M7) bare metal.
 *
 * Ticks.  SysTick interrupts once per millisecond and its handler adds 1000
 * to a 32-bit microsecond base; ticks() adds the microseconds elapsed in the
 * current period, read from SysTick's down-counter and scaled by a
 * precomputed 0.32 fixed-point factor (no division at run time).  The
 * result is a free-running 32-bit microsecond count that wraps at 2^32
 * exactly as core expects, with microsecond resolution whatever the core
 * clock (any clock that gives a whole number of cycles per millisecond).
 * Reading it is safe with interrupts masked: a SysTick wrap whose interrupt
 * is still pending is detected (ICSR.PENDSTSET) and accounted for, which
 * holds as long as no code masks interrupts for a whole period (1 ms) --
 * then a reload would be lost.  SysTick is used rather than a vendor timer
 * so the port runs on every Cortex-M.
 *
 * Idle.  The loop enters the critical section (PRIMASK set), checks that no
 * ISR flag is pending and calls idle(); the port then executes WFI with
 * PRIMASK still set -- an interrupt arriving after the check still wakes
 * the core -- and re-enables interrupts so the handler runs.  It goes back
 * to sleep (masking, re-checking, WFI) until the deadline has passed or an
 * interrupt set an ISR flag, so the loop runs a pass only when there is
 * work.  The core sleeps between SysTick interrupts; a tickless variant
 * would program a compare timer for the deadline instead.
 *
 * Critical sections mask every interrupt through PRIMASK; they nest, and the
 * outermost exit restores the mask the caller had.
 *
 * One SysTick means one port instance per chip.  The port defines
 * SysTick_Handler; the board's vector table points at it.
 */
#ifndef UA_CMPORT_H
#define UA_CMPORT_H

#include <stdint.h>

#include "ua_loop.h"

typedef struct ua_cm_port {
    ua_port_t port;
    ua_loop_t *loop;
    volatile uint32_t base; /* tick at the start of the current period */
    uint32_t reload;        /* SysTick reload value: cycles per ms - 1 */
    uint32_t scale;         /* microseconds per cycle, 0.32 fixed point */
    uint32_t saved_primask; /* PRIMASK before the outermost critical_enter */
    uint32_t depth;         /* critical section nesting */
    /* Statistics. */
    volatile uint32_t periods; /* SysTick interrupts taken */
    uint32_t idles;            /* idle() calls */
    uint32_t sleeps;           /* WFI executed */
} ua_cm_port_t;

/*
 * Start SysTick at 1 kHz from a `core_hz` processor clock, set up `p` and
 * initialise `loop` on it.  start_tick is the first tick value (pick one
 * just below 2^32 to test the wrap).  Returns 0, or UA_EINVAL unless core_hz
 * is a whole number of kHz above 1 MHz and at most 2^24 kHz.
 */
int ua_cm_port_init(ua_cm_port_t *p, ua_loop_t *loop, uint32_t core_hz,
                    uint32_t start_tick);

/* The current tick (any context, interrupts masked or not). */
ua_ticks_t ua_cm_ticks(void);

/* The SysTick interrupt handler (referenced by the vector table). */
void SysTick_Handler(void);

#endif /* UA_CMPORT_H */
