/*
 * ui_draw.h: drawing that cannot leave its box. Panes draw through a canvas
 * (a rectangle of the screen); every call clips to it and cuts text with an
 * ellipsis, so no pane ever writes outside its rectangle.
 */
#ifndef OPSDECK_UI_DRAW_H
#define OPSDECK_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>

#include "opsdeck/ui_layout.h"
#include "opsdeck/ui_palette.h"

struct canvas {
	WINDOW *win;                 /* borrowed; usually stdscr */
	struct rect r;               /* the area this canvas may touch */
	bool ascii;                  /* ASCII-only line drawing and ellipsis */
	const struct palette *pal;   /* borrowed */
};

/* A canvas for the part of c inside sub (coordinates relative to c). */
struct canvas canvas_sub(const struct canvas *c, struct rect sub);

/* The attributes for a theme element. */
int canvas_attr(const struct canvas *c, enum theme_element el);

/*
 * Writes s at (y, x) relative to the canvas, in at most width columns
 * (width <= 0: to the right edge), cut with an ellipsis. Returns columns used.
 */
int draw_text(const struct canvas *c, int y, int x, const char *s, int width, int attr);

/* Like draw_text, then pads with blanks to width columns (so old text disappears). */
int draw_text_pad(const struct canvas *c, int y, int x, const char *s, int width, int attr);

/* Fills the whole canvas (or one row of it) with blanks in attr. */
void draw_clear(const struct canvas *c, int attr);
void draw_fill_row(const struct canvas *c, int y, int attr);

/* A border on the canvas edge with an optional title in the top line. */
void draw_box(const struct canvas *c, const char *title, int border_attr, int title_attr);

#endif
