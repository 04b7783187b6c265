/*
 * live.c: the dashboard's live side (ui_live.h). One struct ui_live holds the
 * target (kubeconfig context and namespace), the connection, the watches
 * (pods through podcache, events and nodes through informers), the metrics
 * poll, the API probe and watchdog, the store and the embedded collector.
 * live_connect() builds the connection part, live_disconnect() tears it
 * down; :ctx and :ns run one after the other. The rows the panes read are
 * kept here and survive a disconnect, so the screen keeps the last rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "opsdeck/apiclock.h"
#include "opsdeck/buf.h"
#include "opsdeck/collect.h"
#include "opsdeck/collect_metrics.h"
#include "opsdeck/collect_scope.h"
#include "opsdeck/http.h"
#include "opsdeck/informer.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/podcache.h"
#include "opsdeck/quantity.h"
#include "opsdeck/store.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_live.h"
#include "opsdeck/ui_pane_triage.h"
#include "opsdeck/ui_podstate.h"

/* Caps on what the network may make us hold. */
#define LIVE_EVENTS_MAX 20000
#define LIVE_NODES_MAX 20000
#define LIVE_USAGE_MAX 200000
#define LIVE_EVENTS_WINDOW_S (24 * 3600)
#define LIVE_METRICS_RETRY_MS 60000

/* --- rows the panes read --- */

struct usage {
	char ns[PODVIEW_NS_MAX];
	char name[PODVIEW_NAME_MAX];
	int64_t cpu_m, mem_b;
};

struct live_pods {
	struct pod_view *rows;      /* owned */
	size_t n, cap;
	uint64_t gen;
	struct podcache *pc;        /* borrowed: the live cache, NULL when the rows are stored ones */
	struct podcache **current;  /* borrowed: the live side's cache now (a restart replaces it) */
};

struct live_event {
	char uid[128];
	struct event_view v;
};

struct live_events {
	struct live_event *live;    /* owned: from the watch, by uid */
	size_t nlive, caplive;
	struct event_view *archive; /* owned: the store's archive at connect time */
	size_t narchive, caparchive;
	struct event_view *merged;  /* owned: live first, then archive rows not in it */
	size_t nmerged, capmerged;
	bool dirty;
	uint64_t gen;
};

struct live_nodes {
	struct node_view *rows;     /* owned, by name */
	size_t n, cap;
	uint64_t gen;
};

struct ui_live {
	struct app *app;                  /* borrowed */
	struct live_opts opts;            /* strings borrowed */
	struct loop *loop;                /* borrowed from the app */
	struct store *st;                 /* owned; NULL without a store */
	struct profile_catalog *cat;      /* owned; may be NULL */

	/* The connection: rebuilt by :ctx/:ns and when the API comes back. */
	struct kube_target *target;       /* owned */
	struct kube_conn *conn;           /* owned */
	struct podcache *pc;              /* owned */
	struct informer *ev_inf;          /* owned */
	struct informer *node_inf;        /* owned */
	struct collector *col;            /* owned */
	struct collect_scope scope;       /* owned names */
	struct http_call *probe_call;     /* in flight, owned by the client */
	struct http_call *metrics_call;
	struct http_call *workloads_call; /* the Triage view's workload LIST in flight */
	size_t workloads_kind;            /* which of workload_kinds it is for */
	uint64_t workloads_last_ms;       /* when the last round of LISTs began; 0: never */
	uint64_t probe_started_ms;
	uint64_t last_ok_ms;              /* monotonic; 0: never reached */
	int64_t last_ok_wall;             /* Unix seconds of the last answer */
	bool reached;                     /* the API answered since connect */
	bool stale;
	unsigned errors_at_stale;         /* the watches' failures when stale began */
	bool metrics_told;
	bool told_profile;
	bool cat_tried;                   /* the profile catalog was loaded (or failed) once */
	bool metrics_absent;
	uint64_t metrics_last_ms;

	uint64_t tick_timer;
	uint64_t pc_gen_seen;             /* the cache's generation the rows were built from */
	uint64_t saved_gen;
	uint64_t saved_ms;

	struct live_pods pods;
	struct live_events events;
	struct live_nodes nodes;
	struct podview_array *others;     /* owned: stored rows of namespaces not watched */
	struct usage *usage;              /* owned, sorted by ns/name */
	size_t nusage, capusage;
};

/* The API server's "now" as far as we know it: saved rows and ages use its clock. */
static int64_t wall_now(const struct ui_live *l)
{
	return l->app->opts.fixed_now ? l->app->opts.fixed_now
				      : (int64_t)time(NULL) + l->app->clock_skew_s;
}

