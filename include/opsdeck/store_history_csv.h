/*
 * store_history_csv.h: the runbooks' hand-kept resource history, as the
 * Matter Server runbook appends it:
 *
 *     echo "$(date),$(kubectl top pods ... | awk '{print $2","$3}')" >> matter-resources.csv
 *
 * which gives `Sun Nov 22 11:09:00 UTC 2026,87m,156Mi`. When the selector
 * matches several pods, kubectl prints one line each and only the first
 * gets the date: the following `92m,200Mi` lines belong to the same time.
 * A line with a date and nothing after it (no pod matched) carries no sample.
 */
#ifndef OPSDECK_STORE_HISTORY_CSV_H
#define OPSDECK_STORE_HISTORY_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

#define HISTORY_CSV_LINE_MAX 1024

/* State carried from line to line (the last date, the pod index under it). */
struct history_csv_state {
	int64_t ts;      /* 0 until a dated line was seen */
	int index;       /* 0 for the dated line's pod, 1.. for the continuation lines */
};

struct history_csv_row {
	int64_t ts;              /* seconds, UTC */
	int index;               /* which pod under this date (0 = first) */
	int64_t cpu_milli;
	int64_t memory_bytes;
};

/*
 * Parses one line (no newline). OD_OK with a row; OD_ENOENT for a blank,
 * comment (#) or header line, or a dated line without values; OD_EPARSE or
 * OD_ELIMIT with a message otherwise. Dates: `date`'s default output in the
 * C and English locales (weekday optional, AM/PM accepted), RFC 3339 /
 * `date -Iseconds`, "YYYY-MM-DD HH:MM[:SS]" and "YYYY-MM-DD" (UTC). Zones:
 * UTC/GMT/Z, numeric offsets, and a few common abbreviations.
 */
enum od_status store_history_csv_parse_line(const char *line, size_t len,
					    struct history_csv_state *state,
					    struct history_csv_row *row, struct err *e);

/* The date part alone (exposed for tests): seconds since the epoch, UTC. */
enum od_status store_history_csv_parse_date(const char *s, int64_t *ts, struct err *e);

#endif
