/*
 * promsource.c: history from Prometheus query_range (see promsource.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/alerts.h"
#include "opsdeck/buf.h"
#include "opsdeck/http.h"
#include "opsdeck/promsource.h"

/* A PromQL string literal's inside: backslash and double quote escaped. */
static bool quote(const char *s, char *out, size_t n)
{
	size_t j = 0;

	for (; *s; s++) {
		if (j + 3 >= n)
			return false;
		if (*s == '\\' || *s == '"')
			out[j++] = '\\';
		out[j++] = *s;
	}
	out[j] = '\0';
	return true;
}

enum od_status prom_expr(enum prom_metric m, const struct prom_target *t, int64_t step_s,
			 char *out, size_t n, struct err *e)
{
	char ns[600] = "", who[1024] = "", q[512];
	const char *family = NULL, *extra = "";
	int w;

	if (t->namespace_ && t->namespace_[0]) {
		if (!quote(t->namespace_, q, sizeof(q)))
			return err_set(e, OD_ELIMIT, "namespace too long");
		snprintf(ns, sizeof(ns), "namespace=\"%s\",", q);
	}
	if (m == PROM_STORAGE_USED || m == PROM_STORAGE_CAPACITY) {
		if (!t->pvc || !quote(t->pvc, q, sizeof(q)))
			return err_set(e, OD_EINVAL, "storage history needs a PVC");
		snprintf(who, sizeof(who), "persistentvolumeclaim=\"%s\"", q);
		w = snprintf(out, n, "%s{%s%s}",
			     m == PROM_STORAGE_USED ? "kubelet_volume_stats_used_bytes"
						    : "kubelet_volume_stats_capacity_bytes", ns, who);
		return w > 0 && (size_t)w < n ? OD_OK : err_set(e, OD_ELIMIT, "query too long");
	}
	if (t->pod) {
		if (!quote(t->pod, q, sizeof(q)))
			return err_set(e, OD_ELIMIT, "pod name too long");
		snprintf(who, sizeof(who), "pod=\"%s\"", q);
	} else if (t->pod_regex) {
		if (!quote(t->pod_regex, q, sizeof(q)))
			return err_set(e, OD_ELIMIT, "pod pattern too long");
		snprintf(who, sizeof(who), "pod=~\"%s\"", q);
	} else {
		return err_set(e, OD_EINVAL, "give a pod or a workload");
	}
	switch (m) {
	case PROM_CPU:
		/* irate: the last two scrapes, as the metrics API's short windows are. */
		w = snprintf(out, n, "irate(container_cpu_usage_seconds_total{%s%s}[%" PRId64
			     "s]) * 1000", ns, who, step_s > 60 ? step_s : 60);
		return w > 0 && (size_t)w < n ? OD_OK : err_set(e, OD_ELIMIT, "query too long");
	case PROM_MEMORY: family = "container_memory_working_set_bytes"; break;
	case PROM_RESTARTS: family = "kube_pod_container_status_restarts_total"; break;
	case PROM_READY:
		family = "kube_pod_status_ready";
		extra = "condition=\"true\",";
		break;
	default: return err_set(e, OD_EINVAL, "no Prometheus series for that metric");
	}
	w = snprintf(out, n, "%s{%s%s%s}", family, extra, ns, who);
	return w > 0 && (size_t)w < n ? OD_OK : err_set(e, OD_ELIMIT, "query too long");
}

