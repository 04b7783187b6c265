/*
 * test_backoff.c: client-go's retry decision, Retry-After parsing, the
 * informer backoff, and the API server clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opsdeck/apiclock.h"
#include "opsdeck/backoff.h"

static void test_retry_after_parse(void **state)
{
	uint64_t s = 99;

	(void)state;
	assert_true(retry_after_parse("5", &s));
	assert_int_equal(s, 5);
	assert_true(retry_after_parse(" 12 ", &s));
	assert_int_equal(s, 12);
	assert_true(retry_after_parse("0", &s));
	assert_int_equal(s, 0);
	assert_true(retry_after_parse("+3", &s));
	assert_int_equal(s, 3);
	assert_true(retry_after_parse("-4", &s));
	assert_int_equal(s, 0);
	assert_true(retry_after_parse("99999999999999999999", &s));
	assert_int_equal(s, 86400);
	assert_false(retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT", &s));
	assert_false(retry_after_parse("1.5", &s));
	assert_false(retry_after_parse("", &s));
	assert_false(retry_after_parse("abc", &s));
	assert_false(retry_after_parse(NULL, &s));
}

static struct retry_decision decide(const char *method, int code, const char *ra, bool conn,
				    unsigned attempt)
{
	struct retry_input in = { method, code, ra, conn, attempt, 0.0 };
	return retry_decide(&in);
}

static void test_retry_rules(void **state)
{
	struct retry_decision d;

	(void)state;
	/* 429 and 5xx only with an integer Retry-After, after that long */
	d = decide("GET", 429, "2", false, 0);
	assert_true(d.retry);
	assert_int_equal(d.delay_ms, 2000);
	d = decide("POST", 503, "1", false, 0);
	assert_true(d.retry);
	assert_int_equal(d.delay_ms, 1000);
	d = decide("DELETE", 500, "0", false, 3);
	assert_true(d.retry);
	assert_int_equal(d.delay_ms, 0);
	assert_false(decide("GET", 503, NULL, false, 0).retry);
	assert_false(decide("GET", 429, "Wed, 21 Oct 2015 07:28:00 GMT", false, 0).retry);
	/* other codes never, even with Retry-After */
	assert_false(decide("GET", 404, "1", false, 0).retry);
	assert_false(decide("GET", 409, "1", false, 0).retry);
	assert_false(decide("GET", 200, "1", false, 0).retry);
	/* connection errors: GET only, with backoff */
	d = decide("GET", 0, NULL, true, 0);
	assert_true(d.retry);
	assert_int_equal(d.delay_ms, 800);
	d = decide("GET", 0, NULL, true, 2);
	assert_int_equal(d.delay_ms, 3200);
	d = decide("GET", 0, NULL, true, 9);
	assert_int_equal(d.delay_ms, 30000);
	assert_false(decide("POST", 0, NULL, true, 0).retry);
	assert_false(decide("PATCH", 0, NULL, true, 0).retry);
	assert_false(decide("GET", 0, NULL, false, 0).retry);
	/* at most ten retries */
	assert_true(decide("GET", 429, "1", false, 9).retry);
	assert_false(decide("GET", 429, "1", false, 10).retry);
	assert_false(decide("GET", 0, NULL, true, 10).retry);
	/* jitter adds up to 100% of a backoff step */
	struct retry_input in = { "GET", 0, NULL, true, 1, 0.5 };
	assert_int_equal(retry_decide(&in).delay_ms, 2400);
}

static void test_backoff_steps(void **state)
{
	struct backoff b;
	uint64_t now = 1000;
	uint64_t want[] = { 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000 };

	(void)state;
	backoff_init(&b);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(backoff_next(&b, now, 0.0), want[i]);
		now += 1000;
	}
	/* two minutes without failure: back to the start */
	now += 120001;
	assert_int_equal(backoff_next(&b, now, 0.0), 800);
	assert_int_equal(backoff_next(&b, now + 10, 0.0), 1600);
	/* jitter: within [step, 2*step) */
	assert_int_equal(backoff_next(&b, now + 20, 0.25), 4000);
	double j = backoff_jitter();
	assert_true(j >= 0.0 && j < 1.0);
}

static void test_api_clock(void **state)
{
	struct api_clock c = { 0 };
	struct od_time local = { 1000000, 0 };
	struct od_time server = { 1000000 + 3600, 0 };   /* server an hour ahead */

	(void)state;
	/* unknown: the local clock */
	assert_int_equal(api_clock_at(&c, local).sec, local.sec);
	api_clock_observe(&c, server, local);
	assert_true(c.known);
	assert_int_equal(c.skew_ms, 3600500);
	struct od_time now = api_clock_at(&c, (struct od_time){ 1000010, 900000000 });
	assert_int_equal(now.sec, 1000010 + 3601);
	assert_int_equal(now.nsec, 400000000);
	/* sub-second wobble is ignored; a real change is taken */
	api_clock_observe(&c, (struct od_time){ server.sec + 1, 0 }, (struct od_time){ local.sec + 1, 300000000 });
	assert_int_equal(c.skew_ms, 3600500);
	api_clock_observe(&c, (struct od_time){ server.sec - 7200, 0 }, local);
	assert_int_equal(c.skew_ms, -3600000 + 500);
	/* server behind: negative skew borrows from seconds */
	now = api_clock_at(&c, (struct od_time){ 2000000, 100000000 });
	assert_int_equal(now.sec, 2000000 - 3600);
	assert_int_equal(now.nsec, 600000000);
	assert_true(api_now(NULL).sec > 1700000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_after_parse),
		cmocka_unit_test(test_retry_rules),
		cmocka_unit_test(test_backoff_steps),
		cmocka_unit_test(test_api_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
