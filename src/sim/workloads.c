/*
 * workloads.c: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and
 * CronJob controllers, after kube-controller-manager's, reduced to the
 * behaviour kubectl and the runbooks can observe: names, labels, revisions,
 * rolling updates with maxSurge/maxUnavailable, status and conditions, and
 * the events they record.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_workloads.h"

#define REV_ANN "deployment.kubernetes.io/revision"
#define CHANGE_CAUSE "kubernetes.io/change-cause"

static void template_hash(const cJSON *tmpl, char *out, size_t n)
{
	char *key = sim_objects_template_key(tmpl);
	uint64_t h = sim_rng_fnv(SIM_FNV_INIT, key ? key : "");
	free(key);
	sim_rng_hash_name(h, out, n);
}

static int64_t ann_int(const cJSON *obj, const char *key)
{
	const char *v = sim_json_annotation(obj, key);
	return v ? strtoll(v, NULL, 10) : 0;
}

static void set_ann_int(cJSON *obj, const char *key, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	sim_json_set_annotation(obj, key, buf);
}

/* Sets a status integer, removing it when zero (the API's omitempty). */
static void set_count(cJSON *obj, const char *path, int64_t v, bool keep_zero)
{
	if (v == 0 && !keep_zero)
		sim_json_remove(obj, path);
	else
		sim_json_set_num(obj, path, (double)v);
}

/* maxSurge / maxUnavailable: an int or a percentage of replicas. */
static int64_t int_or_percent(const cJSON *v, const char *dflt, int64_t total, bool round_up)
{
	const char *str = cJSON_IsString(v) ? v->valuestring : (v ? NULL : dflt);
	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	if (str) {
		size_t len = strlen(str);
		long long p = strtoll(str, NULL, 10);
		if (len && str[len - 1] == '%')
			return round_up ? (p * total + 99) / 100 : (p * total) / 100;
		return p;
	}
	return 0;
}

struct pod_counts {
	int64_t active, ready;
};

static struct pod_counts count_pods(struct sim *s, const char *ns, const char *uid)
{
	struct pod_counts c = { 0, 0 };
	struct sim_obj **pods;
	size_t n = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < n; i++) {
		const cJSON *p = pods[i]->json;
		if (!sim_ctrl_owned_by(p, uid) || sim_ctrl_pod_terminating_p(p) ||
		    sim_ctrl_pod_finished(p))
			continue;
		c.active++;
		if (sim_ctrl_pod_ready(p))
			c.ready++;
	}
	return c;
}

/*
 * Pods owned by uid that may still run: not Succeeded or Failed, terminating
 * ones included. The Recreate strategy waits for these (the deployment
 * controller's oldPodsRunning): a terminating pod still holds its host ports
 * and its ReadWriteOnce volume until the kubelet has stopped it.
 */
static int64_t count_pods_running(struct sim *s, const char *ns, const char *uid)
{
	int64_t n_running = 0;
	struct sim_obj **pods;
	size_t n = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < n; i++)
		if (sim_ctrl_owned_by(pods[i]->json, uid) && !sim_ctrl_pod_finished(pods[i]->json))
			n_running++;
	return n_running;
}

/* ---- ReplicaSet ---- */

static int pod_delete_rank(const cJSON *p)
{
	if (!sim_json_str(p, "spec.nodeName"))
		return 0;
	if (strcmp(sim_json_str_or(p, "status.phase", ""), "Running") != 0)
		return 1;
	if (!sim_ctrl_pod_ready(p))
		return 2;
	return 3;
}

static void rs_reconcile_one(struct sim *s, struct sim_obj *rs)
{
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(rs->json, "metadata.uid", ""));
	int64_t want = sim_json_int(rs->json, "spec.replicas", 1);
	struct sim_keys k;
	int64_t active = 0;
	char ns[64], name[254];

	snprintf(ns, sizeof(ns), "%s", rs->ns);
	snprintf(name, sizeof(name), "%s", rs->name);
	sim_ctrl_keys(s, SIM_RES_PODS, ns, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *p = sim_store_get(s->store, SIM_RES_PODS, ns, k.v[i].name);
		if (p && sim_ctrl_owned_by(p->json, uid) && !sim_ctrl_pod_terminating_p(p->json) &&
		    !sim_ctrl_pod_finished(p->json))
			active++;
	}
	while (active < want) {
		char pname[300], sfx[6];
		sim_rng_suffix(&s->rng, sfx, sizeof(sfx));
		snprintf(pname, sizeof(pname), "%s-%s", name, sfx);
		rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, name);
		if (!rs)
			break;
		struct sim_obj *pod = sim_ctrl_create_pod(s, rs->json, sim_json_get(rs->json, "spec.template"),
							  pname, NULL, NULL, NULL);
		if (!pod)
			break;
		sim_ctrl_event(s, rs->json, "Normal", "SuccessfulCreate", "replicaset-controller", NULL,
			       NULL, "Created pod: %s", pname);
		active++;
	}
	while (active > want) {
		struct sim_obj *victim = NULL;
		int best = 99;
		int64_t best_t = 0, t;
		struct sim_obj **pods;
		size_t n = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
		for (size_t i = 0; i < n; i++) {
			const cJSON *p = pods[i]->json;
			if (!sim_ctrl_owned_by(p, uid) || sim_ctrl_pod_terminating_p(p) ||
			    sim_ctrl_pod_finished(p))
				continue;
			int rank = pod_delete_rank(p);
			if (!sim_ctrl_time_ms(p, "metadata.creationTimestamp", &t))
				t = 0;
			/* Unscheduled, then not running, then not ready, then the newest go first. */
			if (rank < best || (rank == best && t >= best_t)) {
				best = rank;
				best_t = t;
				victim = pods[i];
			}
		}
		if (!victim)
			break;
		char vname[254];
		snprintf(vname, sizeof(vname), "%s", victim->name);
		sim_ctrl_delete_pod(s, victim);
		rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, name);
		if (rs)
			sim_ctrl_event(s, rs->json, "Normal", "SuccessfulDelete", "replicaset-controller",
				       NULL, NULL, "Deleted pod: %s", vname);
		active--;
	}
	sim_ctrl_keys_free(&k);
	rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, name);
	if (!rs)
		return;
	struct pod_counts c = count_pods(s, ns, uid);
	cJSON *next = cJSON_Duplicate(rs->json, 1);
	set_count(next, "status.replicas", c.active, true);
	set_count(next, "status.fullyLabeledReplicas", c.active, false);
	set_count(next, "status.readyReplicas", c.ready, false);
	set_count(next, "status.availableReplicas", c.ready, false);
	sim_json_set_num(next, "status.observedGeneration", sim_json_num(rs->json, "metadata.generation", 1));
	sim_ctrl_commit(s, rs, next);
}

/* ---- Deployment ---- */

struct rs_ref {
	char name[254];
	int64_t revision;
};

static int rs_ref_cmp(const void *a, const void *b)
{
	const struct rs_ref *x = a, *y = b;
	return x->revision < y->revision ? -1 : x->revision > y->revision;
}

