/*
 * Simulator glue of the coretest firmwares: three apps, "cancel",
 * "wait_for" and "io_priority" (see coretest_app.h).
 * cancel args: detached_fail=MS (-1: none) adds a task that fails with
 * UA_EIO at MS with nobody awaiting it (an unhandled error).
 * io_priority args: prio=0/1, nbusy= (10), busy_us= (2000); object irq (pin
 * 0, pulled up: drive it low to interrupt).  Probe irqs.
 */
#include "coretest_app.h"
#include "sim_glue.h"
#include "sim_hw.h"

static void name_tasks(sim_app_t *app, coretest_app_t *fw, const char *main,
                       const char *other)
{
    sim_app_add_task(app, &fw->main.task, main);
    if (other != NULL)
        sim_app_add_task(app, &fw->other.task, other);
}

static int setup_cancel(sim_app_t *app, sim_board_t *board, const char *args)
{
    coretest_app_t *fw = sim_app_alloc(app, sizeof *fw);
    long fail_ms = sim_app_arg_in(args, "detached_fail", -1, -1, 3600000);
    int st = coretest_cancel_start(fw, sim_board_loop(board), sim_glue_notify(app));
    if (st == 0 && fail_ms >= 0)
        st = coretest_detached_failure(fw, sim_board_loop(board), (int32_t)fail_ms);
    if (st != 0)
        return sim_app_fail(app, "start: %s", ua_err_name(st));
    name_tasks(app, fw, "sleeper", "canceller");
    if (fail_ms >= 0)
        sim_app_add_task(app, &fw->busy[0].task, "doomed");
    return 0;
}

static int setup_wait_for(sim_app_t *app, sim_board_t *board, const char *args)
{
    coretest_app_t *fw = sim_app_alloc(app, sizeof *fw);
    (void)args;
    int st = coretest_wait_for_start(fw, sim_board_loop(board),
                                     sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "start: %s", ua_err_name(st));
    name_tasks(app, fw, "caller", "inner");
    return 0;
}

static int64_t probe_irqs(void *ctx)
{
    return ((coretest_app_t *)ctx)->irqs;
}

static int setup_io(sim_app_t *app, sim_board_t *board, const char *args)
{
    static const char *const busy_names[CORETEST_MAX_BUSY] = {
        "busy0", "busy1", "busy2", "busy3", "busy4", "busy5", "busy6", "busy7",
        "busy8", "busy9", "busy10", "busy11", "busy12", "busy13", "busy14", "busy15"};
    coretest_app_t *fw = sim_app_alloc(app, sizeof *fw);
    sim_pin_t *pin = sim_board_pin(board, 0);

    sim_pin_set_name(pin, "irq");
    sim_pin_pull(pin, +1);
    sim_app_add_pin(app, "irq", pin);
    sim_app_add_probe(app, "irqs", probe_irqs, fw);
    int st = coretest_io_start(
        fw, sim_board_loop(board), sim_pin_hw(pin),
        (unsigned)sim_app_arg_in(args, "nbusy", 10, 0, 1000),
        (uint32_t)sim_app_arg_in(args, "busy_us", 2000, 0, 1000000),
        sim_app_arg_in(args, "prio", 0, 0, 1) != 0, sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "start: %s", ua_err_name(st));
    name_tasks(app, fw, "irq_task", NULL);
    for (unsigned i = 0; i < fw->nbusy; i++)
        sim_app_add_task(app, &fw->busy[i].task, busy_names[i]);
    return 0;
}

static int setup_low_priority(sim_app_t *app, sim_board_t *board,
                              const char *args)
{
    static const char *const busy_names[4] = {"busy0", "busy1", "busy2", "busy3"};
    coretest_app_t *fw = sim_app_alloc(app, sizeof *fw);
    int st = coretest_low_priority_start(
        fw, sim_board_loop(board),
        (unsigned)sim_app_arg_in(args, "nbusy", 2, 0, 4),
        (uint32_t)sim_app_arg_in(args, "busy_us", 2000, 0, 1000000),
        (uint32_t)sim_app_arg_in(args, "busy_steps", 100, 0, 1000000),
        (int32_t)sim_app_arg_in(args, "period", 50, 0, 3600000),
        (int32_t)sim_app_arg_in(args, "overdue", -1, -1, 3600000),
        sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "start: %s", ua_err_name(st));
    name_tasks(app, fw, "housekeeping", NULL);
    for (unsigned i = 0; i < fw->nbusy; i++)
        sim_app_add_task(app, &fw->busy[i].task, busy_names[i]);
    return 0;
}

const sim_app_def_t sim_app_low_priority = {
    "low_priority", "a housekeeping task in the low-priority lane among busy tasks",
    setup_low_priority};

const sim_app_def_t sim_app_cancel = {
    "cancel", "a task sleeping 10 s cancelled after 30 ms; cleanup and join",
    setup_cancel};
const sim_app_def_t sim_app_wait_for = {
    "wait_for", "ua_wait_for timing out on a slow task, then on a quick one",
    setup_wait_for};
const sim_app_def_t sim_app_io_priority = {
    "io_priority", "an interrupt-driven task among busy tasks, I/O priority on/off",
    setup_io};
