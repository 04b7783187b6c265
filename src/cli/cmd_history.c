/*
 * cmd_history.c: `opsdeck history METRIC TARGET [window] [--step D] [-o F]`
 * and `opsdeck history import FILE` — reading the store's history back, and
 * loading history kept elsewhere (Prometheus text, the runbooks' CSV).
 *
 * A target is one pod, a workload's pods (deploy/NAME, sts/NAME, ds/NAME),
 * the pods a label selector matches in the last-known state, a PVC or a
 * node. Several series (containers, pods) are summed per point. The store
 * picks the tier from the window and the step; the window ends at the
 * newest sample in the store (the metrics API's clock, not the local one).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/clistore.h"
#include "opsdeck/duration.h"
#include "opsdeck/profile.h"
#include "opsdeck/promsource.h"
#include "opsdeck/quantity.h"
#include "opsdeck/selector.h"
#include "opsdeck/store_history_csv.h"
#include "opsdeck/store_import.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "opsdeck/store_state.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_podmodel.h"

enum { HISTORY_OK = 0, HISTORY_FAILED = 1, HISTORY_USAGE = 2 };

/* Most series one query sums (a workload's pods and containers over time). */
#define HISTORY_MAX_SERIES 20000

enum history_output { OUT_TABLE, OUT_CSV, OUT_JSON };

struct history_opts {
	const char *metric_name;
	enum store_metric metric;
	const char *pod, *selector, *workload, *pvc, *node;  /* borrowed from argv */
	const char *since, *from, *to, *step;
	enum history_output output;
	bool prometheus;             /* --source prometheus */
};

/* One merged point: the sum over the selected series. */
struct hpoint {
	int64_t ts;
	int64_t count;
	double value, min, max;
};

static void history_usage(FILE *f)
{
	fprintf(f,
		"Usage:\n"
		"  opsdeck history cpu|memory|restarts|storage|ready TARGET [--since 24h | --from T --to T]\n"
		"                  [--step 5m] [-o table|csv|json] [--source store|prometheus]\n"
		"  opsdeck history import FILE [--pod NAME [--container C]]\n"
		"\n"
		"TARGET: --pod NAME | -l SELECTOR | deploy/NAME | sts/NAME | ds/NAME | --pvc NAME | --node NAME\n"
		"\n"
		"Reads the history store (see docs/history.md). The window ends at the newest sample;\n"
		"the tier (raw, 5-minute, hourly) follows from the window and the step. Several series\n"
		"(containers, a workload's pods) are summed per point. The last line summarises the\n"
		"window: min, avg, p95, max, and the expected range when a profile gives one.\n"
		"--source prometheus reads the same series from the context's Prometheus\n"
		"(prometheus: in config.yaml) with query_range instead; the window then ends now.\n"
		"Import loads Prometheus text with timestamps, or the runbooks' date,cpu,memory CSV\n"
		"(which needs --pod: the pod or workload the file is about; namespace from -n).\n");
}

static int take(int argc, char **argv, int *i, const char *s, const char *l, const char **out)
{
	const char *a = argv[*i];
	size_t ll = strlen(l);

	if ((s && strcmp(a, s) == 0) || strcmp(a, l) == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "error: flag needs an argument: %s\n", a);
			return -1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (strncmp(a, l, ll) == 0 && a[ll] == '=') {
		*out = a + ll + 1;
		return 1;
	}
	return 0;
}

static bool is_workload_ref(const char *a)
{
	static const char *const kinds[] = {
		"deploy/", "deployment/", "deployments/", "sts/", "statefulset/",
		"statefulsets/", "ds/", "daemonset/", "daemonsets/",
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(a, kinds[i], strlen(kinds[i])) == 0 && a[strlen(kinds[i])])
			return true;
	return false;
}

