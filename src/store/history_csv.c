/*
 * history_csv.c: the runbooks' `date,cpu,memory` lines. Dates are parsed by
 * hand (strptime depends on the locale and ignores zones); quantities by
 * the core quantity parser.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/quantity.h"
#include "opsdeck/store_history_csv.h"
#include "opsdeck/timeutil.h"

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun",
					"jul", "aug", "sep", "oct", "nov", "dec" };
static const char *const weekdays[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

static const struct {
	const char *name;
	int minutes;
} zones[] = {
	{ "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "UT", 0 }, { "WET", 0 }, { "WEST", 60 },
	{ "BST", 60 }, { "CET", 60 }, { "CEST", 120 }, { "EET", 120 }, { "EEST", 180 },
	{ "MSK", 180 }, { "EST", -300 }, { "EDT", -240 }, { "CDT", -300 }, { "MST", -420 },
	{ "MDT", -360 }, { "PST", -480 }, { "PDT", -420 }, { "JST", 540 }, { "KST", 540 },
	{ "AEST", 600 }, { "AEDT", 660 }, { "NZST", 720 }, { "NZDT", 780 },
};

#define TOKENS_MAX 10

/* Splits s on spaces into at most TOKENS_MAX words in buf. */
static int split_words(const char *s, char buf[TOKENS_MAX][40])
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == TOKENS_MAX)
			return -1;
		size_t k = 0;
		while (*s && *s != ' ' && *s != '\t') {
			if (k + 1 >= 40)
				return -1;
			buf[n][k++] = *s++;
		}
		buf[n][k] = '\0';
		n++;
	}
	return n;
}

static int month_of(const char *w)
{
	if (strlen(w) < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(w, months[i], 3) == 0)
			return i + 1;
	return -1;
}

static bool is_weekday(const char *w)
{
	for (int i = 0; i < 7; i++)
		if (strncasecmp(w, weekdays[i], 3) == 0 && strlen(w) <= 9 && isalpha((unsigned char)w[0]))
			return true;
	return false;
}

static bool all_digits(const char *w, size_t min, size_t max)
{
	size_t n = strlen(w);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)w[i]))
			return false;
	return true;
}

static bool parse_clock(const char *w, int *h, int *m, int *sec)
{
	int n = 0;
	*sec = 0;
	if (sscanf(w, "%2d:%2d:%2d%n", h, m, sec, &n) == 3 && w[n] == '\0')
		return *h < 24 && *m < 60 && *sec < 61;
	if (sscanf(w, "%2d:%2d%n", h, m, &n) == 2 && w[n] == '\0')
		return *h < 24 && *m < 60;
	return false;
}

/* "+0100", "-05:00", "+01"; false when w is not an offset. */
static bool parse_offset(const char *w, int *minutes)
{
	int hh, mm = 0, n = 0;
	if (w[0] != '+' && w[0] != '-')
		return false;
	if (all_digits(w + 1, 4, 4)) {
		sscanf(w + 1, "%2d%2d", &hh, &mm);
	} else if (sscanf(w + 1, "%2d:%2d%n", &hh, &mm, &n) == 2 && w[1 + n] == '\0') {
		;
	} else if (all_digits(w + 1, 2, 2)) {
		sscanf(w + 1, "%2d", &hh);
	} else {
		return false;
	}
	if (hh > 14 || mm > 59)
		return false;
	*minutes = (w[0] == '-' ? -1 : 1) * (hh * 60 + mm);
	return true;
}

static bool parse_zone(const char *w, int *minutes)
{
	if (parse_offset(w, minutes))
		return true;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcasecmp(w, zones[i].name) == 0) {
			*minutes = zones[i].minutes;
			return true;
		}
	return false;
}

static enum od_status civil_to_ts(int64_t y, int mo, int d, int h, int mi, int s, int off_min,
				  int64_t *ts, const char *in, struct err *e)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return err_set(e, OD_EPARSE, "bad date \"%.60s\"", in);
	*ts = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s -
	      (int64_t)off_min * 60;
	return OD_OK;
}

/* "2026-11-22", "2026-11-22T11:09:00Z", "2026-11-22 11:09[:00][ +01:00|Z]". */
static enum od_status parse_iso(const char *s, int64_t *ts, struct err *e)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return err_set(e, OD_EPARSE, "bad date \"%.60s\"", s);
	const char *p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		char clock[16];
		size_t k = 0;
		while (*p && (isdigit((unsigned char)*p) || *p == ':') && k + 1 < sizeof(clock))
			clock[k++] = *p++;
		clock[k] = '\0';
		if (!parse_clock(clock, &h, &mi, &sec))
			return err_set(e, OD_EPARSE, "bad time in \"%.60s\"", s);
		if (*p == '.')   /* fractions of a second */
			for (p++; isdigit((unsigned char)*p); p++)
				;
		while (*p == ' ')
			p++;
		if (*p && !parse_zone(p, &off))
			return err_set(e, OD_EPARSE, "unknown time zone in \"%.60s\"", s);
	} else if (*p) {
		return err_set(e, OD_EPARSE, "bad date \"%.60s\"", s);
	}
	return civil_to_ts(y, mo, d, h, mi, sec, off, ts, s, e);
}

