/* The trace (trace.c, trace_query.c): appending, sorting, formatting. */
#ifndef SIM_TRACE_INT_H
#define SIM_TRACE_INT_H

#include "sim_internal.h"

#pragma GCC visibility push(hidden)

/* trace.c */
void sim__trace_make_room(sim_t *sim);
void sim__trace_free(sim_t *sim); /* sim_free: the records' memory */

/* Append one record.  Inline and branch-light because the scheduler and the
 * models trace every step, edge and byte: the slow path (grow in large
 * chunks, or drop the oldest half of a bounded trace) runs once per many
 * thousand records.  Records are not kept sorted here; readers sort. */
static inline void sim__trace(sim_t *sim, uint64_t t, unsigned kind,
                              unsigned board, uint32_t obj, uint32_t arg,
                              uint32_t arg2)
{
    if (sim->ntr >= sim->tr_room)
        sim__trace_make_room(sim);
    sim_trace_rec_t *r = &sim->tr[sim->ntr++];
    r->t_ns = t;
    r->kind = (uint16_t)kind;
    r->board = (uint16_t)board;
    r->obj = obj;
    r->arg = arg;
    r->arg2 = arg2;
}
void sim__trace_sort(sim_t *sim);

/* The blocks of sim->tr_kinds: records [i << SIM_TRACE_BLOCK_SHIFT, ...). */
#define SIM_TRACE_BLOCK_SHIFT 10
#define SIM_TRACE_BLOCK ((size_t)1 << SIM_TRACE_BLOCK_SHIFT)
static inline uint64_t sim__kind_bit(unsigned kind)
{
    return kind < 64 ? (uint64_t)1 << kind : 0; /* queries ask kinds < 64 */
}

/* A growable text buffer (p NUL-terminated after each write, n its length). */
typedef struct sim_sbuf {
    char *p;
    size_t n, cap;
} sim_sbuf_t;
void sim__sbuf_printf(sim_sbuf_t *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The text trace's line for r, without the newline: sb is overwritten. */
void sim__trace_format(const sim_t *sim, const sim_trace_rec_t *r,
                       sim_sbuf_t *sb);
/* trace_query.c: free the index (sim_free). */
void sim__tindex_free(sim_t *sim);
const char *sim__note_name(const sim_t *sim, uint32_t code);

#pragma GCC visibility pop

#endif
