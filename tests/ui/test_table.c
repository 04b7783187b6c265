/*
 * test_table.c: the table widget over rows built in-process from literal
 * data: sort by column and "trouble first", filter, the selection following
 * its row, column dropping when narrow, and drawing that never leaves its
 * canvas. Also the pod view model: trouble ranks, percentages, replay files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "opsdeck/ui_podmodel.h"
#include "opsdeck/ui_table.h"

static const struct pod_view rows[] = {
	{ .namespace_ = "b", .name = "web-1", .ready = 1, .containers = 1, .status = "Running",
	  .restarts = 0, .labels = "app=web" },
	{ .namespace_ = "a", .name = "db-0", .ready = 0, .containers = 1,
	  .status = "CrashLoopBackOff", .restarts = 12, .labels = "app=db,tier=data" },
	{ .namespace_ = "a", .name = "web-2", .ready = 0, .containers = 1, .status = "Pending",
	  .restarts = 0, .labels = "app=web" },
	{ .namespace_ = "b", .name = "api-7", .ready = 1, .containers = 2, .status = "Running",
	  .restarts = 3, .labels = "app=api" },
	{ .namespace_ = "a", .name = "job-x", .ready = 0, .containers = 1, .status = "Completed",
	  .restarts = 0, .labels = "job=x" },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

enum { COL_NS, COL_NAME, COL_STATUS, COL_RESTARTS, NCOLS };

static const struct table_column cols[NCOLS] = {
	[COL_NS] = { .title = "NAMESPACE", .min_w = 9, .max_w = 12, .drop = 2 },
	[COL_NAME] = { .title = "NAME", .min_w = 4, .max_w = 30, .flex = true },
	[COL_STATUS] = { .title = "STATUS", .min_w = 6, .max_w = 20 },
	[COL_RESTARTS] = { .title = "RESTARTS", .min_w = 8, .right = true, .drop = 1 },
};

static size_t m_count(void *m)
{
	(void)m;
	return NROWS;
}

static void m_cell(void *m, size_t r, int c, char *out, size_t n)
{
	(void)m;
	switch (c) {
	case COL_NS: snprintf(out, n, "%s", rows[r].namespace_); break;
	case COL_NAME: snprintf(out, n, "%s", rows[r].name); break;
	case COL_STATUS: snprintf(out, n, "%s", rows[r].status); break;
	default: snprintf(out, n, "%d", rows[r].restarts); break;
	}
}

static int m_compare(void *m, size_t a, size_t b, int key)
{
	(void)m;
	if (key == TABLE_SORT_TROUBLE)
		return (int)podview_trouble(&rows[b]) - (int)podview_trouble(&rows[a]);
	if (key == COL_RESTARTS)
		return rows[a].restarts - rows[b].restarts;
	if (key == COL_NS)
		return strcmp(rows[a].namespace_, rows[b].namespace_);
	if (key == COL_STATUS)
		return strcmp(rows[a].status, rows[b].status);
	return strcmp(rows[a].name, rows[b].name);
}

static bool m_match(void *m, size_t r, const char *f)
{
	(void)m;
	return !*f || strcasestr(rows[r].name, f) || strcasestr(rows[r].status, f) ||
	       strcasestr(rows[r].labels, f);
}

static void m_id(void *m, size_t r, char *out, size_t n)
{
	(void)m;
	snprintf(out, n, "%s/%s", rows[r].namespace_, rows[r].name);
}

static const struct table_model_ops model = {
	.count = m_count, .cell = m_cell, .compare = m_compare, .match = m_match, .id = m_id,
};

static void names_in_view(const struct table *t, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < t->nview; i++) {
		strncat(out, rows[t->view[i]].name, n - strlen(out) - 1);
		strncat(out, " ", n - strlen(out) - 1);
	}
}

static void test_sort(void **state)
{
	struct table t;
	struct err e = { 0 };
	char got[256];

	(void)state;
	table_init(&t, cols, NCOLS, &model, NULL);
	table_set_sort(&t, COL_NAME, false);
	assert_int_equal(table_recalc(&t, &e), OD_OK);
	names_in_view(&t, got, sizeof(got));
	assert_string_equal(got, "api-7 db-0 job-x web-1 web-2 ");
	table_set_sort(&t, COL_RESTARTS, true);
	table_recalc(&t, &e);
	names_in_view(&t, got, sizeof(got));
	/* Ties keep the model's order, so the screen does not shuffle on refresh. */
	assert_string_equal(got, "db-0 api-7 web-1 web-2 job-x ");
	table_set_sort(&t, TABLE_SORT_TROUBLE, false);
	table_recalc(&t, &e);
	names_in_view(&t, got, sizeof(got));
	/* api-7 runs but is not ready (1/2): trouble, after Pending and before healthy pods. */
	assert_string_equal(got, "db-0 web-2 api-7 web-1 job-x ");
	table_set_sort(&t, 99, false); /* out of range: first column */
	assert_int_equal(t.sort_key, 0);
	table_free(&t);
}

