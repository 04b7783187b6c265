/*
 * collect.c: the collector (collect.h). Watches (pods and events per
 * namespace in scope) run continuously; a tick timer fetches the metrics
 * lists and, when every answer is in, writes the whole tick in one store
 * transaction; a PVC timer does the same with the kubelet stats summaries.
 *
 * Response bodies are kept until the tick commits and parsed inside the
 * transaction, so series ids, samples, pod transitions and the last-known
 * rows of one tick land together or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/api.h"
#include "opsdeck/buf.h"
#include "opsdeck/collect.h"
#include "opsdeck/collect_metrics.h"
#include "opsdeck/informer.h"
#include "opsdeck/podcache.h"
#include "opsdeck/podstatus.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_pods.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "opsdeck/store_state.h"
#include "opsdeck/ui_podmodel.h"

/* Cap on the node list and on how many nodes a PVC pass asks. */
#define COLLECT_MAX_NODES 5000
#define SYNC_POLL_MS 50

/* What a tick or PVC pass waits for: one request per slot. */
enum req_kind { REQ_POD_METRICS, REQ_NODE_METRICS, REQ_NODES, REQ_SUMMARY };

struct pending_body {
	enum req_kind kind;
	char *body;          /* owned */
	size_t len;
};

/* A pass (tick or PVC) in flight: requests out, bodies in. */
struct pass {
	bool busy;
	unsigned pending;            /* requests not answered yet */
	struct pending_body *bodies; /* owned */
	size_t nbodies, capbodies;
	bool failed;                 /* a request failed for another reason than 404 */
	struct err err;              /* its message */
	bool not_found;              /* a metrics or summary request got 404 */
	bool denied;                 /* the API refused a request (403, 5xx...): that part is skipped */
	struct err denied_err;       /* the first refusal, in kubectl's words */
	int round;                   /* PVC pass: 0 the node list, 1 the summaries */
};

/* A pod seen at a tick, so the next tick can tell that it is gone. */
struct seen_pod {
	char *ns, *name;             /* owned */
	int64_t restarts;
};

struct ns_watch {
	char *ns;                    /* owned; NULL for every namespace */
	struct seen_pod *seen;       /* owned: the pods of the last committed tick, sorted */
	size_t nseen;
	struct seen_pod *next;       /* owned: this tick's, swapped in when it commits */
	size_t nnext;
	struct podcache *pods;       /* owned */
	struct informer *events;     /* owned */
	struct collector *c;         /* back pointer for the informer callbacks */
};

struct collector {
	struct loop *lp;             /* borrowed */
	struct http_client *http;    /* borrowed */
	struct store *st;            /* borrowed */
	struct collect_config cfg;   /* strings below are the owned copies */
	char *context;               /* owned */
	struct collect_scope scope;  /* owned copy */
	struct ns_watch *w;          /* owned array */
	size_t nw;
	uint64_t sync_timer, tick_timer, pvc_timer;
	uint64_t started_ms;
	bool synced;
	struct pass tick, pvc;
	bool once_tick_done, once_pvc_done, once_finished;
	bool told_metrics, told_summary, told_events;
	char told_denied[ERR_MSG_MAX];   /* the last refusal told, so it is not repeated */
	char told_failure[ERR_MSG_MAX];  /* the last failure told, likewise */
	int64_t last_prune;
	struct collect_stats stats;
	struct req_ctx *reqs;        /* owned list of requests in flight */
};

