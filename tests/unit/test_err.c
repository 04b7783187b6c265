/*
 * test_err.c: the error idiom: statuses, messages, prefixes, truncation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/err.h"

static void test_set_and_prefix(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(e.status, OD_OK);
	assert_string_equal(e.msg, "");
	assert_int_equal(err_set(&e, OD_EPARSE, "bad value \"%s\"", "x"), OD_EPARSE);
	assert_int_equal(e.status, OD_EPARSE);
	assert_string_equal(e.msg, "bad value \"x\"");
	assert_int_equal(err_prefix(&e, "%s:%d: ", "profile.yaml", 12), OD_EPARSE);
	assert_string_equal(e.msg, "profile.yaml:12: bad value \"x\"");
	/* NULL is accepted everywhere, so callers that do not care pass NULL. */
	assert_int_equal(err_set(NULL, OD_EIO, "ignored"), OD_EIO);
	err_clear(NULL);
	assert_int_equal(err_prefix(NULL, "x"), OD_OK);
}

static void test_truncation(void **state)
{
	struct err e;
	char big[2 * ERR_MSG_MAX];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&e, OD_ELIMIT, "%s", big);
	assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
	assert_string_equal(e.msg + ERR_MSG_MAX - 4, "...");
	err_prefix(&e, "ctx: ");
	assert_int_equal(strncmp(e.msg, "ctx: aaa", 8), 0);
	assert_string_equal(e.msg + ERR_MSG_MAX - 4, "...");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(od_status_name(OD_OK), "OD_OK");
	assert_string_equal(od_status_name(OD_ETIMEDOUT), "OD_ETIMEDOUT");
	assert_string_equal(od_status_text(OD_EPARSE), "malformed input");
	assert_string_equal(od_status_name((enum od_status)999), "OD_UNKNOWN");
	assert_string_equal(od_status_text((enum od_status)-1), "unknown error");
	for (int s = 0; s < OD_STATUS_COUNT; s++) {
		assert_non_null(od_status_name((enum od_status)s));
		assert_true(strlen(od_status_text((enum od_status)s)) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_prefix),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
