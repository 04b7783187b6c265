/*
 * judge.c: check thresholds and their evidence text (see judge.h).
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/judge.h"
#include "opsdeck/quantity.h"

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_STATUS_PASS:
		return "PASS";
	case CHECK_STATUS_WARN:
		return "WARN";
	case CHECK_STATUS_FAIL:
		return "FAIL";
	case CHECK_STATUS_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

static enum check_status judge_thresholds(const struct check_spec *cs, int64_t v)
{
	if ((cs->fail_above.set && v > cs->fail_above.value) ||
	    (cs->fail_below.set && v < cs->fail_below.value))
		return CHECK_STATUS_FAIL;
	if ((cs->warn_above.set && v > cs->warn_above.value) ||
	    (cs->warn_below.set && v < cs->warn_below.value))
		return CHECK_STATUS_WARN;
	return CHECK_STATUS_PASS;
}

/* restarts and Warning events allow none unless max says otherwise. */
static int64_t count_max(const struct check_spec *cs)
{
	if (cs->max >= 0)
		return cs->max;
	return cs->kind == CHECK_LOG_PATTERNS ? -1 : 0;
}

enum check_status check_judge(const struct check_spec *cs, int64_t value)
{
	switch (cs->kind) {
	case CHECK_CPU:
	case CHECK_MEMORY:
	case CHECK_PVC_USAGE:
	case CHECK_STORAGE_GROWTH:
	case CHECK_PROMETHEUS_QUERY:
		return judge_thresholds(cs, value);
	case CHECK_RESTARTS:
	case CHECK_NO_WARNING_EVENTS:
	case CHECK_LOG_PATTERNS: {
		int64_t max = count_max(cs);
		if ((max >= 0 && value > max) || (cs->min >= 0 && value < cs->min))
			return CHECK_STATUS_WARN;
		return CHECK_STATUS_PASS;
	}
	case CHECK_SNAPSHOT_RECENT:
	case CHECK_BACKUP_JOB:
		if (value < 0 || value * NS_PER_SEC > cs->max_age_ns)
			return CHECK_STATUS_FAIL;
		return CHECK_STATUS_PASS;
	case CHECK_TLS_CERT:
		if (value <= 0 || (cs->fail_within_ns && value * NS_PER_SEC < cs->fail_within_ns))
			return CHECK_STATUS_FAIL;
		if (cs->warn_within_ns && value * NS_PER_SEC < cs->warn_within_ns)
			return CHECK_STATUS_WARN;
		return CHECK_STATUS_PASS;
	case CHECK_PODS_READY:
	case CHECK_PVC_BOUND:
	case CHECK_ROLLOUT_COMPLETE:
	case CHECK_HTTP_PROBE:
	case CHECK_NODES_READY:
		return value ? CHECK_STATUS_PASS : CHECK_STATUS_FAIL;
	case CHECK_NO_FIRING_ALERTS:
		return value > 0 ? CHECK_STATUS_WARN : CHECK_STATUS_PASS;
	case CHECK_MANUAL:
	case CHECK_KIND_COUNT:
		break;
	}
	return CHECK_STATUS_UNKNOWN;
}

enum check_status check_judge_days_to_full(const struct check_spec *cs, int64_t days)
{
	if (cs->min_days_to_full >= 0 && days >= 0 && days < cs->min_days_to_full)
		return CHECK_STATUS_WARN;
	return CHECK_STATUS_PASS;
}

