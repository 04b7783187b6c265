/*
 * checks_k8s.c: the kinds answered by the API server's objects: pods_ready,
 * pvc_bound, pvc_usage (the kubelet's stats summary through the node proxy),
 * cpu/memory now (metrics.k8s.io), snapshot_recent, backup_job,
 * rollout_complete (kubectl rollout status's rules) and nodes_ready.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/quantity.h"
#include "opsdeck/runbook_checks.h"

/* Percent-encodes s for a query value (RFC 3986 unreserved kept). */
static void query_escape(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t j = 0;

	for (; *s && j + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			out[j++] = (char)c;
		} else {
			out[j++] = '%';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		}
	}
	out[j] = '\0';
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t jint(const cJSON *o, const char *key, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

static const cJSON *jpath(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b && v ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

/* An UNKNOWN result for a failed GET, naming the cause. */
static void unknown_from_err(struct check_result *r, const char *what, long code,
			     const struct err *e)
{
	if (code == 404)
		check_result_unknown(r, "%s: not found (HTTP 404)", what);
	else
		check_result_unknown(r, "%s: %s", what, e->msg);
}

/* Lists pods of t in its namespace into *out (owned). */
static enum od_status list_pods(const struct check_env *env, const struct check_target *t,
				cJSON **out, long *code, struct err *e)
{
	char path[1024], sel[512] = "";

	if (t->selector)
		query_escape(t->selector, sel, sizeof(sel));
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods%s%s", t->namespace,
		 sel[0] ? "?labelSelector=" : "", sel);
	return check_get_json(env, path, out, code, e);
}

static const char *pod_name(const cJSON *pod)
{
	const char *n = jstr(jpath(pod, "metadata", NULL), "name");

	return n ? n : "?";
}

static bool pod_is_ready(const cJSON *pod)
{
	const char *phase = jstr(jpath(pod, "status", NULL), "phase");
	const cJSON *conds = jpath(pod, "status", "conditions");
	const cJSON *c;

	if (!phase || strcmp(phase, "Running") != 0)
		return false;
	cJSON_ArrayForEach(c, conds) {
		const char *type = jstr(c, "type"), *st = jstr(c, "status");

		if (type && st && strcmp(type, "Ready") == 0)
			return strcmp(st, "True") == 0;
	}
	return false;
}

/* The replicas a workload wants (-1 when unknown), so 0 pods of 1 fails. */
static int64_t workload_desired(const struct check_env *env, const struct check_target *t)
{
	char path[1024];
	cJSON *w = NULL;
	long code;
	struct err e = { 0 };
	int64_t n = -1;

	if (!t->workload_kind || strcmp(t->workload_kind, "daemonset") == 0)
		return -1;
	snprintf(path, sizeof(path), "/apis/apps/v1/namespaces/%s/%ss/%s", t->namespace,
		 t->workload_kind, t->workload_name);
	if (check_get_json(env, path, &w, &code, &e) != OD_OK)
		return -1;
	n = jint(jpath(w, "spec", NULL), "replicas", 1);
	cJSON_Delete(w);
	return n;
}

void check_pods_ready(const struct check_env *env, const struct check_spec *cs,
		      struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	cJSON *list = NULL;
	const cJSON *pod;
	long code;
	int64_t total = 0, ready = 0, want;

	check_target_resolve(env, cs, &t);
	check_field_set(r->source, sizeof(r->source), "pods in %s%s%s (API)", t.namespace,
			t.selector ? " -l " : "", t.selector ? t.selector : "");
	if (list_pods(env, &t, &list, &code, &e) != OD_OK) {
		unknown_from_err(r, "list pods", code, &e);
		return;
	}
	cJSON_ArrayForEach(pod, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		const char *phase = jstr(jpath(pod, "status", NULL), "phase");

		if (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0))
			continue;
		if (jpath(pod, "metadata", "deletionTimestamp"))
			continue;
		total++;
		if (pod_is_ready(pod))
			ready++;
		else
			check_field_append(r->evidence, sizeof(r->evidence), "%snot ready: %s (%s)",
					   r->evidence[0] ? "; " : "",
					   pod_name(pod),
					   phase ? phase : "?");
	}
	cJSON_Delete(list);
	want = workload_desired(env, &t);
	if (want >= 0 && want > total) {
		check_field_append(r->evidence, sizeof(r->evidence), "%s%s wants %lld replicas",
				   r->evidence[0] ? "; " : "", cs->workload, (long long)want);
		total = want;
	}
	if (total == 0)
		check_field_append(r->evidence, sizeof(r->evidence), "%sno pods%s%s",
				   r->evidence[0] ? "; " : "", want == 0 ? ": " : "",
				   want == 0 ? "the workload is scaled to 0 replicas" : "");
	check_field_set(r->value, sizeof(r->value), "%lld/%lld Running and Ready",
			(long long)ready, (long long)total);
	check_result_judge(r, cs, total > 0 && ready == total);
	check_field_set(r->threshold, sizeof(r->threshold), "all Running and Ready");
}

