/*
 * ui_pane.h: the pane interface. Each pane is one file under src/ui/
 * (pane_pods.c, pane_checklist.c, help.c) exporting a const struct pane_ops; its
 * state lives behind pane->state, allocated by init and freed by fini.
 *
 * recalc runs when the pane's model changed (needs_recalc says so); draw
 * only paints, into a canvas that is the inside of the pane's box, and runs
 * only when the pane is dirty.
 */
#ifndef OPSDECK_UI_PANE_H
#define OPSDECK_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"
#include "opsdeck/ui_draw.h"
#include "opsdeck/ui_keymap.h"
#include "opsdeck/ui_layout.h"

struct app;
struct pane;

struct pane_ops {
	const char *name;   /* "pods": used by commands and tests */
	const char *title;  /* "Pods": shown in the border and the tab strip */
	enum od_status (*init)(struct pane *p, struct err *e);
	void (*fini)(struct pane *p);
	/* True when the model changed since the last recalc. May be NULL. */
	bool (*needs_recalc)(struct pane *p);
	enum od_status (*recalc)(struct pane *p, struct err *e);  /* may be NULL */
	void (*draw)(struct pane *p, const struct canvas *c, bool focused);
	/* Handles a key action; true when it did (the pane marks itself dirty). May be NULL. */
	bool (*action)(struct pane *p, enum action a);
	/*
	 * Sees a key as typed before the keymap does; true when it took it (a
	 * prompt the pane is editing, such as a checklist note). May be NULL.
	 */
	bool (*key)(struct pane *p, int key);
	/* Applies a filter typed after '/'; NULL when the pane cannot filter. */
	void (*filter)(struct pane *p, const char *text);
	/* Sorts by a column named by the user; false when there is none. May be NULL. */
	bool (*sort_by)(struct pane *p, const char *column, struct err *e);
	/* Extra words for the title ("12/40", "filter: web"). May be NULL. */
	void (*title_info)(struct pane *p, char *out, size_t n);
	/* The selected item in full ("matrix/postgres-0") for the bottom line. May be NULL. */
	void (*selection)(struct pane *p, char *out, size_t n);
};

struct pane {
	const struct pane_ops *ops;  /* borrowed: a static table */
	void *state;                 /* owned through ops->init/fini */
	struct app *app;             /* borrowed back pointer */
	int index;                   /* 0-based position; the number key is index + 1 */
	bool dirty;                  /* must repaint */
};

enum od_status pane_init(struct pane *p, const struct pane_ops *ops, struct app *app, int index,
			 struct err *e);
void pane_fini(struct pane *p);

/* Draws the border and title, then the pane's content inside it. */
void pane_paint(struct pane *p, const struct canvas *screen, struct rect box, bool focused);

#endif
