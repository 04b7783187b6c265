/*
 * run.c: a checklist run into the store, item by item, with resume; and due
 * state from the schedule and the finished runs. See runbook_run.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/runbook_run.h"
#include "opsdeck/timeutil.h"

enum store_check_result run_result_from_status(enum check_status s)
{
	switch (s) {
	case CHECK_STATUS_PASS:
		return STORE_CHECK_PASS;
	case CHECK_STATUS_WARN:
		return STORE_CHECK_WARN;
	case CHECK_STATUS_FAIL:
		return STORE_CHECK_FAIL;
	case CHECK_STATUS_UNKNOWN:
		break;
	}
	return STORE_CHECK_UNKNOWN;
}

/* Items already decided in a resumed run: key and a copy of the row. */
struct kept_item {
	char *item;
	struct store_run_item row;   /* strings owned */
};

struct kept {
	struct kept_item *v;
	size_t n, cap;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int kept_add(void *arg, const struct store_run_item *it)
{
	struct kept *k = arg;
	struct kept_item *ki;

	/* UNKNOWN is measured again: the cause (a cluster down) may be gone */
	if (it->result == STORE_CHECK_PENDING || it->result == STORE_CHECK_UNKNOWN)
		return 0;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 16;
		struct kept_item *v = realloc(k->v, cap * sizeof(*v));

		if (!v)
			return 1;
		k->v = v;
		k->cap = cap;
	}
	ki = &k->v[k->n++];
	memset(ki, 0, sizeof(*ki));
	ki->item = dup_or_null(it->item);
	ki->row = *it;
	ki->row.item = ki->item;
	ki->row.value = dup_or_null(it->value);
	ki->row.threshold = dup_or_null(it->threshold);
	ki->row.source = dup_or_null(it->source);
	ki->row.evidence = dup_or_null(it->evidence);
	ki->row.note = dup_or_null(it->note);
	return 0;
}

static void kept_free(struct kept *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].item);
		free((char *)k->v[i].row.value);
		free((char *)k->v[i].row.threshold);
		free((char *)k->v[i].row.source);
		free((char *)k->v[i].row.evidence);
		free((char *)k->v[i].row.note);
	}
	free(k->v);
}

static const struct store_run_item *kept_find(const struct kept *k, const char *id)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].item && strcmp(k->v[i].item, id) == 0)
			return &k->v[i].row;
	return NULL;
}

static int run_copy_started(void *arg, const struct store_run *run)
{
	*(int64_t *)arg = run->started_at;
	return 0;
}

static int run_pick_last(void *arg, const struct store_run *run)
{
	struct run_last *l = arg;

	if (run->finished_at <= 0)
		return 0;
	l->found = true;
	l->id = run->id;
	l->started_at = run->started_at;
	l->finished_at = run->finished_at;
	snprintf(l->operator_name, sizeof(l->operator_name), "%s",
		 run->operator_name ? run->operator_name : "");
	return 1;     /* newest first: the first finished one is it */
}

enum od_status run_last_finished(struct store *st, const char *profile, const char *checklist,
				 struct run_last *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	return store_runs_list(st, profile, checklist, 0, run_pick_last, out, e);
}

/* Finds the run to resume; *id 0 when a new one should start. */
static enum od_status run_pick_resume(struct store *st, const struct check_env *env,
				      const struct checklist *cl, const struct run_opts *o,
				      int64_t *id, struct err *e)
{
	int64_t open_id = 0, started = 0;
	int64_t window = o->resume_window_s > 0 ? o->resume_window_s : RUN_RESUME_WINDOW_S;
	enum od_status rc;

	*id = 0;
	if (o->resume == RUN_RESUME_NEVER)
		return OD_OK;
	rc = store_run_find_open(st, env->profile->name, cl->name, &open_id, e);
	if (rc == OD_ENOENT) {
		err_clear(e);
		return OD_OK;
	}
	if (rc != OD_OK)
		return rc;
	rc = store_run_get(st, open_id, run_copy_started, &started, e);
	if (rc != OD_OK)
		return rc;
	if (o->resume == RUN_RESUME_ALWAYS || env->now - started < window)
		*id = open_id;
	return OD_OK;
}

