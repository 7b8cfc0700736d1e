/*
 * A simulator trace read back from a file and cut into lanes for drawing.
 *
 * The input is the text trace the simulator writes (sim_export_text: a few
 * "# ..." header lines, then one line per record, time-ordered).  Every line
 * becomes a record (tl_rec_t, the same fields as sim_trace_rec_t plus a
 * name), and tl_trace_finish() turns the records into lanes, each a
 * time-ordered array of items (spans or instants):
 *
 *   task   one per task: spans in state running, ready (woken but waiting
 *          for the CPU) or blocked; nothing before spawn or after done;
 *   irq    one per board: interrupt handler spans (enter..exit);
 *   power  one per board: spans of its CPU's power state (val: enum
 *          sim_power_state, run / idle / deep; from the power records);
 *   pin    one per board and pin name, in pin order (a model's pin of the
 *          same name as a board's -- the LCD's lcd_rs wired to the board's
 *          -- shows the same edges and gets no lane of its own): spans of
 *          constant level;
 *   uart   one per UART and direction: one span per byte frame;
 *   i2c    one per bus: one span per transaction (start..stop);
 *   nec    one per IR pin: frame and repeat instants;
 *   note   model annotations (instants).
 *
 * Ready time.  A task is ready (woken, waiting for the CPU) from its wake
 * record to its resume.  The simulator writes a wake record for every
 * wake-up at the moment the task became ready -- its deadline, the
 * interrupt that set its ISR flag, the step of the task that set its event
 * -- and says who woke it (the ready item's `a`, SIM_WAKE_BY of
 * sim_trace.h).  Spawns, cancels and yields make a task ready at their own
 * record.  Traces written before wake records existed still read: a
 * deadline's ready time comes from timer_fire (the deadline in board ticks;
 * the board's tick origin is read from the header or inferred from on-time
 * fires), an ISR flag's from its flag_set record (when the loop saw it: the
 * interrupt that set it cannot be told from other interrupts), and a wake by
 * another task shows blocked until the resume.
 *
 * Records can also be added in memory (tl_trace_add), which is how tests
 * build large traces without writing them out.
 */
#ifndef TL_TRACE_H
#define TL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_trace.h" /* record kinds: UA_TR_* and SIM_TR_* */

typedef struct tl_rec {
    uint64_t t_ns;
    uint16_t kind;  /* enum ua_trace_kind or enum sim_trace_kind */
    uint16_t board; /* SIM_NO_BOARD for model-only objects */
    uint32_t obj, arg, arg2;
    uint32_t name;  /* index in the trace's string table, 0: none */
} tl_rec_t;

enum tl_lane_type {
    TL_LANE_TASK,
    TL_LANE_IRQ,
    TL_LANE_POWER,
    TL_LANE_PIN,
    TL_LANE_UART,
    TL_LANE_I2C,
    TL_LANE_NEC,
    TL_LANE_NOTE,
    TL_LANE_TYPES
};

/* Task states (tl_item_t.val of task lanes). */
enum tl_task_state { TL_ST_NONE, TL_ST_READY, TL_ST_RUN, TL_ST_BLOCKED,
                     TL_ST_DONE };

/* Item flags. */
#define TL_F_ERROR 1u  /* UART framing error/overrun, I2C NACK or failure */
#define TL_F_READ 2u   /* I2C read transaction, UART rx */
#define TL_F_REPEAT 4u /* NEC repeat code */
#define TL_F_GUESS 8u  /* duration estimated (trace lacked it) */

#define TL_MAX_PINS 256 /* pin ids named by the header */

#define TL_NO_REC UINT32_MAX /* tl_item_t.rec when the record is not kept */

/* One span [t0, t1] (t0 == t1: an instant) of a lane.  A task's ready item
 * has in `a` who woke it (SIM_WAKE_BY, 0 if unknown). */
typedef struct tl_item {
    uint64_t t0, t1;
    uint32_t rec;  /* index of the record that ends (or is) the item; past
                      the last record (nrec, TL_NO_REC) when there is none */
    uint16_t val;  /* task state, pin level, byte, I2C address */
    uint16_t flags;
    uint32_t a, b; /* NEC address/command, I2C byte count, note args,
                      interrupt source id and name (string table) */
} tl_item_t;