/* The keys every table pane shares, handled once in table_handle_action. */
static void test_shared_actions(void **state)
{
	struct table t;
	struct err e = { 0 };

	(void)state;
	table_init(&t, cols, NCOLS, &model, NULL);
	table_set_sort(&t, COL_NAME, false);
	table_recalc(&t, &e);
	assert_int_equal(table_handle_action(&t, ACTION_MOVE_DOWN), TABLE_ACTION_MOVED);
	assert_int_equal(t.sel, 1);
	assert_int_equal(table_handle_action(&t, ACTION_LAST), TABLE_ACTION_MOVED);
	assert_int_equal(t.sel, NROWS - 1);
	assert_int_equal(table_handle_action(&t, ACTION_FIRST), TABLE_ACTION_MOVED);
	assert_int_equal(t.sel, 0);
	/* Sorting cycles through the columns and wraps both ways. */
	table_set_sort(&t, NCOLS - 1, false);
	assert_int_equal(table_handle_action(&t, ACTION_SORT_NEXT), TABLE_ACTION_RESORTED);
	assert_int_equal(t.sort_key, 0);
	assert_int_equal(table_handle_action(&t, ACTION_SORT_PREV), TABLE_ACTION_RESORTED);
	assert_int_equal(t.sort_key, NCOLS - 1);
	assert_int_equal(table_handle_action(&t, ACTION_SORT_REVERSE), TABLE_ACTION_RESORTED);
	assert_true(t.sort_desc);
	assert_int_equal(table_handle_action(&t, ACTION_SORT_TROUBLE), TABLE_ACTION_RESORTED);
	assert_int_equal(t.sort_key, TABLE_SORT_TROUBLE);
	/* From trouble-first, "next" starts again at the first column. */
	assert_int_equal(table_handle_action(&t, ACTION_SORT_NEXT), TABLE_ACTION_RESORTED);
	assert_int_equal(t.sort_key, 0);
	/* Anything else is the pane's own key. */
	assert_int_equal(table_handle_action(&t, ACTION_OPEN), TABLE_ACTION_NONE);
	table_free(&t);
}

static void test_filter_and_selection(void **state)
{
	struct table t;
	struct err e = { 0 };
	char got[256];
	size_t row;

	(void)state;
	table_init(&t, cols, NCOLS, &model, NULL);
	table_set_sort(&t, COL_NAME, false);
	table_recalc(&t, &e);
	table_move(&t, 3); /* web-1 */
	assert_true(table_selected(&t, &row));
	assert_string_equal(rows[row].name, "web-1");
	/* By label, by status, by name; case does not matter. */
	table_set_filter(&t, "app=web");
	table_recalc(&t, &e);
	names_in_view(&t, got, sizeof(got));
	assert_string_equal(got, "web-1 web-2 ");
	assert_true(table_selected(&t, &row));
	assert_string_equal(rows[row].name, "web-1"); /* the selection followed its row */
	table_set_filter(&t, "CRASHLOOP");
	table_recalc(&t, &e);
	names_in_view(&t, got, sizeof(got));
	assert_string_equal(got, "db-0 ");
	table_set_filter(&t, "nothing-matches");
	table_recalc(&t, &e);
	assert_int_equal(t.nview, 0);
	assert_false(table_selected(&t, &row));
	table_move(&t, 5);
	table_move(&t, -5);
	table_set_filter(&t, "");
	table_recalc(&t, &e);
	assert_int_equal(t.nview, NROWS);
	table_move(&t, -100);
	assert_int_equal(t.sel, 0);
	table_move(&t, 100);
	assert_int_equal(t.sel, NROWS - 1);
	table_free(&t);
}

static void test_columns_drop_when_narrow(void **state)
{
	struct table t;
	struct err e = { 0 };
	int w[TABLE_MAX_COLS];

	(void)state;
	table_init(&t, cols, NCOLS, &model, NULL);
	table_recalc(&t, &e);
	table_layout_columns(&t, 80, w);
	assert_true(w[COL_NS] > 0 && w[COL_RESTARTS] > 0);
	/* RESTARTS (drop 1) survives NAMESPACE (drop 2). */
	table_layout_columns(&t, 34, w);
	assert_int_equal(w[COL_NS], 0);
	assert_true(w[COL_RESTARTS] > 0);
	table_layout_columns(&t, 12, w);
	assert_int_equal(w[COL_RESTARTS], 0);
	assert_true(w[COL_NAME] > 0);
	table_free(&t);
}

