/* See pngdec.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pngdec.h"

typedef struct in {
    const uint8_t *p;
    size_t n, pos; /* pos in bits */
} in_t;

static int bit(in_t *s)
{
    if (s->pos >= 8 * s->n)
        return -1;
    int b = s->p[s->pos >> 3] >> (s->pos & 7) & 1;
    s->pos++;
    return b;
}

static long bits(in_t *s, int n) /* LSB first */
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        int b = bit(s);
        if (b < 0)
            return -1;
        v |= (long)b << i;
    }
    return v;
}

/* Fixed literal/length code: read MSB-first bit by bit. */
static int fixed_lit(in_t *s)
{
    int code = 0, len = 0;
    while (len < 9) {
        int b = bit(s);
        if (b < 0)
            return -1;
        code = code << 1 | b;
        len++;
        if (len == 7 && code <= 0x17)
            return 256 + code;
        if (len == 8 && code >= 0x30 && code <= 0xBF)
            return code - 0x30;
        if (len == 8 && code >= 0xC0 && code <= 0xC7)
            return 280 + code - 0xC0;
        if (len == 9 && code >= 0x190)
            return 144 + code - 0x190;
    }
    return -1;
}

static const int lbase[] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
                            31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
                            227, 258};
static const int lext[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                           2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const int dbase[] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
                            193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                            4097, 6145, 8193, 12289, 16385, 24577};
static const int dext[] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                           6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static int emit(uint8_t **o, size_t *n, size_t *cap, uint8_t v)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 1024;
        *o = realloc(*o, *cap);
        if (*o == NULL)
            return -1;
    }
    (*o)[(*n)++] = v;
    return 0;
}

long pngdec_zlib(const uint8_t *z, size_t zn, uint8_t **out)
{
    uint8_t *o = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (zn < 6 || (z[0] & 0x0F) != 8 || ((z[0] << 8) | z[1]) % 31 != 0 ||
        (z[1] & 0x20))
        return -1;
    in_t s = {z + 2, zn - 6, 0};
    int final = 0;
    while (!final) {
        final = bit(&s);
        long type = bits(&s, 2);
        if (final < 0 || type < 0)
            goto fail;
        if (type == 0) {
            s.pos = (s.pos + 7) & ~(size_t)7;
            size_t at = s.pos / 8;
            if (at + 4 > s.n)
                goto fail;
            unsigned len = s.p[at] | s.p[at + 1] << 8;
            unsigned nlen = s.p[at + 2] | s.p[at + 3] << 8;
            if ((len ^ 0xFFFF) != nlen || at + 4 + len > s.n)
                goto fail;
            for (unsigned i = 0; i < len; i++)
                if (emit(&o, &n, &cap, s.p[at + 4 + i]))
                    goto fail;
            s.pos = (at + 4 + len) * 8;
            continue;
        }
        if (type != 1)
            goto fail; /* dynamic blocks: not written by our encoder */
        for (;;) {
            int sym = fixed_lit(&s);
            if (sym < 0 || sym > 285)
                goto fail;
            if (sym < 256) {
                if (emit(&o, &n, &cap, (uint8_t)sym))
                    goto fail;
                continue;
            }
            if (sym == 256)
                break;
            long len = lbase[sym - 257] + bits(&s, lext[sym - 257]);
            long dc = 0;
            for (int i = 0; i < 5; i++) /* 5-bit code, MSB first */
                dc = dc << 1 | bit(&s);
            if (dc < 0 || dc > 29)
                goto fail;
            long dist = dbase[dc] + bits(&s, dext[dc]);
            if (dist <= 0 || (size_t)dist > n)
                goto fail;
            for (long i = 0; i < len; i++)
                if (emit(&o, &n, &cap, o[n - (size_t)dist]))
                    goto fail;
        }
    }
    /* Adler-32 of the output */
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + o[i]) % 65521;
        b = (b + a) % 65521;
    }
    const uint8_t *t = z + zn - 4;
    uint32_t want = (uint32_t)t[0] << 24 | t[1] << 16 | t[2] << 8 | t[3];
    if ((b << 16 | a) != want)
        goto fail;
    *out = o;
    return (long)n;
fail:
    free(o);
    return -1;
}

static uint32_t crc(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static uint32_t be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

int pngdec_file(const char *path, uint32_t **px, int *w, int *h,
                const char **why)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *idat = NULL, *raw = NULL;
    size_t n = 0, ni = 0;
    int rc = -1, ctype = 0, ncol = 0;
    uint32_t pal[256];
    *px = NULL;
    if (f == NULL) {
        *why = "cannot open";
        return -1;
    }
    fseek(f, 0, SEEK_END);
    n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n);
    if (buf == NULL || fread(buf, 1, n, f) != n || n < 8 ||
        memcmp(buf, sig, 8) != 0) {
        *why = "not a PNG";
        goto out;
    }
    *w = *h = 0;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = be(buf + at);
        const uint8_t *type = buf + at + 4, *data = buf + at + 8;
        if (at + 12 + len > n || crc(type, len + 4) != be(data + len)) {
            *why = "bad chunk or CRC";
            goto out;
        }
        if (memcmp(type, "IHDR", 4) == 0) {
            *w = (int)be(data);
            *h = (int)be(data + 4);
            ctype = data[9];
            if (data[8] != 8 || (ctype != 2 && ctype != 3) || data[12] != 0) {
                *why = "not 8-bit RGB or palette";
                goto out;
            }
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (len % 3 != 0 || len > 3 * 256 || ni > 0) {
                *why = "bad palette";
                goto out;
            }
            ncol = (int)len / 3;
            for (int i = 0; i < ncol; i++)
                pal[i] = (uint32_t)data[3 * i] << 16 |
                         (uint32_t)data[3 * i + 1] << 8 | data[3 * i + 2];
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = realloc(idat, ni + len + 1);
            memcpy(idat + ni, data, len);
            ni += len;
        }
        at += 12 + len;
    }
    if (ctype == 3 && ncol == 0) {
        *why = "palette image without a palette";
        goto out;
    }
    long rn = pngdec_zlib(idat, ni, &raw);
    size_t bpp = ctype == 3 ? 1 : 3, row = 1 + bpp * (size_t)*w;
    if (rn < 0 || (size_t)rn != row * (size_t)*h) {
        *why = "bad zlib stream or size";
        goto out;
    }
    *px = malloc(sizeof(uint32_t) * (size_t)*w * (size_t)*h);
    for (int y = 0; y < *h; y++) {
        const uint8_t *r = raw + row * (size_t)y;
        if (r[0] != 0) {
            *why = "filter other than none";
            free(*px);
            *px = NULL;
            goto out;
        }
        for (int x = 0; x < *w; x++) {
            uint32_t c;
            if (ctype == 3 && r[1 + x] >= ncol) {
                *why = "index past the palette";
                free(*px);
                *px = NULL;
                goto out;
            }
            c = ctype == 3 ? pal[r[1 + x]]
                          : (uint32_t)r[1 + 3 * x] << 16 |
                                (uint32_t)r[2 + 3 * x] << 8 | r[3 + 3 * x];
            (*px)[(size_t)y * (size_t)*w + (size_t)x] = c;
        }
    }
    rc = 0;
out:
    fclose(f);
    free(buf);
    free(idat);
    free(raw);
    return rc;
}