static int history_parse(int argc, char **argv, struct history_opts *o)
{
	const char *out = "table", *source = "store";
	int targets = 0;

	if (argc < 2) {
		history_usage(stderr);
		return HISTORY_USAGE;
	}
	o->metric_name = argv[1];
	if (strcmp(argv[1], "storage") == 0)
		o->metric = STORE_METRIC_STORAGE_USED;
	else if (strcmp(argv[1], "storage_capacity") == 0 || !store_metric_parse(argv[1], &o->metric)) {
		fprintf(stderr, "error: unknown metric \"%s\": cpu, memory, restarts, storage or "
				"ready\nSee 'opsdeck history --help'.\n", argv[1]);
		return HISTORY_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = take(argc, argv, &i, NULL, "--pod", &o->pod)) ||
		    (r = take(argc, argv, &i, "-l", "--selector", &o->selector)) ||
		    (r = take(argc, argv, &i, NULL, "--pvc", &o->pvc)) ||
		    (r = take(argc, argv, &i, NULL, "--node", &o->node)) ||
		    (r = take(argc, argv, &i, NULL, "--since", &o->since)) ||
		    (r = take(argc, argv, &i, NULL, "--from", &o->from)) ||
		    (r = take(argc, argv, &i, NULL, "--to", &o->to)) ||
		    (r = take(argc, argv, &i, NULL, "--step", &o->step)) ||
		    (r = take(argc, argv, &i, "-o", "--output", &out)) ||
		    (r = take(argc, argv, &i, NULL, "--source", &source))) {
			if (r < 0)
				return HISTORY_USAGE;
			continue;
		}
		if (is_workload_ref(argv[i]) && !o->workload) {
			o->workload = argv[i];
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck history\"\n"
				"See 'opsdeck history --help'.\n", argv[i]);
		return HISTORY_USAGE;
	}
	targets = !!o->pod + !!o->selector + !!o->workload + !!o->pvc + !!o->node;
	if (targets != 1) {
		fprintf(stderr, "error: give one of --pod NAME, -l SELECTOR, deploy/NAME, --pvc NAME, "
				"--node NAME\nSee 'opsdeck history --help'.\n");
		return HISTORY_USAGE;
	}
	if (o->metric == STORE_METRIC_STORAGE_USED && !o->pvc) {
		fprintf(stderr, "error: storage history is per PVC: use --pvc NAME\n");
		return HISTORY_USAGE;
	}
	if (o->pvc && o->metric != STORE_METRIC_STORAGE_USED) {
		fprintf(stderr, "error: a PVC has storage history only: opsdeck history storage --pvc %s\n",
			o->pvc);
		return HISTORY_USAGE;
	}
	if (o->node && o->metric != STORE_METRIC_CPU && o->metric != STORE_METRIC_MEMORY) {
		fprintf(stderr, "error: a node has cpu and memory history only\n");
		return HISTORY_USAGE;
	}
	if (o->since && o->from) {
		fprintf(stderr, "error: --since and --from cannot be used together\n");
		return HISTORY_USAGE;
	}
	if (strcmp(source, "prometheus") == 0) {
		o->prometheus = true;
	} else if (strcmp(source, "store") != 0) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--source\" flag: store or "
				"prometheus\n", source);
		return HISTORY_USAGE;
	}
	if (o->prometheus && (o->selector || o->node)) {
		fprintf(stderr, "error: --source prometheus reads pods, workloads and PVCs "
				"(not -l or --node yet)\n");
		return HISTORY_USAGE;
	}
	if (strcmp(out, "table") == 0)
		o->output = OUT_TABLE;
	else if (strcmp(out, "csv") == 0)
		o->output = OUT_CSV;
	else if (strcmp(out, "json") == 0)
		o->output = OUT_JSON;
	else {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
				"\"%s\", allowed formats are: csv,json,table\n", out);
		return HISTORY_USAGE;
	}
	return 0;
}

/* ---- which series ---- */

struct idlist {
	int64_t *v;     /* owned */
	size_t n, cap;
};

static enum od_status idlist_add(struct idlist *l, const int64_t *ids, size_t n, struct err *e)
{
	if (n == 0)
		return OD_OK;
	if (l->n + n > HISTORY_MAX_SERIES)
		return err_set(e, OD_ELIMIT, "more than %d series match; narrow the target",
			       HISTORY_MAX_SERIES);
	if (l->n + n > l->cap) {
		size_t cap = (l->n + n) * 2;
		int64_t *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return err_set(e, OD_ENOMEM, "out of memory");
		l->v = nv;
		l->cap = cap;
	}
	memcpy(l->v + l->n, ids, n * sizeof(*ids));
	l->n += n;
	return OD_OK;
}

static bool all_of(const char *s, size_t n, int (*cls)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!cls((unsigned char)s[i]))
			return false;
	return n > 0;
}

static int is_lower_alnum(int ch)
{
	return islower(ch) || isdigit(ch);
}

/*
 * Whether pod is one of workload's pods by the controllers' naming rules:
 * Deployment NAME-HASH-XXXXX, StatefulSet NAME-ORDINAL, DaemonSet NAME-XXXXX.
 */
static bool pod_of_workload(const char *kind, const char *name, const char *pod)
{
	size_t nl = strlen(name);
	const char *rest, *dash;

	if (strncmp(pod, name, nl) != 0 || pod[nl] != '-')
		return false;
	rest = pod + nl + 1;
	if (kind[0] == 's')
		return all_of(rest, strlen(rest), isdigit);
	if (kind[0] == 'd' && kind[1] == 's')
		return strlen(rest) == 5 && all_of(rest, 5, is_lower_alnum);
	dash = strchr(rest, '-');
	return dash && all_of(rest, (size_t)(dash - rest), is_lower_alnum) &&
	       strlen(dash + 1) == 5 && all_of(dash + 1, 5, is_lower_alnum);
}

