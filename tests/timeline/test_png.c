/*
 * The PNG encoder (tools/timeline/tl_png.c) against an independent decoder
 * (pngdec.c): checksums, zlib round trips of awkward inputs, and images
 * decoded back pixel for pixel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pngdec.h"
#include "tl_png.h"

static void checksums_match_reference_values(void **state)
{
    (void)state;
    assert_int_equal(tl_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    assert_int_equal(tl_adler32(1, (const uint8_t *)"Wikipedia", 9),
                     0x11E60398u);
    /* CRC-32 can be computed in pieces */
    uint32_t c = tl_crc32(0, (const uint8_t *)"1234", 4);
    assert_int_equal(tl_crc32(c, (const uint8_t *)"56789", 5), 0xCBF43926u);
}

static void roundtrip(const uint8_t *data, size_t n)
{
    uint8_t *z, *back;
    size_t zn = tl_zlib_fixed(data, n, &z);
    long bn = pngdec_zlib(z, zn, &back);
    assert_int_equal(bn, (long)n);
    if (n)
        assert_memory_equal(back, data, n);
    free(z);
    free(back);
}

static void zlib_roundtrips_awkward_inputs(void **state)
{
    (void)state;
    size_t n = 200000;
    uint8_t *d = calloc(n, 1);
    roundtrip(d, 0);
    d[0] = 0xFF;
    roundtrip(d, 1);
    roundtrip((const uint8_t *)"abcabcabcabcabcabcabcabcabcabc", 30);
    memset(d, 7, n); /* runs far longer than the 258-byte match limit */
    roundtrip(d, n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) { /* noise with far-apart repeats */
        x = x * 1103515245u + 12345u;
        d[i] = (uint8_t)(x >> 24);
        if (i >= 40000 && (i / 1000) % 3 == 0)
            d[i] = d[i - 32768]; /* at the edge of the window */
    }
    roundtrip(d, n);
    free(d);
}

static void flat_images_compress_well(void **state)
{
    (void)state;
    int w = 800, h = 400;
    uint32_t *px = malloc(sizeof *px * (size_t)w * (size_t)h);
    for (int i = 0; i < w * h; i++)
        px[i] = (i % w) < 400 ? 0xFFFFFF : 0x2DA44E;
    uint8_t *png;
    size_t n = tl_png_encode(px, w, h, w, &png);
    /* raw is 960 KB; deflate's 258-byte matches cost ~3.5 bytes each */
    assert_true(n > 50);
    assert_true(n < 960000 / 60);
    free(png);
    free(px);
}

static void png_file_decodes_to_the_same_pixels(void **state)
{
    (void)state;
    int w = 123, h = 45, stride = 130, dw, dh;
    const char *why = "";
    uint32_t *px = calloc((size_t)stride * (size_t)h, sizeof *px), *back;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            px[y * stride + x] = (uint32_t)(x * 2) << 16 | (uint32_t)(y * 5) << 8 |
                                 (uint32_t)((x * y) & 0xFF);
    const char *path = "test_png_roundtrip.png";
    assert_int_equal(tl_png_write(path, px, w, h, stride), 0);
    assert_int_equal(pngdec_file(path, &back, &dw, &dh, &why), 0);
    assert_int_equal(dw, w);
    assert_int_equal(dh, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            assert_int_equal(back[y * w + x], px[y * stride + x] & 0xFFFFFF);
    assert_int_equal(tl_png_write("/nonexistent-dir/x.png", px, w, h, stride), -1);
    free(back);
    free(px);
    remove(path);
}

/* Encode, write, decode: the same pixels (the top byte ignored); returns
 * the PNG colour type (2 RGB, 3 palette). */
static int write_and_compare(const uint32_t *px, int w, int h, int stride)
{
    const char *path = "test_png_colours.png", *why = "";
    uint32_t *back;
    int dw, dh;
    uint8_t *png;
    size_t n = tl_png_encode(px, w, h, stride, &png);
    assert_true(n > 33);
    int type = png[25]; /* IHDR's colour type */
    free(png);
    assert_int_equal(tl_png_write(path, px, w, h, stride), 0);
    if (pngdec_file(path, &back, &dw, &dh, &why) != 0)
        fail_msg("pngdec: %s", why);
    assert_int_equal(dw, w);
    assert_int_equal(dh, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (back[y * w + x] != (px[y * stride + x] & 0xFFFFFF))
                fail_msg("pixel %d,%d: %06x, not %06x", x, y, back[y * w + x],
                         px[y * stride + x] & 0xFFFFFF);
    free(back);
    remove(path);
    return type;
}

/* Up to 256 colours a palette, one byte a pixel; more, RGB.  The images
 * are timeline-like: runs of a colour, rows repeating the one above, a
 * few changes between them. */
static void few_colours_make_a_palette_image(void **state)
{
    (void)state;
    int w = 300, h = 120, stride = 310;
    uint32_t *px = calloc((size_t)stride * (size_t)h, sizeof *px);
    static const int ncols[] = {1, 2, 3, 5, 40, 200};
    for (size_t i = 0; i < sizeof ncols / sizeof ncols[0]; i++) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int k = (x / 7 + (y / 9) * 3 + (y % 9 == 4 ? x % 3 : 0)) %
                        ncols[i];
                px[y * stride + x] = 0xFF000000u | (uint32_t)k * 0x010305u;
            }
        assert_int_equal(write_and_compare(px, w, h, stride), 3);
    }
    /* 256 colours exactly: still a palette; one more: RGB */
    for (int k = 0; k < w * h; k++)
        px[(k / w) * stride + k % w] = (uint32_t)(k % 256) * 0x010101u;
    assert_int_equal(write_and_compare(px, w, h, stride), 3);
    px[stride * (h - 1) + w - 1] = 0x123456;
    assert_int_equal(write_and_compare(px, w, h, stride), 2);
    free(px);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checksums_match_reference_values),
        cmocka_unit_test(zlib_roundtrips_awkward_inputs),
        cmocka_unit_test(flat_images_compress_well),
        cmocka_unit_test(png_file_decodes_to_the_same_pixels),
        cmocka_unit_test(few_colours_make_a_palette_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