void prom_range_free(struct prom_range *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int cmp_ts(const void *a, const void *b)
{
	const struct prom_point *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

enum od_status prom_range_parse(const char *json, size_t len, struct prom_range *r,
				struct err *e)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *data, *res, *series, *vals, *pt;
	struct prom_point *v = NULL;
	size_t n = 0, cap = 0, nseries = 0;
	enum od_status rc = OD_OK;

	prom_range_free(r);
	if (!root) {
		rc = err_set(e, OD_EPARSE, "Prometheus: malformed JSON");
		goto out;
	}
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	res = cJSON_GetObjectItemCaseSensitive(data, "result");
	if (!cJSON_IsArray(res) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(data, "resultType")) ||
	    strcmp(cJSON_GetObjectItemCaseSensitive(data, "resultType")->valuestring, "matrix") != 0) {
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");

		rc = err_set(e, OD_EPARSE, "Prometheus: %s",
			     cJSON_IsString(err) ? err->valuestring : "not a matrix answer");
		goto out;
	}
	cJSON_ArrayForEach(series, res) {
		vals = cJSON_GetObjectItemCaseSensitive(series, "values");
		if (!cJSON_IsArray(vals))
			continue;
		nseries++;
		cJSON_ArrayForEach(pt, vals) {
			const cJSON *t = cJSON_GetArrayItem(pt, 0), *x = cJSON_GetArrayItem(pt, 1);
			double val;

			if (!cJSON_IsNumber(t) || !cJSON_IsString(x))
				continue;
			val = strtod(x->valuestring, NULL);
			if (!isfinite(val))
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 256;
				struct prom_point *nv;

				if (nc > (size_t)PROM_MAX_POINTS * 64) {
					rc = err_set(e, OD_ELIMIT, "Prometheus: too many points");
					goto out;
				}
				nv = realloc(v, nc * sizeof(*nv));
				if (!nv) {
					rc = err_set(e, OD_ENOMEM, "out of memory");
					goto out;
				}
				v = nv;
				cap = nc;
			}
			v[n++] = (struct prom_point){ .ts = (int64_t)llround(t->valuedouble),
						      .value = val, .min = val, .max = val,
						      .series = 1 };
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_ts);
	/* Sum the series per timestamp. */
	{
		size_t o = 0;

		for (size_t i = 0; i < n; i++) {
			if (o && v[o - 1].ts == v[i].ts) {
				v[o - 1].value += v[i].value;
				v[o - 1].min = v[i].min < v[o - 1].min ? v[i].min : v[o - 1].min;
				v[o - 1].max = v[i].max > v[o - 1].max ? v[i].max : v[o - 1].max;
				v[o - 1].series++;
				continue;
			}
			v[o++] = v[i];
		}
		n = o;
	}
	r->v = v;
	r->n = n;
	r->nseries = nseries;
	v = NULL;
out:
	free(v);
	cJSON_Delete(root);
	return rc;
}

static void url_escape(const char *s, struct buf *b)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char enc[4] = { '%', hex[c >> 4], hex[c & 15], 0 };

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			buf_append(b, s, 1, NULL);
		else
			buf_append(b, enc, 3, NULL);
	}
}

enum od_status prom_range_path(const char *expr, int64_t start, int64_t end, int64_t step,
			       struct buf *path, struct err *e)
{
	if (step < 1 || end < start)
		return err_set(e, OD_ERANGE, "Prometheus: a window with a step of at least 1s");
	if ((end - start) / step + 1 > PROM_MAX_POINTS)
		return err_set(e, OD_ERANGE, "Prometheus: %" PRId64 " points per series (at most %d): "
			       "raise --step", (end - start) / step + 1, PROM_MAX_POINTS);
	buf_reset(path);
	buf_append_str(path, "/api/v1/query_range?query=", NULL);
	url_escape(expr, path);
	return buf_printf(path, e, "&start=%" PRId64 "&end=%" PRId64 "&step=%" PRId64, start, end,
			  step);
}

enum od_status prom_query_range(struct loop *lp, const char *url, const char *expr,
				int64_t start, int64_t end, int64_t step, struct prom_range *r,
				struct err *e)
{
	struct http_conn conn = { .server = url, .cluster_name = "prometheus",
				  .request_timeout_ms = 60000 };
	struct http_client *c = NULL;
	struct buf path, body;
	long code = 0;
	char base[1024], shown[1024];
	enum od_status rc;

	/* The base without a trailing slash: the path starts with one. */
	snprintf(base, sizeof(base), "%s", url);
	while (strlen(base) > 1 && base[strlen(base) - 1] == '/')
		base[strlen(base) - 1] = '\0';
	conn.server = base;
	am_url_display(base, shown, sizeof(shown));
	buf_init(&path, 64 * 1024);
	buf_init(&body, PROM_BODY_MAX);
	rc = prom_range_path(expr, start, end, step, &path, e);
	if (rc == OD_OK)
		rc = http_client_new(lp, &conn, NULL, &c, e);
	if (rc == OD_OK) {
		struct http_request rq = { .path = buf_cstr(&path), .max_body = PROM_BODY_MAX };

		rc = http_do(c, &rq, &body, &code, e);
		if (rc != OD_OK && code)
			rc = err_set(e, rc, "Prometheus %s: HTTP %ld: %.200s", shown, code,
				     buf_cstr(&body));
		else if (rc != OD_OK)
			err_prefix(e, "Prometheus %s: ", shown);
	}
	if (rc == OD_OK)
		rc = prom_range_parse(buf_cstr(&body), body.len, r, e);
	http_client_free(&c);
	buf_free(&path);
	buf_free(&body);
	return rc;
}