/* Follows the server's clock (Date headers) while connected; kept across a reconnect. */
static void track_skew(struct ui_live *l)
{
	int64_t skew;

	if (!l->conn)
		return;
	skew = api_now(http_client_clock(l->conn->http)).sec - (int64_t)time(NULL);
	if (skew != l->app->clock_skew_s) {
		l->app->clock_skew_s = skew;
		l->app->now = wall_now(l);
		l->app->panes[0].dirty = true;
		l->app->dirty_status = true;
	}
}

static const char *request_ns(const struct ui_live *l);

/* --- pod source --- */

static size_t pods_count(void *self)
{
	return ((struct live_pods *)self)->n;
}

static const struct pod_view *pods_row(void *self, size_t i)
{
	struct live_pods *p = self;

	return i < p->n ? &p->rows[i] : NULL;
}

static uint64_t pods_generation(void *self)
{
	return ((struct live_pods *)self)->gen;
}

static const struct pod *pods_pod(void *self, size_t i)
{
	struct live_pods *p = self;

	if (!p->pc || i >= p->n || !*p->current)
		return NULL;
	return podcache_get(*p->current, p->rows[i].namespace_, p->rows[i].name);
}

static const struct pod_source_ops live_pods_ops = {
	.kind = "live",
	.count = pods_count,
	.row = pods_row,
	.generation = pods_generation,
	.pod = pods_pod,
};

static enum od_status pods_reserve(struct live_pods *p, size_t n, struct err *e)
{
	struct pod_view *nr;
	size_t cap = p->cap ? p->cap : 64;

	if (n <= p->cap)
		return OD_OK;
	while (cap < n)
		cap *= 2;
	nr = realloc(p->rows, cap * sizeof(*nr));
	if (!nr)
		return err_set(e, OD_ENOMEM, "out of memory");
	p->rows = nr;
	p->cap = cap;
	return OD_OK;
}

static int usage_cmp(const void *a, const void *b)
{
	const struct usage *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);

	return c ? c : strcmp(x->name, y->name);
}

static const struct usage *usage_find(const struct ui_live *l, const char *ns, const char *name)
{
	struct usage key;

	if (!l->nusage)
		return NULL;
	snprintf(key.ns, sizeof(key.ns), "%s", ns);
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, l->usage, l->nusage, sizeof(key), usage_cmp);
}

/* "ReplicaSet/web-5d4f8" -> "Deployment/web": the owner column names the workload. */
static void owner_workload(struct pod_view *v)
{
	char kind[64], name[PODVIEW_OWNER_MAX], wk[64], wn[PODVIEW_OWNER_MAX];
	const char *slash = strchr(v->owner, '/');

	if (!slash || (size_t)(slash - v->owner) >= sizeof(kind))
		return;
	snprintf(kind, sizeof(kind), "%.*s", (int)(slash - v->owner), v->owner);
	snprintf(name, sizeof(name), "%s", slash + 1);
	collect_workload_of(kind, name, wk, sizeof(wk), wn, sizeof(wn));
	if (wk[0] && wn[0] && strlen(wk) + strlen(wn) + 2 <= sizeof(v->owner)) {
		memcpy(v->owner, wk, strlen(wk));
		v->owner[strlen(wk)] = '/';
		memcpy(v->owner + strlen(wk) + 1, wn, strlen(wn) + 1);
	}
}

/* The live cache's pods as rows, with usage from the last metrics read. */
static void pods_rebuild(struct ui_live *l)
{
	const struct pod **pods = NULL;
	struct od_time now = api_now(http_client_clock(l->conn->http));
	size_t n = 0;
	struct err e = { 0 };

	if (podcache_sorted(l->pc, &pods, &n, &e) != OD_OK || pods_reserve(&l->pods, n, &e) != OD_OK) {
		free(pods);
		app_message(l->app, true, "pods: %s", e.msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct pod_view *v = &l->pods.rows[i];
		const struct usage *u;

		podview_from_pod(v, pods[i], now);
		owner_workload(v);
		u = usage_find(l, v->namespace_, v->name);
		if (u) {
			v->cpu_m = u->cpu_m;
			v->mem_b = u->mem_b;
		}
	}
	free(pods);
	l->pods.n = n;
	l->pods.pc = l->pc;
	l->pods.gen++;
}

/* Rows from the store's last-known state replace what is shown (a new target). */
static void pods_from_store(struct ui_live *l)
{
	struct podview_array *pa = NULL;
	struct pod_source src;
	struct err e = { 0 };
	int64_t saved_at = 0;
	size_t n;

	l->pods.n = 0;
	l->pods.pc = NULL;
	l->pods.gen++;
	if (!l->st || !l->app->status.context[0])
		return;
	if (podview_array_new(&pa, &e) != OD_OK ||
	    podstate_load(l->st, l->app->status.context, pa, &saved_at, &e) != OD_OK) {
		app_message(l->app, true, "history: %s", e.msg);
		goto out;
	}
	src = podview_array_source(pa);
	n = src.ops->count(src.self);
	podview_array_clear(l->others);
	if (saved_at > 0 && pods_reserve(&l->pods, n, &e) == OD_OK) {
		for (size_t i = 0; i < n; i++) {
			const struct pod_view *v = src.ops->row(src.self, i);

			l->pods.rows[i] = *v;
			/* Saving replaces the context's rows: keep those of other namespaces. */
			if (request_ns(l) && strcmp(v->namespace_, request_ns(l)) != 0)
				(void)podview_array_add(l->others, v, &e);
		}
		l->pods.n = n;
		l->app->status.stale_since = saved_at;
		snprintf(l->app->status.source, sizeof(l->app->status.source), "last known");
	}
out:
	podview_array_free(&pa);
}

/* --- event source: the watch's rows first, then the archive's others --- */

static size_t events_count(void *self)
{
	return ((struct live_events *)self)->nmerged;
}

static const struct event_view *events_row(void *self, size_t i)
{
	struct live_events *ev = self;

	return i < ev->nmerged ? &ev->merged[i] : NULL;
}

static uint64_t events_generation(void *self)
{
	return ((struct live_events *)self)->gen;
}

static const struct event_source_ops live_events_ops = {
	.kind = "live",
	.count = events_count,
	.row = events_row,
	.generation = events_generation,
};

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 32;
	void *nv;

	if (need <= *cap)
		return true;
	while (c < need)
		c *= 2;
	nv = realloc(*v, c * size);
	if (!nv)
		return false;
	*v = nv;
	*cap = c;
	return true;
}

