/*
 * palette.c: theme -> curses attributes and colour pairs (ui_palette.h).
 */
#include <curses.h>
#include <stdlib.h>

#include "opsdeck/ui_palette.h"

/* Approximate RGB of the 16 ANSI colours, as xterm shows them. */
static const unsigned char ansi_rgb[16][3] = {
	{ 0, 0, 0 },       { 205, 0, 0 },     { 0, 205, 0 },     { 205, 205, 0 },
	{ 0, 0, 238 },     { 205, 0, 205 },   { 0, 205, 205 },   { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 },     { 0, 255, 0 },     { 255, 255, 0 },
	{ 92, 92, 255 },   { 255, 0, 255 },   { 0, 255, 255 },   { 255, 255, 255 },
};

static void xterm_rgb(short c, int rgb[3])
{
	static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = ansi_rgb[c][i];
	} else if (c < 232) {
		int v = c - 16;

		rgb[0] = steps[v / 36];
		rgb[1] = steps[(v / 6) % 6];
		rgb[2] = steps[v % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

static short nearest_ansi(short c)
{
	int rgb[3], best = 0;
	long bestd = -1;

	xterm_rgb(c, rgb);
	for (int i = 0; i < 16; i++) {
		long d = 0;

		for (int k = 0; k < 3; k++) {
			long diff = rgb[k] - ansi_rgb[i][k];

			d += diff * diff;
		}
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (short)best;
}

short palette_map_color(short c, int ncolors, bool *bright)
{
	*bright = false;
	if (c < 0)
		return c;
	if (ncolors >= 256)
		return c;
	if (c >= 16)
		c = nearest_ansi(c);
	if (ncolors >= 16)
		return c;
	if (c >= 8) {
		*bright = true;
		c -= 8;
	}
	return c;
}

static int style_attrs(unsigned bits)
{
	int a = A_NORMAL;

	if (bits & THEME_ATTR_BOLD)
		a |= A_BOLD;
	if (bits & THEME_ATTR_DIM)
		a |= A_DIM;
	if (bits & THEME_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & THEME_ATTR_REVERSE)
		a |= A_REVERSE;
#ifdef A_ITALIC
	if (bits & THEME_ATTR_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

void palette_build(struct palette *p, const struct theme *t, int ncolors, bool default_colors)
{
	p->colors = ncolors;
	for (int el = 0; el < THEME_ELEMENT_COUNT; el++) {
		struct theme_style st = theme_style(t, (enum theme_element)el);
		int a = style_attrs(st.attrs);
		bool fg_bright, bg_bright;
		short fg, bg;

		if (ncolors <= 0) {
			/* Without colour a background can only be shown as reverse video. */
			if (st.bg != THEME_COLOR_DEFAULT && !(st.attrs & THEME_ATTR_REVERSE))
				a |= A_REVERSE;
			p->attr[el] = a;
			continue;
		}
		fg = palette_map_color(st.fg, ncolors, &fg_bright);
		bg = palette_map_color(st.bg, ncolors, &bg_bright);
		if (fg_bright)
			a |= A_BOLD;
		if (!default_colors) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		init_pair((short)(el + 1), fg, bg);
		p->attr[el] = a | (int)COLOR_PAIR(el + 1);
	}
}

int palette_attr(const struct palette *p, enum theme_element el)
{
	if ((int)el < 0 || el >= THEME_ELEMENT_COUNT)
		return A_NORMAL;
	return p->attr[el];
}
