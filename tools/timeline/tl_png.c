/*
 * PNG encoder: CRC-32, Adler-32, fixed-Huffman deflate with hash-chain
 * LZ77, and the chunk layout.  See tl_png.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_png.h"

uint32_t tl_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    static uint32_t table[256];
    if (table[1] == 0) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    }
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

uint32_t tl_adler32(uint32_t adler, const uint8_t *p, size_t n)
{
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    while (n > 0) {
        size_t k = n < 5552 ? n : 5552; /* largest run without overflow */
        n -= k;
        while (k--) {
            a += *p++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

/* --- bit output -------------------------------------------------------------- */

typedef struct bits {
    uint8_t *buf;
    size_t n, cap;
    uint32_t acc;
    int nacc;
} bits_t;

static void put_byte(bits_t *b, uint8_t v)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 4096;
        b->buf = realloc(b->buf, b->cap);
        if (b->buf == NULL)
            abort();
    }
    b->buf[b->n++] = v;
}

/* Deflate packs fields from the least significant bit. */
static void put_bits(bits_t *b, uint32_t v, int n)
{
    b->acc |= v << b->nacc;
    b->nacc += n;
    while (b->nacc >= 8) {
        put_byte(b, (uint8_t)b->acc);
        b->acc >>= 8;
        b->nacc -= 8;
    }
}

/* Huffman codes are defined most significant bit first: reverse them. */
static void put_code(bits_t *b, uint32_t code, int len)
{
    uint32_t r = 0;
    for (int i = 0; i < len; i++)
        r |= ((code >> i) & 1u) << (len - 1 - i);
    put_bits(b, r, len);
}

static void put_lit(bits_t *b, unsigned sym)
{
    if (sym < 144)
        put_code(b, 0x30 + sym, 8);
    else if (sym < 256)
        put_code(b, 0x190 + sym - 144, 9);
    else if (sym < 280)
        put_code(b, sym - 256, 7);
    else
        put_code(b, 0xC0 + sym - 280, 8);
}

