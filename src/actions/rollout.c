/*
 * rollout.c: kubectl's rollout-status rules (polymorphichelpers'
 * StatusViewer for Deployments, StatefulSets and DaemonSets) and the rollout
 * history that `kubectl rollout history/undo` read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/action_rollout.h"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static long num(const cJSON *o, const char *k, long dflt)
{
	const cJSON *x = get(o, k);

	return cJSON_IsNumber(x) ? (long)x->valuedouble : dflt;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *x = get(o, k);

	return cJSON_IsString(x) ? x->valuestring : NULL;
}

static bool progress_deadline_exceeded(const cJSON *status)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, get(status, "conditions")) {
		const char *t = str(c, "type"), *r = str(c, "reason");

		if (t && strcmp(t, "Progressing") == 0 && r &&
		    strcmp(r, "ProgressDeadlineExceeded") == 0)
			return true;
	}
	return false;
}

static enum action_progress eval_deployment(const cJSON *obj, const char *name, char *msg,
					    size_t n)
{
	const cJSON *md = get(obj, "metadata"), *sp = get(obj, "spec"), *st = get(obj, "status");
	long replicas = num(sp, "replicas", 1);
	long updated = num(st, "updatedReplicas", 0);
	long have = num(st, "replicas", 0);
	long avail = num(st, "availableReplicas", 0);

	if (num(md, "generation", 0) > num(st, "observedGeneration", 0)) {
		snprintf(msg, n, "Waiting for deployment spec update to be observed...");
		return ACTION_PROGRESS_WAITING;
	}
	if (progress_deadline_exceeded(st)) {
		snprintf(msg, n, "deployment \"%s\" exceeded its progress deadline", name);
		return ACTION_PROGRESS_FAILED;
	}
	if (updated < replicas) {
		snprintf(msg, n, "Waiting for deployment \"%s\" rollout to finish: %ld out of %ld "
			 "new replicas have been updated...", name, updated, replicas);
		return ACTION_PROGRESS_WAITING;
	}
	if (have > updated) {
		snprintf(msg, n, "Waiting for deployment \"%s\" rollout to finish: %ld old replicas "
			 "are pending termination...", name, have - updated);
		return ACTION_PROGRESS_WAITING;
	}
	if (avail < updated) {
		snprintf(msg, n, "Waiting for deployment \"%s\" rollout to finish: %ld of %ld "
			 "updated replicas are available...", name, avail, updated);
		return ACTION_PROGRESS_WAITING;
	}
	snprintf(msg, n, "deployment \"%s\" successfully rolled out", name);
	return ACTION_PROGRESS_DONE;
}

static bool rolling_update(const cJSON *sp)
{
	const char *t = str(get(sp, "updateStrategy"), "type");

	return !t || strcmp(t, "RollingUpdate") == 0;
}

static enum action_progress eval_daemonset(const cJSON *obj, const char *name, char *msg,
					   size_t n)
{
	const cJSON *md = get(obj, "metadata"), *sp = get(obj, "spec"), *st = get(obj, "status");
	long desired = num(st, "desiredNumberScheduled", 0);
	long updated = num(st, "updatedNumberScheduled", 0);
	long avail = num(st, "numberAvailable", 0);

	if (!rolling_update(sp)) {
		snprintf(msg, n, "rollout status is only available for RollingUpdate strategy type");
		return ACTION_PROGRESS_FAILED;
	}
	if (num(md, "generation", 0) > num(st, "observedGeneration", 0)) {
		snprintf(msg, n, "Waiting for daemon set spec update to be observed...");
		return ACTION_PROGRESS_WAITING;
	}
	if (updated < desired) {
		snprintf(msg, n, "Waiting for daemon set \"%s\" rollout to finish: %ld out of %ld new "
			 "pods have been updated...", name, updated, desired);
		return ACTION_PROGRESS_WAITING;
	}
	if (avail < desired) {
		snprintf(msg, n, "Waiting for daemon set \"%s\" rollout to finish: %ld of %ld updated "
			 "pods are available...", name, avail, desired);
		return ACTION_PROGRESS_WAITING;
	}
	snprintf(msg, n, "daemon set \"%s\" successfully rolled out", name);
	return ACTION_PROGRESS_DONE;
}

static enum action_progress eval_statefulset(const cJSON *obj, char *msg, size_t n)
{
	const cJSON *md = get(obj, "metadata"), *sp = get(obj, "spec"), *st = get(obj, "status");
	long replicas = num(sp, "replicas", 1);
	long ready = num(st, "readyReplicas", 0);
	long seen = num(st, "observedGeneration", 0);
	const cJSON *ru = get(get(sp, "updateStrategy"), "rollingUpdate");
	const char *cur = str(st, "currentRevision"), *upd = str(st, "updateRevision");

	if (!rolling_update(sp)) {
		snprintf(msg, n, "rollout status is only available for RollingUpdate strategy type");
		return ACTION_PROGRESS_FAILED;
	}
	if (seen == 0 || num(md, "generation", 0) > seen) {
		snprintf(msg, n, "Waiting for statefulset spec update to be observed...");
		return ACTION_PROGRESS_WAITING;
	}
	if (ready < replicas) {
		snprintf(msg, n, "Waiting for %ld pods to be ready...", replicas - ready);
		return ACTION_PROGRESS_WAITING;
	}
	if (cJSON_IsNumber(get(ru, "partition")) && num(ru, "partition", 0) > 0) {
		long part = num(ru, "partition", 0);
		long updated = num(st, "updatedReplicas", 0);

		if (updated < replicas - part) {
			snprintf(msg, n, "Waiting for partitioned roll out to finish: %ld out of %ld new "
				 "pods have been updated...", updated, replicas - part);
			return ACTION_PROGRESS_WAITING;
		}
		snprintf(msg, n, "partitioned roll out complete: %ld new pods have been updated...",
			 updated);
		return ACTION_PROGRESS_DONE;
	}
	if (upd && (!cur || strcmp(cur, upd) != 0)) {
		snprintf(msg, n, "waiting for statefulset rolling update to complete %ld pods at "
			 "revision %s...", num(st, "updatedReplicas", 0), upd);
		return ACTION_PROGRESS_WAITING;
	}
	snprintf(msg, n, "statefulset rolling update complete %ld pods at revision %s...",
		 num(st, "currentReplicas", 0), cur ? cur : "");
	return ACTION_PROGRESS_DONE;
}

enum action_progress rollout_status_eval(const cJSON *obj, char *msg, size_t n)
{
	const char *kind = str(obj, "kind");
	const char *name = str(get(obj, "metadata"), "name");

	if (!name)
		name = "";
	if (kind && strcmp(kind, "Deployment") == 0)
		return eval_deployment(obj, name, msg, n);
	if (kind && strcmp(kind, "DaemonSet") == 0)
		return eval_daemonset(obj, name, msg, n);
	if (kind && strcmp(kind, "StatefulSet") == 0)
		return eval_statefulset(obj, msg, n);
	snprintf(msg, n, "no status viewer has been implemented for %s", kind ? kind : "?");
	return ACTION_PROGRESS_FAILED;
}

void rollout_template_images(const cJSON *template, char *out, size_t n)
{
	const cJSON *c;
	size_t len = 0;

	if (n)
		out[0] = '\0';
	cJSON_ArrayForEach(c, get(get(template, "spec"), "containers")) {
		const char *nm = str(c, "name"), *img = str(c, "image");
		int w = snprintf(out + len, n - len, "%s%s=%s", len ? "," : "", nm ? nm : "",
				 img ? img : "");

		if (w < 0 || (size_t)w >= n - len)
			return;
		len += (size_t)w;
	}
}

static bool owned_by(const cJSON *obj, const char *uid)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, get(get(obj, "metadata"), "ownerReferences")) {
		const char *u = str(r, "uid");

		if (u && strcmp(u, uid) == 0)
			return true;
	}
	return false;
}

/* A ReplicaSet's template, or a ControllerRevision's data.spec.template. */
static cJSON *revision_template(const cJSON *item, bool is_sts)
{
	const cJSON *t = is_sts ? get(get(get(item, "data"), "spec"), "template")
				: get(get(item, "spec"), "template");
	cJSON *dup = t ? cJSON_Duplicate(t, 1) : cJSON_CreateObject();
	cJSON *labels = cJSON_GetObjectItemCaseSensitive(get(dup, "metadata"), "labels");

	/* kubectl drops the hash label: the Deployment's template never has it */
	cJSON_DeleteItemFromObjectCaseSensitive(labels, "pod-template-hash");
	cJSON_DeleteItemFromObjectCaseSensitive(dup, "$patch");
	return dup;
}

