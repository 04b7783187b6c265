/*
 * chart.c: the line-chart renderer (ui_chart.h). Pure arithmetic on a cell
 * grid: values to dots, dots to braille bits or ASCII glyphs, lines drawn
 * with Bresenham between consecutive points so a spike is never skipped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_chart.h"

/* Braille dot bits by (column, row) inside a cell. */
static const uint8_t braille_bit[2][4] = {
	{ 0x01, 0x02, 0x04, 0x40 },
	{ 0x08, 0x10, 0x20, 0x80 },
};

enum od_status chart_init(struct chart *c, int w, int h, bool ascii, struct err *e)
{
	memset(c, 0, sizeof(*c));
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w > CHART_MAX_W)
		w = CHART_MAX_W;
	if (h > CHART_MAX_H)
		h = CHART_MAX_H;
	c->cells = calloc((size_t)w * (size_t)h, sizeof(*c->cells));
	c->marks = calloc((size_t)w, 1);
	if (!c->cells || !c->marks) {
		chart_fini(c);
		return err_set(e, OD_ENOMEM, "out of memory for a %dx%d chart", w, h);
	}
	c->w = w;
	c->h = h;
	c->ascii = ascii;
	c->t1 = 1;
	c->vmax = 1;
	return OD_OK;
}

void chart_fini(struct chart *c)
{
	free(c->cells);
	free(c->marks);
	c->cells = NULL;
	c->marks = NULL;
	c->w = c->h = 0;
}

void chart_clear(struct chart *c)
{
	if (!c->cells)
		return;
	memset(c->cells, 0, (size_t)c->w * (size_t)c->h * sizeof(*c->cells));
	memset(c->marks, 0, (size_t)c->w);
}

int chart_dots_w(const struct chart *c)
{
	return c->ascii ? c->w : 2 * c->w;
}

int chart_dots_h(const struct chart *c)
{
	return c->ascii ? 3 * c->h : 4 * c->h;
}

void chart_set_dot(struct chart *c, int x, int y)
{
	struct chart_cell *cell;

	if (x < 0 || y < 0 || x >= chart_dots_w(c) || y >= chart_dots_h(c))
		return;
	if (c->ascii) {
		cell = &c->cells[(size_t)(y / 3) * (size_t)c->w + (size_t)x];
		cell->dots |= (uint8_t)(1u << (y % 3));
		return;
	}
	cell = &c->cells[(size_t)(y / 4) * (size_t)c->w + (size_t)(x / 2)];
	cell->dots |= braille_bit[x % 2][y % 4];
}

static double span_v(const struct chart *c)
{
	double s = c->vmax - c->vmin;

	return s > 0 ? s : 1;
}

/* Dot column of time t; may fall outside the grid. */
static int dot_x(const struct chart *c, int64_t t)
{
	int64_t span = c->t1 > c->t0 ? c->t1 - c->t0 : 1;

	return (int)floor((double)(t - c->t0) * chart_dots_w(c) / (double)span);
}

/* Dot row of value v, clamped to the grid so an off-scale value still shows at the edge. */
static int dot_y(const struct chart *c, double v)
{
	int dh = chart_dots_h(c);
	double f = (v - c->vmin) / span_v(c);
	int y = (dh - 1) - (int)lround(f * (dh - 1));

	if (y < 0)
		y = 0;
	if (y >= dh)
		y = dh - 1;
	return y;
}

void chart_draw_band(struct chart *c, double lo, double hi)
{
	double span = span_v(c);

	if (hi < lo)
		return;
	for (int y = 0; y < c->h; y++) {
		/* Row y covers [bottom, top] of the value span. */
		double top = c->vmin + span * (double)(c->h - y) / c->h;
		double bottom = c->vmin + span * (double)(c->h - 1 - y) / c->h;

		if (hi < bottom || lo > top)
			continue;
		for (int x = 0; x < c->w; x++)
			c->cells[(size_t)y * (size_t)c->w + (size_t)x].band = true;
	}
}

