/*
 * duration.c: HumanDuration (the AGE column) and duration parsing.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/duration.h"

void duration_format_human(int64_t ns, char *out, size_t n)
{
	/* Go's int(d.Seconds()) truncates toward zero, as C's division does. */
	int64_t seconds = ns / NS_PER_SEC;

	if (seconds < -1) {
		snprintf(out, n, "<invalid>");
		return;
	}
	if (seconds < 0) {
		snprintf(out, n, "0s");
		return;
	}
	if (seconds < 60 * 2) {
		snprintf(out, n, "%llds", (long long)seconds);
		return;
	}
	int64_t minutes = seconds / 60;
	if (minutes < 10) {
		int64_t s = seconds % 60;
		if (s == 0)
			snprintf(out, n, "%lldm", (long long)minutes);
		else
			snprintf(out, n, "%lldm%llds", (long long)minutes, (long long)s);
		return;
	}
	if (minutes < 60 * 3) {
		snprintf(out, n, "%lldm", (long long)minutes);
		return;
	}
	int64_t hours = seconds / 3600;
	if (hours < 8) {
		int64_t m = minutes % 60;
		if (m == 0)
			snprintf(out, n, "%lldh", (long long)hours);
		else
			snprintf(out, n, "%lldh%lldm", (long long)hours, (long long)m);
	} else if (hours < 48) {
		snprintf(out, n, "%lldh", (long long)hours);
	} else if (hours < 24 * 8) {
		int64_t h = hours % 24;
		if (h == 0)
			snprintf(out, n, "%lldd", (long long)(hours / 24));
		else
			snprintf(out, n, "%lldd%lldh", (long long)(hours / 24), (long long)h);
	} else if (hours < 24 * 365 * 2) {
		snprintf(out, n, "%lldd", (long long)(hours / 24));
	} else if (hours < 24 * 365 * 8) {
		int64_t dy = hours / 24 % 365;
		if (dy == 0)
			snprintf(out, n, "%lldy", (long long)(hours / 24 / 365));
		else
			snprintf(out, n, "%lldy%lldd", (long long)(hours / 24 / 365), (long long)dy);
	} else {
		snprintf(out, n, "%lldy", (long long)(hours / 24 / 365));
	}
}

struct unit {
	const char *name;
	int64_t ns;
};

/* Longest names first, so "ms" is not read as "m". */
static const struct unit units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 }, /* µs, U+00B5 */
	{ "\xce\xbcs", 1000 }, /* μs, U+03BC */
	{ "ms", 1000000 },
	{ "s", NS_PER_SEC },
	{ "m", 60 * NS_PER_SEC },
	{ "h", 3600 * NS_PER_SEC },
	{ "d", 86400 * NS_PER_SEC },
	{ "w", 7 * 86400 * NS_PER_SEC },
};

static const struct unit *match_unit(const char *p, size_t *len)
{
	const struct unit *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t l = strlen(units[i].name);
		if (l > best_len && strncmp(p, units[i].name, l) == 0) {
			best = &units[i];
			best_len = l;
		}
	}
	*len = best_len;
	return best;
}

enum od_status duration_parse(const char *s, int64_t *out, struct err *e)
{
	const char *p = s;
	int neg = 0, any = 0;
	/* Accumulate in long double-free integer arithmetic: whole part and fraction. */
	int64_t total = 0;

	if (!s || !*s)
		return err_set(e, OD_EPARSE, "invalid duration \"\": want a number and a unit, "
					      "like 30s, 5m, 2h or 7d");
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (strcmp(p, "0") == 0) {
		*out = 0;
		return OD_OK;
	}
	while (*p) {
		int64_t whole = 0, frac = 0, scale = 1;
		int digits = 0;
		size_t ulen;

		while (isdigit((unsigned char)*p)) {
			if (whole > (INT64_MAX - 9) / 10)
				goto range;
			whole = whole * 10 + (*p++ - '0');
			digits++;
		}
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (scale < INT64_C(1000000000000000000) / 10) {
					frac = frac * 10 + (*p - '0');
					scale *= 10;
				}
				p++;
				digits++;
			}
		}
		if (!digits)
			goto bad;
		const struct unit *u = match_unit(p, &ulen);
		if (!u)
			goto bad;
		p += ulen;
		if (whole > INT64_MAX / u->ns)
			goto range;
		int64_t v = whole * u->ns;
		/* frac/scale of a unit, computed without overflow for any unit up to weeks */
		v += (int64_t)((long double)frac * (long double)u->ns / (long double)scale);
		if (v < 0 || total > INT64_MAX - v)
			goto range;
		total += v;
		any = 1;
	}
	if (!any)
		goto bad;
	*out = neg ? -total : total;
	return OD_OK;
bad:
	return err_set(e, OD_EPARSE, "invalid duration \"%.64s\": want a number and a unit, "
				      "like 30s, 5m, 2h or 7d", s);
range:
	return err_set(e, OD_ERANGE, "duration \"%.64s\" is too long", s);
}
