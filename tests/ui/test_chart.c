/*
 * test_chart.c: the chart renderer cell by cell (braille dots and the ASCII
 * fallback, band, markers, clipping) and the storage forecast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opsdeck/ui_chart.h"
#include "opsdeck/ui_forecast.h"

static void test_braille_dot_bits(void **state)
{
	struct chart c;
	struct err e = { 0 };
	char g[8];

	(void)state;
	assert_int_equal(chart_init(&c, 2, 1, false, &e), OD_OK);
	assert_int_equal(chart_dots_w(&c), 4);
	assert_int_equal(chart_dots_h(&c), 4);
	chart_set_dot(&c, 0, 0);  /* dot 1 */
	chart_set_dot(&c, 1, 3);  /* dot 8 */
	chart_cell_glyph(&c, 0, 0, g);
	assert_string_equal(g, "\xE2\xA2\x81"); /* U+2881 */
	chart_cell_glyph(&c, 1, 0, g);
	assert_string_equal(g, " ");
	chart_set_dot(&c, 2, 3);  /* dot 7 of cell 1 */
	chart_cell_glyph(&c, 1, 0, g);
	assert_string_equal(g, "\xE2\xA1\x80"); /* U+2840 */
	chart_set_dot(&c, 99, 0); /* outside: ignored */
	assert_int_equal(chart_cell_role(&c, 1, 0), CHART_ROLE_LINE);
	chart_fini(&c);
}

/* A ramp from bottom-left to top-right over a 4x2 braille chart. */
static void test_braille_ramp(void **state)
{
	struct chart c;
	struct err e = { 0 };
	int64_t t[] = { 0, 100 };
	double v[] = { 0, 10 };
	char row[64];

	(void)state;
	assert_int_equal(chart_init(&c, 4, 2, false, &e), OD_OK);
	c.t0 = 0;
	c.t1 = 100;
	c.vmin = 0;
	c.vmax = 10;
	/* t=100 is outside [0, 100): add an inside point at the end. */
	t[1] = 99;
	chart_draw_line(&c, t, v, 2, 0);
	/* Bottom-left cell holds the start, top-right the end; the line is connected. */
	assert_int_equal(chart_cell_role(&c, 0, 1), CHART_ROLE_LINE);
	assert_int_equal(chart_cell_role(&c, 3, 0), CHART_ROLE_LINE);
	assert_int_equal(chart_cell_role(&c, 0, 0), CHART_ROLE_EMPTY);
	assert_int_equal(chart_cell_role(&c, 3, 1), CHART_ROLE_EMPTY);
	chart_row_text(&c, 0, row, sizeof(row));
	assert_string_equal(row, "  \xE2\xA1\xA0\xE2\xA0\x8A"); /* "  ⡠⠊" */
	chart_row_text(&c, 1, row, sizeof(row));
	assert_string_equal(row, "\xE2\xA1\xA0\xE2\xA0\x8A  "); /* "⡠⠊  " */
	chart_fini(&c);
}

static void test_ascii_fallback(void **state)
{
	struct chart c;
	struct err e = { 0 };
	int64_t t[] = { 0, 1, 2, 3 };
	double v[] = { 0, 0, 8, 8 };
	char row[64];

	(void)state;
	assert_int_equal(chart_init(&c, 4, 1, true, &e), OD_OK);
	assert_int_equal(chart_dots_w(&c), 4);
	assert_int_equal(chart_dots_h(&c), 3);
	c.t0 = 0;
	c.t1 = 4;
	c.vmin = 0;
	c.vmax = 8;
	chart_draw_line(&c, t, v, 4, 0);
	chart_row_text(&c, 0, row, sizeof(row));
	/* flat low, the jump drawn as a vertical bar, then high */
	assert_string_equal(row, "__|'");
	chart_fini(&c);
}

