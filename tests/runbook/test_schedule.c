/*
 * test_schedule.c: schedule parsing, slots across day, week, month and year
 * boundaries, due/overdue state, and local display across DST changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsdeck/schedule.h"
#include "opsdeck/timeutil.h"

/* Epoch seconds of a UTC wall-clock time. */
static int64_t T(int y, int mo, int d, int h, int mi)
{
	return time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60;
}

static struct schedule S(const char *s)
{
	struct schedule sc;
	struct err e;
	if (schedule_parse(s, &sc, &e) != OD_OK)
		fail_msg("schedule_parse(\"%s\"): %s", s, e.msg);
	return sc;
}

/* POSIX TZ rules, so the tests need no installed zoneinfo database. */
#define NEW_YORK "EST5EDT,M3.2.0,M11.1.0"
#define BERLIN "CET-1CEST,M3.5.0,M10.5.0/3"
#define TOKYO "JST-9"

static void set_tz(const char *tz)
{
	if (tz)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
}

static void test_parse_format(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "daily 00:00", "daily 00:00" },
		{ "  Daily   7:05 ", NULL },
		{ "daily 07:05 UTC", "daily 07:05" },
		{ "weekly Sun 02:00 UTC", "weekly sunday 02:00" },
		{ "weekly wednesday 23:59", "weekly wednesday 23:59" },
		{ "monthly first saturday 06:00", "monthly first saturday 06:00" },
		{ "monthly FIRST Sat 06:00 utc", "monthly first saturday 06:00" },
		{ "monthly last friday 22:30", "monthly last friday 22:30" },
		{ "monthly fifth sat 01:00", "monthly fifth saturday 01:00" },
		{ "monthly day 31 06:00", "monthly day 31 06:00" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct schedule sc;
		struct err e;
		char out[64];
		enum od_status rc = schedule_parse(cases[i][0], &sc, &e);
		if (!cases[i][1]) {
			assert_int_not_equal(rc, OD_OK);
			continue;
		}
		assert_int_equal(rc, OD_OK);
		assert_int_equal(sc.grace_s, SCHEDULE_DEFAULT_GRACE_S);
		schedule_format(&sc, out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
		struct schedule again;
		assert_int_equal(schedule_parse(out, &again, &e), OD_OK);
		assert_memory_equal(&sc, &again, sizeof(sc));
	}
	static const char *const bad[] = {
		"", "hourly", "daily", "daily 24:00", "daily 12:60", "weekly 02:00", "weekly funday 02:00",
		"monthly sixth saturday 06:00", "monthly day 0 06:00", "monthly day 32 06:00",
		"monthly first 06:00", "daily 00:00 extra", "weekly sunday sunday sunday sunday 02:00",
		"weekly averyveryverylongweekday 02:00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct schedule sc;
		struct err e;
		assert_int_not_equal(schedule_parse(bad[i], &sc, &e), OD_OK);
		assert_non_null(strstr(e.msg, "schedule"));
	}
}

static void test_daily_boundaries(void **state)
{
	(void)state;
	struct schedule d = S("daily 00:00");
	assert_int_equal(schedule_prev(&d, T(2026, 11, 22, 0, 0)), T(2026, 11, 22, 0, 0));
	assert_int_equal(schedule_prev(&d, T(2026, 11, 22, 0, 0) - 1), T(2026, 11, 21, 0, 0));
	assert_int_equal(schedule_next(&d, T(2026, 11, 22, 0, 0)), T(2026, 11, 23, 0, 0));
	assert_int_equal(schedule_next(&d, T(2026, 12, 31, 23, 59)), T(2027, 1, 1, 0, 0));
	struct schedule late = S("daily 23:30");
	assert_int_equal(schedule_prev(&late, T(2027, 1, 1, 0, 10)), T(2026, 12, 31, 23, 30));
	assert_int_equal(schedule_next(&late, T(2028, 2, 28, 23, 31)), T(2028, 2, 29, 23, 30));
	/* Before the epoch still works (negative days). */
	assert_int_equal(schedule_prev(&d, -1), -86400);
}

static void test_weekly_boundaries(void **state)
{
	(void)state;
	struct schedule w = S("weekly sunday 02:00");   /* 2026-11-22 is a Sunday */
	assert_int_equal(schedule_prev(&w, T(2026, 11, 22, 1, 59)), T(2026, 11, 15, 2, 0));
	assert_int_equal(schedule_next(&w, T(2026, 11, 22, 1, 59)), T(2026, 11, 22, 2, 0));
	assert_int_equal(schedule_prev(&w, T(2026, 11, 22, 2, 0)), T(2026, 11, 22, 2, 0));
	assert_int_equal(schedule_next(&w, T(2026, 11, 22, 2, 0)), T(2026, 11, 29, 2, 0));
	/* Across the year: 2027-01-01 is a Friday. */
	assert_int_equal(schedule_prev(&w, T(2027, 1, 1, 12, 0)), T(2026, 12, 27, 2, 0));
	assert_int_equal(schedule_next(&w, T(2027, 1, 1, 12, 0)), T(2027, 1, 3, 2, 0));
	struct schedule sat = S("weekly saturday 23:00");
	assert_int_equal(schedule_prev(&sat, T(2026, 11, 22, 0, 0)), T(2026, 11, 21, 23, 0));
}