/* The node's Ready condition: "True", "False", "Unknown", or NULL when it has none. */
static const char *node_ready_status(const cJSON *node)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, jpath(node, "status", "conditions")) {
		const char *type = jstr(c, "type");

		if (type && strcmp(type, "Ready") == 0)
			return jstr(c, "status");
	}
	return NULL;
}

void check_nodes_ready(const struct check_env *env, const struct check_spec *cs,
		       struct check_result *r)
{
	char path[1024], sel[512] = "";
	struct err e = { 0 };
	cJSON *list = NULL;
	const cJSON *node;
	long code;
	int64_t total = 0, ready = 0;

	if (cs->selector)
		query_escape(cs->selector, sel, sizeof(sel));
	snprintf(path, sizeof(path), "/api/v1/nodes%s%s", sel[0] ? "?labelSelector=" : "", sel);
	check_field_set(r->source, sizeof(r->source), "nodes%s%s (API)",
			cs->selector ? " -l " : "", cs->selector ? cs->selector : "");
	if (check_get_json(env, path, &list, &code, &e) != OD_OK) {
		unknown_from_err(r, "list nodes", code, &e);
		return;
	}
	cJSON_ArrayForEach(node, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		const char *st = node_ready_status(node);
		const char *name = jstr(jpath(node, "metadata", NULL), "name");
		bool cordoned = cJSON_IsTrue(jpath(node, "spec", "unschedulable"));

		total++;
		if (st && strcmp(st, "True") == 0) {
			ready++;
			if (cordoned)
				check_field_append(r->evidence, sizeof(r->evidence),
						   "%s%s: Ready, SchedulingDisabled",
						   r->evidence[0] ? "; " : "", name ? name : "?");
			continue;
		}
		check_field_append(r->evidence, sizeof(r->evidence), "%snot ready: %s (Ready=%s)",
				   r->evidence[0] ? "; " : "", name ? name : "?", st ? st : "none");
	}
	cJSON_Delete(list);
	if (total == 0)
		check_field_append(r->evidence, sizeof(r->evidence), "%sno nodes",
				   r->evidence[0] ? "; " : "");
	check_field_set(r->value, sizeof(r->value), "%lld/%lld Ready", (long long)ready,
			(long long)total);
	check_result_judge(r, cs, total > 0 && ready == total);
	check_field_set(r->threshold, sizeof(r->threshold), "all Ready");
}

void check_pvc_bound(const struct check_env *env, const struct check_spec *cs,
		     struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	char path[1024];
	cJSON *pvc = NULL;
	long code;
	const char *phase;

	check_target_resolve(env, cs, &t);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/persistentvolumeclaims/%s",
		 t.namespace, cs->pvc ? cs->pvc : "");
	check_field_set(r->source, sizeof(r->source), "persistentvolumeclaim %s/%s (API)",
			t.namespace, cs->pvc ? cs->pvc : "");
	if (check_get_json(env, path, &pvc, &code, &e) != OD_OK) {
		if (code == 404) {
			check_field_set(r->value, sizeof(r->value), "missing");
			check_result_judge(r, cs, 0);
			check_field_set(r->evidence, sizeof(r->evidence), "the claim does not exist");
		} else {
			unknown_from_err(r, "get persistentvolumeclaim", code, &e);
		}
		return;
	}
	phase = jstr(jpath(pvc, "status", NULL), "phase");
	check_field_set(r->value, sizeof(r->value), "%s", phase ? phase : "no phase");
	check_result_judge(r, cs, phase && strcmp(phase, "Bound") == 0);
	check_field_set(r->threshold, sizeof(r->threshold), "Bound");
	cJSON_Delete(pvc);
}