/* "deploy/web" -> kind "d", "sts/db" -> "s", "ds/agent" -> "ds"; name borrowed. */
static const char *workload_split(const char *ref, const char **kind)
{
	const char *slash = strchr(ref, '/');

	if (strncmp(ref, "sts", 3) == 0 || strncmp(ref, "statefulset", 11) == 0)
		*kind = "s";
	else if (strncmp(ref, "ds", 2) == 0 || strncmp(ref, "daemonset", 9) == 0)
		*kind = "ds";
	else
		*kind = "d";
	return slash + 1;
}

struct sel_ctx {
	const struct selector *sel;
	struct store *st;
	struct store_series_filter f;
	struct idlist *ids;
	enum od_status rc;
	struct err *e;
	size_t pods;
};

struct label_lookup {
	const char *labels;   /* "a=b,c=d" */
	char buf[512];
};

static const char *lookup_label(void *arg, const char *key)
{
	struct label_lookup *l = arg;
	size_t kl = strlen(key);
	const char *p = l->labels;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			snprintf(l->buf, sizeof(l->buf), "%.*s", (int)(len - kl - 1), p + kl + 1);
			return l->buf;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static int sel_row(void *arg, const struct store_state_row *row)
{
	struct sel_ctx *c = arg;
	struct pod_view v;
	struct err ignore;
	struct label_lookup ll;
	int64_t *ids = NULL;
	size_t n = 0;

	if (strcmp(row->kind, "pod") != 0 || podview_parse_tsv(&v, row->data, &ignore) != OD_OK)
		return 0;
	if (c->f.namespace && strcmp(c->f.namespace, v.namespace_) != 0)
		return 0;
	ll.labels = v.labels;
	if (!selector_matches(c->sel, lookup_label, &ll))
		return 0;
	c->pods++;
	c->f.object = v.name;
	c->f.namespace = c->f.namespace ? c->f.namespace : NULL;
	struct store_series_filter f = c->f;
	f.namespace = v.namespace_;
	c->rc = store_series_find(c->st, &f, &ids, &n, c->e);
	if (c->rc == OD_OK)
		c->rc = idlist_add(c->ids, ids, n, c->e);
	free(ids);
	return c->rc != OD_OK;
}

static enum od_status select_series(struct clistore *cs, const struct global_opts *g,
				    const struct history_opts *o, struct idlist *out,
				    struct err *e)
{
	struct store_series_filter f = {
		.context = cs->context[0] ? cs->context : NULL,
		.namespace = g->all_namespaces || !cs->namespace_[0] ? NULL : cs->namespace_,
		.kind = STORE_KIND_POD,
		.metric = (int)o->metric,
	};
	int64_t *ids = NULL;
	size_t n = 0;
	enum od_status rc;

	if (o->node) {
		f.kind = STORE_KIND_NODE;
		f.namespace = NULL;
		f.object = o->node;
	} else if (o->pvc) {
		f.kind = STORE_KIND_PVC;
		f.object = o->pvc;
	} else if (o->pod) {
		f.object = o->pod;
	} else if (o->selector) {
		struct selector *sel = NULL;
		struct sel_ctx c = { .st = cs->st, .f = f, .ids = out, .rc = OD_OK, .e = e };
		int64_t saved = 0;

		rc = selector_parse(o->selector, &sel, e);
		if (rc != OD_OK)
			return rc;
		c.sel = sel;
		rc = store_state_load(cs->st, cs->context, &saved, sel_row, &c, e);
		selector_free(&sel);
		if (rc == OD_OK)
			rc = c.rc;
		if (rc == OD_OK && saved == 0)
			return err_set(e, OD_ENOENT, "no last-known pods for context \"%s\" to match "
				       "-l against: run opsdeck collect first", cs->context);
		return rc;
	} else {
		const char *kind, *name = workload_split(o->workload, &kind);
		char prefix[STORE_NAME_MAX + 2];

		snprintf(prefix, sizeof(prefix), "%s-", name);
		f.object_prefix = prefix;
		rc = store_series_find(cs->st, &f, &ids, &n, e);
		for (size_t i = 0; rc == OD_OK && i < n; i++) {
			struct store_series_info info;

			rc = store_series_get(cs->st, ids[i], &info, e);
			if (rc == OD_OK && pod_of_workload(kind, name, info.object))
				rc = idlist_add(out, &ids[i], 1, e);
		}
		free(ids);
		return rc;
	}
	rc = store_series_find(cs->st, &f, &ids, &n, e);
	if (rc == OD_OK)
		rc = idlist_add(out, ids, n, e);
	free(ids);
	return rc;
}

/* ---- querying and merging ---- */

/* Nearest integer, halves away from zero (no libm for one function). */
static int64_t round_i64(double v)
{
	return (int64_t)(v < 0 ? v - 0.5 : v + 0.5);
}

static int cmp_point(const void *a, const void *b)
{
	const struct hpoint *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The value a point shows: a counter shows where it got to, the rest their average. */
static double point_value(enum store_metric m, const struct store_point *p)
{
	return m == STORE_METRIC_RESTARTS ? (double)p->max : p->avg;
}

struct merged {
	struct hpoint *v;      /* owned, ascending */
	size_t n, cap;
	enum store_tier tier;
	int64_t step, from, to;
	struct store_summary single;   /* exact summary when one series was read */
	size_t nseries;                /* series with points */
	bool prometheus;               /* read from Prometheus query_range */
};

static enum od_status merged_add(struct merged *m, enum store_metric metric,
				 const struct store_query_result *r, struct err *e)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct store_point *p = &r->points[i];

		if (m->n == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 256;
			struct hpoint *nv = realloc(m->v, cap * sizeof(*nv));

			if (!nv)
				return err_set(e, OD_ENOMEM, "out of memory");
			m->v = nv;
			m->cap = cap;
		}
		m->v[m->n++] = (struct hpoint){
			.ts = p->ts, .count = p->count, .value = point_value(metric, p),
			.min = (double)p->min, .max = (double)p->max,
		};
	}
	return OD_OK;
}