static bool same_event(const struct event_view *a, const struct event_view *b)
{
	return strcmp(a->namespace_, b->namespace_) == 0 && strcmp(a->object, b->object) == 0 &&
	       strcmp(a->reason, b->reason) == 0 && strcmp(a->message, b->message) == 0;
}

static void events_merge(struct live_events *ev)
{
	size_t need = ev->nlive + ev->narchive, n = 0;

	if (!ev->dirty)
		return;
	ev->dirty = false;
	if (!grow((void **)&ev->merged, &ev->capmerged, need ? need : 1, sizeof(*ev->merged)))
		return;
	for (size_t i = 0; i < ev->nlive; i++)
		ev->merged[n++] = ev->live[i].v;
	for (size_t i = 0; i < ev->narchive; i++) {
		bool dup = false;

		for (size_t j = 0; j < ev->nlive && !dup; j++)
			dup = same_event(&ev->archive[i], &ev->live[j].v);
		if (!dup)
			ev->merged[n++] = ev->archive[i];
	}
	ev->nmerged = n;
	ev->gen++;
}

static void events_load_archive(struct ui_live *l)
{
	struct eventview_array *ea = NULL;
	struct event_source src;
	struct err e = { 0 };
	size_t n;

	l->events.narchive = 0;
	l->events.nlive = 0;
	l->events.dirty = true;
	if (!l->st || !l->app->status.context[0])
		goto out;
	if (eventview_array_new(&ea, &e) != OD_OK ||
	    eventview_load_store(ea, l->st, l->app->status.context,
				 wall_now(l) - LIVE_EVENTS_WINDOW_S, &e) != OD_OK)
		goto out;
	src = eventview_array_source(ea);
	n = src.ops->count(src.self);
	if (n > LIVE_EVENTS_MAX)
		n = LIVE_EVENTS_MAX;
	if (!grow((void **)&l->events.archive, &l->events.caparchive, n ? n : 1,
		  sizeof(*l->events.archive)))
		goto out;
	for (size_t i = 0; i < n; i++)
		l->events.archive[i] = *src.ops->row(src.self, i);
	l->events.narchive = n;
out:
	eventview_array_free(&ea);
	events_merge(&l->events);
}

static void event_view_from(struct event_view *v, const struct store_event *s)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->namespace_, sizeof(v->namespace_), "%s", s->namespace ? s->namespace : "");
	snprintf(v->type, sizeof(v->type), "%s", s->type ? s->type : "");
	snprintf(v->reason, sizeof(v->reason), "%s", s->reason ? s->reason : "");
	snprintf(v->object, sizeof(v->object), "%s/%s", s->obj_kind ? s->obj_kind : "",
		 s->obj_name ? s->obj_name : "");
	snprintf(v->message, sizeof(v->message), "%s", s->message ? s->message : "");
	v->count = s->count;
	v->last_seen = s->last_seen;
}

static void ev_list_begin(void *arg)
{
	struct ui_live *l = arg;

	l->events.nlive = 0;
	l->events.dirty = true;
}

static enum od_status ev_on_object(void *arg, enum watch_type type, const cJSON *obj,
				   struct err *e)
{
	struct ui_live *l = arg;
	struct live_events *ev = &l->events;
	struct store_event s;
	size_t i;
	enum od_status rc = collect_event_from_json(obj, &s, e);