static void draw_segment(struct chart *c, int x0, int y0, int x1, int y1)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int err = dx + dy;

	for (;;) {
		chart_set_dot(c, x0, y0);
		if (x0 == x1 && y0 == y1)
			return;
		int e2 = 2 * err;

		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

void chart_draw_line(struct chart *c, const int64_t *t, const double *v, size_t n,
		     int64_t max_gap)
{
	int dw = chart_dots_w(c);
	bool have_prev = false;
	int px = 0, py = 0;
	int64_t pt = 0;

	for (size_t i = 0; i < n; i++) {
		int x = dot_x(c, t[i]), y = dot_y(c, v[i]);

		if (isnan(v[i])) {
			have_prev = false;
			continue;
		}
		if (x < 0 || x >= dw) {
			/* Outside the window: keep it as the previous point so the line enters
			 * from the edge, but clip the segment to the grid. */
			if (x < 0) {
				px = -1;
				py = y;
				pt = t[i];
				have_prev = true;
			}
			continue;
		}
		if (have_prev && (max_gap <= 0 || t[i] - pt <= max_gap))
			draw_segment(c, px < 0 ? 0 : px, py, x, y);
		else
			chart_set_dot(c, x, y);
		px = x;
		py = y;
		pt = t[i];
		have_prev = true;
	}
}

void chart_mark(struct chart *c, int64_t t, enum chart_marker kind)
{
	int64_t span = c->t1 > c->t0 ? c->t1 - c->t0 : 1;
	int x;

	if (t < c->t0 || t >= c->t1)
		return;
	x = (int)((double)(t - c->t0) * c->w / (double)span);
	if (x >= c->w)
		x = c->w - 1;
	if (c->marks[x] < (uint8_t)kind)
		c->marks[x] = (uint8_t)kind;
}

enum chart_role chart_cell_role(const struct chart *c, int x, int y)
{
	const struct chart_cell *cell;

	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return CHART_ROLE_EMPTY;
	cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
	if (cell->dots)
		return CHART_ROLE_LINE;
	return cell->band ? CHART_ROLE_BAND : CHART_ROLE_EMPTY;
}

static char ascii_glyph(uint8_t dots)
{
	switch (dots) {
	case 0x1:
		return '\'';
	case 0x2:
		return '-';
	case 0x4:
		return '_';
	default:
		return '|';
	}
}

void chart_cell_glyph(const struct chart *c, int x, int y, char out[8])
{
	const struct chart_cell *cell;
	unsigned cp;

	out[0] = ' ';
	out[1] = '\0';
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return;
	cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
	if (!cell->dots) {
		if (cell->band && c->ascii)
			out[0] = '.';
		return;
	}
	if (c->ascii) {
		out[0] = ascii_glyph(cell->dots);
		return;
	}
	/* U+2800 + bits, as three UTF-8 bytes. */
	cp = 0x2800u + cell->dots;
	out[0] = (char)(0xE0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	out[3] = '\0';
}

char chart_marker_glyph(const struct chart *c, int x)
{
	static const char glyph[] = { ' ', '^', '*', '!' };

	if (x < 0 || x >= c->w || c->marks[x] >= sizeof(glyph))
		return ' ';
	return glyph[c->marks[x]];
}

void chart_row_text(const struct chart *c, int y, char *out, size_t n)
{
	size_t o = 0;

	if (!n)
		return;
	for (int x = 0; x < c->w; x++) {
		char g[8];
		size_t l;

		if (y == c->h) {
			g[0] = chart_marker_glyph(c, x);
			g[1] = '\0';
		} else {
			chart_cell_glyph(c, x, y, g);
		}
		l = strlen(g);
		if (o + l >= n)
			break;
		memcpy(out + o, g, l);
		o += l;
	}
	out[o] = '\0';
}

double chart_nice_ceil(double v)
{
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	double mag;

	if (!(v > 0))
		return 1;
	mag = pow(10, floor(log10(v)));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * mag >= v * (1 - 1e-12))
			return steps[i] * mag;
	return 10 * mag;
}
