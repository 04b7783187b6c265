/*
 * pane_trends.c: the Trends pane (ui_pane_trends.h). recalc reads the
 * store (series, summaries, the weekly average, markers, the profile's
 * expected range) into plain arrays; draw renders them through the chart
 * renderer (ui_chart.h) and never touches the store. With a remote source
 * (Prometheus, app_opts.trends_source) recalc starts the range queries in
 * the app's loop instead and returns; the charts are built when the last
 * answer arrives, the previous ones staying on screen meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "opsdeck/duration.h"
#include "opsdeck/profile.h"
#include "opsdeck/quantity.h"
#include "opsdeck/store.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_pods.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_chart.h"
#include "opsdeck/ui_forecast.h"
#include "opsdeck/ui_pane_trends.h"
#include "opsdeck/ui_text.h"

#define TRENDS_CHARTS 4
#define TRENDS_MARKS_MAX 512
#define TRENDS_PODS_MAX 32
#define TRENDS_NAME_MAX 256
#define WEEK_S (7 * 86400)

static const struct {
	const char *name;
	int64_t secs;
} windows[] = {
	{ "1h", 3600 }, { "6h", 6 * 3600 }, { "24h", 86400 }, { "7d", WEEK_S }, { "30d", 30 * 86400 },
};
#define NWINDOWS ((int)(sizeof(windows) / sizeof(windows[0])))

static const char *const mode_names[TRENDS_MODE_COUNT] = { "pod", "workload", "pvc" };

/* One chart's data, owned by the pane state. */
struct trend_chart {
	const char *label;          /* static */
	enum store_metric metric;
	enum theme_element el;
	bool have;                  /* a series exists for the target */
	int64_t *t;                 /* owned: n point times */
	double *v;                  /* owned: n point averages */
	size_t n;
	struct store_summary sum;
	double week_avg;
	bool week_have;
	bool band;
	double band_lo, band_hi;
	double capacity;            /* storage: the PVC's capacity, 0 unknown */
	struct forecast fc;
	bool fc_week;               /* fc is fitted over the week before the window's end */
};

struct pod_avg {
	char name[TRENDS_NAME_MAX];
	double cpu_avg, mem_avg;
	int64_t cpu_max, mem_max;
};

/* One remote query of a load: what it is for and its answer (owned arrays). */
#define TRENDS_RSLOTS 8
struct trends;
struct rslot {
	struct trends *t;           /* borrowed: the owner */
	int chart;                  /* index into the load's charts */
	bool week;                  /* the weekly average's hourly points */
	bool capacity;              /* the PVC's capacity */
	int64_t *ts;                /* owned: n point times */
	double *v;                  /* owned: n summed values */
	size_t n, nseries;
};

struct trends {
	struct store *st;           /* owned, opened on first use */
	char db_path[1024];         /* "" = the default path */
	bool db_tried;
	/* What to show: the Pods pane's selection unless pinned. */
	bool pinned;
	enum trends_mode mode;
	char ns[TRENDS_NAME_MAX], object[TRENDS_NAME_MAX];
	char owner[TRENDS_NAME_MAX];  /* the selected pod's owner ("ReplicaSet/web-5d8f") */
	char shown_key[3 * TRENDS_NAME_MAX + 64];  /* what the loaded data is for */
	int win;
	int64_t at;                 /* window end; 0 = now (live) */
	int64_t loaded_at;          /* app->now at the last load */
	int64_t newest_seen;        /* newest tick at the last load */
	bool force;
	struct trend_chart charts[TRENDS_CHARTS];
	size_t ncharts;
	int64_t mark_t[TRENDS_MARKS_MAX];
	uint8_t mark_k[TRENDS_MARKS_MAX];
	size_t nmarks;
	struct pod_avg pods[TRENDS_PODS_MAX];
	size_t npods;
	int64_t from, to, step;
	enum store_tier tier;
	char pvc[TRENDS_NAME_MAX];  /* the PVC shown (pvc mode or the pod's claim) */
	char note[256];             /* why nothing shows */
	struct profile_catalog *profiles;  /* owned, loaded once */
	bool profiles_tried;
	struct pane *pane;          /* borrowed: the pane this is the state of */
	/* The remote source (app->opts.trends_source) while remote is on. */
	bool remote;
	void *src;                  /* owned, through trends_source_ops.close */
	char src_ctx[128];          /* the context src (or its absence) is for */
	bool src_open;              /* src_ctx was looked up */
	char src_where[1024];       /* its URL, for messages */
	bool loading;               /* a load's queries are in flight */
	int pending;                /* answers still awaited */
	char error[512];            /* the last load's failure, "" after a success */
	bool stale;                 /* the charts are from before a failed load */
	struct rslot slots[TRENDS_RSLOTS];
	size_t nslots;
	struct {                    /* the load in flight: its window and charts */
		int64_t from, to, step;
		bool exact;
		char target[TRENDS_NAME_MAX + 2];  /* the pod, or the workload's "name-" */
		char pvc[TRENDS_NAME_MAX];
		size_t ncharts;
		const char *label[TRENDS_CHARTS];
		enum store_metric metric[TRENDS_CHARTS];
		enum theme_element el[TRENDS_CHARTS];
	} rl;
};

/* --- target --- */

/* "ReplicaSet/web-5d8f7c9b6" -> "web"; "StatefulSet/db" -> "db"; "" -> "". */
static void workload_name(const char *owner, char *out, size_t n)
{
	const char *slash = strchr(owner, '/');
	const char *name = slash ? slash + 1 : owner;
	size_t len = strlen(name);

	snprintf(out, n, "%s", name);
	if (slash && strncmp(owner, "ReplicaSet/", 11) == 0) {
		const char *dash = strrchr(name, '-');

		if (dash)
			len = (size_t)(dash - name);
		snprintf(out, n, "%.*s", (int)len, name);
	}
}

/* The profile ref of the owner: "deployment/web", "statefulset/db". */
static void workload_ref(const char *owner, char *out, size_t n)
{
	char name[TRENDS_NAME_MAX];
	const char *kind = "deployment";

	workload_name(owner, name, sizeof(name));
	if (strncasecmp(owner, "StatefulSet/", 12) == 0)
		kind = "statefulset";
	else if (strncasecmp(owner, "DaemonSet/", 10) == 0)
		kind = "daemonset";
	else if (strncasecmp(owner, "Job/", 4) == 0)
		kind = "job";
	snprintf(out, n, "%s/%s", kind, name);
}

