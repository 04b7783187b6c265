/*
 * schedule.c: checklist schedules in UTC, their slots, and due state.
 *
 * All arithmetic is on days since the epoch (timeutil's civil-date helpers),
 * never on struct tm in the local zone, so DST cannot shift or duplicate a
 * slot. Only schedule_format_badge reads the local zone, for display.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "opsdeck/schedule.h"
#include "opsdeck/timeutil.h"

#define DAY_S INT64_C(86400)

static const char *const weekday_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"
};
static const char *const nth_names[5] = { "first", "second", "third", "fourth", "fifth" };

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* 1970-01-01 was a Thursday. */
static int weekday_of_day(int64_t day)
{
	return (int)(((day % 7) + 7 + 4) % 7);
}

static int days_in_month(int64_t y, unsigned m)
{
	unsigned nm = m == 12 ? 1 : m + 1;
	int64_t ny = m == 12 ? y + 1 : y;
	return (int)(time_days_from_civil(ny, nm, 1) - time_days_from_civil(y, m, 1));
}

/* The slot day of a monthly schedule in month (y, m), or -1 when the month has none. */
static int64_t month_slot_day(const struct schedule *s, int64_t y, unsigned m)
{
	int64_t first = time_days_from_civil(y, m, 1);
	int dim = days_in_month(y, m);

	if (s->kind == SCHEDULE_MONTHLY_DAY)
		return first + (s->mday > dim ? dim : s->mday) - 1;
	if (s->nth < 0) {
		int64_t last = first + dim - 1;
		return last - ((weekday_of_day(last) - s->weekday + 7) % 7);
	}
	int64_t d = first + ((s->weekday - weekday_of_day(first) + 7) % 7) + 7 * (s->nth - 1);
	return d < first + dim ? d : -1;
}

int64_t schedule_prev(const struct schedule *s, int64_t t)
{
	int64_t hm = (int64_t)s->hour * 3600 + (int64_t)s->minute * 60;
	int64_t day = floor_div(t, DAY_S);

	switch (s->kind) {
	case SCHEDULE_DAILY: {
		int64_t slot = day * DAY_S + hm;
		return slot <= t ? slot : slot - DAY_S;
	}
	case SCHEDULE_WEEKLY: {
		int64_t back = (weekday_of_day(day) - s->weekday + 7) % 7;
		int64_t slot = (day - back) * DAY_S + hm;
		return slot <= t ? slot : slot - 7 * DAY_S;
	}
	case SCHEDULE_MONTHLY_WEEKDAY:
	case SCHEDULE_MONTHLY_DAY: {
		int64_t y;
		unsigned m, d;
		time_civil_from_days(day, &y, &m, &d);
		/* A fifth weekday can be missing for a few months in a row. */
		for (int i = 0; i < 15; i++) {
			int64_t sd = month_slot_day(s, y, m);
			if (sd >= 0 && sd * DAY_S + hm <= t)
				return sd * DAY_S + hm;
			if (--m == 0) {
				m = 12;
				y--;
			}
		}
		return t - 366 * DAY_S;
	}
	}
	return t;
}

int64_t schedule_next(const struct schedule *s, int64_t t)
{
	int64_t hm = (int64_t)s->hour * 3600 + (int64_t)s->minute * 60;
	int64_t day = floor_div(t, DAY_S);

	switch (s->kind) {
	case SCHEDULE_DAILY: {
		int64_t slot = day * DAY_S + hm;
		return slot > t ? slot : slot + DAY_S;
	}
	case SCHEDULE_WEEKLY: {
		int64_t fwd = (s->weekday - weekday_of_day(day) + 7) % 7;
		int64_t slot = (day + fwd) * DAY_S + hm;
		return slot > t ? slot : slot + 7 * DAY_S;
	}
	case SCHEDULE_MONTHLY_WEEKDAY:
	case SCHEDULE_MONTHLY_DAY: {
		int64_t y;
		unsigned m, d;
		time_civil_from_days(day, &y, &m, &d);
		for (int i = 0; i < 15; i++) {
			int64_t sd = month_slot_day(s, y, m);
			if (sd >= 0 && sd * DAY_S + hm > t)
				return sd * DAY_S + hm;
			if (++m == 13) {
				m = 1;
				y++;
			}
		}
		return t + 366 * DAY_S;
	}
	}
	return t;
}

