/* Cortex-M port, tickless (see ua_cmport.h). */
#include "ua_cmport.h"

#include "ua_cm_regs.h"
#include "ua_err.h"

#define RUN_PERIOD_US 1000u /* SysTick period while the CPU runs */
#define SYST_MAX_CYCLES (1u << 24)

/* The one instance SysTick_Handler updates. */
static ua_cm_port_t *the_port;

/* A period ended (its wrap): the next one, already loaded from RVR, runs.
 * Interrupts masked, or in the handler. */
static void period_ended(ua_cm_port_t *p)
{
    p->base += p->cur_us;
    p->cur_us = p->next_us;
    p->reload = p->next_reload;
    p->periods++;
}

void SysTick_Handler(void)
{
    period_ended(the_port);
}

/*
 * Where SysTick is within its period.  The counter counts R, R-1, ..., 1,
 * 0 and interrupts when it reaches 0; the next clock loads R from RVR.  A
 * period is taken to start when the counter reaches 0 -- when its
 * interrupt fires -- so it reads 0 at elapsed 0, then R at 1, ..., 1 at R,
 * and lasts R + 1 cycles.  (Counting from the load instead would make the
 * clock read one period ahead between the interrupt and the load.)
 */
static uint32_t elapsed_cycles(uint32_t reload, uint32_t cvr)
{
    return cvr == 0 ? 0 : reload + 1u - cvr;
}

static ua_ticks_t read_ticks(ua_cm_port_t *p)
{
    uint32_t primask = ua_cm_get_primask();
    uint32_t base, cvr, reload;

    ua_cm_irq_disable();
    base = p->base;
    reload = p->reload;
    cvr = UA_SYST_CVR;
    /* The period ended but its interrupt has not run yet (we masked it, or
     * the caller did): the value just read may be from either side of the
     * end, so read again -- now certainly after it -- and count the period
     * the handler has not added yet. */
    if (UA_SCB_ICSR & UA_SCB_ICSR_PENDSTSET) {
        cvr = UA_SYST_CVR;
        base += p->cur_us;
        reload = p->next_reload;
    }
    if (!primask)
        ua_cm_irq_enable();
    return base + (p->off + elapsed_cycles(reload, cvr)) / p->cyc_us;
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

/*
 * Start a new SysTick period of len_us now, keeping the time exact.
 * Interrupts masked.  SysTick has no compare register: the only way to end
 * the running period early is to clear the counter (it reads 0, and loads
 * RVR at the next clock: a new period, see elapsed_cycles).  The cycles
 * from the old period's start to the new one's are counted (`e`): whole
 * microseconds go to base, the remainder to `off`, which every later period
 * carries, so no time is lost.  What cannot be read is the time between
 * reading the counter and clearing it: with a reference clock slower than
 * the core, the port first waits for a counter step, so the clear lands in
 * the same reference cycle as the read and the new period starts at that
 * cycle's edge, exactly; with the core clock it adds UA_CM_RESTART_CYCLES.
 */
static void restart(ua_cm_port_t *p, uint32_t len_us)
{
    uint32_t len_reload = len_us * p->cyc_us - 1u, v, extra = 0;

    UA_SYST_RVR = len_reload;
    if (p->refclk) {
        uint32_t v0 = UA_SYST_CVR;
        for (uint32_t n = 0; (v = UA_SYST_CVR) == v0 && n < 100000u; n++) {
        }
    } else {
        v = UA_SYST_CVR;
        extra = UA_CM_RESTART_CYCLES;
    }
    if (UA_SCB_ICSR & UA_SCB_ICSR_PENDSTSET) {
        /* the period ended around the read: account it and read again,
         * now certainly in the next one (in the same reference cycle) */
        UA_SCB_ICSR = UA_SCB_ICSR_PENDSTCLR;
        period_ended(p);
        v = UA_SYST_CVR;
    }
    UA_SYST_CVR = 0;
    uint32_t e = p->off + elapsed_cycles(p->reload, v) + extra;
    p->base += e / p->cyc_us;
    p->off = e % p->cyc_us;
    p->reload = len_reload;
    p->cur_us = len_us;
    p->restarts++;
    /* Once the counter has loaded len_reload, the periods after this one
     * are running periods again (the idle loop restarts as needed). */
    for (uint32_t n = 0; UA_SYST_CVR == 0 && n < 100000u; n++) {
    }
    UA_SYST_RVR = p->run_reload;
    p->next_reload = p->run_reload;
    p->next_us = RUN_PERIOD_US;
}

/* Entered with the critical section held (see ua_port.h). */
static void cm_idle(void *ctx, bool has_deadline, ua_ticks_t deadline)
{
    ua_cm_port_t *p = ctx;

    p->idles++;
    while (!p->loop->isr_pending) {
        /* A wrap still pending is accounted before anything is read. */
        if (UA_SCB_ICSR & UA_SCB_ICSR_PENDSTSET) {
            UA_SCB_ICSR = UA_SCB_ICSR_PENDSTCLR;
            period_ended(p);
        }
        ua_ticks_t now = read_ticks(p);
        int32_t left = has_deadline ? ua_ticks_diff(deadline, now) : INT32_MAX;
        if (left <= 0)
            break;
        uint32_t want = (uint32_t)left < p->max_us ? (uint32_t)left : p->max_us;
        if (want < UA_CM_MIN_SLEEP_US)
            continue; /* too close to sleep: spin to the deadline */
        /* The running period already ends then (an unrelated interrupt
         * woke us), or we start one that does. */
        if (p->base + p->cur_us - now != want)
            restart(p, want);
        p->sleeps++;
        ua_cm_wfi();
        /* Let the pending handler run, then mask again for the re-check. */
        ua_cm_irq_enable();
        ua_cm_irq_disable();
    }
    cm_critical_exit(p);
}

int ua_cm_port_init_clock(ua_cm_port_t *p, ua_loop_t *loop, uint32_t hz,
                          bool refclk, uint32_t start_tick)
{
    uint32_t cyc_us = hz / 1000000u;

    if (cyc_us == 0 || cyc_us * 1000000u != hz ||
        cyc_us * RUN_PERIOD_US > SYST_MAX_CYCLES)
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
    p->refclk = refclk;
    p->cyc_us = cyc_us;
    p->max_us = SYST_MAX_CYCLES / cyc_us;
    p->run_reload = RUN_PERIOD_US * cyc_us - 1u;
    p->base = start_tick;
    p->off = 0;
    p->cur_us = p->next_us = RUN_PERIOD_US;
    p->reload = p->next_reload = p->run_reload;
    p->saved_primask = 0;
    p->depth = 0;
    p->periods = 0;
    p->idles = 0;
    p->sleeps = 0;
    p->restarts = 0;
    the_port = p;
    ua_loop_init(loop, &p->port);
    UA_SCB_ICSR = UA_SCB_ICSR_PENDSTCLR;
    UA_SYST_RVR = p->run_reload;
    UA_SYST_CVR = 0; /* any write clears the counter: start a full period */
    UA_SYST_CSR = UA_SYST_CSR_ENABLE | UA_SYST_CSR_TICKINT |
                  (refclk ? 0u : UA_SYST_CSR_CLKSOURCE);
    return 0;
}

int ua_cm_port_init(ua_cm_port_t *p, ua_loop_t *loop, uint32_t core_hz,
                    uint32_t start_tick)
{
    return ua_cm_port_init_clock(p, loop, core_hz, false, start_tick);
}
