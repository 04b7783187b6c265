/*
 * schedule.h: when a checklist is due.
 *
 * Schedules are in UTC, as the runbooks write them ("Sunday 02:00 UTC",
 * "First Saturday of month, 06:00 UTC"), so DST never moves a slot. Due state
 * comes from the schedule, the last completed run and now; only the display
 * turns times into the local zone.
 */
#ifndef OPSDECK_SCHEDULE_H
#define OPSDECK_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

enum schedule_kind {
	SCHEDULE_DAILY,            /* every day at hh:mm */
	SCHEDULE_WEEKLY,           /* every week on weekday at hh:mm */
	SCHEDULE_MONTHLY_WEEKDAY,  /* the nth (1-5, or -1 = last) weekday of the month */
	SCHEDULE_MONTHLY_DAY       /* day mday (1-31; short months use their last day) */
};

struct schedule {
	enum schedule_kind kind;
	int hour, minute;          /* UTC */
	int weekday;               /* 0 = Sunday .. 6 = Saturday */
	int nth;                   /* MONTHLY_WEEKDAY: 1..5 or -1 */
	int mday;                  /* MONTHLY_DAY: 1..31 */
	int64_t grace_s;           /* due this long after a slot, overdue after */
};

/* Default grace: a slot missed for a day is overdue. */
#define SCHEDULE_DEFAULT_GRACE_S (24 * 3600)

/*
 * Parses "daily 00:00", "weekly sunday 02:00", "monthly first saturday
 * 06:00", "monthly last friday 22:30", "monthly day 15 06:00" (case and
 * extra blanks ignored; weekdays may be three letters; times are UTC and
 * may end in " UTC"). The grace is the default.
 */
enum od_status schedule_parse(const char *s, struct schedule *out, struct err *e);

/* Writes the canonical form that schedule_parse reads back. */
void schedule_format(const struct schedule *s, char *out, size_t n);

/* The latest slot at or before t, and the first one after t (epoch seconds). */
int64_t schedule_prev(const struct schedule *s, int64_t t);
int64_t schedule_next(const struct schedule *s, int64_t t);

enum due_state {
	DUE_DONE,      /* the latest slot's run is done */
	DUE_DUE,       /* a slot passed less than grace ago and is not done */
	DUE_OVERDUE    /* a slot passed grace or more ago and is not done */
};

struct due {
	enum due_state state;
	int64_t slot;          /* the slot this state is about (epoch s) */
	int64_t done_at;       /* DUE_DONE: the run's time */
	int64_t overdue_s;     /* DUE_OVERDUE: now - first missed slot */
	int64_t overdue_days;  /* whole days of overdue_s */
	int64_t next;          /* the next slot after now */
};

/*
 * Due state at now for a checklist last completed at last_run (epoch s; a
 * negative value means never). Overdue time counts from the first slot
 * after the last run, or from the latest slot when it never ran.
 */
void schedule_due(const struct schedule *s, int64_t last_run, int64_t now, struct due *out);

/*
 * A status-bar badge in the local time zone (TZ): "daily done 08:12 by
 * alice", "daily done Sat 08:12" (another day), "weekly due",
 * "monthly overdue 3d", "monthly overdue 5h". by may be NULL.
 */
void schedule_format_badge(const char *name, const struct due *d, const char *by,
			   int64_t now, char *out, size_t n);

#endif
