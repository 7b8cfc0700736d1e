/*
 * The simulator: a discrete-event kernel that runs boards under a virtual
 * clock.
 *
 * A simulation (sim_t) holds one time-ordered event queue, a 64-bit virtual
 * clock in nanoseconds, one seeded PRNG and any number of boards.  Each board
 * (sim_board_t) owns a real ua_loop_t and implements core's port for it, so
 * the unchanged scheduler and drivers run on it.  Nothing runs in parallel:
 * the kernel repeatedly takes the earliest thing to do -- an event from the
 * queue, or one task step of a board whose CPU is free and which has work --
 * and the clock jumps straight to it ("infinitely fast idle").
 *
 * Ordering.  Events fire in (time, insertion order).  At one instant, every
 * due event runs before any board step, and boards step in creation order.
 *
 * CPU time.  A task step runs in zero virtual time, but it is *charged*:
 * a fixed cost per step, a cost per interrupt, and whatever the task declares
 * through ua_delay_us() (or sim_board_busy_ns()).  A step that consumed d ns
 * leaves its board busy until start+d; the board's next step happens then.
 * Interrupts (pin edges, UART bytes) still run at their exact times while a
 * board is busy -- they pre-empt -- and their cost pushes the busy end later.
 * Inside a step, the board's tick and the time of pin writes are
 * step start + CPU consumed so far, so bit-banged waveforms have the timing
 * the code gives them.  The fixed cost per step is consumed when the task
 * resumes: the loop's pass that chose it (firing due timers, polling flags)
 * read the clock at the step's start, so a deadline never fires before it
 * is reached.  sim_now() is that "time as seen by the running code".
 *
 * Ticks.  A board's 32-bit microsecond tick is (virtual ns / 1000 +
 * start_tick) truncated, so a board can start just before the wrap.
 *
 * Determinism.  The same scenario and seed produce the same events in the
 * same order and a byte-identical text trace.  Every random choice comes from
 * sim_rng_stream(): a model gets its own stream derived from the seed and a
 * stream number, so adding a model does not perturb the others.
 *
 * The API uses opaque pointers, integers, doubles and strings only, so it
 * can be wrapped with Python's ctypes.  Hardware models: sim_hw.h; stimuli:
 * sim_models.h; trace and exporters: sim_trace.h.
 *
 *     sim_t *sim = sim_new(42);
 *     sim_board_t *b = sim_board_new(sim, "b0", 0);
 *     sim_spawn(b, &blink.task, "blink");
 *     sim_run_for(sim, 2 * SIM_S);
 *     sim_export_text(sim, "trace.txt");
 *     sim_free(sim);
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ua.h"

#define SIM_NS 1ull
#define SIM_US 1000ull
#define SIM_MS 1000000ull
#define SIM_S 1000000000ull
#define SIM_FOREVER UINT64_MAX

typedef struct sim sim_t;
typedef struct sim_board sim_board_t;

/* --- Simulation ------------------------------------------------------------ */

/* A new, empty simulation at time 0 whose random choices derive from seed.
 * Tracing starts enabled.  Never NULL (aborts on out-of-memory). */
sim_t *sim_new(uint64_t seed);

/* Free the simulation, its boards, models and trace. */
void sim_free(sim_t *sim);

uint64_t sim_seed(const sim_t *sim);

/* Time as seen by the code running now: the event time, plus the CPU time
 * consumed so far when called from inside a board's task step. */
uint64_t sim_now(const sim_t *sim);

/* Run until virtual time t_ns (everything due at t_ns included), until
 * sim_stop() or until nothing is left to do (then the clock still moves to
 * t_ns, unless it is SIM_FOREVER).  Returns the number of events plus
 * steps executed. */
uint64_t sim_run_until(sim_t *sim, uint64_t t_ns);
uint64_t sim_run_for(sim_t *sim, uint64_t ns);

/* Run until `t` (already spawned) is done, at most until virtual time
 * limit_ns.  Returns its status, or UA_ETIMEDOUT. */
int sim_run_until_done(sim_t *sim, const ua_task_t *t, uint64_t limit_ns);

/* Make the current sim_run_* return after the current event or step. */
void sim_stop(sim_t *sim);

/*
 * Unhandled task errors reported by the boards' loops so far (a task failed
 * and nobody awaited it; see ua_loop.h).  *task_id and *status (may be
 * NULL) receive the first one's task id (sim_task_id) and status.
 */
