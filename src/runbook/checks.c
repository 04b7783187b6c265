/*
 * checks.c: the check runner's dispatch and what the per-kind files share
 * (name resolution, JSON GETs, evidence fields). See runbook_checks.h.
 */
#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/runbook_checks.h"
#include "opsdeck/timeutil.h"

void check_field_set(char *field, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(field, n, fmt, ap);
	va_end(ap);
}

void check_field_append(char *field, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(field, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(field + len, n - len, fmt, ap);
	va_end(ap);
}

void check_result_unknown(struct check_result *r, const char *fmt, ...)
{
	va_list ap;

	r->status = CHECK_STATUS_UNKNOWN;
	va_start(ap, fmt);
	vsnprintf(r->evidence, sizeof(r->evidence), fmt, ap);
	va_end(ap);
}

void check_result_judge(struct check_result *r, const struct check_spec *cs, int64_t v)
{
	r->status = check_judge(cs, v);
	if (!r->value[0])
		check_format_value(cs, v, r->value, sizeof(r->value));
	check_format_target(cs, r->threshold, sizeof(r->threshold));
}

void check_target_resolve(const struct check_env *env, const struct check_spec *cs,
			  struct check_target *t)
{
	const struct profile *p = env->profile;
	const struct profile_workload *w = cs->workload ? profile_find_workload(p, cs->workload)
						       : NULL;

	memset(t, 0, sizeof(*t));
	t->namespace = cs->namespace;
	if (!t->namespace && w)
		t->namespace = w->namespace;
	if (!t->namespace && cs->pvc) {
		for (size_t i = 0; i < p->npvcs; i++)
			if (strcmp(p->pvcs[i].name, cs->pvc) == 0)
				t->namespace = p->pvcs[i].namespace;
	}
	if (!t->namespace && cs->probe) {
		for (size_t i = 0; i < p->nprobes; i++)
			if (strcmp(p->probes[i].name, cs->probe) == 0)
				t->namespace = p->probes[i].namespace;
	}
	if (!t->namespace && cs->certificate) {
		for (size_t i = 0; i < p->ncerts; i++)
			if (strcmp(p->certs[i].name, cs->certificate) == 0)
				t->namespace = p->certs[i].namespace;
	}
	if (!t->namespace && p->namespaces.n)
		t->namespace = p->namespaces.v[0];
	if (!t->namespace)
		t->namespace = "default";
	t->selector = cs->selector ? cs->selector : (w ? w->selector : NULL);
	t->container = cs->container ? cs->container : (w ? w->container : NULL);
	if (cs->workload) {
		const char *slash = strchr(cs->workload, '/');

		if (slash) {
			snprintf(t->kind_buf, sizeof(t->kind_buf), "%.*s",
				 (int)(slash - cs->workload), cs->workload);
			snprintf(t->name_buf, sizeof(t->name_buf), "%s", slash + 1);
			t->workload_kind = t->kind_buf;
			t->workload_name = t->name_buf;
		}
	}
}

int64_t check_time_parse(const char *s)
{
	struct od_time t;

	if (!s || !*s || time_parse_rfc3339(s, &t, NULL) != OD_OK)
		return -1;
	return t.sec;
}

enum od_status check_get_json(const struct check_env *env, const char *path, cJSON **json,
			      long *code, struct err *e)
{
	struct buf body;
	enum od_status rc;

	*json = NULL;
	*code = 0;
	if (!env->api_get)
		return err_set(e, OD_ECONFIG, "no cluster connection");
	buf_init(&body, CHECK_BODY_MAX);
	rc = env->api_get(env->api_arg, path, &body, code, e);
	if (rc != OD_OK)
		goto out;
	if (*code < 200 || *code > 299) {
		rc = err_set(e, OD_EHTTP, "GET %s: HTTP %ld", path, *code);
		goto out;
	}
	*json = cJSON_ParseWithLength(buf_cstr(&body), body.len);
	if (!*json)
		rc = err_set(e, OD_EPARSE, "GET %s: malformed JSON from the server", path);
out:
	/* a Secret's data may be in there (tls_cert): never leave it in freed memory */
	if (body.data)
		explicit_bzero(body.data, body.len);
	buf_free(&body);
	return rc;
}

/* How bad a status is, for combining: PASS < UNKNOWN < WARN < FAIL. */
static int status_rank(enum check_status s)
{
	switch (s) {
	case CHECK_STATUS_PASS:
		return 0;
	case CHECK_STATUS_UNKNOWN:
		return 1;
	case CHECK_STATUS_WARN:
		return 2;
	case CHECK_STATUS_FAIL:
		return 3;
	}
	return 1;
}

typedef void (*pvc_check_fn)(const struct check_env *env, const struct check_spec *cs,
			     struct check_result *r);

/*
 * A claim kind given a workload instead of a pvc checks each of the
 * workload's claims; the worst result wins and every claim's value shows.
 */
static void check_each_pvc(const struct check_env *env, const struct check_spec *cs,
			   pvc_check_fn fn, struct check_result *r)
{
	const struct profile_workload *w = cs->workload ? profile_find_workload(env->profile,
										cs->workload)
						       : NULL;
	struct check_spec one = *cs;
	struct check_result part;

	if (cs->pvc || !w || w->pvcs.n == 0) {
		fn(env, cs, r);
		return;
	}
	if (w->pvcs.n == 1) {
		one.pvc = w->pvcs.v[0];
		fn(env, &one, r);
		return;
	}
	r->status = CHECK_STATUS_PASS;
	for (size_t i = 0; i < w->pvcs.n; i++) {
		memset(&part, 0, sizeof(part));
		part.status = CHECK_STATUS_UNKNOWN;
		one.pvc = w->pvcs.v[i];
		fn(env, &one, &part);
		if (status_rank(part.status) > status_rank(r->status))
			r->status = part.status;
		check_field_append(r->value, sizeof(r->value), "%s%s: %s", i ? ", " : "", one.pvc,
				   part.value[0] ? part.value : check_status_name(part.status));
		check_field_append(r->evidence, sizeof(r->evidence), "%s%s: %s", i ? "; " : "",
				   one.pvc, part.evidence);
		if (!r->threshold[0])
			check_field_set(r->threshold, sizeof(r->threshold), "%s", part.threshold);
		if (!r->source[0])
			check_field_set(r->source, sizeof(r->source), "%s", part.source);
	}
}

enum od_status check_run(const struct check_env *env, const struct checklist_item *item,
			 struct check_result *r, struct err *e)
{
	const struct check_spec *cs = &item->check;

	memset(r, 0, sizeof(*r));
	r->status = CHECK_STATUS_UNKNOWN;
	switch (cs->kind) {
	case CHECK_PODS_READY:
		check_pods_ready(env, cs, r);
		break;
	case CHECK_RESTARTS:
		check_restarts(env, cs, r);
		break;
	case CHECK_CPU:
	case CHECK_MEMORY:
		if (cs->stat == CHECK_STAT_WEEKLY_AVG)
			check_usage_weekly(env, cs, r);
		else
			check_usage_now(env, cs, r);
		break;
	case CHECK_PVC_USAGE:
		check_each_pvc(env, cs, check_pvc_usage, r);
		break;
	case CHECK_PVC_BOUND:
		check_each_pvc(env, cs, check_pvc_bound, r);
		break;
	case CHECK_STORAGE_GROWTH:
		check_each_pvc(env, cs, check_storage_growth, r);
		break;
	case CHECK_NO_WARNING_EVENTS:
		check_warning_events(env, cs, r);
		break;
	case CHECK_LOG_PATTERNS:
		return check_log_patterns(env, cs, r, e);
	case CHECK_SNAPSHOT_RECENT:
		check_snapshot_recent(env, cs, r);
		break;
	case CHECK_BACKUP_JOB:
		check_backup_job(env, cs, r);
		break;
	case CHECK_ROLLOUT_COMPLETE:
		check_rollout_complete(env, cs, r);
		break;
	case CHECK_HTTP_PROBE:
		check_http_probe(env, cs, r);
		break;
	case CHECK_TLS_CERT:
		check_tls_cert(env, cs, r);
		break;
	case CHECK_PROMETHEUS_QUERY:
		check_prometheus_query(env, cs, r);
		break;
	case CHECK_NO_FIRING_ALERTS:
		check_no_firing_alerts(env, cs, r);
		break;
	case CHECK_NODES_READY:
		check_nodes_ready(env, cs, r);
		break;
	case CHECK_MANUAL:
	case CHECK_KIND_COUNT:
		check_field_set(r->source, sizeof(r->source), "operator");
		check_result_unknown(r, "manual item: not done%s%s", cs->prompt ? " — " : "",
				     cs->prompt ? cs->prompt : "");
		break;
	}
	return OD_OK;
}
