/*
 * NEC infrared receiver.
 *
 * Wiring.  A 38 kHz IR receiver module (TSOP4838, VS1838B, ...) outputs the
 * demodulated signal on one pin, ACTIVE LOW: idle 1, 0 while the carrier is
 * present (a "mark").  Connect it to any GPIO that can interrupt on both
 * edges; the driver configures it as an input with pull-up.
 *
 * Protocol.  A frame is a 9 ms mark, a 4.5 ms space, 32 bits sent LSB first
 * and a final 562.5 us stop mark: 68 edges, 67.5 ms for an 8-bit address.
 * A bit is a 562.5 us mark followed by a 562.5 us (0) or 1687.5 us (1)
 * space.  The 32 bits are address, ~address, command, ~command (bits 0-7,
 * 8-15, 16-23, 24-31).  An "extended" remote sends a 16-bit address instead
 * of address, ~address (frames up to 77 ms).  A held key sends repeat codes
 * (9 ms mark, 2.25 ms space, stop mark: 4 edges) every 108 ms.
 *
 * How it works.  The pin interrupt only records edge times (the tick it is
 * given, so interrupt latency does not matter) into a fixed buffer in the
 * nec_ir_t; the first edge of a burst sets an ISR flag.  The decoder task
 * wakes, sleeps until the block time after that first edge (73 ms, 80 ms
 * with extended addresses -- measured from the edge's own tick, so the time
 * the task took to wake is compensated), then decodes with interrupts
 * masked (a loop over at most 68 stored intervals) and delivers the result
 * to the callback and/or the queue that nec_ir_get() reads.
 *
 * Decoding windows (the seed's thresholds, plus upper bounds):
 *   leader mark        9000 us   accepted 4000 < x <= 11250
 *   leader space       4500 us   data: 3000 < x <= 5625
 *                      2250 us   repeat: 1700 < x <= 3000
 *   bit / stop mark     562 us   281 <= x <= 843
 *   bit space           562 us   281 <= x <= 1120 is a 0
 *                      1687 us   1120 < x <= 2250 is a 1
 * So every duration may be off by +-20 % of nominal, and bit marks and
 * spaces by +-281 us (half a unit: receiver modules stretch marks by
 * 100-200 us and shorten spaces as much).  A whole frame must end within
 * the block time: a standard frame tolerates a transmitter 8 % slow.
 *
 * Noise.  A pulse shorter than glitch_us (100 us) inside a burst is removed
 * (both its edges), so a dropout inside a mark or a spike inside a space
 * leaves the frame intact; a burst that was only a glitch is forgotten.  A
 * burst ends at a space of gap_us (8 ms) or more: a mark starting after such
 * a quiet time begins a new burst.  After a burst is decoded, edges are
 * ignored until the line has been quiet for gap_us, so the rest of an
 * over-long frame is not taken for a new one.  Some remotes send more than
 * 32 bits (e.g. 48: address, ~address, command, ~command, command,
 * ~command); a frame whose 32 bits are valid and whose stop mark is followed
 * by more bit-like intervals is decoded from its first 32 bits and counted
 * in stats.long_frames.
 *
 * A busy CPU.  Edge times are exact however late the task runs, so a frame
 * decodes correctly as long as the task claims it before the line has
 * finished the frame; when a new burst starts first (the next repeat comes
 * 108 ms after a frame start, two-frame codes ~90 ms), the first frame is
 * still decoded and delivered, and the burst that could not be stored is
 * reported as NEC_OVERRUN.  Edges are never overwritten and never mixed
 * across bursts, so lateness gives an error, never a wrong value.
 *
 * Results.  `data` is the command (0-255) for a frame, NEC_REPEAT for a
 * repeat code (with the last frame's address and command), or a negative
 * error below NEC_REPEAT.  A repeat is accepted only within 250 ms of the
 * previous valid frame or repeat, so a repeat after a lost or corrupt frame
 * is NEC_BADREP rather than a stale command.
 *
 *     static nec_ir_t ir;
 *     static void on_key(int data, uint16_t addr, void *ctx) { ... }
 *     nec_ir_config_t cfg = nec_ir_config_default();
 *     cfg.cb = on_key;
 *     nec_ir_init(&ir, loop, pin, &cfg);
 *     nec_ir_start(&ir);
 *     ... or in a task:  UA_AWAIT(nec_ir_get(self, &ir, &f->key, UA_FOREVER));
 */
