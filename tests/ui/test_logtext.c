/*
 * test_logtext.c: the masks behind the error summary, grouping with counts
 * (what grep | sort | uniq -c | sort -nr gives), and the JSON pretty-printer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_logtext.h"

static void mask_is(const char *in, const char *want)
{
	char out[LOGTEXT_MASK_MAX];

	logtext_mask(in, strlen(in), out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_masks(void **state)
{
	(void)state;
	mask_is("connection refused", "connection refused");
	mask_is("retry 3 of 10", "retry <n> of <n>");
	mask_is("2026-11-22T12:00:01.123Z ERROR db timeout after 30.5s",
		"<ts> ERROR db timeout after <n>s");
	mask_is("2026-11-22 12:00:01,999 WARN x", "<ts> WARN x");
	mask_is("12:00:01 dial 10.42.0.17:5432 failed", "<ts> dial <ip> failed");
	mask_is("request 3f2b8c1e-9d4a-4b7e-8f00-123456789abc failed",
		"request <uuid> failed");
	mask_is("txn deadbeef0123 aborted", "txn <id> aborted");
	/* hex words without digits are words, not ids */
	mask_is("cafebabedeadbeef", "cafebabedeadbeef");
	/* a ReplicaSet hash is an id; the pod suffix has no digit and stays */
	mask_is("pod web-5d8f7c9b6-abcde", "pod web-<id>-abcde");
	mask_is("", "");
}

static void test_mask_small_buffer(void **state)
{
	char out[6];

	(void)state;
	logtext_mask("error 12345 happened", 20, out, sizeof(out));
	assert_string_equal(out, "error");
}

static void test_groups_count_and_sort(void **state)
{
	static const char *lines[] = {
		"ERROR db timeout after 30s (conn 10.0.0.1:5432)",
		"ERROR user 42 not found",
		"ERROR db timeout after 12s (conn 10.0.0.2:5432)",
		"ERROR user 7 not found",
		"ERROR db timeout after 9s (conn 10.0.0.3:5432)",
		"ERROR disk full",
	};
	struct loggroups gs;
	struct err e = { 0 };

	(void)state;
	logtext_groups_init(&gs);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(logtext_groups_add(&gs, lines[i], strlen(lines[i]), &e), OD_OK);
	logtext_groups_sort(&gs);
	assert_int_equal(gs.n, 3);
	assert_int_equal(gs.total, 6);
	assert_int_equal(gs.g[0].count, 3);
	assert_string_equal(gs.g[0].key, "ERROR db timeout after <n>s (conn <ip>)");
	assert_string_equal(gs.g[0].example, lines[0]);
	assert_int_equal(gs.g[1].count, 2);
	assert_string_equal(gs.g[1].key, "ERROR user <n> not found");
	assert_int_equal(gs.g[2].count, 1);
	/* lookups still work after sorting */
	assert_int_equal(logtext_groups_add(&gs, "ERROR disk full", 15, &e), OD_OK);
	assert_int_equal(gs.n, 3);
	logtext_groups_sort(&gs);
	assert_int_equal(gs.g[1].count, 2);
	logtext_groups_fini(&gs);
}

static void test_groups_cap(void **state)
{
	struct loggroups gs;
	struct err e = { 0 };
	char line[64];

	(void)state;
	logtext_groups_init(&gs);
	for (int i = 0; i < LOGTEXT_GROUPS_MAX + 10; i++) {
		/* letters, not digits, so no two mask to the same key */
		int len = snprintf(line, sizeof(line), "e %c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
				   'a' + i / 676 % 26);

		assert_int_equal(logtext_groups_add(&gs, line, (size_t)len, &e), OD_OK);
	}
	assert_int_equal(gs.n, LOGTEXT_GROUPS_MAX);
	assert_int_equal(gs.other, 10);
	logtext_groups_fini(&gs);
}

static void test_json_pretty(void **state)
{
	const char *js = "{\"level\":\"error\",\"msg\":\"boom\",\"n\":3}";
	char *out = NULL;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(logtext_json_pretty(js, strlen(js), &out, &e), OD_OK);
	assert_non_null(out);
	assert_non_null(strstr(out, "\n"));
	assert_non_null(strstr(out, "\"level\":\t\"error\""));
	free(out);
	assert_int_equal(logtext_json_pretty("plain text", 10, &out, &e), OD_EPARSE);
	assert_null(out);
	assert_int_equal(logtext_json_pretty("{broken", 7, &out, &e), OD_EPARSE);
	assert_null(out);
	assert_int_equal(logtext_json_pretty("[1,2]", 5, &out, &e), OD_EPARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_mask_small_buffer),
		cmocka_unit_test(test_groups_count_and_sort),
		cmocka_unit_test(test_groups_cap),
		cmocka_unit_test(test_json_pretty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
