/* Drawing the virtual board (see rt_draw.h). */
#include "rt_draw.h"

#include <stdio.h>
#include <string.h>

#include "tl_font.h"

/* Geometry. */
#define LCD_X 40
#define LCD_Y 44
#define CELL_W (5 * (RT_DOT + 1) + 4)
#define CELL_H (8 * (RT_DOT + 1) + 6)
#define GLASS_PAD 10
#define LED_Y 170
#define PAD_Y 210
#define BTN_X 40
#define BTN_W 120
#define BTN_H 60
#define KEY_X 260
#define KEY_W 44
#define KEY_H 30
#define NOTES_Y 300
#define NOTES_W 210

/* Colours (0xRRGGBB). */
#define C_BG 0x1d2733
#define C_PCB 0x2f5d3a
#define C_TEXT 0xe8e8e8
#define C_BEZEL 0x111111
#define C_GLASS 0x9fc93c
#define C_GLASS_DIM 0x5d7424
#define C_DOT_OFF 0x94bd37
#define C_DOT_OFF_DIM 0x566c21
#define C_INK 0x1f2a10

static const char *const key_labels[RT_NKEYS] = {"1", "2", "3", "4", "5", "6",
                                                 "7", "8", "9", "<", "0", ">"};

const char *rt_key_label(int i)
{
    return i >= 0 && i < RT_NKEYS ? key_labels[i] : "";
}

uint8_t rt_key_command(int i)
{
    const char *l = rt_key_label(i);
    if (l[0] == '<')
        return 0x20;
    if (l[0] == '>')
        return 0x21;
    return (uint8_t)(0x10 + (l[0] - '0'));
}

int rt_key_find(const char *label)
{
    for (int i = 0; i < RT_NKEYS; i++)
        if (strcmp(key_labels[i], label) == 0)
            return i;
    return -1;
}

static Uint32 rgb(SDL_Surface *s, uint32_t c)
{
    return SDL_MapRGB(s->format, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c);
}

static void fill(SDL_Surface *s, int x, int y, int w, int h, uint32_t c)
{
    SDL_Rect r = {x, y, w, h};
    SDL_FillRect(s, &r, rgb(s, c));
}

static void frame(SDL_Surface *s, int x, int y, int w, int h, uint32_t c)
{
    fill(s, x, y, w, 1, c);
    fill(s, x, y + h - 1, w, 1, c);
    fill(s, x, y, 1, h, c);
    fill(s, x + w - 1, y, 1, h, c);
}

/* Top-left pixel of dot (dx, dy) of LCD cell (col, row). */
static void dot_origin(unsigned col, unsigned row, int dx, int dy, int *x, int *y)
{
    *x = LCD_X + GLASS_PAD + (int)col * CELL_W + dx * (RT_DOT + 1);
    *y = LCD_Y + GLASS_PAD + (int)row * CELL_H + dy * (RT_DOT + 1);
}

static bool dot_lit(int ch, int dy, int dx)
{
    if (dy >= 7 || ch == ' ')
        return false;
    return (tl_font_row(ch, dy) >> (4 - dx)) & 1;
}

static void draw_lcd(SDL_Surface *s, rt_board_t *b, bool lit)
{
    char rows[RT_LCD_ROWS][RT_LCD_COLS + 1];
    int w = 2 * GLASS_PAD + RT_LCD_COLS * CELL_W;
    int h = 2 * GLASS_PAD + RT_LCD_ROWS * CELL_H;

    fill(s, LCD_X - 8, LCD_Y - 8, w + 16, h + 16, C_BEZEL);
    fill(s, LCD_X, LCD_Y, w, h, lit ? C_GLASS : C_GLASS_DIM);
    if (!rt_board_lcd(b, rows))
        return;
    for (unsigned r = 0; r < RT_LCD_ROWS; r++)
        for (unsigned c = 0; c < RT_LCD_COLS; c++)
            for (int dy = 0; dy < 8; dy++)
                for (int dx = 0; dx < 5; dx++) {
                    int x, y;
                    dot_origin(c, r, dx, dy, &x, &y);
                    uint32_t col = dot_lit((unsigned char)rows[r][c], dy, dx)
                                       ? C_INK
                                       : (lit ? C_DOT_OFF : C_DOT_OFF_DIM);
                    fill(s, x, y, RT_DOT, RT_DOT, col);
                }
}

static void draw_leds(SDL_Surface *s, rt_board_t *b)
{
    for (unsigned i = 0; i < b->nleds; i++) {
        int level = 0;
        const char *name = rt_board_led(b, i, &level);
        int x = LCD_X + (int)i * 110;
        fill(s, x, LED_Y, 14, 14, level ? 0xffd23f : 0x4a4026);
        frame(s, x, LED_Y, 14, 14, 0x000000);
        tl_text(s, x + 20, LED_Y + 3, name, C_TEXT);
    }
}