#ifndef NEC_IR_H
#define NEC_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "ua.h"

/* X(name, offset below UA_ERR_DRIVER_BASE, message); the seed's names. */
#define NEC_ERRNO_MAP(X)                                                       \
    X(NEC_REPEAT, 0, "repeat code (not an error)")                             \
    X(NEC_BADSTART, 1, "no valid leader mark and space")                       \
    X(NEC_BADBLOCK, 2, "data block too short or a bit out of timing")          \
    X(NEC_BADREP, 3, "malformed or orphan repeat code")                        \
    X(NEC_OVERRUN, 4, "a burst arrived before the last one was decoded")      \
    X(NEC_BADDATA, 5, "command does not match its complement")                 \
    X(NEC_BADADDR, 6, "16-bit address while extended is off")

enum nec_ir_code {
#define NEC__ENUM(name, off, msg) name = UA_ERR_DRIVER_BASE - (off),
    NEC_ERRNO_MAP(NEC__ENUM)
#undef NEC__ENUM
    NEC_CODES = 7
};

/* Nominal timing and decoding windows, microseconds. */
#define NEC_LEADER_MARK_MIN 4000
#define NEC_LEADER_MARK_MAX 11250
#define NEC_DATA_SPACE_MIN 3000
#define NEC_DATA_SPACE_MAX 5625
#define NEC_REPEAT_SPACE_MIN 1700
#define NEC_BIT_MIN 281
#define NEC_BIT_MARK_MAX 843
#define NEC_ONE_SPACE_MIN 1120
#define NEC_BIT_SPACE_MAX 2250
#define NEC_REPEAT_WINDOW_US 250000
#define NEC_BLOCK_MS 73
#define NEC_BLOCK_EXT_MS 80
#define NEC_GLITCH_US 100
#define NEC_GAP_US 8000

#define NEC_FRAME_EDGES 68
#define NEC_REPEAT_EDGES 4
#define NEC_IR_QUEUE_LEN 4

/* Application callback, run by the decoder task (task context). */
typedef void (*nec_ir_cb)(int data, uint16_t addr, void *ctx);

typedef struct nec_ir_config {
    bool extended;      /* accept 16-bit addresses (block time 80 ms) */
    bool use_queue;     /* also queue results for nec_ir_get() */
    uint16_t block_ms;  /* 0: NEC_BLOCK_MS, or NEC_BLOCK_EXT_MS if extended */
    uint16_t glitch_us; /* pulses shorter than this are noise */
    uint16_t gap_us;    /* a space this long ends a burst (< 13 ms) */
    nec_ir_cb cb;       /* may be NULL */
    void *ctx;
} nec_ir_config_t;

/* One decoded burst. */
typedef struct nec_ir_result {
    int16_t data;   /* command, NEC_REPEAT or an error */
    uint8_t cmd;    /* command (the last frame's for a repeat) */
    uint8_t ext;    /* 1 if addr is a 16-bit extended address */
    uint16_t addr;  /* address (repeat: the last frame's) */
    ua_ticks_t t;   /* tick of the burst's first edge */
} nec_ir_result_t;

typedef struct nec_ir_stats {
    uint32_t frames;       /* valid frames */
    uint32_t repeats;      /* valid repeat codes */
    uint32_t long_frames;  /* frames with extra bits after the 32nd */
    uint32_t glitches;     /* short pulses removed (by the interrupt) */
    uint32_t queue_drops;  /* results lost because the queue was full */
    uint32_t errors[NEC_CODES]; /* indexed by UA_ERR_DRIVER_BASE - code */
} nec_ir_stats_t;