static void notify(struct collector *c, const char *msg)
{
	if (c->cfg.notice)
		c->cfg.notice(c->cfg.arg, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

/* Says msg unless it was the last thing said in *last (a failing API is not told every tick). */
static void notify_changed(struct collector *c, char *last, const char *prefix, const char *msg)
{
	char line[ERR_MSG_MAX + 128];

	snprintf(line, sizeof(line), "%s%s", prefix, msg);
	if (strncmp(last, line, ERR_MSG_MAX - 1) == 0)
		return;
	memcpy(last, line, ERR_MSG_MAX - 1);
	last[ERR_MSG_MAX - 1] = '\0';
	notify(c, line);
}

static int64_t server_now(const struct collector *c)
{
	return api_now(http_client_clock(c->http)).sec;
}

static void once_finish(struct collector *c, enum od_status rc, const struct err *e)
{
	if (!c->cfg.once || c->once_finished)
		return;
	c->once_finished = true;
	if (c->cfg.done)
		c->cfg.done(c->cfg.arg, rc, e);
}

static void once_check(struct collector *c)
{
	if (c->once_tick_done && c->once_pvc_done)
		once_finish(c, OD_OK, NULL);
}

/* ---- passes: requests out, bodies kept ---- */

static void pass_reset(struct pass *p)
{
	for (size_t i = 0; i < p->nbodies; i++)
		free(p->bodies[i].body);
	free(p->bodies);
	memset(p, 0, sizeof(*p));
}

static enum od_status pass_keep(struct pass *p, enum req_kind kind, struct buf *body,
				struct err *e)
{
	if (p->nbodies == p->capbodies) {
		size_t cap = p->capbodies ? p->capbodies * 2 : 8;
		struct pending_body *nb = realloc(p->bodies, cap * sizeof(*nb));

		if (!nb)
			return err_set(e, OD_ENOMEM, "out of memory");
		p->bodies = nb;
		p->capbodies = cap;
	}
	struct pending_body *b = &p->bodies[p->nbodies];
	b->kind = kind;
	b->len = 0;
	b->body = body ? buf_detach(body, &b->len) : NULL;
	if (!b->body) {
		b->body = strdup("");
		b->len = 0;
		if (!b->body)
			return err_set(e, OD_ENOMEM, "out of memory");
	}
	p->nbodies++;
	return OD_OK;
}

/* One request in flight; linked into the collector so collector_free can cancel it. */
struct req_ctx {
	struct collector *c;
	struct pass *pass;
	enum req_kind kind;
	struct http_call *call;     /* the client's; valid until on_done */
	struct req_ctx *prev, *next;
};

static void tick_commit(struct collector *c);
static void pvc_nodes_done(struct collector *c);
static void pvc_commit(struct collector *c);

static void pass_answered(struct collector *c, struct pass *p)
{
	if (--p->pending > 0)
		return;
	if (p == &c->tick) {
		tick_commit(c);
		return;
	}
	/* The PVC pass has two rounds: the node list, then one summary per node. */
	if (p->round == 0 && !p->failed) {
		p->round = 1;
		pvc_nodes_done(c);
	} else {
		pvc_commit(c);
	}
}

static void req_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct req_ctx *r = arg;
	struct collector *c = r->c;
	struct pass *p = r->pass;
	struct err e = { 0 };

	(void)call;
	if (r->prev)
		r->prev->next = r->next;
	else
		c->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	if (res->status == OD_OK) {
		if (pass_keep(p, r->kind, res->body, &e) != OD_OK && !p->failed) {
			p->failed = true;
			p->err = e;
		}
	} else if (res->code == 404 && r->kind != REQ_NODES) {
		p->not_found = true;
	} else if (res->code >= 400) {
		/*
		 * The server answered but refused (a namespace-scoped user may not list
		 * nodes or NodeMetrics): collect the rest, say it once.
		 */
		if (!p->denied && res->err)
			p->denied_err = *res->err;
		p->denied = true;
	} else if (!p->failed) {
		p->failed = true;
		if (res->err)
			p->err = *res->err;
		else
			err_set(&p->err, res->status, "request failed");
	}
	free(r);
	pass_answered(c, p);
}

static enum od_status pass_get(struct collector *c, struct pass *p, enum req_kind kind,
			       const char *path, struct err *e)
{
	struct req_ctx *r = calloc(1, sizeof(*r));
	struct http_request rq = { .path = path, .on_done = req_done };
	enum od_status rc;

	if (!r)
		return err_set(e, OD_ENOMEM, "out of memory");
	r->c = c;
	r->pass = p;
	r->kind = kind;
	rq.arg = r;
	p->pending++;
	rc = http_start(c->http, &rq, &r->call, e);
	if (rc != OD_OK) {
		p->pending--;
		free(r);
		return rc;
	}
	r->next = c->reqs;
	if (c->reqs)
		c->reqs->prev = r;
	c->reqs = r;
	return OD_OK;
}

/* ---- samples of a tick ---- */

struct staged {
	int64_t ts;
	struct store_sample s;
};

/* Per-pod usage summed over containers, for the last-known rows. */
struct pod_usage {
	char *key;          /* owned "namespace/name" */
	int64_t cpu_m, mem_b;
};

struct tick_build {
	struct collector *c;
	struct staged *v;   /* owned */
	size_t n, cap;
	struct pod_usage *usage;  /* owned */
	size_t nusage, capusage;
	int64_t newest;
};

static enum od_status build_push(struct tick_build *b, int64_t ts, int64_t series,
				 int64_t value, struct err *e)
{
	if (b->n >= STORE_TICK_MAX)
		return err_set(e, OD_ELIMIT, "more than %d samples in one tick", STORE_TICK_MAX);
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		struct staged *nv = realloc(b->v, cap * sizeof(*nv));

		if (!nv)
			return err_set(e, OD_ENOMEM, "out of memory");
		b->v = nv;
		b->cap = cap;
	}
	b->v[b->n].ts = ts;
	b->v[b->n].s.series = series;
	b->v[b->n].s.value = value;
	b->n++;
	if (ts > b->newest)
		b->newest = ts;
	return OD_OK;
}

static enum od_status build_sample(struct tick_build *b, enum store_kind kind, const char *ns,
				   const char *object, const char *container,
				   enum store_metric metric, int64_t ts, int64_t value,
				   struct err *e)
{
	struct store_series_key key = {
		.context = b->c->context, .namespace = ns, .kind = kind, .object = object,
		.container = container, .metric = metric,
	};
	int64_t id;
	enum od_status rc;

	if (value < 0 || ts <= 0)
		return OD_OK;
	rc = store_series_id(b->c->st, &key, true, &id, e);
	if (rc != OD_OK)
		return rc;
	return build_push(b, ts, id, value, e);
}

static void build_free(struct tick_build *b)
{
	for (size_t i = 0; i < b->nusage; i++)
		free(b->usage[i].key);
	free(b->usage);
	free(b->v);
}

static bool in_scope(const struct collector *c, const char *ns)
{
	if (c->scope.all)
		return true;
	for (size_t i = 0; ns && i < c->scope.n; i++)
		if (strcmp(c->scope.namespaces[i], ns) == 0)
			return true;
	return false;
}

static enum od_status usage_add(struct tick_build *b, const struct collect_usage *u,
				struct err *e)
{
	char key[2 * STORE_NAME_MAX + 2];

	snprintf(key, sizeof(key), "%s/%s", u->namespace_, u->name);
	if (b->nusage == b->capusage) {
		size_t cap = b->capusage ? b->capusage * 2 : 64;
		struct pod_usage *nu = realloc(b->usage, cap * sizeof(*nu));

		if (!nu)
			return err_set(e, OD_ENOMEM, "out of memory");
		b->usage = nu;
		b->capusage = cap;
	}
	b->usage[b->nusage].key = strdup(key);
	if (!b->usage[b->nusage].key)
		return err_set(e, OD_ENOMEM, "out of memory");
	b->usage[b->nusage].cpu_m = u->cpu_milli;
	b->usage[b->nusage].mem_b = u->memory_bytes;
	b->nusage++;
	return OD_OK;
}

