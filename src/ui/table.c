/*
 * table.c: the table widget (ui_table.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_table.h"
#include "opsdeck/ui_text.h"

#define TABLE_GAP 1

void table_init(struct table *t, const struct table_column *cols, int ncols,
		const struct table_model_ops *ops, void *model)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols > TABLE_MAX_COLS ? TABLE_MAX_COLS : ncols;
	t->ops = ops;
	t->model = model;
	t->sort_key = 0;
}

void table_free(struct table *t)
{
	free(t->view);
	t->view = NULL;
	t->nview = t->view_cap = 0;
	free(t->base);
	t->base = NULL;
	t->nbase = t->base_cap = 0;
	t->base_valid = t->view_valid = false;
}

static int cmp_view(const void *a, const void *b, void *arg)
{
	const struct table *t = arg;
	size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
	int c = t->ops->compare(t->model, ra, rb, t->sort_key);

	if (t->sort_desc)
		c = -c;
	if (c == 0) /* keep the model's order among equals: stable on every platform */
		c = ra < rb ? -1 : ra > rb;
	return c;
}

static void remember_selection(struct table *t)
{
	size_t row;

	t->sel_id[0] = '\0';
	if (t->ops->id && table_selected(t, &row)) {
		t->ops->id(t->model, row, t->sel_id, sizeof(t->sel_id));
		t->sel_row = row;
	}
}

/* Room for n row indices in *v (capacity *cap). */
static enum od_status reserve(size_t **v, size_t *cap, size_t n, struct err *e)
{
	size_t *nv;

	if (n <= *cap)
		return OD_OK;
	nv = realloc(*v, n * sizeof(*nv));
	if (!nv)
		return err_set(e, OD_ENOMEM, "out of memory");
	*v = nv;
	*cap = n;
	return OD_OK;
}

/* The view was just made from t->filter: note what table_refilter() may reuse. */
static enum od_status view_made(struct table *t, struct err *e)
{
	snprintf(t->view_filter, sizeof(t->view_filter), "%s", t->filter);
	t->view_key = t->sort_key;
	t->view_desc = t->sort_desc;
	t->view_valid = true;
	if (!t->filter[0] && t->ops->filter_narrows && !t->base_valid) {
		if (reserve(&t->base, &t->base_cap, t->nview, e) != OD_OK)
			return OD_ENOMEM;
		if (t->nview)  /* an empty view may have no array at all */
			memcpy(t->base, t->view, t->nview * sizeof(*t->view));
		t->nbase = t->nview;
		t->base_valid = true;
	}
	return OD_OK;
}

enum od_status table_recalc(struct table *t, struct err *e)
{
	size_t n = t->ops->count(t->model), k = 0;
	char id[TABLE_CELL_MAX];

	remember_selection(t);
	t->view_valid = t->base_valid = false;
	if (reserve(&t->view, &t->view_cap, n, e) != OD_OK)
		return OD_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!t->ops->match || t->ops->match(t->model, i, t->filter))
			t->view[k++] = i;
	t->nview = k;
	if (k > 1 && t->ops->compare)
		qsort_r(t->view, k, sizeof(*t->view), cmp_view, t);
	/* Find the row that was selected; if it went away, keep the position. */
	if (t->sel_id[0] && t->ops->id) {
		for (size_t i = 0; i < k; i++) {
			t->ops->id(t->model, t->view[i], id, sizeof(id));
			if (strcmp(id, t->sel_id) == 0) {
				t->sel = i;
				break;
			}
		}
	}
	if (t->sel >= k)
		t->sel = k ? k - 1 : 0;
	return view_made(t, e);
}

/* The rows shown under "" in display order, sorted once. */
static enum od_status make_base(struct table *t, struct err *e)
{
	size_t n = t->ops->count(t->model), k = 0;

	if (reserve(&t->base, &t->base_cap, n, e) != OD_OK)
		return OD_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (t->ops->match(t->model, i, ""))
			t->base[k++] = i;
	t->nbase = k;
	if (k > 1 && t->ops->compare)
		qsort_r(t->base, k, sizeof(*t->base), cmp_view, t);
	t->base_valid = true;
	return OD_OK;
}

enum od_status table_refilter(struct table *t, struct err *e)
{
	size_t k = 0;
	bool found = false;