static void test_band_and_markers(void **state)
{
	struct chart c;
	struct err e = { 0 };
	char row[64];

	(void)state;
	assert_int_equal(chart_init(&c, 5, 4, true, &e), OD_OK);
	c.t0 = 0;
	c.t1 = 50;
	c.vmin = 0;
	c.vmax = 100;
	/* rows cover 75-100, 50-75, 25-50, 0-25: a 30-60 band lights the middle two */
	chart_draw_band(&c, 30, 60);
	chart_row_text(&c, 0, row, sizeof(row));
	assert_string_equal(row, "     ");
	chart_row_text(&c, 1, row, sizeof(row));
	assert_string_equal(row, ".....");
	chart_row_text(&c, 2, row, sizeof(row));
	assert_string_equal(row, ".....");
	chart_row_text(&c, 3, row, sizeof(row));
	assert_string_equal(row, "     ");
	assert_int_equal(chart_cell_role(&c, 0, 1), CHART_ROLE_BAND);
	chart_mark(&c, 0, CHART_MARK_RESTART);
	chart_mark(&c, 25, CHART_MARK_ACTION);
	chart_mark(&c, 45, CHART_MARK_RESTART);
	chart_mark(&c, 48, CHART_MARK_EVENT);   /* same column: the event wins */
	chart_mark(&c, 49, CHART_MARK_RESTART); /* and is not replaced by a restart */
	chart_mark(&c, 50, CHART_MARK_EVENT);   /* outside [t0, t1) */
	chart_row_text(&c, c.h, row, sizeof(row));
	assert_string_equal(row, "^ * !");
	chart_fini(&c);
}

static void test_gaps_and_clipping(void **state)
{
	struct chart c;
	struct err e = { 0 };
	int64_t t[] = { -50, 10, 20, 80, 90, 500 };
	double v[] = { 5, 5, 5, 5, 5, 5 };
	char row[64];

	(void)state;
	assert_int_equal(chart_init(&c, 10, 1, true, &e), OD_OK);
	c.t0 = 0;
	c.t1 = 100;
	c.vmin = 0;
	c.vmax = 10;
	chart_draw_line(&c, t, v, 6, 30);
	chart_row_text(&c, 0, row, sizeof(row));
	/* the point before t0 is more than 30 s back: no line from the edge; the gap from
	 * 20 to 80 is not bridged; the point after t1 is dropped */
	assert_string_equal(row, " --     --");
	chart_fini(&c);
}

static void test_nice_ceil(void **state)
{
	(void)state;
	assert_true(chart_nice_ceil(0) == 1);
	assert_true(chart_nice_ceil(7) == 10);
	assert_true(chart_nice_ceil(180) == 200);
	assert_true(chart_nice_ceil(230) == 250);
	assert_true(chart_nice_ceil(400e6) == 500e6);
	assert_true(chart_nice_ceil(1000) == 1000);
}

static void test_forecast_filling(void **state)
{
	int64_t t[10];
	double v[10];
	struct forecast f;
	char s[64];
	int64_t t0 = 1700000000;

	(void)state;
	/* 1 GiB a day on a 10 GiB volume, at 4 GiB now: full in 6 days */
	for (int i = 0; i < 10; i++) {
		t[i] = t0 + i * 8640;
		v[i] = 4.0 * (1 << 30) - (9 - i) * 0.1 * (1 << 30);
	}
	forecast_fit(t, v, 10, 10.0 * (1 << 30), &f);
	assert_true(f.ok);
	assert_true(f.slope > 0);
	forecast_format(&f, t[9], s, sizeof(s));
	assert_string_equal(s, "full in ~6d");
	forecast_format(&f, t[9] + 6 * 86400 - 5 * 3600, s, sizeof(s));
	assert_string_equal(s, "full in ~5h");
	forecast_format(&f, t[9] + 7 * 86400, s, sizeof(s));
	assert_string_equal(s, "full now");
}

static void test_forecast_flat_and_short(void **state)
{
	int64_t t[] = { 100, 200, 300 };
	double flat[] = { 5, 5, 5 }, down[] = { 9, 7, 5 };
	struct forecast f;
	char s[64];

	(void)state;
	forecast_fit(t, flat, 3, 10, &f);
	assert_true(f.ok);
	forecast_format(&f, 300, s, sizeof(s));
	assert_string_equal(s, "not filling");
	forecast_fit(t, down, 3, 10, &f);
	forecast_format(&f, 300, s, sizeof(s));
	assert_string_equal(s, "not filling");
	forecast_fit(t, flat, 1, 10, &f);
	assert_false(f.ok);
	forecast_format(&f, 300, s, sizeof(s));
	assert_string_equal(s, "no forecast (too few points)");
	/* same time twice: no slope to fit */
	t[1] = t[0];
	forecast_fit(t, down, 2, 10, &f);
	assert_false(f.ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_braille_dot_bits),
		cmocka_unit_test(test_braille_ramp),
		cmocka_unit_test(test_ascii_fallback),
		cmocka_unit_test(test_band_and_markers),
		cmocka_unit_test(test_gaps_and_clipping),
		cmocka_unit_test(test_nice_ceil),
		cmocka_unit_test(test_forecast_filling),
		cmocka_unit_test(test_forecast_flat_and_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