uint32_t sim_unhandled_errors(const sim_t *sim, uint32_t *task_id,
                              int32_t *status);

/* When something next happens: the time of the earliest queued event or
 * board step (a deadline, a ready task, a board busy until then), never
 * before now; SIM_FOREVER when nothing is left to do.  A real-time runner
 * sleeps until then instead of polling. */
uint64_t sim_next_time(const sim_t *sim);

/* Name the simulation (the scenario); the text trace's header says it. */
void sim_set_name(sim_t *sim, const char *name);
const char *sim_name(const sim_t *sim); /* "" when unnamed */

/* --- Events (for models) ------------------------------------------------------ */

typedef void (*sim_event_cb)(sim_t *sim, void *arg, uint64_t data);

/* Call cb(sim, arg, data) at virtual time t_ns (clamped to now).  Events at
 * the same time run in the order they were scheduled. */
void sim_at(sim_t *sim, uint64_t t_ns, sim_event_cb cb, void *arg,
            uint64_t data);

/* Events still in the queue. */
uint64_t sim_pending_events(const sim_t *sim);

/* Last error message of a failing call (file not found, parse error). */
const char *sim_last_error(const sim_t *sim);

/* Set the message sim_last_error returns (printf format), for layers above
 * the simulator (the app registry) that fail a call with a reason. */
