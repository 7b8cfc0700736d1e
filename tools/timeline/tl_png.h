/*
 * A small PNG encoder: 8-bit palette (256 colours or fewer: a timeline has
 * a few dozen) or else 8-bit RGB, no interlace, filter "none", one zlib
 * stream made of a single fixed-Huffman deflate block with LZ77 matches.
 * Timelines are flat colour areas: runs of one colour and rows equal to the
 * one above, which are tried first and taken whole when long, before the
 * hash chains over the 32 KiB window; so this gets within a small factor of
 * zlib's best while staying small and free of dependencies.
 */
#ifndef TL_PNG_H
#define TL_PNG_H

#include <stddef.h>
#include <stdint.h>

/* Encode w x h pixels 0x??RRGGBB (row i starts at px + i * stride) into a
 * new malloc'ed buffer *out; returns its size (0 on failure).  The top
 * byte is ignored. */
size_t tl_png_encode(const uint32_t *px, int w, int h, int stride,
                     uint8_t **out);

/* Encode and write to `path`: 0, or -1 when the file cannot be written. */
int tl_png_write(const char *path, const uint32_t *px, int w, int h,
                 int stride);

/* The checksums PNG and zlib use (start with crc = 0, adler = 1). */
uint32_t tl_crc32(uint32_t crc, const uint8_t *p, size_t n);
uint32_t tl_adler32(uint32_t adler, const uint8_t *p, size_t n);

/* Compress `n` bytes into a zlib stream (header, one fixed-Huffman block,
 * Adler-32) in a new malloc'ed buffer; returns its size. */
size_t tl_zlib_fixed(const uint8_t *in, size_t n, uint8_t **out);

#endif /* TL_PNG_H */