	if (!t->ops->match || !t->ops->filter_narrows || !t->view_valid ||
	    t->view_key != t->sort_key || t->view_desc != t->sort_desc)
		return table_recalc(t, e);
	remember_selection(t);
	if (strncmp(t->filter, t->view_filter, strlen(t->view_filter)) == 0) {
		/* Longer (or the same): only rows shown now can still show, in the same order. */
		for (size_t i = 0; i < t->nview; i++)
			if (t->ops->match(t->model, t->view[i], t->filter))
				t->view[k++] = t->view[i];
	} else {
		if (!t->base_valid && make_base(t, e) != OD_OK) {
			t->view_valid = false;
			return OD_ENOMEM;
		}
		if (reserve(&t->view, &t->view_cap, t->nbase, e) != OD_OK) {
			t->view_valid = false;
			return OD_ENOMEM;
		}
		if (!t->filter[0]) {
			if (t->nbase)
				memcpy(t->view, t->base, t->nbase * sizeof(*t->base));
			k = t->nbase;
		} else {
			for (size_t i = 0; i < t->nbase; i++)
				if (t->ops->match(t->model, t->base[i], t->filter))
					t->view[k++] = t->base[i];
		}
	}
	t->nview = k;
	/* The same rows as before: the selected row is found by its index (ids are unique). */
	if (t->sel_id[0]) {
		for (size_t i = 0; i < k && !found; i++) {
			if (t->view[i] == t->sel_row) {
				t->sel = i;
				found = true;
			}
		}
	}
	if (t->sel >= k)
		t->sel = k ? k - 1 : 0;
	return view_made(t, e);
}

void table_set_filter(struct table *t, const char *filter)
{
	snprintf(t->filter, sizeof(t->filter), "%s", filter ? filter : "");
}

void table_set_sort(struct table *t, int key, bool desc)
{
	if (key != TABLE_SORT_TROUBLE && (key < 0 || key >= t->ncols))
		key = 0;
	t->sort_key = key;
	t->sort_desc = desc;
}

void table_move_to(struct table *t, size_t pos)
{
	t->sel = t->nview == 0 ? 0 : (pos >= t->nview ? t->nview - 1 : pos);
	remember_selection(t);
}

void table_move(struct table *t, long delta)
{
	if (t->nview == 0)
		return;
	if (delta < 0 && (size_t)(-delta) > t->sel)
		table_move_to(t, 0);
	else
		table_move_to(t, (size_t)((long)t->sel + delta));
}

bool table_selected(const struct table *t, size_t *row)
{
	if (t->nview == 0)
		return false;
	*row = t->view[t->sel < t->nview ? t->sel : t->nview - 1];
	return true;
}

/* The header text with its sort mark. */
static void header_text(const struct table *t, int col, bool ascii, char *out, size_t n)
{
	const char *mark = "";

	if (col == t->sort_key)
		mark = t->sort_desc ? (ascii ? "v" : "\xE2\x96\xBC") : (ascii ? "^" : "\xE2\x96\xB2");
	snprintf(out, n, "%s%s", t->cols[col].title, mark);
}

static void natural_widths(const struct table *t, int *nat, bool ascii)
{
	char buf[TABLE_CELL_MAX];
	size_t end = t->top + (size_t)(t->page_rows > 0 ? t->page_rows : 50);

	if (end > t->nview)
		end = t->nview;
	for (int c = 0; c < t->ncols; c++) {
		header_text(t, c, ascii, buf, sizeof(buf));
		nat[c] = text_width(buf, ascii);
		/* Leave room for a sort mark so columns do not jump when sorting. */
		if (c != t->sort_key)
			nat[c]++;
	}
	for (size_t i = t->top; i < end; i++) {
		for (int c = 0; c < t->ncols; c++) {
			int w;

			t->ops->cell(t->model, t->view[i], c, buf, sizeof(buf));
			w = text_width(buf, ascii);
			if (w > nat[c])
				nat[c] = w;
		}
	}
	for (int c = 0; c < t->ncols; c++) {
		if (nat[c] < t->cols[c].min_w)
			nat[c] = t->cols[c].min_w;
		if (t->cols[c].max_w > 0 && nat[c] > t->cols[c].max_w)
			nat[c] = t->cols[c].max_w;
		if (t->hidden[c])
			nat[c] = 0;
	}
}

static int total_width(const int *w, int n)
{
	int sum = 0, shown = 0;

	for (int i = 0; i < n; i++) {
		if (w[i] > 0) {
			sum += w[i];
			shown++;
		}
	}
	return shown ? sum + (shown - 1) * TABLE_GAP : 0;
}

/*
 * Makes the columns fit width: flexible columns shrink to their minimum
 * first, then columns are dropped, highest drop number first, and then the
 * flexible columns grow back into whatever room the drops freed.
 */
static void fit_columns(const struct table *t, int width, int *w)
{
	int nat[TABLE_MAX_COLS];

	memcpy(nat, w, sizeof(nat));
	for (int c = 0; c < t->ncols && total_width(w, t->ncols) > width; c++) {
		int over = total_width(w, t->ncols) - width;
		int can = w[c] - (t->cols[c].min_w > 0 ? t->cols[c].min_w : 1);

		if (w[c] > 0 && t->cols[c].flex && can > 0)
			w[c] -= over < can ? over : can;
	}
	while (total_width(w, t->ncols) > width) {
		int worst = -1;

		for (int c = 0; c < t->ncols; c++)
			if (w[c] > 0 && t->cols[c].drop > 0 &&
			    (worst < 0 || t->cols[c].drop >= t->cols[worst].drop))
				worst = c;
		if (worst < 0)
			break;
		w[worst] = 0;
	}
	for (int c = 0; c < t->ncols; c++) {
		int spare = width - total_width(w, t->ncols);

		if (spare <= 0)
			break;
		if (w[c] > 0 && t->cols[c].flex && nat[c] > w[c])
			w[c] += nat[c] - w[c] < spare ? nat[c] - w[c] : spare;
	}
}

