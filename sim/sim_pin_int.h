/* Pins, nets and sources (pin.c). */
#ifndef SIM_PIN_INT_H
#define SIM_PIN_INT_H

#include "sim_internal.h"

#pragma GCC visibility push(hidden)

typedef struct sim_net {
    sim_vec_t pins, srcs;
    int level;
    int pull;
    uint32_t contention;
    bool clash; /* its last resolution saw both levels driven */
} sim_net_t;

typedef struct sim_watch {
    sim_pin_watch_cb cb;
    void *arg;
    struct sim_watch *next;
} sim_watch_t;

struct sim_pin {
    ua_pin_t hw;
    sim_t *sim;
    sim_board_t *board; /* NULL for model pins */
    sim_net_t *net;
    uint32_t id;
    char *name;
    int mode;
    int out; /* latch written by the driver */
    int drv; /* level the pin drives now (the latch, once propagated) */
    unsigned edges;
    ua_pin_irq_cb cb;
    void *cb_arg;
    sim_watch_t *watch;
};

struct sim_source {
    sim_pin_t *pin;
    int level;
};


/* pin.c */
void sim__pin_free(sim_pin_t *p);
void sim__net_free(sim_net_t *n);

#pragma GCC visibility pop

#endif
