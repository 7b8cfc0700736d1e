/*
 * Drawing the virtual board on a 32-bit SDL surface, and finding what a
 * click hit.  Software rendering only (fills and the project's 5x7 font
 * from tools/timeline), so the same pixels come out with a real window,
 * with SDL_VIDEODRIVER=offscreen or dummy, or with no window at all.
 *
 * The LCD is drawn as the glass of a 16x2 HD44780: each character a 5x8
 * matrix of dots (the glyph in rows 0..6, row 7 is the cursor line), each
 * dot RT_DOT pixels with a gap, lit dots dark on the backlit glass.  A test
 * checks the screen with rt_draw_lcd_mismatches(), which samples the
 * centre of every dot and compares it with the font's rendering of the
 * text that should be there.
 *
 * The remote's keypad: keys "1".."9", "<", "0", ">"; digit d sends NEC
 * command 0x10 + d, "<" 0x20 and ">" 0x21.  Under the button, the app's
 * latest events (its trace notes, by name and arguments, newest in yellow
 * on top).
 */
#ifndef RT_DRAW_H
#define RT_DRAW_H

#include <SDL.h>

#include "rt_board.h"

#define RT_WIN_W 480
#define RT_WIN_H 360
#define RT_DOT 3  /* pixels per LCD dot */
#define RT_NKEYS 12

enum rt_hit { RT_HIT_NONE = -1, RT_HIT_BUTTON = -2 /* 0..11: keypad keys */ };

/* Label and NEC command of keypad key i. */
const char *rt_key_label(int i);
uint8_t rt_key_command(int i);
/* The key with this label, or -1. */
int rt_key_find(const char *label);

/* Draw the whole board.  key_down: the key being held (-1 none). */
void rt_draw(SDL_Surface *s, rt_board_t *b, const char *title, int key_down);

/* What is at (x, y): RT_HIT_BUTTON, a key index, or RT_HIT_NONE. */
int rt_draw_hit(int x, int y);

/* Cells of LCD row `row` whose dots differ from `text` drawn with the font
 * (0: the glass shows exactly text).  text shorter than 16: spaces. */
int rt_draw_lcd_mismatches(SDL_Surface *s, unsigned row, const char *text);

#endif /* RT_DRAW_H */