/* Sums points at the same timestamp (several containers or pods). */
static void merged_fold(struct merged *m)
{
	size_t out = 0;

	if (m->n == 0)
		return;
	qsort(m->v, m->n, sizeof(*m->v), cmp_point);
	for (size_t i = 0; i < m->n; i++) {
		if (out > 0 && m->v[out - 1].ts == m->v[i].ts) {
			struct hpoint *d = &m->v[out - 1];

			d->count += m->v[i].count;
			d->value += m->v[i].value;
			d->min += m->v[i].min;
			d->max += m->v[i].max;
			continue;
		}
		m->v[out++] = m->v[i];
	}
	m->n = out;
}

static enum od_status run_queries(struct store *st, const struct idlist *ids,
				  const struct history_opts *o, int64_t from, int64_t to,
				  int64_t step, struct merged *m, struct err *e)
{
	enum od_status rc = OD_OK;

	for (size_t i = 0; rc == OD_OK && i < ids->n; i++) {
		struct store_query_result r = { 0 };

		rc = store_series_query(st, ids->v[i], from, to, step, &r, e);
		if (rc != OD_OK)
			break;
		/* Every series of one query reads the same tier and step: the first says which. */
		if (i == 0) {
			m->tier = r.tier;
			m->step = r.step;
			m->from = r.from;
			m->to = r.to;
		}
		if (r.n > 0) {
			m->nseries++;
			store_summary_compute(&r, &m->single);
		}
		rc = merged_add(m, o->metric, &r, e);
		store_query_result_free(&r);
	}
	if (rc == OD_OK)
		merged_fold(m);
	return rc;
}

/* min, avg, p95 (nearest rank) and max over the merged points' values. */
static void merged_summary(const struct merged *m, enum store_metric metric,
			   struct store_summary *s)
{
	double *vals;

	if (m->nseries == 1 && metric != STORE_METRIC_RESTARTS) {
		*s = m->single;
		return;
	}
	memset(s, 0, sizeof(*s));
	if (m->n == 0 || !(vals = malloc(m->n * sizeof(*vals))))
		return;
	double sum = 0, mn = m->v[0].value, mx = m->v[0].value;
	for (size_t i = 0; i < m->n; i++) {
		vals[i] = m->v[i].value;
		sum += vals[i];
		mn = vals[i] < mn ? vals[i] : mn;
		mx = vals[i] > mx ? vals[i] : mx;
		s->count += m->v[i].count;
	}
	for (size_t i = 1; i < m->n; i++)
		for (size_t j = i; j > 0 && vals[j - 1] > vals[j]; j--) {
			double t = vals[j];
			vals[j] = vals[j - 1];
			vals[j - 1] = t;
		}
	size_t rank = (95 * m->n + 99) / 100;   /* nearest rank: ceil(0.95 n) */
	s->points = m->n;
	s->min = round_i64(mn);
	s->max = round_i64(mx);
	s->avg = sum / (double)m->n;
	s->p95 = vals[rank > 0 ? rank - 1 : 0];
	free(vals);
}

/* ---- printing ---- */

static void fmt_value(enum store_metric m, double v, char *out, size_t n)
{
	int64_t r = round_i64(v);

	switch (m) {
	case STORE_METRIC_CPU:
		quantity_format_cpu_milli(r, out, n);
		break;
	case STORE_METRIC_MEMORY:
		quantity_format_mem_mi(r, out, n);
		break;
	case STORE_METRIC_STORAGE_USED:
	case STORE_METRIC_STORAGE_CAPACITY:
		quantity_format_bytes(r, out, n);
		break;
	case STORE_METRIC_READY:
		snprintf(out, n, "%.2f", v);
		break;
	default:
		snprintf(out, n, "%lld", (long long)r);
		break;
	}
}