static void summary_count(struct run_summary *sum, enum store_check_result r)
{
	switch (r) {
	case STORE_CHECK_PASS:
		sum->pass++;
		break;
	case STORE_CHECK_WARN:
		sum->warn++;
		break;
	case STORE_CHECK_FAIL:
		sum->fail++;
		break;
	case STORE_CHECK_MANUAL_DONE:
	case STORE_CHECK_MANUAL_SKIPPED:
		sum->manual++;
		break;
	default:
		sum->unknown++;
		break;
	}
}

/* Measures one item and commits it. */
static const struct run_manual *manual_answer(const struct run_opts *o, const char *id)
{
	for (size_t i = 0; i < o->nmanual; i++)
		if (strcmp(o->manual[i].id, id) == 0)
			return &o->manual[i];
	return NULL;
}

/* A manual item answered up front: recorded as done with its value and note. */
static enum od_status run_manual_done(struct store *st, const struct check_env *env,
				      int64_t run_id, const struct checklist_item *it, int pos,
				      const struct run_manual *m, run_item_fn fn, void *fn_arg,
				      struct run_summary *sum, struct err *e)
{
	struct store_run_item row = { .item = it->id, .position = pos,
				      .result = STORE_CHECK_MANUAL_DONE, .value = m->value,
				      .note = m->note, .source = "operator",
				      .evidence = "recorded by the operator", .decided_at = env->now };
	enum od_status rc = run_record_answer(st, run_id, it, pos, STORE_CHECK_MANUAL_DONE,
					      m->value, m->note, env->now, e);

	if (rc != OD_OK)
		return rc;
	summary_count(sum, STORE_CHECK_MANUAL_DONE);
	if (fn)
		fn(fn_arg, it, &row, false);
	return OD_OK;
}

static enum od_status run_one(struct store *st, const struct check_env *env, int64_t run_id,
			      const struct checklist_item *it, int pos, run_item_fn fn,
			      void *fn_arg, struct run_summary *sum, struct err *e)
{
	struct check_result r;
	struct store_run_item row = { 0 };
	enum od_status rc = check_run(env, it, &r, e);

	if (rc != OD_OK)
		return rc;
	row.item = it->id;
	row.position = pos;
	row.result = it->check.kind == CHECK_MANUAL ? STORE_CHECK_MANUAL_SKIPPED
						    : run_result_from_status(r.status);
	row.value = r.value;
	row.threshold = r.threshold;
	row.source = r.source;
	row.evidence = r.evidence;
	row.decided_at = env->now;
	rc = store_run_item_set(st, run_id, &row, e);
	if (rc != OD_OK)
		return rc;
	summary_count(sum, row.result);
	if (fn)
		fn(fn_arg, it, &row, false);
	return OD_OK;
}

enum od_status run_checklist(struct store *st, struct check_env *env,
			     const struct checklist *cl, const struct run_opts *o,
			     int64_t (*now_fn)(void *arg), void *now_arg,
			     run_item_fn fn, void *fn_arg, struct run_summary *sum,
			     struct err *e)
{
	struct kept kept = { 0 };
	struct run_last last;
	enum od_status rc;
	int64_t id;

	memset(sum, 0, sizeof(*sum));
	rc = run_last_finished(st, env->profile->name, cl->name, &last, e);
	if (rc != OD_OK)
		return rc;
	env->last_run = last.found ? last.started_at : 0;
	rc = run_pick_resume(st, env, cl, o, &id, e);
	if (rc != OD_OK)
		return rc;
	if (id) {
		rc = store_run_items_list(st, id, kept_add, &kept, e);
		if (rc != OD_OK)
			goto out;
		sum->resumed = true;
	} else {
		struct store_run run = { .profile = env->profile->name, .checklist = cl->name,
					 .context = env->context, .operator_name = o->operator_name,
					 .started_at = env->now };

		rc = store_run_start(st, &run, &id, e);
		if (rc != OD_OK)
			goto out;
	}
	sum->run_id = id;
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct checklist_item *it = &cl->items[i];
		const struct store_run_item *k = kept_find(&kept, it->id);