static void scale_rs(struct sim *s, struct sim_obj *d, const char *ns, const char *rsname,
		     int64_t to, int64_t max_total)
{
	struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, rsname);
	if (!rs)
		return;
	int64_t from = sim_json_int(rs->json, "spec.replicas", 1);
	if (from == to)
		return;
	cJSON *next = cJSON_Duplicate(rs->json, 1);
	sim_json_set_num(next, "spec.replicas", (double)to);
	set_ann_int(next, "deployment.kubernetes.io/desired-replicas",
		    sim_json_int(d->json, "spec.replicas", 1));
	set_ann_int(next, "deployment.kubernetes.io/max-replicas", max_total);
	sim_ctrl_commit(s, rs, next);
	sim_ctrl_event(s, d->json, "Normal", "ScalingReplicaSet", "deployment-controller", NULL, NULL,
		       "Scaled %s replica set %s from %lld to %lld", to > from ? "up" : "down",
		       rsname, (long long)from, (long long)to);
}

static cJSON *new_rs_for(const cJSON *d, const char *name, const char *hash, int64_t revision,
			 int64_t replicas, int64_t max_total)
{
	cJSON *rs = cJSON_CreateObject();
	cJSON_AddStringToObject(rs, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(rs, "kind", "ReplicaSet");
	cJSON *meta = cJSON_AddObjectToObject(rs, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON_AddStringToObject(meta, "namespace", sim_json_str_or(d, "metadata.namespace", "default"));
	cJSON *tmpl = cJSON_Duplicate(sim_json_get(d, "spec.template"), 1);
	sim_json_set_label(tmpl, "pod-template-hash", hash);
	cJSON_AddItemToObject(meta, "labels", cJSON_Duplicate(sim_json_get(tmpl, "metadata.labels"), 1));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(meta, "ownerReferences"), sim_ctrl_owner_ref(d));
	set_ann_int(rs, "deployment.kubernetes.io/desired-replicas", sim_json_int(d, "spec.replicas", 1));
	set_ann_int(rs, "deployment.kubernetes.io/max-replicas", max_total);
	set_ann_int(rs, REV_ANN, revision);
	const char *cause = sim_json_annotation(d, CHANGE_CAUSE);
	if (cause)
		sim_json_set_annotation(rs, CHANGE_CAUSE, cause);
	cJSON *spec = cJSON_AddObjectToObject(rs, "spec");
	cJSON_AddNumberToObject(spec, "replicas", (double)replicas);
	cJSON *sel = cJSON_Duplicate(sim_json_get(d, "spec.selector"), 1);
	if (!sel)
		sel = cJSON_CreateObject();
	cJSON *ml = sim_json_ensure(sel, "matchLabels");
	sim_json_put(ml, "pod-template-hash", cJSON_CreateString(hash));
	cJSON_AddItemToObject(spec, "selector", sel);
	cJSON_AddItemToObject(spec, "template", tmpl);
	if (sim_json_get(d, "spec.minReadySeconds"))
		cJSON_AddNumberToObject(spec, "minReadySeconds", sim_json_num(d, "spec.minReadySeconds", 0));
	return rs;
}

/*
 * The Deployment's status and conditions from its ReplicaSets' pods, as
 * syncRolloutStatus writes them. newrs is NULL while a Recreate rollout waits
 * for the old pods to go; created says newrs was made in this pass. Recreate
 * has no maxUnavailable: the deployment is Available only with every replica.
 */
static void deploy_status(struct sim *s, struct sim_obj *d, const char *uid, int64_t R,
			  bool recreate, int64_t unavail, struct sim_obj *newrs, bool created)
{
	char msg[400];
	struct sim_obj **rss;
	int64_t replicas = 0, ready = 0, avail = 0, updated = 0;
	size_t n = sim_store_list(s->store, SIM_RES_REPLICASETS, d->ns, &rss);
	for (size_t i = 0; i < n; i++) {
		if (!sim_ctrl_owned_by(rss[i]->json, uid))
			continue;
		struct pod_counts c = count_pods(s, d->ns, sim_json_str_or(rss[i]->json, "metadata.uid", ""));
		replicas += c.active;
		ready += c.ready;
		avail += c.ready;
		if (rss[i] == newrs)
			updated = c.active;
	}
	cJSON *next = cJSON_Duplicate(d->json, 1);
	if (newrs)
		set_ann_int(next, REV_ANN, ann_int(newrs->json, REV_ANN));
	sim_json_set_num(next, "status.observedGeneration", sim_json_num(d->json, "metadata.generation", 1));
	set_count(next, "status.replicas", replicas, false);
	set_count(next, "status.updatedReplicas", updated, false);
	set_count(next, "status.readyReplicas", ready, false);
	set_count(next, "status.availableReplicas", avail, false);
	set_count(next, "status.unavailableReplicas", R - avail > 0 ? R - avail : 0, false);
	if (avail >= R - (recreate ? 0 : unavail))
		sim_ctrl_set_condition(s, next, "Available", "True", "MinimumReplicasAvailable",
				       "Deployment has minimum availability.");
	else
		sim_ctrl_set_condition(s, next, "Available", "False", "MinimumReplicasUnavailable",
				       "Deployment does not have minimum availability.");
	if (!newrs) {
		snprintf(msg, sizeof(msg), "Deployment \"%s\" is progressing.", d->name);
		sim_ctrl_set_condition(s, next, "Progressing", "True", "ReplicaSetUpdated", msg);
	} else if (updated == R && replicas == R && avail == R) {
		snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" has successfully progressed.", newrs->name);
		sim_ctrl_set_condition(s, next, "Progressing", "True", "NewReplicaSetAvailable", msg);
	} else if (created) {
		snprintf(msg, sizeof(msg), "Created new replica set \"%s\"", newrs->name);
		sim_ctrl_set_condition(s, next, "Progressing", "True", "NewReplicaSetCreated", msg);
	} else {
		snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" is progressing.", newrs->name);
		sim_ctrl_set_condition(s, next, "Progressing", "True", "ReplicaSetUpdated", msg);
	}
	/* Keep the conditions in the order the controller writes them. */
	sim_ctrl_commit(s, d, next);
}

