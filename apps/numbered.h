/*
 * Numbered messages, for apps that test a link end to end.
 *
 * Message n is its number in decimal, a colon, then letters up to the
 * payload length ("12:mnopq..."): every byte is in 1..127 (what syncom
 * carries) and the receiver can rebuild the exact bytes from the number, so
 * it tells apart a message delivered in order ("got"), a copy of one it
 * already has ("dup"), a jump over a lost one ("gap") and damaged bytes
 * ("corrupt"), each reported through app_notify (got/corrupt: a = n,
 * b = length; dup/gap: a = n, b = the last delivered).
 */
#ifndef NUMBERED_H
#define NUMBERED_H

#include <stddef.h>
#include <stdint.h>

#include "app_notify.h"

typedef struct numbered_rx {
    uint32_t last_got; /* last message delivered in order */
    uint32_t got, dups, gaps, corrupt;
} numbered_rx_t;

/* Message n of `payload` bytes (at least the digits and the colon, at most
 * cap) into buf; returns its length. */
size_t numbered_format(uint32_t n, uint32_t payload, uint8_t *buf, size_t cap);

/* Sort a received message into got, dup, gap or corrupt and report it. */
void numbered_take(numbered_rx_t *rx, const app_notify_t *notify,
                   const uint8_t *msg, size_t len);

#endif /* NUMBERED_H */