void schedule_due(const struct schedule *s, int64_t last_run, int64_t now, struct due *out)
{
	int64_t slot = schedule_prev(s, now);

	memset(out, 0, sizeof(*out));
	out->next = schedule_next(s, now);
	out->slot = slot;
	if (last_run >= 0 && last_run >= slot) {
		out->state = DUE_DONE;
		out->done_at = last_run;
		return;
	}
	/* Count from the first slot the last run did not cover. */
	int64_t missed = slot;
	if (last_run >= 0) {
		int64_t first = schedule_next(s, last_run);
		if (first < missed)
			missed = first;
	}
	out->slot = missed;
	out->overdue_s = now - missed;
	if (out->overdue_s < s->grace_s) {
		out->state = DUE_DUE;
		out->overdue_s = 0;
		return;
	}
	out->state = DUE_OVERDUE;
	out->overdue_days = out->overdue_s / DAY_S;
}

/* Splits s into lower-cased words; returns their count (at most max). */
static size_t split_words(const char *s, char words[][16], size_t max, bool *too_long)
{
	size_t n = 0;
	*too_long = false;
	while (*s) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		size_t len = 0;
		while (*s && !isspace((unsigned char)*s)) {
			if (n < max && len < 15)
				words[n][len] = (char)tolower((unsigned char)*s);
			else
				*too_long = true;
			len++;
			s++;
		}
		if (n < max)
			words[n][len < 15 ? len : 15] = '\0';
		n++;
	}
	if (n > max)
		*too_long = true;
	return n;
}

static bool parse_weekday(const char *w, int *out)
{
	for (int i = 0; i < 7; i++) {
		if (strcmp(w, weekday_names[i]) == 0 ||
		    (strlen(w) == 3 && strncmp(w, weekday_names[i], 3) == 0)) {
			*out = i;
			return true;
		}
	}
	return false;
}

static bool parse_hhmm(const char *w, int *h, int *m)
{
	if (strlen(w) != 5 || w[2] != ':' || !isdigit((unsigned char)w[0]) ||
	    !isdigit((unsigned char)w[1]) || !isdigit((unsigned char)w[3]) ||
	    !isdigit((unsigned char)w[4]))
		return false;
	*h = (w[0] - '0') * 10 + (w[1] - '0');
	*m = (w[3] - '0') * 10 + (w[4] - '0');
	return *h < 24 && *m < 60;
}

enum od_status schedule_parse(const char *s, struct schedule *out, struct err *e)
{
	char w[6][16];
	bool too_long;
	size_t n = split_words(s, w, 6, &too_long);
	struct schedule sc = { .grace_s = SCHEDULE_DEFAULT_GRACE_S };
	const char *usage = "expected \"daily HH:MM\", \"weekly DAY HH:MM\", "
			    "\"monthly first|second|third|fourth|fifth|last DAY HH:MM\" "
			    "or \"monthly day N HH:MM\" (UTC)";

