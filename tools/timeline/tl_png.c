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

/* The output buffer is sized for the worst case up front, so writing never
 * checks for room: a 3-byte match can take 31 bits, over 10 bits a byte
 * (pages that are not written cost nothing). */
typedef struct bits {
    uint8_t *buf;
    size_t n;
    uint64_t acc;
    int nacc;
} bits_t;

/* Deflate packs fields from the least significant bit. */
static void put_bits(bits_t *b, uint32_t v, int n)
{
    b->acc |= (uint64_t)v << b->nacc;
    b->nacc += n;
    while (b->nacc >= 8) {
        b->buf[b->n++] = (uint8_t)b->acc;
        b->acc >>= 8;
        b->nacc -= 8;
    }
}

static void put_byte(bits_t *b, uint8_t v) { b->buf[b->n++] = v; }

/* The fixed Huffman codes (RFC 1951 3.2.6), bit-reversed for put_bits, and
 * the length and distance symbols, in tables built on first use. */
static uint16_t lit_code[288];
static uint8_t lit_bits[288];
static uint8_t len_sym[259];   /* match length -> 0..28 */
static uint8_t dist_sym[512];  /* see dist_symbol() */
static uint8_t dist_code[30];  /* 5-bit codes, reversed */

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

static uint32_t reverse(uint32_t code, int len)
{
    uint32_t r = 0;
    for (int i = 0; i < len; i++)
        r |= ((code >> i) & 1u) << (len - 1 - i);
    return r;
}

static void build_tables(void)
{
    if (lit_bits[0])
        return;
    for (unsigned s = 0; s < 288; s++) {
        uint32_t code = s < 144 ? 0x30 + s : s < 256 ? 0x190 + s - 144
                        : s < 280 ? s - 256 : 0xC0 + s - 280;
        int len = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
        lit_code[s] = (uint16_t)reverse(code, len);
        lit_bits[s] = (uint8_t)len;
    }
    for (unsigned i = 0; i < 29; i++)
        for (unsigned l = len_base[i]; l < 259 && l < len_base[i] + (1u << len_extra[i]); l++)
            len_sym[l] = (uint8_t)i;
    for (unsigned c = 0; c < 30; c++) {
        dist_code[c] = (uint8_t)reverse(c, 5);
        for (unsigned d = dist_base[c] - 1u;
             d < dist_base[c] - 1u + (1u << dist_extra[c]); d++)
            dist_sym[d < 256 ? d : 256 + (d >> 7)] = (uint8_t)c;
    }
}

/* zlib's trick: distances up to 256 by themselves, longer ones by their
 * 128s (their symbols change no faster). */
static unsigned dist_symbol(unsigned dist)
{
    unsigned d = dist - 1;
    return dist_sym[d < 256 ? d : 256 + (d >> 7)];
}

static void put_lit(bits_t *b, unsigned sym)
{
    put_bits(b, lit_code[sym], lit_bits[sym]);
}

static void put_match(bits_t *b, unsigned len, unsigned dist)
{
    unsigned i = len_sym[len];
    put_lit(b, 257 + i);
    put_bits(b, len - len_base[i], len_extra[i]);
    unsigned d = dist_symbol(dist);
    put_bits(b, dist_code[d], 5);
    put_bits(b, dist - dist_base[d], dist_extra[d]);
}

/* --- LZ77 + fixed block -------------------------------------------------------- */

#define WIN 32768u
/* The hash chains reach back 8 KiB of the window and the run and row
 * candidates all of it: small tables, which every picture pays for in
 * page faults (hashing spreads over all of them), and what the chains find
 * farther back in a timeline the row candidate finds. */
#define HBITS 13
#define CHAIN_WIN 8192u
#define MAXCHAIN 48
/* A match this long from the cheap candidates (the byte before, the row
 * above) is taken without searching the hash chains, and the bytes it
 * covers are not hashed: flat colour is nearly all such matches. */
#define LONG_MATCH 32

