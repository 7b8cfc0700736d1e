/* syncom internals shared by its two source files. */
#ifndef SYNCOM_INT_H
#define SYNCOM_INT_H

#include "syncom.h"

/* The message being sent: none; queued (not on the wire, or to be sent
 * again / confirmed after a restart); sending; sent, waiting for the
 * peer's status to say it was collected. */
enum {
    SYNCOM_TX_NONE = 0,
    SYNCOM_TX_QUEUED = 1,
    SYNCOM_TX_SENDING = 2,
    SYNCOM_TX_WAIT = 3
};

/* Returned by the receive path when the link must restart. */
#define SYNCOM_ERR_PROTO (-1000)

void syncom__chars_reset(syncom_t *s);
int syncom__tx_bit(syncom_t *s);
int syncom__rx_bit(syncom_t *s, int bit);
/* The first status from the peer since a (re)start: the link is up. */
void syncom__link_up(syncom_t *s);

#endif
