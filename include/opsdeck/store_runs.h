/*
 * store_runs.h: checklist runs and their item results. Each item result is
 * committed the moment it is known, so a run cut off by an SSH drop resumes
 * where it stopped (store_run_find_open, then store_run_items_list).
 */
#ifndef OPSDECK_STORE_RUNS_H
#define OPSDECK_STORE_RUNS_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

enum store_check_result {
	STORE_CHECK_PENDING,
	STORE_CHECK_PASS,
	STORE_CHECK_WARN,
	STORE_CHECK_FAIL,
	STORE_CHECK_UNKNOWN,
	STORE_CHECK_MANUAL_DONE,
	STORE_CHECK_MANUAL_SKIPPED,
	STORE_CHECK_RESULT_COUNT
};

/* "PASS", ... (static). */
const char *store_check_result_name(enum store_check_result r);

/* Strings borrowed; NULL means "". finished_at 0 while the run is open. */
struct store_run {
	int64_t id;
	const char *profile;
	const char *checklist;
	const char *context;
	const char *operator_name;
	int64_t started_at;
	int64_t finished_at;
	const char *issues;      /* "Issues identified" */
	const char *notes;
};

struct store_run_item {
	const char *item;        /* the item's key in the profile */
	int position;
	enum store_check_result result;
	const char *value;       /* evidence: the value seen */
	const char *threshold;
	const char *source;
	const char *evidence;
	const char *note;        /* required by the UI for an override */
	bool overridden;
	int64_t decided_at;
};

/* Starts a run (profile, checklist, context, operator_name, started_at used); *id out. */
enum od_status store_run_start(struct store *st, const struct store_run *run, int64_t *id,
			       struct err *e);

/* The newest unfinished run of (profile, checklist); OD_ENOENT when none. */
enum od_status store_run_find_open(struct store *st, const char *profile, const char *checklist,
				   int64_t *id, struct err *e);

/* Records (or replaces) one item's result, committed at once. */
enum od_status store_run_item_set(struct store *st, int64_t run_id,
				  const struct store_run_item *item, struct err *e);

typedef int (*store_run_item_fn)(void *arg, const struct store_run_item *item);
typedef int (*store_run_fn)(void *arg, const struct store_run *run);

/* Items of a run by position. */
enum od_status store_run_items_list(struct store *st, int64_t run_id, store_run_item_fn fn,
				    void *arg, struct err *e);

/* Finishes a run: operator_name, finished_at, issues and notes taken from run. */
enum od_status store_run_finish(struct store *st, int64_t run_id, const struct store_run *run,
				struct err *e);

/* One run by id (OD_ENOENT when absent). */
enum od_status store_run_get(struct store *st, int64_t run_id, store_run_fn fn, void *arg,
			     struct err *e);

/* Runs of profile/checklist (NULL: any) started at or after since, newest first. */
enum od_status store_runs_list(struct store *st, const char *profile, const char *checklist,
			       int64_t since, store_run_fn fn, void *arg, struct err *e);

#endif