/* Finds the claim's volume in one node's stats summary. */
static bool summary_find_pvc(const cJSON *sum, const char *ns, const char *pvc, int64_t *used,
			     int64_t *cap)
{
	const cJSON *pod, *vol;

	cJSON_ArrayForEach(pod, cJSON_GetObjectItemCaseSensitive(sum, "pods")) {
		cJSON_ArrayForEach(vol, cJSON_GetObjectItemCaseSensitive(pod, "volume")) {
			const cJSON *ref = cJSON_GetObjectItemCaseSensitive(vol, "pvcRef");
			const char *n = jstr(ref, "name"), *s = jstr(ref, "namespace");

			if (n && s && strcmp(n, pvc) == 0 && strcmp(s, ns) == 0) {
				*used = jint(vol, "usedBytes", -1);
				*cap = jint(vol, "capacityBytes", -1);
				return *used >= 0 && *cap > 0;
			}
		}
	}
	return false;
}

void check_pvc_usage(const struct check_env *env, const struct check_spec *cs,
		     struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	cJSON *nodes = NULL;
	const cJSON *node;
	long code;
	int64_t used = -1, cap = -1;
	char why[600] = "";
	bool found = false;

	check_target_resolve(env, cs, &t);
	check_field_set(r->source, sizeof(r->source),
			"kubelet stats summary (nodes/NODE/proxy/stats/summary), claim %s/%s",
			t.namespace, cs->pvc ? cs->pvc : "");
	if (check_get_json(env, "/api/v1/nodes", &nodes, &code, &e) != OD_OK) {
		unknown_from_err(r, "list nodes", code, &e);
		return;
	}
	cJSON_ArrayForEach(node, cJSON_GetObjectItemCaseSensitive(nodes, "items")) {
		const char *name = jstr(jpath(node, "metadata", NULL), "name");
		char path[512];
		cJSON *sum = NULL;

		if (!name)
			continue;
		snprintf(path, sizeof(path), "/api/v1/nodes/%s/proxy/stats/summary", name);
		if (check_get_json(env, path, &sum, &code, &e) != OD_OK) {
			if (!why[0])
				snprintf(why, sizeof(why), "node %s: %s", name,
					 code == 404 ? "stats summary not served (HTTP 404)" : e.msg);
			continue;
		}
		found = summary_find_pvc(sum, t.namespace, cs->pvc ? cs->pvc : "", &used, &cap);
		cJSON_Delete(sum);
		if (found)
			break;
	}
	cJSON_Delete(nodes);
	if (!found) {
		check_result_unknown(r, "no usage for the claim in any node's stats summary%s%s",
				     why[0] ? ": " : "", why);
		return;
	}
	{
		char u[32], c[32];
		int64_t pct = (int64_t)((double)used * 10000.0 / (double)cap + 0.5);

		check_result_judge(r, cs, pct);
		quantity_format_bytes(used, u, sizeof(u));
		quantity_format_bytes(cap, c, sizeof(c));
		check_field_set(r->evidence, sizeof(r->evidence), "%s used of %s", u, c);
	}
}

/* Sums a pod's container usage (one container when t->container is set). */
static int64_t pod_metric_sum(const cJSON *pm, const struct check_target *t, bool cpu)
{
	const cJSON *c;
	int64_t sum = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(pm, "containers")) {
		const char *name = jstr(c, "name");
		const char *q = jstr(cJSON_GetObjectItemCaseSensitive(c, "usage"),
				     cpu ? "cpu" : "memory");
		int64_t v;

		if (t->container && (!name || strcmp(name, t->container) != 0))
			continue;
		if (q && (cpu ? quantity_parse_milli(q, &v) : quantity_parse_value(q, &v)))
			sum += v;
	}
	return sum;
}

