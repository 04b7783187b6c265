/*
 * test_table_filter.c: the incremental filter (table_refilter). A table
 * refiltered key by key (narrowing as the filter grows, widening on
 * Backspace, a filter that is not an extension, sort changes between) must
 * hold the same rows in the same order, with the same selection, as a table
 * filtered afresh with table_recalc() after every step. Then the Pods pane
 * through the app: typing and Backspace give the counts and selection a
 * brute-force strcasestr and sort over the rows give, lower or upper case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/ui_app.h"
#include "opsdeck/ui_podmodel.h"
#include "opsdeck/ui_table.h"

#define NROWS 600

struct trow {
	char name[48], status[24], labels[48];
	int restarts;
};

static struct trow trows[NROWS];

static void make_rows(void)
{
	static const char *const status[] = { "Running", "Pending", "CrashLoopBackOff",
					      "Completed", "Error" };

	for (size_t i = 0; i < NROWS; i++) {
		/* Mixed case, and names that repeat in part so filters overlap. */
		snprintf(trows[i].name, sizeof(trows[i].name), "%s-%zu-x%zu",
			 i % 3 ? "web" : "Web-API", i % 37, i);
		snprintf(trows[i].status, sizeof(trows[i].status), "%s", status[i % 5]);
		snprintf(trows[i].labels, sizeof(trows[i].labels), "app=%s,tier=%zu",
			 i % 2 ? "web" : "db", i % 4);
		trows[i].restarts = (int)((i * 7) % 11);
	}
}

static size_t m_count(void *m)
{
	(void)m;
	return NROWS;
}

static void m_cell(void *m, size_t r, int c, char *out, size_t n)
{
	(void)m;
	if (c == 0)
		snprintf(out, n, "%s", trows[r].name);
	else
		snprintf(out, n, "%d", trows[r].restarts);
}

static int m_compare(void *m, size_t a, size_t b, int key)
{
	(void)m;
	if (key == 1)
		return trows[a].restarts - trows[b].restarts;
	return strcmp(trows[a].name, trows[b].name);
}

static int nmatch_calls;

static bool m_match(void *m, size_t r, const char *f)
{
	(void)m;
	nmatch_calls++;
	return !*f || strcasestr(trows[r].name, f) || strcasestr(trows[r].status, f) ||
	       strcasestr(trows[r].labels, f);
}

static void m_id(void *m, size_t r, char *out, size_t n)
{
	(void)m;
	snprintf(out, n, "%s", trows[r].name);
}

static const struct table_model_ops narrowing = {
	.count = m_count, .cell = m_cell, .compare = m_compare, .match = m_match, .id = m_id,
	.filter_narrows = true,
};

static const struct table_column cols[2] = {
	{ .title = "NAME", .min_w = 4, .max_w = 40 },
	{ .title = "RESTARTS", .min_w = 8, .right = true },
};

static void same_view(const struct table *inc, const struct table *fresh, const char *step)
{
	if (inc->nview != fresh->nview)
		fail_msg("%s: %zu rows refiltered, %zu fresh", step, inc->nview, fresh->nview);
	for (size_t i = 0; i < fresh->nview; i++)
		if (inc->view[i] != fresh->view[i])
			fail_msg("%s: row %zu differs", step, i);
	if (inc->sel != fresh->sel)
		fail_msg("%s: selection %zu refiltered, %zu fresh", step, inc->sel, fresh->sel);
}

/* One filter step on both tables: inc refilters, fresh recalcs. */
static void step(struct table *inc, struct table *fresh, const char *filter)
{
	struct err e = { 0 };

	table_set_filter(inc, filter);
	table_set_filter(fresh, filter);
	assert_int_equal(table_refilter(inc, &e), OD_OK);
	assert_int_equal(table_recalc(fresh, &e), OD_OK);
	same_view(inc, fresh, filter);
}

static void type_then_erase(struct table *inc, struct table *fresh, const char *word)
{
	char f[TABLE_FILTER_MAX];
	size_t n = strlen(word);

	for (size_t i = 1; i <= n; i++) {
		snprintf(f, sizeof(f), "%.*s", (int)i, word);
		step(inc, fresh, f);
	}
	for (size_t i = n; i-- > 0;) {
		snprintf(f, sizeof(f), "%.*s", (int)i, word);
		step(inc, fresh, f);
	}
}

