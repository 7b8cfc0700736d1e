/*
 * The picture the renderer draws into: a plain buffer of 0x00RRGGBB pixels
 * (XRGB8888 in memory).  It needs no graphics library, so uasync-png links
 * none; the viewer shows it in a window by wrapping the same pixels in an
 * SDL surface (same layout, no copy).
 */
#ifndef TL_SURFACE_H
#define TL_SURFACE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tl_surface {
    int w, h;
    int pitch;        /* pixels (not bytes) from one row to the next, >= w */
    uint32_t *pixels; /* row y starts at pixels + y * pitch */
    size_t mapped;    /* private: bytes mmap'ed for pixels, 0 if malloc'ed */
} tl_surface_t;

/* A new w x h surface, every pixel 0 (black); NULL when w or h is negative
 * or the memory cannot be had. */
tl_surface_t *tl_surface_new(int w, int h);

/* Free s and its pixels (NULL is fine). */
void tl_surface_free(tl_surface_t *s);

/* Pixel at (x, y) as 0xRRGGBB; 0xFFFFFFFF outside the surface. */
uint32_t tl_pixel(const tl_surface_t *s, int x, int y);

#endif /* TL_SURFACE_H */