void check_usage_now(const struct check_env *env, const struct check_spec *cs,
		     struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	char path[1024], sel[512] = "";
	cJSON *list = NULL;
	const cJSON *pm;
	const char *worst = NULL;
	long code;
	int64_t max = -1;
	bool cpu = cs->kind == CHECK_CPU;

	check_target_resolve(env, cs, &t);
	if (t.selector)
		query_escape(t.selector, sel, sizeof(sel));
	snprintf(path, sizeof(path), "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods%s%s",
		 t.namespace, sel[0] ? "?labelSelector=" : "", sel);
	check_field_set(r->source, sizeof(r->source), "metrics.k8s.io pods in %s%s%s%s%s",
			t.namespace, t.selector ? " -l " : "", t.selector ? t.selector : "",
			t.container ? " -c " : "", t.container ? t.container : "");
	if (check_get_json(env, path, &list, &code, &e) != OD_OK) {
		if (code == 404 || code == 503)
			check_result_unknown(r, "metrics API not available: the cluster does not "
					     "serve metrics.k8s.io (HTTP %ld); install metrics-server", code);
		else
			unknown_from_err(r, "metrics.k8s.io", code, &e);
		return;
	}
	cJSON_ArrayForEach(pm, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		int64_t v = pod_metric_sum(pm, &t, cpu);

		if (v > max) {
			max = v;
			worst = jstr(jpath(pm, "metadata", NULL), "name");
		}
	}
	if (max < 0) {
		check_result_unknown(r, "metrics.k8s.io has no sample for these pods yet");
	} else {
		check_result_judge(r, cs, max);
		check_field_set(r->evidence, sizeof(r->evidence), "highest pod: %s",
				worst ? worst : "?");
	}
	cJSON_Delete(list);
}

/* The newest VolumeSnapshot of the claim; readyToUse and age. */
void check_snapshot_recent(const struct check_env *env, const struct check_spec *cs,
			   struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	char path[1024];
	cJSON *list = NULL;
	const cJSON *s, *best = NULL;
	int64_t best_t = -1;
	long code;

	check_target_resolve(env, cs, &t);
	snprintf(path, sizeof(path),
		 "/apis/snapshot.storage.k8s.io/v1/namespaces/%s/volumesnapshots", t.namespace);
	check_field_set(r->source, sizeof(r->source), "volumesnapshots of %s/%s (API)",
			t.namespace, cs->pvc ? cs->pvc : "");
	if (check_get_json(env, path, &list, &code, &e) != OD_OK) {
		unknown_from_err(r, "list volumesnapshots", code, &e);
		return;
	}
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		const char *claim = jstr(jpath(s, "spec", "source"), "persistentVolumeClaimName");
		const char *ct = jstr(jpath(s, "status", NULL), "creationTime");
		int64_t when = check_time_parse(ct ? ct : jstr(jpath(s, "metadata", NULL),
								"creationTimestamp"));

		if (!claim || !cs->pvc || strcmp(claim, cs->pvc) != 0)
			continue;
		if (when > best_t) {
			best_t = when;
			best = s;
		}
	}
	if (!best) {
		check_result_judge(r, cs, -1);
		check_field_set(r->evidence, sizeof(r->evidence), "no VolumeSnapshot of the claim");
	} else {
		const cJSON *ready = jpath(best, "status", "readyToUse");
		int64_t age = env->now - best_t;
		const char *name = jstr(jpath(best, "metadata", NULL), "name");

		check_result_judge(r, cs, age < 0 ? 0 : age);
		check_field_set(r->evidence, sizeof(r->evidence), "newest: %s, readyToUse=%s",
				name ? name : "?", cJSON_IsTrue(ready) ? "true" : "false");
		if (!cJSON_IsTrue(ready)) {
			r->status = CHECK_STATUS_FAIL;
			check_field_append(r->evidence, sizeof(r->evidence), " (not ready to use)");
		}
	}
	cJSON_Delete(list);
}