static void deploy_reconcile_one(struct sim *s, struct sim_obj *d)
{
	char ns[64], dname[254], hash[16], newname[300];
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(d->json, "metadata.uid", ""));
	int64_t R = sim_json_int(d->json, "spec.replicas", 1);
	struct rs_ref refs[64];
	size_t nrefs = 0;
	int64_t max_rev = 0;
	bool created = false;
	struct sim_obj **rss;

	snprintf(ns, sizeof(ns), "%s", d->ns);
	snprintf(dname, sizeof(dname), "%s", d->name);
	template_hash(sim_json_get(d->json, "spec.template"), hash, sizeof(hash));
	snprintf(newname, sizeof(newname), "%s-%s", dname, hash);
	size_t n = sim_store_list(s->store, SIM_RES_REPLICASETS, ns, &rss);
	for (size_t i = 0; i < n && nrefs < 64; i++) {
		if (!sim_ctrl_owned_by(rss[i]->json, uid))
			continue;
		snprintf(refs[nrefs].name, sizeof(refs[nrefs].name), "%s", rss[i]->name);
		refs[nrefs].revision = ann_int(rss[i]->json, REV_ANN);
		if (refs[nrefs].revision > max_rev)
			max_rev = refs[nrefs].revision;
		nrefs++;
	}
	qsort(refs, nrefs, sizeof(refs[0]), rs_ref_cmp);

	const char *stype = sim_json_str_or(d->json, "spec.strategy.type", "RollingUpdate");
	bool recreate = strcmp(stype, "Recreate") == 0;
	int64_t surge = recreate ? 0 : int_or_percent(sim_json_get(d->json, "spec.strategy.rollingUpdate.maxSurge"), "25%", R, true);
	int64_t unavail = recreate ? R : int_or_percent(sim_json_get(d->json, "spec.strategy.rollingUpdate.maxUnavailable"), "25%", R, false);
	if (!recreate && surge == 0 && unavail == 0)
		unavail = 1;

	bool paused = sim_json_bool(d->json, "spec.paused", false);
	struct sim_obj *newrs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, newname);
	if (newrs && !sim_ctrl_owned_by(newrs->json, uid))
		newrs = NULL;
	/* Recreate: the old pods are gone, terminating ones included, before
	 * the new ReplicaSet is created or scaled up (rolloutRecreate). */
	int64_t old_running = 0;
	for (size_t i = 0; recreate && i < nrefs; i++) {
		struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, refs[i].name);
		if (rs && strcmp(refs[i].name, newname) != 0)
			old_running += count_pods_running(s, ns, sim_json_str_or(rs->json, "metadata.uid", ""));
	}
	if (recreate && !paused && old_running > 0) {
		for (size_t i = 0; i < nrefs; i++)
			if (strcmp(refs[i].name, newname) != 0)
				scale_rs(s, d, ns, refs[i].name, 0, R);
		d = sim_store_get(s->store, SIM_RES_DEPLOYMENTS, ns, dname);
		if (!d)
			return;
		if (!newrs) {
			deploy_status(s, d, uid, R, recreate, unavail, NULL, false);
			return;
		}
	}
	if (!newrs) {
		int64_t old_total = 0;
		for (size_t i = 0; i < nrefs; i++) {
			struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, refs[i].name);
			old_total += rs ? sim_json_int(rs->json, "spec.replicas", 0) : 0;
		}
		int64_t initial = old_total == 0 ? R : 0;
		if (recreate)
			initial = old_total == 0 ? R : 0;
		cJSON *rsj = new_rs_for(d->json, newname, hash, max_rev + 1, initial, R + surge);
		if (s->building)
			sim_json_set_str(rsj, "metadata.creationTimestamp",
					 sim_json_str_or(d->json, "metadata.creationTimestamp", ""));
		if (sim_store_create(s->store, SIM_RES_REPLICASETS, rsj, &newrs, NULL) != OD_OK)
			return;
		created = true;
		d = sim_store_get(s->store, SIM_RES_DEPLOYMENTS, ns, dname);
		if (!d)
			return;
		if (initial > 0)
			sim_ctrl_event(s, d->json, "Normal", "ScalingReplicaSet", "deployment-controller",
				       NULL, NULL, "Scaled up replica set %s from 0 to %lld", newname,
				       (long long)initial);
		max_rev++;
	} else if (ann_int(newrs->json, REV_ANN) < max_rev) {
		/* A rollback: the old template's ReplicaSet becomes the newest revision. */
		cJSON *next = cJSON_Duplicate(newrs->json, 1);
		set_ann_int(next, REV_ANN, max_rev + 1);
		const char *cause = sim_json_annotation(d->json, CHANGE_CAUSE);
		if (cause)
			sim_json_set_annotation(next, CHANGE_CAUSE, cause);
		sim_ctrl_commit(s, newrs, next);
		max_rev++;
	}
	newrs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, newname);
	if (!newrs)
		return;

	int64_t new_rep = sim_json_int(newrs->json, "spec.replicas", 0);
	int64_t total = 0, old_pods = 0;
	for (size_t i = 0; i < nrefs; i++) {
		struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, refs[i].name);
		if (!rs)
			continue;
		total += sim_json_int(rs->json, "spec.replicas", 0);
		if (strcmp(refs[i].name, newname) != 0)
			old_pods += count_pods(s, ns, sim_json_str_or(rs->json, "metadata.uid", "")).active;
	}
	if (created)
		total += new_rep;
	if (recreate && !paused) {
		for (size_t i = 0; i < nrefs; i++)
			if (strcmp(refs[i].name, newname) != 0)
				scale_rs(s, d, ns, refs[i].name, 0, R);
		if (old_running == 0 && new_rep != R)
			scale_rs(s, d, ns, newname, R, R);
	} else if (!paused) {
		if (new_rep < R) {
			int64_t room = R + surge - total;
			if (room > 0) {
				int64_t up = room < R - new_rep ? room : R - new_rep;
				scale_rs(s, d, ns, newname, new_rep + up, R + surge);
				total += up;
				new_rep += up;
			}
		} else if (new_rep > R) {
			scale_rs(s, d, ns, newname, R, R + surge);
			total -= new_rep - R;
			new_rep = R;
		}
		struct pod_counts nc = count_pods(s, ns, sim_json_str_or(newrs->json, "metadata.uid", ""));
		int64_t available = nc.ready;
		for (size_t i = 0; i < nrefs; i++) {
			struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, refs[i].name);
			if (rs && strcmp(refs[i].name, newname) != 0)
				available += count_pods(s, ns, sim_json_str_or(rs->json, "metadata.uid", "")).ready;
		}
		int64_t new_unavail = new_rep - nc.ready;
		if (new_unavail < 0)
			new_unavail = 0;
		int64_t budget = total - (R - unavail) - new_unavail;
		(void)available;
		for (size_t i = 0; i < nrefs && budget > 0; i++) {
			if (strcmp(refs[i].name, newname) == 0)
				continue;
			struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, refs[i].name);
			int64_t cur = rs ? sim_json_int(rs->json, "spec.replicas", 0) : 0;
			if (cur <= 0)
				continue;
			int64_t down = cur < budget ? cur : budget;
			scale_rs(s, d, ns, refs[i].name, cur - down, R + surge);
			budget -= down;
		}
	} else if (new_rep != R && old_pods == 0) {
		scale_rs(s, d, ns, newname, R, R + surge);
	}

	/* revisionHistoryLimit: old, empty ReplicaSets beyond the limit go away */
	int64_t limit = sim_json_int(d->json, "spec.revisionHistoryLimit", 10);
	int64_t olds = 0;
	for (size_t i = 0; i < nrefs; i++)
		if (strcmp(refs[i].name, newname) != 0)
			olds++;
	for (size_t i = 0; i < nrefs && olds > limit; i++) {
		struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, refs[i].name);
		if (!rs || strcmp(refs[i].name, newname) == 0)
			continue;
		if (sim_json_int(rs->json, "spec.replicas", 0) == 0 &&
		    count_pods_running(s, ns, sim_json_str_or(rs->json, "metadata.uid", "")) == 0) {
			sim_store_delete(s->store, rs);
			olds--;
		}
	}

	d = sim_store_get(s->store, SIM_RES_DEPLOYMENTS, ns, dname);
	newrs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, newname);
	if (d && newrs)
		deploy_status(s, d, uid, R, recreate, unavail, newrs, created);
}

/* ---- ControllerRevisions (StatefulSet, DaemonSet) ---- */

