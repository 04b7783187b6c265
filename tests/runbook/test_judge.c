/*
 * test_judge.c: PASS/WARN/FAIL at and around every threshold kind, and the
 * evidence text reports show ("87m", "target: <200m").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/judge.h"

#define MI (INT64_C(1) << 20)
#define DAY INT64_C(86400)

static struct check_spec spec(enum check_kind k)
{
	struct check_spec cs;
	memset(&cs, 0, sizeof(cs));
	cs.kind = k;
	cs.max = cs.min = cs.tail = cs.top = cs.min_days_to_full = -1;
	return cs;
}

static void expect(const struct check_spec *cs, int64_t v, enum check_status want,
		   const char *value, const char *target)
{
	char out[96];
	assert_string_equal(check_status_name(check_judge(cs, v)), check_status_name(want));
	check_format_value(cs, v, out, sizeof(out));
	assert_string_equal(out, value);
	check_format_target(cs, out, sizeof(out));
	assert_string_equal(out, target);
}

static void test_cpu_memory(void **state)
{
	(void)state;
	/* Matter Server daily: CPU target <200m, fail above 300m. */
	struct check_spec cpu = spec(CHECK_CPU);
	cpu.warn_above = (struct threshold){ true, 200 };
	cpu.fail_above = (struct threshold){ true, 300 };
	expect(&cpu, 87, CHECK_STATUS_PASS, "87m", "target: <200m, fail: >300m");
	expect(&cpu, 200, CHECK_STATUS_PASS, "200m", "target: <200m, fail: >300m");
	expect(&cpu, 201, CHECK_STATUS_WARN, "201m", "target: <200m, fail: >300m");
	expect(&cpu, 301, CHECK_STATUS_FAIL, "301m", "target: <200m, fail: >300m");
	struct check_spec mem = spec(CHECK_MEMORY);
	mem.warn_above = (struct threshold){ true, 400 * MI };
	expect(&mem, 260 * MI, CHECK_STATUS_PASS, "260Mi", "target: <400Mi");
	expect(&mem, 450 * MI, CHECK_STATUS_WARN, "450Mi", "target: <400Mi");
}

static void test_percent_and_numbers(void **state)
{
	(void)state;
	struct check_spec pvc = spec(CHECK_PVC_USAGE);
	pvc.warn_above = (struct threshold){ true, 8000 };
	pvc.fail_above = (struct threshold){ true, 8500 };
	expect(&pvc, 7250, CHECK_STATUS_PASS, "72.5%", "target: <80%, fail: >85%");
	expect(&pvc, 8100, CHECK_STATUS_WARN, "81%", "target: <80%, fail: >85%");
	expect(&pvc, 9999, CHECK_STATUS_FAIL, "99.99%", "target: <80%, fail: >85%");
	struct check_spec q = spec(CHECK_PROMETHEUS_QUERY);
	q.warn_above = (struct threshold){ true, 50 };
	q.fail_above = (struct threshold){ true, 100 };
	expect(&q, 45, CHECK_STATUS_PASS, "0.045", "target: <0.05, fail: >0.1");
	expect(&q, 2000, CHECK_STATUS_FAIL, "2", "target: <0.05, fail: >0.1");
	struct check_spec low = spec(CHECK_PROMETHEUS_QUERY);
	low.warn_below = (struct threshold){ true, 900 };
	low.fail_below = (struct threshold){ true, 500 };
	expect(&low, 950, CHECK_STATUS_PASS, "0.95", "target: >0.9, fail: <0.5");
	expect(&low, 800, CHECK_STATUS_WARN, "0.8", "target: >0.9, fail: <0.5");
	expect(&low, -1500, CHECK_STATUS_FAIL, "-1.5", "target: >0.9, fail: <0.5");
	struct check_spec g = spec(CHECK_STORAGE_GROWTH);
	g.warn_above = (struct threshold){ true, 50 * MI };
	g.min_days_to_full = 30;
	expect(&g, 3 * MI, CHECK_STATUS_PASS, "3Mi/d", "target: <50Mi/d, full in >30d");
	assert_int_equal(check_judge_days_to_full(&g, 29), CHECK_STATUS_WARN);
	assert_int_equal(check_judge_days_to_full(&g, 30), CHECK_STATUS_PASS);
	assert_int_equal(check_judge_days_to_full(&g, -1), CHECK_STATUS_PASS);
}