void table_layout_columns(const struct table *t, int width, int *widths)
{
	natural_widths(t, widths, false);
	fit_columns(t, width, widths);
}

static void draw_row_cells(const struct table *t, const struct canvas *c, int y, size_t row,
			   const int *w, int first, bool selected, int sel_attr)
{
	char buf[TABLE_CELL_MAX];
	int x = 0;

	for (int col = first; col < t->ncols && x < c->r.w; col++) {
		int attr, tw;

		if (w[col] <= 0)
			continue;
		if (row == (size_t)-1) {
			header_text(t, col, c->ascii, buf, sizeof(buf));
			attr = canvas_attr(c, col == t->sort_key ? THEME_TABLE_SORTED
								   : THEME_TABLE_HEADER);
		} else {
			t->ops->cell(t->model, row, col, buf, sizeof(buf));
			attr = selected ? sel_attr
					: canvas_attr(c, t->ops->style ? (enum theme_element)
								 t->ops->style(t->model, row, col)
								       : THEME_NORMAL);
		}
		tw = text_width(buf, c->ascii);
		if (t->cols[col].right && tw < w[col]) {
			draw_text_pad(c, y, x, "", w[col] - tw, selected ? sel_attr : (int)A_NORMAL);
			draw_text(c, y, x + w[col] - tw, buf, tw, attr);
		} else {
			draw_text_pad(c, y, x, buf, w[col], attr);
		}
		x += w[col];
		if (x < c->r.w) {
			draw_text_pad(c, y, x, "", TABLE_GAP, selected ? sel_attr : (int)A_NORMAL);
			x += TABLE_GAP;
		}
	}
	if (x < c->r.w)
		draw_text_pad(c, y, x, "", c->r.w - x, selected ? sel_attr : (int)A_NORMAL);
}

void table_draw(struct table *t, const struct canvas *c, bool focused)
{
	int w[TABLE_MAX_COLS], first = 0, skipped = 0;
	int rows = c->r.h - 1;
	int sel_attr = canvas_attr(c, THEME_TABLE_SELECTED);

	(void)focused;
	if (c->r.h <= 0 || c->r.w <= 0)
		return;
	t->page_rows = rows > 0 ? rows : 0;
	/* Keep the selection on screen. */
	if (t->sel < t->top)
		t->top = t->sel;
	if (rows > 0 && t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	if (t->top > 0 && t->top + (size_t)rows > t->nview)
		t->top = t->nview > (size_t)rows ? t->nview - (size_t)rows : 0;
	natural_widths(t, w, c->ascii);
	/* Horizontal scroll hides shown columns from the left. */
	for (first = 0; first < t->ncols - 1 && skipped < t->hscroll; first++)
		skipped++;
	for (int i = 0; i < first; i++)
		w[i] = 0;
	fit_columns(t, c->r.w, w);
	draw_row_cells(t, c, 0, (size_t)-1, w, first, false, sel_attr);
	for (int y = 0; y < rows; y++) {
		size_t pos = t->top + (size_t)y;

		if (pos >= t->nview) {
			draw_fill_row(c, y + 1, A_NORMAL);
			continue;
		}
		draw_row_cells(t, c, y + 1, t->view[pos], w, first, pos == t->sel, sel_attr);
	}
}

enum table_action_result table_handle_action(struct table *t, enum action a)
{
	long page = t->page_rows > 1 ? t->page_rows - 1 : 1;

	switch (a) {
	case ACTION_MOVE_UP: table_move(t, -1); return TABLE_ACTION_MOVED;
	case ACTION_MOVE_DOWN: table_move(t, 1); return TABLE_ACTION_MOVED;
	case ACTION_PAGE_UP: table_move(t, -page); return TABLE_ACTION_MOVED;
	case ACTION_PAGE_DOWN: table_move(t, page); return TABLE_ACTION_MOVED;
	case ACTION_FIRST: table_move_to(t, 0); return TABLE_ACTION_MOVED;
	case ACTION_LAST:
		table_move_to(t, t->nview ? t->nview - 1 : 0);
		return TABLE_ACTION_MOVED;
	case ACTION_SORT_NEXT:
		table_set_sort(t, t->sort_key == TABLE_SORT_TROUBLE ? 0
								    : (t->sort_key + 1) % t->ncols,
			       false);
		return TABLE_ACTION_RESORTED;
	case ACTION_SORT_PREV:
		table_set_sort(t, t->sort_key <= 0 ? t->ncols - 1 : t->sort_key - 1, false);
		return TABLE_ACTION_RESORTED;
	case ACTION_SORT_REVERSE:
		table_set_sort(t, t->sort_key, !t->sort_desc);
		return TABLE_ACTION_RESORTED;
	case ACTION_SORT_TROUBLE:
		table_set_sort(t, TABLE_SORT_TROUBLE, false);
		return TABLE_ACTION_RESORTED;
	default:
		return TABLE_ACTION_NONE;
	}
}