/* Follows the Pods pane: its selected row's namespace, name and owner. */
static void follow_selection(struct pane *p, struct trends *t)
{
	struct app *app = p->app;
	struct pane *pods = &app->panes[0];
	char sel[2 * TRENDS_NAME_MAX] = "";
	char *slash;

	if (t->pinned || !pods->ops || !pods->ops->selection)
		return;
	pods->ops->selection(pods, sel, sizeof(sel));
	slash = strchr(sel, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(t->ns, sizeof(t->ns), "%s", sel);
	snprintf(t->object, sizeof(t->object), "%s", slash + 1);
	t->owner[0] = '\0';
	if (app->pods.ops) {
		size_t n = app->pods.ops->count(app->pods.self);

		for (size_t i = 0; i < n; i++) {
			const struct pod_view *r = app->pods.ops->row(app->pods.self, i);

			if (r && strcmp(r->name, t->object) == 0 && strcmp(r->namespace_, t->ns) == 0) {
				snprintf(t->owner, sizeof(t->owner), "%s", r->owner);
				break;
			}
		}
	}
}

static void target_key(const struct trends *t, char *out, size_t n)
{
	snprintf(out, n, "%d|%s|%s|%s|%d|%lld", (int)t->mode, t->ns, t->object, t->owner, t->win,
		 (long long)t->at);
}

/* --- loading --- */

static void chart_reset(struct trend_chart *c)
{
	free(c->t);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void charts_reset(struct trends *t)
{
	for (size_t i = 0; i < TRENDS_CHARTS; i++)
		chart_reset(&t->charts[i]);
	t->ncharts = 0;
	t->nmarks = 0;
	t->npods = 0;
	t->pvc[0] = '\0';
	t->note[0] = '\0';
}

static enum od_status open_store(struct trends *t, struct err *e)
{
	char path[1024];

	if (t->st || t->db_tried)
		return OD_OK;
	t->db_tried = true;
	if (t->db_path[0])
		snprintf(path, sizeof(path), "%s", t->db_path);
	else if (store_default_path(path, sizeof(path), e) != OD_OK)
		return OD_OK;
	/* The collector owns the database: a missing one is not created here. */
	if (access(path, F_OK) != 0)
		return OD_OK;
	return store_open(path, NULL, &t->st, e);
}

struct point_acc {
	int64_t ts;
	double v;
};

static int acc_cmp(const void *a, const void *b)
{
	const struct point_acc *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Summed points of several series, by bucket (buckets align: same window and step). */
struct acc {
	struct point_acc *p;   /* owned */
	size_t n, cap;
};

static enum od_status acc_add(struct acc *a, const struct store_query_result *r, struct err *e)
{
	if (a->n + r->n > a->cap) {
		size_t cap = (a->n + r->n) * 2;
		struct point_acc *np = realloc(a->p, cap * sizeof(*np));

		if (!np)
			return err_set(e, OD_ENOMEM, "out of memory");
		a->p = np;
		a->cap = cap;
	}
	for (size_t i = 0; i < r->n; i++)
		a->p[a->n++] = (struct point_acc){ r->points[i].ts, r->points[i].avg };
	return OD_OK;
}

/* Adds r's points from since on. */
static enum od_status acc_add_since(struct acc *a, const struct store_query_result *r,
				    int64_t since, struct err *e)
{
	struct store_query_result tail = *r;
	size_t k = 0;

	while (k < r->n && r->points[k].ts < since)
		k++;
	tail.points = r->points + k;
	tail.n = r->n - k;
	return acc_add(a, &tail, e);
}

/* Sorts and folds equal timestamps into sums, then moves the result into c. */
static enum od_status acc_to_chart(struct acc *a, struct trend_chart *c, struct err *e)
{
	size_t o = 0;

	if (a->n)
		qsort(a->p, a->n, sizeof(*a->p), acc_cmp);
	for (size_t i = 0; i < a->n; i++) {
		if (o && a->p[o - 1].ts == a->p[i].ts)
			a->p[o - 1].v += a->p[i].v;
		else
			a->p[o++] = a->p[i];
	}
	c->t = malloc((o ? o : 1) * sizeof(*c->t));
	c->v = malloc((o ? o : 1) * sizeof(*c->v));
	if (!c->t || !c->v)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < o; i++) {
		c->t[i] = a->p[i].ts;
		c->v[i] = a->p[i].v;
	}
	c->n = o;
	return OD_OK;
}

/* Summary over the summed points (min/avg/p95/max of what is drawn). */
static void summarize_points(struct trend_chart *c)
{
	double *sorted;

	memset(&c->sum, 0, sizeof(c->sum));
	if (!c->n)
		return;
	sorted = malloc(c->n * sizeof(*sorted));
	if (!sorted)
		return;
	c->sum.min = INT64_MAX;
	c->sum.max = INT64_MIN;
	for (size_t i = 0; i < c->n; i++) {
		sorted[i] = c->v[i];
		c->sum.avg += c->v[i];
		if ((int64_t)c->v[i] < c->sum.min)
			c->sum.min = (int64_t)c->v[i];
		if ((int64_t)c->v[i] > c->sum.max)
			c->sum.max = (int64_t)c->v[i];
	}
	c->sum.avg /= (double)c->n;
	c->sum.points = c->n;
	c->sum.count = (int64_t)c->n;
	for (size_t i = 1; i < c->n; i++) {
		double x = sorted[i];
		size_t j = i;

		for (; j > 0 && sorted[j - 1] > x; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = x;
	}
	/* nearest rank, as the store's summaries */
	c->sum.p95 = sorted[(size_t)((double)c->n * 0.95 + 0.999999) - 1 < c->n
				    ? (size_t)((double)c->n * 0.95 + 0.999999) - 1
				    : c->n - 1];
	free(sorted);
}

static struct pod_avg *pod_slot(struct trends *t, const char *name)
{
	for (size_t i = 0; i < t->npods; i++)
		if (strcmp(t->pods[i].name, name) == 0)
			return &t->pods[i];
	if (t->npods == TRENDS_PODS_MAX)
		return NULL;
	snprintf(t->pods[t->npods].name, TRENDS_NAME_MAX, "%s", name);
	return &t->pods[t->npods++];
}

/*
 * What one read brings back: the series matching a filter, each described
 * (object, metric) and read over the window, and over the week before the
 * window's end when the window is shorter than that. Owned arrays, all of n
 * (nw of the week's: 0 when not read).
 */
struct trends_batch {
	struct store_series_info *info;
	struct store_query_result *res, *wres;
	size_t n, nw;
};

static void batch_free(struct trends_batch *b)
{
	for (size_t i = 0; b->res && i < b->n; i++)
		store_query_result_free(&b->res[i]);
	for (size_t i = 0; b->wres && i < b->nw; i++)
		store_query_result_free(&b->wres[i]);
	free(b->res);
	free(b->wres);
	free(b->info);
	memset(b, 0, sizeof(*b));
}

/*
 * The pane's one read of metric data, so another source (a Prometheus
 * range query) can stand in for the store: every series matching f over
 * [t->from, t->to) at t->step (0: about STORE_QUERY_POINTS points), and at
 * hourly steps over the week before t->to when the window is shorter. All
 * series come back on one tier, step and window, each chunk read once.
 */
static enum od_status trends_read(struct trends *t, const struct store_series_filter *f,
				  struct trends_batch *b, struct err *e)
{
	int64_t *ids = NULL;
	enum od_status rc = store_series_find(t->st, f, &ids, &b->n, e);

	if (rc != OD_OK || b->n == 0)
		goto out;
	b->info = calloc(b->n, sizeof(*b->info));
	b->res = calloc(b->n, sizeof(*b->res));
	if (!b->info || !b->res) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < b->n && rc == OD_OK; i++)
		rc = store_series_get(t->st, ids[i], &b->info[i], e);
	if (rc == OD_OK)
		rc = store_series_query_many(t->st, ids, b->n, t->from, t->to, t->step, b->res, e);
	if (rc == OD_OK && t->to - t->from < WEEK_S) {
		b->wres = calloc(b->n, sizeof(*b->wres));
		if (!b->wres)
			rc = err_set(e, OD_ENOMEM, "out of memory");
		else
			b->nw = b->n;
		if (rc == OD_OK)
			rc = store_series_query_many(t->st, ids, b->n, t->to - WEEK_S, t->to, 3600,
						     b->wres, e);
	}
out:
	free(ids);
	if (rc != OD_OK)
		batch_free(b);
	return rc;
}

/*
 * Loads one chart from a batch: its metric's series summed by bucket; one
 * series gives the store's own summary. Also the weekly average (over the
 * week before the window's end).
 */
static enum od_status load_chart(struct trends *t, struct trend_chart *c,
				 const struct trends_batch *b, struct err *e)
{
	struct acc acc = { 0 }, wacc = { 0 };
	size_t nids = 0;
	struct store_summary one = { 0 };
	enum od_status rc = OD_OK;

	for (size_t i = 0; i < b->n; i++)
		nids += b->info[i].metric == c->metric;
	for (size_t i = 0; i < b->n && rc == OD_OK; i++) {
		const struct store_query_result *r = &b->res[i];
		struct store_summary s;

		if (b->info[i].metric != c->metric)
			continue;
		t->tier = r->tier;
		if (r->step)
			t->step = r->step;
		rc = acc_add(&acc, r, e);
		/* A window of a week or more holds the week already: no second read. */
		if (rc == OD_OK && !b->nw)
			rc = acc_add_since(&wacc, r, t->to - WEEK_S, e);
		else if (rc == OD_OK && b->wres[i].n)
			rc = acc_add(&wacc, &b->wres[i], e);
		store_summary_compute(r, &s);
		if (rc == OD_OK && nids > 1 && s.points) {
			struct pod_avg *pa = pod_slot(t, b->info[i].object);

			if (pa && c->metric == STORE_METRIC_CPU) {
				pa->cpu_avg = s.avg;
				pa->cpu_max = s.max;
			} else if (pa && c->metric == STORE_METRIC_MEMORY) {
				pa->mem_avg = s.avg;
				pa->mem_max = s.max;
			}
		}
		one = s;
	}
	if (nids == 1)
		c->sum = one;
	if (rc == OD_OK)
		rc = acc_to_chart(&acc, c, e);
	if (rc == OD_OK) {
		c->have = nids > 0;
		if (nids > 1)
			summarize_points(c);
		/* weekly average of the summed hourly points */
		if (wacc.n) {
			struct trend_chart wc = { 0 };

			if (acc_to_chart(&wacc, &wc, e) == OD_OK && wc.n) {
				double sum = 0;

				for (size_t i = 0; i < wc.n; i++)
					sum += wc.v[i];
				c->week_avg = sum / (double)wc.n;
				c->week_have = true;
			}
			chart_reset(&wc);
		}
	}
	free(acc.p);
	free(wacc.p);
	return rc;
}

struct mark_ctx {
	struct trends *t;
	const char *prefix;    /* object names that count (a pod, or "web-" for a workload) */
	bool exact;
	int64_t prev_restarts;
	bool have_prev;
	char prev_pod[TRENDS_NAME_MAX];
};

static bool name_matches(const struct mark_ctx *m, const char *name)
{
	if (!name)
		return false;
	return m->exact ? strcmp(name, m->prefix) == 0
			: strncmp(name, m->prefix, strlen(m->prefix)) == 0;
}

static void add_mark(struct trends *t, int64_t ts, enum chart_marker k)
{
	if (t->nmarks < TRENDS_MARKS_MAX && ts >= t->from && ts < t->to) {
		t->mark_t[t->nmarks] = ts;
		t->mark_k[t->nmarks++] = (uint8_t)k;
	}
}

static int on_transition(void *arg, const struct store_pod_state *s)
{
	struct mark_ctx *m = arg;

	if (!name_matches(m, s->pod))
		return 0;
	if (m->have_prev && strcmp(m->prev_pod, s->pod) == 0 && s->restarts > m->prev_restarts)
		add_mark(m->t, s->ts, CHART_MARK_RESTART);
	snprintf(m->prev_pod, sizeof(m->prev_pod), "%s", s->pod);
	m->prev_restarts = s->restarts;
	m->have_prev = true;
	return 0;
}

static int on_audit(void *arg, const struct store_audit_entry *a)
{
	struct mark_ctx *m = arg;
	const char *slash;

	if (!a->object || !a->step || strcmp(a->step, "apply") != 0)
		return 0;
	if (a->namespace && m->t->ns[0] && strcmp(a->namespace, m->t->ns) != 0)
		return 0;
	slash = strchr(a->object, '/');
	/* An action on the workload counts for its pods, and on the pod itself. */
	if (name_matches(m, slash ? slash + 1 : a->object) ||
	    strncmp(m->prefix, slash ? slash + 1 : a->object,
		    strlen(slash ? slash + 1 : a->object)) == 0)
		add_mark(m->t, a->ts_ms / 1000, CHART_MARK_ACTION);
	return 0;
}

static int on_event(void *arg, const struct store_event *ev)
{
	struct mark_ctx *m = arg;

	if (name_matches(m, ev->obj_name))
		add_mark(m->t, ev->last_seen ? ev->last_seen : ev->first_seen, CHART_MARK_EVENT);
	return 0;
}

static void load_marks(struct trends *t, const char *ctx, const char *prefix, bool exact,
		       struct err *e)
{
	struct mark_ctx m = { .t = t, .prefix = prefix, .exact = exact };
	struct store_event_filter f = { .context = ctx, .namespace = t->ns, .type = "Warning",
					.since = t->from };

	/* Markers are a help, not the point: a failure leaves them out, not the charts. */
	store_pod_transitions_list(t->st, ctx, t->ns, exact ? prefix : NULL, 0, t->to,
				   on_transition, &m, e);
	store_audit_list(t->st, t->from * 1000, t->to * 1000, on_audit, &m, e);
	store_events_list(t->st, &f, on_event, &m, e);
}

/*
 * The restart counter's steps are restarts too: imported history has no pod
 * transitions, and a collector that missed a state change still has counts.
 */
static void mark_restart_steps(struct trends *t, const struct trend_chart *c)
{
	for (size_t i = 1; i < c->n; i++)
		if (c->v[i] > c->v[i - 1] + 0.5)
			add_mark(t, c->t[i], CHART_MARK_RESTART);
}

static const struct profile_workload *find_workload(struct trends *t, const char *ctx)
{
	const struct profile *pr;
	char ref[TRENDS_NAME_MAX + 16];
	struct err e = { 0 };

	if (!t->profiles_tried) {
		t->profiles_tried = true;
		profile_catalog_load(&t->profiles, &e);
	}
	if (!t->profiles || !t->owner[0])
		return NULL;
	pr = profile_catalog_match(t->profiles, ctx, t->ns);
	if (!pr)
		return NULL;
	workload_ref(t->owner, ref, sizeof(ref));
	return profile_find_workload(pr, ref);
}

static void set_band(struct trend_chart *c, const struct resource_range *r, double scale)
{
	if (!r->min.set && !r->max.set)
		return;
	c->band = true;
	c->band_lo = r->min.set ? (double)r->min.value * scale : 0;
	c->band_hi = r->max.set ? (double)r->max.value * scale : 1e18;
}

/* The PVC to show for a pod: one in its namespace whose name ends with "-POD". */
static void find_pvc(struct trends *t, const char *ctx, struct err *e)
{
	struct store_series_filter f = { .context = ctx, .namespace = t->ns,
					 .kind = STORE_KIND_PVC,
					 .metric = STORE_METRIC_STORAGE_USED };
	int64_t *ids = NULL;
	size_t n = 0, ol = strlen(t->object);

	if (store_series_find(t->st, &f, &ids, &n, e) != OD_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		struct store_series_info info;
		size_t l;

		if (store_series_get(t->st, ids[i], &info, e) != OD_OK)
			continue;
		l = strlen(info.object);
		if (l > ol && info.object[l - ol - 1] == '-' &&
		    strcmp(info.object + l - ol, t->object) == 0) {
			snprintf(t->pvc, sizeof(t->pvc), "%s", info.object);
			break;
		}
	}
	free(ids);
}

static enum od_status load_storage(struct trends *t, const char *ctx, struct err *e)
{
	struct trend_chart *c = &t->charts[t->ncharts];
	struct trend_chart cap = { .metric = STORE_METRIC_STORAGE_CAPACITY };
	struct store_series_filter f = { .context = ctx, .namespace = t->ns, .object = t->pvc,
					 .kind = STORE_KIND_PVC, .metric = -1 };
	struct trends_batch b = { 0 };
	enum od_status rc;

	c->label = "PVC";
	c->metric = STORE_METRIC_STORAGE_USED;
	c->el = THEME_CHART_STORAGE;
	rc = trends_read(t, &f, &b, e);
	if (rc == OD_OK)
		rc = load_chart(t, c, &b, e);
	if (rc == OD_OK && load_chart(t, &cap, &b, e) == OD_OK && cap.n)
		c->capacity = cap.v[cap.n - 1];
	chart_reset(&cap);
	batch_free(&b);
	if (rc != OD_OK)
		return rc;
	t->ncharts++;
	forecast_fit(c->t, c->v, c->n, c->capacity, &c->fc);
	/*
	 * Sparse samples (usage read once a minute on a sped-up clock, hourly
	 * imported history) can leave a short window with a single point: the
	 * forecast then follows the week before the window's end.
	 */
	if (!c->fc.ok && t->to - t->from < WEEK_S) {
		struct trend_chart wk = { .metric = STORE_METRIC_STORAGE_USED };
		int64_t from = t->from, step = t->step;
		enum store_tier tier = t->tier;

		t->from = t->to - WEEK_S;
		t->step = 0;
		f.metric = STORE_METRIC_STORAGE_USED;
		if (trends_read(t, &f, &b, e) == OD_OK && load_chart(t, &wk, &b, e) == OD_OK &&
		    wk.n >= 2) {
			forecast_fit(wk.t, wk.v, wk.n, c->capacity, &c->fc);
			c->fc_week = c->fc.ok;
		}
		batch_free(&b);
		chart_reset(&wk);
		t->from = from;
		t->step = step;
		t->tier = tier;
	}
	return OD_OK;
}

static enum od_status load_all(struct pane *p, struct trends *t, struct err *e)
{
	const char *ctx = p->app->status.context[0] ? p->app->status.context : NULL;
	char wl[TRENDS_NAME_MAX + 1], prefix[TRENDS_NAME_MAX + 2];
	struct store_series_filter f = { .context = ctx, .namespace = t->ns, .kind = STORE_KIND_POD };
	static const struct {
		const char *label;
		enum store_metric metric;
		enum theme_element el;
	} pod_charts[] = {
		{ "CPU", STORE_METRIC_CPU, THEME_CHART_CPU },
		{ "MEM", STORE_METRIC_MEMORY, THEME_CHART_MEMORY },
		{ "RESTARTS", STORE_METRIC_RESTARTS, THEME_MARKER_RESTART },
	};
	const struct profile_workload *pw;
	struct trends_batch batch = { 0 };
	enum od_status rc = OD_OK;
	bool exact = t->mode == TRENDS_MODE_POD;

	charts_reset(t);
	t->to = t->at ? t->at : p->app->now;
	t->from = t->to - windows[t->win].secs;
	t->step = 0;
	if (!t->st) {
		snprintf(t->note, sizeof(t->note), "No history yet: `opsdeck collect` fills it.");
		return OD_OK;
	}
	if (!t->object[0]) {
		snprintf(t->note, sizeof(t->note), "Select a pod in the Pods pane.");
		return OD_OK;
	}
	workload_name(t->owner, wl, sizeof(wl));
	if (t->mode == TRENDS_MODE_WORKLOAD && !wl[0])
		snprintf(wl, sizeof(wl), "%s", t->object);
	snprintf(prefix, sizeof(prefix), "%s-", wl);
	if (t->mode == TRENDS_MODE_PVC) {
		snprintf(t->pvc, sizeof(t->pvc), "%s", t->object);
		if (strchr(t->pvc, '/') == NULL && t->owner[0] == '\0' && t->pinned)
			; /* a PVC named directly */
		else
			find_pvc(t, ctx, e);
		if (!t->pvc[0])
			snprintf(t->note, sizeof(t->note), "No PVC history for %.100s.", t->object);
		else
			rc = load_storage(t, ctx, e);
		if (rc == OD_OK)
			load_marks(t, ctx, t->object, true, e);
		return rc;
	}
	if (exact)
		f.object = t->object;
	else
		f.object_prefix = prefix;
	pw = find_workload(t, ctx);
	/* Every metric of the pod (or the workload's pods) in one read. */
	f.metric = -1;
	rc = trends_read(t, &f, &batch, e);
	for (size_t i = 0; i < sizeof(pod_charts) / sizeof(pod_charts[0]) && rc == OD_OK; i++) {
		struct trend_chart *c = &t->charts[t->ncharts];

		c->label = pod_charts[i].label;
		c->metric = pod_charts[i].metric;
		c->el = pod_charts[i].el;
		rc = load_chart(t, c, &batch, e);
		if (rc != OD_OK)
			break;
		if (pw && exact && c->metric == STORE_METRIC_CPU)
			set_band(c, &pw->cpu, 1);
		if (pw && exact && c->metric == STORE_METRIC_MEMORY)
			set_band(c, &pw->memory, 1);
		t->ncharts++;
	}
	batch_free(&batch);
	if (rc == OD_OK && exact) {
		find_pvc(t, ctx, e);
		if (t->pvc[0])
			rc = load_storage(t, ctx, e);
	}
	if (rc == OD_OK)
		load_marks(t, ctx, exact ? t->object : prefix, exact, e);
	if (rc == OD_OK)
		mark_restart_steps(t, &t->charts[2]);
	if (rc == OD_OK && t->ncharts && !t->charts[0].have && !t->charts[1].have)
		snprintf(t->note, sizeof(t->note), "No history for %s %.60s/%.60s.", mode_names[t->mode],
			 t->ns, exact ? t->object : wl);
	return rc;
}

/* --- the remote source (Prometheus) --- */

static void slots_free(struct trends *t)
{
	for (size_t i = 0; i < t->nslots; i++) {
		free(t->slots[i].ts);
		free(t->slots[i].v);
	}
	memset(t->slots, 0, sizeof(t->slots));
	t->nslots = 0;
}

static void remote_close(struct pane *p, struct trends *t)
{
	const struct trends_source_ops *ops = p->app ? p->app->opts.trends_source : NULL;

	if (ops && t->src)
		ops->close(&t->src);
	t->src = NULL;
	t->src_open = false;
	t->loading = false;
	t->pending = 0;
	slots_free(t);
}

/* Builds the charts from a finished load's answers. */
static void remote_finish(struct pane *p, struct trends *t)
{
	const char *ctx = p->app->status.context[0] ? p->app->status.context : NULL;
	const struct profile_workload *pw = NULL;
	struct err e = { 0 };

	charts_reset(t);
	t->from = t->rl.from;
	t->to = t->rl.to;
	t->step = t->rl.step;
	t->tier = STORE_TIER_RAW;
	snprintf(t->pvc, sizeof(t->pvc), "%s", t->rl.pvc);
	if (t->rl.exact && t->mode == TRENDS_MODE_POD)
		pw = find_workload(t, ctx);
	for (size_t k = 0; k < t->rl.ncharts; k++) {
		struct trend_chart *c = &t->charts[k];

		c->label = t->rl.label[k];
		c->metric = t->rl.metric[k];
		c->el = t->rl.el[k];
		for (size_t i = 0; i < t->nslots; i++) {
			struct rslot *sl = &t->slots[i];

			if (sl->chart != (int)k)
				continue;
			if (sl->capacity) {
				if (sl->n)
					c->capacity = sl->v[sl->n - 1];
			} else if (sl->week) {
				double sum = 0;

				for (size_t j = 0; j < sl->n; j++)
					sum += sl->v[j];
				if (sl->n) {
					c->week_avg = sum / (double)sl->n;
					c->week_have = true;
				}
			} else {
				c->t = sl->ts;
				c->v = sl->v;
				c->n = sl->n;
				c->have = sl->nseries > 0;
				sl->ts = NULL;
				sl->v = NULL;
			}
		}
		if (!c->t) {
			c->t = malloc(sizeof(*c->t));
			c->v = malloc(sizeof(*c->v));
		}
		summarize_points(c);
		/* A week's window holds the week: its average is the window's. */
		if (!c->week_have && t->to - t->from >= WEEK_S && c->n) {
			c->week_avg = c->sum.avg;
			c->week_have = true;
		}
		if (pw && c->metric == STORE_METRIC_CPU)
			set_band(c, &pw->cpu, 1);
		if (pw && c->metric == STORE_METRIC_MEMORY)
			set_band(c, &pw->memory, 1);
		if (c->metric == STORE_METRIC_STORAGE_USED)
			forecast_fit(c->t, c->v, c->n, c->capacity, &c->fc);
		if (c->metric == STORE_METRIC_RESTARTS)
			mark_restart_steps(t, c);
		t->ncharts++;
	}
	slots_free(t);
	/* Markers are not in Prometheus: restarts, actions and events come from the store. */
	if (t->st)
		load_marks(t, ctx, t->rl.target, t->rl.exact, &e);
	if (t->mode == TRENDS_MODE_PVC && !(t->ncharts && t->charts[0].have))
		snprintf(t->note, sizeof(t->note), "No PVC history in Prometheus for %.100s.",
			 t->object);
	else if (t->mode != TRENDS_MODE_PVC && !t->charts[0].have && !t->charts[1].have)
		snprintf(t->note, sizeof(t->note), "No history in Prometheus for %s %.60s/%.60s.",
			 mode_names[t->mode], t->ns, t->rl.target);
}

static void remote_done(void *arg, enum od_status st, const struct trends_points *pts,
			const struct err *e)
{
	struct rslot *sl = arg;
	struct trends *t = sl->t;
	struct pane *p = t->pane;

	if (st == OD_OK && pts && pts->n) {
		sl->ts = malloc(pts->n * sizeof(*sl->ts));
		sl->v = malloc(pts->n * sizeof(*sl->v));
		if (sl->ts && sl->v) {
			memcpy(sl->ts, pts->t, pts->n * sizeof(*sl->ts));
			memcpy(sl->v, pts->v, pts->n * sizeof(*sl->v));
			sl->n = pts->n;
		} else if (!t->error[0]) {
			snprintf(t->error, sizeof(t->error), "out of memory");
		}
	}
	if (st == OD_OK && pts)
		sl->nseries = pts->nseries;
	if (st != OD_OK && !t->error[0])
		snprintf(t->error, sizeof(t->error), "%s", e ? e->msg : "the query failed");
	if (--t->pending > 0)
		return;
	t->loading = false;
	if (t->error[0]) {
		slots_free(t);
		t->stale = t->ncharts > 0;
	} else {
		t->stale = false;
		remote_finish(p, t);
	}
	p->dirty = true;
	p->app->dirty_bottom = true;
}

/* Adds a query of the load; false when the slots are full. */
static struct rslot *add_slot(struct trends *t, int chart)
{
	struct rslot *sl;

	if (t->nslots == TRENDS_RSLOTS)
		return NULL;
	sl = &t->slots[t->nslots++];
	memset(sl, 0, sizeof(*sl));
	sl->t = t;
	sl->chart = chart;
	return sl;
}

static void plan_chart(struct trends *t, const char *label, enum store_metric m,
		       enum theme_element el)
{
	size_t k = t->rl.ncharts++;

	t->rl.label[k] = label;
	t->rl.metric[k] = m;
	t->rl.el[k] = el;
}

/*
 * Starts a load from the remote source: the window's points of each chart
 * and, for a window under a week, the hourly averages of the week before
 * its end. Returns at once; remote_done builds the charts.
 */
static enum od_status remote_load(struct pane *p, struct trends *t, struct err *e)
{
	const struct trends_source_ops *ops = p->app->opts.trends_source;
	const char *ctx = p->app->status.context;
	char wl[TRENDS_NAME_MAX + 1];
	enum od_status rc = OD_OK;

	t->error[0] = '\0';
	if (!ops) {
		charts_reset(t);
		snprintf(t->note, sizeof(t->note), "No Prometheus source in this program.");
		return OD_OK;
	}
	/* A new load replaces one in flight: its answers are not wanted. */
	if (t->loading || (t->src_open && strcmp(t->src_ctx, ctx) != 0))
		remote_close(p, t);
	if (!t->src_open) {
		t->src_open = true;
		snprintf(t->src_ctx, sizeof(t->src_ctx), "%s", ctx);
		rc = ops->open(p->app->loop, ctx, &t->src, t->src_where, sizeof(t->src_where), e);
		if (rc != OD_OK) {
			snprintf(t->error, sizeof(t->error), "%s", e->msg);
			t->src_open = false;
			t->stale = t->ncharts > 0;
			return OD_OK;
		}
	}
	if (!t->src) {
		charts_reset(t);
		snprintf(t->note, sizeof(t->note),
			 "No Prometheus configured: set prometheus for context %.100s in config.yaml.",
			 ctx[0] ? ctx : "(none)");
		return OD_OK;
	}
	if (!t->object[0]) {
		charts_reset(t);
		snprintf(t->note, sizeof(t->note), "Select a pod in the Pods pane.");
		return OD_OK;
	}
	memset(&t->rl, 0, sizeof(t->rl));
	t->rl.to = t->at ? t->at : p->app->now;
	t->rl.from = t->rl.to - windows[t->win].secs;
	/* About 500 points, as `opsdeck history --source prometheus`, at least 15 s. */
	t->rl.step = windows[t->win].secs / 500;
	if (t->rl.step < 15)
		t->rl.step = 15;
	t->rl.exact = t->mode == TRENDS_MODE_POD;
	workload_name(t->owner, wl, sizeof(wl));
	if (t->mode == TRENDS_MODE_WORKLOAD && !wl[0])
		snprintf(wl, sizeof(wl), "%s", t->object);
	if (t->rl.exact || t->mode == TRENDS_MODE_PVC)
		snprintf(t->rl.target, sizeof(t->rl.target), "%s", t->object);
	else
		snprintf(t->rl.target, sizeof(t->rl.target), "%s-", wl);
	if (t->mode == TRENDS_MODE_PVC) {
		snprintf(t->pvc, sizeof(t->pvc), "%s", t->object);
		if (!(t->owner[0] == '\0' && t->pinned) && t->st)
			find_pvc(t, ctx[0] ? ctx : NULL, e);
		snprintf(t->rl.pvc, sizeof(t->rl.pvc), "%s", t->pvc);
		plan_chart(t, "PVC", STORE_METRIC_STORAGE_USED, THEME_CHART_STORAGE);
	} else {
		plan_chart(t, "CPU", STORE_METRIC_CPU, THEME_CHART_CPU);
		plan_chart(t, "MEM", STORE_METRIC_MEMORY, THEME_CHART_MEMORY);
		plan_chart(t, "RESTARTS", STORE_METRIC_RESTARTS, THEME_MARKER_RESTART);
		/* The pod's PVC, as the store names it (Prometheus does not tie claims to pods). */
		if (t->rl.exact && t->st) {
			char keep[TRENDS_NAME_MAX];

			snprintf(keep, sizeof(keep), "%s", t->pvc);
			t->pvc[0] = '\0';
			find_pvc(t, ctx[0] ? ctx : NULL, e);
			snprintf(t->rl.pvc, sizeof(t->rl.pvc), "%s", t->pvc);
			snprintf(t->pvc, sizeof(t->pvc), "%s", keep);
			if (t->rl.pvc[0])
				plan_chart(t, "PVC", STORE_METRIC_STORAGE_USED, THEME_CHART_STORAGE);
		}
	}
	slots_free(t);
	for (size_t k = 0; k < t->rl.ncharts; k++) {
		bool storage = t->rl.metric[k] == STORE_METRIC_STORAGE_USED;

		add_slot(t, (int)k);
		if (storage)
			add_slot(t, (int)k)->capacity = true;
		else if (t->rl.metric[k] != STORE_METRIC_RESTARTS && windows[t->win].secs < WEEK_S)
			add_slot(t, (int)k)->week = true;
	}
	t->pending = (int)t->nslots;
	t->loading = true;
	for (size_t i = 0; i < t->nslots && rc == OD_OK; i++) {
		struct rslot *sl = &t->slots[i];
		enum store_metric m = t->rl.metric[sl->chart];
		struct trends_query q = { .metric = sl->capacity ? STORE_METRIC_STORAGE_CAPACITY : m,
					  .namespace_ = t->ns, .from = t->rl.from, .to = t->rl.to,
					  .step = t->rl.step };

		if (m == STORE_METRIC_STORAGE_USED)
			q.pvc = t->rl.pvc;
		else if (t->rl.exact)
			q.pod = t->rl.target;
		else
			q.pod_prefix = t->rl.target;
		if (sl->week) {
			q.from = t->rl.to - WEEK_S;
			q.step = 3600;
			q.step_average = true;
		}
		rc = ops->start(t->src, &q, remote_done, sl, e);
	}
	if (rc != OD_OK) {
		/* What started is cancelled with the source; the next load opens it again. */
		snprintf(t->error, sizeof(t->error), "%s", e->msg);
		remote_close(p, t);
		t->stale = t->ncharts > 0;
	}
	p->dirty = true;
	return OD_OK;
}

/* --- pane ops --- */

static enum od_status trends_init(struct pane *p, struct err *e)
{
	struct trends *t = calloc(1, sizeof(*t));

	if (!t)
		return err_set(e, OD_ENOMEM, "out of memory");
	t->win = 1; /* 6h: an incident's usual look-back */
	t->force = true;
	t->pane = p;
	t->remote = p->app && p->app->opts.trends_remote && p->app->opts.trends_source;
	p->state = t;
	return OD_OK;
}

static void trends_fini(struct pane *p)
{
	struct trends *t = p->state;

	if (!t)
		return;
	remote_close(p, t);
	charts_reset(t);
	store_close(&t->st);
	profile_catalog_free(&t->profiles);
	free(t);
	p->state = NULL;
}

static bool trends_needs_recalc(struct pane *p)
{
	struct trends *t = p->state;
	char key[sizeof(t->shown_key)];

	follow_selection(p, t);
	target_key(t, key, sizeof(key));
	if (t->force || strcmp(key, t->shown_key) != 0)
		return true;
	if (t->remote) {
		/* Live: ask again every TRENDS_REMOTE_POLL_S; a context switch asks at once. */
		if (t->src_open && strcmp(t->src_ctx, p->app->status.context) != 0)
			return true;
		return !t->at && !t->loading && p->app->now - t->loaded_at >= TRENDS_REMOTE_POLL_S;
	}
	/* Live: look for new ticks every few seconds. */
	if (!t->at && t->st && p->app->now - t->loaded_at >= TRENDS_POLL_S) {
		int64_t oldest = 0, newest = 0;
		struct err e = { 0 };

		t->loaded_at = p->app->now;
		if (store_tick_range(t->st, &oldest, &newest, &e) == OD_OK &&
		    newest != t->newest_seen)
			return true;
	}
	return false;
}

static enum od_status trends_recalc(struct pane *p, struct err *e)
{
	struct trends *t = p->state;
	int64_t oldest = 0;
	enum od_status rc;

	t->force = false;
	target_key(t, t->shown_key, sizeof(t->shown_key));
	t->loaded_at = p->app->now;
	rc = open_store(t, e);
	if (rc != OD_OK)
		return rc;
	if (t->st)
		store_tick_range(t->st, &oldest, &t->newest_seen, e);
	if (t->remote)
		return remote_load(p, t, e);
	return load_all(p, t, e);
}

/* "250m", "1.5Gi", "3" by metric. */
static void format_value(enum store_metric m, double v, char *out, size_t n)
{
	switch (m) {
	case STORE_METRIC_CPU:
		quantity_format_cpu_milli((int64_t)(v + 0.5), out, n);
		break;
	case STORE_METRIC_MEMORY:
	case STORE_METRIC_STORAGE_USED:
	case STORE_METRIC_STORAGE_CAPACITY:
		quantity_format_bytes((int64_t)(v + 0.5), out, n);
		break;
	default:
		snprintf(out, n, "%.0f", v);
	}
}

static const char *tier_name(enum store_tier tier)
{
	static const char *const names[STORE_TIER_COUNT] = { "raw", "tier 1", "tier 2" };

	return tier < STORE_TIER_COUNT ? names[tier] : "?";
}

static void draw_header(struct pane *p, struct trends *t, const struct canvas *c)
{
	char line[1024], when[40] = "live";

	if (t->at) {
		struct od_time ot = { .sec = t->at };

		time_format_rfc3339(ot, when, sizeof(when));
	}
	char what[TRENDS_NAME_MAX];

	if (t->mode == TRENDS_MODE_PVC && t->pvc[0])
		snprintf(what, sizeof(what), "%s", t->pvc);
	else if (t->mode == TRENDS_MODE_WORKLOAD && t->owner[0])
		workload_name(t->owner, what, sizeof(what));
	else
		snprintf(what, sizeof(what), "%s", t->object);
	if (t->remote) {
		char step[32] = "";

		if (t->ncharts)
			snprintf(step, sizeof(step), "  [%llds steps]", (long long)t->step);
		snprintf(line, sizeof(line), "%s %s/%s  %s until %s  source: %s%s", mode_names[t->mode],
			 t->ns, what, windows[t->win].name, when,
			 p->app->opts.trends_source ? p->app->opts.trends_source->name : "none", step);
	} else {
		snprintf(line, sizeof(line), "%s %s/%s  %s until %s%s%s%s", mode_names[t->mode],
			 t->ns, what, windows[t->win].name, when, t->ncharts ? "  [" : "",
			 t->ncharts ? tier_name(t->tier) : "", t->ncharts ? "]" : "");
	}
	draw_text_pad(c, 0, 0, line, c->r.w, canvas_attr(c, THEME_PANE_TITLE));
}

static void chart_summary(const struct trend_chart *tc, int64_t now, char *out, size_t n)
{
	char mn[24], av[24], p95[24], mx[24], wk[24] = "-", fc[64] = "", band[64] = "";

	format_value(tc->metric, (double)tc->sum.min, mn, sizeof(mn));
	format_value(tc->metric, tc->sum.avg, av, sizeof(av));
	format_value(tc->metric, tc->sum.p95, p95, sizeof(p95));
	format_value(tc->metric, (double)tc->sum.max, mx, sizeof(mx));
	if (tc->week_have)
		format_value(tc->metric, tc->week_avg, wk, sizeof(wk));
	if (tc->metric == STORE_METRIC_STORAGE_USED) {
		char cap[24] = "?";

		if (tc->capacity > 0)
			format_value(tc->metric, tc->capacity, cap, sizeof(cap));
		snprintf(fc, sizeof(fc), " of %s, ", cap);
		forecast_format(&tc->fc, now, fc + strlen(fc), sizeof(fc) - strlen(fc));
		if (tc->fc_week)
			snprintf(fc + strlen(fc), sizeof(fc) - strlen(fc), " (7d trend)");
	}
	if (tc->band) {
		char lo[24], hi[24];

		format_value(tc->metric, tc->band_lo, lo, sizeof(lo));
		format_value(tc->metric, tc->band_hi, hi, sizeof(hi));
		snprintf(band, sizeof(band), " expected %s-%s", lo, hi);
	}
	snprintf(out, n, "%-4s min %s avg %s p95 %s max %s wk %s%s%s", tc->label, mn, av, p95, mx,
		 wk, band, fc);
}

/* The value span: from 0 (usage charts start at zero) to a nice ceiling over data and band. */
static void value_span(const struct trend_chart *tc, double *lo, double *hi)
{
	double top = 0;

	for (size_t i = 0; i < tc->n; i++)
		if (tc->v[i] > top)
			top = tc->v[i];
	if (tc->band && tc->band_hi < 1e17 && tc->band_hi > top)
		top = tc->band_hi;
	*lo = 0;
	/* A volume's chart tops out at its capacity: the line meeting the top is "full". */
	if (tc->capacity > 0 && tc->capacity >= top) {
		*hi = tc->capacity;
		return;
	}
	top *= 1.05;
	if (tc->metric == STORE_METRIC_MEMORY || tc->metric == STORE_METRIC_STORAGE_USED) {
		/* bytes: round in binary units, so the axis reads 1Gi rather than 953.7Mi */
		double unit = top >= 1024.0 * 1048576 ? 1024.0 * 1048576 : 1048576;

		*hi = chart_nice_ceil(top / unit) * unit;
		return;
	}
	*hi = chart_nice_ceil(top);
}

static void paint_chart(const struct canvas *c, struct chart *ch, int y, int x,
			enum theme_element el)
{
	int line_attr = canvas_attr(c, el), band_attr = canvas_attr(c, THEME_BAND_EXPECTED);
	static const enum theme_element mark_el[] = { THEME_NORMAL, THEME_MARKER_RESTART,
						      THEME_MARKER_ACTION, THEME_MARKER_EVENT };

	for (int r = 0; r < ch->h; r++) {
		for (int k = 0; k < ch->w; k++) {
			char g[8];
			enum chart_role role = chart_cell_role(ch, k, r);

			if (role == CHART_ROLE_EMPTY)
				continue;
			chart_cell_glyph(ch, k, r, g);
			if (role == CHART_ROLE_BAND && !ch->ascii)
				snprintf(g, sizeof(g), "\xC2\xB7"); /* middle dot */
			draw_text(c, y + r, x + k, g, 1, role == CHART_ROLE_LINE ? line_attr : band_attr);
		}
	}
	for (int k = 0; k < ch->w; k++) {
		char g[2] = { chart_marker_glyph(ch, k), '\0' };

		if (g[0] != ' ')
			draw_text(c, y + ch->h, x + k, g, 1, canvas_attr(c, mark_el[ch->marks[k]]));
	}
}

enum { GUTTER = 7 };

/*
 * Longer silences than this break the line: three steps, or three of the
 * data's own spacing when samples are sparser than the step (a collector
 * ticking every minute read at 5 s steps is not a series of gaps).
 */
static int64_t max_gap(const struct trends *t, const struct trend_chart *tc)
{
	int64_t gap = t->step > 0 ? 3 * t->step : 0;

	if (tc->n > 1) {
		int64_t spacing = (tc->t[tc->n - 1] - tc->t[0]) / (int64_t)(tc->n - 1);

		if (3 * spacing > gap)
			gap = 3 * spacing;
	}
	return gap;
}

static void draw_one(struct trends *t, const struct canvas *c, const struct trend_chart *tc,
		     int y, int rows, int64_t now)
{
	char line[256], top[24], bottom[24];
	struct chart ch;
	struct err e = { 0 };
	double lo, hi;
	int h = rows - 2; /* summary line and marker row */

	chart_summary(tc, now, line, sizeof(line));
	draw_text_pad(c, y, 0, tc->have ? line : tc->label, c->r.w,
		      canvas_attr(c, tc->have ? THEME_NORMAL : THEME_PANE_HINT));
	if (!tc->have || h < 1 || c->r.w <= GUTTER + 2)
		return;
	if (chart_init(&ch, c->r.w - GUTTER, h, c->ascii, &e) != OD_OK)
		return;
	value_span(tc, &lo, &hi);
	ch.t0 = t->from;
	ch.t1 = t->to;
	ch.vmin = lo;
	ch.vmax = hi;
	if (tc->band)
		chart_draw_band(&ch, tc->band_lo, tc->band_hi);
	chart_draw_line(&ch, tc->t, tc->v, tc->n, max_gap(t, tc));
	for (size_t i = 0; i < t->nmarks; i++)
		chart_mark(&ch, t->mark_t[i], (enum chart_marker)t->mark_k[i]);
	format_value(tc->metric, hi, top, sizeof(top));
	format_value(tc->metric, lo, bottom, sizeof(bottom));
	draw_text(c, y + 1, 0, top, GUTTER - 1, canvas_attr(c, THEME_PANE_HINT));
	if (h > 1)
		draw_text(c, y + h, 0, bottom, GUTTER - 1, canvas_attr(c, THEME_PANE_HINT));
	paint_chart(c, &ch, y + 1, GUTTER, tc->el);
	chart_fini(&ch);
}

static void draw_pods(struct trends *t, const struct canvas *c, int y)
{
	for (size_t i = 0; i < t->npods && y < c->r.h; i++, y++) {
		char line[TRENDS_NAME_MAX + 96], ca[24], cm[24], ma[24], mm[24];

		format_value(STORE_METRIC_CPU, t->pods[i].cpu_avg, ca, sizeof(ca));
		format_value(STORE_METRIC_CPU, (double)t->pods[i].cpu_max, cm, sizeof(cm));
		format_value(STORE_METRIC_MEMORY, t->pods[i].mem_avg, ma, sizeof(ma));
		format_value(STORE_METRIC_MEMORY, (double)t->pods[i].mem_max, mm, sizeof(mm));
		snprintf(line, sizeof(line), "  %s  cpu avg %s max %s  mem avg %s max %s",
			 t->pods[i].name, ca, cm, ma, mm);
		draw_text_pad(c, y, 0, line, c->r.w, canvas_attr(c, THEME_NORMAL));
	}
}

static void trends_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct trends *t = p->state;
	int avail, per, y = 1, pods_rows = 0;
	/* The forecast speaks from the window's end: "full in ~9h" as seen then. */
	int64_t now = t->at ? t->at : p->app->now;

	(void)focused;
	draw_header(p, t, c);
	/* A remote load in flight, or its failure: one line under the header. */
	if (t->remote && (t->loading || t->error[0])) {
		char line[600];

		if (t->loading)
			snprintf(line, sizeof(line), "loading from Prometheus%s%s",
				 c->ascii ? "..." : "\xE2\x80\xA6",
				 t->ncharts ? " (the charts below are the previous ones)" : "");
		else
			snprintf(line, sizeof(line), "%s%s", t->stale ? "stale: " : "", t->error);
		draw_text_pad(c, y, 0, line, c->r.w,
			      canvas_attr(c, t->loading ? THEME_PANE_HINT : THEME_CHECK_FAIL));
		y++;
	}
	if (t->note[0] || !t->ncharts) {
		if (t->note[0] || !(t->remote && (t->loading || t->error[0])))
			draw_text(c, y + 1, 1, t->note[0] ? t->note : "No data.", c->r.w - 2,
				  canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	avail = c->r.h - y;
	if (t->mode == TRENDS_MODE_WORKLOAD && t->npods) {
		pods_rows = (int)t->npods < avail / 3 ? (int)t->npods : avail / 3;
		avail -= pods_rows;
	}
	per = avail / (int)t->ncharts;
	for (size_t i = 0; i < t->ncharts; i++) {
		int rows = per;

		if (i == t->ncharts - 1)
			rows = avail - per * (int)(t->ncharts - 1);
		if (rows < 1)
			break;
		draw_one(t, c, &t->charts[i], y, rows, now);
		y += rows;
	}
	if (pods_rows)
		draw_pods(t, c, y);
}

static bool trends_action(struct pane *p, enum action a)
{
	struct trends *t = p->state;

	switch (a) {
	case ACTION_WINDOW_NEXT:
		if (t->win + 1 < NWINDOWS)
			t->win++;
		break;
	case ACTION_WINDOW_PREV:
		if (t->win > 0)
			t->win--;
		break;
	case ACTION_TARGET_NEXT:
		t->mode = (enum trends_mode)((t->mode + 1) % TRENDS_MODE_COUNT);
		break;
	case ACTION_HISTORY_BACK:
		t->at = (t->at ? t->at : p->app->now) - windows[t->win].secs / 2;
		break;
	case ACTION_HISTORY_FORWARD:
		if (t->at)
			t->at += windows[t->win].secs / 2;
		/* Reaching now is live again: new ticks show. */
		if (t->at >= p->app->now)
			t->at = 0;
		break;
	case ACTION_REDRAW:
		t->force = true;
		break;
	default:
		return false;
	}
	p->dirty = true;
	return true;
}

static void trends_title_info(struct pane *p, char *out, size_t n)
{
	struct trends *t = p->state;

	snprintf(out, n, "%s %s%s", mode_names[t->mode], windows[t->win].name,
		 t->at ? " (history)" : "");
}

static void trends_selection(struct pane *p, char *out, size_t n)
{
	struct trends *t = p->state;

	snprintf(out, n, "%s/%s", t->ns, t->object);
}

const struct pane_ops trends_pane_ops = {
	.name = "trends",
	.title = "Trends",
	.init = trends_init,
	.fini = trends_fini,
	.needs_recalc = trends_needs_recalc,
	.recalc = trends_recalc,
	.draw = trends_draw,
	.action = trends_action,
	.title_info = trends_title_info,
	.selection = trends_selection,
};

void trends_pane_set_db(struct pane *p, const char *path)
{
	struct trends *t = p->state;

	snprintf(t->db_path, sizeof(t->db_path), "%s", path ? path : "");
	store_close(&t->st);
	t->db_tried = false;
	t->force = true;
}

void trends_pane_set_target(struct pane *p, enum trends_mode mode, const char *ns,
			    const char *object)
{
	struct trends *t = p->state;

	t->mode = mode;
	t->pinned = ns && object;
	if (t->pinned) {
		snprintf(t->ns, sizeof(t->ns), "%s", ns);
		snprintf(t->object, sizeof(t->object), "%s", object);
		t->owner[0] = '\0';
		if (mode == TRENDS_MODE_WORKLOAD)
			snprintf(t->owner, sizeof(t->owner), "%s", object);
	}
	t->force = true;
	p->dirty = true;
}

void trends_pane_set_remote(struct pane *p, bool remote)
{
	struct trends *t = p->state;

	if (t->remote && !remote)
		remote_close(p, t);
	if (t->remote != remote)
		charts_reset(t);
	t->remote = remote;
	t->error[0] = '\0';
	t->stale = false;
	t->force = true;
	p->dirty = true;
}

enum od_status trends_command_source(struct app *app, const char *arg, struct err *e)
{
	struct pane *p = &app->panes[1];
	const struct trends_source_ops *ops = app->opts.trends_source;

	if (p->ops != &trends_pane_ops)
		return err_set(e, OD_ESTATE, "source: no Trends pane");
	if (strcmp(arg, "store") == 0) {
		trends_pane_set_remote(p, false);
	} else if (ops && strcmp(arg, ops->name) == 0) {
		trends_pane_set_remote(p, true);
	} else {
		return err_set(e, OD_EUSAGE, "source: store%s%s", ops ? " or " : "",
			       ops ? ops->name : "");
	}
	app_focus(app, 1);
	app_message(app, false, "Trends source: %s", arg);
	return OD_OK;
}

void trends_pane_set_time(struct pane *p, int64_t at)
{
	struct trends *t = p->state;

	t->at = at;
	t->force = true;
	p->dirty = true;
}

bool trends_parse_time(const char *s, int64_t now, int64_t *out)
{
	struct od_time ot;
	struct err e = { 0 };
	char *end;
	long long v;

	if (strcmp(s, "now") == 0 || !*s) {
		*out = 0;
		return true;
	}
	if (s[0] == '-') {
		int64_t ns;

		if (duration_parse(s + 1, &ns, &e) != OD_OK || ns <= 0)
			return false;
		*out = now - ns / 1000000000;
		return true;
	}
	v = strtoll(s, &end, 10);
	if (!*end && v > 0) {
		*out = v;
		return true;
	}
	if (time_parse_rfc3339(s, &ot, &e) != OD_OK)
		return false;
	*out = ot.sec;
	return true;
}

enum od_status trends_command_history(struct app *app, const char *arg, struct err *e)
{
	int64_t at;
	struct pane *p = &app->panes[1];

	if (p->ops != &trends_pane_ops)
		return err_set(e, OD_ESTATE, "history: no Trends pane");
	if (!trends_parse_time(arg, app->now, &at))
		return err_set(e, OD_EUSAGE,
			       "history: TIME is RFC 3339, Unix seconds, -2h/-3d ago, or now");
	trends_pane_set_time(p, at);
	app_focus(app, 1);
	app_message(app, false, at ? "history until %s" : "history: live%s", at ? arg : "");
	return OD_OK;
}
