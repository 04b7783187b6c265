/*
 * draw.c: clipped drawing primitives (ui_draw.h). Box lines are written as
 * explicit characters (Unicode box drawing, or "-|+" in ASCII mode) rather
 * than through the alternate character set, so screen dumps read back the
 * characters the user sees.
 */
#include <string.h>

#include "opsdeck/ui_draw.h"
#include "opsdeck/ui_text.h"

#define DRAW_LINE_MAX 2048

struct canvas canvas_sub(const struct canvas *c, struct rect sub)
{
	struct canvas out = *c;
	int y0 = c->r.y + sub.y, x0 = c->r.x + sub.x;
	int y1 = y0 + sub.h, x1 = x0 + sub.w;

	if (y0 < c->r.y)
		y0 = c->r.y;
	if (x0 < c->r.x)
		x0 = c->r.x;
	if (y1 > c->r.y + c->r.h)
		y1 = c->r.y + c->r.h;
	if (x1 > c->r.x + c->r.w)
		x1 = c->r.x + c->r.w;
	out.r.y = y0;
	out.r.x = x0;
	out.r.h = y1 > y0 ? y1 - y0 : 0;
	out.r.w = x1 > x0 ? x1 - x0 : 0;
	return out;
}

int canvas_attr(const struct canvas *c, enum theme_element el)
{
	return c->pal ? palette_attr(c->pal, el) : (int)A_NORMAL;
}

int draw_text(const struct canvas *c, int y, int x, const char *s, int width, int attr)
{
	char buf[DRAW_LINE_MAX];
	int room, used;

	if (y < 0 || y >= c->r.h || x < 0 || x >= c->r.w)
		return 0;
	room = c->r.w - x;
	if (width <= 0 || width > room)
		width = room;
	used = text_fit(buf, sizeof(buf), s, width, c->ascii);
	wattrset(c->win, attr);
	mvwaddstr(c->win, c->r.y + y, c->r.x + x, buf);
	wattrset(c->win, A_NORMAL);
	return used;
}

int draw_text_pad(const struct canvas *c, int y, int x, const char *s, int width, int attr)
{
	int room, used;

	if (y < 0 || y >= c->r.h || x < 0 || x >= c->r.w)
		return 0;
	room = c->r.w - x;
	if (width <= 0 || width > room)
		width = room;
	used = draw_text(c, y, x, s, width, attr);
	if (used < width) {
		wattrset(c->win, attr);
		mvwhline(c->win, c->r.y + y, c->r.x + x + used, ' ', width - used);
		wattrset(c->win, A_NORMAL);
	}
	return width;
}

void draw_fill_row(const struct canvas *c, int y, int attr)
{
	if (y < 0 || y >= c->r.h || c->r.w <= 0)
		return;
	wattrset(c->win, attr);
	mvwhline(c->win, c->r.y + y, c->r.x, ' ', c->r.w);
	wattrset(c->win, A_NORMAL);
}

void draw_clear(const struct canvas *c, int attr)
{
	for (int y = 0; y < c->r.h; y++)
		draw_fill_row(c, y, attr);
}

static void put_repeat(const struct canvas *c, int y, int x, const char *ch, int n)
{
	for (int i = 0; i < n; i++)
		mvwaddstr(c->win, c->r.y + y, c->r.x + x + i, ch);
}

void draw_box(const struct canvas *c, const char *title, int border_attr, int title_attr)
{
	const char *h = c->ascii ? "-" : "\xE2\x94\x80", *v = c->ascii ? "|" : "\xE2\x94\x82";
	const char *tl = c->ascii ? "+" : "\xE2\x94\x8C", *tr = c->ascii ? "+" : "\xE2\x94\x90";
	const char *bl = c->ascii ? "+" : "\xE2\x94\x94", *br = c->ascii ? "+" : "\xE2\x94\x98";
	int w = c->r.w, hgt = c->r.h;

	if (w < 2 || hgt < 2)
		return;
	wattrset(c->win, border_attr);
	mvwaddstr(c->win, c->r.y, c->r.x, tl);
	put_repeat(c, 0, 1, h, w - 2);
	mvwaddstr(c->win, c->r.y, c->r.x + w - 1, tr);
	for (int y = 1; y < hgt - 1; y++) {
		mvwaddstr(c->win, c->r.y + y, c->r.x, v);
		mvwaddstr(c->win, c->r.y + y, c->r.x + w - 1, v);
	}
	mvwaddstr(c->win, c->r.y + hgt - 1, c->r.x, bl);
	put_repeat(c, hgt - 1, 1, h, w - 2);
	mvwaddstr(c->win, c->r.y + hgt - 1, c->r.x + w - 1, br);
	wattrset(c->win, A_NORMAL);
	/* " Title " sits in the top border, leaving the corners alone. */
	if (title && *title && w > 4) {
		char t[256];

		snprintf(t, sizeof(t), " %s ", title);
		draw_text(c, 0, 2, t, w - 4, title_attr);
	}
}
