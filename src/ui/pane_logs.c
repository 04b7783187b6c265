/*
 * pane_logs.c: the Logs pane (ui_pane_logs.h).
 *
 * Arrival: a stream's bytes go through a line splitter into the log ring,
 * flagged error/warning by the profile's patterns on the way; a short loop
 * timer then repaints, so a burst of lines costs one paint. recalc brings
 * the filter's index of matching lines and the error summary up to the end
 * of the ring, incrementally. draw lays lines out from the bottom up, which
 * is the same code whether following, paused, wrapped or pretty-printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/api.h"
#include "opsdeck/buf.h"
#include "opsdeck/http.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/linesplit.h"
#include "opsdeck/profile.h"
#include "opsdeck/selector.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_logring.h"
#include "opsdeck/ui_logtext.h"
#include "opsdeck/ui_pane_logs.h"
#include "opsdeck/ui_text.h"

#define LOGS_NAME_MAX 254
#define PATTERNS_MAX 16
#define PREFIX_MAX 24

static const int64_t since_secs[] = { 0, 300, 3600, 86400 };
static const char *const since_names[] = { "all", "5m", "1h", "24h" };
#define NSINCE ((int)(sizeof(since_secs) / sizeof(since_secs[0])))

/* Prefix colours, cycled by pod: theme elements that stand out on any theme. */
static const enum theme_element pod_colours[] = {
	THEME_CHART_CPU, THEME_CHART_MEMORY, THEME_CHART_STORAGE, THEME_STATUS_RUNNING,
	THEME_MARKER_EVENT, THEME_STATUS_PENDING,
};
#define NCOLOURS (sizeof(pod_colours) / sizeof(pod_colours[0]))

struct logs;

struct log_pod {
	char name[LOGS_NAME_MAX];
	char container[LOGS_NAME_MAX];  /* "" until the pod source names one */
	uint16_t id;                 /* source id in the ring */
	struct logs *owner;          /* borrowed back pointer */
	struct http_call *call;      /* borrowed: owned by the client until on_done */
	struct line_splitter split;
	bool followed;               /* in the current target set */
	bool streaming;
	int64_t ended_at;            /* when its stream last ended (0: never) */
	uint64_t lines;
};

struct logs {
	struct pane *pane;           /* borrowed back pointer */
	struct logring *ring;        /* owned */
	struct log_pod *pods[LOGS_PODS_MAX];  /* owned; index == source id */
	size_t npods;
	/* target: the Pods pane's selection, its pod or its workload; or a label selector */
	bool workload;
	char ns[LOGS_NAME_MAX], object[LOGS_NAME_MAX], owner[LOGS_NAME_MAX];
	struct selector *sel;        /* owned; set: every pod of ns it matches (:logs -l) */
	char sel_text[LOGS_NAME_MAX];
	char target_key[3 * LOGS_NAME_MAX + 32];
	uint64_t pods_gen;
	bool replay;                 /* lines come from a file: no streams */
	/* view */
	bool paused, wrap, json, summary, previous;
	int since;
	uint64_t bottom;             /* paused: visible index of the bottom line */
	int summary_top;
	/* filter */
	char filter[LOGS_FILTER_MAX];
	bool filter_on;
	regex_t filter_re;
	uint64_t *view;              /* owned: seqs matching the filter, ascending */
	size_t nview, capview;
	uint64_t view_upto;          /* seqs below this are indexed */
	/* patterns */
	regex_t err_re[PATTERNS_MAX], warn_re[PATTERNS_MAX];
	size_t nerr, nwarn;
	bool patterns_loaded;
	/* summary */
	struct loggroups groups;
	uint64_t grouped_upto;
	bool groups_sorted;
	/* connection */
	struct kube_conn *conn;      /* owned */
	bool conn_tried;
	char conn_err[160];
	uint64_t paint_timer;
	uint64_t seen;               /* ring count at the last recalc */
	bool force;
};

static struct logs *state_of(struct pane *p)
{
	return p->state;
}

/* --- patterns --- */

static void add_pattern(struct logs *l, const char *re, bool icase, bool warning)
{
	regex_t *slot = warning ? &l->warn_re[l->nwarn] : &l->err_re[l->nerr];
	size_t *n = warning ? &l->nwarn : &l->nerr;

	if (*n >= PATTERNS_MAX)
		return;
	if (regcomp(slot, re, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0)) == 0)
		(*n)++;
}

/* The profile's error/warning patterns for the context and namespace, else common words. */
static void load_patterns(struct pane *p, struct logs *l)
{
	struct profile_catalog *cat = NULL;
	const struct profile *pr = NULL;
	struct err e = { 0 };

	if (l->patterns_loaded)
		return;
	l->patterns_loaded = true;
	if (profile_catalog_load(&cat, &e) == OD_OK)
		pr = profile_catalog_match(cat, p->app->status.context, l->ns[0] ? l->ns
									: p->app->status.namespace_);
	for (size_t i = 0; pr && i < pr->npatterns; i++) {
		const struct log_pattern *lp = &pr->patterns[i];

		if (!lp->severity || !lp->regex)
			continue;
		if (strcmp(lp->severity, "error") == 0)
			add_pattern(l, lp->regex, lp->ignore_case, false);
		else if (strcmp(lp->severity, "warning") == 0)
			add_pattern(l, lp->regex, lp->ignore_case, true);
	}
	if (!l->nerr)
		add_pattern(l, "(^|[^a-z])(error|err|fatal|panic|exception|failed)([^a-z]|$)", true,
			    false);
	if (!l->nwarn)
		add_pattern(l, "(^|[^a-z])(warn|warning)([^a-z]|$)", true, true);
	profile_catalog_free(&cat);
}