/* States of the interrupt side (internal). */
enum nec_ir_isr_state {
    NEC_S_READY = 0, /* the next mark starts a burst */
    NEC_S_COLLECT,   /* storing the burst's edges */
    NEC_S_LOST,      /* a new burst began before the last was decoded */
    NEC_S_TAIL       /* decoded: ignore edges until the line is quiet */
};

typedef struct nec_ir {
    ua_task_t task;
    ua_co_t co;
    ua_loop_t *loop;
    ua_pin_t *pin;
    nec_ir_config_t cfg;
    ua_flag_t flag;
    /* Written by the interrupt handler. */
    volatile uint8_t state;   /* enum nec_ir_isr_state */
    volatile uint8_t n;       /* edges stored (t0 + n-1 intervals) */
    volatile uint16_t extra;  /* edges beyond the buffer */
    volatile uint32_t gen;    /* bursts started */
    volatile ua_ticks_t t0;   /* first edge of the burst */
    volatile ua_ticks_t last_raw;  /* any edge, for gap detection */
    volatile ua_ticks_t last;      /* last stored edge */
    volatile ua_ticks_t before;    /* the stored edge before it */
    volatile ua_ticks_t lost_t;    /* first edge of the lost burst */
    /* Intervals between stored edges; 68 + 1 edges, the seed's 276 bytes
     * of ticks become 136 bytes of intervals (all are < gap_us). */
    volatile uint16_t d[NEC_FRAME_EDGES];
    /* Decoder task. */
    uint32_t wait_gen;
    ua_ticks_t wait_t0;
    ua_ticks_t last_ok_t;    /* last valid frame or repeat */
    uint16_t last_addr;
    uint8_t last_cmd;
    uint8_t last_ext;
    uint8_t have_last;
    uint8_t nres;
    nec_ir_result_t res[2];  /* results of one claim */
    nec_ir_stats_t stats;
    ua_queue_t queue;
    nec_ir_result_t qbuf[NEC_IR_QUEUE_LEN];
} nec_ir_t;

/* Defaults: 8-bit addresses, 73 ms block, callback only. */
nec_ir_config_t nec_ir_config_default(void);

/* Set up `ir` for `pin` on `loop` (task context, once).  UA_EINVAL if a
 * window is out of range (gap_us must lie between 6 and 13 ms). */
int nec_ir_init(nec_ir_t *ir, ua_loop_t *loop, ua_pin_t *pin,
                const nec_ir_config_t *cfg);

/* Configure the pin, enable its interrupt and spawn the decoder task.  The
 * interrupt is off until then (a lazy start, as users of the seed asked).
 * UA_EBUSY if running (or still finishing a stop). */
int nec_ir_start(nec_ir_t *ir);

/* Disable the interrupt and cancel the decoder; an undecoded burst is
 * dropped.  The task leaves at the next pass; start again after that. */
void nec_ir_stop(nec_ir_t *ir);

/* Awaitable: the next result from the queue (cfg.use_queue).  0, or
 * UA_ETIMEDOUT / UA_ECANCELLED. */
int nec_ir_get(ua_task_t *self, nec_ir_t *ir, nec_ir_result_t *out,
               int32_t timeout_ms);

const nec_ir_stats_t *nec_ir_stats(const nec_ir_t *ir);

/* Count of one error code (NEC_BADSTART ... NEC_BADADDR), 0 for others. */
uint32_t nec_ir_error_count(const nec_ir_t *ir, int code);

/* "NEC_BADDATA" / a description; core's names for other codes. */
const char *nec_ir_err_name(int code);
const char *nec_ir_strerror(int code);

#endif /* NEC_IR_H */