static enum od_status on_pod_usage(void *arg, const struct collect_usage *u, struct err *e)
{
	struct tick_build *b = arg;
	enum od_status rc;

	if (!in_scope(b->c, u->namespace_))
		return OD_OK;
	rc = build_sample(b, STORE_KIND_POD, u->namespace_, u->name, u->container,
			  STORE_METRIC_CPU, u->ts, u->cpu_milli, e);
	if (rc == OD_OK)
		rc = build_sample(b, STORE_KIND_POD, u->namespace_, u->name, u->container,
				  STORE_METRIC_MEMORY, u->ts, u->memory_bytes, e);
	if (rc == OD_OK)
		rc = usage_add(b, u, e);
	return rc;
}

static enum od_status on_node_usage(void *arg, const struct collect_usage *u, struct err *e)
{
	struct tick_build *b = arg;
	enum od_status rc = build_sample(b, STORE_KIND_NODE, NULL, u->name, NULL,
					 STORE_METRIC_CPU, u->ts, u->cpu_milli, e);

	if (rc == OD_OK)
		rc = build_sample(b, STORE_KIND_NODE, NULL, u->name, NULL, STORE_METRIC_MEMORY,
				  u->ts, u->memory_bytes, e);
	return rc;
}

static int cmp_staged(const void *a, const void *b)
{
	const struct staged *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->s.series != y->s.series)
		return x->s.series < y->s.series ? -1 : 1;
	return 0;
}

static int cmp_usage(const void *a, const void *b)
{
	return strcmp(((const struct pod_usage *)a)->key, ((const struct pod_usage *)b)->key);
}

/* Writes the staged samples, one store tick per distinct timestamp. */
static enum od_status build_write(struct tick_build *b, struct err *e)
{
	struct store_sample *s = NULL;
	size_t i = 0;
	enum od_status rc = OD_OK;

	if (b->n == 0)
		return OD_OK;
	qsort(b->v, b->n, sizeof(*b->v), cmp_staged);
	s = malloc(b->n * sizeof(*s));
	if (!s)
		return err_set(e, OD_ENOMEM, "out of memory");
	while (i < b->n && rc == OD_OK) {
		size_t j = i, k = 0;

		while (j < b->n && b->v[j].ts == b->v[i].ts) {
			/* One value per series and tick: the later duplicate wins. */
			if (k > 0 && s[k - 1].series == b->v[j].s.series)
				k--;
			s[k++] = b->v[j].s;
			j++;
		}
		rc = store_tick_append(b->c->st, b->v[i].ts, s, k, e);
		i = j;
	}
	if (rc == OD_OK)
		b->c->stats.samples += b->n;
	free(s);
	return rc;
}

/* Merges containers of a pod into one usage entry per pod, sorted by key. */
static void usage_merge(struct tick_build *b)
{
	size_t out = 0;

	if (b->nusage == 0)
		return;
	qsort(b->usage, b->nusage, sizeof(*b->usage), cmp_usage);
	for (size_t i = 0; i < b->nusage; i++) {
		if (out > 0 && strcmp(b->usage[out - 1].key, b->usage[i].key) == 0) {
			struct pod_usage *d = &b->usage[out - 1];

			d->cpu_m = (d->cpu_m < 0 || b->usage[i].cpu_m < 0) ? -1
				   : d->cpu_m + b->usage[i].cpu_m;
			d->mem_b = (d->mem_b < 0 || b->usage[i].mem_b < 0) ? -1
				   : d->mem_b + b->usage[i].mem_b;
			free(b->usage[i].key);
			continue;
		}
		b->usage[out++] = b->usage[i];
	}
	b->nusage = out;
}

static const struct pod_usage *usage_find(const struct tick_build *b, const char *ns,
					  const char *name)
{
	char key[2 * STORE_NAME_MAX + 2];
	struct pod_usage probe = { .key = key };

	snprintf(key, sizeof(key), "%s/%s", ns, name);
	if (b->nusage == 0)
		return NULL;
	return bsearch(&probe, b->usage, b->nusage, sizeof(*b->usage), cmp_usage);
}

/* ---- pod state and last-known rows ---- */

void collect_workload_of(const char *owner_kind, const char *owner_name, char *kind,
			 size_t nkind, char *name, size_t nname)
{
	const char *dash;

	kind[0] = name[0] = '\0';
	if (!owner_kind || !owner_name)
		return;
	dash = strrchr(owner_name, '-');
	/* A Deployment's ReplicaSet is "<deployment>-<pod-template-hash>". */
	if (strcmp(owner_kind, "ReplicaSet") == 0 && dash && dash != owner_name && dash[1]) {
		snprintf(kind, nkind, "Deployment");
		snprintf(name, nname, "%.*s", (int)(dash - owner_name), owner_name);
		return;
	}
	snprintf(kind, nkind, "%s", owner_kind);
	snprintf(name, nname, "%s", owner_name);
}

/* A workload's last-known row: pods, ready pods, restarts and usage over its pods. */
struct workload_row {
	char ns[PODVIEW_NS_MAX];
	char ref[PODVIEW_OWNER_MAX + 64];   /* "Deployment/web" */
	int pods, ready;
	long restarts;
	int64_t cpu_m, mem_b;
};

struct state_build {
	struct store_state_row *rows;  /* owned */
	char *text;                    /* owned: PODVIEW_TSV_MAX per row */
	size_t n, cap;
	struct workload_row *wl;       /* owned */
	size_t nwl, capwl;
};