static uint8_t classify(const struct logs *l, const char *text)
{
	for (size_t i = 0; i < l->nerr; i++)
		if (regexec(&l->err_re[i], text, 0, NULL, 0) == 0)
			return LOGLINE_ERROR;
	for (size_t i = 0; i < l->nwarn; i++)
		if (regexec(&l->warn_re[i], text, 0, NULL, 0) == 0)
			return LOGLINE_WARNING;
	return 0;
}

/* --- arrival --- */

static void on_paint(struct loop *lp, uint64_t id, void *arg)
{
	struct pane *p = arg;
	struct logs *l = state_of(p);

	(void)lp;
	(void)id;
	l->paint_timer = 0;
	app_update(p->app);
}

/* A line arrived: repaint soon, once per burst. */
static void schedule_paint(struct pane *p, struct logs *l)
{
	if (l->paint_timer || !p->app->loop || p->app->opts.headless)
		return;
	l->paint_timer = loop_timer_add(p->app->loop, LOGS_PAINT_MS, 0, on_paint, p);
}

static struct log_pod *pod_find(struct logs *l, const char *name)
{
	for (size_t i = 0; i < l->npods; i++)
		if (strcmp(l->pods[i]->name, name) == 0)
			return l->pods[i];
	return NULL;
}

static struct log_pod *pod_get(struct logs *l, const char *name, struct err *e)
{
	struct log_pod *lp = pod_find(l, name);

	if (lp)
		return lp;
	if (l->npods == LOGS_PODS_MAX) {
		err_set(e, OD_ELIMIT, "following at most %d pods", LOGS_PODS_MAX);
		return NULL;
	}
	lp = calloc(1, sizeof(*lp));
	if (!lp) {
		err_set(e, OD_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(lp->name, sizeof(lp->name), "%s", name);
	lp->id = (uint16_t)l->npods;
	lp->owner = l;
	line_splitter_init(&lp->split, 0);
	l->pods[l->npods++] = lp;
	return lp;
}

static enum od_status append_line(struct logs *l, struct log_pod *lp, const char *text,
				  size_t len, uint8_t flags, struct err *e)
{
	enum od_status rc;

	if (!(flags & LOGLINE_MARK))
		flags |= classify(l, text);
	if (l->previous)
		flags |= LOGLINE_PREVIOUS;
	rc = logring_append(l->ring, lp->id, flags, text, len, e);
	if (rc == OD_OK) {
		lp->lines++;
		schedule_paint(l->pane, l);
	}
	return rc;
}

enum od_status logs_pane_feed(struct pane *p, const char *pod, const char *line, size_t len,
			      struct err *e)
{
	struct logs *l = state_of(p);
	struct log_pod *lp = pod_get(l, pod, e);
	char small[1024], *copy = small;
	enum od_status rc;

	if (!lp)
		return e->status ? e->status : OD_ELIMIT;
	load_patterns(p, l);
	/* regexec needs a NUL, and line need not have one: copy (on the stack when short). */
	if (len >= sizeof(small) && !(copy = malloc(len + 1)))
		return err_set(e, OD_ENOMEM, "out of memory");
	memcpy(copy, line, len);
	copy[len] = '\0';
	rc = append_line(l, lp, copy, len, 0, e);
	if (copy != small)
		free(copy);
	return rc;
}

static enum od_status on_stream_line(const char *text, size_t len, bool truncated, void *arg,
				     struct err *e)
{
	struct log_pod *lp = arg;

	return append_line(lp->owner, lp, text, len, truncated ? LOGLINE_TRUNCATED : 0, e);
}

static enum od_status on_stream_data(const char *p, size_t n, void *arg, struct err *e)
{
	struct log_pod *lp = arg;

	return line_splitter_feed(&lp->split, p, n, on_stream_line, lp, e);
}

static void on_stream_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct log_pod *lp = arg;
	struct logs *l = lp->owner;
	struct err e = { 0 };
	char mark[LOGS_NAME_MAX + 160];
	int n;

	(void)call;
	lp->call = NULL;
	lp->streaming = false;
	lp->ended_at = l->pane->app->now;
	line_splitter_finish(&lp->split, on_stream_line, lp, &e);
	n = snprintf(mark, sizeof(mark), "--- %s: stream ended%s%.120s ---", lp->name,
		     res->status == OD_OK ? "" : ": ",
		     res->status == OD_OK ? "" : (res->err ? res->err->msg : "error"));
	append_line(l, lp, mark, (size_t)(n < (int)sizeof(mark) ? n : (int)sizeof(mark) - 1),
		    LOGLINE_MARK, &e);
}

/* --- streams --- */

static enum od_status open_conn(struct pane *p, struct logs *l, struct err *e)
{
	struct kubeconfig_source src;
	struct kube_target *t = NULL;
	enum od_status rc;

	if (l->conn || l->conn_tried)
		return l->conn ? OD_OK : OD_ENET;
	l->conn_tried = true;
	kubeconfig_source_from_env(&src, p->app->opts.kubeconfig);
	rc = kube_target_load(&src, p->app->status.context[0] ? p->app->status.context : NULL,
			      NULL, &t, e);
	if (rc == OD_OK)
		rc = kube_conn_open(p->app->loop, t, NULL, &l->conn, e);
	kube_target_free(&t);
	if (rc != OD_OK)
		snprintf(l->conn_err, sizeof(l->conn_err), "%.150s", e->msg);
	return rc;
}

static enum od_status stream_start(struct pane *p, struct logs *l, struct log_pod *lp,
				   struct err *e)
{
	struct api_resource pods = { .group = "", .version = "v1", .plural = "pods",
				     .singular = "pod", .kind = "Pod", .namespaced = true };
	struct api_target t = { .res = &pods, .namespace_ = l->ns, .name = lp->name,
				.subresource = "log" };
	struct api_query q = { 0 };
	char since[32], tail[32];
	struct buf path;
	enum od_status rc;
	int64_t since_s = since_secs[l->since];

