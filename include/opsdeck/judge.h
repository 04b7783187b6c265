/*
 * judge.h: turning a measured value into PASS/WARN/FAIL against a check's
 * thresholds, and the evidence text of reports ("87m", "target: <200m").
 *
 * Pure functions over struct check_spec, so the check runner only measures:
 * it hands the value over in the unit of the kind, and reports and the TUI
 * format it the same way.
 */
#ifndef OPSDECK_JUDGE_H
#define OPSDECK_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/profile.h"

enum check_status {
	CHECK_STATUS_PASS,
	CHECK_STATUS_WARN,
	CHECK_STATUS_FAIL,
	CHECK_STATUS_UNKNOWN     /* could not be measured, or a manual item */
};

/* "PASS", "WARN", "FAIL", "UNKNOWN". */
const char *check_status_name(enum check_status s);

/*
 * Judges value, in the unit of cs->kind:
 * - cpu: millicores; memory: bytes; pvc_usage: hundredths of a percent;
 *   prometheus_query: thousandths; storage_growth: bytes per day;
 * - restarts, no_warning_events, log_patterns: a count;
 * - snapshot_recent, backup_job: age in seconds (a negative age: none found);
 * - tls_cert: seconds until expiry;
 * - pods_ready, pvc_bound, rollout_complete, http_probe: 1 when the
 *   condition holds, 0 when not.
 * Thresholds are exclusive: a value equal to warn_above passes. manual is
 * always UNKNOWN.
 */
enum check_status check_judge(const struct check_spec *cs, int64_t value);

/* storage_growth's second measure: days until the claim is full (-1: never). */
enum check_status check_judge_days_to_full(const struct check_spec *cs, int64_t days);

/* The value as reports show it: "87m", "412Mi", "72.5%", "3", "0.045", "26h", "45d". */
void check_format_value(const struct check_spec *cs, int64_t value, char *out, size_t n);

/* The targets as reports show them: "target: <200m, fail: >300m", "max 0", "" when none. */
void check_format_target(const struct check_spec *cs, char *out, size_t n);

#endif
