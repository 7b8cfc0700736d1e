/*
 * The trace: fixed-size records of what the scheduler and the hardware did,
 * and the exporters that turn one trace into files people already open.
 *
 * Records come from two sources: the scheduler's UA_TRACE hook (kinds
 * 1..UA_TR_KIND_COUNT-1 of core's ua_trace.h, obj = task id) and the
 * simulator itself (the SIM_TR_* kinds below).  Code inside a task step is
 * recorded at its in-step time, so records are kept sorted by time when
 * read (stable: equal times keep recording order).
 *
 * Ids: tasks are numbered from 1 in order of first appearance (names from
 * sim_spawn / sim_task_name); pins, UARTs and I2C buses have global ids from
 * 0 in creation order.  All of it is deterministic.
 *
 * Exporters:
 *   text  one line per record, stable format for CI diffs, after a header:
 *           # uasync sim trace v1 seed=S records=N
 *           # scenario NAME              (when set with sim_set_name)
 *           # end T_US                   (the virtual time of the export)
 *           # board bN NAME start_tick=N
 *           # task ID NAME
 *           # pin ID NAME
 *         pin lines carry the pin id ("pin3 led=1"), UART lines the frame
 *         length ("dur=NS"), wake lines who woke the task (see above);
 *   VCD   pins, UART lines as serial waveforms, I2C SDA/SCL, and one wire per
 *         task that is high while the task runs (opens in GTKWave/PulseView,
 *         decodes with sigrok's uart, i2c and ir_nec decoders);
 *   JSON  Chrome/Perfetto trace: a process per board, a track per task with a
 *         slice per step, instants for interrupts and hardware events.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

/* Simulator kinds; `obj`, `arg` and `arg2` meanings in the comments. */
enum sim_trace_kind {
    SIM_TR_PIN = 32,      /* net level change seen by a pin: obj pin, arg level */
    SIM_TR_IRQ_ENTER,     /* obj source id, arg source kind (enum sim_src_kind) */
    SIM_TR_IRQ_EXIT,      /* same */
    SIM_TR_UART_TX,       /* byte done: obj uart, arg byte | SIM_UART_F*,
                             arg2 frame duration ns (start bit at t - arg2) */
    SIM_TR_UART_RX,       /* byte received: same fields */
    SIM_TR_I2C_START,     /* obj bus, arg addr7 << 1 | read, arg2 bit ns */
    SIM_TR_I2C_BYTE,      /* obj bus, arg byte | ack? 0 : 0x100 | read 0x200,
                             arg2 clock stretch ns before the ack bit */
    SIM_TR_I2C_STOP,      /* obj bus, arg status (int32 as uint32) */
    SIM_TR_NEC_FRAME,     /* frame sent: obj pin, arg address, arg2 command */
    SIM_TR_NEC_REPEAT,    /* repeat code sent: obj pin */
    SIM_TR_NOTE,          /* sim_trace_note: obj code, arg, arg2 */
    SIM_TR_STEP,          /* a board step charged CPU: obj task, arg ns */
    SIM_TR_POWER,         /* power period starts (sim.h, power): obj 0 and
                             arg enum sim_power_state, or obj load number
                             (from 1) and arg its current in uA */
    SIM_TR_KIND_END
};

/* Interrupt sources (irq_enter/irq_exit arg; "pin", "uart", "i2cs" in the
 * text trace). */
enum sim_src_kind { SIM_SRC_PIN = 1, SIM_SRC_UART = 2, SIM_SRC_I2C_SLAVE = 3 };

/*
 * Wake records (UA_TR_WAKE).  Their time is when the task became ready, not
 * when the loop noticed: a deadline's exact time, the interrupt that set the
 * task's ISR flag (the flag_set record follows at the pass that saw it), or
 * the in-step time of the task that woke it.  A task's wake-up latency in
 * sim_task_stats() is the distance from it to the resume.  arg is the wake
 * reason (enum ua_wake); arg2 says who caused it:
 *
 *   SIM_WAKE_BY(SIM_SRC_*, id)      an interrupt handler of that source set
 *                                   the task's flag (or woke it directly);
 *   SIM_WAKE_BY(SIM_WAKE_TASK, id)  the task running then (it set an
 *                                   event, released a lock, put a queue
 *                                   item, finished a joined task...);
 *   0                               the loop itself (a deadline, or a flag
 *                                   set outside any interrupt or step).
 *
 * The text trace writes it as " by task3:name", " by pin1:name", " by
 * uart0" or " by i2cs0" after the reason.
 */
#define SIM_WAKE_TASK 15u
#define SIM_WAKE_BY(kind, id) ((uint32_t)(kind) << 24 | ((uint32_t)(id) & 0xFFFFFFu))
#define SIM_WAKE_KIND(arg2) ((uint32_t)(arg2) >> 24)
#define SIM_WAKE_ID(arg2) ((uint32_t)(arg2) & 0xFFFFFFu)

