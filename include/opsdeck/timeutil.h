/*
 * timeutil.h: wall-clock time as Kubernetes writes it.
 *
 * RFC 3339 timestamps (creationTimestamp, metrics windows, log lines) and the
 * HTTP Date header, which is how opsdeck learns the API server's clock.
 */
#ifndef OPSDECK_TIMEUTIL_H
#define OPSDECK_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

/* A point in time: seconds since the Unix epoch (UTC) plus nanoseconds. */
struct od_time {
	int64_t sec;
	int32_t nsec;   /* 0 .. 999999999 */
};

/* Size of a buffer that fits any RFC 3339 string this module writes. */
#define TIME_RFC3339_MAX 40

/*
 * Parses "2026-11-22T10:56:40Z", "2026-11-22T10:56:40.123456789+01:00" and the
 * like (a 'T' or 't' or ' ' separator; 'Z', 'z' or a numeric offset). Rejects
 * anything else with an error naming the input.
 */
enum od_status time_parse_rfc3339(const char *s, struct od_time *t, struct err *e);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (UTC, whole seconds, as Kubernetes does). */
void time_format_rfc3339(struct od_time t, char *out, size_t n);

/* Writes "YYYY-MM-DDTHH:MM:SS.ffffffZ" (microseconds, as metav1.MicroTime does). */
void time_format_rfc3339_micro(struct od_time t, char *out, size_t n);

/* Writes with nanoseconds, trailing zeros dropped (Go's RFC3339Nano, used in log timestamps). */
void time_format_rfc3339_nano(struct od_time t, char *out, size_t n);

/* Parses an HTTP date: IMF-fixdate, RFC 850 or asctime form. */
enum od_status time_parse_http_date(const char *s, struct od_time *t, struct err *e);

/* Writes an IMF-fixdate ("Sun, 22 Nov 2026 10:56:40 GMT"). */
void time_format_http_date(struct od_time t, char *out, size_t n);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* The local wall clock (CLOCK_REALTIME). */
struct od_time time_now(void);

/* Monotonic milliseconds, for timers and latency; unrelated to the wall clock. */
uint64_t time_mono_ms(void);

/* b - a in nanoseconds (saturating at the int64 range). */
int64_t time_diff_ns(struct od_time a, struct od_time b);

#endif
