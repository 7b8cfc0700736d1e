/*
 * syncom: the character layer (see syncom.h) -- what bit to send next and
 * what to make of a received bit.  Called by the link task once per bit.
 */
#include "syncom_int.h"

enum { TXP_SYN = 0, TXP_HELLO = 1, TXP_RUN = 2 };
enum { RX_HUNT = 0, RX_HELLO = 1, RX_IDLE = 2, RX_MSG = 3 };

#define HDR 0x50u
#define HUNT_LIMIT 64u

void syncom__chars_reset(syncom_t *s)
{
    s->tx_nbits = 0;
    s->tx_phase = TXP_SYN;
    if (s->tx_state == SYNCOM_TX_SENDING)
        s->tx_state = SYNCOM_TX_QUEUED; /* sent again after the resync */
    s->tx_wait = 0;
    s->rx_state = RX_HUNT;
    s->rx_win = 0;
    s->rx_hunt = 0;
    s->rx_ch = 0;
    s->rx_nb = 0;
    s->rx_len = 0;
}

/* Check characters over header + payload, each in 1..127. */
static void checks(const uint8_t *p, size_t n, uint8_t hdr, uint8_t *c1,
                   uint8_t *c2)
{
    uint32_t a = hdr, b = hdr;
    for (size_t i = 0; i < n; i++) {
        a += p[i];
        b += (uint32_t)(i + 2) * p[i];
    }
    *c1 = (uint8_t)(a % 127 + 1);
    *c2 = (uint8_t)(b % 127 + 1);
}

/* The character after the one just sent: 7 bits. */
static uint8_t next_char(syncom_t *s)
{
    if (s->tx_state == SYNCOM_TX_SENDING && s->tx_idx > s->tx_len + 3 &&
        s->tx_wait == 0)
        s->tx_wait = 1; /* the peer has acted on the terminator's last bit */
    if (s->tx_state == SYNCOM_TX_QUEUED) {
        s->tx_state = SYNCOM_TX_SENDING;
        s->tx_idx = 0;
        checks(s->tx_msg, s->tx_len, (uint8_t)(HDR | s->tx_seq), &s->tx_c1,
               &s->tx_c2);
    }
    if (s->tx_state != SYNCOM_TX_SENDING)
        return 0;
    size_t i = s->tx_idx++;
    if (i == 0)
        return (uint8_t)(HDR | s->tx_seq);
    if (i <= s->tx_len)
        return s->tx_msg[i - 1];
    if (i == s->tx_len + 1)
        return s->tx_c1;
    if (i == s->tx_len + 2)
        return s->tx_c2;
    return 0;
}

int syncom__tx_bit(syncom_t *s)
{
    /* Confirm one action after the peer took the terminator: a crashing
     * peer's clock falling can fake one answer, never two. */
    if (s->tx_state == SYNCOM_TX_SENDING && s->tx_wait > 0 &&
        s->tx_wait++ == 2) {
        s->tx_state = SYNCOM_TX_NONE;
        s->tx_wait = 0;
        s->tx_seq ^= 1;
        s->tx_confirmed_any = 1;
        s->sent++;
        ua_event_set(&s->tx_done);
    }
    if (s->tx_nbits == 0) {
        if (s->tx_phase == TXP_SYN) {
            s->tx_sr = SYNCOM_SYN;
            s->tx_nbits = 8;
            s->tx_phase = TXP_HELLO;
        } else if (s->tx_phase == TXP_HELLO) {
            s->tx_sr = s->tx_confirmed_any ? 'R' : 'B';
            s->tx_nbits = 7;
            s->tx_phase = TXP_RUN;
        } else {
            s->tx_sr = next_char(s);
            s->tx_nbits = 7;
        }
    }
    int bit = s->tx_sr & 1;
    s->tx_sr >>= 1;
    s->tx_nbits--;
    return bit;
}

static int finish_message(syncom_t *s)
{
    uint8_t c1, c2;
    size_t n = s->rx_len;
    s->rx_state = RX_IDLE;
    if (n < 3 || (s->rx_asm[0] & ~1u) != HDR) {
        s->rx_errors++;
        return SYNCOM_ERR_PROTO;
    }
    checks(s->rx_asm + 1, n - 3, s->rx_asm[0], &c1, &c2);
    if (c1 != s->rx_asm[n - 2] || c2 != s->rx_asm[n - 1]) {
        s->rx_errors++;
        return SYNCOM_ERR_PROTO;
    }
    uint8_t seq = s->rx_asm[0] & 1u;
    if (seq == s->rx_last_seq) {
        s->duplicates++;
        return 0;
    }
    s->rx_last_seq = seq;
    if (s->rx_full) {
        s->overruns++;
        s->rx_overrun = 1;
        return 0;
    }
    for (size_t i = 0; i < n - 3; i++)
        s->msg[i] = s->rx_asm[i + 1];
    s->msg_len = n - 3;
    s->rx_full = 1;
    s->received++;
    ua_event_set(&s->rx_ready);
    return 0;
}

static int rx_char(syncom_t *s, uint8_t c)
{
    switch (s->rx_state) {
    case RX_HELLO:
        if (c == 'B')
            s->rx_last_seq = 0xFF; /* the peer (re)booted: any seq is new */
        else if (c != 'R')
            return SYNCOM_ERR_PROTO;
        s->rx_state = RX_IDLE;
        s->link_up = 1;
        return 0;
    case RX_IDLE:
        if (c == 0)
            return 0;
        s->rx_len = 0;
        s->rx_state = RX_MSG;
        /* fall through: c is the header */
        UA__FALLTHROUGH;
    default:
        if (c == 0)
            return finish_message(s);
        if (s->rx_len == sizeof s->rx_asm) {
            s->rx_errors++;
            return SYNCOM_ERR_PROTO;
        }
        s->rx_asm[s->rx_len++] = c;
        return 0;
    }
}

int syncom__rx_bit(syncom_t *s, int bit)
{
    if (s->rx_state == RX_HUNT) {
        s->rx_win = (uint8_t)((s->rx_win >> 1) | (bit ? 0x80u : 0u));
        if (++s->rx_hunt >= 8 && s->rx_win == SYNCOM_SYN) {
            s->rx_state = RX_HELLO;
            return 0;
        }
        if (s->rx_hunt > HUNT_LIMIT) {
            s->rx_errors++;
            return SYNCOM_ERR_PROTO;
        }
        return 0;
    }
    s->rx_ch |= (uint8_t)((bit ? 1u : 0u) << s->rx_nb);
    if (++s->rx_nb < 7)
        return 0;
    uint8_t c = s->rx_ch;
    s->rx_ch = 0;
    s->rx_nb = 0;
    return rx_char(s, c);
}
