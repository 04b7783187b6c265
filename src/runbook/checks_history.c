/*
 * checks_history.c: the kinds answered by the history store: restarts,
 * cpu/memory weekly averages, storage growth and days until full, and
 * Warning events (the archive, else the live API's events).
 *
 * Pod series are found by the workload's name as a prefix of the pod name
 * ("matter-server-" for deployment/matter-server), which is how pods of
 * Deployments, StatefulSets and DaemonSets are named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/duration.h"
#include "opsdeck/quantity.h"
#include "opsdeck/runbook_checks.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_series.h"

#define WEEK_S (7 * 24 * 3600)

/* The pod series of the spec's workload for metric; *ids malloc'd. */
static enum od_status pod_series(const struct check_env *env, const struct check_target *t,
				 enum store_metric metric, int64_t **ids, size_t *n,
				 struct err *e)
{
	struct store_series_filter f = { .context = env->context, .namespace = t->namespace,
					 .container = t->container, .kind = STORE_KIND_POD,
					 .metric = (int)metric };
	char prefix[300];

	if (t->workload_name) {
		snprintf(prefix, sizeof(prefix), "%s-", t->workload_name);
		f.object_prefix = prefix;
	}
	return store_series_find(env->store, &f, ids, n, e);
}

/*
 * The PromQL selector of the same pods: namespace, pods named after the
 * workload (the store's prefix rule), the container when given. Label
 * values are quoted; names with a quote or backslash are refused.
 */
static bool prom_selector(const struct check_target *t, char *out, size_t n)
{
	const char *vals[] = { t->namespace, t->workload_name, t->container };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (vals[i] && strpbrk(vals[i], "\\\"\n"))
			return false;
	snprintf(out, n, "namespace=\"%s\"%s%s%s%s%s%s", t->namespace ? t->namespace : "",
		 t->workload_name ? ",pod=~\"" : "", t->workload_name ? t->workload_name : "",
		 t->workload_name ? "-.*\"" : "", t->container ? ",container=\"" : "",
		 t->container ? t->container : "", t->container ? "\"" : "");
	return true;
}

/* Sums the summaries of series over [from, to). */
struct agg {
	int64_t count;
	double sum;
	int64_t first_ts, last_ts;
	int64_t first_v, last_v;
	int64_t delta;         /* counter growth: sum over series of (last - first), resets added */
	size_t series;
};

static enum od_status agg_series(const struct check_env *env, const int64_t *ids, size_t n,
				 int64_t from, int64_t to, struct agg *a, struct err *e)
{
	memset(a, 0, sizeof(*a));
	a->first_ts = -1;
	for (size_t i = 0; i < n; i++) {
		struct store_query_result q = { 0 };
		enum od_status rc = store_series_query(env->store, ids[i], from, to, 0, &q, e);

		if (rc != OD_OK)
			return rc;
		if (q.n) {
			a->series++;
			for (size_t j = 0; j < q.n; j++) {
				a->count += q.points[j].count;
				a->sum += (double)q.points[j].sum;
				/* a counter: growth between points, a drop is a reset */
				if (j > 0) {
					int64_t d = q.points[j].max - q.points[j - 1].max;

					a->delta += d >= 0 ? d : q.points[j].max;
				}
			}
			a->delta += q.points[0].max - q.points[0].min;
			if (a->first_ts < 0 || q.points[0].ts < a->first_ts) {
				a->first_ts = q.points[0].ts;
				a->first_v = q.points[0].min;
			}
			if (q.points[q.n - 1].ts >= a->last_ts) {
				a->last_ts = q.points[q.n - 1].ts;
				a->last_v = q.points[q.n - 1].max;
			}
		}
		store_query_result_free(&q);
	}
	return OD_OK;
}

