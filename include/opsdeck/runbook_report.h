/*
 * runbook_report.h: Markdown (and JSON) reports laid out like the
 * runbooks' templates, with the values filled in:
 * - one checklist run ("- [x] CPU usage: 87m (target: <200m)"), from the
 *   store, for `opsdeck check` and `opsdeck report run ID`;
 * - the weekly health report of a profile (the Matter Server runbook's
 *   "Weekly Health Assessment"): pod health, resource usage with weekly
 *   averages and trend, storage and growth, top recurring errors, restarts,
 *   snapshots, actions from the audit log, checklist completion.
 */
#ifndef OPSDECK_RUNBOOK_REPORT_H
#define OPSDECK_RUNBOOK_REPORT_H

#include <stdint.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/profile.h"
#include "opsdeck/runbook_checks.h"
#include "opsdeck/store.h"

enum report_format { REPORT_MD, REPORT_JSON };

/*
 * Appends the report of run_id to out. p is the run's profile (borrowed;
 * NULL when it is no longer installed: items then show by id). The JSON
 * form carries every item's result and evidence. resumed/kept only add a
 * line saying the run was resumed.
 */
enum od_status report_run(struct store *st, const struct profile *p, int64_t run_id,
			  enum report_format f, struct buf *out, struct err *e);

/*
 * Appends the weekly health report of env->profile for the week ending at
 * end (epoch s) to out. Sections that need the cluster (pods now, snapshots,
 * error lines from the logs) say "not checked" when env->api_get is NULL.
 * now is "today" for due badges.
 */
enum od_status report_weekly(struct store *st, const struct check_env *env, int64_t end,
			     struct buf *out, struct err *e);

/*
 * The line of one item: the runbook template's text with its blank
 * ("CPU usage: ___m") filled with the value, else the item's text with the
 * value and target added. Exposed for tests.
 */
void report_item_label(const struct checklist_item *it, const char *value, const char *threshold,
		       char *out, size_t n);

#endif
