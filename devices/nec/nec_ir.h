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
 * How it works.  The interrupt handler decodes as the edges come: it keeps
 * the last edge provisional for glitch_us (a pulse shorter than that is
 * noise and is removed, both edges, so a dropout inside a mark or a spike
 * inside a space leaves the frame intact), and feeds every interval that
 * is final to a small state machine that checks it against the window of
 * what may come next and shifts bits into a 64-bit word.  So a burst that
 * cannot be NEC is abandoned at the first interval that shows it -- noise,
 * another protocol -- and the decoder is ready again at once: a valid 9 ms
 * leader starts a new frame whenever it comes, also in the middle of
 * something else.  Finished bursts (a frame, a repeat, or an error) go into
 * a ring of NEC_IR_RING records; the decoder task only checks the byte
 * layout and delivers them.  Nothing in the interrupt waits or loops.
 *
 * When results come.  A frame or repeat is delivered block_ms (73 ms, 80
 * with extended addresses; the seed's timing) after the tick of its first
 * edge -- however late the task wakes, since ticks are taken in the
 * interrupt -- or, for a frame still sending bits then (48-bit remotes),
 * as soon as its end is certain: NEC_BIT_SPACE_MAX + 1 us after its last
 * edge.  An error is delivered as soon as it is known: at the edge that
 * shows it, or at the block time at the latest (a burst cut off by
 * silence).  Results are delivered in the order their bursts ended.
 *
 * Decoding windows (microseconds, bounds included; nominal in brackets):
 *   leader mark   [9000]  6750 .. 11250 (+-25 %); anything else is
 *                         NEC_BADLEADER: noise, or another protocol
 *                         (Samsung/AC 4.5 ms, Sony 2.4 ms, RC5 0.9/1.8 ms)
 *   leader space  [4500]  3001 .. 5625 and bits follow: a frame
 *                 [2250]  1701 .. 4200 and one stop mark, then silence:
 *                         a repeat (real remotes send 9.1 + 3.9 ms ones)
 *   bit, stop mark [562]   281 .. 843
 *   bit space      [562]   281 .. 1120 is a 0
 *                 [1687]  1121 .. 2250 is a 1
 *   end of burst          a space over 2250 after a mark
 * Bit marks and spaces may be off by half a unit (281 us): receiver modules
 * stretch marks by 100-200 us and shorten spaces as much.
 *
 * Longer frames.  Some remotes send more than 32 bits (fans and air
 * conditioners: 48 = address, ~address, command, ~command, command,
 * ~command).  The callback's data/addr come from the first 32 bits, checked
 * as usual; the result (nec_ir_result() in the callback, or the queue)
 * also has `bits`, the number of bits (32 .. NEC_MAX_BITS), `raw` (bits
 * 0-31) and `more` (bits 32-63, bit 32 in bit 0).  A frame over
 * NEC_MAX_BITS is NEC_OVERRUN.  stats.long_frames counts frames over 32.
 *
 * Repeats.  A repeat is valid within NEC_REPEAT_WINDOW_US (250 ms) of the
 * last valid frame or repeat (so at any interval up to twice the nominal
 * 108 ms: one repeat may be lost) and reports that frame's address and
 * command; a repeat later than that, or with no frame before it, is
 * NEC_BADREP: at least two codes were lost in between, so the key held may
 * not be the one last decoded, and a stale command is worse than none.
 *
 * A busy CPU.  Decoding does not need the task, so a late task only
 * delays delivery: records wait in the ring (NEC_IR_RING) and are
 * delivered, in order, when the task runs.  If the ring is full the newest
 * burst is lost and counted as NEC_OVERRUN (reported once per batch, with
 * the tick of the first burst lost).  Lateness gives an error, never a
 * wrong value.
 *
 * Results.  `data` is the command (0-255) for a frame, NEC_REPEAT for a
 * repeat code (with the last frame's address and command), or a negative
 * error below NEC_REPEAT.
 *
 *     static nec_ir_t ir;
 *     static void on_key(int data, uint16_t addr, void *ctx) { ... }
 *     nec_ir_config_t cfg = nec_ir_config_default();
 *     cfg.cb = on_key;
 *     nec_ir_init(&ir, pin, &cfg);
 *     nec_ir_start(&ir, loop);
 *     ... or in a task:  UA_AWAIT(nec_ir_get(self, &ir, &f->key, UA_FOREVER));
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  nec_ir_init
 * configures the struct and touches nothing else; nec_ir_start configures
 * the pin, registers the ISR flag, spawns the decoder task and enables the
 * interrupt (a lazy start, as users of the seed asked); nec_ir_stop undoes
 * all of it -- an undecoded burst is dropped, a task in nec_ir_get gets
 * NEC_ESTOPPED (at the loop's next pass) -- and nec_ir_start may follow at
 * once, also from the callback: a decoder task still finishing its
 * cancellation carries on for the new start.  The struct must be zeroed
 * before its first nec_ir_init (static storage, or `= {0}`), so that init
 * can tell a stopping task from garbage; its memory may be reused once
 * nec_ir_stopped() is true.
 */
#ifndef NEC_IR_H
#define NEC_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "ua.h"

/* Result and error codes: the NEC_* entries of UA_ERR_DRIVER_MAP in
 * ua_err.h (module UA_MOD_NEC); the seed's names, plus NEC_BADLEADER (the
 * seed folded it into BADSTART).  NEC_REPEAT is a result, not an error. */
enum { NEC_CODES = 8 }; /* offsets 0..7 are counted in nec_ir_stats_t */


/* Nominal timing and decoding windows, microseconds (bounds included). */
#define NEC_LEADER_MARK_MIN 6750
#define NEC_LEADER_MARK_MAX 11250
#define NEC_DATA_SPACE_MIN 3001
#define NEC_DATA_SPACE_MAX 5625
#define NEC_REPEAT_SPACE_MIN 1701
#define NEC_REPEAT_SPACE_MAX 4200
#define NEC_BIT_MIN 281
#define NEC_BIT_MARK_MAX 843
#define NEC_ONE_SPACE_MIN 1121
#define NEC_BIT_SPACE_MAX 2250
#define NEC_REPEAT_WINDOW_US 250000
#define NEC_BLOCK_MS 73
#define NEC_BLOCK_EXT_MS 80
#define NEC_GLITCH_US 100
#define NEC_GAP_US 8000
#define NEC_MAX_BITS 64

#define NEC_IR_QUEUE_LEN 4
#define NEC_IR_RING 8

/* Application callback, run by the decoder task (task context).  The full
 * result (bits beyond 32, the burst's tick) is nec_ir_result(ir). */
typedef void (*nec_ir_cb)(int data, uint16_t addr, void *ctx);

typedef struct nec_ir_config {
    bool extended;      /* accept 16-bit addresses (block time 80 ms) */
    bool use_queue;     /* also queue results for nec_ir_get() */
    uint16_t block_ms;  /* 0: NEC_BLOCK_MS, or NEC_BLOCK_EXT_MS if extended */
    uint16_t glitch_us; /* pulses shorter than this are noise (< 281) */
    uint16_t gap_us;    /* a space this long ends junk (5626 .. 13000) */
    nec_ir_cb cb;       /* may be NULL */
    void *ctx;
} nec_ir_config_t;

/* One decoded burst. */
typedef struct nec_ir_result {
    int16_t data;   /* command, NEC_REPEAT or an error */
    uint8_t cmd;    /* command (the last frame's for a repeat) */
    uint8_t ext;    /* 1 if addr is a 16-bit extended address */
    uint16_t addr;  /* address (repeat: the last frame's) */
    uint8_t bits;   /* data bits of a frame (32 .. 64); 0 otherwise */
    ua_ticks_t t;   /* tick of the burst's first edge */
    uint32_t raw;   /* bits 0-31 as received (bit 0 first) */
    uint32_t more;  /* bits 32-63 of a longer frame (bit 32 in bit 0) */
} nec_ir_result_t;

typedef struct nec_ir_stats {
    uint32_t frames;       /* valid frames */
    uint32_t repeats;      /* valid repeat codes */
    uint32_t long_frames;  /* valid frames with more than 32 bits */
    uint32_t glitches;     /* short pulses removed (by the interrupt) */
    uint32_t queue_drops;  /* results lost because the queue was full */
    uint32_t errors[NEC_CODES]; /* indexed by UA_ERR_OFFSET(UA_MOD_NEC, code) */
} nec_ir_stats_t;

/* A burst the interrupt finished (internal). */
typedef struct nec_ir_rec {
    ua_ticks_t t0;   /* first edge */
    ua_ticks_t due;  /* deliver at (frames and repeats) */
    uint32_t raw, more;
    int16_t code;    /* 0 frame, NEC_REPEAT, or an error */
    uint8_t bits;
} nec_ir_rec_t;

typedef struct nec_ir {
    ua_task_t task;
    ua_co_t co;
    /* Lifecycle (private); nec_ir_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t task_up; /* the task has run since its spawn */
    ua_loop_t *loop;
    ua_pin_t *pin;
    nec_ir_config_t cfg;
    ua_flag_t flag;
    /* Written by the interrupt handler (and by the task with it masked). */
    volatile uint8_t has_p;     /* an edge not yet confirmed */
    volatile uint8_t lvl;       /* level after the last confirmed edge */
    volatile uint8_t st;        /* decoder state (private) */
    volatile uint8_t nbits;
    volatile ua_ticks_t ct;     /* last confirmed edge */
    volatile ua_ticks_t pt;     /* the provisional edge */
    volatile ua_ticks_t w_t0;   /* first edge of the burst being decoded */
    volatile ua_ticks_t w_end;  /* end of its last mark */
    volatile uint32_t w_space;  /* its leader space */
    volatile uint32_t w_bits[2];
    volatile uint8_t r_head, r_n; /* ring of finished bursts */
    volatile uint16_t lost;     /* records that did not fit */
    volatile ua_ticks_t lost_t; /* first edge of the first one lost */
    nec_ir_rec_t ring[NEC_IR_RING];
    /* Decoder task. */
    ua_ticks_t last_ok_t;    /* last valid frame or repeat */
    uint16_t last_addr;
    uint8_t last_cmd;
    uint8_t last_ext;
    uint8_t have_last;
    int32_t wait_us;         /* task frame local */
    nec_ir_result_t cur;     /* the result being (or last) delivered */
    nec_ir_stats_t stats;
    ua_queue_t queue;
    nec_ir_result_t qbuf[NEC_IR_QUEUE_LEN];
} nec_ir_t;

/* Defaults: 8-bit addresses, 73 ms block, callback only. */
nec_ir_config_t nec_ir_config_default(void);

/* Configure `ir` for `pin` (nothing touched or registered).  UA_EINVAL if
 * a window is out of range (gap_us must lie between 6 and 13 ms), UA_EBUSY
 * if started. */
int nec_ir_init(nec_ir_t *ir, ua_pin_t *pin, const nec_ir_config_t *cfg);

/* Configure the pin, register the ISR flag with `loop`, spawn the decoder
 * task and enable the pin's interrupt (off until then).  UA_EBUSY if
 * already started; or the error of the pin or the spawn. */
int nec_ir_start(nec_ir_t *ir, ua_loop_t *loop);

/* Disable the interrupt, unregister the flag and cancel the decoder; an
 * undecoded burst is dropped, waiters get NEC_ESTOPPED.  Idempotent. */
void nec_ir_stop(nec_ir_t *ir);

/* True once stopped and the decoder task has finished: the memory may be
 * reused. */
bool nec_ir_stopped(const nec_ir_t *ir);

/* Awaitable: the next result from the queue (cfg.use_queue).  0, or
 * UA_ETIMEDOUT / UA_ECANCELLED / NEC_ESTOPPED (stopped, queue empty). */
int nec_ir_get(ua_task_t *self, nec_ir_t *ir, nec_ir_result_t *out,
               int32_t timeout_ms);

const nec_ir_stats_t *nec_ir_stats(const nec_ir_t *ir);

/* The result being delivered (inside the callback), else the last one
 * delivered: its bits beyond 32, raw word and burst tick. */
const nec_ir_result_t *nec_ir_result(const nec_ir_t *ir);

/* Count of one error code (NEC_BADSTART ... NEC_BADLEADER), 0 for others. */
uint32_t nec_ir_error_count(const nec_ir_t *ir, int code);

/* "NEC_BADDATA" / a description; core's names for other codes. */
const char *nec_ir_err_name(int code);
const char *nec_ir_strerror(int code);

#endif /* NEC_IR_H */
