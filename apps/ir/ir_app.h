/*
 * ir: the NEC receiver driver's example firmware.  Every decoded burst is
 * reported through app_notify: "ir" for a frame (a = address, b = command),
 * "ir_repeat" for a repeat code (a = address, b = the held command) and
 * "ir_error" for a burst that did not decode (a = NEC error code).
 *
 * An optional CPU hog (a task that busy-waits hog_busy_ms every
 * hog_every_ms, from the start) shows that decoding survives a CPU that is
 * blocked when the frame ends: edge times are taken by the interrupt, so
 * the decoder is late but never wrong.
 */
#ifndef IR_APP_H
#define IR_APP_H

#include "app_notify.h"
#include "nec_ir.h"

typedef struct ir_config {
    bool extended;        /* accept 16-bit addresses (80 ms block time) */
    int32_t hog_busy_ms;  /* 0: no hog */
    int32_t hog_every_ms; /* > hog_busy_ms */
} ir_config_t;

typedef struct ir_app {
    nec_ir_t nec;
    ir_config_t cfg;
    app_notify_t notify;
    ua_task_t hog;
    ua_co_t hog_co;
    uint32_t frames, repeats, errors;
} ir_app_t;

/* Start the decoder (and the hog) on `loop`.  0 or the driver's error. */
int ir_app_start(ir_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                 const ir_config_t *cfg, app_notify_t notify);

#endif /* IR_APP_H */