void check_restarts(const struct check_env *env, const struct check_spec *cs,
		    struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	int64_t *ids = NULL, from;
	size_t n = 0;
	struct agg a;
	char since[DURATION_HUMAN_MAX];

	check_target_resolve(env, cs, &t);
	if (cs->window_ns > 0)
		from = env->now - cs->window_ns / NS_PER_SEC;
	else if (env->last_run > 0)
		from = env->last_run;
	else
		from = env->now - 24 * 3600;
	duration_format_human((env->now - from) * NS_PER_SEC, since, sizeof(since));
	check_field_set(r->source, sizeof(r->source), "history: restarts of %s pods in %s, last %s%s",
			t.workload_name ? t.workload_name : "the", t.namespace, since,
			cs->window_ns <= 0 && env->last_run > 0 ? " (since the last run)" : "");
	if (env->history_from_prometheus) {
		char sel[1024], expr[2048];
		double v;

		if (!prom_selector(&t, sel, sizeof(sel))) {
			check_result_unknown(r, "names that PromQL cannot quote");
			return;
		}
		snprintf(expr, sizeof(expr),
			 "sum(increase(kube_pod_container_status_restarts_total{%s}[%llds]))", sel,
			 (long long)(env->now - from > 60 ? env->now - from : 60));
		check_field_set(r->source, sizeof(r->source), "Prometheus: %s", expr);
		if (check_prometheus_scalar(env, expr, &v, r)) {
			check_result_judge(r, cs, (int64_t)(v + 0.5));
			check_field_set(r->evidence, sizeof(r->evidence),
					"increase of the restart counters: %.2f", v);
		}
		return;
	}
	if (!env->store) {
		check_result_unknown(r, "no history store");
		return;
	}
	if (pod_series(env, &t, STORE_METRIC_RESTARTS, &ids, &n, &e) != OD_OK) {
		check_result_unknown(r, "history: %s", e.msg);
		return;
	}
	if (agg_series(env, ids, n, from, env->now + 1, &a, &e) != OD_OK) {
		check_result_unknown(r, "history: %s", e.msg);
	} else if (a.series == 0) {
		check_result_unknown(r, "no restart history for these pods in the window "
				     "(run `opsdeck collect` to record it)");
	} else {
		check_result_judge(r, cs, a.delta);
		check_field_set(r->evidence, sizeof(r->evidence), "%zu pod series, %lld samples",
				a.series, (long long)a.count);
	}
	free(ids);
}

void check_usage_weekly(const struct check_env *env, const struct check_spec *cs,
			struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	int64_t *ids = NULL;
	size_t n = 0;
	struct agg a;
	bool cpu = cs->kind == CHECK_CPU;

	check_target_resolve(env, cs, &t);
	check_field_set(r->source, sizeof(r->source),
			"history: %s of %s pods in %s, 7-day average", cpu ? "cpu" : "memory",
			t.workload_name ? t.workload_name : "the", t.namespace);
	if (env->history_from_prometheus) {
		char sel[1024], expr[2048];
		double v;

		if (!prom_selector(&t, sel, sizeof(sel))) {
			check_result_unknown(r, "names that PromQL cannot quote");
			return;
		}
		/*
		 * The store's average is over every container sample: avg across
		 * series, then time. irate, not rate: a rate over [1m] reads low
		 * for the first minute of a series, which a short history would feel.
		 */
		if (cpu)
			snprintf(expr, sizeof(expr), "avg_over_time(avg(irate("
				 "container_cpu_usage_seconds_total{%s}[1m]))[7d:15s]) * 1000", sel);
		else
			snprintf(expr, sizeof(expr), "avg_over_time(avg("
				 "container_memory_working_set_bytes{%s})[7d:15s])", sel);
		check_field_set(r->source, sizeof(r->source), "Prometheus: %s", expr);
		if (check_prometheus_scalar(env, expr, &v, r)) {
			check_result_judge(r, cs, (int64_t)(v + 0.5));
			check_field_set(r->evidence, sizeof(r->evidence),
					"7-day average from Prometheus (15 s resolution)");
		}
		return;
	}
	if (!env->store) {
		check_result_unknown(r, "no history store");
		return;
	}
	if (pod_series(env, &t, cpu ? STORE_METRIC_CPU : STORE_METRIC_MEMORY, &ids, &n, &e) !=
	    OD_OK) {
		check_result_unknown(r, "history: %s", e.msg);
		return;
	}
	if (agg_series(env, ids, n, env->now - WEEK_S, env->now + 1, &a, &e) != OD_OK)
		check_result_unknown(r, "history: %s", e.msg);
	else if (a.count == 0)
		check_result_unknown(r, "no %s history for these pods in the last 7 days",
				     cpu ? "cpu" : "memory");
	else {
		char d1[DURATION_HUMAN_MAX];

		check_result_judge(r, cs, (int64_t)(a.sum / (double)a.count + 0.5));
		duration_format_human((a.last_ts - a.first_ts) * NS_PER_SEC, d1, sizeof(d1));
		check_field_set(r->evidence, sizeof(r->evidence), "%lld samples over %s",
				(long long)a.count, d1);
	}
	free(ids);
}