	if (too_long)
		goto bad;
	if (n >= 2 && strcmp(w[n - 1], "utc") == 0)
		n--;
	if (n == 0)
		goto bad;
	if (!parse_hhmm(w[n - 1], &sc.hour, &sc.minute)) {
		if (n >= 2)
			return err_set(e, OD_EPARSE, "invalid time \"%s\" in schedule \"%s\": expected HH:MM (UTC)",
				       w[n - 1], s);
		goto bad;
	}
	if (strcmp(w[0], "daily") == 0 && n == 2) {
		sc.kind = SCHEDULE_DAILY;
	} else if (strcmp(w[0], "weekly") == 0 && n == 3) {
		sc.kind = SCHEDULE_WEEKLY;
		if (!parse_weekday(w[1], &sc.weekday))
			return err_set(e, OD_EPARSE, "invalid weekday \"%s\" in schedule \"%s\"", w[1], s);
	} else if (strcmp(w[0], "monthly") == 0 && n == 4 && strcmp(w[1], "day") == 0) {
		char *end;
		long d = strtol(w[2], &end, 10);
		if (*end || d < 1 || d > 31)
			return err_set(e, OD_ERANGE, "invalid day of month \"%s\" in schedule \"%s\": expected 1-31",
				       w[2], s);
		sc.kind = SCHEDULE_MONTHLY_DAY;
		sc.mday = (int)d;
	} else if (strcmp(w[0], "monthly") == 0 && n == 4) {
		sc.kind = SCHEDULE_MONTHLY_WEEKDAY;
		sc.nth = 0;
		for (int i = 0; i < 5; i++)
			if (strcmp(w[1], nth_names[i]) == 0)
				sc.nth = i + 1;
		if (strcmp(w[1], "last") == 0)
			sc.nth = -1;
		if (sc.nth == 0)
			return err_set(e, OD_EPARSE, "invalid ordinal \"%s\" in schedule \"%s\": expected first, "
				       "second, third, fourth, fifth or last", w[1], s);
		if (!parse_weekday(w[2], &sc.weekday))
			return err_set(e, OD_EPARSE, "invalid weekday \"%s\" in schedule \"%s\"", w[2], s);
	} else {
		goto bad;
	}
	*out = sc;
	return OD_OK;
bad:
	return err_set(e, OD_EPARSE, "invalid schedule \"%.64s\": %s", s, usage);
}

void schedule_format(const struct schedule *s, char *out, size_t n)
{
	switch (s->kind) {
	case SCHEDULE_DAILY:
		snprintf(out, n, "daily %02d:%02d", s->hour, s->minute);
		break;
	case SCHEDULE_WEEKLY:
		snprintf(out, n, "weekly %s %02d:%02d", weekday_names[s->weekday], s->hour, s->minute);
		break;
	case SCHEDULE_MONTHLY_WEEKDAY:
		snprintf(out, n, "monthly %s %s %02d:%02d",
			 s->nth < 0 ? "last" : nth_names[s->nth - 1], weekday_names[s->weekday],
			 s->hour, s->minute);
		break;
	case SCHEDULE_MONTHLY_DAY:
		snprintf(out, n, "monthly day %d %02d:%02d", s->mday, s->hour, s->minute);
		break;
	}
}

void schedule_format_badge(const char *name, const struct due *d, const char *by,
			   int64_t now, char *out, size_t n)
{
	switch (d->state) {
	case DUE_DONE: {
		time_t t = (time_t)d->done_at, tn = (time_t)now;
		struct tm lt, ln;
		char when[32];
		localtime_r(&t, &lt);
		localtime_r(&tn, &ln);
		/* Today's runs show the time only; older ones the local weekday too. */
		if (lt.tm_year == ln.tm_year && lt.tm_yday == ln.tm_yday)
			strftime(when, sizeof(when), "%H:%M", &lt);
		else if (now - d->done_at < 6 * DAY_S)
			strftime(when, sizeof(when), "%a %H:%M", &lt);
		else
			strftime(when, sizeof(when), "%Y-%m-%d", &lt);
		if (by && *by)
			snprintf(out, n, "%s done %s by %s", name, when, by);
		else
			snprintf(out, n, "%s done %s", name, when);
		break;
	}
	case DUE_DUE:
		snprintf(out, n, "%s due", name);
		break;
	case DUE_OVERDUE:
		if (d->overdue_days > 0)
			snprintf(out, n, "%s overdue %lldd", name, (long long)d->overdue_days);
		else
			snprintf(out, n, "%s overdue %lldh", name, (long long)(d->overdue_s / 3600));
		break;
	}
}