static enum od_status state_grow(struct state_build *sb, struct err *e)
{
	if (sb->n < sb->cap)
		return OD_OK;
	size_t cap = sb->cap ? sb->cap * 2 : 64;
	if (cap > STORE_STATE_MAX_ROWS)
		return err_set(e, OD_ELIMIT, "more than %d rows of last-known state",
			       STORE_STATE_MAX_ROWS);
	struct store_state_row *nr = realloc(sb->rows, cap * sizeof(*nr));
	if (!nr)
		return err_set(e, OD_ENOMEM, "out of memory");
	sb->rows = nr;
	char *nt = realloc(sb->text, cap * PODVIEW_TSV_MAX);
	if (!nt)
		return err_set(e, OD_ENOMEM, "out of memory");
	/* Rows point into text: re-point them after the move. */
	for (size_t i = 0; i < sb->n; i++)
		sb->rows[i].data = nt + i * PODVIEW_TSV_MAX;
	sb->text = nt;
	sb->cap = cap;
	return OD_OK;
}

static struct workload_row *workload_get(struct state_build *sb, const char *ns,
					 const char *ref, struct err *e)
{
	/* Workloads per namespace are few; the newest one is usually the one asked for. */
	for (size_t i = sb->nwl; i-- > 0;)
		if (strcmp(sb->wl[i].ref, ref) == 0 && strcmp(sb->wl[i].ns, ns) == 0)
			return &sb->wl[i];
	if (sb->nwl == sb->capwl) {
		size_t cap = sb->capwl ? sb->capwl * 2 : 32;
		struct workload_row *nw = realloc(sb->wl, cap * sizeof(*nw));

		if (!nw) {
			err_set(e, OD_ENOMEM, "out of memory");
			return NULL;
		}
		sb->wl = nw;
		sb->capwl = cap;
	}
	struct workload_row *w = &sb->wl[sb->nwl++];
	memset(w, 0, sizeof(*w));
	snprintf(w->ns, sizeof(w->ns), "%s", ns);
	snprintf(w->ref, sizeof(w->ref), "%s", ref);
	return w;
}

static bool pod_is_ready(const struct pod *p)
{
	const struct pod_condition *cond = pod_find_condition(p, "Ready");

	return cond && cond->status && strcmp(cond->status, "True") == 0;
}

/* One pod: its state samples, its transition, its last-known row. */
static enum od_status tick_pod(struct tick_build *b, struct state_build *sb,
			       const struct pod *p, int64_t now, struct err *e)
{
	struct collector *c = b->c;
	struct od_time at = { .sec = now };
	struct pod_view v;
	struct store_pod_state ps = { 0 };
	const struct pod_usage *u;
	bool ready = pod_is_ready(p), changed = false;
	enum od_status rc;

	podview_from_pod(&v, p, at);
	u = usage_find(b, v.namespace_, v.name);
	if (u) {
		v.cpu_m = u->cpu_m;
		v.mem_b = u->mem_b;
	}
	rc = build_sample(b, STORE_KIND_POD, p->namespace_, p->name, NULL, STORE_METRIC_READY,
			  now, ready ? 1 : 0, e);
	if (rc == OD_OK)
		rc = build_sample(b, STORE_KIND_POD, p->namespace_, p->name, NULL,
				  STORE_METRIC_RESTARTS, now, v.restarts, e);
	if (rc != OD_OK)
		return rc;

	ps.context = c->context;
	ps.namespace = p->namespace_;
	ps.pod = p->name;
	ps.ts = now;
	ps.phase = p->phase ? p->phase : "Unknown";
	ps.ready = ready;
	ps.restarts = v.restarts;
	/* kubectl's STATUS says what the phase does not (CrashLoopBackOff, Terminating...). */
	ps.reason = strcmp(v.status, ps.phase) == 0 ? "" : v.status;
	ps.message = p->message;
	rc = store_pod_transition_record(c->st, &ps, &changed, e);
	if (rc != OD_OK)
		return rc;
	if (changed)
		c->stats.transitions++;

	rc = state_grow(sb, e);
	if (rc != OD_OK)
		return rc;
	char *line = sb->text + sb->n * PODVIEW_TSV_MAX;
	podview_format_tsv(&v, line, PODVIEW_TSV_MAX);
	sb->rows[sb->n].kind = "pod";
	sb->rows[sb->n].namespace = p->namespace_;
	sb->rows[sb->n].name = p->name;
	sb->rows[sb->n].data = line;
	sb->n++;

	char wkind[64], wname[PODVIEW_OWNER_MAX], ref[PODVIEW_OWNER_MAX + 64];
	collect_workload_of(p->owner_kind, p->owner_name, wkind, sizeof(wkind), wname,
			    sizeof(wname));
	if (!wkind[0])
		return OD_OK;
	snprintf(ref, sizeof(ref), "%s/%s", wkind, wname);
	struct workload_row *w = workload_get(sb, v.namespace_, ref, e);
	if (!w)
		return e->status;
	w->pods++;
	w->ready += ready;
	w->restarts += v.restarts;
	w->cpu_m = (w->pods > 1 && w->cpu_m < 0) || v.cpu_m < 0 ? -1 : w->cpu_m + v.cpu_m;
	w->mem_b = (w->pods > 1 && w->mem_b < 0) || v.mem_b < 0 ? -1 : w->mem_b + v.mem_b;
	return OD_OK;
}

/* Workload rows: "KIND/NAME<TAB>READY/PODS<TAB>RESTARTS<TAB>CPU_M<TAB>MEM_B" ("-" unknown). */
static enum od_status state_add_workloads(struct state_build *sb, struct err *e)
{
	size_t npods = sb->n;

