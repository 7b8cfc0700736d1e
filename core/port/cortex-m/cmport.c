/* Cortex-M port (see ua_cmport.h). */
#include "ua_cmport.h"

#include "ua_cm_regs.h"
#include "ua_err.h"

#define US_PER_PERIOD 1000u

/* The one instance SysTick_Handler updates. */
static ua_cm_port_t *the_port;

void SysTick_Handler(void)
{
    ua_cm_port_t *p = the_port;

    p->base += US_PER_PERIOD;
    p->periods++;
}

static ua_ticks_t read_ticks(const ua_cm_port_t *p)
{
    uint32_t primask = ua_cm_get_primask();
    uint32_t base, cvr;

    ua_cm_irq_disable();
    base = p->base;
    cvr = UA_SYST_CVR;
    /* The counter reloaded but its interrupt has not run yet (we masked
     * it, or the caller did): the value just read may be from either side
     * of the reload, so read again -- now certainly after it -- and count
     * the period the handler has not added yet. */
    if (UA_SCB_ICSR & UA_SCB_ICSR_PENDSTSET) {
        cvr = UA_SYST_CVR;
        base += US_PER_PERIOD;
    }
    if (!primask)
        ua_cm_irq_enable();
    uint32_t elapsed = p->reload - cvr;
    return base + (uint32_t)(((uint64_t)elapsed * p->scale) >> 32);
}

ua_ticks_t ua_cm_ticks(void)
{
    return read_ticks(the_port);
}

static ua_ticks_t cm_ticks(void *ctx)
{
    return read_ticks(ctx);
}

static void cm_critical_enter(void *ctx)
{
    ua_cm_port_t *p = ctx;
    uint32_t primask = ua_cm_get_primask();

    ua_cm_irq_disable();
    if (p->depth++ == 0)
        p->saved_primask = primask;
}

static void cm_critical_exit(void *ctx)
{
    ua_cm_port_t *p = ctx;

    if (--p->depth == 0 && !p->saved_primask)
        ua_cm_irq_enable();
}

/* Entered with the critical section held (see ua_port.h). */
static void cm_idle(void *ctx, bool has_deadline, ua_ticks_t deadline)
{
    ua_cm_port_t *p = ctx;

    p->idles++;
    while (!p->loop->isr_pending &&
           (!has_deadline || ua_ticks_diff(deadline, read_ticks(p)) > 0)) {
        p->sleeps++;
        ua_cm_wfi();
        /* Let the pending handler run, then mask again for the re-check. */
        ua_cm_irq_enable();
        ua_cm_irq_disable();
    }
    cm_critical_exit(p);
}

/* floor(US_PER_PERIOD * 2^32 / cycles), by long division so that images
 * need no 64-bit division helper; cycles > US_PER_PERIOD keeps it in 32
 * bits and every remainder below 2^25. */
static uint32_t scale_of(uint32_t cycles)
{
    uint32_t rem = US_PER_PERIOD, q = 0;

    for (int i = 0; i < 32; i++) {
        rem <<= 1;
        q <<= 1;
        if (rem >= cycles) {
            rem -= cycles;
            q |= 1;
        }
    }
    return q;
}

int ua_cm_port_init(ua_cm_port_t *p, ua_loop_t *loop, uint32_t core_hz,
                    uint32_t start_tick)
{
    uint32_t cycles = core_hz / (1000000u / US_PER_PERIOD);

    if (cycles <= US_PER_PERIOD || cycles * (1000000u / US_PER_PERIOD) != core_hz ||
        cycles > (1u << 24))
        return UA_EINVAL;
    UA_SYST_CSR = 0;
    p->port.ticks = cm_ticks;
    p->port.idle = cm_idle;
    p->port.critical_enter = cm_critical_enter;
    p->port.critical_exit = cm_critical_exit;
    p->port.delay_us = NULL; /* the loop spins on ticks() */
    p->port.trace = NULL;
    p->port.ctx = p;
    p->loop = loop;
    p->base = start_tick;
    p->reload = cycles - 1;
    p->scale = scale_of(cycles);
    p->saved_primask = 0;
    p->depth = 0;
    p->periods = 0;
    p->idles = 0;
    p->sleeps = 0;
    the_port = p;
    ua_loop_init(loop, &p->port);
    UA_SYST_RVR = p->reload;
    UA_SYST_CVR = 0; /* any write clears the counter: start a full period */
    UA_SYST_CSR = UA_SYST_CSR_ENABLE | UA_SYST_CSR_TICKINT |
                  UA_SYST_CSR_CLKSOURCE;
    return 0;
}