/* The newest value of one PVC series; -1 when none. */
static int64_t pvc_latest(const struct check_env *env, const char *ns, const char *pvc,
			  enum store_metric m, int64_t from)
{
	struct store_series_key k = { .context = env->context, .namespace = ns,
				      .kind = STORE_KIND_PVC, .object = pvc, .metric = m };
	struct store_query_result q = { 0 };
	int64_t id, v = -1;

	if (store_series_id(env->store, &k, false, &id, NULL) != OD_OK)
		return -1;
	if (store_series_query(env->store, id, from, env->now + 1, 0, &q, NULL) == OD_OK && q.n)
		v = q.points[q.n - 1].max;
	store_query_result_free(&q);
	return v;
}

void check_storage_growth(const struct check_env *env, const struct check_spec *cs,
			  struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	struct store_series_key k = { 0 };
	struct store_query_result q = { 0 };
	int64_t id, window = cs->window_ns > 0 ? cs->window_ns / NS_PER_SEC : WEEK_S;
	int64_t from, cap, per_day, days = -1, span;
	char used[32], capb[32];

	check_target_resolve(env, cs, &t);
	from = env->now - window;
	check_field_set(r->source, sizeof(r->source), "history: storage of claim %s/%s",
			t.namespace, cs->pvc ? cs->pvc : "");
	if (!env->store || !cs->pvc) {
		check_result_unknown(r, env->store ? "no claim named" : "no history store");
		return;
	}
	k.context = env->context;
	k.namespace = t.namespace;
	k.kind = STORE_KIND_PVC;
	k.object = cs->pvc;
	k.metric = STORE_METRIC_STORAGE_USED;
	if (store_series_id(env->store, &k, false, &id, &e) != OD_OK ||
	    store_series_query(env->store, id, from, env->now + 1, 0, &q, &e) != OD_OK ||
	    q.n < 2) {
		check_result_unknown(r, "no storage history for the claim over the window "
				     "(needs the collector or an import)");
		store_query_result_free(&q);
		return;
	}
	span = q.points[q.n - 1].ts - q.points[0].ts;
	if (span < 3600) {
		check_result_unknown(r, "storage history spans under an hour");
		store_query_result_free(&q);
		return;
	}
	per_day = (int64_t)((double)(q.points[q.n - 1].avg - q.points[0].avg) * 86400.0 /
			    (double)span);
	cap = pvc_latest(env, t.namespace, cs->pvc, STORE_METRIC_STORAGE_CAPACITY, from);
	if (cap > 0 && per_day > 0)
		days = (cap - q.points[q.n - 1].max) / per_day;
	check_result_judge(r, cs, per_day);
	if (check_judge_days_to_full(cs, days) > r->status)
		r->status = check_judge_days_to_full(cs, days);
	quantity_format_bytes(q.points[q.n - 1].max, used, sizeof(used));
	if (cap > 0)
		quantity_format_bytes(cap, capb, sizeof(capb));
	else
		snprintf(capb, sizeof(capb), "unknown capacity");
	if (days >= 0)
		check_field_set(r->evidence, sizeof(r->evidence), "%s used of %s; full in %lld days",
				used, capb, (long long)days);
	else
		check_field_set(r->evidence, sizeof(r->evidence), "%s used of %s; not filling up",
				used, capb);
	store_query_result_free(&q);
}

/* Warning events: counting state for the archive walk. */
struct ev_count {
	const struct check_spec *cs;
	const char *prefix;       /* workload name, to keep its objects; NULL: all */
	int64_t total;
	char *evidence;
	size_t nevidence;
	int shown;
	bool any;
};

static bool reason_wanted(const struct check_spec *cs, const char *reason)
{
	if (!cs->reasons.n)
		return true;
	for (size_t i = 0; i < cs->reasons.n; i++)
		if (reason && strcmp(cs->reasons.v[i], reason) == 0)
			return true;
	return false;
}