/* Makes sure a ControllerRevision named name holds tmpl; returns its revision number. */
static int64_t ensure_revision(struct sim *s, const cJSON *owner, const char *name,
			       const char *hash)
{
	const char *ns = sim_json_str_or(owner, "metadata.namespace", "");
	const char *uid = sim_json_str_or(owner, "metadata.uid", "");
	struct sim_obj **crs;
	int64_t max_rev = 0;
	size_t n = sim_store_list(s->store, SIM_RES_CONTROLLERREVISIONS, ns, &crs);
	for (size_t i = 0; i < n; i++)
		if (sim_ctrl_owned_by(crs[i]->json, uid) && sim_json_int(crs[i]->json, "revision", 0) > max_rev)
			max_rev = sim_json_int(crs[i]->json, "revision", 0);
	struct sim_obj *cr = sim_store_get(s->store, SIM_RES_CONTROLLERREVISIONS, ns, name);
	if (cr) {
		int64_t rev = sim_json_int(cr->json, "revision", 0);
		if (rev < max_rev) {
			cJSON *next = cJSON_Duplicate(cr->json, 1);
			sim_json_set_num(next, "revision", (double)(max_rev + 1));
			sim_ctrl_commit(s, cr, next);
			return max_rev + 1;
		}
		return rev;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "apiVersion", "apps/v1");
	cJSON_AddStringToObject(o, "kind", "ControllerRevision");
	cJSON *meta = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON_AddStringToObject(meta, "namespace", ns);
	cJSON *labels = cJSON_Duplicate(sim_json_get(owner, "spec.template.metadata.labels"), 1);
	if (!labels)
		labels = cJSON_CreateObject();
	sim_json_put(labels, "controller.kubernetes.io/hash", cJSON_CreateString(hash));
	cJSON_AddItemToObject(meta, "labels", labels);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(meta, "ownerReferences"), sim_ctrl_owner_ref(owner));
	if (s->building)
		cJSON_AddStringToObject(meta, "creationTimestamp",
					sim_json_str_or(owner, "metadata.creationTimestamp", ""));
	cJSON *data = cJSON_AddObjectToObject(o, "data");
	cJSON *spec = cJSON_AddObjectToObject(data, "spec");
	cJSON *tmpl = cJSON_Duplicate(sim_json_get(owner, "spec.template"), 1);
	if (tmpl)
		cJSON_AddStringToObject(tmpl, "$patch", "replace");
	cJSON_AddItemToObject(spec, "template", tmpl ? tmpl : cJSON_CreateObject());
	cJSON_AddNumberToObject(o, "revision", (double)(max_rev + 1));
	sim_store_create(s->store, SIM_RES_CONTROLLERREVISIONS, o, NULL, NULL);
	return max_rev + 1;
}

/* ---- StatefulSet ---- */

static struct sim_obj *sts_pod(struct sim *s, const char *ns, const char *uid, const char *sts,
			       int64_t ord)
{
	char name[300];
	snprintf(name, sizeof(name), "%s-%lld", sts, (long long)ord);
	struct sim_obj *p = sim_store_get(s->store, SIM_RES_PODS, ns, name);
	return p && sim_ctrl_owned_by(p->json, uid) ? p : NULL;
}

static void sts_ensure_claims(struct sim *s, const cJSON *sts, int64_t ord)
{
	const cJSON *vcts = sim_json_get(sts, "spec.volumeClaimTemplates");
	const char *ns = sim_json_str_or(sts, "metadata.namespace", "");
	const char *sname = sim_json_str_or(sts, "metadata.name", "");
	for (const cJSON *t = vcts ? vcts->child : NULL; t; t = t->next) {
		char name[400];
		snprintf(name, sizeof(name), "%s-%s-%lld", sim_json_str_or(t, "metadata.name", "data"),
			 sname, (long long)ord);
		if (sim_store_get(s->store, SIM_RES_PVCS, ns, name))
			continue;
		cJSON *pvc = cJSON_CreateObject();
		cJSON_AddStringToObject(pvc, "apiVersion", "v1");
		cJSON_AddStringToObject(pvc, "kind", "PersistentVolumeClaim");
		cJSON *meta = cJSON_AddObjectToObject(pvc, "metadata");
		cJSON_AddStringToObject(meta, "name", name);
		cJSON_AddStringToObject(meta, "namespace", ns);
		cJSON *labels = cJSON_Duplicate(sim_json_get(sts, "spec.selector.matchLabels"), 1);
		if (labels)
			cJSON_AddItemToObject(meta, "labels", labels);
		if (s->building)
			cJSON_AddStringToObject(meta, "creationTimestamp",
						sim_json_str_or(sts, "metadata.creationTimestamp", ""));
		cJSON_AddItemToObject(pvc, "spec", cJSON_Duplicate(sim_json_get(t, "spec"), 1));
		sim_objects_default(s, sim_resources_get(SIM_RES_PVCS), pvc);
		if (sim_store_create(s->store, SIM_RES_PVCS, pvc, NULL, NULL) == OD_OK)
			sim_ctrl_event(s, sts, "Normal", "SuccessfulCreate", "statefulset-controller", NULL,
				       NULL, "create Claim %s Pod %s-%lld in StatefulSet %s success", name,
				       sname, (long long)ord, sname);
	}
}

static void sts_create_pod(struct sim *s, const cJSON *sts, int64_t ord, const char *rev)
{
	char name[300], idx[32];
	const char *sname = sim_json_str_or(sts, "metadata.name", "");
	snprintf(name, sizeof(name), "%s-%lld", sname, (long long)ord);
	snprintf(idx, sizeof(idx), "%lld", (long long)ord);
	sts_ensure_claims(s, sts, ord);
	cJSON *extra = cJSON_CreateObject();
	cJSON_AddStringToObject(extra, "controller-revision-hash", rev);
	cJSON_AddStringToObject(extra, "statefulset.kubernetes.io/pod-name", name);
	cJSON_AddStringToObject(extra, "apps.kubernetes.io/pod-index", idx);
	cJSON *spec_extra = cJSON_CreateObject();
	cJSON_AddStringToObject(spec_extra, "hostname", name);
	const char *svc = sim_json_str(sts, "spec.serviceName");
	if (svc && *svc)
		cJSON_AddStringToObject(spec_extra, "subdomain", svc);
	const cJSON *vcts = sim_json_get(sts, "spec.volumeClaimTemplates");
	if (cJSON_GetArraySize(vcts) > 0) {
		cJSON *vols = cJSON_Duplicate(sim_json_get(sts, "spec.template.spec.volumes"), 1);
		if (!vols)
			vols = cJSON_CreateArray();
		for (const cJSON *t = vcts->child; t; t = t->next) {
			char claim[400];
			const char *vname = sim_json_str_or(t, "metadata.name", "data");
			snprintf(claim, sizeof(claim), "%s-%s-%lld", vname, sname, (long long)ord);
			cJSON *v = cJSON_CreateObject();
			cJSON_AddStringToObject(v, "name", vname);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(v, "persistentVolumeClaim"), "claimName", claim);
			cJSON_AddItemToArray(vols, v);
		}
		cJSON_AddItemToObject(spec_extra, "volumes", vols);
	}
	if (sim_ctrl_create_pod(s, sts, sim_json_get(sts, "spec.template"), name, extra, NULL,
				spec_extra))
		sim_ctrl_event(s, sts, "Normal", "SuccessfulCreate", "statefulset-controller", NULL,
			       NULL, "create Pod %s in StatefulSet %s successful", name, sname);
	cJSON_Delete(extra);
	cJSON_Delete(spec_extra);
}

