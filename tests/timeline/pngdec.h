/*
 * A minimal PNG decoder for the tests, written independently of the
 * encoder: chunk CRCs, zlib header and Adler-32 checked, inflate of stored
 * and fixed-Huffman blocks (all our encoder writes), filter "none" only,
 * 8-bit RGB or 8-bit palette (PLTE) images.
 */
#ifndef PNGDEC_H
#define PNGDEC_H

#include <stddef.h>
#include <stdint.h>

/* Inflate a zlib stream into a new malloc'ed buffer; returns the size, or
 * -1 on any error (bad header, dynamic block, bad checksum, overrun). */
long pngdec_zlib(const uint8_t *in, size_t n, uint8_t **out);

/* Decode an 8-bit RGB or palette PNG file into 0xRRGGBB pixels (malloc'ed,
 * w * h).  0, or -1 with *why set (an index past the palette is an
 * error). */
int pngdec_file(const char *path, uint32_t **px, int *w, int *h,
                const char **why);

#endif
