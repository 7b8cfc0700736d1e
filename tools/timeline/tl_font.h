/*
 * Text on a surface (tl_surface.h) with the project's own 5x7 bitmap font
 * (cells of TL_FONT_W x TL_FONT_H pixels).
 */
#ifndef TL_FONT_H_INCLUDED
#define TL_FONT_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#include "tl_surface.h"

#define TL_FONT_W 6
#define TL_FONT_H 10
#define TL_FONT_ROWS 9 /* 7 above the baseline, 2 for descenders */

/* Draw `text` with its top-left corner at (x, y) in colour 0xRRGGBB,
 * clipped to the surface.  Returns the number of glyphs laid out. */
int tl_text(tl_surface_t *s, int x, int y, const char *text, uint32_t rgb);

/* tl_text writing the 32-bit value `px` as it is (tl_font_sdl.c: other
 * pixel formats). */
int tl__text_value(tl_surface_t *s, int x, int y, const char *text,
                   uint32_t px);

#if defined(SDL_surface_h_) || defined(_SDL_surface_h)
/* Code that draws on SDL surfaces (tools/realtime's board window) writes
 * with the same call; the surface must be 32 bits per pixel, in any
 * format.  Defined in tl_font_sdl.c, so only programs that use it link
 * SDL. */
int tl_text_sdl(SDL_Surface *s, int x, int y, const char *text, uint32_t rgb);
#define tl_text(s, x, y, text, rgb)                                          \
    _Generic((s), SDL_Surface *: tl_text_sdl, default: tl_text)(s, x, y,    \
                                                                 text, rgb)
#endif

/* Width in pixels of `text`. */
int tl_text_width(const char *text);

/* Row `row` (0..6 above the baseline, 7..8 descenders) of a glyph: bit 4
 * is the leftmost pixel; 0 outside the glyph.  Characters outside 32..126
 * read as '?'. */
uint8_t tl_font_row(int ch, int row);

#endif /* TL_FONT_H_INCLUDED */
