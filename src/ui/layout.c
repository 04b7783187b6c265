/*
 * layout.c: screen layout arithmetic (ui_layout.h).
 */
#include <string.h>

#include "opsdeck/ui_layout.h"

bool rect_is_empty(struct rect r)
{
	return r.h <= 0 || r.w <= 0;
}

bool rect_contains(struct rect o, struct rect i)
{
	if (rect_is_empty(i))
		return true;
	return i.y >= o.y && i.x >= o.x && i.y + i.h <= o.y + o.h && i.x + i.w <= o.x + o.w;
}

bool rect_overlaps(struct rect a, struct rect b)
{
	if (rect_is_empty(a) || rect_is_empty(b))
		return false;
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

struct rect rect_inner(struct rect r)
{
	struct rect in = { r.y + 1, r.x + 1, r.h - 2, r.w - 2 };

	if (in.h < 0)
		in.h = 0;
	if (in.w < 0)
		in.w = 0;
	return in;
}

static struct rect mk(int y, int x, int h, int w)
{
	struct rect r = { y, x, h, w };

	return r;
}

void layout_compute(struct layout *l, int cols, int rows, int focus, bool zoomed)
{
	int body_y = 1, body_h;

	memset(l, 0, sizeof(*l));
	l->cols = cols;
	l->rows = rows;
	if (focus < 0 || focus >= LAYOUT_PANES)
		focus = 0;
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
		l->mode = LAYOUT_TOO_SMALL;
		return;
	}
	l->status = mk(0, 0, 1, cols);
	l->bottom = mk(rows - 1, 0, 1, cols);
	body_h = rows - 2;
	if (zoomed) {
		l->mode = LAYOUT_ZOOM;
		l->pane[focus] = mk(body_y, 0, body_h, cols);
		return;
	}
	if (cols < LAYOUT_GRID_MIN_COLS || rows < LAYOUT_GRID_MIN_ROWS ||
	    focus >= LAYOUT_GRID_PANES) {
		l->mode = LAYOUT_SINGLE;
		l->tabs = mk(body_y, 0, 1, cols);
		l->pane[focus] = mk(body_y + 1, 0, body_h - 1, cols);
		return;
	}
	/* Pods gets the most room: three fifths of the width and of the height. */
	int top_h = body_h * 3 / 5, left_w = cols * 3 / 5;

	l->mode = LAYOUT_GRID;
	l->pane[0] = mk(body_y, 0, top_h, left_w);
	l->pane[1] = mk(body_y, left_w, top_h, cols - left_w);
	l->pane[2] = mk(body_y + top_h, 0, body_h - top_h, left_w);
	l->pane[3] = mk(body_y + top_h, left_w, body_h - top_h, cols - left_w);
}