/* A Job's outcome: 1 Complete, 0 Failed, -1 still running. *when: its end. */
static int job_outcome(const cJSON *job, int64_t *when)
{
	const cJSON *c;

	*when = check_time_parse(jstr(jpath(job, "status", NULL), "completionTime"));
	cJSON_ArrayForEach(c, jpath(job, "status", "conditions")) {
		const char *type = jstr(c, "type"), *st = jstr(c, "status");

		if (!type || !st || strcmp(st, "True") != 0)
			continue;
		if (strcmp(type, "Complete") == 0) {
			if (*when < 0)
				*when = check_time_parse(jstr(c, "lastTransitionTime"));
			return 1;
		}
		if (strcmp(type, "Failed") == 0) {
			*when = check_time_parse(jstr(c, "lastTransitionTime"));
			return 0;
		}
	}
	return -1;
}

static bool job_matches(const cJSON *job, bool cron, const char *name)
{
	const cJSON *o;

	if (!cron) {
		const char *n = jstr(jpath(job, "metadata", NULL), "name");

		return n && strcmp(n, name) == 0;
	}
	cJSON_ArrayForEach(o, jpath(job, "metadata", "ownerReferences")) {
		const char *k = jstr(o, "kind"), *n = jstr(o, "name");

		if (k && n && strcmp(k, "CronJob") == 0 && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

void check_backup_job(const struct check_env *env, const struct check_spec *cs,
		      struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	char path[1024];
	cJSON *list = NULL;
	const cJSON *job, *last = NULL;
	const char *ref = cs->job ? cs->job : "", *slash = strchr(ref, '/');
	const char *name = slash ? slash + 1 : ref;
	bool cron = strncmp(ref, "cronjob/", 8) == 0;
	int64_t last_t = -1, ok_t = -1;
	long code;
	int outcome = -1;

	check_target_resolve(env, cs, &t);
	snprintf(path, sizeof(path), "/apis/batch/v1/namespaces/%s/jobs", t.namespace);
	check_field_set(r->source, sizeof(r->source), "jobs of %s in %s (API)", ref, t.namespace);
	if (check_get_json(env, path, &list, &code, &e) != OD_OK) {
		unknown_from_err(r, "list jobs", code, &e);
		return;
	}
	cJSON_ArrayForEach(job, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		int64_t when, created = check_time_parse(jstr(jpath(job, "metadata", NULL),
							       "creationTimestamp"));
		int o;

		if (!job_matches(job, cron, name))
			continue;
		o = job_outcome(job, &when);
		if (o < 0)
			continue;        /* still running: judge the last finished run */
		if (when < 0)
			when = created;
		if (when > last_t) {
			last_t = when;
			last = job;
			outcome = o;
		}
		if (o == 1 && when > ok_t)
			ok_t = when;
	}
	if (!last) {
		check_result_judge(r, cs, -1);
		check_field_set(r->evidence, sizeof(r->evidence), "no finished run of %s", ref);
	} else {
		const char *jn = jstr(jpath(last, "metadata", NULL), "name");

		check_result_judge(r, cs, env->now - last_t < 0 ? 0 : env->now - last_t);
		check_field_set(r->evidence, sizeof(r->evidence), "last run: job %s %s",
				jn ? jn : "?", outcome ? "succeeded" : "failed");
		if (!outcome) {
			r->status = CHECK_STATUS_FAIL;
			check_field_set(r->value, sizeof(r->value), "failed");
		}
	}
	cJSON_Delete(list);
}

/* kubectl rollout status's rules (polymorphichelpers/rollout_status.go). */
static bool rollout_done(const char *kind, const cJSON *o, char *why, size_t n)
{
	const cJSON *spec = jpath(o, "spec", NULL), *st = jpath(o, "status", NULL);
	int64_t gen = jint(jpath(o, "metadata", NULL), "generation", 0);
	int64_t obs = jint(st, "observedGeneration", 0);

	if (gen > obs) {
		snprintf(why, n, "waiting for the rollout spec update to be observed");
		return false;
	}
	if (strcmp(kind, "deployment") == 0) {
		const cJSON *c;
		int64_t want = jint(spec, "replicas", 1), upd = jint(st, "updatedReplicas", 0);
		int64_t all = jint(st, "replicas", 0), avail = jint(st, "availableReplicas", 0);

		cJSON_ArrayForEach(c, jpath(st, "conditions", NULL)) {
			const char *type = jstr(c, "type"), *reason = jstr(c, "reason");

			if (type && reason && strcmp(type, "Progressing") == 0 &&
			    strcmp(reason, "ProgressDeadlineExceeded") == 0) {
				snprintf(why, n, "exceeded its progress deadline");
				return false;
			}
		}
		if (upd < want) {
			snprintf(why, n, "%lld out of %lld new replicas have been updated",
				 (long long)upd, (long long)want);
			return false;
		}
		if (all > upd) {
			snprintf(why, n, "%lld old replicas are pending termination",
				 (long long)(all - upd));
			return false;
		}
		if (avail < upd) {
			snprintf(why, n, "%lld of %lld updated replicas are available",
				 (long long)avail, (long long)upd);
			return false;
		}
		snprintf(why, n, "successfully rolled out");
		return true;
	}
	if (strcmp(kind, "statefulset") == 0) {
		int64_t want = jint(spec, "replicas", 1), ready = jint(st, "readyReplicas", 0);
		const char *cur = jstr(st, "currentRevision"), *upd = jstr(st, "updateRevision");

		if (ready < want) {
			snprintf(why, n, "%lld of %lld pods are ready", (long long)ready,
				 (long long)want);
			return false;
		}
		if (cur && upd && strcmp(cur, upd) != 0) {
			snprintf(why, n, "waiting for statefulset rolling update to complete "
				 "(%lld pods at revision %s)", (long long)jint(st, "updatedReplicas", 0),
				 upd);
			return false;
		}
		snprintf(why, n, "rolling update complete, %lld pods at revision %s",
			 (long long)want, cur ? cur : "?");
		return true;
	}
	{
		int64_t desired = jint(st, "desiredNumberScheduled", 0);
		int64_t upd = jint(st, "updatedNumberScheduled", 0);
		int64_t avail = jint(st, "numberAvailable", 0);

		if (upd < desired) {
			snprintf(why, n, "%lld out of %lld new pods have been updated",
				 (long long)upd, (long long)desired);
			return false;
		}
		if (avail < desired) {
			snprintf(why, n, "%lld of %lld updated pods are available",
				 (long long)avail, (long long)desired);
			return false;
		}
		snprintf(why, n, "successfully rolled out");
		return true;
	}
}

void check_rollout_complete(const struct check_env *env, const struct check_spec *cs,
			    struct check_result *r)
{
	struct check_target t;
	struct err e = { 0 };
	char path[1024], why[256];
	cJSON *o = NULL;
	long code;
	bool done;

	check_target_resolve(env, cs, &t);
	if (!t.workload_kind) {
		check_result_unknown(r, "no workload named");
		return;
	}
	snprintf(path, sizeof(path), "/apis/apps/v1/namespaces/%s/%ss/%s", t.namespace,
		 t.workload_kind, t.workload_name);
	check_field_set(r->source, sizeof(r->source), "%s in %s (API, kubectl rollout status rules)",
			cs->workload, t.namespace);
	if (check_get_json(env, path, &o, &code, &e) != OD_OK) {
		if (code == 404) {
			check_field_set(r->value, sizeof(r->value), "missing");
			check_result_judge(r, cs, 0);
			check_field_set(r->evidence, sizeof(r->evidence), "%s not found",
					cs->workload);
		} else {
			unknown_from_err(r, "get workload", code, &e);
		}
		return;
	}
	done = rollout_done(t.workload_kind, o, why, sizeof(why));
	check_field_set(r->value, sizeof(r->value), "%s", done ? "complete" : "in progress");
	check_result_judge(r, cs, done);
	check_field_set(r->threshold, sizeof(r->threshold), "rollout complete");
	check_field_set(r->evidence, sizeof(r->evidence), "%s", why);
	cJSON_Delete(o);
}