static void sts_reconcile_one(struct sim *s, struct sim_obj *sts)
{
	char ns[64], sname[254], hash[16], rev[300];
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(sts->json, "metadata.uid", ""));
	int64_t R = sim_json_int(sts->json, "spec.replicas", 1);
	bool parallel = strcmp(sim_json_str_or(sts->json, "spec.podManagementPolicy", "OrderedReady"),
			       "Parallel") == 0;
	bool rolling = strcmp(sim_json_str_or(sts->json, "spec.updateStrategy.type", "RollingUpdate"),
			      "RollingUpdate") == 0;
	int64_t partition = sim_json_int(sts->json, "spec.updateStrategy.rollingUpdate.partition", 0);

	snprintf(ns, sizeof(ns), "%s", sts->ns);
	snprintf(sname, sizeof(sname), "%s", sts->name);
	template_hash(sim_json_get(sts->json, "spec.template"), hash, sizeof(hash));
	snprintf(rev, sizeof(rev), "%s-%s", sname, hash);
	ensure_revision(s, sts->json, rev, hash);

	bool all_ok = true, any_term = false;
	struct sim_obj **pods;
	size_t np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < np; i++)
		if (sim_ctrl_owned_by(pods[i]->json, uid) && sim_ctrl_pod_terminating_p(pods[i]->json))
			any_term = true;
	for (int64_t i = 0; i < R; i++) {
		sts = sim_store_get(s->store, SIM_RES_STATEFULSETS, ns, sname);
		if (!sts)
			return;
		struct sim_obj *p = sts_pod(s, ns, uid, sname, i);
		if (!p) {
			if (!parallel && (!all_ok || any_term))
				break;
			sts_create_pod(s, sts->json, i, rev);
			all_ok = false;
			if (!parallel)
				break;
			continue;
		}
		if (!sim_ctrl_pod_ready(p->json) || sim_ctrl_pod_terminating_p(p->json))
			all_ok = false;
	}
	/* scale down from the highest ordinal, one at a time */
	int64_t highest = -1;
	np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < np; i++) {
		if (!sim_ctrl_owned_by(pods[i]->json, uid) || sim_ctrl_pod_terminating_p(pods[i]->json))
			continue;
		const char *dash = strrchr(pods[i]->name, '-');
		int64_t ord = dash ? strtoll(dash + 1, NULL, 10) : -1;
		if (ord >= R && ord > highest)
			highest = ord;
	}
	if (highest >= 0 && (parallel || (all_ok && !any_term))) {
		struct sim_obj *p = sts_pod(s, ns, uid, sname, highest);
		if (p) {
			sim_ctrl_delete_pod(s, p);
			sts = sim_store_get(s->store, SIM_RES_STATEFULSETS, ns, sname);
			if (sts)
				sim_ctrl_event(s, sts->json, "Normal", "SuccessfulDelete", "statefulset-controller",
					       NULL, NULL, "delete Pod %s-%lld in StatefulSet %s successful",
					       sname, (long long)highest, sname);
			any_term = true;
		}
	}
	/* rolling update: replace the highest ordinal still at an old revision */
	if (rolling && all_ok && !any_term) {
		for (int64_t i = R - 1; i >= partition && i >= 0; i--) {
			struct sim_obj *p = sts_pod(s, ns, uid, sname, i);
			const char *prev = p ? sim_json_label(p->json, "controller-revision-hash") : NULL;
			if (p && (!prev || strcmp(prev, rev) != 0)) {
				char pname[300];
				snprintf(pname, sizeof(pname), "%s", p->name);
				sim_ctrl_delete_pod(s, p);
				sts = sim_store_get(s->store, SIM_RES_STATEFULSETS, ns, sname);
				if (sts)
					sim_ctrl_event(s, sts->json, "Normal", "SuccessfulDelete",
						       "statefulset-controller", NULL, NULL,
						       "delete Pod %s in StatefulSet %s successful", pname, sname);
				break;
			}
		}
	}
	/* status */
	sts = sim_store_get(s->store, SIM_RES_STATEFULSETS, ns, sname);
	if (!sts)
		return;
	int64_t replicas = 0, ready = 0, updated = 0, current = 0;
	const char *cur_rev = sim_json_str_or(sts->json, "status.currentRevision", rev);
	np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < np; i++) {
		const cJSON *p = pods[i]->json;
		if (!sim_ctrl_owned_by(p, uid) || sim_ctrl_pod_terminating_p(p))
			continue;
		const char *prev = sim_json_label(p, "controller-revision-hash");
		replicas++;
		if (sim_ctrl_pod_ready(p))
			ready++;
		if (prev && strcmp(prev, rev) == 0)
			updated++;
		if (prev && strcmp(prev, cur_rev) == 0)
			current++;
	}
	cJSON *next = cJSON_Duplicate(sts->json, 1);
	if (updated == R && ready == R && replicas == R) {
		cur_rev = rev;
		current = updated;
	}
	sim_json_set_num(next, "status.observedGeneration", sim_json_num(sts->json, "metadata.generation", 1));
	set_count(next, "status.replicas", replicas, true);
	set_count(next, "status.readyReplicas", ready, false);
	set_count(next, "status.currentReplicas", current, false);
	set_count(next, "status.updatedReplicas", updated, false);
	set_count(next, "status.availableReplicas", ready, true);
	sim_json_set_str(next, "status.currentRevision", cur_rev);
	sim_json_set_str(next, "status.updateRevision", rev);
	sim_json_set_num(next, "status.collisionCount", 0);
	sim_ctrl_commit(s, sts, next);
}

/* ---- DaemonSet ---- */

static bool node_matches(const cJSON *node, const cJSON *sel)
{
	for (const cJSON *kv = sel ? sel->child : NULL; kv; kv = kv->next) {
		const char *have = sim_json_label(node, kv->string);
		if (!have || !cJSON_IsString(kv) || strcmp(have, kv->valuestring) != 0)
			return false;
	}
	return true;
}