	if (lp->ended_at && l->since == 0)
		since_s = p->app->now - lp->ended_at + 1; /* resume, not replay */
	if (l->previous) {
		q.extra[q.nextra][0] = "previous";
		q.extra[q.nextra++][1] = "true";
	} else {
		q.extra[q.nextra][0] = "follow";
		q.extra[q.nextra++][1] = "true";
	}
	/* The API refuses a pod of several containers without one: kubectl takes the first. */
	if (lp->container[0]) {
		q.extra[q.nextra][0] = "container";
		q.extra[q.nextra++][1] = lp->container;
	}
	if (since_s > 0) {
		snprintf(since, sizeof(since), "%lld", (long long)since_s);
		q.extra[q.nextra][0] = "sinceSeconds";
		q.extra[q.nextra++][1] = since;
	} else {
		snprintf(tail, sizeof(tail), "%d", LOGS_TAIL_LINES);
		q.extra[q.nextra][0] = "tailLines";
		q.extra[q.nextra++][1] = tail;
	}
	buf_init(&path, 8192);
	rc = api_build_path(&t, &q, &path, e);
	if (rc == OD_OK) {
		struct http_request rq = { .path = buf_cstr(&path), .accept = "*/*",
					   .timeout_ms = l->previous ? 0 : -1,
					   .on_data = on_stream_data, .on_done = on_stream_done,
					   .arg = lp };

		rc = http_start(l->conn->http, &rq, &lp->call, e);
	}
	buf_free(&path);
	if (rc == OD_OK)
		lp->streaming = true;
	return rc;
}

static void stream_stop(struct logs *l, struct log_pod *lp)
{
	if (lp->call && l->conn)
		http_cancel(l->conn->http, &lp->call);
	lp->call = NULL;
	lp->streaming = false;
}

/* "ReplicaSet/web-5d8f7c9b6" -> "web", other owners their name. */
static void owner_base(const char *owner, char *out, size_t n)
{
	const char *slash = strchr(owner, '/');
	const char *name = slash ? slash + 1 : owner;
	size_t len = strlen(name);

	if (slash && strncmp(owner, "ReplicaSet/", 11) == 0 && strrchr(name, '-'))
		len = (size_t)(strrchr(name, '-') - name);
	snprintf(out, n, "%.*s", (int)len, name);
}

/* Row i's first container, when the source keeps whole pods. */
static void pod_container(struct app *app, size_t i, struct log_pod *lp)
{
	const struct pod *pod = app->pods.ops->pod ? app->pods.ops->pod(app->pods.self, i) : NULL;

	if (pod && pod->ncontainers && pod->containers[0].name)
		snprintf(lp->container, sizeof(lp->container), "%s", pod->containers[0].name);
}

/* A pod's label value for selector_matches (NULL: no such label). */
static const char *label_of(void *arg, const char *key)
{
	const struct pod *pod = arg;

	for (size_t i = 0; i < pod->nlabels; i++)
		if (strcmp(pod->labels[i].key, key) == 0)
			return pod->labels[i].value ? pod->labels[i].value : "";
	return NULL;
}

/* Every pod of l->ns that the selector matches, as the source shows them now. */
static void mark_selected(struct app *app, struct logs *l, struct err *e)
{
	size_t n = app->pods.ops && app->pods.ops->pod ? app->pods.ops->count(app->pods.self) : 0;

	for (size_t i = 0; i < n; i++) {
		const struct pod_view *r = app->pods.ops->row(app->pods.self, i);
		const struct pod *pod = app->pods.ops->pod(app->pods.self, i);
		struct log_pod *lp;

		if (!r || !pod || strcmp(r->namespace_, l->ns) != 0 ||
		    !selector_matches(l->sel, label_of, (void *)pod))
			continue;
		lp = pod_get(l, r->name, e);
		if (lp) {
			lp->followed = true;
			pod_container(app, i, lp);
		}
	}
}

/* Marks which pods are followed now: the selected one, or its workload's (new ones too). */
static void mark_followed(struct pane *p, struct logs *l, struct err *e)
{
	struct app *app = p->app;
	char base[LOGS_NAME_MAX], ob[LOGS_NAME_MAX];
	size_t n;

	for (size_t i = 0; i < l->npods; i++)
		l->pods[i]->followed = false;
	if (l->sel) {
		mark_selected(app, l, e);
		return;
	}
	if (!l->object[0])
		return;
	if (!l->workload || !l->owner[0] || !app->pods.ops) {
		struct log_pod *lp = pod_get(l, l->object, e);

		if (!lp)
			return;
		lp->followed = true;
		n = app->pods.ops ? app->pods.ops->count(app->pods.self) : 0;
		for (size_t i = 0; i < n; i++) {
			const struct pod_view *r = app->pods.ops->row(app->pods.self, i);

			if (r && strcmp(r->name, l->object) == 0 && strcmp(r->namespace_, l->ns) == 0)
				pod_container(app, i, lp);
		}
		return;
	}
	owner_base(l->owner, base, sizeof(base));
	n = app->pods.ops->count(app->pods.self);
	for (size_t i = 0; i < n; i++) {
		const struct pod_view *r = app->pods.ops->row(app->pods.self, i);
		struct log_pod *lp;

		if (!r || strcmp(r->namespace_, l->ns) != 0)
			continue;
		owner_base(r->owner, ob, sizeof(ob));
		if (strcmp(ob, base) != 0)
			continue;
		lp = pod_get(l, r->name, e);
		if (lp) {
			lp->followed = true;
			pod_container(app, i, lp);
		}
	}
}

static void sync_streams(struct pane *p, struct logs *l)
{
	struct err e = { 0 };

	if (l->replay || !p->app->loop)
		return;
	mark_followed(p, l, &e);
	/* Pods from the store or a replay may be long gone: stream only what the cluster shows. */
	if (!p->app->pods.ops || strcmp(p->app->pods.ops->kind, "live") != 0) {
		snprintf(l->conn_err, sizeof(l->conn_err), "streams start when the cluster answers");
		return;
	}
	l->conn_err[0] = '\0';
	for (size_t i = 0; i < l->npods; i++) {
		struct log_pod *lp = l->pods[i];

		if (!lp->followed) {
			stream_stop(l, lp);
			continue;
		}
		if (lp->streaming || (l->previous && lp->ended_at) ||
		    (lp->ended_at && p->app->now - lp->ended_at < LOGS_RETRY_S))
			continue;
		if (open_conn(p, l, &e) != OD_OK)
			return;
		if (stream_start(p, l, lp, &e) != OD_OK)
			snprintf(l->conn_err, sizeof(l->conn_err), "%.150s", e.msg);
	}
}

/* Drops every line and stream (since/previous changed, or a new target). */
static void restart_all(struct logs *l)
{
	for (size_t i = 0; i < l->npods; i++) {
		stream_stop(l, l->pods[i]);
		line_splitter_free(&l->pods[i]->split);
		free(l->pods[i]);
		l->pods[i] = NULL;
	}
	l->npods = 0;
	logring_clear(l->ring);
	l->nview = 0;
	l->view_upto = 0;
	logtext_groups_fini(&l->groups);
	logtext_groups_init(&l->groups);
	l->grouped_upto = 0;
	l->bottom = 0;
	l->seen = 0;
	l->force = true;
}

/* --- target --- */

static void follow_selection(struct pane *p, struct logs *l)
{
	struct app *app = p->app;
	struct pane *pods = &app->panes[0];
	char sel[2 * LOGS_NAME_MAX] = "", key[sizeof(l->target_key)];
	char *slash;

	/* A selector is its own target: the Pods pane's selection does not move it. */
	if (l->replay || l->sel || !pods->ops || !pods->ops->selection)
		return;
	pods->ops->selection(pods, sel, sizeof(sel));
	slash = strchr(sel, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(key, sizeof(key), "%d|%.250s|%.250s", (int)l->workload, sel, slash + 1);
	if (strcmp(key, l->target_key) == 0)
		return;
	snprintf(l->target_key, sizeof(l->target_key), "%s", key);
	restart_all(l);
	snprintf(l->ns, sizeof(l->ns), "%s", sel);
	snprintf(l->object, sizeof(l->object), "%s", slash + 1);
	l->owner[0] = '\0';
	if (app->pods.ops) {
		size_t n = app->pods.ops->count(app->pods.self);

		for (size_t i = 0; i < n; i++) {
			const struct pod_view *r = app->pods.ops->row(app->pods.self, i);

			if (r && strcmp(r->name, l->object) == 0 && strcmp(r->namespace_, l->ns) == 0) {
				snprintf(l->owner, sizeof(l->owner), "%s", r->owner);
				break;
			}
		}
	}
}

/* --- filter index and summary --- */

static bool line_matches(struct logs *l, const struct logline *ln)
{
	return regexec(&l->filter_re, ln->text, 0, NULL, 0) == 0;
}

static enum od_status index_to_end(struct logs *l, struct err *e)
{
	uint64_t n = logring_count(l->ring);

	if (!l->filter_on) {
		l->view_upto = n;
		return OD_OK;
	}
	for (; l->view_upto < n; l->view_upto++) {
		struct logline ln;
		enum od_status rc = logring_get(l->ring, l->view_upto, &ln, e);

		if (rc != OD_OK)
			return rc;
		if (!line_matches(l, &ln))
			continue;
		if (l->nview == l->capview) {
			size_t cap = l->capview ? 2 * l->capview : 1024;
			uint64_t *nv = realloc(l->view, cap * sizeof(*nv));

			if (!nv)
				return err_set(e, OD_ENOMEM, "out of memory");
			l->view = nv;
			l->capview = cap;
		}
		l->view[l->nview++] = l->view_upto;
	}
	return OD_OK;
}

static enum od_status group_to_end(struct logs *l, struct err *e)
{
	uint64_t n = logring_count(l->ring);

	if (!l->summary)
		return OD_OK;
	for (; l->grouped_upto < n; l->grouped_upto++) {
		struct logline ln;
		enum od_status rc = logring_get(l->ring, l->grouped_upto, &ln, e);

		if (rc != OD_OK)
			return rc;
		if (!(ln.flags & (LOGLINE_ERROR | LOGLINE_WARNING)))
			continue;
		rc = logtext_groups_add(&l->groups, ln.text, ln.len, e);
		if (rc != OD_OK)
			return rc;
		l->groups_sorted = false;
	}
	if (!l->groups_sorted) {
		logtext_groups_sort(&l->groups);
		l->groups_sorted = true;
	}
	return OD_OK;
}

enum od_status logs_pane_sync(struct pane *p, struct err *e)
{
	struct logs *l = state_of(p);
	enum od_status rc = index_to_end(l, e);

	if (rc == OD_OK)
		rc = group_to_end(l, e);
	l->seen = logring_count(l->ring);
	return rc;
}

uint64_t logs_pane_count(struct pane *p)
{
	return logring_count(state_of(p)->ring);
}

uint64_t logs_pane_visible(struct pane *p)
{
	struct logs *l = state_of(p);

	return l->filter_on ? l->nview : logring_count(l->ring);
}

static uint64_t visible_seq(struct logs *l, uint64_t i)
{
	return l->filter_on ? l->view[i] : i;
}

/* --- drawing --- */

/* Display rows of one line: the text, or its pretty JSON, cut or wrapped to w columns. */
struct rows {
	char *text;                  /* owned: what is shown (the line or its JSON) */
	size_t starts[512];          /* byte offset of each row */
	size_t n;
};

/* Byte length of the longest prefix of s (up to len) that fits in w columns. */
static size_t fit_bytes(const char *s, size_t len, int w, bool ascii)
{
	size_t i = 0;
	int used = 0;

	while (i < len) {
		uint32_t cp;
		size_t k = text_decode(s + i, len - i, &cp);
		int cw = text_cp_width(cp, ascii);

		if (k == 0 || used + cw > w)
			break;
		used += cw;
		i += k;
	}
	return i ? i : (len ? 1 : 0);
}

static void rows_build(struct logs *l, const struct logline *ln, int w, bool ascii,
		       struct rows *r)
{
	char *pretty = NULL;
	struct err e = { 0 };
	size_t len;

	r->n = 0;
	r->text = NULL;
	if (l->json && logtext_json_pretty(ln->text, ln->len, &pretty, &e) == OD_OK) {
		/* cJSON indents with tabs: two spaces read better in a narrow pane */
		size_t o = 0;

		for (size_t i = 0; pretty[i]; i++)
			if (pretty[i] != '\t')
				pretty[o++] = pretty[i];
			else if (o && pretty[o - 1] == ':')
				pretty[o++] = ' ';
			else
				pretty[o++] = ' ';
		pretty[o] = '\0';
		r->text = pretty;
	} else {
		r->text = strdup(ln->text);
	}
	if (!r->text)
		return;
	len = strlen(r->text);
	for (size_t pos = 0; r->n < sizeof(r->starts) / sizeof(r->starts[0]);) {
		char *nl = memchr(r->text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - r->text) : len;

		if (!l->wrap || w <= 0) {
			r->starts[r->n++] = pos;
		} else {
			size_t at = pos;

			do {
				r->starts[r->n++] = at;
				at += fit_bytes(r->text + at, end - at, w, ascii);
			} while (at < end && r->n < sizeof(r->starts) / sizeof(r->starts[0]));
		}
		if (!nl)
			break;
		*nl = '\0';
		pos = end + 1;
	}
}

static int line_attr(const struct canvas *c, uint8_t flags)
{
	if (flags & LOGLINE_ERROR)
		return canvas_attr(c, THEME_LOG_ERROR);
	if (flags & LOGLINE_WARNING)
		return canvas_attr(c, THEME_LOG_WARNING);
	if (flags & LOGLINE_MARK)
		return canvas_attr(c, THEME_PANE_HINT);
	return canvas_attr(c, THEME_NORMAL);
}

/* Draws one row's text at x, with the filter's matches in log.match. */
static void draw_row_text(struct logs *l, const struct canvas *c, int y, int x, const char *s,
			  size_t len, int attr)
{
	char buf[2048];
	regmatch_t m;
	size_t off = 0;
	int w = c->r.w - x;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	draw_text_pad(c, y, x, buf, w, attr);
	if (!l->filter_on || !l->filter[0])
		return;
	while (off < len && regexec(&l->filter_re, buf + off, 1, &m,
				    off ? REG_NOTBOL : 0) == 0) {
		size_t a = off + (size_t)m.rm_so, b = off + (size_t)m.rm_eo;
		char save;
		int col;

		if (b == a) /* an empty match highlights nothing; step on */
			b = a + 1;
		save = buf[a];
		buf[a] = '\0';
		col = text_width(buf, c->ascii);
		buf[a] = save;
		if (col >= w)
			break;
		save = buf[b > len ? len : b];
		buf[b > len ? len : b] = '\0';
		draw_text(c, y, x + col, buf + a, w - col, canvas_attr(c, THEME_LOG_MATCH));
		buf[b > len ? len : b] = save;
		off = b;
	}
}

static void draw_status(struct pane *p, struct logs *l, const struct canvas *c)
{
	char line[1024], who[320];
	size_t followed = 0;

	for (size_t i = 0; i < l->npods; i++)
		followed += l->pods[i]->followed || l->replay;
	if (l->replay)
		snprintf(who, sizeof(who), "replay of %zu pod%s", followed, followed == 1 ? "" : "s");
	else if (l->sel)
		snprintf(who, sizeof(who), "selector %.200s in %.60s: %zu pod%s", l->sel_text, l->ns,
			 followed, followed == 1 ? "" : "s");
	else if (l->workload)
		snprintf(who, sizeof(who), "workload of %.200s: %zu pod%s", l->object, followed,
			 followed == 1 ? "" : "s");
	else
		snprintf(who, sizeof(who), "pod %.200s", l->object[0] ? l->object : "-");
	snprintf(line, sizeof(line), "%s%s  since %s%s%s%s%s%s%s%s", l->paused ? "PAUSED  " : "",
		 who, since_names[l->since], l->previous ? "  previous" : "",
		 l->wrap ? "  wrap" : "", l->json ? "  json" : "", l->filter_on ? "  /" : "",
		 l->filter_on ? l->filter : "", l->conn_err[0] ? "  - " : "", l->conn_err);
	(void)p;
	draw_text_pad(c, 0, 0, line, c->r.w, canvas_attr(c, THEME_PANE_HINT));
}

static void draw_summary(struct logs *l, const struct canvas *c)
{
	int y = 1;
	char line[LOGTEXT_MASK_MAX + 32];

	snprintf(line, sizeof(line), "Error summary: %llu error/warning lines in %zu groups%s",
		 (unsigned long long)l->groups.total, l->groups.n,
		 l->groups.other ? " (+ other)" : "");
	draw_text_pad(c, y++, 0, line, c->r.w, canvas_attr(c, THEME_TABLE_HEADER));
	if (l->summary_top > (int)l->groups.n)
		l->summary_top = (int)l->groups.n;
	for (size_t i = (size_t)l->summary_top; i < l->groups.n && y < c->r.h; i++, y++) {
		snprintf(line, sizeof(line), "%7llu  %s", (unsigned long long)l->groups.g[i].count,
			 l->groups.g[i].key);
		draw_text_pad(c, y, 0, line, c->r.w, canvas_attr(c, THEME_NORMAL));
	}
}

/*
 * A pod's prefix: its name, or when long its tail ("8hlcr57fc7-8w7gh"), as
 * pods of one workload differ only at the end. Returns the columns used.
 */
static int pod_prefix(const char *name, char *out, size_t n)
{
	size_t len = strlen(name);
	const char *tail = len > PREFIX_MAX - 4 ? name + len - (PREFIX_MAX - 8) : name;

	return snprintf(out, n, "%s ", tail);
}

static void logs_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct logs *l = state_of(p);
	uint64_t nvis = logs_pane_visible(p), i;
	int y = c->r.h - 1;
	bool multi = l->npods > 1;

	(void)focused;
	draw_clear(c, canvas_attr(c, THEME_NORMAL));
	draw_status(p, l, c);
	if (l->summary) {
		draw_summary(l, c);
		return;
	}
	if (!nvis) {
		draw_text(c, 1, 1, l->object[0] || l->replay || l->sel ? "No log lines yet."
								       : "Select a pod in the Pods pane.",
			  c->r.w - 2, canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	i = l->paused && l->bottom < nvis ? l->bottom : nvis - 1;
	for (;; i--) {
		struct logline ln;
		struct err e = { 0 };
		struct rows r;
		char prefix[PREFIX_MAX + 4] = "";
		int px = 0;

		if (logring_get(l->ring, visible_seq(l, i), &ln, &e) != OD_OK)
			break;
		if (multi && ln.src < l->npods)
			px = pod_prefix(l->pods[ln.src]->name, prefix, sizeof(prefix));
		rows_build(l, &ln, c->r.w - px, c->ascii, &r);
		if (!r.text)
			break;
		for (size_t k = r.n; k-- > 0 && y >= 1; y--) {
			const char *s = r.text + r.starts[k];
			size_t len = (k + 1 < r.n ? r.starts[k + 1] : strlen(r.text) + 0) -
				     r.starts[k];

			/* rows of one source line end at its NUL (JSON lines were split in place) */
			len = strnlen(s, len);
			if (px)
				draw_text(c, y, 0, k == 0 ? prefix : "", px,
					  canvas_attr(c, pod_colours[ln.src % NCOLOURS]));
			draw_row_text(l, c, y, px, s, len, line_attr(c, ln.flags));
		}
		free(r.text);
		if (y < 1 || i == 0)
			break;
	}
}

/* --- pane ops --- */

static enum od_status logs_init(struct pane *p, struct err *e)
{
	struct logs *l = calloc(1, sizeof(*l));
	const char *replay = getenv("OPSDECK_LOGS_REPLAY");
	enum od_status rc;

	if (!l)
		return err_set(e, OD_ENOMEM, "out of memory");
	l->pane = p;
	p->state = l;
	logtext_groups_init(&l->groups);
	rc = logring_new(&l->ring, 0, NULL, e);
	if (rc != OD_OK)
		return rc;
	if (replay && *replay) {
		l->replay = true;
		rc = logs_pane_load_file(p, replay, e);
	}
	return rc;
}

static void logs_fini(struct pane *p)
{
	struct logs *l = state_of(p);

	if (!l)
		return;
	if (l->paint_timer && p->app && p->app->loop)
		loop_timer_cancel(p->app->loop, l->paint_timer);
	restart_all(l);
	if (l->filter_on)
		regfree(&l->filter_re);
	for (size_t i = 0; i < l->nerr; i++)
		regfree(&l->err_re[i]);
	for (size_t i = 0; i < l->nwarn; i++)
		regfree(&l->warn_re[i]);
	logtext_groups_fini(&l->groups);
	selector_free(&l->sel);
	kube_conn_free(&l->conn);
	logring_free(&l->ring);
	free(l->view);
	free(l);
	p->state = NULL;
}

static bool logs_needs_recalc(struct pane *p)
{
	struct logs *l = state_of(p);
	uint64_t gen = p->app->pods.ops ? p->app->pods.ops->generation(p->app->pods.self) : 0;

	follow_selection(p, l);
	if (gen != l->pods_gen) {
		l->pods_gen = gen;
		l->force = true;
	}
	/* A followed pod whose stream ended (container still starting...) is asked again. */
	for (size_t i = 0; i < l->npods && !l->force && !l->replay && !l->previous; i++) {
		const struct log_pod *lp = l->pods[i];

		if (lp->followed && !lp->streaming && lp->ended_at &&
		    p->app->now - lp->ended_at >= LOGS_RETRY_S)
			l->force = true;
	}
	return l->force || logring_count(l->ring) != l->seen;
}

static enum od_status logs_recalc(struct pane *p, struct err *e)
{
	struct logs *l = state_of(p);

	if (l->force) {
		l->force = false;
		load_patterns(p, l);
		sync_streams(p, l);
	}
	return logs_pane_sync(p, e);
}

static void logs_scroll(struct pane *p, struct logs *l, int64_t delta)
{
	uint64_t nvis = logs_pane_visible(p);
	int64_t b;

	if (!nvis)
		return;
	if (l->summary) {
		l->summary_top += (int)delta;
		if (l->summary_top < 0)
			l->summary_top = 0;
		return;
	}
	b = l->paused ? (int64_t)l->bottom : (int64_t)nvis - 1;
	b += delta;
	if (b < 0)
		b = 0;
	if (b >= (int64_t)nvis - 1 && delta > 0) {
		/* scrolling past the end follows again */
		l->paused = false;
		return;
	}
	l->paused = true;
	l->bottom = (uint64_t)b;
}

static void save_default(struct pane *p, struct logs *l)
{
	char path[LOGS_NAME_MAX + 64];
	struct err e = { 0 };

	snprintf(path, sizeof(path), "opsdeck-logs-%.200s-%lld.log",
		 l->sel ? "selector" : l->object[0] ? l->object : "replay", (long long)p->app->now);
	if (logs_pane_save(p, path, &e) == OD_OK)
		app_message(p->app, false, "saved %llu lines to %s",
			    (unsigned long long)logring_count(l->ring), path);
	else
		app_message(p->app, true, "save: %s", e.msg);
}

static bool logs_action(struct pane *p, enum action a)
{
	struct logs *l = state_of(p);

	switch (a) {
	case ACTION_MOVE_UP: logs_scroll(p, l, -1); break;
	case ACTION_MOVE_DOWN: logs_scroll(p, l, 1); break;
	case ACTION_PAGE_UP: logs_scroll(p, l, -10); break;
	case ACTION_PAGE_DOWN: logs_scroll(p, l, 10); break;
	case ACTION_FIRST:
		l->paused = true;
		l->bottom = 0;
		l->summary_top = 0;
		break;
	case ACTION_LAST:
		l->paused = false;
		break;
	case ACTION_LOG_PAUSE:
		l->paused = !l->paused;
		if (l->paused)
			l->bottom = logs_pane_visible(p) ? logs_pane_visible(p) - 1 : 0;
		break;
	case ACTION_LOG_WRAP: l->wrap = !l->wrap; break;
	case ACTION_LOG_JSON: l->json = !l->json; break;
	case ACTION_LOG_ERRORS:
		l->summary = !l->summary;
		l->summary_top = 0;
		l->force = true;
		break;
	case ACTION_LOG_PREVIOUS:
	case ACTION_LOG_SINCE:
		if (l->replay) {
			app_message(p->app, false, "replayed logs: no stream to ask again");
			return true;
		}
		if (a == ACTION_LOG_PREVIOUS)
			l->previous = !l->previous;
		else
			l->since = (l->since + 1) % NSINCE;
		restart_all(l);
		break;
	case ACTION_TARGET_NEXT:
		/* From a selector, m goes back to the selection's pod. */
		if (l->sel) {
			selector_free(&l->sel);
			l->workload = false;
		} else {
			l->workload = !l->workload;
		}
		l->target_key[0] = '\0';
		break;
	case ACTION_LOG_SAVE: save_default(p, l); break;
	default:
		return false;
	}
	p->dirty = true;
	return true;
}

static void logs_filter(struct pane *p, const char *text)
{
	struct logs *l = state_of(p);
	struct err e = { 0 };

	if (l->filter_on) {
		regfree(&l->filter_re);
		l->filter_on = false;
	}
	l->nview = 0;
	l->view_upto = 0;
	snprintf(l->filter, sizeof(l->filter), "%s", text ? text : "");
	if (l->filter[0]) {
		if (regcomp(&l->filter_re, l->filter, REG_EXTENDED) != 0) {
			/* A half-typed regex is normal while typing: show everything until it parses. */
			app_message(p->app, true, "filter: not a valid regular expression");
			l->filter[0] = '\0';
		} else {
			l->filter_on = true;
		}
	}
	l->bottom = 0;
	l->paused = false;
	index_to_end(l, &e);
	p->dirty = true;
}

static void logs_title_info(struct pane *p, char *out, size_t n)
{
	struct logs *l = state_of(p);

	if (l->filter_on)
		snprintf(out, n, "%llu/%llu", (unsigned long long)l->nview,
			 (unsigned long long)logring_count(l->ring));
	else
		snprintf(out, n, "%llu", (unsigned long long)logring_count(l->ring));
}

enum od_status logs_pane_follow_selector(struct pane *p, const char *ns, const char *selector,
					struct err *e)
{
	struct logs *l = state_of(p);
	struct selector *sel = NULL;
	enum od_status rc;

	if (l->replay)
		return err_set(e, OD_ESTATE, "logs: replayed logs follow no pods");
	if (!selector || !*selector) {
		/* Back to the Pods pane's selection. */
		selector_free(&l->sel);
		l->target_key[0] = '\0';
		l->force = true;
		p->dirty = true;
		return OD_OK;
	}
	if (!ns || !*ns)
		return err_set(e, OD_EUSAGE, "logs: which namespace? (:ns NAME, or select a pod)");
	rc = selector_parse(selector, &sel, e);
	if (rc != OD_OK)
		return rc;
	if (selector_is_empty(sel)) {
		selector_free(&sel);
		return err_set(e, OD_EUSAGE, "logs: an empty selector would follow every pod");
	}
	restart_all(l);
	selector_free(&l->sel);
	l->sel = sel;
	l->workload = false;
	snprintf(l->sel_text, sizeof(l->sel_text), "%s", selector);
	snprintf(l->ns, sizeof(l->ns), "%s", ns);
	l->object[0] = l->owner[0] = '\0';
	snprintf(l->target_key, sizeof(l->target_key), "sel|%.250s|%.250s", ns, selector);
	p->dirty = true;
	return OD_OK;
}

/* ":logs -l SELECTOR" (or "-lSELECTOR", "--selector=S"); ":logs" alone follows the selection. */
enum od_status logs_command(struct app *app, const char *arg, struct err *e)
{
	struct pane *p = NULL;
	const char *sel = NULL, *ns = app->status.namespace_;
	char selns[LOGS_NAME_MAX] = "", pick[2 * LOGS_NAME_MAX] = "";
	enum od_status rc;

	for (int i = 0; i < LAYOUT_PANES; i++)
		if (app->panes[i].ops == &logs_pane_ops)
			p = &app->panes[i];
	if (!p)
		return err_set(e, OD_ESTATE, "logs: no Logs pane");
	while (*arg == ' ')
		arg++;
	if (strncmp(arg, "-l", 2) == 0)
		sel = arg + 2;
	else if (strncmp(arg, "--selector=", 11) == 0)
		sel = arg + 11;
	else if (strncmp(arg, "--selector", 10) == 0)
		sel = arg + 10;
	else if (*arg)
		return err_set(e, OD_EUSAGE, "logs: -l SELECTOR (app=web,tier!=cache), or nothing "
			       "to follow the selected pod");
	while (sel && (*sel == ' ' || *sel == '='))
		sel++;
	if (sel && !*sel)
		return err_set(e, OD_EUSAGE, "logs: -l needs a selector (app=web)");
	/* The namespace shown, or the selected pod's when all are. */
	if (!ns[0] || strcmp(ns, "*") == 0) {
		struct pane *pods = &app->panes[0];
		char *slash;

		if (pods->ops && pods->ops->selection)
			pods->ops->selection(pods, pick, sizeof(pick));
		slash = strchr(pick, '/');
		if (slash)
			*slash = '\0';
		snprintf(selns, sizeof(selns), "%s", slash ? pick : "");
		ns = selns;
	}
	rc = logs_pane_follow_selector(p, ns, sel, e);
	if (rc != OD_OK)
		return rc;
	app_focus(app, p->index);
	if (sel)
		app_message(app, false, "logs: following -l %s in %s", sel, ns);
	else
		app_message(app, false, "logs: following the selected pod");
	return OD_OK;
}

void logs_pane_set_previous(struct pane *p, bool previous)
{
	struct logs *l = p->state;

	if (l->replay || l->previous == previous)
		return;
	l->previous = previous;
	restart_all(l);
	p->dirty = true;
}

static void logs_selection(struct pane *p, char *out, size_t n)
{
	struct logs *l = state_of(p);

	out[0] = '\0';
	if (l->object[0])
		snprintf(out, n, "%s/%s", l->ns, l->object);
}

const struct pane_ops logs_pane_ops = {
	.name = "logs",
	.title = "Logs",
	.init = logs_init,
	.fini = logs_fini,
	.needs_recalc = logs_needs_recalc,
	.recalc = logs_recalc,
	.draw = logs_draw,
	.action = logs_action,
	.filter = logs_filter,
	.title_info = logs_title_info,
	.selection = logs_selection,
};

/* --- files --- */

enum od_status logs_pane_load_file(struct pane *p, const char *path, struct err *e)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	enum od_status rc = OD_OK;

	if (!f)
		return err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
	state_of(p)->replay = true;
	while (rc == OD_OK && (n = getline(&line, &cap, f)) >= 0) {
		char *tab = memchr(line, '\t', (size_t)n);

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (tab) {
			*tab = '\0';
			rc = logs_pane_feed(p, line, tab + 1, (size_t)(line + n - tab - 1), e);
		} else {
			rc = logs_pane_feed(p, "-", line, (size_t)n, e);
		}
	}
	free(line);
	fclose(f);
	return rc;
}

enum od_status logs_pane_save(struct pane *p, const char *path, struct err *e)
{
	struct logs *l = state_of(p);
	uint64_t n = logring_count(l->ring);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f;
	enum od_status rc = OD_OK;

	if (fd < 0)
		return err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
	}
	for (uint64_t i = 0; i < n && rc == OD_OK; i++) {
		struct logline ln;

		rc = logring_get(l->ring, i, &ln, e);
		if (rc != OD_OK)
			break;
		if (l->npods > 1 && ln.src < l->npods)
			fprintf(f, "%s ", l->pods[ln.src]->name);
		fwrite(ln.text, 1, ln.len, f);
		fputc('\n', f);
	}
	if (fclose(f) != 0 && rc == OD_OK)
		rc = err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
	return rc;
}