static void test_monthly_boundaries(void **state)
{
	(void)state;
	struct schedule m = S("monthly first saturday 06:00");
	/* First Saturdays: 2026-11-07, 2026-12-05, 2027-01-02. */
	assert_int_equal(schedule_prev(&m, T(2026, 12, 5, 5, 59)), T(2026, 11, 7, 6, 0));
	assert_int_equal(schedule_next(&m, T(2026, 12, 5, 5, 59)), T(2026, 12, 5, 6, 0));
	assert_int_equal(schedule_prev(&m, T(2026, 12, 5, 6, 0)), T(2026, 12, 5, 6, 0));
	assert_int_equal(schedule_prev(&m, T(2027, 1, 1, 23, 0)), T(2026, 12, 5, 6, 0));
	assert_int_equal(schedule_next(&m, T(2027, 1, 1, 23, 0)), T(2027, 1, 2, 6, 0));
	/* Last Friday of February 2027 (the 28th is a Sunday). */
	struct schedule lf = S("monthly last friday 22:30");
	assert_int_equal(schedule_next(&lf, T(2027, 2, 1, 0, 0)), T(2027, 2, 26, 22, 30));
	assert_int_equal(schedule_prev(&lf, T(2027, 3, 1, 0, 0)), T(2027, 2, 26, 22, 30));
	/* Day 31 in short months falls on their last day, leap years included. */
	struct schedule d31 = S("monthly day 31 06:00");
	assert_int_equal(schedule_next(&d31, T(2027, 2, 15, 0, 0)), T(2027, 2, 28, 6, 0));
	assert_int_equal(schedule_next(&d31, T(2028, 2, 15, 0, 0)), T(2028, 2, 29, 6, 0));
	assert_int_equal(schedule_prev(&d31, T(2027, 3, 1, 0, 0)), T(2027, 2, 28, 6, 0));
	assert_int_equal(schedule_next(&d31, T(2026, 12, 31, 6, 0)), T(2027, 1, 31, 6, 0));
	/* A fifth Saturday skips the months that have none. */
	struct schedule f5 = S("monthly fifth saturday 06:00");
	assert_int_equal(schedule_next(&f5, T(2026, 11, 1, 0, 0)), T(2027, 1, 30, 6, 0));
	assert_int_equal(schedule_prev(&f5, T(2026, 12, 31, 0, 0)), T(2026, 10, 31, 6, 0));
}

static void test_due_states(void **state)
{
	(void)state;
	struct schedule d = S("daily 00:00");
	struct due st;
	int64_t now = T(2026, 11, 22, 15, 0);

	schedule_due(&d, T(2026, 11, 22, 8, 12), now, &st);
	assert_int_equal(st.state, DUE_DONE);
	assert_int_equal(st.done_at, T(2026, 11, 22, 8, 12));
	assert_int_equal(st.next, T(2026, 11, 23, 0, 0));

	schedule_due(&d, T(2026, 11, 21, 8, 0), now, &st);
	assert_int_equal(st.state, DUE_DUE);
	assert_int_equal(st.slot, T(2026, 11, 22, 0, 0));

	schedule_due(&d, T(2026, 11, 20, 8, 0), now, &st);
	assert_int_equal(st.state, DUE_OVERDUE);
	assert_int_equal(st.slot, T(2026, 11, 21, 0, 0));
	assert_int_equal(st.overdue_days, 1);

	/* Never run: due from the latest slot, not from the epoch. */
	schedule_due(&d, -1, now, &st);
	assert_int_equal(st.state, DUE_DUE);

	/* Exactly at the slot it is due; a run exactly at the slot counts. */
	schedule_due(&d, T(2026, 11, 21, 9, 0), T(2026, 11, 22, 0, 0), &st);
	assert_int_equal(st.state, DUE_DUE);
	schedule_due(&d, T(2026, 11, 22, 0, 0), T(2026, 11, 22, 0, 0), &st);
	assert_int_equal(st.state, DUE_DONE);

	/* Monthly: done on 3 October, the November slot (7th) missed by 3 days. */
	struct schedule m = S("monthly first saturday 06:00");
	schedule_due(&m, T(2026, 10, 3, 7, 0), T(2026, 11, 10, 6, 0), &st);
	assert_int_equal(st.state, DUE_OVERDUE);
	assert_int_equal(st.overdue_days, 3);
	char badge[64];
	schedule_format_badge("monthly", &st, NULL, T(2026, 11, 10, 6, 0), badge, sizeof(badge));
	assert_string_equal(badge, "monthly overdue 3d");
	/* Missed two months: counted from the first missed slot. */
	schedule_due(&m, T(2026, 10, 3, 7, 0), T(2026, 12, 6, 6, 0), &st);
	assert_int_equal(st.overdue_days, 29);

	/* Weekly with a 2h grace (the Tapio runbook's 2-hour window). */
	struct schedule w = S("weekly sunday 02:00");
	w.grace_s = 2 * 3600;
	schedule_due(&w, T(2026, 11, 15, 3, 0), T(2026, 11, 22, 3, 30), &st);
	assert_int_equal(st.state, DUE_DUE);
	schedule_format_badge("weekly", &st, NULL, T(2026, 11, 22, 3, 30), badge, sizeof(badge));
	assert_string_equal(badge, "weekly due");
	schedule_due(&w, T(2026, 11, 15, 3, 0), T(2026, 11, 22, 5, 0), &st);
	assert_int_equal(st.state, DUE_OVERDUE);
	assert_int_equal(st.overdue_days, 0);
	schedule_format_badge("weekly", &st, NULL, T(2026, 11, 22, 5, 0), badge, sizeof(badge));
	assert_string_equal(badge, "weekly overdue 3h");
}