		/* a manual item left undone before is answered now if an answer is given */
		if (k && k->result == STORE_CHECK_MANUAL_SKIPPED && manual_answer(o, it->id))
			k = NULL;
		if (k) {
			sum->kept++;
			summary_count(sum, k->result);
			if (fn)
				fn(fn_arg, it, k, true);
			continue;
		}
		if (now_fn)
			env->now = now_fn(now_arg);
		if (it->check.kind == CHECK_MANUAL && manual_answer(o, it->id))
			rc = run_manual_done(st, env, id, it, (int)i, manual_answer(o, it->id), fn,
					     fn_arg, sum, e);
		else
			rc = run_one(st, env, id, it, (int)i, fn, fn_arg, sum, e);
		if (rc != OD_OK)
			goto out;
	}
	if (o->finish)
		rc = run_finish(st, id, o->operator_name, now_fn ? now_fn(now_arg) : env->now, NULL,
				NULL, e);
out:
	kept_free(&kept);
	return rc;
}

enum od_status run_finish(struct store *st, int64_t run_id, const char *operator_name,
			  int64_t now, const char *issues, const char *notes, struct err *e)
{
	struct store_run fin = { .operator_name = operator_name, .finished_at = now,
				 .issues = issues, .notes = notes };

	return store_run_finish(st, run_id, &fin, e);
}

enum od_status run_record_answer(struct store *st, int64_t run_id,
				 const struct checklist_item *item, int position,
				 enum store_check_result result, const char *value,
				 const char *note, int64_t now, struct err *e)
{
	const struct strv *ch = &item->check.choices;
	bool manual = item->check.kind == CHECK_MANUAL;
	struct store_run_item row = { .item = item->id, .position = position, .result = result,
				      .value = value, .note = note, .source = "operator",
				      .overridden = !manual, .decided_at = now };

	if (value && ch->n) {
		bool found = false;

		for (size_t i = 0; i < ch->n; i++)
			found |= strcmp(ch->v[i], value) == 0;
		if (!found)
			return err_set(e, OD_EINVAL, "item %s: \"%s\" is not one of its choices",
				       item->id, value);
	}
	if (!manual && (!note || !*note))
		return err_set(e, OD_EINVAL, "item %s: overriding an automated result needs a note",
			       item->id);
	row.evidence = manual ? "recorded by the operator" : "overridden by the operator";
	return store_run_item_set(st, run_id, &row, e);
}

enum od_status run_record_override(struct store *st, int64_t run_id,
				   const struct checklist_item *item, int position,
				   enum store_check_result result,
				   const struct store_run_item *measured, const char *note,
				   int64_t now, struct err *e)
{
	struct store_run_item row = { .item = item->id, .position = position, .result = result,
				      .note = note, .source = "operator", .overridden = true,
				      .decided_at = now };
	char ev[1024];

	if (item->check.kind == CHECK_MANUAL)
		return err_set(e, OD_EINVAL, "item %s: a manual item is answered, not overridden",
			       item->id);
	if (!note || !*note)
		return err_set(e, OD_EINVAL, "item %s: overriding an automated result needs a note",
			       item->id);
	if (measured) {
		row.value = measured->value;
		row.threshold = measured->threshold;
		if (measured->source && *measured->source)
			row.source = measured->source;
		/* overridden again: the evidence already says what was measured */
		if (measured->overridden && measured->evidence)
			snprintf(ev, sizeof(ev), "%s", measured->evidence);
		else
			snprintf(ev, sizeof(ev), "overridden by the operator; measured %s%s%s",
				 store_check_result_name(measured->result),
				 measured->evidence && *measured->evidence ? ": " : "",
				 measured->evidence ? measured->evidence : "");
		row.evidence = ev;
	} else {
		row.evidence = "overridden by the operator";
	}
	return store_run_item_set(st, run_id, &row, e);
}

enum od_status run_due(struct store *st, const struct profile *p, const struct checklist *cl,
		       int64_t now, struct due *d, char *badge, size_t nbadge, struct err *e)
{
	const struct named_schedule *ns = cl->schedule ? profile_find_schedule(p, cl->schedule)
						       : NULL;
	struct run_last last;
	enum od_status rc;

	if (!ns)
		return err_set(e, OD_ENOENT, "checklist %s has no schedule", cl->name);
	rc = run_last_finished(st, p->name, cl->name, &last, e);
	if (rc != OD_OK)
		return rc;
	schedule_due(&ns->sched, last.found ? last.finished_at : -1, now, d);
	if (badge)
		schedule_format_badge(cl->name, d, last.found ? last.operator_name : NULL, now,
				      badge, nbadge);
	return OD_OK;
}