/* Thousandths as a decimal without trailing zeros: 45 -> "0.045", 2000 -> "2". */
static void format_milli(int64_t m, char *out, size_t n)
{
	const char *sign = m < 0 ? "-" : "";
	uint64_t a = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
	char frac[8];
	snprintf(frac, sizeof(frac), "%03llu", (unsigned long long)(a % 1000));
	for (int i = 2; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	snprintf(out, n, "%s%llu%s%s", sign, (unsigned long long)(a / 1000), frac[0] ? "." : "", frac);
}

static void format_in_unit(const struct check_spec *cs, int64_t v, char *out, size_t n)
{
	char tmp[32];
	switch (cs->kind) {
	case CHECK_CPU:
		quantity_format_cpu_milli(v, out, n);
		return;
	case CHECK_MEMORY:
		quantity_format_bytes(v, out, n);
		return;
	case CHECK_STORAGE_GROWTH:
		quantity_format_bytes(v, tmp, sizeof(tmp));
		snprintf(out, n, "%s/d", tmp);
		return;
	case CHECK_PVC_USAGE:
		format_milli(v * 10, tmp, sizeof(tmp));
		snprintf(out, n, "%s%%", tmp);
		return;
	case CHECK_PROMETHEUS_QUERY:
		format_milli(v, out, n);
		return;
	case CHECK_SNAPSHOT_RECENT:
	case CHECK_BACKUP_JOB:
	case CHECK_TLS_CERT:
		duration_format_human(v * NS_PER_SEC, out, n);
		return;
	default:
		snprintf(out, n, "%lld", (long long)v);
		return;
	}
}

void check_format_value(const struct check_spec *cs, int64_t value, char *out, size_t n)
{
	switch (cs->kind) {
	case CHECK_SNAPSHOT_RECENT:
	case CHECK_BACKUP_JOB:
		if (value < 0) {
			snprintf(out, n, "none");
			return;
		}
		break;
	case CHECK_PODS_READY:
	case CHECK_PVC_BOUND:
	case CHECK_ROLLOUT_COMPLETE:
	case CHECK_HTTP_PROBE:
	case CHECK_NODES_READY:
		snprintf(out, n, "%s", value ? "yes" : "no");
		return;
	default:
		break;
	}
	format_in_unit(cs, value, out, n);
}

/* Appends ", " and a "label op value" part to out. */
static void add_part(char *out, size_t n, const char *label, const char *op,
		     const struct check_spec *cs, int64_t v)
{
	char val[32];
	size_t len = strlen(out);
	format_in_unit(cs, v, val, sizeof(val));
	if (len < n)
		snprintf(out + len, n - len, "%s%s%s%s", len ? ", " : "", label, op, val);
}

static void add_text(char *out, size_t n, const char *text)
{
	size_t len = strlen(out);
	if (len < n)
		snprintf(out + len, n - len, "%s%s", len ? ", " : "", text);
}

void check_format_target(const struct check_spec *cs, char *out, size_t n)
{
	char tmp[48];
	if (n == 0)
		return;
	out[0] = '\0';
	switch (cs->kind) {
	case CHECK_RESTARTS:
	case CHECK_NO_WARNING_EVENTS:
	case CHECK_LOG_PATTERNS:
		if (count_max(cs) >= 0) {
			snprintf(tmp, sizeof(tmp), "max %lld", (long long)count_max(cs));
			add_text(out, n, tmp);
		}
		if (cs->min >= 0) {
			snprintf(tmp, sizeof(tmp), "at least %lld", (long long)cs->min);
			add_text(out, n, tmp);
		}
		return;
	case CHECK_SNAPSHOT_RECENT:
	case CHECK_BACKUP_JOB:
		add_part(out, n, "max age ", "", cs, cs->max_age_ns / NS_PER_SEC);
		return;
	case CHECK_TLS_CERT:
		if (cs->warn_within_ns)
			add_part(out, n, "target: ", ">", cs, cs->warn_within_ns / NS_PER_SEC);
		if (cs->fail_within_ns)
			add_part(out, n, "fail: ", "<", cs, cs->fail_within_ns / NS_PER_SEC);
		return;
	default:
		break;
	}
	if (cs->warn_above.set)
		add_part(out, n, "target: ", "<", cs, cs->warn_above.value);
	if (cs->warn_below.set)
		add_part(out, n, "target: ", ">", cs, cs->warn_below.value);
	if (cs->fail_above.set)
		add_part(out, n, "fail: ", ">", cs, cs->fail_above.value);
	if (cs->fail_below.set)
		add_part(out, n, "fail: ", "<", cs, cs->fail_below.value);
	if (cs->kind == CHECK_STORAGE_GROWTH && cs->min_days_to_full >= 0) {
		snprintf(tmp, sizeof(tmp), "full in >%lldd", (long long)cs->min_days_to_full);
		add_text(out, n, tmp);
	}
}
