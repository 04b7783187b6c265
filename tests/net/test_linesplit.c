/*
 * test_linesplit.c: the log line splitter: every split point, CRLF, a last
 * line without newline, over-long lines cut at the cap, callback errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/linesplit.h"

struct lines {
	int n;
	char text[8][64];
	bool trunc[8];
	int stop_at;
};

static enum od_status take(const char *text, size_t len, bool truncated, void *arg, struct err *e)
{
	struct lines *l = arg;

	assert_int_equal(strlen(text), len);
	if (l->n < 8) {
		snprintf(l->text[l->n], sizeof(l->text[0]), "%s", text);
		l->trunc[l->n] = truncated;
	}
	l->n++;
	if (l->stop_at && l->n == l->stop_at)
		return err_set(e, OD_EIO, "stop");
	return OD_OK;
}

static const char input[] = "first line\r\n\nthird\nno newline at the end";

static void check(const struct lines *l)
{
	assert_int_equal(l->n, 4);
	assert_string_equal(l->text[0], "first line");
	assert_string_equal(l->text[1], "");
	assert_string_equal(l->text[2], "third");
	assert_string_equal(l->text[3], "no newline at the end");
	for (int i = 0; i < 4; i++)
		assert_false(l->trunc[i]);
}

static void test_every_split(void **state)
{
	size_t n = strlen(input);

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		struct line_splitter s;
		struct lines l = { 0 };
		struct err e;
		line_splitter_init(&s, 0);
		assert_int_equal(line_splitter_feed(&s, input, cut, take, &l, &e), OD_OK);
		assert_int_equal(line_splitter_feed(&s, input + cut, n - cut, take, &l, &e), OD_OK);
		assert_int_equal(line_splitter_finish(&s, take, &l, &e), OD_OK);
		check(&l);
		line_splitter_free(&s);
	}
}

static void test_long_lines_are_cut(void **state)
{
	struct line_splitter s;
	struct lines l = { 0 };
	struct err e;

	(void)state;
	line_splitter_init(&s, 8);
	assert_int_equal(line_splitter_feed(&s, "12345678", 8, take, &l, &e), OD_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(line_splitter_feed(&s, "9abc", 4, take, &l, &e), OD_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.text[0], "12345678");
	assert_true(l.trunc[0]);
	assert_int_equal(line_splitter_feed(&s, "def\nok\n", 7, take, &l, &e), OD_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.text[1], "ok");
	assert_false(l.trunc[1]);
	/* a cut line without a newline at the end is not handed over twice */
	assert_int_equal(line_splitter_feed(&s, "xxxxxxxxxxxx", 12, take, &l, &e), OD_OK);
	assert_int_equal(line_splitter_finish(&s, take, &l, &e), OD_OK);
	assert_int_equal(l.n, 3);
	line_splitter_free(&s);
}

static void test_callback_error(void **state)
{
	struct line_splitter s;
	struct lines l = { .stop_at = 2 };
	struct err e;

	(void)state;
	line_splitter_init(&s, 0);
	assert_int_equal(line_splitter_feed(&s, input, strlen(input), take, &l, &e), OD_EIO);
	assert_int_equal(l.n, 2);
	line_splitter_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_long_lines_are_cut),
		cmocka_unit_test(test_callback_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