	for (size_t i = 0; i < sb->nwl; i++) {
		const struct workload_row *w = &sb->wl[i];
		enum od_status rc = state_grow(sb, e);
		char cpu[24] = "-", mem[24] = "-";

		if (rc != OD_OK)
			return rc;
		if (w->cpu_m >= 0)
			snprintf(cpu, sizeof(cpu), "%lld", (long long)w->cpu_m);
		if (w->mem_b >= 0)
			snprintf(mem, sizeof(mem), "%lld", (long long)w->mem_b);
		char *line = sb->text + sb->n * PODVIEW_TSV_MAX;
		snprintf(line, PODVIEW_TSV_MAX, "%s\t%d/%d\t%ld\t%s\t%s", w->ref, w->ready, w->pods,
			 w->restarts, cpu, mem);
		sb->rows[sb->n].kind = "workload";
		sb->rows[sb->n].namespace = w->ns;
		sb->rows[sb->n].name = w->ref;
		sb->rows[sb->n].data = line;
		sb->n++;
	}
	(void)npods;
	return OD_OK;
}

static bool caches_synced(const struct collector *c)
{
	for (size_t i = 0; i < c->nw; i++) {
		if (!podcache_stats(c->w[i].pods)->synced)
			return false;
		if (!informer_stats(c->w[i].events)->synced)
			return false;
	}
	return true;
}

/* Pods of every synced cache; unsynced caches are left out of this tick. */
static void seen_free(struct seen_pod **v, size_t *n)
{
	for (size_t i = 0; *v && i < *n; i++) {
		free((*v)[i].ns);
		free((*v)[i].name);
	}
	free(*v);
	*v = NULL;
	*n = 0;
}

static int seen_cmp(const char *ns1, const char *n1, const char *ns2, const char *n2)
{
	int c = strcmp(ns1, ns2);

	return c ? c : strcmp(n1, n2);
}

/* This tick's pods of w, in podcache_sorted's order, into w->next. */
static enum od_status seen_stage(struct ns_watch *w, const struct pod **pods, size_t n,
				 struct err *e)
{
	seen_free(&w->next, &w->nnext);
	if (n == 0)
		return OD_OK;
	w->next = calloc(n, sizeof(*w->next));
	if (!w->next)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct pod_row row;

		podstatus_compute(pods[i], (struct od_time){ 0 }, &row);
		w->next[i].ns = strdup(pods[i]->namespace_ ? pods[i]->namespace_ : "");
		w->next[i].name = strdup(pods[i]->name ? pods[i]->name : "");
		w->next[i].restarts = row.restart_count;
		w->nnext = i + 1;
		if (!w->next[i].ns || !w->next[i].name)
			return err_set(e, OD_ENOMEM, "out of memory");
	}
	return OD_OK;
}

/* Pods of the last tick that are gone now: a "Deleted" transition each. */
static enum od_status seen_gone(struct collector *c, const struct ns_watch *w, int64_t now,
				struct err *e)
{
	size_t j = 0;

	for (size_t i = 0; i < w->nseen; i++) {
		const struct seen_pod *o = &w->seen[i];
		int cmp = 1;

		while (j < w->nnext &&
		       (cmp = seen_cmp(w->next[j].ns, w->next[j].name, o->ns, o->name)) < 0)
			j++;
		if (j < w->nnext && cmp == 0)
			continue;
		struct store_pod_state ps = {
			.context = c->context, .namespace = o->ns, .pod = o->name, .ts = now,
			.phase = "Deleted", .ready = false, .restarts = o->restarts,
			.reason = "Deleted",
		};
		bool changed = false;
		enum od_status rc = store_pod_transition_record(c->st, &ps, &changed, e);

		if (rc != OD_OK)
			return rc;
		if (changed)
			c->stats.transitions++;
	}
	return OD_OK;
}

/* After a commit the staged pods become the ones the next tick compares with. */
static void seen_commit(struct collector *c, bool committed)
{
	for (size_t i = 0; i < c->nw; i++) {
		struct ns_watch *w = &c->w[i];

		if (committed && (w->next || podcache_stats(w->pods)->synced)) {
			seen_free(&w->seen, &w->nseen);
			w->seen = w->next;
			w->nseen = w->nnext;
			w->next = NULL;
			w->nnext = 0;
		} else {
			seen_free(&w->next, &w->nnext);
		}
	}
}

static enum od_status tick_pods(struct tick_build *b, struct state_build *sb, int64_t now,
				bool *any, struct err *e)
{
	enum od_status rc = OD_OK;

	*any = false;
	for (size_t i = 0; i < b->c->nw && rc == OD_OK; i++) {
		struct ns_watch *w = &b->c->w[i];
		const struct pod **pods = NULL;
		size_t n = 0;

		if (!podcache_stats(w->pods)->synced)
			continue;
		*any = true;
		rc = podcache_sorted(w->pods, &pods, &n, e);
		for (size_t j = 0; rc == OD_OK && j < n; j++)
			rc = tick_pod(b, sb, pods[j], now, e);
		if (rc == OD_OK)
			rc = seen_stage(w, pods, n, e);
		if (rc == OD_OK)
			rc = seen_gone(b->c, w, now, e);
		free(pods);
	}
	return rc;
}

static enum od_status tick_write(struct collector *c, struct tick_build *b, struct err *e)
{
	struct pass *p = &c->tick;
	struct state_build sb = { 0 };
	int64_t now = server_now(c);
	bool any_pods = false;
	enum od_status rc;