static const char *unit_name(enum store_metric m)
{
	switch (m) {
	case STORE_METRIC_CPU: return "millicores";
	case STORE_METRIC_MEMORY: return "bytes";
	case STORE_METRIC_STORAGE_USED: return "bytes";
	case STORE_METRIC_READY: return "ready";
	default: return "count";
	}
}

static const char *tier_name(enum store_tier t)
{
	return t == STORE_TIER_RAW ? "raw" : t == STORE_TIER_1 ? "5-minute rollups" : "hourly rollups";
}

static void fmt_ts(int64_t ts, char *out, size_t n)
{
	struct od_time t = { .sec = ts };

	time_format_rfc3339(t, out, n);
}

/* The profile's expected range for the workload behind the target, if any. */
static bool expected_range(const struct history_opts *o, const char *ns, char *out, size_t n)
{
	struct profile_catalog *cat = NULL;
	struct err e = { 0 };
	bool found = false;

	if ((o->metric != STORE_METRIC_CPU && o->metric != STORE_METRIC_MEMORY) || o->node ||
	    o->pvc || profile_catalog_load(&cat, &e) != OD_OK)
		return false;
	for (size_t i = 0; !found && i < cat->n; i++) {
		const struct profile *p = cat->profiles[i];

		for (size_t j = 0; !found && j < p->nworkloads; j++) {
			const struct profile_workload *w = &p->workloads[j];
			const char *wns = w->namespace ? w->namespace
						       : (p->namespaces.n ? p->namespaces.v[0] : "");
			const char *slash = strchr(w->ref, '/');
			const char *wname = slash ? slash + 1 : w->ref;
			const struct resource_range *rr =
				o->metric == STORE_METRIC_CPU ? &w->cpu : &w->memory;
			bool match;

			if (!rr->min.set && !rr->max.set)
				continue;
			if (ns && *ns && strcmp(ns, wns) != 0)
				continue;
			if (o->pod)
				match = strncmp(o->pod, wname, strlen(wname)) == 0 &&
					o->pod[strlen(wname)] == '-';
			else if (o->workload)
				match = strcmp(strchr(o->workload, '/') + 1, wname) == 0;
			else
				match = false;
			if (!match)
				continue;
			char lo[32] = "0", hi[32] = "-";
			if (rr->min.set)
				fmt_value(o->metric, (double)rr->min.value, lo, sizeof(lo));
			if (rr->max.set)
				fmt_value(o->metric, (double)rr->max.value, hi, sizeof(hi));
			snprintf(out, n, "expected %s-%s (profile %s, %s)", lo, hi, p->name, w->ref);
			found = true;
		}
	}
	profile_catalog_free(&cat);
	return found;
}

static void print_summary(FILE *f, const struct history_opts *o, const struct merged *m,
			  const struct store_summary *s, const char *expected)
{
	char mn[32], avg[32], p95[32], mx[32];

	fmt_value(o->metric, (double)s->min, mn, sizeof(mn));
	fmt_value(o->metric, s->avg, avg, sizeof(avg));
	fmt_value(o->metric, s->p95, p95, sizeof(p95));
	fmt_value(o->metric, (double)s->max, mx, sizeof(mx));
	fprintf(f, "%s%s: min %s  avg %s  p95 %s  max %s  (%zu points of %llds from %s, %lld samples)%s%s\n",
		o->output == OUT_CSV ? "# " : "", o->metric_name, mn, avg, p95, mx, m->n,
		(long long)m->step, m->prometheus ? "Prometheus query_range" : tier_name(m->tier),
		(long long)s->count,
		expected[0] ? "  " : "", expected);
}

static int print_table(const struct history_opts *o, const struct merged *m)
{
	char when[40], v[32], mn[32], mx[32];

	printf("%-21s %-10s %-10s %-10s %s\n", "TIME", "VALUE", "MIN", "MAX", "SAMPLES");
	for (size_t i = 0; i < m->n; i++) {
		fmt_ts(m->v[i].ts, when, sizeof(when));
		fmt_value(o->metric, m->v[i].value, v, sizeof(v));
		fmt_value(o->metric, m->v[i].min, mn, sizeof(mn));
		fmt_value(o->metric, m->v[i].max, mx, sizeof(mx));
		printf("%-21s %-10s %-10s %-10s %lld\n", when, v, mn, mx, (long long)m->v[i].count);
	}
	return HISTORY_OK;
}

static int print_csv(const struct history_opts *o, const struct merged *m)
{
	char when[40];

	printf("time,%s_%s,min,max,samples\n", o->metric_name, unit_name(o->metric));
	for (size_t i = 0; i < m->n; i++) {
		fmt_ts(m->v[i].ts, when, sizeof(when));
		printf("%s,%.3f,%.0f,%.0f,%lld\n", when, m->v[i].value, m->v[i].min, m->v[i].max,
		       (long long)m->v[i].count);
	}
	return HISTORY_OK;
}