	if (rc != OD_OK)
		return rc;
	for (i = 0; i < ev->nlive && strcmp(ev->live[i].uid, s.uid) != 0; i++)
		;
	ev->dirty = true;
	if (type == WATCH_DELETED) {
		if (i < ev->nlive)
			ev->live[i] = ev->live[--ev->nlive];
		return OD_OK;
	}
	if (i == ev->nlive) {
		if (ev->nlive >= LIVE_EVENTS_MAX)
			return OD_OK;
		if (!grow((void **)&ev->live, &ev->caplive, ev->nlive + 1, sizeof(*ev->live)))
			return err_set(e, OD_ENOMEM, "out of memory");
		ev->nlive++;
	}
	snprintf(ev->live[i].uid, sizeof(ev->live[i].uid), "%s", s.uid);
	event_view_from(&ev->live[i].v, &s);
	return OD_OK;
}

/* --- node source --- */

static size_t nodes_count(void *self)
{
	return ((struct live_nodes *)self)->n;
}

static const struct node_view *nodes_row(void *self, size_t i)
{
	struct live_nodes *nd = self;

	return i < nd->n ? &nd->rows[i] : NULL;
}

static uint64_t nodes_generation(void *self)
{
	return ((struct live_nodes *)self)->gen;
}

static const struct node_source_ops live_nodes_ops = {
	.kind = "live",
	.count = nodes_count,
	.row = nodes_row,
	.generation = nodes_generation,
};

static void node_list_begin(void *arg)
{
	struct ui_live *l = arg;

	l->nodes.n = 0;
	l->nodes.gen++;
}

static enum od_status node_on_object(void *arg, enum watch_type type, const cJSON *obj,
				     struct err *e)
{
	struct ui_live *l = arg;
	struct live_nodes *nd = &l->nodes;
	struct node_view v;
	size_t i;
	enum od_status rc = nodeview_from_json(&v, obj, e);

	if (rc != OD_OK)
		return rc;
	for (i = 0; i < nd->n && strcmp(nd->rows[i].name, v.name) != 0; i++)
		;
	nd->gen++;
	if (type == WATCH_DELETED) {
		if (i < nd->n) {
			memmove(&nd->rows[i], &nd->rows[i + 1], (nd->n - i - 1) * sizeof(v));
			nd->n--;
		}
		return OD_OK;
	}
	if (i == nd->n) {
		if (nd->n >= LIVE_NODES_MAX)
			return OD_OK;
		if (!grow((void **)&nd->rows, &nd->cap, nd->n + 1, sizeof(*nd->rows)))
			return err_set(e, OD_ENOMEM, "out of memory");
		nd->n++;
	}
	nd->rows[i] = v;
	return OD_OK;
}

/* --- reachability: every failure of a watch, and the probe --- */

static unsigned watch_errors(const struct ui_live *l)
{
	unsigned n = 0;

	if (l->pc)
		n += podcache_stats(l->pc)->errors;
	if (l->ev_inf)
		n += informer_stats(l->ev_inf)->errors;
	if (l->node_inf)
		n += informer_stats(l->node_inf)->errors;
	return n;
}

static void mark_stale(struct ui_live *l)
{
	if (l->stale)
		return;
	l->stale = true;
	l->errors_at_stale = watch_errors(l);
	/* "stale since": when the API last answered (or the stored rows' time). */
	if (l->last_ok_wall)
		l->app->status.stale_since = l->last_ok_wall;
	else if (!l->app->status.stale_since)
		l->app->status.stale_since = wall_now(l);
	l->app->status.rtt_ms = -1;
	l->app->dirty_status = true;
}

static void on_watch_error(void *arg, const struct err *e)
{
	struct ui_live *l = arg;

	(void)e;
	/* A watch failing right after the probe answered is the first sign of a lost API. */
	if (l->reached && time_mono_ms() - l->last_ok_ms > LIVE_PROBE_MS) {
		mark_stale(l);
		/* A watch broke: when the API answers again, the watches start over. */
		l->errors_at_stale = 0;
	}
}

static const struct informer_ops event_ops = {
	.list_begin = ev_list_begin,
	.on_object = ev_on_object,
	.on_error = on_watch_error,
};

static const struct informer_ops node_ops = {
	.list_begin = node_list_begin,
	.on_object = node_on_object,
	.on_error = on_watch_error,
};

static void collector_notice(void *arg, const char *msg)
{
	struct ui_live *l = arg;

	app_message(l->app, false, "%s", msg);
}

static const char *request_ns(const struct ui_live *l)
{
	const char *ns = l->app->status.namespace_;

	return !ns[0] || strcmp(ns, "*") == 0 ? NULL : ns;
}