static void test_refilter_equals_fresh(void **s)
{
	struct table inc, fresh;
	struct err e = { 0 };

	(void)s;
	make_rows();
	table_init(&inc, cols, 2, &narrowing, NULL);
	table_init(&fresh, cols, 2, &narrowing, NULL);
	assert_int_equal(table_recalc(&inc, &e), OD_OK);
	assert_int_equal(table_recalc(&fresh, &e), OD_OK);
	same_view(&inc, &fresh, "start");

	/* The selection on a row that survives narrowing, then on one that does not. */
	table_move_to(&inc, 250);
	table_move_to(&fresh, 250);
	type_then_erase(&inc, &fresh, "WEB-1");
	type_then_erase(&inc, &fresh, "x59");
	type_then_erase(&inc, &fresh, "crash");
	/* Not an extension of the last filter: from the kept order, not the view. */
	step(&inc, &fresh, "tier=3");
	step(&inc, &fresh, "pend");
	step(&inc, &fresh, "no-row-has-this");
	step(&inc, &fresh, "no-row");
	step(&inc, &fresh, "");

	/* Another sort: refilter sorts once more, then narrows again. */
	table_set_sort(&inc, 1, true);
	table_set_sort(&fresh, 1, true);
	step(&inc, &fresh, "web");
	table_move_to(&inc, 3);
	table_move_to(&fresh, 3);
	type_then_erase(&inc, &fresh, "web-api-2");

	/* A filter set while the rows changed (recalc), then widened from there. */
	table_set_filter(&inc, "db");
	table_set_filter(&fresh, "db");
	assert_int_equal(table_recalc(&inc, &e), OD_OK);
	assert_int_equal(table_recalc(&fresh, &e), OD_OK);
	step(&inc, &fresh, "d");
	step(&inc, &fresh, "");
	step(&inc, &fresh, "r");
	table_free(&inc);
	table_free(&fresh);
}

/* Narrowing looks only at the rows shown; a widening key at the kept order, not re-sorted. */
static void test_refilter_narrows_view(void **s)
{
	struct table t;
	struct err e = { 0 };
	size_t shown;

	(void)s;
	make_rows();
	table_init(&t, cols, 2, &narrowing, NULL);
	assert_int_equal(table_recalc(&t, &e), OD_OK);
	table_set_filter(&t, "web-api");
	assert_int_equal(table_refilter(&t, &e), OD_OK);
	shown = t.nview;
	assert_int_equal(shown, NROWS / 3);
	nmatch_calls = 0;
	table_set_filter(&t, "web-api-3");
	assert_int_equal(table_refilter(&t, &e), OD_OK);
	assert_int_equal(nmatch_calls, (int)shown);
	nmatch_calls = 0;
	table_set_filter(&t, "web-ap");
	assert_int_equal(table_refilter(&t, &e), OD_OK);
	assert_int_equal(nmatch_calls, NROWS);
	assert_int_equal(t.nview, shown);
	table_free(&t);
}

/* Without filter_narrows, table_refilter is table_recalc. */
static void test_refilter_without_narrows(void **s)
{
	static const struct table_model_ops plain = {
		.count = m_count, .cell = m_cell, .compare = m_compare, .match = m_match,
		.id = m_id,
	};
	struct table inc, fresh;
	struct err e = { 0 };

	(void)s;
	make_rows();
	table_init(&inc, cols, 2, &plain, NULL);
	table_init(&fresh, cols, 2, &plain, NULL);
	assert_int_equal(table_recalc(&inc, &e), OD_OK);
	assert_int_equal(table_recalc(&fresh, &e), OD_OK);
	type_then_erase(&inc, &fresh, "tier=2");
	table_free(&inc);
	table_free(&fresh);
}

static size_t m_none(void *m)
{
	(void)m;
	return 0;
}

