/*
 * ui_chart.h: line charts rendered into a grid of cells, with no curses in
 * sight, so the renderer is unit-tested cell by cell.
 *
 * A chart maps points (t, v) over [t0, t1) x [vmin, vmax] onto w x h cells.
 * In braille mode each cell holds 2x4 dots (U+2800 + dot bits), so a 60x8
 * chart draws 120x32 dots; in ASCII mode each cell is 1x3 dots drawn as
 * '\'', '-' or '_' by where the line falls inside the cell ('|' when it
 * crosses several). A band (the profile's expected range) is a cell role,
 * and markers sit on their own axis row under the chart; the pane turns
 * roles into theme colours (band.expected, marker.restart, ...).
 */
#ifndef OPSDECK_UI_CHART_H
#define OPSDECK_UI_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

/* Hard caps: a chart never allocates more than this many cells. */
#define CHART_MAX_W 1024
#define CHART_MAX_H 256

enum chart_role {
	CHART_ROLE_EMPTY,    /* blank */
	CHART_ROLE_BAND,     /* inside the expected range, no line */
	CHART_ROLE_LINE      /* the series (drawn over the band) */
};

/* Marker kinds, in the order they win a shared column (an event beats a restart). */
enum chart_marker { CHART_MARK_NONE, CHART_MARK_RESTART, CHART_MARK_ACTION, CHART_MARK_EVENT };

struct chart_cell {
	uint8_t dots;        /* braille: ISO 11548 bits (0x01 top-left ... 0x80 bottom-right);
				ASCII: 0x1 top, 0x2 middle, 0x4 bottom */
	bool band;           /* inside the expected range */
};

struct chart {
	int w, h;                  /* cells */
	bool ascii;                /* 1x3 dots per cell drawn with ASCII instead of 2x4 braille */
	int64_t t0, t1;            /* time span shown, [t0, t1) */
	double vmin, vmax;         /* value span shown */
	struct chart_cell *cells;  /* owned: w*h, row-major, row 0 at the top */
	uint8_t *marks;            /* owned: w, enum chart_marker per column */
};

/* Allocates a w x h grid (clamped to the caps); cells start empty. */
enum od_status chart_init(struct chart *c, int w, int h, bool ascii, struct err *e);
void chart_fini(struct chart *c);
/* Empties every cell, keeps the size and spans. */
void chart_clear(struct chart *c);

/* Dots across and down: 2w x 4h in braille, w x 3h in ASCII. */
int chart_dots_w(const struct chart *c);
int chart_dots_h(const struct chart *c);

/* Sets one dot (x from the left, y from the top); outside the grid is ignored. */
void chart_set_dot(struct chart *c, int x, int y);

/* Marks the cells whose value range lies inside [lo, hi] as band (under any line). */
void chart_draw_band(struct chart *c, double lo, double hi);

/*
 * Draws the series as a connected line: n points sorted by t; points outside
 * [t0, t1) are clipped; gaps longer than max_gap seconds (0: never) break it.
 */
void chart_draw_line(struct chart *c, const int64_t *t, const double *v, size_t n,
		     int64_t max_gap);

/* Marks time t on the axis row (the higher kind wins a shared column). */
void chart_mark(struct chart *c, int64_t t, enum chart_marker kind);

/* What cell (x, y) shows: line, band or nothing. */
enum chart_role chart_cell_role(const struct chart *c, int x, int y);

/*
 * The glyph of cell (x, y) as UTF-8: braille, or the ASCII character. Band
 * cells without dots are a blank in braille and '.' in ASCII. out[8].
 */
void chart_cell_glyph(const struct chart *c, int x, int y, char out[8]);

/* The axis row's character at column x: ' ', '^' restart, '*' action, '!' event. */
char chart_marker_glyph(const struct chart *c, int x);

/*
 * Row y as text (UTF-8), y == h giving the marker row; for tests and dumps.
 * Cut to fit n.
 */
void chart_row_text(const struct chart *c, int y, char *out, size_t n);

/* A "nice" upper bound for an axis (1, 2, 2.5, 5 x 10^k) not below v. */
double chart_nice_ceil(double v);

#endif
