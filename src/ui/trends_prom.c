/*
 * trends_prom.c: Prometheus as the Trends pane's source (ui_trends_prom.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/alerts.h"
#include "opsdeck/buf.h"
#include "opsdeck/http.h"
#include "opsdeck/promsource.h"
#include "opsdeck/settings.h"
#include "opsdeck/ui_trends_prom.h"

/* One request in flight; owned by the source's list until it completes. */
struct prom_call {
	struct prom_call *next;
	struct prom_src *src;           /* borrowed: the owner */
	struct http_call *call;         /* borrowed: the client's */
	trends_done_fn done;
	void *arg;                      /* borrowed */
};

struct prom_src {
	struct http_client *http;       /* owned */
	char shown[1024];               /* the URL without user:password */
	struct prom_call *calls;        /* owned list */
};

static enum od_status prom_open(struct loop *lp, const char *context, void **out, char *where,
				size_t nwhere, struct err *e)
{
	struct settings *set = NULL;
	struct context_settings cs = { 0 };
	struct prom_src *s = NULL;
	char base[1024] = "";
	enum od_status rc;

	*out = NULL;
	if (where && nwhere)
		where[0] = '\0';
	rc = settings_load(NULL, &set, e);
	if (rc != OD_OK)
		goto out;
	settings_for_context(set, context ? context : "", &cs);
	if (!cs.prometheus_url || !cs.prometheus_url[0])
		goto out;
	snprintf(base, sizeof(base), "%s", cs.prometheus_url);
	while (strlen(base) > 1 && base[strlen(base) - 1] == '/')
		base[strlen(base) - 1] = '\0';
	s = calloc(1, sizeof(*s));
	if (!s) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	am_url_display(base, s->shown, sizeof(s->shown));
	{
		struct http_conn conn = { .server = base, .cluster_name = "prometheus",
					  .request_timeout_ms = 30000 };

		rc = http_client_new(lp, &conn, NULL, &s->http, e);
	}
	if (rc != OD_OK) {
		err_prefix(e, "Prometheus %s: ", s->shown);
		free(s);
		goto out;
	}
	if (where)
		snprintf(where, nwhere, "%s", s->shown);
	*out = s;
out:
	settings_free(&set);
	return rc;
}

static void prom_close(void **p)
{
	struct prom_src *s = *p;

	if (!s)
		return;
	http_client_free(&s->http);   /* cancels every call without callbacks */
	while (s->calls) {
		struct prom_call *c = s->calls;

		s->calls = c->next;
		free(c);
	}
	free(s);
	*p = NULL;
}

static void unlink_call(struct prom_src *s, struct prom_call *c)
{
	for (struct prom_call **pp = &s->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			return;
		}
}

static void on_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct prom_call *c = arg;
	struct prom_src *s = c->src;
	struct prom_range r = { 0 };
	struct trends_points pts = { 0 };
	struct err e = { 0 };
	enum od_status st = res->status;
	int64_t *t = NULL;
	double *v = NULL;

	(void)call;
	unlink_call(s, c);
	if (st != OD_OK && res->code) {
		err_set(&e, st, "Prometheus %s: HTTP %ld: %.200s", s->shown, res->code,
			res->body ? buf_cstr(res->body) : "");
	} else if (st != OD_OK) {
		err_set(&e, st, "Prometheus %s: %s", s->shown,
			res->err ? res->err->msg : "the request failed");
	} else {
		st = prom_range_parse(res->body ? buf_cstr(res->body) : "",
				      res->body ? res->body->len : 0, &r, &e);
		if (st != OD_OK)
			err_prefix(&e, "%s: ", s->shown);
	}
	if (st == OD_OK && r.n) {
		t = malloc(r.n * sizeof(*t));
		v = malloc(r.n * sizeof(*v));
		if (!t || !v)
			st = err_set(&e, OD_ENOMEM, "out of memory");
		for (size_t i = 0; st == OD_OK && i < r.n; i++) {
			t[i] = r.v[i].ts;
			v[i] = r.v[i].value;
		}
		pts.n = r.n;
	}
	pts.t = t;
	pts.v = v;
	pts.nseries = r.nseries;
	if (st != OD_OK)
		memset(&pts, 0, sizeof(pts));
	c->done(c->arg, st, st == OD_OK ? &pts : NULL, st == OD_OK ? NULL : &e);
	free(t);
	free(v);
	prom_range_free(&r);
	free(c);
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

/* "web-" -> "web-.*" with RE2's metacharacters escaped (pod names hold '.'). */
static void prefix_regex(const char *prefix, char *out, size_t n)
{
	size_t j = 0;

	for (; *prefix && j + 4 < n; prefix++) {
		if (strchr(".+*?()[]{}|^$\\", *prefix))
			out[j++] = '\\';
		out[j++] = *prefix;
	}
	snprintf(out + j, n - j, ".*");
}

static enum od_status prom_start(void *p, const struct trends_query *q, trends_done_fn done,
				 void *arg, struct err *e)
{
	struct prom_src *s = p;
	struct prom_target tg = { .namespace_ = q->namespace_, .pod = q->pod, .pvc = q->pvc };
	char re[600], expr[4200], inner[4096];
	struct prom_call *c = NULL;
	struct buf path;
	enum od_status rc;

	if (q->pod_prefix) {
		prefix_regex(q->pod_prefix, re, sizeof(re));
		tg.pod_regex = re;
	}
	rc = prom_expr(prom_metric_of(q->metric), &tg, q->step, inner, sizeof(inner), e);
	if (rc != OD_OK)
		return rc;
	/* The weekly average: each point the mean over the step before it, at 15 s. */
	if (q->step_average)
		snprintf(expr, sizeof(expr), "avg_over_time((%s)[%" PRId64 "s:15s])", inner, q->step);
	else
		snprintf(expr, sizeof(expr), "%s", inner);
	buf_init(&path, 64 * 1024);
	rc = prom_range_path(expr, q->from, q->to, q->step, &path, e);
	if (rc == OD_OK && !(c = calloc(1, sizeof(*c))))
		rc = err_set(e, OD_ENOMEM, "out of memory");
	if (rc == OD_OK) {
		struct http_request rq = { .path = buf_cstr(&path), .max_body = PROM_BODY_MAX,
					   .on_done = on_done, .arg = c };

		c->src = s;
		c->done = done;
		c->arg = arg;
		rc = http_start(s->http, &rq, &c->call, e);
		if (rc == OD_OK) {
			c->next = s->calls;
			s->calls = c;
			c = NULL;
		} else {
			err_prefix(e, "Prometheus %s: ", s->shown);
		}
	}
	free(c);
	buf_free(&path);
	return rc;
}

const struct trends_source_ops trends_prom_source = {
	.name = "prometheus",
	.open = prom_open,
	.close = prom_close,
	.start = prom_start,
};