static unsigned hash3(const uint8_t *p)
{
    return ((unsigned)p[0] << 10 ^ (unsigned)p[1] << 5 ^ p[2]) *
               2654435761u >> (32 - HBITS);
}

/* Length of the common prefix of a and b, at most max. */
static unsigned match_len(const uint8_t *a, const uint8_t *b, unsigned max)
{
    unsigned l = 0;
    for (; l + 8 <= max; l += 8) {
        uint64_t x, y;
        memcpy(&x, a + l, 8);
        memcpy(&y, b + l, 8);
        if (x != y)
            break;
    }
    while (l < max && a[l] == b[l])
        l++;
    return l;
}

/* tl_zlib_fixed, with `row` (0: none) the distance of a likely match: the
 * previous line of an image. */
static size_t zlib_fixed(const uint8_t *in, size_t n, size_t row,
                         uint8_t **out)
{
    bits_t b = {.buf = malloc(n + n / 2 + 64)};
    /* chains hold position + 1 (0: empty), so the table starts as calloc's
     * zero pages: a picture of long runs hashes little of it */
    uint32_t *head = calloc((size_t)1 << HBITS, sizeof *head);
    uint32_t *prev = malloc(sizeof *prev * CHAIN_WIN);
    if (b.buf == NULL || head == NULL || prev == NULL)
        abort();
    build_tables();
    if (row > WIN - 1)
        row = 0;

    put_byte(&b, 0x78); /* deflate, 32 KiB window */
    put_byte(&b, 0x01); /* (0x7801 % 31 == 0), no dictionary */
    put_bits(&b, 1, 1); /* final block */
    put_bits(&b, 1, 2); /* fixed Huffman */
    size_t i = 0;
    while (i < n) {
        unsigned best = 0, dist = 0;
        unsigned maxlen = n - i < 258 ? (unsigned)(n - i) : 258;
        if (i >= 1) {
            best = match_len(in + i, in + i - 1, maxlen);
            dist = 1;
        }
        if (row && i >= row && best < maxlen) {
            unsigned l = match_len(in + i, in + i - row, maxlen);
            if (l > best) {
                best = l;
                dist = (unsigned)row;
            }
        }
        if (best < LONG_MATCH && i + 3 <= n) {
            int64_t cand = (int64_t)head[hash3(in + i)] - 1;
            for (int chain = 0; cand >= 0 && chain < MAXCHAIN; chain++) {
                size_t c = (size_t)cand;
                if (i - c > CHAIN_WIN - 1)
                    break;
                unsigned l = match_len(in + i, in + c, maxlen);
                if (l > best) {
                    best = l;
                    dist = (unsigned)(i - c);
                    if (l == maxlen)
                        break;
                }
                int64_t nx = (int64_t)prev[c % CHAIN_WIN] - 1;
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
        if (step >= LONG_MATCH) {
            i += step;
            continue;
        }
        for (size_t end = i + step; i < end; i++) {
            if (i + 3 > n)
                continue;
            unsigned h = hash3(in + i);
            prev[i % CHAIN_WIN] = head[h];
            head[h] = (uint32_t)i + 1;
        }
    }
    put_lit(&b, 256);
    put_bits(&b, 0, 7); /* flush to a byte */
    uint32_t ad = tl_adler32(1, in, n);
    for (int k = 3; k >= 0; k--)
        put_byte(&b, (uint8_t)(ad >> (8 * k)));
    free(head);
    free(prev);
    *out = b.buf;
    return b.n;
}

size_t tl_zlib_fixed(const uint8_t *in, size_t n, uint8_t **out)
{
    return zlib_fixed(in, n, 0, out);
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
    memcpy(o->buf + o->n, hdr, 8);
    if (n)
        memcpy(o->buf + o->n + 8, data, n);
    o->n += 8 + n;
    uint32_t crc = tl_crc32(tl_crc32(0, hdr + 4, 4), data, n);
    be32(o->buf + o->n, crc);
    o->n += 4;
}

/* The image as palette indices, one byte per pixel after each row's filter
 * byte, and the palette (0xRRGGBB): the number of colours, or 0 when there
 * are more than 256.  A timeline has a few dozen colours, and a third of
 * the bytes to compress. */
static int index_pixels(const uint32_t *px, int w, int h, int stride,
                        uint8_t *raw, uint32_t pal[256])
{
    enum { SLOTS = 1024 }; /* open hash of colours, > 2 x 256 */
    uint32_t key[SLOTS];   /* colour + 1 (0: empty) */
    uint8_t val[SLOTS];
    int ncol = 0;
    uint32_t last = 0xFFFFFFFFu;
    uint8_t last_idx = 0;

    memset(key, 0, sizeof key);
    for (int y = 0; y < h; y++) {
        const uint32_t *s = px + (size_t)y * (size_t)stride;
        uint8_t *d = raw + (1 + (size_t)w) * (size_t)y;
        *d++ = 0; /* filter: none */
        for (int x = 0; x < w; x++) {
            uint32_t c = s[x] & 0xFFFFFFu;
            if (c != last) {
                unsigned k = (c * 2654435761u) >> 22; /* 10 bits */
                while (key[k] != 0 && key[k] != c + 1)
                    k = (k + 1) & (SLOTS - 1);
                if (key[k] == 0) {
                    if (ncol == 256)
                        return 0;
                    key[k] = c + 1;
                    val[k] = (uint8_t)ncol;
                    pal[ncol++] = c;
                }
                last = c;
                last_idx = val[k];
            }
            d[x] = last_idx;
        }
    }
    return ncol;
}

static void rgb_pixels(const uint32_t *px, int w, int h, int stride,
                       uint8_t *raw)
{
    for (int y = 0; y < h; y++) {
        uint8_t *d = raw + (1 + 3 * (size_t)w) * (size_t)y;
        const uint32_t *s = px + (size_t)y * (size_t)stride;
        *d++ = 0; /* filter: none */
        for (int x = 0; x < w; x++) {
            *d++ = (uint8_t)(s[x] >> 16);
            *d++ = (uint8_t)(s[x] >> 8);
            *d++ = (uint8_t)s[x];
        }
    }
}

size_t tl_png_encode(const uint32_t *px, int w, int h, int stride,
                     uint8_t **out)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint32_t pal[256];
    uint8_t ihdr[13], plte[3 * 256];

    *out = NULL;
    if (w <= 0 || h <= 0)
        return 0;
    /* room for RGB; an image of few colours uses a third of it */
    size_t row = 1 + 3 * (size_t)w;
    uint8_t *raw = malloc(row * (size_t)h);
    if (raw == NULL)
        return 0;
    int ncol = index_pixels(px, w, h, stride, raw, pal);
    if (ncol > 0)
        row = 1 + (size_t)w;
    else
        rgb_pixels(px, w, h, stride, raw);
    uint8_t *z;
    size_t zn = zlib_fixed(raw, row * (size_t)h, row, &z);
    free(raw);
    be32(ihdr, (uint32_t)w);
    be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;               /* bits per channel or index */
    ihdr[9] = ncol ? 3 : 2;    /* palette or RGB */
    ihdr[10] = 0;              /* deflate */
    ihdr[11] = 0;              /* adaptive filtering (we use "none") */
    ihdr[12] = 0;              /* no interlace */
    for (int i = 0; i < ncol; i++) {
        plte[3 * i] = (uint8_t)(pal[i] >> 16);
        plte[3 * i + 1] = (uint8_t)(pal[i] >> 8);
        plte[3 * i + 2] = (uint8_t)pal[i];
    }
    bits_t o = {.buf = malloc(8 + 25 + 12 + sizeof plte + 12 + zn + 12)};
    if (o.buf == NULL)
        abort();
    for (int i = 0; i < 8; i++)
        put_byte(&o, sig[i]);
    chunk(&o, "IHDR", ihdr, sizeof ihdr);
    if (ncol)
        chunk(&o, "PLTE", plte, 3 * (size_t)ncol);
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