/* `date` output: [Wkd] Mon DD HH:MM:SS [AM|PM] [ZONE] YYYY, or [Wkd] DD Mon YYYY HH:MM:SS [AM|PM] [ZONE]. */
static enum od_status parse_date_words(const char *s, int64_t *ts, struct err *e)
{
	char w[TOKENS_MAX][40];
	int n = split_words(s, w);
	int y = -1, mo = -1, d = -1, h = -1, mi = 0, sec = 0, off = 0;
	bool pm = false, am = false, zone = false;

	if (n <= 0)
		return err_set(e, OD_EPARSE, "bad date \"%.60s\"", s);
	for (int i = 0; i < n; i++) {
		int z;
		if (i == 0 && is_weekday(w[i]) && month_of(w[i]) < 0)
			continue;
		if (strchr(w[i], ':') && h < 0 && parse_clock(w[i], &h, &mi, &sec))
			continue;
		if (strcasecmp(w[i], "AM") == 0) {
			am = true;
			continue;
		}
		if (strcasecmp(w[i], "PM") == 0) {
			pm = true;
			continue;
		}
		if (mo < 0 && !all_digits(w[i], 1, 9) && month_of(w[i]) > 0 && strlen(w[i]) <= 9) {
			mo = month_of(w[i]);
			continue;
		}
		if (all_digits(w[i], 4, 4) && y < 0) {
			sscanf(w[i], "%d", &y);
			continue;
		}
		if (all_digits(w[i], 1, 2) && d < 0) {
			sscanf(w[i], "%d", &d);
			continue;
		}
		if (!zone && parse_zone(w[i], &z)) {
			off = z;
			zone = true;
			continue;
		}
		return err_set(e, OD_EPARSE, "cannot read \"%.40s\" in the date \"%.60s\"", w[i], s);
	}
	if (y < 0 || mo < 0 || d < 0 || h < 0)
		return err_set(e, OD_EPARSE, "incomplete date \"%.60s\"", s);
	if ((am || pm) && (h < 1 || h > 12))
		return err_set(e, OD_EPARSE, "bad 12-hour time in \"%.60s\"", s);
	if (pm && h != 12)
		h += 12;
	if (am && h == 12)
		h = 0;
	return civil_to_ts(y, mo, d, h, mi, sec, off, ts, s, e);
}

enum od_status store_history_csv_parse_date(const char *s, int64_t *ts, struct err *e)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (isdigit((unsigned char)s[0]) && strlen(s) >= 10 && s[4] == '-')
		return parse_iso(s, ts, e);
	return parse_date_words(s, ts, e);
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	size_t k = 0;
	while (s[k] == ' ' || s[k] == '\t')
		k++;
	memmove(s, s + k, n - k + 1);
}

static enum od_status parse_values(const char *cpu, const char *mem, struct history_csv_row *row,
				   struct err *e)
{
	if (!quantity_parse_milli(cpu, &row->cpu_milli) || row->cpu_milli < 0)
		return err_set(e, OD_EPARSE, "bad CPU value \"%.32s\"", cpu);
	if (!quantity_parse_value(mem, &row->memory_bytes) || row->memory_bytes < 0)
		return err_set(e, OD_EPARSE, "bad memory value \"%.32s\"", mem);
	return OD_OK;
}

enum od_status store_history_csv_parse_line(const char *line, size_t len,
					    struct history_csv_state *state,
					    struct history_csv_row *row, struct err *e)
{
	char buf[HISTORY_CSV_LINE_MAX + 1];
	char *f[4];
	int nf = 0;

	if (len > HISTORY_CSV_LINE_MAX)
		return err_set(e, OD_ELIMIT, "line longer than %d bytes", HISTORY_CSV_LINE_MAX);
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		return err_set(e, OD_EPARSE, "NUL byte in the line");
	trim(buf);
	if (buf[0] == '\0' || buf[0] == '#')
		return OD_ENOENT;
	f[nf++] = buf;
	for (char *p = buf; *p; p++) {
		if (*p != ',')
			continue;
		if (nf == 4)
			return err_set(e, OD_EPARSE, "too many fields (want date,cpu,memory)");
		*p = '\0';
		f[nf++] = p + 1;
	}
	for (int i = 0; i < nf; i++)
		trim(f[i]);
	if (nf == 3 && f[1][0] == '\0' && f[2][0] == '\0')
		nf = 2;
	if (nf == 2 && f[1][0] == '\0') {   /* "date," : no pod matched then */
		int64_t ts;
		enum od_status rc = store_history_csv_parse_date(f[0], &ts, e);
		if (rc != OD_OK)
			return rc;
		state->ts = ts;
		state->index = 0;
		return OD_ENOENT;
	}
	if (nf == 3) {
		if (strcasecmp(f[0], "date") == 0)   /* a header someone added */
			return OD_ENOENT;
		enum od_status rc = store_history_csv_parse_date(f[0], &row->ts, e);
		if (rc != OD_OK)
			return rc;
		state->ts = row->ts;
		state->index = 0;
		row->index = 0;
		return parse_values(f[1], f[2], row, e);
	}
	if (nf == 2) {   /* another pod under the previous date */
		if (state->ts == 0)
			return err_set(e, OD_EPARSE, "values without a date before them");
		row->ts = state->ts;
		row->index = ++state->index;
		return parse_values(f[0], f[1], row, e);
	}
	return err_set(e, OD_EPARSE, "want date,cpu,memory");
}