static void test_counts(void **state)
{
	(void)state;
	struct check_spec r = spec(CHECK_RESTARTS);   /* none allowed by default */
	expect(&r, 0, CHECK_STATUS_PASS, "0", "max 0");
	expect(&r, 2, CHECK_STATUS_WARN, "2", "max 0");
	r.max = 3;
	expect(&r, 3, CHECK_STATUS_PASS, "3", "max 3");
	struct check_spec l = spec(CHECK_LOG_PATTERNS);   /* no limit unless given */
	expect(&l, 500, CHECK_STATUS_PASS, "500", "");
	l.min = 1;
	expect(&l, 0, CHECK_STATUS_WARN, "0", "at least 1");
	l.max = 10;
	expect(&l, 11, CHECK_STATUS_WARN, "11", "max 10, at least 1");
	struct check_spec ev = spec(CHECK_NO_WARNING_EVENTS);
	expect(&ev, 1, CHECK_STATUS_WARN, "1", "max 0");
	struct check_spec al = spec(CHECK_NO_FIRING_ALERTS);
	assert_int_equal(check_judge(&al, 0), CHECK_STATUS_PASS);
	assert_int_equal(check_judge(&al, 2), CHECK_STATUS_WARN);
}

static void test_ages_and_certs(void **state)
{
	(void)state;
	struct check_spec s = spec(CHECK_SNAPSHOT_RECENT);
	s.max_age_ns = 25 * 3600 * NS_PER_SEC;
	expect(&s, 3600, CHECK_STATUS_PASS, "60m", "max age 25h");
	expect(&s, 25 * 3600, CHECK_STATUS_PASS, "25h", "max age 25h");
	expect(&s, 26 * 3600, CHECK_STATUS_FAIL, "26h", "max age 25h");
	expect(&s, -1, CHECK_STATUS_FAIL, "none", "max age 25h");
	struct check_spec t = spec(CHECK_TLS_CERT);
	t.warn_within_ns = 30 * DAY * NS_PER_SEC;
	t.fail_within_ns = 7 * DAY * NS_PER_SEC;
	expect(&t, 62 * DAY, CHECK_STATUS_PASS, "62d", "target: >30d, fail: <7d");
	expect(&t, 20 * DAY, CHECK_STATUS_WARN, "20d", "target: >30d, fail: <7d");
	expect(&t, 6 * DAY, CHECK_STATUS_FAIL, "6d", "target: >30d, fail: <7d");
	expect(&t, 0, CHECK_STATUS_FAIL, "0s", "target: >30d, fail: <7d");
}

static void test_conditions_and_manual(void **state)
{
	(void)state;
	struct check_spec p = spec(CHECK_PODS_READY);
	expect(&p, 1, CHECK_STATUS_PASS, "yes", "");
	expect(&p, 0, CHECK_STATUS_FAIL, "no", "");
	struct check_spec m = spec(CHECK_MANUAL);
	assert_int_equal(check_judge(&m, 1), CHECK_STATUS_UNKNOWN);
	assert_string_equal(check_status_name(CHECK_STATUS_UNKNOWN), "UNKNOWN");
	char small[4];
	struct check_spec cpu = spec(CHECK_CPU);
	cpu.warn_above = (struct threshold){ true, 200 };
	check_format_target(&cpu, small, sizeof(small));   /* truncates, never overflows */
	assert_int_equal(strlen(small), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_memory),
		cmocka_unit_test(test_percent_and_numbers),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_ages_and_certs),
		cmocka_unit_test(test_conditions_and_manual),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
