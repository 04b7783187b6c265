/*
 * runbook_run.h: running a checklist into the store, resuming an
 * interrupted run, and due state.
 *
 * Each item's result is committed the moment it is known
 * (store_run_item_set), so a run cut off by an SSH drop or a kill keeps
 * what it measured. The next run of the same checklist resumes it: with
 * --resume whatever its age, otherwise automatically when it started less
 * than RUN_RESUME_WINDOW_S ago; --new starts afresh. Items already decided
 * (PASS, WARN, FAIL, manual) are kept as they were; missing and UNKNOWN
 * ones are measured again.
 */
#ifndef OPSDECK_RUNBOOK_RUN_H
#define OPSDECK_RUNBOOK_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/profile.h"
#include "opsdeck/runbook_checks.h"
#include "opsdeck/schedule.h"
#include "opsdeck/store.h"
#include "opsdeck/store_runs.h"

/* An unfinished run younger than this resumes without --resume. */
#define RUN_RESUME_WINDOW_S (12 * 3600)

enum run_resume {
	RUN_RESUME_AUTO,     /* resume an open run started within the window */
	RUN_RESUME_ALWAYS,   /* --resume: the newest open run, whatever its age */
	RUN_RESUME_NEVER     /* --new */
};

/* A manual item's answer given up front (`check --set ID=VALUE --note ID=TEXT`). */
struct run_manual {
	const char *id;              /* the item's id; borrowed */
	const char *value;           /* recorded value; NULL: done without one */
	const char *note;            /* may be NULL */
};

struct run_opts {
	const char *operator_name;   /* borrowed; recorded when the run finishes */
	const struct run_manual *manual;   /* borrowed; answers for manual items */
	size_t nmanual;
	enum run_resume resume;
	int64_t resume_window_s;     /* 0: RUN_RESUME_WINDOW_S */
	bool finish;                 /* record the finish (a headless run); false leaves it open */
};

/* Called once per item, in order, after its result is committed (or kept). */
typedef void (*run_item_fn)(void *arg, const struct checklist_item *item,
			    const struct store_run_item *res, bool kept);

/* What a run did. */
struct run_summary {
	int64_t run_id;
	bool resumed;
	int kept;                    /* items taken from the resumed run */
	int pass, warn, fail, unknown, manual;
};

/*
 * Runs checklist cl of env->profile: resumes or starts a run, measures each
 * item not yet decided (check_run), commits it, calls fn (may be NULL), and
 * finishes the run when o->finish. env->last_run is set here from the
 * history of finished runs. env->now is re-read through now_fn (may be NULL)
 * before each item, so ages follow the API server's clock.
 */
enum od_status run_checklist(struct store *st, struct check_env *env,
			     const struct checklist *cl, const struct run_opts *o,
			     int64_t (*now_fn)(void *arg), void *now_arg,
			     run_item_fn fn, void *fn_arg, struct run_summary *sum,
			     struct err *e);

/* Records the finish of run_id (operator, time, "Issues identified" and "Notes", may be NULL). */
enum od_status run_finish(struct store *st, int64_t run_id, const char *operator_name,
			  int64_t now, const char *issues, const char *notes, struct err *e);

/*
 * Records an operator's answer for item (a manual item done, or an
 * override of an automated result, which needs a note): committed at once.
 * OD_EINVAL when value is not one of the item's choices or an override has
 * no note.
 */
enum od_status run_record_answer(struct store *st, int64_t run_id,
				 const struct checklist_item *item, int position,
				 enum store_check_result result, const char *value,
				 const char *note, int64_t now, struct err *e);

/*
 * Overrides an automated item's measured result (measured: its row, as
 * listed) with result and a note, which is required (OD_EINVAL without).
 * The measured value, threshold and source are kept; the evidence says it
 * was overridden and what was measured. Committed at once.
 */
enum od_status run_record_override(struct store *st, int64_t run_id,
				   const struct checklist_item *item, int position,
				   enum store_check_result result,
				   const struct store_run_item *measured, const char *note,
				   int64_t now, struct err *e);

/* The store's result for a check status. */
enum store_check_result run_result_from_status(enum check_status s);

/* The newest finished run of (profile, checklist): started/finished time and operator. */
struct run_last {
	bool found;
	int64_t id;
	int64_t started_at;
	int64_t finished_at;
	char operator_name[128];
};

enum od_status run_last_finished(struct store *st, const char *profile, const char *checklist,
				 struct run_last *out, struct err *e);

/*
 * Due state of a scheduled checklist at now, and its badge ("daily done
 * 08:12 by alice"). A checklist without schedule is OD_ENOENT.
 */
enum od_status run_due(struct store *st, const struct profile *p, const struct checklist *cl,
		       int64_t now, struct due *d, char *badge, size_t nbadge, struct err *e);

#endif