	rc = store_begin(c->st, e);
	if (rc != OD_OK)
		return rc;
	for (size_t i = 0; rc == OD_OK && i < p->nbodies; i++) {
		const struct pending_body *pb = &p->bodies[i];

		if (pb->kind == REQ_POD_METRICS)
			rc = collect_parse_pod_metrics(pb->body, pb->len, on_pod_usage, b, e);
		else if (pb->kind == REQ_NODE_METRICS)
			rc = collect_parse_node_metrics(pb->body, pb->len, on_node_usage, b, e);
	}
	if (rc == OD_OK) {
		usage_merge(b);
		rc = tick_pods(b, &sb, now, &any_pods, e);
	}
	if (rc == OD_OK && any_pods)
		rc = state_add_workloads(&sb, e);
	if (rc == OD_OK && any_pods)
		rc = store_state_save(c->st, c->context, now, sb.rows, sb.n, e);
	if (rc == OD_OK)
		rc = build_write(b, e);
	if (rc == OD_OK)
		rc = store_commit(c->st, e);
	else
		store_rollback(c->st);
	free(sb.rows);
	free(sb.text);
	free(sb.wl);
	return rc;
}

static void tick_commit(struct collector *c)
{
	struct pass *p = &c->tick;
	struct tick_build b = { .c = c };
	struct err e = { 0 };
	enum od_status rc;

	if (p->not_found && !c->told_metrics) {
		c->told_metrics = true;
		notify(c, "opsdeck collect: metrics.k8s.io is not served by this cluster (no "
			  "metrics-server?): CPU and memory are not collected; pod state, restarts, "
			  "PVC usage and events still are");
	}
	if (p->denied)
		notify_changed(c, c->told_denied, "opsdeck collect: metrics skipped: ",
			       p->denied_err.msg);
	c->stats.metrics_available = !p->not_found && !p->failed && !p->denied;
	if (p->failed && c->cfg.once && !c->once_finished) {
		e = p->err;
		pass_reset(p);
		once_finish(c, e.status, &e);
		return;
	}
	if (p->failed)
		notify_changed(c, c->told_failure, "", p->err.msg);
	else
		c->told_failure[0] = '\0';
	rc = tick_write(c, &b, &e);
	seen_commit(c, rc == OD_OK);
	if (rc == OD_OK) {
		c->stats.ticks++;
		if (b.newest > c->stats.last_tick_ts)
			c->stats.last_tick_ts = b.newest;
		/* Roll up and apply retention against the newest API timestamp, in batches. */
		if (b.newest > 0 && store_samples_maintain(c->st, b.newest, NULL, &e) != OD_OK)
			notify(c, e.msg);
	} else {
		c->stats.failed_ticks++;
		notify(c, e.msg);
	}
	build_free(&b);
	pass_reset(p);
	if (c->cfg.once && !c->once_finished) {
		if (rc != OD_OK) {
			once_finish(c, rc, &e);
			return;
		}
		c->once_tick_done = true;
		once_check(c);
	}
}

static void tick_start(struct collector *c)
{
	struct pass *p = &c->tick;
	struct err e = { 0 };
	enum od_status rc = OD_OK;

	if (p->busy)
		return;   /* the previous tick is still waiting for answers */
	pass_reset(p);
	p->busy = true;
	p->pending = 1;   /* held until every request is out */
	if (c->scope.all) {
		rc = pass_get(c, p, REQ_POD_METRICS, "/apis/metrics.k8s.io/v1beta1/pods", &e);
	} else {
		for (size_t i = 0; rc == OD_OK && i < c->scope.n; i++) {
			struct buf path;

			buf_init(&path, 4096);
			rc = buf_append_str(&path, "/apis/metrics.k8s.io/v1beta1/namespaces/", &e);
			if (rc == OD_OK)
				rc = api_path_escape(c->scope.namespaces[i], &path, &e);
			if (rc == OD_OK)
				rc = buf_append_str(&path, "/pods", &e);
			if (rc == OD_OK)
				rc = pass_get(c, p, REQ_POD_METRICS, buf_cstr(&path), &e);
			buf_free(&path);
		}
	}
	if (rc == OD_OK)
		rc = pass_get(c, p, REQ_NODE_METRICS, "/apis/metrics.k8s.io/v1beta1/nodes", &e);
	if (rc != OD_OK && !p->failed) {
		p->failed = true;
		p->err = e;
	}
	pass_answered(c, p);
}

/* ---- PVC pass ---- */

static enum od_status on_volume(void *arg, const struct collect_volume *v, struct err *e)
{
	struct tick_build *b = arg;
	enum od_status rc;

	if (!in_scope(b->c, v->namespace_))
		return OD_OK;
	rc = build_sample(b, STORE_KIND_PVC, v->namespace_, v->pvc, NULL,
			  STORE_METRIC_STORAGE_USED, v->ts, v->used_bytes, e);
	if (rc == OD_OK)
		rc = build_sample(b, STORE_KIND_PVC, v->namespace_, v->pvc, NULL,
				  STORE_METRIC_STORAGE_CAPACITY, v->ts, v->capacity_bytes, e);
	return rc;
}

