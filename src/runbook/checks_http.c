/*
 * checks_http.c: http_probe through the API server's service proxy, and the
 * kinds that ask monitoring: prometheus_query (an instant query) and
 * no_firing_alerts (Alertmanager API v2). Those two are UNKNOWN when
 * config.yaml names no URL for the context.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/runbook_checks.h"

/* Percent-encodes s for a query value. */
static void url_escape(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t j = 0;

	for (; *s && j + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			out[j++] = (char)c;
		} else {
			out[j++] = '%';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		}
	}
	out[j] = '\0';
}

/*
 * A WebSocket endpoint (status 101) cannot be upgraded through a plain GET
 * on the service proxy; an answer from the service itself (2xx, or a
 * server's 400/426 "not a WebSocket handshake") shows it is up.
 */
static bool status_matches(int want, long got)
{
	if (want == 101)
		return got == 101 || (got >= 200 && got <= 299) || got == 400 || got == 426;
	return got == want;
}

void check_http_probe(const struct check_env *env, const struct check_spec *cs,
		      struct check_result *r)
{
	const struct http_probe *hp = NULL;
	struct check_target t;
	struct err e = { 0 };
	struct buf body;
	char path[1024];
	long code = 0;
	bool ok;

	for (size_t i = 0; cs->probe && i < env->profile->nprobes; i++)
		if (strcmp(env->profile->probes[i].name, cs->probe) == 0)
			hp = &env->profile->probes[i];
	if (!hp) {
		check_result_unknown(r, "no probe named %s in the profile", cs->probe ? cs->probe : "");
		return;
	}
	check_target_resolve(env, cs, &t);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/services/%s:%d/proxy%s%s",
		 hp->namespace ? hp->namespace : t.namespace, hp->service, hp->port,
		 hp->path && hp->path[0] == '/' ? "" : "/", hp->path ? hp->path : "");
	check_field_set(r->source, sizeof(r->source), "GET %s (service proxy)", path);
	check_field_set(r->threshold, sizeof(r->threshold), "want HTTP %d%s%s%s", hp->status,
			hp->body_contains ? ", body contains \"" : "",
			hp->body_contains ? hp->body_contains : "", hp->body_contains ? "\"" : "");
	buf_init(&body, 1024 * 1024);
	if (env->api_get(env->api_arg, path, &body, &code, &e) != OD_OK) {
		/* no response at all: the proxy path could not be reached */
		check_field_set(r->value, sizeof(r->value), "no response");
		r->status = CHECK_STATUS_FAIL;
		check_field_set(r->evidence, sizeof(r->evidence), "%s", e.msg);
		buf_free(&body);
		return;
	}
	ok = status_matches(hp->status, code) &&
	     (!hp->body_contains || strstr(buf_cstr(&body), hp->body_contains) != NULL);
	check_field_set(r->value, sizeof(r->value), "HTTP %ld", code);
	r->status = check_judge(cs, ok);
	if (ok && hp->status == 101 && code != 101)
		check_field_set(r->evidence, sizeof(r->evidence),
				"the WebSocket endpoint answered a plain GET (the service proxy "
				"cannot switch protocols, so any 2xx, 400 or 426 counts as up)");
	else if (!status_matches(hp->status, code))
		check_field_set(r->evidence, sizeof(r->evidence), "status %ld, want %d; body: %.200s",
				code, hp->status, buf_cstr(&body));
	else if (!ok)
		check_field_set(r->evidence, sizeof(r->evidence),
				"body does not contain \"%s\": %.200s", hp->body_contains,
				buf_cstr(&body));
	else
		check_field_set(r->evidence, sizeof(r->evidence), "%zu-byte body", body.len);
	buf_free(&body);
}

/* GET an absolute URL as JSON; UNKNOWN into r on failure. */
static cJSON *url_json(const struct check_env *env, const char *url, struct check_result *r)
{
	struct buf body;
	struct err e = { 0 };
	long code = 0;
	cJSON *j = NULL;

	if (!env->url_get) {
		check_result_unknown(r, "no HTTP client for %s", url);
		return NULL;
	}
	buf_init(&body, CHECK_BODY_MAX);
	if (env->url_get(env->url_arg, url, &body, &code, &e) != OD_OK)
		check_result_unknown(r, "%s", e.msg);
	else if (code < 200 || code > 299)
		check_result_unknown(r, "HTTP %ld from %s: %.200s", code, url, buf_cstr(&body));
	else if (!(j = cJSON_ParseWithLength(buf_cstr(&body), body.len)))
		check_result_unknown(r, "malformed JSON from %s", url);
	buf_free(&body);
	return j;
}