/* No rows at all (the view and the kept order have no array): refilter both ways. */
static void test_refilter_empty(void **s)
{
	static const struct table_model_ops empty = {
		.count = m_none, .cell = m_cell, .compare = m_compare, .match = m_match,
		.id = m_id, .filter_narrows = true,
	};
	struct table t;
	struct err e = { 0 };
	size_t row;

	(void)s;
	table_init(&t, cols, 2, &empty, NULL);
	assert_int_equal(table_recalc(&t, &e), OD_OK);
	table_set_filter(&t, "a");
	assert_int_equal(table_refilter(&t, &e), OD_OK);
	table_set_filter(&t, "");
	assert_int_equal(table_refilter(&t, &e), OD_OK);
	table_set_filter(&t, "b");
	assert_int_equal(table_refilter(&t, &e), OD_OK);
	assert_int_equal(t.nview, 0);
	assert_false(table_selected(&t, &row));
	table_free(&t);
}

/* --- the Pods pane through the app --- */

#define NPODS 400

static struct pod_view pods[NPODS];

static void make_pods(struct podview_array *pa)
{
	static const char *const status[] = { "Running", "Pending", "CrashLoopBackOff",
					      "Completed", "OOMKilled", "Init:0/1" };
	struct err e = { 0 };

	for (size_t i = 0; i < NPODS; i++) {
		struct pod_view *v = &pods[i];

		memset(v, 0, sizeof(*v));
		snprintf(v->namespace_, sizeof(v->namespace_), "ns-%zu", i % 4);
		snprintf(v->name, sizeof(v->name), "%s-%zu-%03zu", i % 2 ? "Web" : "db",
			 i % 23, i);
		snprintf(v->status, sizeof(v->status), "%s", status[i % 6]);
		v->ready = 1;
		v->restarts = (int)(i % 5);
		v->containers = 1;
		v->created = 1795000000 - (int64_t)i;
		v->cpu_m = v->mem_b = v->cpu_req_m = v->cpu_lim_m = PODVIEW_UNKNOWN;
		v->mem_req_b = v->mem_lim_b = PODVIEW_UNKNOWN;
		snprintf(v->labels, sizeof(v->labels), "app=%s,Tier=%zu", i % 2 ? "web" : "DB",
			 i % 3);
		assert_int_equal(podview_array_add(pa, v, &e), OD_OK);
	}
}

/*
 * What the pane should show, worked out by brute force: the rows
 * strcasestr finds, by NAMESPACE then NAME; the selection stays on its row
 * while that row shows, else at its position (the table's rule).
 */
static char want_sel_id[TABLE_CELL_MAX];
static size_t want_sel_pos;

static int by_names(const void *a, const void *b)
{
	const struct pod_view *x = *(const struct pod_view *const *)a;
	const struct pod_view *y = *(const struct pod_view *const *)b;
	int c = strcmp(x->namespace_, y->namespace_);
	return c ? c : strcmp(x->name, y->name);
}

static size_t expect(const char *filter, char *sel, size_t n)
{
	const struct pod_view *shown[NPODS];
	size_t count = 0;

	for (size_t i = 0; i < NPODS; i++) {
		const struct pod_view *v = &pods[i];

		if (*filter && !strcasestr(v->name, filter) && !strcasestr(v->status, filter) &&
		    !strcasestr(v->labels, filter))
			continue;
		shown[count++] = v;
	}
	qsort(shown, count, sizeof(shown[0]), by_names);
	for (size_t i = 0; want_sel_id[0] && i < count; i++) {
		char id[TABLE_CELL_MAX];

		snprintf(id, sizeof(id), "%s/%s", shown[i]->namespace_, shown[i]->name);
		if (strcmp(id, want_sel_id) == 0) {
			want_sel_pos = i;
			break;
		}
	}
	if (want_sel_pos >= count)
		want_sel_pos = count ? count - 1 : 0;
	want_sel_id[0] = '\0';
	if (count)
		snprintf(want_sel_id, sizeof(want_sel_id), "%s/%s", shown[want_sel_pos]->namespace_,
			 shown[want_sel_pos]->name);
	snprintf(sel, n, "%s", want_sel_id);
	return count;
}