static void watches_stop(struct ui_live *l)
{
	collector_free(&l->col);
	informer_free(&l->ev_inf);
	informer_free(&l->node_inf);
	podcache_free(&l->pc);
	l->pods.pc = NULL;
}

/* The collector for the target; a failure is told, the dashboard goes on without it. */
static void collector_begin(struct ui_live *l)
{
	struct collect_config cc = {
		.context = l->app->status.context,
		.scope = &l->scope,
		.notice = collector_notice,
		.arg = l,
	};
	struct err e = { 0 };
	enum od_status rc;

	collect_scope_clear(&l->scope);
	rc = collect_scope_build(&l->scope, request_ns(l) == NULL, l->app->status.context,
				 request_ns(l) ? request_ns(l) : "default", l->cat, NULL, NULL, 0, &e);
	if (rc == OD_OK)
		rc = collector_new(l->loop, l->conn->http, l->st, &cc, &l->col, &e);
	if (rc == OD_OK)
		rc = collector_start(l->col, &e);
	if (rc != OD_OK) {
		collector_free(&l->col);
		app_message(l->app, true, "collector: %s", e.msg);
	}
}

/* The watches of the current namespace, and the collector. */
static enum od_status watches_start(struct ui_live *l, struct err *e)
{
	struct podcache_config pcfg = { .namespace_ = request_ns(l) };
	struct informer_config ecfg = { .namespace_ = request_ns(l) };
	struct informer_config ncfg = { 0 };
	enum od_status rc;

	ecfg.res = api_resource_lookup("events", e);
	ncfg.res = api_resource_lookup("nodes", e);
	if (!ecfg.res || !ncfg.res)
		return e->status;
	rc = podcache_new(l->conn->http, &pcfg, &l->pc, e);
	if (rc == OD_OK)
		rc = podcache_start(l->pc, e);
	if (rc == OD_OK)
		rc = informer_new(l->conn->http, &ecfg, &event_ops, l, &l->ev_inf, e);
	if (rc == OD_OK)
		rc = informer_start(l->ev_inf, e);
	if (rc == OD_OK)
		rc = informer_new(l->conn->http, &ncfg, &node_ops, l, &l->node_inf, e);
	if (rc == OD_OK)
		rc = informer_start(l->node_inf, e);
	if (rc != OD_OK || !l->opts.collect || !l->st)
		return rc;
	collector_begin(l);
	return OD_OK;
}

static void live_disconnect(struct ui_live *l)
{
	watches_stop(l);
	if (l->conn && l->probe_call)
		http_cancel(l->conn->http, &l->probe_call);
	if (l->conn && l->metrics_call)
		http_cancel(l->conn->http, &l->metrics_call);
	if (l->conn && l->workloads_call)
		http_cancel(l->conn->http, &l->workloads_call);
	kube_conn_free(&l->conn);
	kube_target_free(&l->target);
	collect_scope_clear(&l->scope);
	l->reached = false;
}

static void conn_warn(const char *msg, void *arg)
{
	struct ui_live *l = arg;

	app_message(l->app, false, "%s", msg);
}

/* Resolves the app's context and namespace and opens the connection and the watches. */
static enum od_status live_connect(struct ui_live *l, struct err *e)
{
	struct kubeconfig_source src;
	struct kube_conn_opts co = { .request_timeout_ms = l->opts.request_timeout_ms,
				     .warn = conn_warn, .warn_arg = l };
	const char *ctx = l->app->status.context[0] ? l->app->status.context : NULL;
	enum od_status rc;

	kubeconfig_source_from_env(&src, l->opts.kubeconfig);
	rc = kube_target_load(&src, ctx, request_ns(l), &l->target, e);
	if (rc == OD_OK)
		rc = kube_conn_open(l->loop, l->target, &co, &l->conn, e);
	if (rc == OD_OK)
		rc = watches_start(l, e);
	if (rc != OD_OK)
		live_disconnect(l);
	return rc;
}

/* --- the probe, metrics, saving: one timer --- */

static void probe_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct ui_live *l = arg;
	uint64_t now = time_mono_ms();

	(void)call;
	l->probe_call = NULL;
	if (res->status != OD_OK && res->code == 0) {
		mark_stale(l);
		return;
	}
	/* Any HTTP answer (even 401/403) means the server is there. */
	l->app->status.rtt_ms = (int)(now - l->probe_started_ms);
	l->last_ok_ms = now;
	l->last_ok_wall = wall_now(l);
	l->app->dirty_status = true;
	if (l->stale && watch_errors(l) != l->errors_at_stale) {
		struct err e = { 0 };

		/* Back after the watches failed: watch again at once, not after their backoff. */
		watches_stop(l);
		if (watches_start(l, &e) != OD_OK)
			app_message(l->app, true, "%s", e.msg);
		else
			app_message(l->app, false, "API reachable again");
	}
	/* (Only a slow answer: the watches never broke and go on as they were.) */
	l->stale = false;
	if (!l->stale && l->pods.pc)
		l->app->status.stale_since = 0;
	l->reached = true;
}