static void ev_add(struct ev_count *c, const char *kind, const char *name, const char *reason,
		   const char *msg, int64_t count)
{
	if (c->prefix && (!name || strncmp(name, c->prefix, strlen(c->prefix)) != 0))
		return;
	if (!reason_wanted(c->cs, reason))
		return;
	c->total += count > 0 ? count : 1;
	if (c->shown++ < 5)
		check_field_append(c->evidence, c->nevidence, "%s%s/%s %s x%lld: %.160s",
				   c->shown > 1 ? "; " : "", kind ? kind : "?", name ? name : "?",
				   reason ? reason : "?", (long long)(count > 0 ? count : 1),
				   msg ? msg : "");
}

static int ev_any(void *arg, const struct store_event *ev)
{
	(void)ev;
	*(bool *)arg = true;
	return 1;
}

static int ev_visit(void *arg, const struct store_event *ev)
{
	struct ev_count *c = arg;

	ev_add(c, ev->obj_kind, ev->obj_name, ev->reason, ev->message, ev->count);
	return 0;
}

/* The live API's events, for when the archive has nothing for the namespace. */
static void events_live(const struct check_env *env, const struct check_target *t, int64_t from,
			struct ev_count *c, struct check_result *r)
{
	char path[512];
	cJSON *list = NULL;
	const cJSON *ev;
	struct err e = { 0 };
	long code;

	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events?fieldSelector=type%%3DWarning",
		 t->namespace);
	if (check_get_json(env, path, &list, &code, &e) != OD_OK) {
		check_result_unknown(r, "events: %s", e.msg);
		return;
	}
	cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		const cJSON *obj = cJSON_GetObjectItemCaseSensitive(ev, "involvedObject");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(obj, "kind");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(obj, "name");
		const cJSON *rs = cJSON_GetObjectItemCaseSensitive(ev, "reason");
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(ev, "message");
		const cJSON *cnt = cJSON_GetObjectItemCaseSensitive(ev, "count");
		const cJSON *last = cJSON_GetObjectItemCaseSensitive(ev, "lastTimestamp");
		const cJSON *ty = cJSON_GetObjectItemCaseSensitive(ev, "type");
		int64_t when = cJSON_IsString(last) ? check_time_parse(last->valuestring) : -1;

		if (!cJSON_IsString(ty) || strcmp(ty->valuestring, "Warning") != 0)
			continue;
		if (when >= 0 && when < from)
			continue;
		ev_add(c, cJSON_IsString(k) ? k->valuestring : NULL,
		       cJSON_IsString(nm) ? nm->valuestring : NULL,
		       cJSON_IsString(rs) ? rs->valuestring : NULL,
		       cJSON_IsString(msg) ? msg->valuestring : NULL,
		       cJSON_IsNumber(cnt) ? (int64_t)cnt->valuedouble : 1);
	}
	cJSON_Delete(list);
	c->any = true;
}

void check_warning_events(const struct check_env *env, const struct check_spec *cs,
			  struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	struct ev_count c = { .cs = cs, .evidence = r->evidence, .nevidence = sizeof(r->evidence) };
	int64_t window = cs->window_ns > 0 ? cs->window_ns / NS_PER_SEC : 24 * 3600;
	int64_t from;
	bool archived = false;
	char since[DURATION_HUMAN_MAX];

	check_target_resolve(env, cs, &t);
	from = cs->window_ns <= 0 && env->last_run > 0 ? env->last_run : env->now - window;
	c.prefix = t.workload_name;
	duration_format_human((env->now - from) * NS_PER_SEC, since, sizeof(since));
	if (env->store) {
		struct store_event_filter any = { .context = env->context, .namespace = t.namespace };

		if (store_events_list(env->store, &any, ev_any, &archived, &e) != OD_OK)
			archived = false;
	}
	if (archived) {
		struct store_event_filter f = { .context = env->context, .namespace = t.namespace,
						.type = "Warning", .since = from };

		check_field_set(r->source, sizeof(r->source),
				"events archive: Warning events in %s, last %s", t.namespace, since);
		if (store_events_list(env->store, &f, ev_visit, &c, &e) != OD_OK) {
			check_result_unknown(r, "events archive: %s", e.msg);
			return;
		}
	} else {
		check_field_set(r->source, sizeof(r->source),
				"live API events (no archive for %s): Warning events, last %s",
				t.namespace, since);
		events_live(env, &t, from, &c, r);
		if (r->status == CHECK_STATUS_UNKNOWN && !c.any)
			return;
	}
	check_result_judge(r, cs, c.total);
	if (!c.total)
		check_field_set(r->evidence, sizeof(r->evidence), "no Warning events");
}