static int cmp_rev(const void *a, const void *b)
{
	const struct rollout_revision *x = a, *y = b;

	return (x->revision > y->revision) - (x->revision < y->revision);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

enum od_status rollout_history_build(const cJSON *workload, const cJSON *owned_list,
				     struct rollout_history *h, struct err *e)
{
	const char *uid = str(get(workload, "metadata"), "uid");
	const char *kind = str(workload, "kind");
	bool is_sts = kind && strcmp(kind, "StatefulSet") == 0;
	const cJSON *item;

	memset(h, 0, sizeof *h);
	if (!uid)
		return err_set(e, OD_EPARSE, "error: the workload has no metadata.uid");
	cJSON_ArrayForEach(item, get(owned_list, "items")) {
		const cJSON *ann = get(get(item, "metadata"), "annotations");
		struct rollout_revision r = { 0 };
		struct rollout_revision *nv;
		char images[1024];

		if (!owned_by(item, uid))
			continue;
		if (is_sts) {
			r.revision = num(item, "revision", 0);
		} else {
			const char *rv = str(ann, "deployment.kubernetes.io/revision");

			r.revision = rv ? strtoll(rv, NULL, 10) : 0;
		}
		if (r.revision <= 0)
			continue;
		nv = realloc(h->v, (h->n + 1) * sizeof *h->v);
		if (!nv) {
			rollout_history_free(h);
			return err_set(e, OD_ENOMEM, "out of memory");
		}
		h->v = nv;
		r.template = revision_template(item, is_sts);
		rollout_template_images(r.template, images, sizeof images);
		r.images = strdup(images);
		r.created = dup_or_null(str(get(item, "metadata"), "creationTimestamp"));
		r.change_cause = dup_or_null(str(ann, "kubernetes.io/change-cause"));
		h->v[h->n++] = r;
	}
	if (h->n > 1)
		qsort(h->v, h->n, sizeof *h->v, cmp_rev);
	return OD_OK;
}

void rollout_history_free(struct rollout_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].images);
		free(h->v[i].created);
		free(h->v[i].change_cause);
		cJSON_Delete(h->v[i].template);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

const struct rollout_revision *rollout_history_pick(const struct rollout_history *h,
						    int64_t to_revision, struct err *e)
{
	if (to_revision > 0) {
		for (size_t i = 0; i < h->n; i++)
			if (h->v[i].revision == to_revision)
				return &h->v[i];
		err_set(e, OD_ENOENT, "error: unable to find specified revision %lld in history",
			(long long)to_revision);
		return NULL;
	}
	if (h->n < 2) {
		err_set(e, OD_ENOENT, "error: no rollout history found");
		return NULL;
	}
	return &h->v[h->n - 2];
}