static void probe_start(struct ui_live *l)
{
	struct http_request rq = { .path = "/version", .timeout_ms = LIVE_STALE_MS,
				   .no_retry = true, .on_done = probe_done, .arg = l };
	struct err e = { 0 };

	if (!l->conn || l->probe_call)
		return;
	l->probe_started_ms = time_mono_ms();
	if (http_start(l->conn->http, &rq, &l->probe_call, &e) != OD_OK)
		mark_stale(l);
}

static enum od_status on_usage(void *arg, const struct collect_usage *u, struct err *e)
{
	struct ui_live *l = arg;
	struct usage *last = l->nusage ? &l->usage[l->nusage - 1] : NULL;

	/* Containers of one pod come together: sum them. */
	if (last && strcmp(last->ns, u->namespace_ ? u->namespace_ : "") == 0 &&
	    strcmp(last->name, u->name ? u->name : "") == 0) {
		last->cpu_m += u->cpu_milli;
		last->mem_b += u->memory_bytes;
		return OD_OK;
	}
	if (l->nusage >= l->capusage)
		return OD_OK;
	last = &l->usage[l->nusage++];
	snprintf(last->ns, sizeof(last->ns), "%s", u->namespace_ ? u->namespace_ : "");
	snprintf(last->name, sizeof(last->name), "%s", u->name ? u->name : "");
	last->cpu_m = u->cpu_milli;
	last->mem_b = u->memory_bytes;
	(void)e;
	return OD_OK;
}

static void metrics_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct ui_live *l = arg;
	struct err e = { 0 };
	size_t cap;

	(void)call;
	l->metrics_call = NULL;
	if (res->code == 404 || res->code == 503) {
		l->metrics_absent = true;
		if (!l->metrics_told)
			app_message(l->app, false, "metrics.k8s.io is not served: CPU and memory "
						   "show - (no metrics-server?)");
		l->metrics_told = true;
		return;
	}
	if (res->status != OD_OK || !res->body)
		return;
	l->metrics_absent = false;
	free(l->usage);
	l->usage = NULL;
	l->nusage = 0;
	/* A PodMetrics item is at least ~100 bytes: that bounds the rows. */
	cap = res->body->len / 100 + 1;
	if (cap > LIVE_USAGE_MAX)
		cap = LIVE_USAGE_MAX;
	l->capusage = 0;
	l->usage = calloc(cap, sizeof(*l->usage));
	if (!l->usage)
		return;
	l->capusage = cap;
	if (collect_parse_pod_metrics(res->body->data, res->body->len, on_usage, l, &e) != OD_OK) {
		l->nusage = 0;
		return;
	}
	qsort(l->usage, l->nusage, sizeof(*l->usage), usage_cmp);
	if (l->pc && podcache_stats(l->pc)->synced)
		pods_rebuild(l);
}

static void metrics_start(struct ui_live *l)
{
	char path[256];
	const char *ns = request_ns(l);
	struct http_request rq = { .path = path, .no_retry = true, .on_done = metrics_done,
				   .arg = l, .timeout_ms = LIVE_METRICS_MS };
	struct err e = { 0 };

	if (!l->conn || l->metrics_call || l->stale)
		return;
	if (ns)
		snprintf(path, sizeof(path), "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods", ns);
	else
		snprintf(path, sizeof(path), "/apis/metrics.k8s.io/v1beta1/pods");
	l->metrics_last_ms = time_mono_ms();
	(void)http_start(l->conn->http, &rq, &l->metrics_call, &e);
}

/* What the Triage view LISTs while it is shown, as `opsdeck triage` does. */
static const char *const workload_kinds[][2] = {
	{ "deployments", "Deployment" },
	{ "statefulsets", "StatefulSet" },
};
#define WORKLOAD_KINDS (sizeof(workload_kinds) / sizeof(workload_kinds[0]))

static void workloads_next(struct ui_live *l);

/* One kind's LIST answered: its findings replace the last ones; then the next kind. */
static void workloads_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct ui_live *l = arg;
	cJSON *list;

	(void)call;
	l->workloads_call = NULL;
	/* A failed LIST keeps the kind's last findings; the next round asks again. */
	if (res->status == OD_OK && res->body) {
		list = cJSON_ParseWithLength(res->body->data, res->body->len);
		if (list) {
			pane_triage_set_workloads(&l->app->triage,
						  workload_kinds[l->workloads_kind][1], list);
			l->app->triage.dirty = true;
		}
		cJSON_Delete(list);
	}
	l->workloads_kind++;
	if (l->workloads_kind < WORKLOAD_KINDS)
		workloads_next(l);
}