static void ds_reconcile_one(struct sim *s, struct sim_obj *ds)
{
	char ns[64], dname[254], hash[16], crname[300];
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(ds->json, "metadata.uid", ""));
	const cJSON *sel = sim_json_get(ds->json, "spec.template.spec.nodeSelector");
	struct sim_keys nodes;
	int64_t desired = 0, current = 0, ready = 0, updated = 0;
	bool all_ready = true, any_term = false;

	snprintf(ns, sizeof(ns), "%s", ds->ns);
	snprintf(dname, sizeof(dname), "%s", ds->name);
	template_hash(sim_json_get(ds->json, "spec.template"), hash, sizeof(hash));
	snprintf(crname, sizeof(crname), "%s-%s", dname, hash);
	ensure_revision(s, ds->json, crname, hash);
	sim_ctrl_keys(s, SIM_RES_NODES, NULL, &nodes);
	for (size_t i = 0; i < nodes.n; i++) {
		struct sim_obj *node = sim_store_get(s->store, SIM_RES_NODES, NULL, nodes.v[i].name);
		ds = sim_store_get(s->store, SIM_RES_DAEMONSETS, ns, dname);
		if (!node || !ds)
			break;
		bool want = node_matches(node->json, sel);
		struct sim_obj *mine = NULL;
		struct sim_obj **pods;
		size_t np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
		for (size_t p = 0; p < np; p++) {
			const cJSON *pj = pods[p]->json;
			if (!sim_ctrl_owned_by(pj, uid) ||
			    strcmp(sim_json_str_or(pj, "spec.nodeName", ""), node->name) != 0)
				continue;
			if (sim_ctrl_pod_terminating_p(pj)) {
				any_term = true;
				continue;
			}
			mine = pods[p];
		}
		if (!want) {
			if (mine)
				sim_ctrl_delete_pod(s, mine);
			continue;
		}
		desired++;
		if (!mine) {
			char pname[300], sfx[6], gen[32];
			sim_rng_suffix(&s->rng, sfx, sizeof(sfx));
			snprintf(pname, sizeof(pname), "%s-%s", dname, sfx);
			snprintf(gen, sizeof(gen), "%lld", (long long)sim_json_int(ds->json, "metadata.generation", 1));
			cJSON *extra = cJSON_CreateObject();
			cJSON_AddStringToObject(extra, "controller-revision-hash", hash);
			cJSON_AddStringToObject(extra, "pod-template-generation", gen);
			if (sim_ctrl_create_pod(s, ds->json, sim_json_get(ds->json, "spec.template"), pname,
						extra, node->name, NULL))
				sim_ctrl_event(s, ds->json, "Normal", "SuccessfulCreate", "daemonset-controller",
					       NULL, NULL, "Created pod: %s", pname);
			cJSON_Delete(extra);
			all_ready = false;
			continue;
		}
		current++;
		if (sim_ctrl_pod_ready(mine->json))
			ready++;
		else
			all_ready = false;
		const char *h = sim_json_label(mine->json, "controller-revision-hash");
		if (h && strcmp(h, hash) == 0)
			updated++;
	}
	/* rolling update, maxUnavailable 1 */
	bool rolling = strcmp(sim_json_str_or(sim_store_get(s->store, SIM_RES_DAEMONSETS, ns, dname) ?
					      sim_store_get(s->store, SIM_RES_DAEMONSETS, ns, dname)->json : NULL,
					      "spec.updateStrategy.type", "RollingUpdate"), "RollingUpdate") == 0;
	if (rolling && all_ready && !any_term && updated < desired) {
		struct sim_obj **pods;
		size_t np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
		for (size_t p = 0; p < np; p++) {
			const char *h = sim_json_label(pods[p]->json, "controller-revision-hash");
			if (sim_ctrl_owned_by(pods[p]->json, uid) && !sim_ctrl_pod_terminating_p(pods[p]->json) &&
			    (!h || strcmp(h, hash) != 0)) {
				char pname[254];
				snprintf(pname, sizeof(pname), "%s", pods[p]->name);
				sim_ctrl_delete_pod(s, pods[p]);
				ds = sim_store_get(s->store, SIM_RES_DAEMONSETS, ns, dname);
				if (ds)
					sim_ctrl_event(s, ds->json, "Normal", "SuccessfulDelete", "daemonset-controller",
						       NULL, NULL, "Deleted pod: %s", pname);
				break;
			}
		}
	}
	sim_ctrl_keys_free(&nodes);
	ds = sim_store_get(s->store, SIM_RES_DAEMONSETS, ns, dname);
	if (!ds)
		return;
	cJSON *next = cJSON_Duplicate(ds->json, 1);
	set_count(next, "status.desiredNumberScheduled", desired, true);
	set_count(next, "status.currentNumberScheduled", current, true);
	set_count(next, "status.numberReady", ready, true);
	set_count(next, "status.numberAvailable", ready, false);
	set_count(next, "status.updatedNumberScheduled", updated, false);
	set_count(next, "status.numberMisscheduled", 0, true);
	set_count(next, "status.numberUnavailable", desired - ready > 0 ? desired - ready : 0, false);
	sim_json_set_num(next, "status.observedGeneration", sim_json_num(ds->json, "metadata.generation", 1));
	sim_ctrl_commit(s, ds, next);
}

/* ---- Job ---- */

static bool has_cond(const cJSON *obj, const char *type)
{
	const cJSON *conds = sim_json_get(obj, "status.conditions");
	for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "type", ""), type) == 0 &&
		    strcmp(sim_json_str_or(c, "status", ""), "True") == 0)
			return true;
	return false;
}

/* What the apiserver adds to a Job when it is created: the controller-uid selector. */
static bool job_ensure_selector(struct sim *s, struct sim_obj *job)
{
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(job->json, "metadata.uid", ""));
	if (sim_json_get(job->json, "spec.selector"))
		return false;
	cJSON *next = cJSON_Duplicate(job->json, 1);
	cJSON *ml = sim_json_ensure(next, "spec.selector.matchLabels");
	sim_json_put(ml, "batch.kubernetes.io/controller-uid", cJSON_CreateString(uid));
	cJSON *tl = sim_json_ensure(next, "spec.template.metadata.labels");
	sim_json_put(tl, "batch.kubernetes.io/controller-uid", cJSON_CreateString(uid));
	sim_json_put(tl, "batch.kubernetes.io/job-name", cJSON_CreateString(job->name));
	sim_json_put(tl, "controller-uid", cJSON_CreateString(uid));
	sim_json_put(tl, "job-name", cJSON_CreateString(job->name));
	cJSON *l = sim_json_ensure(next, "metadata.labels");
	sim_json_put(l, "batch.kubernetes.io/controller-uid", cJSON_CreateString(uid));
	sim_json_put(l, "batch.kubernetes.io/job-name", cJSON_CreateString(job->name));
	sim_json_put(l, "controller-uid", cJSON_CreateString(uid));
	sim_json_put(l, "job-name", cJSON_CreateString(job->name));
	sim_store_update(s->store, job, next, NULL);
	return true;
}

static void job_reconcile_one(struct sim *s, struct sim_obj *job)
{
	char ns[64], jname[254], ts[TIME_RFC3339_MAX];
	if (has_cond(job->json, "Complete") || has_cond(job->json, "Failed"))
		return;
	snprintf(ns, sizeof(ns), "%s", job->ns);
	snprintf(jname, sizeof(jname), "%s", job->name);
	job_ensure_selector(s, job);
	job = sim_store_get(s->store, SIM_RES_JOBS, ns, jname);
	if (!job || sim_json_bool(job->json, "spec.suspend", false))
		return;
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(job->json, "metadata.uid", ""));
	int64_t completions = sim_json_int(job->json, "spec.completions", 1);
	int64_t parallelism = sim_json_int(job->json, "spec.parallelism", 1);
	int64_t backoff = sim_json_int(job->json, "spec.backoffLimit", 6);
	int64_t active = 0, succeeded = 0, failed = 0, ready = 0;
	struct sim_obj **pods;
	size_t np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < np; i++) {
		const cJSON *p = pods[i]->json;
		if (!sim_ctrl_owned_by(p, uid))
			continue;
		const char *ph = sim_json_str_or(p, "status.phase", "");
		if (strcmp(ph, "Succeeded") == 0)
			succeeded++;
		else if (strcmp(ph, "Failed") == 0)
			failed++;
		else if (!sim_ctrl_pod_terminating_p(p)) {
			active++;
			if (sim_ctrl_pod_ready(p))
				ready++;
		}
	}
	int64_t now = sim_ctrl_now_ms(s, job->json);
	sim_ctrl_ts(now, ts, sizeof(ts));
	cJSON *next = cJSON_Duplicate(job->json, 1);
	if (!sim_json_get(next, "status.startTime"))
		sim_json_set_str(next, "status.startTime", ts);
	bool done = false;
	if (succeeded >= completions) {
		sim_ctrl_set_condition(s, next, "SuccessCriteriaMet", "True", "CompletionsReached",
				       "Reached expected number of succeeded pods");
		sim_ctrl_set_condition(s, next, "Complete", "True", "CompletionsReached",
				       "Reached expected number of succeeded pods");
		sim_json_set_str(next, "status.completionTime", ts);
		done = true;
		sim_ctrl_event(s, job->json, "Normal", "Completed", "job-controller", NULL, NULL,
			       "Job completed");
	} else if (failed > backoff) {
		sim_ctrl_set_condition(s, next, "FailureTarget", "True", "BackoffLimitExceeded",
				       "Job has reached the specified backoff limit");
		sim_ctrl_set_condition(s, next, "Failed", "True", "BackoffLimitExceeded",
				       "Job has reached the specified backoff limit");
		done = true;
		sim_ctrl_event(s, job->json, "Warning", "BackoffLimitExceeded", "job-controller", NULL,
			       NULL, "Job has reached the specified backoff limit");
	}
	set_count(next, "status.active", done ? 0 : active, false);
	set_count(next, "status.succeeded", succeeded, false);
	set_count(next, "status.failed", failed, false);
	set_count(next, "status.ready", ready, true);
	set_count(next, "status.terminating", 0, true);
	if (!sim_json_get(next, "status.uncountedTerminatedPods"))
		sim_json_set(next, "status.uncountedTerminatedPods", cJSON_CreateObject());
	sim_ctrl_commit(s, job, next);
	if (done)
		return;
	int64_t want = (parallelism < completions - succeeded ? parallelism : completions - succeeded) - active;
	for (int64_t i = 0; i < want; i++) {
		char pname[300], sfx[6];
		job = sim_store_get(s->store, SIM_RES_JOBS, ns, jname);
		if (!job)
			return;
		sim_rng_suffix(&s->rng, sfx, sizeof(sfx));
		snprintf(pname, sizeof(pname), "%s-%s", jname, sfx);
		if (sim_ctrl_create_pod(s, job->json, sim_json_get(job->json, "spec.template"), pname,
					NULL, NULL, NULL))
			sim_ctrl_event(s, job->json, "Normal", "SuccessfulCreate", "job-controller", NULL,
				       NULL, "Created pod: %s", pname);
	}
}

