/*
 * triage.c: the triage rules (triage.h), shared by `opsdeck triage` and the
 * console's Triage view. Pods are judged on the client's compact struct pod,
 * workloads and events on small structs either side fills; checklist items
 * and PVC usage come from the history store.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/store_query.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/store_series.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/triage.h"

enum od_status triage_init(struct triage *t, int64_t now, struct err *e)
{
	memset(t, 0, sizeof(*t));
	t->f = calloc(TRIAGE_MAX, sizeof(*t->f));
	if (!t->f)
		return err_set(e, OD_ENOMEM, "out of memory");
	t->now = now;
	return OD_OK;
}

void triage_reset(struct triage *t, int64_t now)
{
	t->n = 0;
	t->dropped = 0;
	t->now = now;
}

void triage_fini(struct triage *t)
{
	free(t->f);
	t->f = NULL;
	t->n = 0;
}

const char *triage_rank_name(enum triage_rank r)
{
	static const char *const names[] = { "critical", "high", "medium", "low" };

	return names[r];
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static struct triage_finding *add(struct triage *t, enum triage_rank rank,
				  enum triage_cause cause, const char *kind, const char *ns,
				  const char *name, const char *why, int64_t since)
{
	struct triage_finding *f;

	if (t->n >= TRIAGE_MAX) {
		t->dropped++;
		return NULL;
	}
	f = &t->f[t->n++];
	memset(f, 0, sizeof(*f));
	f->rank = rank;
	f->cause = cause;
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	snprintf(f->namespace_, sizeof(f->namespace_), "%s", nz(ns));
	snprintf(f->name, sizeof(f->name), "%s", nz(name));
	snprintf(f->why, sizeof(f->why), "%s", why);
	/* One row per finding: the why never breaks a table or a line. */
	for (char *p = f->why; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	f->since = since;
	return f;
}

/* --- pods --- */

/* A container's worst problem; true when it had one (why/since/rank/cause filled). */
static bool judge_container(const struct pod_container_status *cs, char *why, size_t n,
			    int64_t *since, enum triage_rank *rank, enum triage_cause *cause)
{
	const char *name = nz(cs->name);
	const struct container_state *st = &cs->state, *last = &cs->last_state;
	const char *wr = st->kind == CONTAINER_STATE_WAITING ? st->reason : NULL;
	bool term = st->kind == CONTAINER_STATE_TERMINATED;
	bool has_last = last->kind == CONTAINER_STATE_TERMINATED;
	const char *lr = has_last ? last->reason : NULL;

	if ((term && eq(st->reason, "OOMKilled")) ||
	    (eq(lr, "OOMKilled") && (!wr || strcmp(wr, "CrashLoopBackOff") == 0))) {
		const struct container_state *t = term ? st : last;

		snprintf(why, n, "OOMKilled: container %s (restarts %" PRId32 ")%s", name,
			 cs->restart_count, wr ? ", now CrashLoopBackOff" : "");
		*since = t->finished_at.sec;
		*rank = TRIAGE_CRITICAL;
		*cause = TRIAGE_CAUSE_OOMKILLED;
		return true;
	}
	if (eq(wr, "CrashLoopBackOff")) {
		snprintf(why, n, "CrashLoopBackOff: container %s restarted %" PRId32 " times%s%s",
			 name, cs->restart_count, lr ? ", last exit " : "", lr ? lr : "");
		*since = has_last ? last->started_at.sec : 0;
		*rank = TRIAGE_CRITICAL;
		*cause = TRIAGE_CAUSE_CRASHLOOP;
		return true;
	}
	if (eq(wr, "ImagePullBackOff") || eq(wr, "ErrImagePull") ||
	    eq(wr, "CreateContainerConfigError") || eq(wr, "InvalidImageName")) {
		snprintf(why, n, "%s: container %s%s%s", wr, name, st->message ? ": " : "",
			 nz(st->message));
		*since = 0;
		*rank = TRIAGE_HIGH;
		*cause = TRIAGE_CAUSE_IMAGE;
		return true;
	}
	return false;
}

