/*
 * test_layout.c: layout arithmetic at the sizes that matter (120x40, 100x30,
 * 99x29, 80x24) and tiny ones: panes stay on screen, never overlap, and the
 * grid/single/zoom switch happens at 100x30.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "opsdeck/ui_layout.h"

/* The invariants every layout keeps, whatever the size. */
static void check_invariants(const struct layout *l, int cols, int rows)
{
	struct rect screen = { 0, 0, rows, cols };

	assert_true(rect_contains(screen, l->status));
	assert_true(rect_contains(screen, l->tabs));
	assert_true(rect_contains(screen, l->bottom));
	for (int i = 0; i < LAYOUT_PANES; i++) {
		assert_true(rect_contains(screen, l->pane[i]));
		assert_false(rect_overlaps(l->pane[i], l->status));
		assert_false(rect_overlaps(l->pane[i], l->tabs));
		assert_false(rect_overlaps(l->pane[i], l->bottom));
		for (int k = i + 1; k < LAYOUT_PANES; k++)
			assert_false(rect_overlaps(l->pane[i], l->pane[k]));
	}
}

static int shown(const struct layout *l)
{
	int n = 0;

	for (int i = 0; i < LAYOUT_PANES; i++)
		n += !rect_is_empty(l->pane[i]);
	return n;
}

static void test_grid_120x40(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 120, 40, 0, false);
	check_invariants(&l, 120, 40);
	assert_int_equal(l.mode, LAYOUT_GRID);
	assert_int_equal(shown(&l), 4);
	assert_true(rect_is_empty(l.tabs));
	/* Pods is top-left and the largest; the four fill the body exactly. */
	assert_int_equal(l.pane[0].y, 1);
	assert_int_equal(l.pane[0].x, 0);
	assert_int_equal(l.pane[0].w + l.pane[1].w, 120);
	assert_int_equal(l.pane[0].h + l.pane[2].h, 38);
	assert_true(l.pane[0].w > l.pane[1].w);
	assert_true(l.pane[0].h > l.pane[2].h);
	assert_int_equal(l.bottom.y, 39);
}

static void test_threshold_100x30_99x29(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 100, 30, 0, false);
	check_invariants(&l, 100, 30);
	assert_int_equal(l.mode, LAYOUT_GRID);
	layout_compute(&l, 99, 30, 0, false);
	assert_int_equal(l.mode, LAYOUT_SINGLE);
	layout_compute(&l, 100, 29, 0, false);
	assert_int_equal(l.mode, LAYOUT_SINGLE);
	layout_compute(&l, 99, 29, 2, false);
	check_invariants(&l, 99, 29);
	assert_int_equal(l.mode, LAYOUT_SINGLE);
	assert_int_equal(shown(&l), 1);
	assert_false(rect_is_empty(l.pane[2]));
}

static void test_single_80x24(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(&l, 80, 24, 0, false);
	check_invariants(&l, 80, 24);
	assert_int_equal(l.mode, LAYOUT_SINGLE);
	assert_int_equal(l.tabs.y, 1);
	assert_int_equal(l.tabs.h, 1);
	assert_int_equal(l.pane[0].y, 2);
	assert_int_equal(l.pane[0].h, 21);
	assert_int_equal(l.pane[0].w, 80);
}

static void test_zoom_and_further_panes(void **state)
{
	struct layout l;

	(void)state;
	for (int focus = 0; focus < LAYOUT_PANES; focus++) {
		layout_compute(&l, 120, 40, focus, true);
		check_invariants(&l, 120, 40);
		assert_int_equal(l.mode, LAYOUT_ZOOM);
		assert_int_equal(shown(&l), 1);
		assert_int_equal(l.pane[focus].h, 38);
		assert_int_equal(l.pane[focus].w, 120);
	}
	/* Events and Nodes show one at a time with the tab strip, even on a big screen. */
	layout_compute(&l, 120, 40, 4, false);
	assert_int_equal(l.mode, LAYOUT_SINGLE);
	assert_false(rect_is_empty(l.pane[4]));
	assert_false(rect_is_empty(l.tabs));
	/* An out-of-range focus is Pods. */
	layout_compute(&l, 80, 24, 42, false);
	assert_false(rect_is_empty(l.pane[0]));
}

static void test_tiny_sizes(void **state)
{
	struct layout l;

	(void)state;
	for (int cols = 0; cols <= 130; cols += 1) {
		for (int rows = 0; rows <= 45; rows += 1) {
			for (int z = 0; z < 2; z++) {
				layout_compute(&l, cols, rows, cols % LAYOUT_PANES, z);
				check_invariants(&l, cols, rows);
			}
		}
	}
	layout_compute(&l, 19, 24, 0, false);
	assert_int_equal(l.mode, LAYOUT_TOO_SMALL);
	assert_int_equal(shown(&l), 0);
	layout_compute(&l, 80, 5, 0, false);
	assert_int_equal(l.mode, LAYOUT_TOO_SMALL);
	layout_compute(&l, 20, 6, 0, false);
	assert_int_equal(l.mode, LAYOUT_SINGLE);
	assert_int_equal(l.pane[0].h, 3);
}

static void test_rect_helpers(void **state)
{
	struct rect a = { 0, 0, 10, 10 }, b = { 5, 5, 10, 10 }, c = { 10, 0, 1, 1 };
	struct rect in = rect_inner(a), tiny = { 0, 0, 1, 1 };

	(void)state;
	assert_true(rect_overlaps(a, b));
	assert_false(rect_overlaps(a, c));
	assert_int_equal(in.y, 1);
	assert_int_equal(in.w, 8);
	assert_true(rect_is_empty(rect_inner(tiny)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_120x40),
		cmocka_unit_test(test_threshold_100x30_99x29),
		cmocka_unit_test(test_single_80x24),
		cmocka_unit_test(test_zoom_and_further_panes),
		cmocka_unit_test(test_tiny_sizes),
		cmocka_unit_test(test_rect_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