/* ---- CronJob ---- */

struct cron_field {
	uint64_t bits;
	bool star;
};

static int cron_name(const char *s, size_t n, bool month)
{
	static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
					      "aug", "sep", "oct", "nov", "dec" };
	static const char *const days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	if (n != 3)
		return -1;
	for (int i = 0; i < (month ? 12 : 7); i++) {
		const char *nm = month ? months[i] : days[i];
		if (tolower((unsigned char)s[0]) == nm[0] && tolower((unsigned char)s[1]) == nm[1] &&
		    tolower((unsigned char)s[2]) == nm[2])
			return month ? i + 1 : i;
	}
	return -1;
}

static bool cron_num(const char *s, size_t n, int lo, int hi, int kind, int *out)
{
	if (n == 0)
		return false;
	if (isalpha((unsigned char)s[0])) {
		int v = cron_name(s, n, kind == 3);
		if (v < 0 || kind < 3)
			return false;
		*out = v;
		return true;
	}
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]) || v > 1000)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (kind == 4 && v == 7)
		v = 0;
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* kind: 0 minute, 1 hour, 2 day of month, 3 month, 4 day of week */
static bool cron_parse_field(const char *s, size_t n, int kind, struct cron_field *f)
{
	static const int lo[] = { 0, 0, 1, 1, 0 }, hi[] = { 59, 23, 31, 12, 7 };
	f->bits = 0;
	f->star = n == 1 && (s[0] == '*' || s[0] == '?');
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ',')
			j++;
		const char *part = s + i;
		size_t plen = j - i;
		int step = 1, a, b;
		const char *slash = memchr(part, '/', plen);
		size_t rlen = slash ? (size_t)(slash - part) : plen;
		if (slash && !cron_num(slash + 1, plen - rlen - 1, 1, 60, 0, &step))
			return false;
		if (rlen == 1 && (part[0] == '*' || part[0] == '?')) {
			a = lo[kind];
			b = hi[kind] == 7 ? 6 : hi[kind];
		} else {
			const char *dash = memchr(part, '-', rlen);
			if (dash) {
				if (!cron_num(part, (size_t)(dash - part), lo[kind], hi[kind], kind, &a) ||
				    !cron_num(dash + 1, rlen - (size_t)(dash - part) - 1, lo[kind], hi[kind], kind, &b))
					return false;
			} else {
				if (!cron_num(part, rlen, lo[kind], hi[kind], kind, &a))
					return false;
				b = slash ? (hi[kind] == 7 ? 6 : hi[kind]) : a;
			}
		}
		if (a > b)
			return false;
		for (int v = a; v <= b; v += step)
			f->bits |= UINT64_C(1) << v;
		i = j + 1;
	}
	return f->bits != 0;
}