static void workloads_next(struct ui_live *l)
{
	char path[512];
	const char *ns = request_ns(l);
	struct http_request rq = { .path = path, .no_retry = true, .on_done = workloads_done,
				   .arg = l, .timeout_ms = TRIAGE_WORKLOADS_POLL_S * 1000L };
	struct err e = { 0 };

	if (!l->conn || l->workloads_call || l->stale)
		return;
	if (ns)
		snprintf(path, sizeof(path), "/apis/apps/v1/namespaces/%s/%s", ns,
			 workload_kinds[l->workloads_kind][0]);
	else
		snprintf(path, sizeof(path), "/apis/apps/v1/%s", workload_kinds[l->workloads_kind][0]);
	(void)http_start(l->conn->http, &rq, &l->workloads_call, &e);
}

/* A round of workload LISTs, one kind after the other, never blocking the loop. */
static void workloads_start(struct ui_live *l, uint64_t now_ms)
{
	if (!l->conn || l->workloads_call || l->stale)
		return;
	l->workloads_last_ms = now_ms;
	l->workloads_kind = 0;
	workloads_next(l);
}

static void save_state(struct ui_live *l, uint64_t now_ms)
{
	struct pod_source src;
	struct podview_array *all = NULL;
	struct err e = { 0 };

	if (!l->st || !l->pods.pc || !l->app->status.context[0] || l->pods.gen == l->saved_gen ||
	    now_ms - l->saved_ms < LIVE_SAVE_MS)
		return;
	l->saved_gen = l->pods.gen;
	l->saved_ms = now_ms;
	/* The watched namespace's rows now, and what was known of the others. */
	if (podview_array_new(&all, &e) != OD_OK)
		goto out;
	src = podview_array_source(l->others);
	for (size_t i = 0; i < src.ops->count(src.self); i++)
		if (podview_array_add(all, src.ops->row(src.self, i), &e) != OD_OK)
			goto out;
	for (size_t i = 0; i < l->pods.n; i++)
		if (podview_array_add(all, &l->pods.rows[i], &e) != OD_OK)
			goto out;
	src = podview_array_source(all);
	(void)podstate_save(l->st, l->app->status.context, wall_now(l), &src, &e);
out:
	if (e.msg[0])
		app_message(l->app, true, "history: %s", e.msg);
	podview_array_free(&all);
}

/* What the watches changed since the last tick goes to the rows the panes read. */
static void live_sync(struct ui_live *l)
{
	bool synced = l->pc && podcache_stats(l->pc)->synced;

	if (synced && (l->pods.pc != l->pc || podcache_generation(l->pc) != l->pc_gen_seen)) {
		l->pc_gen_seen = podcache_generation(l->pc);
		pods_rebuild(l);
		if (l->app->status.source[0]) {
			l->app->status.source[0] = '\0';
			l->app->dirty_status = true;
		}
		if (!l->stale && l->app->status.stale_since) {
			l->app->status.stale_since = 0;
			l->app->dirty_status = true;
		}
	}
	events_merge(&l->events);
}

static void on_tick(struct loop *lp, uint64_t id, void *arg)
{
	struct ui_live *l = arg;
	uint64_t now = time_mono_ms();

	(void)lp;
	(void)id;
	track_skew(l);
	live_sync(l);
	/* Never answered yet: a first probe that hangs is as good as a refusal. */
	if (!l->reached && l->probe_call && now - l->probe_started_ms > LIVE_STALE_MS)
		mark_stale(l);
	if (l->reached && now - l->last_ok_ms > LIVE_STALE_MS)
		mark_stale(l);
	if (now - l->probe_started_ms >= LIVE_PROBE_MS)
		probe_start(l);
	/* Without metrics-server, look again now and then: it may be installed. */
	if (now - l->metrics_last_ms >= (l->metrics_absent ? LIVE_METRICS_RETRY_MS : LIVE_METRICS_MS))
		metrics_start(l);
	/* The Triage view's workloads are read while it is shown, and at once when it opens. */
	if (!l->app->triage_shown)
		l->workloads_last_ms = 0;
	else if (l->workloads_last_ms == 0 ||
		 now - l->workloads_last_ms >= TRIAGE_WORKLOADS_POLL_S * 1000u)
		workloads_start(l, now);
	save_state(l, now);
	app_update(l->app);
}

static void fill_profile(struct ui_live *l)
{
	const struct profile *p = NULL;

	l->app->status.profile[0] = '\0';
	if (!l->cat)
		return;
	if (l->opts.profile)
		p = profile_catalog_find(l->cat, l->opts.profile);
	else
		p = profile_catalog_match(l->cat, l->app->status.context, l->app->status.namespace_);
	if (l->opts.profile && !p && !l->told_profile)
		app_message(l->app, true, "no profile named \"%.64s\"", l->opts.profile);
	l->told_profile = l->told_profile || (l->opts.profile && !p);
	if (p)
		snprintf(l->app->status.profile, sizeof(l->app->status.profile), "%s", p->name);
	l->app->dirty_status = true;
}