#define SIM_UART_FERR 0x100u    /* framing error (stop bit low) */
#define SIM_UART_OVERRUN 0x200u /* received but dropped: FIFO full */

typedef struct sim_trace_rec {
    uint64_t t_ns;
    uint16_t kind;  /* enum ua_trace_kind or enum sim_trace_kind */
    uint16_t board; /* board index, 0xFFFF for model-only objects */
    uint32_t obj;   /* task id, pin id, uart id, bus id, note code */
    uint32_t arg;
    uint32_t arg2;
} sim_trace_rec_t;

#define SIM_NO_BOARD 0xFFFFu

/* Recording on/off (on by default).  Records cost a few ns each. */
void sim_trace_enable(sim_t *sim, bool on);

/* Bound the trace to max_records (0: unbounded, the default).  When full,
 * the oldest half is dropped -- a ring buffer with a coarse step -- and
 * counted by sim_trace_dropped(). */
void sim_trace_set_limit(sim_t *sim, size_t max_records);
uint64_t sim_trace_dropped(const sim_t *sim);

/* Number of records, and record i (time-ordered). */
size_t sim_trace_count(sim_t *sim);
const sim_trace_rec_t *sim_trace_get(sim_t *sim, size_t i);

/* A model annotation: obj = code (named with sim_trace_note_name). */
void sim_trace_note(sim_t *sim, unsigned board, uint32_t code, uint32_t arg,
                    uint32_t arg2);
void sim_trace_note_name(sim_t *sim, uint32_t code, const char *name);

/* The name given to a note code (the latest sim_trace_note_name), or NULL
 * if it has none: how tools show app events ("press", "ir"...) by name. */
const char *sim_trace_note_name_of(const sim_t *sim, uint32_t code);

/* The name of task id `id` (sim_task_name, or the name the trace gives it:
 * "task3"), or NULL if no task has that id. */
const char *sim_task_name_of(const sim_t *sim, uint32_t id);

/* Name of a kind ("resume", "pin", "uart_rx"...). */
const char *sim_trace_kind_name(unsigned kind);

/*
 * Queries (trace_query.c), for scenario verbs that must not copy the whole
 * trace: the records of each kind are indexed once, the index extended as
 * the run records more, and a (kind, name) selection is cached the same
 * way, so asking again after a run_until costs only the new records.
 *
 * A record matches when every set criterion holds: its kind (kind >= 0),
 * `name` (when not NULL or "") appearing in its text-trace line as a word
 * -- preceded by the start of the line or white space, followed by white
 * space, '=' or the end ("pin:b.reset" matches "pin5 b.reset=1") --, its
 * time in [t_lo, t_hi], its index >= from, and each field named in `mask`
 * equal to the given value.  Matches come in trace (time) order.
 */
#define SIM_TQ_BOARD 1u
#define SIM_TQ_OBJ 2u
#define SIM_TQ_ARG 4u
#define SIM_TQ_ARG2 8u

typedef struct sim_trace_query {
    int32_t kind;        /* a kind, or -1 for any */
    uint32_t mask;       /* SIM_TQ_* fields compared */
    const char *name;    /* NULL or "": any */
    uint64_t t_lo, t_hi; /* inclusive */
    uint64_t from;       /* first record index considered */
    uint64_t limit;      /* stop after this many matches; 0: all */
    uint32_t board, obj, arg, arg2;
} sim_trace_query_t;

/* Run a query; returns the number of matches.  Their indices and copies
 * of the records are then at sim_trace_query_indices/_records (valid until
 * the next query or sim_free). */
size_t sim_trace_query(sim_t *sim, const sim_trace_query_t *q);
const uint32_t *sim_trace_query_indices(const sim_t *sim);
const sim_trace_rec_t *sim_trace_query_records(const sim_t *sim);

/* Index of the first record at or after t_ns (sim_trace_count() if none). */
size_t sim_trace_lower_bound(sim_t *sim, uint64_t t_ns);

/* r's line as the text exporter writes it, without the newline; the
 * buffer is the simulation's, valid until the next call. */
const char *sim_trace_line(sim_t *sim, const sim_trace_rec_t *r);

/* Name of board index i as the trace header says it, NULL if none. */
const char *sim_trace_board_name(const sim_t *sim, unsigned i);

/* Exporters: 0 or UA_EIO.  The _fp variants write to an open stream.  The
 * VCD timescale is 1 ns unless timescale_ns is 1000 (1 us, what sigrok-cli
 * imports quickly); other values are rounded to those. */
int sim_export_text(sim_t *sim, const char *path);
int sim_export_text_fp(sim_t *sim, FILE *f);
int sim_export_vcd(sim_t *sim, const char *path, unsigned timescale_ns);
int sim_export_vcd_fp(sim_t *sim, FILE *f, unsigned timescale_ns);
int sim_export_json(sim_t *sim, const char *path);
int sim_export_json_fp(sim_t *sim, FILE *f);

#endif /* SIM_TRACE_H */