bool sim_workloads_cron_matches(const char *schedule, int64_t t, bool *valid)
{
	static const struct {
		const char *name, *expr;
	} macros[] = { { "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
		       { "@monthly", "0 0 1 * *" }, { "@weekly", "0 0 * * 0" },
		       { "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
		       { "@hourly", "0 * * * *" } };
	struct cron_field f[5];
	const char *expr = schedule ? schedule : "";
	*valid = false;
	for (size_t i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
		if (strcmp(expr, macros[i].name) == 0)
			expr = macros[i].expr;
	if (strncmp(expr, "CRON_TZ=", 8) == 0 || strncmp(expr, "TZ=", 3) == 0) {
		const char *sp = strchr(expr, ' ');
		expr = sp ? sp + 1 : "";
	}
	const char *p = expr;
	for (int k = 0; k < 5; k++) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *end = p;
		while (*end && *end != ' ' && *end != '\t')
			end++;
		if (end == p || !cron_parse_field(p, (size_t)(end - p), k, &f[k]))
			return false;
		p = end;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return false;
	*valid = true;
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int64_t y;
	unsigned mo, d;
	time_civil_from_days(days, &y, &mo, &d);
	int minute = (int)(secs / 60 % 60), hour = (int)(secs / 3600);
	int dow = (int)(((days % 7) + 11) % 7);   /* 1970-01-01 was a Thursday (4) */
	if (!(f[0].bits >> minute & 1) || !(f[1].bits >> hour & 1) || !(f[3].bits >> mo & 1))
		return false;
	bool dom = f[2].bits >> d & 1, wd = f[4].bits >> dow & 1;
	if (f[2].star || f[4].star)
		return dom && wd;
	return dom || wd;
}

/* The latest schedule time in (after, upto], 0 when none (searching at most 400 days back). */
static int64_t cron_latest(const char *sched, int64_t after_s, int64_t upto_s)
{
	bool valid;
	int64_t t = upto_s - (upto_s % 60 + 60) % 60;
	int64_t floor = upto_s - INT64_C(400) * 86400;
	if (after_s > floor)
		floor = after_s;
	for (; t > floor; t -= 60) {
		if (sim_workloads_cron_matches(sched, t, &valid))
			return t;
		if (!valid)
			return 0;
	}
	return 0;
}

static void cronjob_reconcile_one(struct sim *s, struct sim_obj *cj)
{
	char ns[64], cname[254], ts[TIME_RFC3339_MAX], jname[300];
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(cj->json, "metadata.uid", ""));
	const char *sched = sim_json_str_or(cj->json, "spec.schedule", "");
	int64_t last_ms = 0, created_ms = 0;

	snprintf(ns, sizeof(ns), "%s", cj->ns);
	snprintf(cname, sizeof(cname), "%s", cj->name);
	/* While building, "now" is the scenario's start: the last run before it has happened. */
	int64_t now_s = (s->building ? sim_clock_to_ms(s->clock.start) : sim_clock_now_ms(&s->clock)) / 1000;
	bool has_last = sim_ctrl_time_ms(cj->json, "status.lastScheduleTime", &last_ms);
	sim_ctrl_time_ms(cj->json, "metadata.creationTimestamp", &created_ms);
	int64_t after = has_last ? last_ms / 1000 : (s->building ? now_s - INT64_C(400) * 86400 : created_ms / 1000);
	int64_t due = sim_json_bool(cj->json, "spec.suspend", false) ? 0 : cron_latest(sched, after, now_s);
	if (due > 0) {
		snprintf(jname, sizeof(jname), "%s-%lld", cname, (long long)(due / 60));
		if (!sim_store_get(s->store, SIM_RES_JOBS, ns, jname)) {
			cJSON *job = cJSON_CreateObject();
			cJSON_AddStringToObject(job, "apiVersion", "batch/v1");
			cJSON_AddStringToObject(job, "kind", "Job");
			cJSON *meta = cJSON_AddObjectToObject(job, "metadata");
			cJSON_AddStringToObject(meta, "name", jname);
			cJSON_AddStringToObject(meta, "namespace", ns);
			const cJSON *jl = sim_json_get(cj->json, "spec.jobTemplate.metadata.labels");
			if (jl)
				cJSON_AddItemToObject(meta, "labels", cJSON_Duplicate(jl, 1));
			cJSON_AddItemToArray(cJSON_AddArrayToObject(meta, "ownerReferences"), sim_ctrl_owner_ref(cj->json));
			sim_ctrl_ts(due * 1000, ts, sizeof(ts));
			sim_json_set_annotation(job, "batch.kubernetes.io/cronjob-scheduled-timestamp", ts);
			if (s->building)
				cJSON_AddStringToObject(meta, "creationTimestamp", ts);
			cJSON *spec = cJSON_Duplicate(sim_json_get(cj->json, "spec.jobTemplate.spec"), 1);
			cJSON_AddItemToObject(job, "spec", spec ? spec : cJSON_CreateObject());
			sim_objects_default(s, sim_resources_get(SIM_RES_JOBS), job);
			if (sim_store_create(s->store, SIM_RES_JOBS, job, NULL, NULL) == OD_OK)
				sim_ctrl_event(s, cj->json, "Normal", "SuccessfulCreate", "cronjob-controller",
					       NULL, NULL, "Created job %s", jname);
		}
		cj = sim_store_get(s->store, SIM_RES_CRONJOBS, ns, cname);
		if (!cj)
			return;
		cJSON *next = cJSON_Duplicate(cj->json, 1);
		sim_ctrl_ts(due * 1000, ts, sizeof(ts));
		sim_json_set_str(next, "status.lastScheduleTime", ts);
		sim_ctrl_commit(s, cj, next);
	}
	/* active list, last success, history limits */
	cj = sim_store_get(s->store, SIM_RES_CRONJOBS, ns, cname);
	if (!cj)
		return;
	struct sim_keys k;
	cJSON *active = cJSON_CreateArray();
	int64_t last_success = 0;
	int64_t keep_ok = sim_json_int(cj->json, "spec.successfulJobsHistoryLimit", 3);
	int64_t keep_fail = sim_json_int(cj->json, "spec.failedJobsHistoryLimit", 1);
	struct {
		char name[254];
		int64_t t;
		bool ok;
	} fin[64];
	size_t nfin = 0;
	sim_ctrl_keys(s, SIM_RES_JOBS, ns, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *j = sim_store_get(s->store, SIM_RES_JOBS, ns, k.v[i].name);
		if (!j || !sim_ctrl_owned_by(j->json, uid))
			continue;
		bool ok = has_cond(j->json, "Complete"), bad = has_cond(j->json, "Failed");
		int64_t t = 0;
		sim_ctrl_time_ms(j->json, "metadata.creationTimestamp", &t);
		if (ok || bad) {
			int64_t ct;
			if (ok && sim_ctrl_time_ms(j->json, "status.completionTime", &ct) && ct > last_success)
				last_success = ct;
			if (nfin < 64) {
				snprintf(fin[nfin].name, sizeof(fin[nfin].name), "%s", j->name);
				fin[nfin].t = t;
				fin[nfin].ok = ok;
				nfin++;
			}
			continue;
		}
		cJSON *ref = cJSON_CreateObject();
		cJSON_AddStringToObject(ref, "kind", "Job");
		cJSON_AddStringToObject(ref, "namespace", ns);
		cJSON_AddStringToObject(ref, "name", j->name);
		cJSON_AddStringToObject(ref, "uid", sim_json_str_or(j->json, "metadata.uid", ""));
		cJSON_AddStringToObject(ref, "apiVersion", "batch/v1");
		cJSON_AddStringToObject(ref, "resourceVersion", sim_json_str_or(j->json, "metadata.resourceVersion", ""));
		cJSON_AddItemToArray(active, ref);
	}
	sim_ctrl_keys_free(&k);
	for (int pass = 0; pass < 2; pass++) {
		bool want_ok = pass == 0;
		int64_t keep = want_ok ? keep_ok : keep_fail, count = 0;
		for (size_t i = 0; i < nfin; i++)
			count += fin[i].ok == want_ok;
		while (count > keep) {
			size_t oldest = nfin;
			for (size_t i = 0; i < nfin; i++)
				if (fin[i].ok == want_ok && fin[i].name[0] &&
				    (oldest == nfin || fin[i].t < fin[oldest].t))
					oldest = i;
			if (oldest == nfin)
				break;
			struct sim_obj *j = sim_store_get(s->store, SIM_RES_JOBS, ns, fin[oldest].name);
			if (j) {
				sim_store_delete(s->store, j);
				cj = sim_store_get(s->store, SIM_RES_CRONJOBS, ns, cname);
				if (cj)
					sim_ctrl_event(s, cj->json, "Normal", "SuccessfulDelete", "cronjob-controller",
						       NULL, NULL, "Deleted job %s", fin[oldest].name);
			}
			fin[oldest].name[0] = '\0';
			count--;
		}
	}
	cj = sim_store_get(s->store, SIM_RES_CRONJOBS, ns, cname);
	if (!cj) {
		cJSON_Delete(active);
		return;
	}
	cJSON *next = cJSON_Duplicate(cj->json, 1);
	if (cJSON_GetArraySize(active) > 0)
		sim_json_set(next, "status.active", active);
	else {
		cJSON_Delete(active);
		sim_json_remove(next, "status.active");
	}
	if (last_success) {
		sim_ctrl_ts(last_success, ts, sizeof(ts));
		sim_json_set_str(next, "status.lastSuccessfulTime", ts);
	}
	sim_ctrl_commit(s, cj, next);
}

typedef void (*reconcile_one_fn)(struct sim *s, struct sim_obj *o);

static void reconcile_all(struct sim *s, enum sim_res_id r, reconcile_one_fn fn)
{
	struct sim_keys k;
	sim_ctrl_keys(s, r, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *o = sim_store_get(s->store, r, k.v[i].ns, k.v[i].name);
		if (o && !sim_is_verbatim(s, o->json) && !sim_json_get(o->json, "metadata.deletionTimestamp"))
			fn(s, o);
	}
	sim_ctrl_keys_free(&k);
}

void sim_workloads_reconcile(struct sim *s)
{
	reconcile_all(s, SIM_RES_CRONJOBS, cronjob_reconcile_one);
	reconcile_all(s, SIM_RES_JOBS, job_reconcile_one);
	reconcile_all(s, SIM_RES_DEPLOYMENTS, deploy_reconcile_one);
	reconcile_all(s, SIM_RES_REPLICASETS, rs_reconcile_one);
	reconcile_all(s, SIM_RES_STATEFULSETS, sts_reconcile_one);
	reconcile_all(s, SIM_RES_DAEMONSETS, ds_reconcile_one);
}