static void pvc_commit(struct collector *c)
{
	struct pass *p = &c->pvc;
	struct tick_build b = { .c = c };
	struct err e = { 0 };
	enum od_status rc = OD_OK;

	if (p->not_found && !c->told_summary) {
		c->told_summary = true;
		notify(c, "opsdeck collect: the kubelet stats summary "
			  "(/api/v1/nodes/NAME/proxy/stats/summary) is not served: PVC usage is "
			  "not collected");
	}
	if (p->failed && c->cfg.once && !c->once_finished) {
		e = p->err;
		pass_reset(p);
		once_finish(c, e.status, &e);
		return;
	}
	if (p->denied)
		notify_changed(c, c->told_denied, "opsdeck collect: PVC usage skipped: ",
			       p->denied_err.msg);
	if (p->failed)
		notify_changed(c, c->told_failure, "", p->err.msg);
	rc = store_begin(c->st, &e);
	for (size_t i = 0; rc == OD_OK && i < p->nbodies; i++)
		if (p->bodies[i].kind == REQ_SUMMARY)
			rc = collect_parse_stats_summary(p->bodies[i].body, p->bodies[i].len,
							 on_volume, &b, &e);
	if (rc == OD_OK)
		rc = build_write(&b, &e);
	if (rc == OD_OK)
		rc = store_commit(c->st, &e);
	else if (e.status != OD_OK)
		store_rollback(c->st);
	if (rc == OD_OK) {
		c->stats.pvc_passes++;
		if (b.newest > c->stats.last_tick_ts)
			c->stats.last_tick_ts = b.newest;
	} else {
		notify(c, e.msg);
	}
	/* The events archive's retention, once an hour of API time. */
	int64_t now = server_now(c);
	if (rc == OD_OK && c->cfg.events_keep_s > 0 && now - c->last_prune >= 3600) {
		c->last_prune = now;
		if (store_events_prune(c->st, now - c->cfg.events_keep_s, NULL, &e) != OD_OK)
			notify(c, e.msg);
	}
	build_free(&b);
	pass_reset(p);
	if (c->cfg.once && !c->once_finished) {
		if (rc != OD_OK) {
			once_finish(c, rc, &e);
			return;
		}
		c->once_pvc_done = true;
		once_check(c);
	}
}

/* The node list is in: ask each node's kubelet for its summary. */
static void pvc_nodes_done(struct collector *c)
{
	struct pass *p = &c->pvc;
	struct err e = { 0 };
	cJSON *root = NULL;
	enum od_status rc = OD_OK;
	size_t asked = 0;

	for (size_t i = 0; i < p->nbodies; i++)
		if (p->bodies[i].kind == REQ_NODES && !root)
			root = cJSON_ParseWithLength(p->bodies[i].body, p->bodies[i].len);
	p->pending = 1;   /* held until every request is out */
	const cJSON *items = root ? cJSON_GetObjectItemCaseSensitive(root, "items") : NULL, *it;
	if (!cJSON_IsArray(items))
		items = NULL;
	cJSON_ArrayForEach(it, items) {
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(it, "metadata");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(md, "name");
		struct buf path;

		if (!cJSON_IsString(name) || asked >= COLLECT_MAX_NODES)
			continue;
		buf_init(&path, 4096);
		rc = buf_append_str(&path, "/api/v1/nodes/", &e);
		if (rc == OD_OK)
			rc = api_path_escape(name->valuestring, &path, &e);
		if (rc == OD_OK)
			rc = buf_append_str(&path, "/proxy/stats/summary", &e);
		if (rc == OD_OK)
			rc = pass_get(c, p, REQ_SUMMARY, buf_cstr(&path), &e);
		buf_free(&path);
		if (rc != OD_OK)
			break;
		asked++;
	}
	cJSON_Delete(root);
	if (rc != OD_OK && !p->failed) {
		p->failed = true;
		p->err = e;
	}
	pass_answered(c, p);
}

static void pvc_start(struct collector *c)
{
	struct pass *p = &c->pvc;
	struct err e = { 0 };

	if (p->busy)
		return;
	pass_reset(p);
	p->busy = true;
	p->pending = 1;
	if (pass_get(c, p, REQ_NODES, "/api/v1/nodes", &e) != OD_OK && !p->failed) {
		p->failed = true;
		p->err = e;
	}
	pass_answered(c, p);
}

/* ---- events ---- */

/* The involved pod's labels as "k=v" lines, when the pod is in a cache. */
static void event_labels(const struct ns_watch *w, const struct store_event *ev, char *out,
			 size_t n)
{
	const struct pod *p;
	size_t len = 0;

	out[0] = '\0';
	if (!ev->obj_kind || strcmp(ev->obj_kind, "Pod") != 0 || !ev->namespace || !ev->obj_name)
		return;
	p = podcache_get(w->pods, ev->namespace, ev->obj_name);
	for (size_t i = 0; p && i < p->nlabels; i++) {
		int k = snprintf(out + len, n - len, "%s=%s\n", p->labels[i].key,
				 p->labels[i].value ? p->labels[i].value : "");

		if (k < 0 || (size_t)k >= n - len) {
			out[len] = '\0';
			break;
		}
		len += (size_t)k;
	}
}

static enum od_status on_event(void *arg, enum watch_type type, const cJSON *obj,
			       struct err *e)
{
	struct ns_watch *w = arg;
	struct collector *c = w->c;
	struct store_event ev;
	char labels[4096];
	enum od_status rc;

	/* The archive outlives the API's copy: a deletion changes nothing here. */
	if (type == WATCH_DELETED)
		return OD_OK;
	rc = collect_event_from_json(obj, &ev, e);
	if (rc != OD_OK)
		return rc;
	ev.context = c->context;
	event_labels(w, &ev, labels, sizeof(labels));
	ev.obj_labels = labels[0] ? labels : NULL;
	rc = store_events_upsert(c->st, &ev, 1, e);
	if (rc == OD_OK)
		c->stats.events++;
	return rc;
}

static void on_event_error(void *arg, const struct err *e)
{
	struct ns_watch *w = arg;
	struct collector *c = w->c;

	/* --once has no later chance: a failure before the first LIST ends it. */
	if (c->cfg.once && !c->synced) {
		once_finish(c, e->status, e);
		return;
	}
	if (!c->told_events) {
		c->told_events = true;
		notify(c, e->msg);
	}
}

static const struct informer_ops event_ops = {
	.on_object = on_event,
	.on_error = on_event_error,
};

/* ---- timers and life cycle ---- */

