/*
 * syncom: the character layer (see syncom.h) -- what bit to send next and
 * what to make of a received bit.  Called by the link task once per bit.
 */
#include "syncom_int.h"

enum { TXP_SYN = 0, TXP_HELLO = 1, TXP_RUN = 2 };
enum { RX_HUNT = 0, RX_HELLO = 1, RX_IDLE = 2, RX_MSG = 3, RX_STATUS2 = 4 };

#define HDR 0x50u
#define STATUS 0x60u
#define TAKEN 0x04u
#define L_NONE 2u
#define HUNT_LIMIT 64u

void syncom__chars_reset(syncom_t *s)
{
    s->tx_nbits = 0;
    s->tx_phase = TXP_SYN;
    if (s->tx_state == SYNCOM_TX_SENDING || s->tx_state == SYNCOM_TX_WAIT)
        s->tx_state = SYNCOM_TX_QUEUED; /* the status after the resync decides */
    s->tx_st2 = 0;
    s->tx_idle = 0;
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

/* Our status frame's first character; the second follows (XOR 0x7F). */
static uint8_t status_char(syncom_t *s)
{
    uint8_t c = s->rx_last_seq == 0xFF ? (uint8_t)(STATUS | TAKEN | L_NONE)
                                       : (uint8_t)(STATUS | s->rx_last_seq);
    if (s->rx_last_seq != 0xFF && !s->rx_full)
        c |= TAKEN;
    s->tx_st2 = c ^ 0x7Fu;
    s->tx_st_due = 0;
    s->tx_idle = 0;
    return c;
}

/* Put the queued message on the wire if the peer's status allows it: it
 * has collected its last message, and does not have this one already. */
static void maybe_start(syncom_t *s)
{
    if (!s->link_up || !s->peer_taken || s->restart)
        return;
    if (!s->tx_onwire) /* a new message: the sequence bit after L */
        s->tx_seq = s->peer_last == 0xFF ? 0 : (uint8_t)(s->peer_last ^ 1u);
    else if (s->peer_last == s->tx_seq)
        return; /* it has it: wait for its status */
    s->tx_onwire = 1;
    s->tx_state = SYNCOM_TX_SENDING;
    s->tx_idx = 0;
    checks(s->tx_msg, s->tx_len, (uint8_t)(HDR | s->tx_seq), &s->tx_c1,
           &s->tx_c2);
}

/* The character after the one just sent: 7 bits. */
static uint8_t next_char(syncom_t *s)
{
    if (s->tx_st2 != 0) {
        uint8_t c = s->tx_st2;
        s->tx_st2 = 0;
        return c;
    }
    if (s->tx_state != SYNCOM_TX_SENDING) {
        if (s->link_up && s->tx_st_due)
            return status_char(s);
        if (s->tx_state == SYNCOM_TX_QUEUED)
            maybe_start(s);
    }
    if (s->tx_state != SYNCOM_TX_SENDING) {
        if (s->link_up && ++s->tx_idle >= SYNCOM_STATUS_EVERY)
            return status_char(s);
        return 0;
    }
    size_t i = s->tx_idx++;
    if (i == 0)
        return (uint8_t)(HDR | s->tx_seq);
    if (i <= s->tx_len)
        return s->tx_msg[i - 1];
    if (i == s->tx_len + 1)
        return s->tx_c1;
    if (i == s->tx_len + 2)
        return s->tx_c2;
    s->tx_state = SYNCOM_TX_WAIT; /* the 0: now for the peer's status */
    return 0;
}

int syncom__tx_bit(syncom_t *s)
{
    if (s->tx_nbits == 0) {
        if (s->tx_phase == TXP_SYN) {
            s->tx_sr = SYNCOM_SYN;
            s->tx_nbits = 8;
            s->tx_phase = TXP_HELLO;
        } else if (s->tx_phase == TXP_HELLO) {
            s->tx_sr = status_char(s);
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

/* A status frame from the peer: what it has accepted and collected. */
static int take_status(syncom_t *s, uint8_t c)
{
    uint8_t l = c & 3u, taken = (c & TAKEN) != 0;
    if (l == 3u || (l == L_NONE && !taken))
        return SYNCOM_ERR_PROTO;
    s->peer_last = l == L_NONE ? 0xFF : l;
    s->peer_taken = taken;
    if (!s->link_up)
        syncom__link_up(s);
    if ((s->tx_state == SYNCOM_TX_WAIT || s->tx_state == SYNCOM_TX_QUEUED) &&
        s->tx_onwire && s->peer_last == s->tx_seq && taken) {
        s->tx_state = SYNCOM_TX_NONE; /* collected: delivered */
        s->tx_onwire = 0;
        s->sent++;
        ua_event_set(&s->tx_done);
    }
    return 0;
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
        /* Sent again after a restart: drop it, and say again that we
         * collected it if we did (else we say so when the app takes it). */
        s->duplicates++;
        if (!s->rx_full)
            s->tx_st_due = 1;
        return 0;
    }
    if (s->rx_full) {
        /* The sender waits for our collection, so this cannot happen;
         * if it does, restart: it sends again, nothing is acknowledged. */
        s->overruns++;
        return SYNCOM_ERR_PROTO;
    }
    s->rx_last_seq = seq;
    for (size_t i = 0; i < n - 3; i++)
        s->msg[i] = s->rx_asm[i + 1];
    s->msg_len = n - 3;
    s->rx_full = 1;
    s->received++;
    ua_event_set(&s->rx_ready);
    return 0;
}

static bool is_status(uint8_t c)
{
    return (c & ~7u) == STATUS;
}

static int rx_char(syncom_t *s, uint8_t c)
{
    switch (s->rx_state) {
    case RX_HELLO:
    case RX_IDLE:
        if (c == 0 && s->rx_state == RX_IDLE)
            return 0;
        if (is_status(c)) {
            s->rx_st1 = c;
            s->rx_state = RX_STATUS2;
            return 0;
        }
        if (s->rx_state == RX_HELLO || (c & ~1u) != HDR)
            return SYNCOM_ERR_PROTO;
        s->rx_len = 0;
        s->rx_state = RX_MSG;
        /* fall through: c is the header */
        UA__FALLTHROUGH;
    case RX_MSG:
        if (c == 0)
            return finish_message(s);
        if (s->rx_len == sizeof s->rx_asm) {
            s->rx_errors++;
            return SYNCOM_ERR_PROTO;
        }
        s->rx_asm[s->rx_len++] = c;
        return 0;
    default: /* RX_STATUS2 */
        s->rx_state = RX_IDLE;
        if (c != (s->rx_st1 ^ 0x7Fu)) {
            s->rx_errors++;
            return SYNCOM_ERR_PROTO;
        }
        return take_status(s, s->rx_st1);
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
