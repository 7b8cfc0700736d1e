/*
 * Stimuli: models that drive a pin with a waveform.
 *
 * Each model owns a source on the pin's net (sim_hw.h) and a PRNG stream of
 * its own, and schedules all the edges of an action when the action is
 * requested, so the result depends only on the seed and the calls.  Times
 * are absolute virtual nanoseconds; an action in the past starts now.
 *
 * Pushbutton: closes the pin to `active_level` (released: not driving, so
 * the pin needs a pull resistor, e.g. UA_PIN_INPUT_PULLUP for active low).
 * Each press and release bounces: the contact chatters for a duration drawn
 * uniformly in [bounce_min, bounce_max] (default 500 us .. 3 ms) with up to
 * `max_chatter` extra opening/closing pairs (default 4), and settles at the
 * final level no later than t + bounce_max.
 *
 * NEC IR transmitter: the output of an IR receiver module (carrier
 * demodulated, active low: idle 1, mark 0).  Frame: 9 ms mark, 4.5 ms space,
 * 32 bits LSB first (address, ~address, command, ~command; an address above
 * 0xFF is sent as a 16-bit extended address, low byte first), each bit a
 * 562.5 us mark then a 562.5 us (0) or 1687.5 us (1) space, and a final
 * 562.5 us mark.  Held keys send repeat codes (9 ms mark, 2.25 ms space,
 * 562.5 us mark) every 108 ms from the frame start.  Optional jitter moves
 * every duration by a uniform amount in [-jitter, +jitter]; optional glitches
 * insert a short inverted pulse at a random time of a frame.  Each frame and
 * repeat is annotated in the trace (SIM_TR_NEC_FRAME / SIM_TR_NEC_REPEAT).
 *
 * Replay: a recorded waveform drives the pin.  VCD (as PulseView, sigrok and
 * logic analysers export; scalar wires, any timescale) and LIRC mode2 text
 * ("pulse N" / "space N" in us, first a mark; a mark drives 0 since receiver
 * modules are active low).  The recording's first edge, or first mark, is
 * placed at t0.
 */
#ifndef SIM_MODELS_H
#define SIM_MODELS_H

#include <stdint.h>

#include "sim_hw.h"

typedef struct sim_button sim_button_t;
typedef struct sim_nec sim_nec_t;

/* --- Pushbutton ------------------------------------------------------------- */

sim_button_t *sim_button_new(sim_pin_t *pin, int active_level);
void sim_button_set_bounce(sim_button_t *b, uint64_t min_ns, uint64_t max_ns,
                           unsigned max_chatter);
/* Close / open the contact at t_ns (with bounce). */
void sim_button_press(sim_button_t *b, uint64_t t_ns);
void sim_button_release(sim_button_t *b, uint64_t t_ns);
/* Press at t_ns, release hold_ns later. */
void sim_button_click(sim_button_t *b, uint64_t t_ns, uint64_t hold_ns);
/* Time by which the last scheduled action has settled. */
uint64_t sim_button_settled_at(const sim_button_t *b);

/* --- NEC IR transmitter ---------------------------------------------------------- */

sim_nec_t *sim_nec_new(sim_pin_t *pin);
/* Uniform timing jitter of every mark and space, in ns (0: none). */
void sim_nec_set_jitter(sim_nec_t *n, uint64_t jitter_ns);
/* Glitch: with probability p per frame, an inverted pulse of width_ns. */
void sim_nec_set_glitches(sim_nec_t *n, double p, uint64_t width_ns);
/* Send one frame at t_ns followed by `repeats` repeat codes 108 ms apart.
 * address <= 0xFF: 8-bit with inverse; else 16-bit extended.  Returns the
 * time at which the last mark ends. */
uint64_t sim_nec_send(sim_nec_t *n, uint64_t t_ns, uint32_t address,
                      uint8_t command, unsigned repeats);

/* --- Replay ----------------------------------------------------------------- */

/* Drive `pin` from signal `signal` of a VCD file (NULL: the first wire).
 * Returns the number of edges scheduled or a negative error
 * (UA_EIO: unreadable, UA_EINVAL: not understood -- an unknown token, a
 * bad or backwards timestamp; sim_last_error says FILE:LINE: what).  On an
 * error nothing is scheduled. */
long sim_replay_vcd(sim_pin_t *pin, const char *path, const char *signal,
                    uint64_t t0_ns);

/* Drive `pin` from a LIRC mode2 file: lines "pulse N" / "space N" (or
 * "timeout N"), N in us, 1..100000000; blank lines and # comments are
 * skipped.  Same returns: anything else is UA_EINVAL with FILE:LINE. */
long sim_replay_mode2(sim_pin_t *pin, const char *path, uint64_t t0_ns);

#endif /* SIM_MODELS_H */