void sim_set_error(sim_t *sim, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* --- Random numbers --------------------------------------------------------- */

/* xoshiro256**; treat as opaque.  Public so models can embed one. */
typedef struct sim_rng {
    uint64_t s[4];
} sim_rng_t;

/* Seed `out` from the simulation seed and a stream number (any value a
 * model picks, e.g. a hash of its name plus an instance index). */
void sim_rng_stream(const sim_t *sim, uint64_t stream, sim_rng_t *out);
uint64_t sim_rng_next(sim_rng_t *r);
/* Uniform in [lo, hi] (inclusive); lo when hi <= lo. */
uint64_t sim_rng_range(sim_rng_t *r, uint64_t lo, uint64_t hi);
/* Uniform in [0, 1). */
double sim_rng_double(sim_rng_t *r);

/* --- Boards ----------------------------------------------------------------- */

/* A new board whose tick reads start_tick at virtual time 0.  Its loop is
 * initialised on the board's port; tasks are spawned on sim_board_loop(). */
sim_board_t *sim_board_new(sim_t *sim, const char *name, uint32_t start_tick);

/*
 * A board whose crystal is off by `ppb` parts per billion (+37000: 37 ppm
 * fast): its tick counts board time = true time x (1 + ppb/1e9), so its
 * timers and timestamps drift against the simulation's true time (and
 * against a GPS model's PPS, which comes at true seconds).  0, the
 * default, is a perfect clock.  |ppb| < 1e6.  Set it before the board runs.
 */
void sim_board_set_crystal_ppb(sim_board_t *b, int32_t ppb);

ua_loop_t *sim_board_loop(sim_board_t *b);
const char *sim_board_name(const sim_board_t *b);
unsigned sim_board_index(const sim_board_t *b);
sim_t *sim_board_sim(const sim_board_t *b);
/* The board named `name` (the first, if several), or NULL: a board an app
 * created itself (a pair's peer), for sim_board_add_hog.  (sim/hog.c) */
sim_board_t *sim_board_find(sim_t *sim, const char *name);

/* The board's current tick (what port->ticks() returns now). */
uint32_t sim_board_ticks(const sim_board_t *b);

/* CPU cost charged per task step and per interrupt (default 0 and 0). */
void sim_board_set_costs(sim_board_t *b, uint64_t step_ns, uint64_t irq_ns);

/* Declare busy CPU time (like ua_delay_us, in ns) from the running task or
 * interrupt of this board. */
void sim_board_busy_ns(sim_board_t *b, uint64_t ns);

/* Until when the board's CPU is busy (<= now when free). */
uint64_t sim_board_busy_until(const sim_board_t *b);

/* Make the board's loop current (ua_loop_enter); models call this before
 * calling into a driver of this board outside an interrupt callback. */
void sim_board_enter(sim_board_t *b);

/* --- Tasks ------------------------------------------------------------------ */

/* Name `t` for traces (copied) and spawn it on the board.  Returns
 * ua_spawn's status. */
int sim_spawn(sim_board_t *b, ua_task_t *t, const char *name);

/* Name a task for traces without spawning it. */
void sim_task_name(sim_t *sim, const ua_task_t *t, const char *name);

/* Per-task figures collected from the scheduler's trace hook. */
typedef struct sim_task_stats {
    uint64_t resumes;
    uint64_t busy_ns;            /* CPU time charged to its steps */
    uint64_t worst_latency_ns;   /* ready (any wake-up, spawn) -> resumed */
    uint64_t last_latency_ns;
} sim_task_stats_t;

/* Fill *out for `t`; UA_EINVAL if the simulation has never seen it. */
int sim_task_stats(sim_t *sim, const ua_task_t *t, sim_task_stats_t *out);

/* The trace id of a task (assigned on first sight, from 1), 0 if unknown. */
uint32_t sim_task_id(sim_t *sim, const ua_task_t *t);

/* --- Schedule exploration (sim/perturb.c; tools/sim explore) -------------------
 *
 * A run can be perturbed at three kinds of decision points, each within what
 * the firmware may not rely on:
 *   SIM_PERTURB_ORDER  a task woken by an ISR flag is moved among the tasks
 *                      the same pass woke (ua_port_t.reorder: the orders the
 *                      loop does not promise); value = places jumped, >= 1;
 *   SIM_PERTURB_IRQ    a pin or UART interrupt that lands while the board's
 *                      CPU is busy with a step is taken later, within the
 *                      board's interrupt-latency bound, which a scenario
 *                      declares (sim_board_set_irq_latency; default none);
 *                      value = delay in ns;
 *                      the handler still sees the edge's own tick;
 *   SIM_PERTURB_STIM   a stimulus the scenario schedules moves by up to the
 *                      jitter it declared (sim_perturb_stimulus); value =
 *                      signed offset in ns;
 *   SIM_PERTURB_BOARD  when several boards have a step due at one instant,
 *                      another than the first-created one steps first (two
 *                      boards are two CPUs: nothing orders them), if the
 *                      scenario declared it tolerates that
 *                      (sim_perturb_boards; default not); value = which of
 *                      the others, from 1, in creation order.
 * Points are numbered per (kind, board) in the order the run meets them, so
 * a run is reproduced by its seed and the list of decisions it took.  Each
 * decision taken is also a trace note ("perturb_order", "perturb_irq",
 * "perturb_stim": arg = point, arg2 = value) on the timeline.
 * Without sim_explore_random or a plan, every point takes its default and
 * a run is what it always was. */
enum sim_perturb_kind {
    SIM_PERTURB_ORDER = 1,
    SIM_PERTURB_IRQ = 2,
    SIM_PERTURB_STIM = 3,
    SIM_PERTURB_BOARD = 4,
};

/* The board index of a stimulus or board-order decision (they belong to no
 * one board). */
#define SIM_PERTURB_ANY_BOARD 0xFFFFu

typedef struct sim_perturb {
    uint32_t kind;  /* enum sim_perturb_kind */
    uint32_t board; /* board index, or SIM_PERTURB_ANY_BOARD */
    uint32_t point; /* n-th point of this (kind, board), from 0 */
    int64_t value;  /* see the kinds */
    uint64_t t_ns;  /* when it was taken; for a stimulus, its scripted time */
} sim_perturb_t;

/* Take a non-default choice at each decision point with probability
 * permille / 1000, drawn from `seed` (a stream of its own: the scenario's
 * random models are unchanged).  0 on success; -1 if permille > 1000. */
int sim_explore_random(sim_t *sim, uint64_t seed, uint32_t permille);

/* Replay: at point (kind, board, point) take `value` (clamped to what is
 * possible there); every other point takes its default.  -1 (sim_last_error
 * says why) for an unknown kind, a value 0 (the default is no decision) or
 * after sim_explore_random. */
int sim_perturb_plan(sim_t *sim, uint32_t kind, uint32_t board,
                     uint32_t point, int64_t value);

/* The decisions this run has taken so far (non-default ones only). */
size_t sim_perturb_count(const sim_t *sim);
int sim_perturb_get(const sim_t *sim, size_t i, sim_perturb_t *out);

/* A stimulus for t_ns that tolerates max_ns of jitter either side: the time
 * to schedule it at (t_ns itself unless a decision moves it; never before
 * now).  Each call with max_ns > 0 is one SIM_PERTURB_STIM point. */
uint64_t sim_perturb_stimulus(sim_t *sim, uint64_t t_ns, uint64_t max_ns);

/* Declare that this simulation's expectations hold whichever board steps
 * first at an instant where several are due (SIM_PERTURB_BOARD).  Off by
 * default: two boards booting at the same instant is a tie the simulator
 * breaks by creation order, and a scenario may time a start-up from it. */
void sim_perturb_boards(sim_t *sim, bool on);

/* The longest an interrupt of this board may be held off while a step runs
 * (its critical sections), the window of SIM_PERTURB_IRQ.  Default 0: a
 * scenario that asserts exact times downstream of interrupts assumes none;
 * one whose expectations tolerate a latency declares it, and the explorer
 * then moves interrupts within it. */
void sim_board_set_irq_latency(sim_board_t *b, uint64_t max_ns);
/* --- CPU hogs (sim/hog.c) ----------------------------------------------------
 *
 * The board's CPU taken for busy_ns at the moments first_ns + k * every_ns
 * (k = 0 .. count-1), exactly as by a task step that does not yield: the
 * board's loop steps only once the hog is over, interrupt handlers still
 * run at their instants (their cost pushes the end later), and a moment
 * that finds the CPU busy (a step's charged time, an earlier hog) starts the
 * hog when that ends.  It needs nothing from the firmware: it is how
 * `tools/sim budget` measures the longest hog each driver tolerates
 * (docs/budgets.md).  The moments are fixed: a hog delayed by a busy CPU
 * does not move the next ones.
 *
 * Traced as a task named `name` on the board (wake at the moment, resume
 * when it gets the CPU, a step of busy_ns, suspend -- done after the last
 * one), so timelines show where it ran and sim_print_task_summary its
 * figures.  Returns its trace task id (> 0), or UA_EINVAL with
 * sim_last_error() naming the value refused and its range: an empty name,
 * first_ns before now, busy_ns above UINT32_MAX (4.29 s, what a step record
 * holds), count 0, or every_ns < busy_ns (or 0) when count > 1.  busy_ns 0
 * is accepted (the trace shows the moments, nothing else changes).
 */
#define SIM_HOG_FOREVER UINT32_MAX /* count: repeat without end */
int sim_board_add_hog(sim_board_t *b, const char *name, uint64_t first_ns,
                      uint64_t every_ns, uint64_t busy_ns, uint32_t count);

/* --- Power and energy (sim/power.c) ------------------------------------------
 *
 * Every board is in one of three power states at every instant:
 *
 *   run    the CPU executes: a task step, an interrupt handler, or CPU time
 *          a task declared (ua_delay_us, sim_board_busy_ns) -- exactly the
 *          time the board is busy;
 *   idle   the CPU waits for an interrupt (WFI, the Cortex-M "sleep" mode:
 *          clocks and peripherals on);
 *   deep   a deep-sleep mode (STM32 "Stop": clocks off, RAM kept), which a
 *          board uses only if offered (sim_board_set_power's deep_min_ns):
 *          like a tickless port, it chooses deep sleep when the idle period
 *          it expects -- to the loop's next deadline, or forever when none
 *          is due -- is at least deep_min_ns, and WFI otherwise.  The choice
 *          is made when the CPU goes idle and kept until it wakes (by an
 *          interrupt or the deadline), as hardware does.
 *
 * Each state has a current (mA); device models and apps add loads (an LCD
 * backlight, a GPS receiver) whose current they change over time.  The
 * charge (mAh) is the exact integral of the currents over virtual time.
 * Waking (any sleep -> run) is counted; with zero step and interrupt costs
 * a wake-up still counts but lasts no time.  Deep sleep changes no timing in
 * the simulator: its wake-up latency is the port's (docs/low-power.md).
 *
 * Defaults (SIM_POWER_DEFAULT_*): an STM32F401 at 84 MHz on 3.3 V, the MCU
 * of the Nucleo-F401RE; sources in docs/low-power.md.  Deep sleep is off by
 * default (deep_min_ns 0), as in the Cortex-M port, which uses WFI only.
 *
 * The trace gets a `power` record at the start of every state period
 * (board, arg = enum sim_power_state) and of every load change (obj = load
 * number from 1, arg = current in uA): the timeline draws them as a lane.
 */

enum sim_power_state { SIM_POWER_RUN, SIM_POWER_IDLE, SIM_POWER_DEEP,
                       SIM_POWER_STATES };

#define SIM_POWER_DEFAULT_RUN_MA 10.75  /* 128 uA/MHz x 84 MHz */
#define SIM_POWER_DEFAULT_IDLE_MA 3.0   /* Sleep (WFI) at 84 MHz */
#define SIM_POWER_DEFAULT_DEEP_MA 0.042 /* Stop, flash in stop mode */
#define SIM_POWER_MAX_MA 10000.0        /* currents accepted: [0, 10 A] */

/*
 * Set a board's currents (mA, each in [0, SIM_POWER_MAX_MA]) and its deep
 * sleep threshold (0: the board has no deep sleep).  Applies from now on
 * (what was drawn so far is kept).  0, or UA_EINVAL with sim_last_error()
 * naming the value refused and the range.
 */
int sim_board_set_power(sim_board_t *b, double run_ma, double idle_ma,
                        double deep_ma, uint64_t deep_min_ns);

typedef struct sim_power_stats {
    uint64_t state_ns[SIM_POWER_STATES]; /* time in each state */
    uint64_t total_ns;   /* accounted time: since the board was created */
    uint32_t wakeups;    /* sleep (idle or deep) -> run transitions */
    double cpu_mah;      /* charge drawn by the MCU (its states) */
    double loads_mah;    /* by the loads */
    double mah;          /* cpu_mah + loads_mah */
    double avg_ma;       /* mah over total_ns (0 when no time passed) */
} sim_power_stats_t;

/* The board's figures from its creation up to now. */
void sim_board_power_stats(sim_board_t *b, sim_power_stats_t *out);

/* The board's power state now. */
enum sim_power_state sim_board_power_state(sim_board_t *b);

/* A device load on a board's supply: `ma` from now on.  Owned by the
 * board.  NULL (with sim_last_error) for a bad current or an empty name. */
typedef struct sim_power_load sim_power_load_t;
sim_power_load_t *sim_power_load_new(sim_board_t *b, const char *name,
                                     double ma);

/* A load on the supply of the board that owns UART `u` (a module wired to
 * it, such as a GPS receiver); NULL when no board owns it. */
typedef struct sim_uart sim_uart_t;
sim_power_load_t *sim_power_load_on_uart(sim_uart_t *u, const char *name,
                                         double ma);

/* Change a load's current now, or at virtual time t_ns (clamped to now).
 * 0 or UA_EINVAL (current out of [0, SIM_POWER_MAX_MA]). */
int sim_power_load_set(sim_power_load_t *l, double ma);
int sim_power_load_set_at(sim_power_load_t *l, uint64_t t_ns, double ma);

/* A load that follows a pin of the board: ma_high while the pin reads 1,
 * ma_low while it reads 0 (a backlight switched by a transistor). */
typedef struct sim_pin sim_pin_t;
sim_power_load_t *sim_power_pin_load(sim_board_t *b, sim_pin_t *pin,
                                     const char *name, double ma_low,
                                     double ma_high);

/* A load's charge so far (mAh) and its current now (mA). */
double sim_power_load_mah(sim_power_load_t *l);
double sim_power_load_ma(const sim_power_load_t *l);

/*
 * Per board: time in each state, its share, the state's current and
 * charge; each load's average current and charge; the total charge, the
 * average current and the wake-ups, over the run so far.  Output (stable,
 * virtual time only):
 *
 *     # power at 20.000000 ms
 *     # board    part                     ms   share         mA            mAh
 *       b0       run                1.200000   6.00%     10.000    0.000003333
 *       b0       idle               2.000000  10.00%      2.000    0.000001111
 *       b0       deep              16.800000  84.00%      0.500    0.000002333
 *       b0       led                                     10.100    0.000056111  (load, average)
 *       b0       total             20.000000             11.320    0.000062889  (average; 3 wake-ups)
 *
 * (tests/sim/test_power.c prints and checks exactly this.)
 * Returns the number of boards, or UA_EIO if writing failed.
 */
int sim_print_power_summary(sim_t *sim, FILE *f);

#endif /* SIM_H */
