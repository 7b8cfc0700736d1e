/*
 * Cortex-M port: the scheduler on ARMv7-M (Cortex-M3, M4, M7) bare metal,
 * tickless.
 *
 * Ticks.  SysTick counts down periods of a whole number of microseconds;
 * its handler adds the period that ended to a 32-bit microsecond base, and
 * ticks() adds the microseconds elapsed in the current period, read from
 * the down-counter.  The result is a free-running 32-bit microsecond count
 * that wraps at 2^32 exactly as core expects.  Reading it is safe with
 * interrupts masked: a SysTick wrap whose interrupt is still pending is
 * detected (ICSR.PENDSTSET) and accounted for, which holds as long as no
 * code masks interrupts for a whole period -- then a wrap would be lost.
 * SysTick is used rather than a vendor timer so the port runs on every
 * Cortex-M.  It counts either the core clock or the chip's SysTick
 * reference clock (ua_cm_port_init_clock); either must be a whole number of
 * MHz.
 *
 * Tickless idle.  While tasks run, a period is 1 ms.  When the loop idles
 * until a deadline, the port starts a period that ends exactly at the
 * deadline (SysTick cannot compare: it clears the counter and carries the
 * elapsed cycles, so time stays exact; see restart() in cmport.c) and
 * executes WFI: the core sleeps until the deadline or another interrupt,
 * with no tick in between.  A wake-up by another interrupt reads the
 * elapsed time from the counter; if the loop still waits for the same
 * deadline the period runs on, else a new one is started.  With nothing
 * due, the port sleeps for the longest period SysTick allows: 2^24 cycles
 * (0.67 s at a 25 MHz core clock, 16.7 s on a 1 MHz reference clock) --
 * one wake-up per such period, to keep counting time.  A 1 s sleep thus
 * costs one wake-up on a 1 MHz reference clock, two at 25 MHz, instead of
 * the 1,000 of a 1 kHz tick.
 *
 * Exactness.  With the reference clock, which is slower than the core, the
 * port waits for a counter step before clearing it: the clear lands within
 * the same reference cycle and no time is lost.  With the core clock, the
 * cycles between reading the counter and clearing it cannot be read; the
 * port adds UA_CM_RESTART_CYCLES for them (define it for your core and
 * flash wait states; the QEMU test measures the drift against a CMSDK
 * timer).
 *
 * Wake-up latency from idle: WFI exit (a few cycles on a Cortex-M3/M4 at
 * zero wait states), the SysTick handler, and the loop's pass; a deep-sleep
 * mode (clocks stopped) adds the chip's restart time, see docs/low-power.md.
 *
 * Critical sections mask every interrupt through PRIMASK; they nest, and the
 * outermost exit restores the mask the caller had.
 *
 * One SysTick means one port instance per chip.  The port defines
 * SysTick_Handler; the board's vector table points at it.
 */
#ifndef UA_CMPORT_H
#define UA_CMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_loop.h"

/* Core cycles between reading SysTick's counter and clearing it in the
 * port's restart (core-clock mode only). */
#ifndef UA_CM_RESTART_CYCLES
#define UA_CM_RESTART_CYCLES 2u
#endif

/* Deadlines closer than this are spun to rather than slept to: a restart
 * costs a few microseconds itself. */
#ifndef UA_CM_MIN_SLEEP_US
#define UA_CM_MIN_SLEEP_US 20u
#endif

typedef struct ua_cm_port {
    ua_port_t port;
    ua_loop_t *loop;
    volatile uint32_t base; /* tick at the origin of the current period,
                               less off cycles */
    uint32_t off;           /* cycles carried since the last restart */
    uint32_t cur_us;        /* length of the current period */
    uint32_t reload;        /* its SysTick reload value */
    uint32_t next_us, next_reload; /* the period after it (RVR now) */
    uint32_t run_reload;    /* reload of a 1 ms period */
    uint32_t cyc_us;        /* SysTick cycles per microsecond */
    uint32_t max_us;        /* longest period: 2^24 cycles */
    bool refclk;            /* counting the reference clock */
    uint32_t saved_primask; /* PRIMASK before the outermost critical_enter */
    uint32_t depth;         /* critical section nesting */
    /* Statistics. */
    volatile uint32_t periods; /* SysTick periods ended (interrupts) */
    uint32_t idles;            /* idle() calls */
    uint32_t sleeps;           /* WFI executed: wake-ups from idle */
    uint32_t restarts;         /* periods started early by idle() */
} ua_cm_port_t;

/*
 * Start SysTick on the `core_hz` processor clock, set up `p` and initialise
 * `loop` on it.  start_tick is the first tick value (pick one just below
 * 2^32 to test the wrap).  Returns 0, or UA_EINVAL unless core_hz is a
 * whole number of MHz (at most 16,777 MHz: a 1 ms period must fit
 * SysTick's 24 bits).
 */
int ua_cm_port_init(ua_cm_port_t *p, ua_loop_t *loop, uint32_t core_hz,
                    uint32_t start_tick);

/* The same on the SysTick reference clock of `hz` (refclk true; MPS2: 1 MHz)
 * or the core clock (refclk false). */
int ua_cm_port_init_clock(ua_cm_port_t *p, ua_loop_t *loop, uint32_t hz,
                          bool refclk, uint32_t start_tick);

/* The current tick (any context, interrupts masked or not). */
ua_ticks_t ua_cm_ticks(void);

/* The SysTick interrupt handler (referenced by the vector table). */
void SysTick_Handler(void);

#endif /* UA_CMPORT_H */
