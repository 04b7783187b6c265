/*
 * ui_palette.h: a theme made real on the terminal at hand. Colours the
 * terminal cannot show are mapped down (256 -> 16 -> 8 colours, bright
 * colours to bold), and without colour (NO_COLOR, a monochrome terminal)
 * only attributes remain, with reverse video for anything that had a
 * background, so the status bar and the selection stay visible.
 */
#ifndef OPSDECK_UI_PALETTE_H
#define OPSDECK_UI_PALETTE_H

#include <stdbool.h>

#include "opsdeck/ui_theme.h"

struct palette {
	int attr[THEME_ELEMENT_COUNT]; /* curses attributes incl. COLOR_PAIR, per element */
	int colors;                     /* colours in use: 0 (mono), 8, 16 or 256 */
};

/*
 * Maps colour c (0-255 or THEME_COLOR_DEFAULT) to a terminal with ncolors
 * colours (8, 16, 256). *bright is set when an 8-colour terminal needs bold
 * to approximate a bright foreground.
 */
short palette_map_color(short c, int ncolors, bool *bright);

/*
 * Fills p from t for a terminal with ncolors colours (0 = monochrome) and
 * initialises curses colour pairs 1..THEME_ELEMENT_COUNT when ncolors > 0.
 * Needs an active curses screen when ncolors > 0.
 */
void palette_build(struct palette *p, const struct theme *t, int ncolors, bool default_colors);

/* The attributes for el. */
int palette_attr(const struct palette *p, enum theme_element el);

#endif