void triage_add_pod(struct triage *t, const struct pod *p)
{
	const char *phase = nz(p->phase);
	const struct pod_condition *ready = pod_find_condition(p, "Ready");
	const struct pod_condition *sched = pod_find_condition(p, "PodScheduled");
	const char *container = NULL;
	struct triage_finding *f;
	char why[512];
	int64_t since = 0;
	enum triage_rank rank = TRIAGE_MEDIUM;
	enum triage_cause cause = TRIAGE_CAUSE_OTHER;
	bool found = false;

	if (strcmp(phase, "Succeeded") == 0)
		return;
	if (eq(p->reason, "Evicted")) {
		snprintf(why, sizeof(why), "Evicted: %s", nz(p->message));
		add(t, TRIAGE_HIGH, TRIAGE_CAUSE_EVICTED, "Pod", p->namespace_, p->name, why,
		    ready ? ready->last_transition.sec : p->start_time.sec);
		return;
	}
	for (size_t i = 0; i < p->nstatuses; i++) {
		char w[512];
		int64_t s = 0;
		enum triage_rank r = TRIAGE_MEDIUM;
		enum triage_cause c = TRIAGE_CAUSE_OTHER;

		if (judge_container(&p->statuses[i], w, sizeof(w), &s, &r, &c) &&
		    (!found || r < rank)) {
			found = true;
			rank = r;
			since = s;
			cause = c;
			container = p->statuses[i].name;
			snprintf(why, sizeof(why), "%s", w);
		}
	}
	if (found) {
		/* Since it stopped being Ready: the container's own times restart with it. */
		if (ready && eq(ready->status, "False"))
			since = ready->last_transition.sec;
		if (since == 0)
			since = p->created.sec;
		f = add(t, rank, cause, "Pod", p->namespace_, p->name, why, since);
		if (f)
			snprintf(f->container, sizeof(f->container), "%s", nz(container));
		return;
	}
	if (sched && eq(sched->status, "False")) {
		snprintf(why, sizeof(why), "Pending %s: %s",
			 sched->reason ? sched->reason : "Unschedulable", nz(sched->message));
		add(t, TRIAGE_HIGH, TRIAGE_CAUSE_PENDING, "Pod", p->namespace_, p->name, why,
		    sched->last_transition.sec);
		return;
	}
	if (strcmp(phase, "Pending") == 0) {
		add(t, TRIAGE_MEDIUM, TRIAGE_CAUSE_PENDING, "Pod", p->namespace_, p->name, "Pending",
		    p->created.sec);
		return;
	}
	if (strcmp(phase, "Failed") == 0) {
		snprintf(why, sizeof(why), "Failed%s%s", p->reason ? ": " : "", nz(p->reason));
		add(t, TRIAGE_HIGH, TRIAGE_CAUSE_FAILED, "Pod", p->namespace_, p->name, why,
		    p->start_time.sec);
		return;
	}
	if (ready && ready->status && strcmp(ready->status, "True") != 0) {
		snprintf(why, sizeof(why), "not Ready%s%s", ready->reason ? ": " : "",
			 nz(ready->reason));
		add(t, TRIAGE_MEDIUM, TRIAGE_CAUSE_NOT_READY, "Pod", p->namespace_, p->name, why,
		    ready->last_transition.sec);
	}
}

/* --- workloads and events, from JSON or from a console's caches --- */

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *jobj(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int64_t jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static int64_t jtime(const cJSON *o, const char *key)
{
	const char *s = jstr(o, key);
	struct od_time tm = { 0 };
	struct err e = { 0 };

	if (!s || time_parse_rfc3339(s, &tm, &e) != OD_OK)
		return 0;
	return tm.sec;
}

static const cJSON *find_condition(const cJSON *status, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, jobj(status, "conditions"))
		if (eq(jstr(c, "type"), type))
			return c;
	return NULL;
}

void triage_workload_from_json(const void *obj, const char *kind, struct triage_workload *w)
{
	const cJSON *o = obj;
	const cJSON *meta = jobj(o, "metadata"), *status = jobj(o, "status");
	const cJSON *rep = jobj(jobj(o, "spec"), "replicas");
	const cJSON *prog = find_condition(status, "Progressing");
	const cJSON *av = find_condition(status, "Available");

	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->namespace_ = jstr(meta, "namespace");
	w->name = jstr(meta, "name");
	w->want = cJSON_IsNumber(rep) ? (int64_t)rep->valuedouble : 1;
	w->available = strcmp(kind, "StatefulSet") == 0 ? jnum(status, "readyReplicas")
							: jnum(status, "availableReplicas");
	if (prog) {
		w->progress_reason = jstr(prog, "reason");
		w->progress_message = jstr(prog, "message");
		w->progress_since = jtime(prog, "lastTransitionTime");
	}
	w->available_since = av ? jtime(av, "lastTransitionTime") : 0;
}

