/*
 * ui_table.h: the table widget. It knows nothing of pods: a model gives it
 * row counts, cell text, cell styles, comparisons and filter matches through
 * struct table_model_ops. The widget keeps a view (the filtered and sorted
 * row indices), the selection and the scroll position, and draws itself
 * inside a canvas, dropping low-priority columns when the box is narrow.
 *
 * table_recalc() runs when the model changed (sort and filter again);
 * table_draw() only paints.
 */
#ifndef OPSDECK_UI_TABLE_H
#define OPSDECK_UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"
#include "opsdeck/ui_draw.h"
#include "opsdeck/ui_keymap.h"

#define TABLE_MAX_COLS 24
#define TABLE_CELL_MAX 320
#define TABLE_FILTER_MAX 128
/* Sort key that is not a column: the model's "trouble first" order. */
#define TABLE_SORT_TROUBLE (-1)

struct table_column {
	const char *title;
	int min_w, max_w;  /* natural width is clamped to these */
	bool right;        /* right-aligned (numbers) */
	int drop;          /* 0: always shown; otherwise higher numbers go first when narrow */
	bool flex;         /* shrinks to min_w before anything is cut */
};

struct table_model_ops {
	size_t (*count)(void *m);
	void (*cell)(void *m, size_t row, int col, char *out, size_t n);
	/* Theme element for a cell (THEME_NORMAL when nothing special). */
	int (*style)(void *m, size_t row, int col);
	/* <0, 0, >0 like strcmp, ascending; key is a column or TABLE_SORT_TROUBLE. */
	int (*compare)(void *m, size_t a, size_t b, int key);
	/* True when row shows under filter ("" when none). NULL: every row shows. */
	bool (*match)(void *m, size_t row, const char *filter);
	/* A stable identity, so the selection follows its row through re-sorts. */
	void (*id)(void *m, size_t row, char *out, size_t n);
	/*
	 * True when match narrows as the filter grows: a row shown under a
	 * filter F+G also shows under F (and so under ""). table_refilter()
	 * then filters what is shown instead of sorting again.
	 */
	bool filter_narrows;
};

struct table {
	const struct table_column *cols;  /* borrowed, ncols entries */
	int ncols;
	const struct table_model_ops *ops; /* borrowed */
	void *model;                       /* borrowed */
	size_t *view;                      /* owned: model rows in display order */
	size_t nview, view_cap;
	size_t sel, top;                   /* positions in view */
	int sort_key;                      /* column, or TABLE_SORT_TROUBLE */
	bool sort_desc;
	int hscroll;                       /* shown columns skipped on the left */
	bool hidden[TABLE_MAX_COLS];       /* columns the model says are pointless now */
	char filter[TABLE_FILTER_MAX];
	char sel_id[TABLE_CELL_MAX];
	int page_rows;                     /* rows of data the last draw had room for */
	/* What table_refilter() reuses; table_recalc() sets them. */
	char view_filter[TABLE_FILTER_MAX]; /* the filter view was made with */
	bool view_valid;                   /* view is sorted by view_key/view_desc */
	int view_key;
	bool view_desc;
	size_t *base;                      /* owned: the rows shown under "", in display order */
	size_t nbase, base_cap;
	bool base_valid;
	size_t sel_row;                    /* model row under the selection (sel_id's row) */
};

void table_init(struct table *t, const struct table_column *cols, int ncols,
		const struct table_model_ops *ops, void *model);
void table_free(struct table *t);

/* Filters and sorts again from the model; the selection stays on its row if it still shows. */
enum od_status table_recalc(struct table *t, struct err *e);

/*
 * For when only the filter changed since the last table_recalc() or
 * table_refilter() (same model rows, same sort): gives the same view and
 * selection as table_recalc() without sorting again. With
 * ops->filter_narrows, a filter that extends the last one filters the rows
 * shown; any other filter filters the kept order of the rows shown under ""
 * (made once, by a sort, when there is none). Without filter_narrows, or
 * when the sort changed, it is table_recalc(). Ids must be unique.
 */
enum od_status table_refilter(struct table *t, struct err *e);

void table_set_filter(struct table *t, const char *filter);
void table_set_sort(struct table *t, int key, bool desc);
/* Moves the selection by delta rows (clamped). */
/* What table_handle_action did with a key. */
enum table_action_result {
	TABLE_ACTION_NONE,      /* not a table key: the pane handles it */
	TABLE_ACTION_MOVED,     /* the selection or page moved */
	TABLE_ACTION_RESORTED   /* the sort changed: the pane's view must be rebuilt */
};

/*
 * The keys every table pane shares: moving, paging, first/last and the sort
 * keys (next/previous column, reverse, trouble first). Panes handle their
 * own keys (open, scroll) only when this returns TABLE_ACTION_NONE.
 */
enum table_action_result table_handle_action(struct table *t, enum action a);

void table_move(struct table *t, long delta);
void table_move_to(struct table *t, size_t pos);
/* The model row under the selection; false when the view is empty. */
bool table_selected(const struct table *t, size_t *row);

/*
 * Decides which columns show and how wide for width columns: widths[i] = 0
 * for a dropped column. rows_from..rows_to (view positions) give natural widths.
 */
void table_layout_columns(const struct table *t, int width, int *widths);

/* Paints header and rows into c. */
void table_draw(struct table *t, const struct canvas *c, bool focused);

#endif