/* Slots are UTC: the local zone must not move them. */
static void test_slots_ignore_tz(void **state)
{
	(void)state;
	struct schedule m = S("monthly first saturday 06:00");
	struct schedule d = S("daily 02:30");
	set_tz("UTC");
	int64_t a = schedule_prev(&m, T(2026, 3, 29, 12, 0));
	int64_t b = schedule_next(&d, T(2026, 3, 29, 0, 0));
	set_tz(BERLIN);
	assert_int_equal(schedule_prev(&m, T(2026, 3, 29, 12, 0)), a);
	assert_int_equal(schedule_next(&d, T(2026, 3, 29, 0, 0)), b);
	set_tz(NEW_YORK);
	assert_int_equal(schedule_next(&d, T(2026, 3, 29, 0, 0)), b);
	assert_int_equal(b, T(2026, 3, 29, 2, 30));
	set_tz(NULL);
}

static void badge_at(const char *tz, int64_t done, int64_t now, const char *want)
{
	struct schedule d = S("daily 00:00");
	struct due st;
	char out[64];
	set_tz(tz);
	schedule_due(&d, done, now, &st);
	assert_int_equal(st.state, DUE_DONE);
	schedule_format_badge("daily", &st, "alice", now, out, sizeof(out));
	assert_string_equal(out, want);
	set_tz(NULL);
}

static void test_local_display_dst(void **state)
{
	(void)state;
	/* New York: EST (UTC-5) on 7 March 2026, EDT (UTC-4) from 8 March. */
	badge_at(NEW_YORK, T(2026, 3, 7, 12, 12), T(2026, 3, 7, 15, 0), "daily done 07:12 by alice");
	badge_at(NEW_YORK, T(2026, 3, 8, 12, 12), T(2026, 3, 8, 15, 0), "daily done 08:12 by alice");
	/* Berlin: CEST (UTC+2) until 25 October 2026, CET (UTC+1) after. */
	badge_at(BERLIN, T(2026, 10, 24, 6, 12), T(2026, 10, 24, 9, 0), "daily done 08:12 by alice");
	badge_at(BERLIN, T(2026, 10, 25, 7, 12), T(2026, 10, 25, 9, 0), "daily done 08:12 by alice");
	/* Tokyo (UTC+9): a run late on the UTC day is early on the local next day. */
	badge_at(TOKYO, T(2026, 11, 22, 20, 0), T(2026, 11, 22, 23, 0), "daily done 05:00 by alice");
	badge_at("UTC", T(2026, 11, 22, 8, 12), T(2026, 11, 22, 9, 0), "daily done 08:12 by alice");
}

static void test_badge_other_day(void **state)
{
	(void)state;
	struct schedule w = S("weekly sunday 02:00");
	struct due st;
	char out[64];
	set_tz("UTC");
	schedule_due(&w, T(2026, 11, 22, 3, 0), T(2026, 11, 24, 9, 0), &st);
	assert_int_equal(st.state, DUE_DONE);
	schedule_format_badge("weekly", &st, NULL, T(2026, 11, 24, 9, 0), out, sizeof(out));
	assert_string_equal(out, "weekly done Sun 03:00");
	struct schedule m = S("monthly first saturday 06:00");
	schedule_due(&m, T(2026, 11, 7, 7, 0), T(2026, 11, 30, 9, 0), &st);
	schedule_format_badge("monthly", &st, "bob", T(2026, 11, 30, 9, 0), out, sizeof(out));
	assert_string_equal(out, "monthly done 2026-11-07 by bob");
	set_tz(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_daily_boundaries),
		cmocka_unit_test(test_weekly_boundaries),
		cmocka_unit_test(test_monthly_boundaries),
		cmocka_unit_test(test_due_states),
		cmocka_unit_test(test_slots_ignore_tz),
		cmocka_unit_test(test_local_display_dst),
		cmocka_unit_test(test_badge_other_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