void triage_add_workload(struct triage *t, const struct triage_workload *w)
{
	char why[512];

	if (eq(w->progress_reason, "ProgressDeadlineExceeded")) {
		snprintf(why, sizeof(why), "rollout stuck: %s",
			 w->progress_message ? w->progress_message : "ProgressDeadlineExceeded");
		add(t, TRIAGE_CRITICAL, TRIAGE_CAUSE_ROLLOUT, w->kind, w->namespace_, w->name, why,
		    w->progress_since);
		return;
	}
	if (w->want > 0 && w->available < w->want) {
		snprintf(why, sizeof(why), "%" PRId64 "/%" PRId64 " replicas available",
			 w->available, w->want);
		add(t, w->available == 0 ? TRIAGE_CRITICAL : TRIAGE_HIGH, TRIAGE_CAUSE_REPLICAS,
		    w->kind, w->namespace_, w->name, why, w->available_since);
	}
}

void triage_event_from_json(const void *obj, struct triage_event *ev)
{
	const cJSON *o = obj, *io = jobj(o, "involvedObject");

	memset(ev, 0, sizeof(*ev));
	ev->type = jstr(o, "type");
	ev->reason = jstr(o, "reason");
	ev->message = jstr(o, "message");
	ev->object_kind = jstr(io, "kind");
	ev->object_namespace = jstr(io, "namespace");
	ev->object_name = jstr(io, "name");
	ev->object_key = jstr(io, "uid");
	ev->count = jnum(o, "count");
	ev->first = jtime(o, "firstTimestamp");
	ev->last = jtime(o, "lastTimestamp");
}

static bool same_object(const struct triage_event *a, const struct triage_event *b)
{
	return eq(a->type, "Warning") && eq(b->type, "Warning") && eq(a->object_key, b->object_key);
}

void triage_add_events(struct triage *t, const struct triage_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t sum = 0, first = 0;
		bool earlier = false;

		if (!eq(ev[i].type, "Warning"))
			continue;
		/* One row per object: the first Warning event about it sums the others. */
		for (size_t j = 0; j < i && !earlier; j++)
			earlier = same_object(&ev[j], &ev[i]);
		if (earlier)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (!same_object(&ev[j], &ev[i]) ||
			    (ev[j].last && ev[j].last < t->now - TRIAGE_BURST_WINDOW_S))
				continue;
			sum += ev[j].count > 0 ? ev[j].count : 1;
			if (ev[j].first && (!first || ev[j].first < first))
				first = ev[j].first;
		}
		if (sum >= TRIAGE_BURST_COUNT) {
			char why[512];

			snprintf(why, sizeof(why),
				 "%" PRId64 " Warning events in 15m, latest %s: %.300s", sum,
				 nz(ev[i].reason), nz(ev[i].message));
			add(t, TRIAGE_MEDIUM, TRIAGE_CAUSE_EVENTS,
			    ev[i].object_kind ? ev[i].object_kind : "Object", ev[i].object_namespace,
			    ev[i].object_name, why, first);
		}
	}
}

/* --- the store: checklist items and PVC usage --- */

#define CHECK_LISTS_MAX 64

struct check_scan {
	int64_t ids[CHECK_LISTS_MAX];
	char names[CHECK_LISTS_MAX][256];
	size_t n;
};

static int check_run(void *arg, const struct store_run *run)
{
	struct check_scan *c = arg;
	char key[256];

	snprintf(key, sizeof(key), "%s/%s", nz(run->profile), nz(run->checklist));
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->names[i], key) == 0)
			return 0;   /* newest first: an older run of a checklist already seen */
	if (c->n >= CHECK_LISTS_MAX)
		return 1;
	snprintf(c->names[c->n], sizeof(c->names[0]), "%s", key);
	c->ids[c->n++] = run->id;
	return 0;
}