static void pane_says(struct app *app, const char *filter)
{
	struct pane *p = &app->panes[0];
	char info[256], want_info[256], sel[TABLE_CELL_MAX], want_sel[TABLE_CELL_MAX];
	size_t want = expect(filter, want_sel, sizeof(want_sel));

	app_update(app);
	p->ops->title_info(p, info, sizeof(info));
	if (want == NPODS)
		snprintf(want_info, sizeof(want_info), "%d by NAMESPACE", NPODS);
	else
		snprintf(want_info, sizeof(want_info), "%zu/%d by NAMESPACE /%s", want, NPODS,
			 filter);
	if (strcmp(info, want_info) != 0)
		print_message("filter \"%s\"\n", filter);
	assert_string_equal(info, want_info);
	p->ops->selection(p, sel, sizeof(sel));
	assert_string_equal(sel, want_sel);
}

/* Moves the pane's selection down by keys, and the expected one with it. */
static void move_down(struct app *app, int keys)
{
	for (int i = 0; i < keys; i++)
		app_handle_key(app, KEY_DOWN);
	want_sel_pos += (size_t)keys;
	want_sel_id[0] = '\0';
}

static void type_pane(struct app *app, const char *word, char *typed, size_t n)
{
	for (size_t i = 0; word[i]; i++) {
		size_t len = strlen(typed);

		assert_true(len + 1 < n);
		typed[len] = word[i];
		typed[len + 1] = '\0';
		app_handle_key(app, (unsigned char)word[i]);
		pane_says(app, typed);
	}
}

static void erase_pane(struct app *app, size_t keys, char *typed)
{
	for (size_t i = 0; i < keys; i++) {
		size_t len = strlen(typed);

		if (len)
			typed[len - 1] = '\0';
		app_handle_key(app, KEY_BACKSPACE);
		pane_says(app, typed);
	}
}

static void test_pods_pane_filter(void **s)
{
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40, .fixed_now = 1795100000 };
	struct podview_array *pa = NULL;
	struct err e = { 0 };
	char typed[64] = "";

	(void)s;
	assert_non_null(app);
	assert_int_equal(podview_array_new(&pa, &e), OD_OK);
	make_pods(pa);
	assert_int_equal(app_init(app, &o, NULL, &e), OD_OK);
	app_set_pod_source(app, podview_array_source(pa));
	want_sel_id[0] = '\0';
	want_sel_pos = 0;
	pane_says(app, "");
	move_down(app, 45);  /* ns-0/Web-13-013... : a row the filters drop and keep */
	pane_says(app, "");
	app_handle_key(app, '/');
	pane_says(app, "");
	type_pane(app, "WEB-1", typed, sizeof(typed));   /* upper case finds "Web-1..." */
	erase_pane(app, 3, typed);                       /* back to "WE" */
	type_pane(app, "b-2", typed, sizeof(typed));
	erase_pane(app, 5, typed);                       /* back to "" (one more would close) */
	type_pane(app, "tier=2", typed, sizeof(typed));  /* labels, any case */
	erase_pane(app, 6, typed);
	type_pane(app, "oomk", typed, sizeof(typed));    /* status */
	erase_pane(app, 4, typed);
	type_pane(app, "zzz", typed, sizeof(typed));     /* nothing */
	erase_pane(app, 3, typed);

	/* The rows change while the filter is open: a full recalc, then keys again. */
	pods[7].name[0] = 'Z';
	podview_array_clear(pa);
	for (size_t i = 0; i < NPODS; i++)
		assert_int_equal(podview_array_add(pa, &pods[i], &e), OD_OK);
	type_pane(app, "zb", typed, sizeof(typed));
	erase_pane(app, 1, typed);
	pane_says(app, "z");
	app_fini(app);
	free(app);
	podview_array_free(&pa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refilter_equals_fresh),
		cmocka_unit_test(test_refilter_narrows_view),
		cmocka_unit_test(test_refilter_without_narrows),
		cmocka_unit_test(test_refilter_empty),
		cmocka_unit_test(test_pods_pane_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