/* Draws into a canvas in the middle of a screen full of '#': nothing outside may change. */
static void test_draw_stays_inside(void **state)
{
	FILE *in = fopen("/dev/null", "r"), *out = fopen("/dev/null", "w");
	SCREEN *scr;
	struct table t;
	struct err e = { 0 };

	(void)state;
	scr = newterm("xterm", out, in);
	assert_non_null(scr);
	resizeterm(12, 40);
	table_init(&t, cols, NCOLS, &model, NULL);
	table_recalc(&t, &e);
	for (int width = 1; width <= 30; width++) {
		for (int height = 1; height <= 8; height++) {
			struct canvas c = { .win = stdscr, .r = { 2, 5, height, width } };

			for (int y = 0; y < LINES; y++)
				mvwhline(stdscr, y, 0, '#', COLS);
			table_draw(&t, &c, true);
			for (int y = 0; y < LINES; y++) {
				for (int x = 0; x < COLS; x++) {
					bool inside = y >= 2 && y < 2 + height && x >= 5 &&
						      x < 5 + width;
					chtype ch = mvwinch(stdscr, y, x) & A_CHARTEXT;

					if (!inside && ch != '#')
						fail_msg("drew at %d,%d outside %dx%d", y, x, width,
							 height);
					if (inside && ch == '#')
						fail_msg("left %d,%d untouched in %dx%d", y, x, width,
							 height);
				}
			}
		}
	}
	table_free(&t);
	endwin();
	delscreen(scr);
	fclose(in);
	fclose(out);
}

static void test_trouble_and_pct(void **state)
{
	struct pod_view v = { .ready = 1, .containers = 2 };
	static const struct {
		const char *status;
		enum podview_trouble want;
	} cases[] = {
		{ "CrashLoopBackOff", PODVIEW_TROUBLE_FAILED }, { "OOMKilled", PODVIEW_TROUBLE_FAILED },
		{ "Init:CrashLoopBackOff", PODVIEW_TROUBLE_FAILED },
		{ "Signal:9", PODVIEW_TROUBLE_FAILED }, { "ExitCode:1", PODVIEW_TROUBLE_FAILED },
		{ "Unknown", PODVIEW_TROUBLE_UNKNOWN }, { "Terminating", PODVIEW_TROUBLE_TERMINATING },
		{ "Init:0/2", PODVIEW_TROUBLE_PENDING }, { "ContainerCreating", PODVIEW_TROUBLE_PENDING },
		{ "Running", PODVIEW_TROUBLE_NOT_READY }, { "Completed", PODVIEW_TROUBLE_NONE },
		{ "SomethingNew", PODVIEW_TROUBLE_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(v.status, sizeof(v.status), "%s", cases[i].status);
		if (podview_trouble(&v) != cases[i].want)
			fail_msg("%s: got %d", cases[i].status, (int)podview_trouble(&v));
	}
	v.ready = 2;
	snprintf(v.status, sizeof(v.status), "Running");
	assert_int_equal(podview_trouble(&v), PODVIEW_TROUBLE_NONE);
	assert_int_equal(podview_pct(250, 500), 50);
	assert_int_equal(podview_pct(250, 0), -1);
	assert_int_equal(podview_pct(-1, 500), -1);
	assert_int_equal(podview_pct(INT64_MAX, 1), 9999);
}

static void test_replay_file(void **state)
{
	char path[] = "/tmp/opsdeck-replay-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct podview_array *pa = NULL;
	struct pod_source src;
	struct err e = { 0 };

	(void)state;
	assert_non_null(f);
	fputs("# header\nns\tp1\t1/2\tRunning\t3\t100\t250\t1048576\t500\t-\t-\t-\tRS/x\tapp=p\n"
	      "ns\tp2\tbad\tRunning\t0\t0\t-\t-\t-\t-\t-\t-\t-\t-\n", f);
	fclose(f);
	assert_int_equal(podview_array_new(&pa, &e), OD_OK);
	assert_int_equal(podview_array_load_tsv(pa, path, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, ":3: READY must be N/M"));
	src = podview_array_source(pa);
	assert_int_equal(src.ops->count(src.self), 1);
	assert_string_equal(src.ops->row(src.self, 0)->name, "p1");
	assert_int_equal(src.ops->row(src.self, 0)->cpu_lim_m, PODVIEW_UNKNOWN);
	assert_int_equal(src.ops->row(src.self, 0)->mem_b, 1048576);
	assert_null(src.ops->row(src.self, 5));
	uint64_t g = src.ops->generation(src.self);
	podview_array_clear(pa);
	assert_true(src.ops->generation(src.self) != g);
	podview_array_free(&pa);
	assert_null(pa);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_shared_actions),
		cmocka_unit_test(test_filter_and_selection),
		cmocka_unit_test(test_columns_drop_when_narrow),
		cmocka_unit_test(test_draw_stays_inside),
		cmocka_unit_test(test_trouble_and_pct),
		cmocka_unit_test(test_replay_file),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