static void draw_button(SDL_Surface *s, rt_board_t *b)
{
    if (b->button == NULL)
        return;
    fill(s, BTN_X, PAD_Y, BTN_W, BTN_H, 0x222222);
    int inset = b->pressed ? 14 : 8;
    fill(s, BTN_X + inset, PAD_Y + inset, BTN_W - 2 * inset, BTN_H - 2 * inset,
         b->pressed ? 0x8a1c1c : 0xc62828);
    tl_text(s, BTN_X, PAD_Y + BTN_H + 6, "button (click,", C_TEXT);
    tl_text(s, BTN_X, PAD_Y + BTN_H + 16, "hold: long press)", C_TEXT);
}

static void key_rect(int i, int *x, int *y)
{
    *x = KEY_X + (i % 3) * (KEY_W + 8);
    *y = PAD_Y + (i / 3) * (KEY_H + 6);
}

static void draw_keypad(SDL_Surface *s, rt_board_t *b, int key_down)
{
    if (b->remote == NULL)
        return;
    tl_text(s, KEY_X, PAD_Y - 14, "IR remote (NEC)", C_TEXT);
    for (int i = 0; i < RT_NKEYS; i++) {
        int x, y;
        key_rect(i, &x, &y);
        fill(s, x, y, KEY_W, KEY_H, i == key_down ? 0x5c6bc0 : 0x3a3f4b);
        frame(s, x, y, KEY_W, KEY_H, 0x9aa0ad);
        tl_text(s, x + KEY_W / 2 - 3, y + KEY_H / 2 - 4, key_labels[i], C_TEXT);
    }
}

/* The app's latest events (trace notes, by name, with their two
 * arguments as the glue gave them, signed), newest on top. */
static void draw_notes(SDL_Surface *s, const rt_board_t *b)
{
    char line[64];
    tl_text(s, BTN_X, NOTES_Y, "app events:", C_TEXT);
    for (unsigned i = 0; i < RT_NOTES && i < b->nnotes; i++) {
        const rt_note_t *n = &b->notes[i];
        snprintf(line, sizeof line, "%8.3f s %s %d %d",
                 (double)n->t_ns / 1e9, n->name, (int)(int32_t)n->arg,
                 (int)(int32_t)n->arg2);
        line[NOTES_W / TL_FONT_W] = '\0';
        tl_text(s, BTN_X, NOTES_Y + 10 * (int)(i + 1), line,
                i == 0 ? 0xffd23f : C_TEXT);
    }
}

void rt_draw(SDL_Surface *s, rt_board_t *b, const char *title, int key_down)
{
    char line[96];
    int lit = 1;
    if (b->nleds > 0 && strcmp(b->leds[0], "backlight") == 0)
        rt_board_led(b, 0, &lit);
    fill(s, 0, 0, s->w, s->h, C_BG);
    fill(s, 12, 26, s->w - 24, s->h - 38, C_PCB);
    snprintf(line, sizeof line, "%s   t = %.3f s", title,
             (double)rt_board_now(b) / 1e9);
    tl_text(s, 12, 8, line, C_TEXT);
    draw_lcd(s, b, lit != 0);
    draw_leds(s, b);
    draw_button(s, b);
    draw_keypad(s, b, key_down);
    draw_notes(s, b);
}

int rt_draw_hit(int x, int y)
{
    if (x >= BTN_X && x < BTN_X + BTN_W && y >= PAD_Y && y < PAD_Y + BTN_H)
        return RT_HIT_BUTTON;
    for (int i = 0; i < RT_NKEYS; i++) {
        int kx, ky;
        key_rect(i, &kx, &ky);
        if (x >= kx && x < kx + KEY_W && y >= ky && y < ky + KEY_H)
            return i;
    }
    return RT_HIT_NONE;
}

static uint32_t pixel(SDL_Surface *s, int x, int y)
{
    Uint8 r, g, bl;
    Uint32 p = *(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4);
    SDL_GetRGB(p, s->format, &r, &g, &bl);
    return (uint32_t)r << 16 | (uint32_t)g << 8 | bl;
}

int rt_draw_lcd_mismatches(SDL_Surface *s, unsigned row, const char *text)
{
    int bad = 0;
    size_t len = strlen(text);
    if (SDL_MUSTLOCK(s))
        SDL_LockSurface(s);
    for (unsigned c = 0; c < RT_LCD_COLS; c++) {
        int ch = c < len ? (unsigned char)text[c] : ' ';
        bool ok = true;
        for (int dy = 0; dy < 8 && ok; dy++)
            for (int dx = 0; dx < 5 && ok; dx++) {
                int x, y;
                dot_origin(c, row, dx, dy, &x, &y);
                bool ink = pixel(s, x + RT_DOT / 2, y + RT_DOT / 2) == C_INK;
                ok = ink == dot_lit(ch, dy, dx);
            }
        bad += !ok;
    }
    if (SDL_MUSTLOCK(s))
        SDL_UnlockSurface(s);
    return bad;
}