static const uint16_t len_base[29] = {
    3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
                                      1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                      4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,
    97,  129, 193, 257, 385, 513,  769,  1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2,  2,  3,  3,
                                       4, 4, 5, 5, 6, 6, 7,  7,  8,  8,
                                       9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void put_match(bits_t *b, unsigned len, unsigned dist)
{
    int i = 28;
    while (len_base[i] > len)
        i--;
    put_lit(b, 257 + (unsigned)i);
    put_bits(b, len - len_base[i], len_extra[i]);
    int d = 29;
    while (dist_base[d] > dist)
        d--;
    put_code(b, (uint32_t)d, 5);
    put_bits(b, dist - dist_base[d], dist_extra[d]);
}

/* --- LZ77 + fixed block -------------------------------------------------------- */

#define WIN 32768u
#define HBITS 15
#define MAXCHAIN 48

static unsigned hash3(const uint8_t *p)
{
    return ((unsigned)p[0] << 10 ^ (unsigned)p[1] << 5 ^ p[2]) *
               2654435761u >> (32 - HBITS);
}

size_t tl_zlib_fixed(const uint8_t *in, size_t n, uint8_t **out)
{
    bits_t b = {0};
    int32_t *head = malloc(sizeof(int32_t) << HBITS);
    int32_t *prev = malloc(sizeof(int32_t) * WIN);
    if (head == NULL || prev == NULL)
        abort();
    memset(head, 0xFF, sizeof(int32_t) << HBITS); /* -1: empty */

    put_byte(&b, 0x78); /* deflate, 32 KiB window */
    put_byte(&b, 0x01); /* (0x7801 % 31 == 0), no dictionary */
    put_bits(&b, 1, 1); /* final block */
    put_bits(&b, 1, 2); /* fixed Huffman */
    size_t i = 0;
    while (i < n) {
        unsigned best = 0, dist = 0;
        if (i + 3 <= n) {
            unsigned h = hash3(in + i);
            int32_t cand = head[h];
            size_t maxlen = n - i < 258 ? n - i : 258;
            for (int chain = 0; cand >= 0 && chain < MAXCHAIN; chain++) {
                size_t c = (size_t)cand;
                if (i - c > WIN - 1)
                    break;
                unsigned l = 0;
                while (l < maxlen && in[c + l] == in[i + l])
                    l++;
                if (l > best) {
                    best = l;
                    dist = (unsigned)(i - c);
                    if (l == maxlen)
                        break;
                }
                int32_t nx = prev[c % WIN];
                if (nx >= cand)
                    break; /* the slot was reused: chain ends */
                cand = nx;
            }
        }
        size_t step = best >= 3 ? best : 1;
        if (best >= 3)
            put_match(&b, best, dist);
        else
            put_lit(&b, in[i]);
        for (size_t end = i + step; i < end; i++) {
            if (i + 3 > n)
                continue;
            unsigned h = hash3(in + i);
            prev[i % WIN] = head[h];
            head[h] = (int32_t)i;
        }
    }
    put_lit(&b, 256);
    put_bits(&b, 0, 7); /* flush to a byte */
    b.nacc = 0;
    b.acc = 0;
    uint32_t ad = tl_adler32(1, in, n);
    for (int k = 3; k >= 0; k--)
        put_byte(&b, (uint8_t)(ad >> (8 * k)));
    free(head);
    free(prev);
    *out = b.buf;
    return b.n;
}

/* --- PNG ------------------------------------------------------------------------ */

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void chunk(bits_t *o, const char *type, const uint8_t *data, size_t n)
{
    uint8_t hdr[8];
    be32(hdr, (uint32_t)n);
    memcpy(hdr + 4, type, 4);
    for (int i = 0; i < 8; i++)
        put_byte(o, hdr[i]);
    for (size_t i = 0; i < n; i++)
        put_byte(o, data[i]);
    uint32_t crc = tl_crc32(tl_crc32(0, hdr + 4, 4), data, n);
    be32(hdr, crc);
    for (int i = 0; i < 4; i++)
        put_byte(o, hdr[i]);
}

size_t tl_png_encode(const uint32_t *px, int w, int h, int stride,
                     uint8_t **out)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    size_t row = 1 + 3 * (size_t)w;
    uint8_t *raw = malloc(row * (size_t)h);
    uint8_t ihdr[13];
    bits_t o = {0};

    *out = NULL;
    if (w <= 0 || h <= 0 || raw == NULL) {
        free(raw);
        return 0;
    }
    for (int y = 0; y < h; y++) {
        uint8_t *d = raw + row * (size_t)y;
        const uint32_t *s = px + (size_t)y * (size_t)stride;
        *d++ = 0; /* filter: none */
        for (int x = 0; x < w; x++) {
            *d++ = (uint8_t)(s[x] >> 16);
            *d++ = (uint8_t)(s[x] >> 8);
            *d++ = (uint8_t)s[x];
        }
    }
    uint8_t *z;
    size_t zn = tl_zlib_fixed(raw, row * (size_t)h, &z);
    free(raw);
    be32(ihdr, (uint32_t)w);
    be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (we use "none") */
    ihdr[12] = 0; /* no interlace */
    for (int i = 0; i < 8; i++)
        put_byte(&o, sig[i]);
    chunk(&o, "IHDR", ihdr, sizeof ihdr);
    chunk(&o, "IDAT", z, zn);
    chunk(&o, "IEND", NULL, 0);
    free(z);
    *out = o.buf;
    return o.n;
}

int tl_png_write(const char *path, const uint32_t *px, int w, int h,
                 int stride)
{
    uint8_t *buf;
    size_t n = tl_png_encode(px, w, h, stride, &buf);
    FILE *f = n ? fopen(path, "wb") : NULL;
    int ok = f != NULL && fwrite(buf, 1, n, f) == n;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    free(buf);
    return ok ? 0 : -1;
}