static int print_json(const struct history_opts *o, const struct merged *m,
		      const struct store_summary *s, const char *expected)
{
	cJSON *root = cJSON_CreateObject(), *pts, *sum;
	char when[40], *text;

	if (!root)
		return HISTORY_FAILED;
	cJSON_AddStringToObject(root, "metric", o->metric_name);
	cJSON_AddStringToObject(root, "unit", unit_name(o->metric));
	cJSON_AddStringToObject(root, "tier",
				m->prometheus ? "Prometheus query_range" : tier_name(m->tier));
	cJSON_AddNumberToObject(root, "step", (double)m->step);
	pts = cJSON_AddArrayToObject(root, "points");
	for (size_t i = 0; pts && i < m->n; i++) {
		cJSON *p = cJSON_CreateObject();

		if (!p)
			break;
		fmt_ts(m->v[i].ts, when, sizeof(when));
		cJSON_AddStringToObject(p, "time", when);
		cJSON_AddNumberToObject(p, "value", m->v[i].value);
		cJSON_AddNumberToObject(p, "min", m->v[i].min);
		cJSON_AddNumberToObject(p, "max", m->v[i].max);
		cJSON_AddNumberToObject(p, "samples", (double)m->v[i].count);
		cJSON_AddItemToArray(pts, p);
	}
	sum = cJSON_AddObjectToObject(root, "summary");
	if (sum) {
		cJSON_AddNumberToObject(sum, "min", (double)s->min);
		cJSON_AddNumberToObject(sum, "avg", s->avg);
		cJSON_AddNumberToObject(sum, "p95", s->p95);
		cJSON_AddNumberToObject(sum, "max", (double)s->max);
		cJSON_AddNumberToObject(sum, "samples", (double)s->count);
		if (expected[0])
			cJSON_AddStringToObject(sum, o->pvc ? "capacity" : "expected", expected);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return HISTORY_FAILED;
	printf("%s\n", text);
	free(text);
	return HISTORY_OK;
}

/* ---- the window ---- */

static int parse_time(const char *flag, const char *s, int64_t *out)
{
	struct err e = { 0 };

	if (store_history_csv_parse_date(s, out, &e) != OD_OK) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"%s\" flag: a time such as "
				"2026-11-22T10:00:00Z or \"2026-11-22 10:00\"\n", s, flag);
		return HISTORY_USAGE;
	}
	return 0;
}

static int history_window(struct store *st, const struct history_opts *o, int64_t *from,
			  int64_t *to, int64_t *step)
{
	int64_t since_ns = 24LL * 3600 * 1000000000LL, oldest = 0, newest = 0, ns = 0;
	struct err e = { 0 };

	*step = 0;
	if (o->step) {
		if (duration_parse(o->step, &ns, &e) != OD_OK || ns < 1000000000LL) {
			fprintf(stderr, "error: invalid argument \"%s\" for \"--step\" flag: a duration "
					"of at least 1s\n", o->step);
			return HISTORY_USAGE;
		}
		*step = ns / 1000000000;
	}
	if (o->since && (duration_parse(o->since, &since_ns, &e) != OD_OK || since_ns <= 0)) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--since\" flag\n", o->since);
		return HISTORY_USAGE;
	}
	if (store_tick_range(st, &oldest, &newest, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return HISTORY_FAILED;
	}
	/* The window ends after the newest sample: the metrics API's clock, not ours. */
	int64_t w1 = 0, w2 = 0;
	if (store_rollup_watermarks(st, &w1, &w2, &e) == OD_OK && w1 > newest)
		newest = w1;
	if (newest == 0)
		newest = time_now().sec;
	*to = newest + 1;
	*from = *to - since_ns / 1000000000;
	if (o->from && parse_time("--from", o->from, from) != 0)
		return HISTORY_USAGE;
	if (o->to && parse_time("--to", o->to, to) != 0)
		return HISTORY_USAGE;
	if (o->from && !o->to)
		*to = newest + 1;
	if (o->to && !o->from)
		*from = *to - since_ns / 1000000000;
	if (*from >= *to) {
		fprintf(stderr, "error: --from must be before --to\n");
		return HISTORY_USAGE;
	}
	return 0;
}

/* "capacity 5Gi, 24% used at the end" for a PVC: the newest capacity sample in the window. */
static void pvc_capacity(struct clistore *cs, const struct global_opts *g,
			 const struct history_opts *o, const struct merged *used, int64_t from,
			 int64_t to, char *out, size_t n)
{
	struct history_opts co = *o;
	struct idlist ids = { 0 };
	struct merged m = { 0 };
	struct err e = { 0 };
	char cap[32];

	co.metric = STORE_METRIC_STORAGE_CAPACITY;
	if (select_series(cs, g, &co, &ids, &e) == OD_OK && ids.n > 0 &&
	    run_queries(cs->st, &ids, &co, from, to, 0, &m, &e) == OD_OK && m.n > 0 &&
	    m.v[m.n - 1].max > 0) {
		fmt_value(STORE_METRIC_STORAGE_USED, m.v[m.n - 1].max, cap, sizeof(cap));
		if (used->n > 0)
			snprintf(out, n, "capacity %s, %.0f%% used at the end", cap,
				 100.0 * used->v[used->n - 1].value / m.v[m.n - 1].max);
		else
			snprintf(out, n, "capacity %s", cap);
	}
	free(m.v);
	free(ids.v);
}