typedef struct tl_lane {
    enum tl_lane_type type;
    char name[64]; /* "board: name" when the trace has several boards */
    unsigned board;
    uint32_t obj;
    uint32_t order; /* within a type and board: pins by pin id */
    tl_item_t *items;
    size_t n, cap;
    uint64_t t1_max; /* the latest end of an item */
    /* bookkeeping while building: current state or level and since when;
     * acc is the CPU ns of a task's current step, or an I2C transaction's
     * address, flags and byte count */
    int state;
    uint64_t since, acc;
    uint32_t where, deadline; /* a task's last suspend and armed deadline */
    bool armed;
    uint32_t by;              /* who woke the task (its wake record) */
} tl_lane_t;

typedef struct tl_trace {
    uint64_t seed;
    bool has_seed;
    char scenario[64];
    uint64_t t_end; /* last record time, or the header's end */
    tl_rec_t *recs; /* all of them; with lanes_only, the notes */
    size_t nrec, caprec;
    size_t nread;    /* records read */
    uint64_t t_last; /* time of the last record */
    bool lanes_only, restart; /* see tl_trace_lanes_only */
    char **strs; /* string table; strs[0] = "" */
    size_t nstr, capstr;
    uint64_t *str_index; /* open hash of strs by content: length << 32 |
                            index (0: empty slot) */
    size_t str_index_cap;
    tl_lane_t *lanes;
    size_t nlanes, caplanes;
    char err[160];
    /* header facts */
    char *board_names[16];
    int64_t start_tick[16];
    bool has_start_tick[16];
    char *task_names[256];
    char *pin_names[TL_MAX_PINS];
    uint64_t header_end;
    /* timer_fire records seen per board, and the largest (deadline - time
     * in us) among them: the tick origin when the header has none */
    bool fire_seen[16];
    uint32_t fire_offset[16];
} tl_trace_t;

/* An empty trace.  Never NULL (aborts on out-of-memory). */
tl_trace_t *tl_trace_new(void);
void tl_trace_free(tl_trace_t *tr);

/* Read a text trace file and build the lanes (tl_trace_finish).  0, or -1
 * with tr->err set (file unreadable; a line that cannot be read names its
 * line number). */
int tl_trace_load(tl_trace_t *tr, const char *path);

/* For programs that only draw the lanes (uasync-png): on a new trace, before
 * its first record, makes tl_trace_add build the lanes as records come
 * (one pass) and keep only the records drawing reads again (notes, for
 * their names; other items' rec is TL_NO_REC).  A big
 * trace's records are then never stored nor read twice.  The lanes are the
 * same, except where they need the whole trace first: a task or board
 * header line after records (names, tick origins), or a deadline on a board
 * whose header gives no start_tick (inferred from every timer_fire).  Such
 * a trace sets `restart`: read it again normally. */
void tl_trace_lanes_only(tl_trace_t *tr);

/* tl_trace_load with tl_trace_lanes_only on a new trace, read again
 * normally when it says restart. */
int tl_trace_load_lanes(tl_trace_t *tr, const char *path);

/* Parse one line (header or record) of the text format; 0 or -1. */
int tl_trace_parse_line(tl_trace_t *tr, const char *line);

/* Append a record (records must come in time order); `name` may be NULL. */
void tl_trace_add(tl_trace_t *tr, const tl_rec_t *r, const char *name);

/* Turn the records into lanes.  Call once, after the last record. */
void tl_trace_finish(tl_trace_t *tr);

/* What tl_trace_add tells the lane builder of each record (tl_lanes.c):
 * timer fires, and with lanes_only the record itself (ri: its index in
 * recs, or TL_NO_REC). */
void tl__note_timer_fire(tl_trace_t *tr, const tl_rec_t *r);
void tl__lanes_add(tl_trace_t *tr, const tl_rec_t *r, uint32_t ri);

/* The string of a record's name ("" when none). */
const char *tl_trace_name(const tl_trace_t *tr, uint32_t idx);

/* Kind name as the text format writes it, and back (0 if unknown). */
const char *tl_kind_name(unsigned kind);
unsigned tl_kind_from_name(const char *name);

/* Index of the first item of `lane` that ends at or after t (n if none). */
size_t tl_lane_seek(const tl_lane_t *lane, uint64_t t);

/* A one-line description of an item, for hover and search. */
void tl_item_describe(const tl_trace_t *tr, const tl_lane_t *lane,
                      const tl_item_t *it, char *buf, size_t n);

/* Format a time (ns) with a unit that fits its size: "12.5 ms". */
void tl_fmt_time(uint64_t ns, char *buf, size_t n);

/* Parse "12.5ms", "300us", "2s", "40ns" (1: a unit was given) or a bare
 * number of ns (0); -1 when not a number, followed by other text, negative
 * or beyond the last time a uint64_t of ns holds (about 18446744073 s). */
int tl_parse_time(const char *s, uint64_t *ns);

#endif /* TL_TRACE_H */
