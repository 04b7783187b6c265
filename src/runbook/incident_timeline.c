/*
 * incident_timeline.c: an incident's timeline rebuilt from the history store
 * for its window (INCIDENT_LOOKBACK_S before the start to the resolution, or
 * now): pod transitions, the events archive, the audit log's apply, result
 * and refuse rows, and checklist item results. Each entry carries the
 * reference the store deduplicates on, so `opsdeck incident export` and a
 * console that calls this while the incident is open never record one thing
 * twice.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/incident_timeline.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_incidents.h"
#include "opsdeck/store_pods.h"
#include "opsdeck/store_runs.h"

static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

struct rebuild {
	struct store *st;
	const struct incident_window *inc;
	int64_t since, until;          /* seconds */
	enum od_status rc;
	struct err e;
};

static void rebuild_add(struct rebuild *r, int64_t ts, enum store_timeline_kind kind,
			const char *ref, const char *text)
{
	struct store_timeline_entry t = { .incident_id = r->inc->id, .ts = ts, .kind = kind,
					  .ref = ref, .text = text };

	if (r->rc == OD_OK)
		r->rc = store_incident_timeline_add(r->st, &t, NULL, &r->e);
}

static int rebuild_pod(void *arg, const struct store_pod_state *s)
{
	struct rebuild *r = arg;
	char ref[768], text[1024];

	snprintf(ref, sizeof(ref), "%s/%s@%" PRId64, s->namespace ? s->namespace : "",
		 s->pod ? s->pod : "", s->ts);
	snprintf(text, sizeof(text), "pod %s/%s: %s%s%s, ready=%s, restarts=%" PRId64,
		 s->namespace ? s->namespace : "", s->pod ? s->pod : "",
		 s->phase ? s->phase : "", s->reason && s->reason[0] ? " " : "",
		 s->reason ? s->reason : "", s->ready ? "true" : "false", s->restarts);
	rebuild_add(r, s->ts, STORE_TL_TRANSITION, ref, text);
	return r->rc != OD_OK;
}

static int rebuild_event(void *arg, const struct store_event *ev)
{
	struct rebuild *r = arg;
	char ref[512], text[1536];

	if (ev->first_seen > r->until && r->until > 0)
		return 0;
	snprintf(ref, sizeof(ref), "%s", ev->uid ? ev->uid : "");
	snprintf(text, sizeof(text), "%s %s %s/%s (x%" PRId64 "): %.1000s",
		 ev->type ? ev->type : "", ev->reason ? ev->reason : "",
		 ev->obj_kind ? ev->obj_kind : "", ev->obj_name ? ev->obj_name : "", ev->count,
		 ev->message ? ev->message : "");
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	rebuild_add(r, ev->first_seen > r->since ? ev->first_seen : ev->last_seen,
		    STORE_TL_EVENT, ref, text);
	return r->rc != OD_OK;
}

static int rebuild_audit(void *arg, const struct store_audit_entry *a)
{
	struct rebuild *r = arg;
	char ref[32], text[1536];

	/* The outcome of an action is what the timeline needs, not each plan step. */
	if (strcmp(a->step ? a->step : "", "result") != 0 &&
	    strcmp(a->step ? a->step : "", "apply") != 0 &&
	    strcmp(a->step ? a->step : "", "refuse") != 0)
		return 0;
	snprintf(ref, sizeof(ref), "%" PRId64, a->seq);
	snprintf(text, sizeof(text), "action %s %s %s%s%s: %s%s%s (by %s)",
		 a->action ? a->action : "", a->step ? a->step : "",
		 a->namespace && a->namespace[0] ? a->namespace : "",
		 a->namespace && a->namespace[0] ? " " : "", a->object ? a->object : "",
		 a->outcome ? a->outcome : "", a->message && a->message[0] ? " — " : "",
		 a->message ? a->message : "", a->os_user ? a->os_user : "");
	rebuild_add(r, a->ts_ms / 1000, STORE_TL_ACTION, ref, text);
	return r->rc != OD_OK;
}