static void on_tick_timer(struct loop *lp, uint64_t id, void *arg)
{
	(void)lp;
	(void)id;
	tick_start(arg);
}

static void on_pvc_timer(struct loop *lp, uint64_t id, void *arg)
{
	(void)lp;
	(void)id;
	pvc_start(arg);
}

static void on_sync_timer(struct loop *lp, uint64_t id, void *arg)
{
	struct collector *c = arg;
	bool timed_out = loop_now_ms(lp) - c->started_ms >= c->cfg.sync_timeout_ms;

	(void)id;
	if (!caches_synced(c) && !timed_out)
		return;
	loop_timer_cancel(lp, c->sync_timer);
	c->sync_timer = 0;
	if (!caches_synced(c) && c->cfg.once) {
		struct err e = { 0 };

		err_set(&e, OD_ETIMEDOUT, "Unable to connect to the server: the pod and event "
			"lists did not complete within %u s", c->cfg.sync_timeout_ms / 1000);
		once_finish(c, OD_ETIMEDOUT, &e);
		return;
	}
	c->synced = true;
	tick_start(c);
	pvc_start(c);
	if (c->cfg.once)
		return;
	c->tick_timer = loop_timer_add(lp, (uint64_t)c->cfg.interval_ms,
				       (uint64_t)c->cfg.interval_ms, on_tick_timer, c);
	c->pvc_timer = loop_timer_add(lp, (uint64_t)c->cfg.pvc_interval_ms,
				      (uint64_t)c->cfg.pvc_interval_ms, on_pvc_timer, c);
}

enum od_status collector_new(struct loop *lp, struct http_client *http, struct store *st,
			     const struct collect_config *cfg, struct collector **out,
			     struct err *e)
{
	struct collector *c = calloc(1, sizeof(*c));
	enum od_status rc = OD_OK;

	*out = NULL;
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	c->lp = lp;
	c->http = http;
	c->st = st;
	c->cfg = *cfg;
	if (c->cfg.interval_ms <= 0)
		c->cfg.interval_ms = COLLECT_DEFAULT_INTERVAL_MS;
	if (c->cfg.pvc_interval_ms <= 0)
		c->cfg.pvc_interval_ms = COLLECT_DEFAULT_PVC_INTERVAL_MS;
	if (c->cfg.sync_timeout_ms == 0)
		c->cfg.sync_timeout_ms = COLLECT_SYNC_TIMEOUT_MS;
	c->context = strdup(cfg->context ? cfg->context : "");
	c->cfg.context = c->context;
	c->cfg.scope = &c->scope;
	if (!c->context) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	c->scope.all = cfg->scope ? cfg->scope->all : true;
	for (size_t i = 0; rc == OD_OK && cfg->scope && i < cfg->scope->n; i++)
		rc = collect_scope_add(&c->scope, cfg->scope->namespaces[i], e);
	if (rc != OD_OK)
		goto out;
	if (!c->scope.all && c->scope.n == 0) {
		rc = err_set(e, OD_EINVAL, "no namespace to collect");
		goto out;
	}
	c->nw = c->scope.all ? 1 : c->scope.n;
	c->w = calloc(c->nw, sizeof(*c->w));
	if (!c->w) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	const struct api_resource *events = api_resource_lookup("events", e);
	if (!events) {
		rc = e->status;
		goto out;
	}
	for (size_t i = 0; rc == OD_OK && i < c->nw; i++) {
		struct ns_watch *w = &c->w[i];
		const char *ns = c->scope.all ? NULL : c->scope.namespaces[i];
		struct podcache_config pcfg = { .namespace_ = ns };
		struct informer_config icfg = { .res = events, .namespace_ = ns };

		w->c = c;
		rc = podcache_new(http, &pcfg, &w->pods, e);
		if (rc == OD_OK)
			rc = informer_new(http, &icfg, &event_ops, w, &w->events, e);
	}
out:
	if (rc != OD_OK)
		collector_free(&c);
	*out = c;
	return rc;
}

enum od_status collector_start(struct collector *c, struct err *e)
{
	enum od_status rc = OD_OK;

	c->started_ms = loop_now_ms(c->lp);
	for (size_t i = 0; rc == OD_OK && i < c->nw; i++) {
		rc = podcache_start(c->w[i].pods, e);
		if (rc == OD_OK)
			rc = informer_start(c->w[i].events, e);
	}
	if (rc != OD_OK)
		return rc;
	c->sync_timer = loop_timer_add(c->lp, SYNC_POLL_MS, SYNC_POLL_MS, on_sync_timer, c);
	if (!c->sync_timer)
		return err_set(e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

void collector_free(struct collector **cp)
{
	struct collector *c = cp ? *cp : NULL;

	if (!c)
		return;
	loop_timer_cancel(c->lp, c->sync_timer);
	loop_timer_cancel(c->lp, c->tick_timer);
	loop_timer_cancel(c->lp, c->pvc_timer);
	for (size_t i = 0; c->w && i < c->nw; i++) {
		informer_free(&c->w[i].events);
		podcache_free(&c->w[i].pods);
		seen_free(&c->w[i].seen, &c->w[i].nseen);
		seen_free(&c->w[i].next, &c->w[i].nnext);
	}
	free(c->w);
	while (c->reqs) {
		struct req_ctx *r = c->reqs;

		c->reqs = r->next;
		http_cancel(c->http, &r->call);
		free(r);
	}
	pass_reset(&c->tick);
	pass_reset(&c->pvc);
	collect_scope_clear(&c->scope);
	free(c->context);
	free(c);
	*cp = NULL;
}

const struct collect_stats *collector_stats(const struct collector *c)
{
	return &c->stats;
}