/* ---- Prometheus as the source ---- */

/* The pods of deploy/NAME, sts/NAME, ds/NAME by the controllers' naming rules, as RE2. */
static void workload_regex(const char *ref, char *out, size_t n)
{
	const char *kind, *name = workload_split(ref, &kind);

	if (kind[0] == 's')
		snprintf(out, n, "%s-[0-9]+", name);
	else if (kind[0] == 'd' && kind[1] == 's')
		snprintf(out, n, "%s-[a-z0-9]{5}", name);
	else
		snprintf(out, n, "%s-[a-z0-9]+-[a-z0-9]{5}", name);
}

static enum prom_metric prom_metric_of(enum store_metric m)
{
	switch (m) {
	case STORE_METRIC_CPU: return PROM_CPU;
	case STORE_METRIC_MEMORY: return PROM_MEMORY;
	case STORE_METRIC_RESTARTS: return PROM_RESTARTS;
	case STORE_METRIC_READY: return PROM_READY;
	case STORE_METRIC_STORAGE_CAPACITY: return PROM_STORAGE_CAPACITY;
	default: return PROM_STORAGE_USED;
	}
}

/*
 * The window for Prometheus: --from/--to, or --since back from now; the
 * step from --step, else about 500 points (at least 15s).
 */
static int prom_window(const struct history_opts *o, int64_t *from, int64_t *to, int64_t *step)
{
	int64_t since_ns = 24LL * 3600 * 1000000000LL, ns = 0;
	struct err e = { 0 };

	if (o->step && (duration_parse(o->step, &ns, &e) != OD_OK || ns < 1000000000LL)) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--step\" flag: a duration "
				"of at least 1s\n", o->step);
		return HISTORY_USAGE;
	}
	if (o->since && (duration_parse(o->since, &since_ns, &e) != OD_OK || since_ns <= 0)) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--since\" flag\n", o->since);
		return HISTORY_USAGE;
	}
	*to = time_now().sec;
	if (o->to && parse_time("--to", o->to, to) != 0)
		return HISTORY_USAGE;
	*from = *to - since_ns / 1000000000;
	if (o->from && parse_time("--from", o->from, from) != 0)
		return HISTORY_USAGE;
	if (*from >= *to) {
		fprintf(stderr, "error: --from must be before --to\n");
		return HISTORY_USAGE;
	}
	*step = ns ? ns / 1000000000 : (*to - *from) / 500;
	if (*step < 15 && !ns)
		*step = 15;
	return 0;
}