struct run_ref {
	struct rebuild *r;
	int64_t run_id;
	char checklist[256];
};

static int rebuild_run_item(void *arg, const struct store_run_item *it)
{
	struct run_ref *rr = arg;
	char ref[512], text[1024];

	if (it->result == STORE_CHECK_PENDING)
		return 0;
	snprintf(ref, sizeof(ref), "%" PRId64 "/%s", rr->run_id, it->item ? it->item : "");
	snprintf(text, sizeof(text), "checklist %s: %s %s%s%s", rr->checklist,
		 it->item ? it->item : "", store_check_result_name(it->result),
		 it->value && it->value[0] ? " " : "", it->value ? it->value : "");
	rebuild_add(rr->r, it->decided_at, STORE_TL_CHECKLIST, ref, text);
	return rr->r->rc != OD_OK;
}

/* Runs are copied first: items are read with a second query once the list is done. */
struct run_ids {
	int64_t id[64];
	char checklist[64][128];
	size_t n;
	int64_t until;
};

static int rebuild_run(void *arg, const struct store_run *run)
{
	struct run_ids *ids = arg;

	if (ids->n >= 64)
		return 1;
	if (ids->until > 0 && run->started_at > ids->until)
		return 0;
	ids->id[ids->n] = run->id;
	copy_str(ids->checklist[ids->n], sizeof(ids->checklist[0]), run->checklist);
	ids->n++;
	return 0;
}

static enum od_status rebuild(struct store *st, const struct incident_window *inc,
			      struct err *e)
{
	struct rebuild r = { .st = st, .inc = inc };
	struct store_event_filter f = { 0 };
	struct run_ids ids = { 0 };
	const char *ctx = inc->context && inc->context[0] ? inc->context : NULL;
	const char *ns = inc->namespace_ && inc->namespace_[0] ? inc->namespace_ : NULL;
	enum od_status rc;

	r.since = inc->started_at - INCIDENT_LOOKBACK_S;
	r.until = inc->resolved_at;
	rc = store_pod_transitions_list(st, ctx, ns, NULL, r.since,
					r.until ? r.until + 1 : 0, rebuild_pod, &r, e);
	f.context = ctx;
	f.namespace = ns;
	f.since = r.since;
	if (rc == OD_OK && r.rc == OD_OK)
		rc = store_events_list(st, &f, rebuild_event, &r, e);
	if (rc == OD_OK && r.rc == OD_OK)
		rc = store_audit_list(st, r.since * 1000, r.until ? (r.until + 1) * 1000 : 0,
				      rebuild_audit, &r, e);
	ids.until = r.until;
	if (rc == OD_OK && r.rc == OD_OK)
		rc = store_runs_list(st, NULL, NULL, r.since, rebuild_run, &ids, e);
	for (size_t i = 0; rc == OD_OK && r.rc == OD_OK && i < ids.n; i++) {
		struct run_ref rr = { .r = &r, .run_id = ids.id[i] };

		copy_str(rr.checklist, sizeof(rr.checklist), ids.checklist[i]);
		rc = store_run_items_list(st, ids.id[i], rebuild_run_item, &rr, e);
	}
	if (rc == OD_OK && r.rc != OD_OK) {
		*e = r.e;
		rc = r.rc;
	}
	return rc;
}

/*
 * One write transaction taken up front (BEGIN IMMEDIATE, waiting its turn):
 * entries are added while the store's lists are read, and a read that turns
 * into a write after another process wrote would fail at once.
 */
enum od_status incident_timeline_rebuild(struct store *st, const struct incident_window *inc,
					 struct err *e)
{
	enum od_status rc = store_begin(st, e);

	if (rc != OD_OK)
		return rc;
	rc = rebuild(st, inc, e);
	if (rc != OD_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
