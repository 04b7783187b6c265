/*
 * test_timeutil.c: RFC 3339 and HTTP dates, round trips and malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/timeutil.h"

static void test_parse_rfc3339(void **state)
{
	struct od_time t;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(time_parse_rfc3339("1970-01-01T00:00:00Z", &t, &e), OD_OK);
	assert_int_equal(t.sec, 0);
	assert_int_equal(time_parse_rfc3339("2026-11-22T10:56:40Z", &t, &e), OD_OK);
	assert_int_equal(t.sec, 1795345000);
	assert_int_equal(t.nsec, 0);
	assert_int_equal(time_parse_rfc3339("2026-11-22T10:56:40.5Z", &t, &e), OD_OK);
	assert_int_equal(t.nsec, 500000000);
	assert_int_equal(time_parse_rfc3339("2026-11-22T10:56:40.123456789Z", &t, &e), OD_OK);
	assert_int_equal(t.nsec, 123456789);
	assert_int_equal(time_parse_rfc3339("2026-11-22T10:56:40.1234567891Z", &t, &e), OD_OK);
	assert_int_equal(t.nsec, 123456789);
	assert_int_equal(time_parse_rfc3339("2026-11-22T11:56:40+01:00", &t, &e), OD_OK);
	assert_int_equal(t.sec, 1795345000);
	assert_int_equal(time_parse_rfc3339("2026-11-22t05:26:40-05:30", &t, &e), OD_OK);
	assert_int_equal(t.sec, 1795345000);
	assert_int_equal(time_parse_rfc3339("2024-02-29T00:00:00Z", &t, &e), OD_OK);
	assert_int_equal(time_parse_rfc3339("1969-12-31T23:59:59Z", &t, &e), OD_OK);
	assert_int_equal(t.sec, -1);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-11-22", "2026-11-22T10:56Z", "2026-11-22T10:56:40",
		"2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
		"2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z", "2026-11-22T10:56:60Z",
		"2026-11-22T10:56:40.Z", "2026-11-22T10:56:40+0100", "2026-11-22T10:56:40ZZ",
		"2026-11-22X10:56:40Z", "26-11-22T10:56:40Z", "2026-11-22T10:56:40+25:00",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct od_time t;
		struct err e = { 0 };
		if (time_parse_rfc3339(bad[i], &t, &e) != OD_EPARSE)
			fail_msg("\"%s\" was accepted", bad[i]);
		char want[64];
		snprintf(want, sizeof(want), "\"%s\"", bad[i]);
		assert_non_null(strstr(e.msg, want));
	}
	assert_int_equal(time_parse_rfc3339(NULL, &(struct od_time){ 0 }, NULL), OD_EINVAL);
}

static void test_format(void **state)
{
	char buf[TIME_RFC3339_MAX];
	struct od_time t = { .sec = 1795345000, .nsec = 120000000 };

	(void)state;
	time_format_rfc3339(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T10:56:40Z");
	time_format_rfc3339_micro(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T10:56:40.120000Z");
	time_format_rfc3339_nano(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T10:56:40.12Z");
	t.nsec = 0;
	time_format_rfc3339_nano(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T10:56:40Z");
	time_format_rfc3339((struct od_time){ .sec = -1 }, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void test_round_trip(void **state)
{
	(void)state;
	srand(7);
	for (int i = 0; i < 20000; i++) {
		struct od_time t = { .sec = (int64_t)(rand() % 2000000) * 4000 - 2000000000LL, .nsec = 0 };
		struct od_time back;
		char buf[TIME_RFC3339_MAX];
		time_format_rfc3339(t, buf, sizeof(buf));
		assert_int_equal(time_parse_rfc3339(buf, &back, NULL), OD_OK);
		assert_int_equal(back.sec, t.sec);
		time_format_http_date(t, buf, sizeof(buf));
		assert_int_equal(time_parse_http_date(buf, &back, NULL), OD_OK);
		assert_int_equal(back.sec, t.sec);
	}
}

static void test_http_date(void **state)
{
	struct od_time t;
	char buf[TIME_RFC3339_MAX];

	(void)state;
	assert_int_equal(time_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t, NULL), OD_OK);
	assert_int_equal(t.sec, 784111777);
	assert_int_equal(time_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &t, NULL), OD_OK);
	assert_int_equal(t.sec, 784111777);
	assert_int_equal(time_parse_http_date("Sun Nov  6 08:49:37 1994", &t, NULL), OD_OK);
	assert_int_equal(t.sec, 784111777);
	time_format_http_date((struct od_time){ .sec = 1795345000 }, buf, sizeof(buf));
	assert_string_equal(buf, "Sun, 22 Nov 2026 10:56:40 GMT");
	struct err e = { 0 };
	assert_int_equal(time_parse_http_date("yesterday", &t, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "yesterday"));
	assert_int_equal(time_parse_http_date("Sun, 31 Feb 2026 10:00:00 GMT", &t, NULL), OD_EPARSE);
	assert_int_equal(time_parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT", &t, NULL), OD_EPARSE);
}

static void test_civil(void **state)
{
	int64_t y;
	unsigned m, d;

	(void)state;
	assert_int_equal(time_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(time_days_from_civil(2000, 3, 1), 11017);
	time_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	assert_int_equal(time_diff_ns((struct od_time){ 10, 5 }, (struct od_time){ 12, 1 }),
			 2000000000 - 4);
	assert_true(time_diff_ns((struct od_time){ INT64_MIN / 2, 0 },
				 (struct od_time){ INT64_MAX / 2, 0 }) == INT64_MAX);
	uint64_t a = time_mono_ms(), b = time_mono_ms();
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rfc3339),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_http_date),
		cmocka_unit_test(test_civil),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