/*
 * Last-known rows of the app's target, then the connection. At start they
 * are painted before connecting (paint_now); on :ns/:ctx the key's own
 * update paints them, still before any answer.
 */
static void live_retarget(struct ui_live *l, bool paint_now)
{
	struct err e = { 0 };

	live_disconnect(l);
	l->stale = false;
	l->last_ok_ms = 0;
	l->last_ok_wall = 0;
	l->app->status.rtt_ms = -1;
	l->app->status.stale_since = 0;
	l->app->status.source[0] = '\0';
	l->nusage = 0;
	l->metrics_absent = false;
	l->metrics_last_ms = 0;
	l->workloads_last_ms = 0;
	pane_triage_set_workloads(&l->app->triage, NULL, NULL);
	pods_from_store(l);
	events_load_archive(l);
	l->nodes.n = 0;
	l->nodes.gen++;
	l->pc_gen_seen = 0;
	l->app->dirty_status = true;
	l->app->dirty_tabs = true;
	/* Nothing below may delay the stored rows (the catalog, the connection). */
	if (paint_now)
		app_update(l->app);
	if (!l->cat && !l->cat_tried) {
		l->cat_tried = true;
		if (profile_catalog_load(&l->cat, &e) != OD_OK)
			l->cat = NULL;
	}
	/* The profile follows the namespace unless --profile named one. */
	fill_profile(l);
	if (live_connect(l, &e) != OD_OK) {
		app_message(l->app, true, "%s", e.msg);
		mark_stale(l);
		return;
	}
	/* Until the first answer, the stored rows stay marked with their time. */
	probe_start(l);
}

/* A new context shows its own namespace from the kubeconfig (or all, with -A). */
static void context_namespace(struct ui_live *l)
{
	struct kubeconfig_source src;
	struct kube_target *t = NULL;
	struct err e = { 0 };

	if (l->opts.all_namespaces)
		return;
	kubeconfig_source_from_env(&src, l->opts.kubeconfig);
	if (kube_target_load(&src, l->app->status.context, NULL, &t, &e) != OD_OK)
		return;
	snprintf(l->app->status.namespace_, sizeof(l->app->status.namespace_), "%s",
		 t->namespace_);
	kube_target_free(&t);
}

static void on_target(void *arg, bool context_changed)
{
	struct ui_live *l = arg;

	if (context_changed)
		context_namespace(l);
	live_retarget(l, false);
	l->app->panes[0].dirty = true;
}

static void open_store(struct ui_live *l)
{
	struct err e = { 0 };

	if (store_open(l->opts.db_path, NULL, &l->st, &e) != OD_OK) {
		l->st = NULL;
		app_message(l->app, true, "history: %s", e.msg);
		return;
	}
	if (store_notice(l->st)[0])
		app_message(l->app, false, "%s", store_notice(l->st));
}

enum od_status live_new(struct app *app, const struct live_opts *o, struct ui_live **out,
			struct err *e)
{
	struct ui_live *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l)
		return err_set(e, OD_ENOMEM, "out of memory");
	l->app = app;
	l->opts = *o;
	l->loop = app->loop;
	l->pods.current = &l->pc;
	if (podview_array_new(&l->others, e) != OD_OK) {
		free(l);
		return e->status;
	}
	open_store(l);
	app->on_target = on_target;
	app->target_arg = l;
	app_set_pod_source(app, (struct pod_source){ .ops = &live_pods_ops, .self = &l->pods });
	app_set_event_source(app, (struct event_source){ .ops = &live_events_ops,
							 .self = &l->events });
	app->nodes = (struct node_source){ .ops = &live_nodes_ops, .self = &l->nodes };
	live_retarget(l, true);
	l->tick_timer = loop_timer_add(l->loop, LIVE_TICK_MS, LIVE_TICK_MS, on_tick, l);
	*out = l;
	return OD_OK;
}

void live_free(struct ui_live **lp)
{
	struct ui_live *l = lp ? *lp : NULL;

	if (!l)
		return;
	if (l->tick_timer)
		loop_timer_cancel(l->loop, l->tick_timer);
	live_disconnect(l);
	l->app->on_target = NULL;
	l->app->pods = (struct pod_source){ 0 };
	l->app->events = (struct event_source){ 0 };
	l->app->nodes = (struct node_source){ 0 };
	store_close(&l->st);
	profile_catalog_free(&l->cat);
	podview_array_free(&l->others);
	free(l->pods.rows);
	free(l->events.live);
	free(l->events.archive);
	free(l->events.merged);
	free(l->nodes.rows);
	free(l->usage);
	free(l);
	*lp = NULL;
}
