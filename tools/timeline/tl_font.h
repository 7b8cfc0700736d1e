/*
 * Text on an SDL surface with the project's own 5x7 bitmap font (cells of
 * TL_FONT_W x TL_FONT_H pixels).  Surfaces must be 32 bits per pixel.
 */
#ifndef TL_FONT_H_INCLUDED
#define TL_FONT_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#define TL_FONT_W 6
#define TL_FONT_H 10
#define TL_FONT_ROWS 9 /* 7 above the baseline, 2 for descenders */

/* Draw `text` with its top-left corner at (x, y) in colour 0xRRGGBB,
 * clipped to the surface.  Returns the number of glyphs laid out. */
int tl_text(SDL_Surface *s, int x, int y, const char *text, uint32_t rgb);

/* Width in pixels of `text`. */
int tl_text_width(const char *text);

/* Row `row` (0..6 above the baseline, 7..8 descenders) of a glyph: bit 4
 * is the leftmost pixel; 0 outside the glyph.  Characters outside 32..126
 * read as '?'. */
uint8_t tl_font_row(int ch, int row);

#endif /* TL_FONT_H_INCLUDED */