void check_prometheus_query(const struct check_env *env, const struct check_spec *cs,
			    struct check_result *r)
{
	char url[4096], q[2048];
	cJSON *j;
	const cJSON *res, *val;
	double v;

	check_field_set(r->source, sizeof(r->source), "Prometheus: %s", cs->query ? cs->query : "");
	if (!env->prometheus_url) {
		check_result_unknown(r, "Prometheus not configured: set prometheus for context "
				     "%s in config.yaml", env->context ? env->context : "(none)");
		return;
	}
	url_escape(cs->query ? cs->query : "", q, sizeof(q));
	snprintf(url, sizeof(url), "%s%sapi/v1/query?query=%s", env->prometheus_url,
		 env->prometheus_url[strlen(env->prometheus_url) - 1] == '/' ? "" : "/", q);
	if (!(j = url_json(env, url, r)))
		return;
	res = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "data"),
					      "result");
	val = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(res, 0),
								   "value"), 1);
	if (!cJSON_IsString(val)) {
		check_result_unknown(r, "the query returned no sample");
	} else {
		v = strtod(val->valuestring, NULL);
		if (!isfinite(v))
			check_result_unknown(r, "the query returned %s", val->valuestring);
		else {
			check_result_judge(r, cs, (int64_t)llround(v * 1000.0));
			check_field_set(r->evidence, sizeof(r->evidence), "%d series; first: %s",
					cJSON_GetArraySize(res), val->valuestring);
		}
	}
	cJSON_Delete(j);
}

bool check_prometheus_scalar(const struct check_env *env, const char *expr, double *v,
			     struct check_result *r)
{
	char url[8192], q[6144];
	const cJSON *res, *val;
	cJSON *j;
	bool ok = false;

	if (!env->prometheus_url) {
		check_result_unknown(r, "Prometheus not configured: set prometheus for context "
				     "%s in config.yaml", env->context ? env->context : "(none)");
		return false;
	}
	url_escape(expr, q, sizeof(q));
	snprintf(url, sizeof(url), "%s%sapi/v1/query?query=%s", env->prometheus_url,
		 env->prometheus_url[strlen(env->prometheus_url) - 1] == '/' ? "" : "/", q);
	if (!(j = url_json(env, url, r)))
		return false;
	res = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "data"),
					      "result");
	val = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(res, 0),
								   "value"), 1);
	if (!cJSON_IsString(val))
		check_result_unknown(r, "Prometheus returned no sample for %s", expr);
	else if (!isfinite(*v = strtod(val->valuestring, NULL)))
		check_result_unknown(r, "Prometheus returned %s for %s", val->valuestring, expr);
	else
		ok = true;
	cJSON_Delete(j);
	return ok;
}

void check_no_firing_alerts(const struct check_env *env, const struct check_spec *cs,
			    struct check_result *r)
{
	char url[4096], m[512];
	cJSON *j;
	const cJSON *a;
	int64_t n = 0;

	check_field_set(r->source, sizeof(r->source), "Alertmanager: active alerts");
	for (size_t i = 0; i < cs->matchers.n; i++)
		check_field_append(r->source, sizeof(r->source), "%s%s", i ? ", " : " matching ",
				   cs->matchers.v[i]);
	if (!env->alertmanager_url) {
		check_result_unknown(r, "Alertmanager not configured: set alertmanager for "
				     "context %s in config.yaml", env->context ? env->context : "(none)");
		return;
	}
	snprintf(url, sizeof(url), "%s%sapi/v2/alerts?active=true&silenced=false&inhibited=false",
		 env->alertmanager_url,
		 env->alertmanager_url[strlen(env->alertmanager_url) - 1] == '/' ? "" : "/");
	for (size_t i = 0; i < cs->matchers.n; i++) {
		url_escape(cs->matchers.v[i], m, sizeof(m));
		strncat(url, "&filter=", sizeof(url) - strlen(url) - 1);
		strncat(url, m, sizeof(url) - strlen(url) - 1);
	}
	if (!(j = url_json(env, url, r)))
		return;
	cJSON_ArrayForEach(a, j) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(a, "status"), "state");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(a, "labels"), "alertname");

		if (cJSON_IsString(st) && strcmp(st->valuestring, "active") != 0)
			continue;
		n++;
		check_field_append(r->evidence, sizeof(r->evidence), "%s%s", n > 1 ? ", " : "firing: ",
				   cJSON_IsString(name) ? name->valuestring : "?");
	}
	check_result_judge(r, cs, n);
	check_field_set(r->threshold, sizeof(r->threshold), "none firing");
	if (!n)
		check_field_set(r->evidence, sizeof(r->evidence), "no firing alerts");
	cJSON_Delete(j);
}
