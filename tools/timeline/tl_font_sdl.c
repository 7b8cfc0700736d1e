/*
 * The font on SDL surfaces (see tl_font.h): the pixels of a 32-bit SDL
 * surface seen as a tl_surface_t, the colour mapped to its format.  Apart
 * from tl_font.c so that programs which draw no text on SDL surfaces
 * (uasync-png) do not link SDL.
 */
#include <SDL.h>

#include "tl_font.h"

int tl_text_sdl(SDL_Surface *s, int x, int y, const char *text, uint32_t rgb)
{
    if (s->format->BytesPerPixel != 4)
        return 0;
    tl_surface_t view = {.w = s->w, .h = s->h, .pitch = s->pitch / 4,
                         .pixels = s->pixels};
    uint32_t px = SDL_MapRGB(s->format, (uint8_t)(rgb >> 16),
                             (uint8_t)(rgb >> 8), (uint8_t)rgb);
    return tl__text_value(&view, x, y, text, px);
}