/* Reads the same series from Prometheus into m (one point per step). */
static int prom_read(struct clistore *cs, const struct global_opts *g,
		     const struct history_opts *o, struct merged *m)
{
	struct prom_target t = { .namespace_ = g->all_namespaces ? NULL : cs->namespace_ };
	struct prom_range r = { 0 };
	struct loop *lp = NULL;
	struct err e = { 0 };
	char re[512], expr[4096];
	int64_t from, to, step;
	int code;

	if (!cs->cs.prometheus_url) {
		fprintf(stderr, "error: Prometheus not configured: set prometheus for context %s in "
				"config.yaml\n", cs->context[0] ? cs->context : "(none)");
		return HISTORY_USAGE;
	}
	code = prom_window(o, &from, &to, &step);
	if (code != 0)
		return code;
	t.pod = o->pod;
	t.pvc = o->pvc;
	if (o->workload) {
		workload_regex(o->workload, re, sizeof(re));
		t.pod_regex = re;
	}
	if (prom_expr(prom_metric_of(o->metric), &t, step, expr, sizeof(expr), &e) != OD_OK ||
	    loop_new(&lp, &e) != OD_OK ||
	    prom_query_range(lp, cs->cs.prometheus_url, expr, from, to, step, &r, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = HISTORY_FAILED;
		goto out;
	}
	m->prometheus = true;
	m->step = step;
	m->from = from;
	m->to = to;
	m->v = r.n ? calloc(r.n, sizeof(*m->v)) : NULL;
	if (r.n && !m->v) {
		fprintf(stderr, "error: out of memory\n");
		code = HISTORY_FAILED;
		goto out;
	}
	for (size_t i = 0; i < r.n; i++)
		m->v[i] = (struct hpoint){ .ts = r.v[i].ts, .count = r.v[i].series,
					   .value = r.v[i].value, .min = r.v[i].value,
					   .max = r.v[i].value };
	m->n = m->cap = r.n;
	code = HISTORY_OK;
out:
	prom_range_free(&r);
	loop_free(&lp);
	return code;
}

static int history_query(const struct global_opts *g, int argc, char **argv)
{
	struct history_opts o = { 0 };
	struct clistore cs;
	struct idlist ids = { 0 };
	struct merged m = { 0 };
	struct store_summary s;
	struct err e = { 0 };
	char expected[256] = "";
	int64_t from, to, step;
	int code = history_parse(argc, argv, &o);

	if (code != 0)
		return code;
	code = clistore_open(&cs, g);
	if (code != 0)
		return code;
	if (o.prometheus) {
		code = prom_read(&cs, g, &o, &m);
		if (code != 0)
			goto out;
		goto print;
	}
	code = history_window(cs.st, &o, &from, &to, &step);
	if (code != 0)
		goto out;
	code = HISTORY_FAILED;
	if (select_series(&cs, g, &o, &ids, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		goto out;
	}
	if (ids.n == 0) {
		fprintf(stderr, "error: no %s history for that target in context \"%s\"%s%s\n",
			o.metric_name, cs.context,
			g->all_namespaces || o.node ? "" : " and namespace ",
			g->all_namespaces || o.node ? "" : cs.namespace_);
		goto out;
	}
	if (run_queries(cs.st, &ids, &o, from, to, step, &m, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		goto out;
	}
print:
	merged_summary(&m, o.metric, &s);
	expected_range(&o, g->all_namespaces ? NULL : cs.namespace_, expected, sizeof(expected));
	if (o.pvc && !o.prometheus)
		pvc_capacity(&cs, g, &o, &m, from, to, expected, sizeof(expected));
	if (o.output == OUT_JSON) {
		code = print_json(&o, &m, &s, expected);
		goto out;
	}
	code = o.output == OUT_CSV ? print_csv(&o, &m) : print_table(&o, &m);
	if (m.n == 0)
		fprintf(stderr, "no samples in the window\n");
	else
		print_summary(o.output == OUT_CSV ? stderr : stdout, &o, &m, &s, expected);
out:
	free(m.v);
	free(ids.v);
	clistore_close(&cs);
	return code;
}

/* ---- import ---- */

static int history_import(const struct global_opts *g, int argc, char **argv)
{
	const char *file = NULL, *pod = NULL, *container = NULL;
	struct store_import_opts io = { .format = STORE_IMPORT_AUTO };
	struct store_import_stats st = { 0 };
	struct store_maintain_stats ms = { 0 };
	struct clistore cs;
	struct err e = { 0 };
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			history_usage(stdout);
			return HISTORY_OK;
		}
		if ((r = take(argc, argv, &i, NULL, "--pod", &pod)) ||
		    (r = take(argc, argv, &i, "-c", "--container", &container))) {
			if (r < 0)
				return HISTORY_USAGE;
			continue;
		}
		if (argv[i][0] != '-' && !file) {
			file = argv[i];
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck history import\"\n",
			argv[i]);
		return HISTORY_USAGE;
	}
	if (!file) {
		fprintf(stderr, "error: opsdeck history import FILE: no file given\n");
		return HISTORY_USAGE;
	}
	code = clistore_open(&cs, g);
	if (code != 0)
		return code;
	if (!cs.context[0]) {
		fprintf(stderr, "error: history import needs a context: the kubeconfig's current "
				"context, or --context NAME\n");
		clistore_close(&cs);
		return HISTORY_USAGE;
	}
	io.context = cs.context;
	io.namespace = cs.namespace_[0] ? cs.namespace_ : "default";
	io.object = pod;
	io.container = container;
	code = HISTORY_FAILED;
	enum od_status rc = store_import_file(cs.st, file, &io, &st, &e);
	if (rc != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = rc == OD_EINVAL || rc == OD_EUSAGE ? HISTORY_USAGE : HISTORY_FAILED;
		goto out;
	}
	/* Roll the import up against its own newest timestamp, as the collector would. */
	if (st.last_ts > 0 && store_samples_maintain(cs.st, st.last_ts, &ms, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		goto out;
	}
	char a[40] = "-", b[40] = "-";
	if (st.samples > 0) {
		fmt_ts(st.first_ts, a, sizeof(a));
		fmt_ts(st.last_ts, b, sizeof(b));
	}
	printf("imported %lld samples from %lld lines (%lld skipped) of %s, %s to %s, "
	       "into context \"%s\"\n", (long long)st.samples, (long long)st.lines,
	       (long long)st.skipped, file, a, b, cs.context);
	code = HISTORY_OK;
out:
	clistore_close(&cs);
	return code;
}

int cmd_history(const struct global_opts *g, int argc, char **argv);

int cmd_history(const struct global_opts *g, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		history_usage(stdout);
		return HISTORY_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return history_import(g, argc - 1, argv + 1);
	return history_query(g, argc, argv);
}
