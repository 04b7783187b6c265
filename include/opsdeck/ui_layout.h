/*
 * ui_layout.h: where everything goes on the screen, as pure arithmetic so
 * that it can be tested at any size without a terminal.
 *
 *   row 0            status bar
 *   row 1            tab strip (single-pane mode only)
 *   rows ...         panes: a 2x2 grid of Pods, Trends, Logs, Checklist at
 *                    100x30 and above; otherwise one pane at a time
 *   last row         message and command line
 *
 * Events and Nodes (panes 5 and 6) are shown one at a time with the tab
 * strip, as is any pane below 100x30. A zoomed pane takes the whole body.
 */
#ifndef OPSDECK_UI_LAYOUT_H
#define OPSDECK_UI_LAYOUT_H

#include <stdbool.h>

struct rect {
	int y, x, h, w;
};

enum {
	LAYOUT_PANES = 6,      /* Pods, Trends, Logs, Checklist, Events, Nodes */
	LAYOUT_GRID_PANES = 4, /* the first four share the screen in the grid */
	LAYOUT_GRID_MIN_COLS = 100,
	LAYOUT_GRID_MIN_ROWS = 30,
	LAYOUT_MIN_COLS = 20,  /* below this only "terminal too small" is shown */
	LAYOUT_MIN_ROWS = 6
};

enum layout_mode { LAYOUT_GRID, LAYOUT_SINGLE, LAYOUT_ZOOM, LAYOUT_TOO_SMALL };

struct layout {
	enum layout_mode mode;
	int cols, rows;
	struct rect status;
	struct rect tabs;                 /* h == 0 when there is no tab strip */
	struct rect bottom;
	struct rect pane[LAYOUT_PANES];   /* h == 0 for panes not shown */
};

/* Lays out a cols x rows screen with pane focus focused, zoomed or not. */
void layout_compute(struct layout *l, int cols, int rows, int focus, bool zoomed);

bool rect_is_empty(struct rect r);
/* True when inner lies entirely within outer (empty rects are inside anything). */
bool rect_contains(struct rect outer, struct rect inner);
bool rect_overlaps(struct rect a, struct rect b);
/* The inside of a box drawn on r's edge. */
struct rect rect_inner(struct rect r);

#endif
