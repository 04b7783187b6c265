/*
 * timeutil.c: RFC 3339 and HTTP dates, without the C library's time zone
 * state (timegm and friends are not C11, and TZ must never change results).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "opsdeck/timeutil.h"

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits at *p into *out. */
static int read_digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return 0;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 1;
}

static int valid_civil(int y, int mo, int d, int h, int mi, int s)
{
	return mo >= 1 && mo <= 12 && d >= 1 && (unsigned)d <= days_in_month(y, (unsigned)mo) &&
	       h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

static int64_t civil_to_sec(int y, int mo, int d, int h, int mi, int s)
{
	return time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
}

enum od_status time_parse_rfc3339(const char *s, struct od_time *t, struct err *e)
{
	const char *p = s;
	int y, mo, d, h, mi, sec, nsec = 0;

	if (!s)
		return err_set(e, OD_EINVAL, "missing time");
	if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &mo) || *p++ != '-' ||
	    !read_digits(&p, 2, &d))
		goto bad;
	if (*p != 'T' && *p != 't' && *p != ' ')
		goto bad;
	p++;
	if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi) || *p++ != ':' ||
	    !read_digits(&p, 2, &sec))
		goto bad;
	if (*p == '.') {
		int ndig = 0;
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p)) {
			if (ndig < 9) {
				nsec = nsec * 10 + (*p - '0');
				ndig++;
			}
			p++;
		}
		while (ndig++ < 9)
			nsec *= 10;
	}
	if (!valid_civil(y, mo, d, h, mi, sec))
		goto bad;
	int64_t secs = civil_to_sec(y, mo, d, h, mi, sec);
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (!read_digits(&p, 2, &oh) || *p++ != ':' || !read_digits(&p, 2, &om) || oh > 23 ||
		    om > 59)
			goto bad;
		secs -= sign * (oh * 3600 + om * 60);
	} else {
		goto bad;
	}
	if (*p != '\0')
		goto bad;
	t->sec = secs;
	t->nsec = nsec;
	return OD_OK;
bad:
	return err_set(e, OD_EPARSE, "invalid time \"%.64s\": want RFC 3339, like 2006-01-02T15:04:05Z",
		       s);
}

static void split(struct od_time t, int64_t *y, unsigned *mo, unsigned *d, int *h, int *mi,
		  int *s)
{
	int64_t days = t.sec / 86400, rem = t.sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	time_civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem / 60 % 60);
	*s = (int)(rem % 60);
}

void time_format_rfc3339(struct od_time t, char *out, size_t n)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, mo, d, h, mi, s);
}

void time_format_rfc3339_micro(struct od_time t, char *out, size_t n)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02d.%06dZ", (long long)y, mo, d, h, mi, s,
		 t.nsec / 1000);
}

void time_format_rfc3339_nano(struct od_time t, char *out, size_t n)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s;
	char frac[12] = "";

	split(t, &y, &mo, &d, &h, &mi, &s);
	if (t.nsec > 0) {
		snprintf(frac, sizeof(frac), ".%09d", t.nsec);
		size_t l = strlen(frac);
		while (l > 1 && frac[l - 1] == '0')
			frac[--l] = '\0';
	}
	snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02d%sZ", (long long)y, mo, d, h, mi, s,
		 frac);
}

static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const day_names[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };

static int month_from_name(const char *p)
{
	for (int i = 0; i < 12; i++)
		if (strncmp(p, month_names[i], 3) == 0)
			return i + 1;
	return 0;
}

enum od_status time_parse_http_date(const char *s, struct od_time *t, struct err *e)
{
	const char *p;
	char mon[4] = "";
	int y = 0, d = 0, h = 0, mi = 0, sec = 0, mo;

	if (!s || !(p = strchr(s, ' ')))
		goto bad;
	p++;
	if (sscanf(p, "%2d %3s %4d %2d:%2d:%2d GMT", &d, mon, &y, &h, &mi, &sec) == 6) {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	} else if (sscanf(p, "%2d-%3s-%2d %2d:%2d:%2d GMT", &d, mon, &y, &h, &mi, &sec) == 6) {
		y += y < 70 ? 2000 : 1900; /* RFC 850 */
	} else if (sscanf(p, "%3s %2d %2d:%2d:%2d %4d", mon, &d, &h, &mi, &sec, &y) == 6) {
		/* asctime: Sun Nov  6 08:49:37 1994 */
	} else {
		goto bad;
	}
	mo = month_from_name(mon);
	if (!mo || !valid_civil(y, mo, d, h, mi, sec))
		goto bad;
	t->sec = civil_to_sec(y, mo, d, h, mi, sec);
	t->nsec = 0;
	return OD_OK;
bad:
	return err_set(e, OD_EPARSE, "invalid HTTP date \"%.64s\"", s ? s : "");
}

void time_format_http_date(struct od_time t, char *out, size_t n)
{
	int64_t y, days = t.sec / 86400;
	unsigned mo, d;
	int h, mi, s;

	if (t.sec % 86400 < 0)
		days--;
	split(t, &y, &mo, &d, &h, &mi, &s);
	int wd = (int)(((days % 7) + 7) % 7);
	snprintf(out, n, "%s, %02u %s %04lld %02d:%02d:%02d GMT", day_names[wd], d,
		 month_names[mo - 1], (long long)y, h, mi, s);
}

struct od_time time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (struct od_time){ .sec = ts.tv_sec, .nsec = (int32_t)ts.tv_nsec };
}

uint64_t time_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int64_t time_diff_ns(struct od_time a, struct od_time b)
{
	int64_t ds = b.sec - a.sec;
	const int64_t lim = INT64_MAX / 1000000000 - 1;
	if (ds > lim)
		return INT64_MAX;
	if (ds < -lim)
		return INT64_MIN;
	return ds * 1000000000 + (b.nsec - a.nsec);
}