struct check_item_arg {
	struct triage *t;
	const char *name;
};

static int check_item(void *arg, const struct store_run_item *it)
{
	struct check_item_arg *a = arg;
	char why[512];

	if (it->result != STORE_CHECK_FAIL && it->result != STORE_CHECK_WARN)
		return 0;
	snprintf(why, sizeof(why), "checklist %s: %s %s%s%s", a->name, nz(it->item),
		 store_check_result_name(it->result), it->value && it->value[0] ? " " : "",
		 nz(it->value));
	add(a->t, it->result == STORE_CHECK_FAIL ? TRIAGE_MEDIUM : TRIAGE_LOW, TRIAGE_CAUSE_CHECK,
	    "Check", NULL, it->item, why, it->decided_at);
	return 0;
}

void triage_add_checks(struct triage *t, struct store *st)
{
	struct check_scan *c = calloc(1, sizeof(*c));
	struct err e = { 0 };

	if (c && store_runs_list(st, NULL, NULL, 0, check_run, c, &e) == OD_OK)
		for (size_t i = 0; i < c->n; i++) {
			struct check_item_arg a = { .t = t, .name = c->names[i] };

			store_run_items_list(st, c->ids[i], check_item, &a, &e);
		}
	free(c);
}

/* The newest value of a PVC series in the store over the last hour; -1 when none. */
static int64_t pvc_latest(struct store *st, const char *ctx, const char *ns, const char *pvc,
			  enum store_metric m, int64_t now, int64_t *ts)
{
	struct store_series_key key = { .context = ctx, .namespace = ns,
					.kind = STORE_KIND_PVC, .object = pvc, .metric = m };
	struct store_query_result q = { 0 };
	int64_t id, v = -1;

	if (store_series_id(st, &key, false, &id, NULL) != OD_OK)
		return -1;
	if (store_series_query(st, id, now - 3600, now + 1, 0, &q, NULL) == OD_OK && q.n) {
		v = q.points[q.n - 1].max;
		*ts = q.points[q.n - 1].ts;
	}
	store_query_result_free(&q);
	return v;
}

void triage_add_pvcs(struct triage *t, struct store *st, const char *context,
		     const struct profile *p)
{
	for (size_t i = 0; p && i < p->npvcs; i++) {
		const struct profile_pvc *pv = &p->pvcs[i];
		const char *ns = pv->namespace ? pv->namespace : p->namespaces.v[0];
		int64_t ts = 0, ts2 = 0, pct;
		int64_t used = pvc_latest(st, context, ns, pv->name, STORE_METRIC_STORAGE_USED,
					  t->now, &ts);
		int64_t cap = pvc_latest(st, context, ns, pv->name, STORE_METRIC_STORAGE_CAPACITY,
					 t->now, &ts2);
		char why[512];
		enum triage_rank rank;

		if (used < 0 || cap <= 0)
			continue;
		pct = (int64_t)((double)used * 10000.0 / (double)cap);   /* hundredths of a % */
		if (pv->fail_above.set && pct > pv->fail_above.value)
			rank = TRIAGE_HIGH;
		else if (pv->warn_above.set && pct > pv->warn_above.value)
			rank = TRIAGE_MEDIUM;
		else
			continue;
		snprintf(why, sizeof(why), "storage %" PRId64 ".%02" PRId64 "%% used, over the "
			 "profile's %s threshold %" PRId64 "%%", pct / 100, pct % 100,
			 rank == TRIAGE_HIGH ? "fail" : "warn",
			 (rank == TRIAGE_HIGH ? pv->fail_above.value : pv->warn_above.value) / 100);
		/* Since the sample that shows it: the store has no crossing time. */
		add(t, rank, TRIAGE_CAUSE_PVC, "PersistentVolumeClaim", ns, pv->name, why, ts);
	}
}

static int finding_cmp(const void *a, const void *b)
{
	const struct triage_finding *x = a, *y = b;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;   /* the oldest problem first */
	c = strcmp(x->namespace_, y->namespace_);
	return c ? c : strcmp(x->name, y->name);
}

void triage_sort(struct triage *t)
{
	qsort(t->f, t->n, sizeof(*t->f), finding_cmp);
}
