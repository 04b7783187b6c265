/*
 * ctrl.c: the reconcile loop, the kubelet's pod lifecycle, scheduling,
 * endpoints, garbage collection, namespace termination and the event
 * recorder. Workload controllers live in workloads.c, storage in storage.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_storage.h"
#include "opsdeck/sim_workloads.h"

#define SETTLE_PASSES_MAX 64
#define EVENT_TTL_MS (INT64_C(3600) * 1000)
#define DEFAULT_START_MS 2000
#define DEFAULT_READY_MS 3000

struct sim_ctrl {
	struct sim *s;             /* borrowed */
	uint64_t tick_timer;
	uint64_t kick_timer;
	bool in_pass;
	uint64_t event_seq;
};

enum od_status sim_ctrl_new(struct sim *s, struct sim_ctrl **out, struct err *e)
{
	struct sim_ctrl *c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	c->s = s;
	*out = c;
	return OD_OK;
}

void sim_ctrl_free(struct sim_ctrl **pc)
{
	struct sim_ctrl *c = pc ? *pc : NULL;
	if (!c)
		return;
	if (c->tick_timer)
		loop_timer_cancel(c->s->loop, c->tick_timer);
	if (c->kick_timer)
		loop_timer_cancel(c->s->loop, c->kick_timer);
	free(c);
	*pc = NULL;
}

static void tick_cb(struct loop *lp, uint64_t id, void *arg)
{
	struct sim *s = arg;
	(void)lp;
	(void)id;
	sim_ctrl_reconcile(s);
}

static void kick_cb(struct loop *lp, uint64_t id, void *arg)
{
	struct sim *s = arg;
	(void)lp;
	(void)id;
	s->ctrl->kick_timer = 0;
	sim_ctrl_reconcile(s);
}

void sim_ctrl_start(struct sim *s)
{
	s->ctrl->tick_timer = loop_timer_add(s->loop, SIM_CTRL_TICK_MS, SIM_CTRL_TICK_MS, tick_cb, s);
}

void sim_ctrl_kick(struct sim *s)
{
	if (!s->ctrl || s->building || !s->loop || s->ctrl->kick_timer)
		return;
	s->ctrl->kick_timer = loop_timer_add(s->loop, 0, 0, kick_cb, s);
}

void sim_ctrl_ts(int64_t ms, char *out, size_t n)
{
	struct od_time t = { .sec = ms / 1000, .nsec = 0 };
	if (ms < 0 && ms % 1000)
		t.sec--;
	time_format_rfc3339(t, out, n);
}

bool sim_ctrl_time_ms(const cJSON *obj, const char *path, int64_t *ms)
{
	struct od_time t;
	const char *s = sim_json_str(obj, path);
	if (!s || time_parse_rfc3339(s, &t, NULL) != OD_OK)
		return false;
	*ms = sim_clock_to_ms(t);
	return true;
}

int64_t sim_ctrl_now_ms(struct sim *s, const cJSON *obj)
{
	int64_t ms;
	if (s->building && obj && sim_ctrl_time_ms(obj, "metadata.creationTimestamp", &ms))
		return ms;
	return sim_clock_now_ms(&s->clock);
}

void sim_ctrl_keys(struct sim *s, enum sim_res_id r, const char *ns, struct sim_keys *out)
{
	struct sim_obj **objs;
	size_t n = sim_store_list(s->store, r, ns, &objs);
	out->n = 0;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v)
		return;
	for (size_t i = 0; i < n; i++) {
		snprintf(out->v[i].ns, sizeof(out->v[i].ns), "%s", objs[i]->ns);
		snprintf(out->v[i].name, sizeof(out->v[i].name), "%s", objs[i]->name);
	}
	out->n = n;
}

void sim_ctrl_keys_free(struct sim_keys *k)
{
	free(k->v);
	k->v = NULL;
	k->n = 0;
}

void sim_ctrl_commit(struct sim *s, struct sim_obj *o, cJSON *next)
{
	sim_store_update(s->store, o, next, NULL);
}

bool sim_ctrl_owned_by(const cJSON *obj, const char *uid)
{
	const cJSON *refs = sim_json_get(obj, "metadata.ownerReferences");
	for (const cJSON *r = refs ? refs->child : NULL; r; r = r->next)
		if (uid && strcmp(sim_json_str_or(r, "uid", ""), uid) == 0)
			return true;
	return false;
}

cJSON *sim_ctrl_owner_ref(const cJSON *owner)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "apiVersion", sim_json_str_or(owner, "apiVersion", ""));
	cJSON_AddStringToObject(r, "kind", sim_json_str_or(owner, "kind", ""));
	cJSON_AddStringToObject(r, "name", sim_json_str_or(owner, "metadata.name", ""));
	cJSON_AddStringToObject(r, "uid", sim_json_str_or(owner, "metadata.uid", ""));
	cJSON_AddBoolToObject(r, "controller", true);
	cJSON_AddBoolToObject(r, "blockOwnerDeletion", true);
	return r;
}

/* The controller owner reference of obj, or NULL. Borrowed. */
static const cJSON *controller_ref(const cJSON *obj)
{
	const cJSON *refs = sim_json_get(obj, "metadata.ownerReferences");
	for (const cJSON *r = refs ? refs->child : NULL; r; r = r->next)
		if (sim_json_bool(r, "controller", false))
			return r;
	return refs ? refs->child : NULL;
}

bool sim_ctrl_pod_workload(struct sim *s, const cJSON *pod, char *kind, size_t kn, char *name,
			   size_t nn)
{
	const cJSON *ref = controller_ref(pod);
	const char *ns = sim_json_str_or(pod, "metadata.namespace", "");
	if (!ref)
		return false;
	const char *k = sim_json_str_or(ref, "kind", "");
	const char *n = sim_json_str_or(ref, "name", "");
	if (strcmp(k, "ReplicaSet") == 0) {
		struct sim_obj *rs = sim_store_get(s->store, SIM_RES_REPLICASETS, ns, n);
		const cJSON *dref = rs ? controller_ref(rs->json) : NULL;
		if (dref && strcmp(sim_json_str_or(dref, "kind", ""), "Deployment") == 0) {
			k = "Deployment";
			n = sim_json_str_or(dref, "name", "");
		}
	} else if (strcmp(k, "Job") == 0) {
		struct sim_obj *job = sim_store_get(s->store, SIM_RES_JOBS, ns, n);
		const cJSON *cref = job ? controller_ref(job->json) : NULL;
		if (cref && strcmp(sim_json_str_or(cref, "kind", ""), "CronJob") == 0) {
			k = "CronJob";
			n = sim_json_str_or(cref, "name", "");
		}
	}
	snprintf(kind, kn, "%s", k);
	snprintf(name, nn, "%s", n);
	return true;
}

int64_t sim_ctrl_delay_ms(struct sim *s, const cJSON *pod, const char *key, int64_t dflt)
{
	char kind[64], name[254];
	int64_t ns_val;
	if (s->building)
		return 0;
	int64_t d = sim_default_delay_ms(s, key, dflt);
	if (pod && sim_ctrl_pod_workload(s, pod, kind, sizeof(kind), name, sizeof(name))) {
		const cJSON *wl = sim_workload_config(s, sim_json_str_or(pod, "metadata.namespace", ""),
						      kind, name);
		const char *v = sim_json_str(wl, key);
		if (v && duration_parse(v, &ns_val, NULL) == OD_OK)
			d = ns_val / 1000000;
	}
	return d < 0 ? 0 : d;
}

void sim_ctrl_set_condition(struct sim *s, cJSON *obj, const char *type, const char *status,
			    const char *reason, const char *message)
{
	char ts[TIME_RFC3339_MAX];
	cJSON *conds = sim_json_get(obj, "status.conditions");
	cJSON *c = NULL;
	sim_ctrl_ts(sim_ctrl_now_ms(s, obj), ts, sizeof(ts));
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		sim_json_set(obj, "status.conditions", conds);
	}
	for (cJSON *it = conds->child; it; it = it->next)
		if (strcmp(sim_json_str_or(it, "type", ""), type) == 0)
			c = it;
	if (!c) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "type", type);
		cJSON_AddItemToArray(conds, c);
	}
	const char *old = sim_json_str(c, "status");
	bool changed = !old || strcmp(old, status) != 0;
	sim_json_put(c, "status", cJSON_CreateString(status));
	bool is_deploy = strcmp(sim_json_str_or(obj, "kind", ""), "Deployment") == 0;
	if (is_deploy) {
		const char *oldr = sim_json_str(c, "reason");
		const char *oldm = sim_json_str(c, "message");
		if (changed || !oldr || strcmp(oldr, reason ? reason : "") != 0 ||
		    !oldm || strcmp(oldm, message ? message : "") != 0)
			sim_json_put(c, "lastUpdateTime", cJSON_CreateString(ts));
	} else if (!sim_json_get(c, "lastProbeTime") &&
		   strcmp(sim_json_str_or(obj, "kind", ""), "Pod") == 0) {
		sim_json_put(c, "lastProbeTime", cJSON_CreateNull());
	}
	if (changed || !sim_json_get(c, "lastTransitionTime"))
		sim_json_put(c, "lastTransitionTime", cJSON_CreateString(ts));
	if (reason && *reason)
		sim_json_put(c, "reason", cJSON_CreateString(reason));
	else
		cJSON_DeleteItemFromObjectCaseSensitive(c, "reason");
	if (message && *message)
		sim_json_put(c, "message", cJSON_CreateString(message));
	else
		cJSON_DeleteItemFromObjectCaseSensitive(c, "message");
}

void sim_ctrl_event(struct sim *s, const cJSON *obj, const char *type, const char *reason,
		    const char *component, const char *host, const char *field_path,
		    const char *fmt, ...)
{
	char msg[1024], ts[TIME_RFC3339_MAX], name[320];
	va_list ap;
	const char *ns = sim_json_str_or(obj, "metadata.namespace", "default");
	const char *uid = sim_json_str_or(obj, "metadata.uid", "");
	struct sim_obj **evs;
	size_t n;

	if (s->building)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_clock_rfc3339(&s->clock, ts, sizeof(ts));
	n = sim_store_list(s->store, SIM_RES_EVENTS, ns, &evs);
	for (size_t i = 0; i < n; i++) {
		const cJSON *e = evs[i]->json;
		if (strcmp(sim_json_str_or(e, "involvedObject.uid", ""), uid) == 0 &&
		    strcmp(sim_json_str_or(e, "reason", ""), reason) == 0 &&
		    strcmp(sim_json_str_or(e, "message", ""), msg) == 0 &&
		    strcmp(sim_json_str_or(e, "type", ""), type) == 0 &&
		    strcmp(sim_json_str_or(e, "source.component", ""), component) == 0 &&
		    strcmp(sim_json_str_or(e, "involvedObject.fieldPath", ""), field_path ? field_path : "") == 0) {
			cJSON *next = cJSON_Duplicate(e, 1);
			sim_json_set_num(next, "count", sim_json_num(e, "count", 1) + 1);
			sim_json_set_str(next, "lastTimestamp", ts);
			sim_store_update(s->store, evs[i], next, NULL);
			return;
		}
	}
	cJSON *ev = cJSON_CreateObject();
	int64_t nanos = sim_clock_now_ms(&s->clock) * 1000000 + (int64_t)(s->ctrl->event_seq++ % 1000000);
	snprintf(name, sizeof(name), "%s.%llx", sim_json_str_or(obj, "metadata.name", "unknown"),
		 (unsigned long long)nanos);
	cJSON *meta = cJSON_AddObjectToObject(ev, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON_AddStringToObject(meta, "namespace", ns);
	cJSON *io = cJSON_AddObjectToObject(ev, "involvedObject");
	cJSON_AddStringToObject(io, "kind", sim_json_str_or(obj, "kind", ""));
	cJSON_AddStringToObject(io, "namespace", ns);
	cJSON_AddStringToObject(io, "name", sim_json_str_or(obj, "metadata.name", ""));
	cJSON_AddStringToObject(io, "uid", uid);
	cJSON_AddStringToObject(io, "apiVersion", sim_json_str_or(obj, "apiVersion", "v1"));
	cJSON_AddStringToObject(io, "resourceVersion", sim_json_str_or(obj, "metadata.resourceVersion", ""));
	if (field_path && *field_path)
		cJSON_AddStringToObject(io, "fieldPath", field_path);
	cJSON_AddStringToObject(ev, "reason", reason);
	cJSON_AddStringToObject(ev, "message", msg);
	cJSON *src = cJSON_AddObjectToObject(ev, "source");
	cJSON_AddStringToObject(src, "component", component);
	if (host && *host)
		cJSON_AddStringToObject(src, "host", host);
	cJSON_AddStringToObject(ev, "firstTimestamp", ts);
	cJSON_AddStringToObject(ev, "lastTimestamp", ts);
	cJSON_AddNumberToObject(ev, "count", 1);
	cJSON_AddStringToObject(ev, "type", type);
	cJSON_AddNullToObject(ev, "eventTime");
	cJSON_AddStringToObject(ev, "reportingComponent", component);
	cJSON_AddStringToObject(ev, "reportingInstance", host ? host : "");
	sim_store_create(s->store, SIM_RES_EVENTS, ev, NULL, NULL);
}

bool sim_ctrl_pod_ready(const cJSON *pod)
{
	const cJSON *conds = sim_json_get(pod, "status.conditions");
	for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "type", ""), "Ready") == 0)
			return strcmp(sim_json_str_or(c, "status", ""), "True") == 0;
	return false;
}

bool sim_ctrl_pod_terminating_p(const cJSON *pod)
{
	return sim_json_get(pod, "metadata.deletionTimestamp") != NULL;
}

bool sim_ctrl_pod_finished(const cJSON *pod)
{
	const char *ph = sim_json_str_or(pod, "status.phase", "");
	return strcmp(ph, "Succeeded") == 0 || strcmp(ph, "Failed") == 0;
}

/* Chooses the node with the fewest pods among those the pod fits (nodeSelector). */
static bool pick_node(struct sim *s, const cJSON *pod, char *out, size_t n)
{
	struct sim_obj **nodes, **pods;
	size_t nn = sim_store_list(s->store, SIM_RES_NODES, NULL, &nodes);
	size_t np = sim_store_list(s->store, SIM_RES_PODS, NULL, &pods);
	const cJSON *sel = sim_json_get(pod, "spec.nodeSelector");
	size_t best_count = (size_t)-1;
	bool found = false;
	for (size_t i = 0; i < nn; i++) {
		bool fits = !sim_json_bool(nodes[i]->json, "spec.unschedulable", false);
		for (const cJSON *kv = sel ? sel->child : NULL; kv && fits; kv = kv->next) {
			const char *have = sim_json_label(nodes[i]->json, kv->string);
			fits = have && cJSON_IsString(kv) && strcmp(have, kv->valuestring) == 0;
		}
		if (!fits)
			continue;
		size_t count = 0;
		for (size_t k = 0; k < np; k++)
			if (strcmp(sim_json_str_or(pods[k]->json, "spec.nodeName", ""), nodes[i]->name) == 0)
				count++;
		if (count < best_count) {
			best_count = count;
			snprintf(out, n, "%s", nodes[i]->name);
			found = true;
		}
	}
	return found;
}

static const char *node_ip(struct sim *s, const char *node)
{
	struct sim_obj *o = sim_store_get(s->store, SIM_RES_NODES, NULL, node);
	const cJSON *addrs = o ? sim_json_get(o->json, "status.addresses") : NULL;
	for (const cJSON *a = addrs ? addrs->child : NULL; a; a = a->next)
		if (strcmp(sim_json_str_or(a, "type", ""), "InternalIP") == 0)
			return sim_json_str_or(a, "address", "10.0.0.1");
	return "10.0.0.1";
}

static void image_id(const char *image, char *out, size_t n)
{
	uint64_t h1 = sim_rng_fnv(SIM_FNV_INIT, image);
	uint64_t h2 = sim_rng_fnv(h1, "digest");
	uint64_t h3 = sim_rng_fnv(h2, "digest2");
	uint64_t h4 = sim_rng_fnv(h3, "digest3");
	char repo[512];
	snprintf(repo, sizeof(repo), "%s", image);
	char *at = strchr(repo, '@');
	if (at)
		*at = '\0';
	char *colon = strrchr(repo, ':');
	if (colon && !strchr(colon, '/'))
		*colon = '\0';
	snprintf(out, n, "%s%.300s@sha256:%016llx%016llx%016llx%016llx",
		 strchr(repo, '/') ? "" : "docker.io/library/", repo, (unsigned long long)h1,
		 (unsigned long long)h2, (unsigned long long)h3, (unsigned long long)h4);
}

static void container_id(struct sim *s, const cJSON *pod, const char *cname, int restart,
			 char *out, size_t n)
{
	char key[512];
	snprintf(key, sizeof(key), "%s/%s/%d/%llu", sim_json_str_or(pod, "metadata.uid", ""), cname,
		 restart, (unsigned long long)s->seed);
	uint64_t h1 = sim_rng_fnv(SIM_FNV_INIT, key);
	uint64_t h2 = sim_rng_fnv(h1, "c2"), h3 = sim_rng_fnv(h2, "c3"), h4 = sim_rng_fnv(h3, "c4");
	snprintf(out, n, "containerd://%016llx%016llx%016llx%016llx", (unsigned long long)h1,
		 (unsigned long long)h2, (unsigned long long)h3, (unsigned long long)h4);
}

/* Pending, scheduled: containers wait in ContainerCreating. */
static void pod_schedule(struct sim *s, struct sim_obj *o)
{
	char node[254], ts[TIME_RFC3339_MAX];
	cJSON *next = cJSON_Duplicate(o->json, 1);
	const char *preset = sim_json_str(o->json, "spec.nodeName");
	if (preset && *preset) {
		snprintf(node, sizeof(node), "%s", preset);
	} else if (!pick_node(s, o->json, node, sizeof(node))) {
		sim_ctrl_set_condition(s, next, "PodScheduled", "False", "Unschedulable",
				       "0/0 nodes are available: no nodes match the pod's node selector.");
		sim_json_set_str(next, "status.phase", "Pending");
		sim_ctrl_commit(s, o, next);
		return;
	}
	sim_json_set_str(next, "spec.nodeName", node);
	sim_json_set_str(next, "status.phase", "Pending");
	sim_json_set_str(next, "status.hostIP", node_ip(s, node));
	cJSON *hips = cJSON_CreateArray();
	cJSON *hip = cJSON_CreateObject();
	cJSON_AddStringToObject(hip, "ip", node_ip(s, node));
	cJSON_AddItemToArray(hips, hip);
	sim_json_set(next, "status.hostIPs", hips);
	sim_ctrl_ts(sim_ctrl_now_ms(s, o->json), ts, sizeof(ts));
	sim_json_set_str(next, "status.startTime", ts);
	sim_ctrl_set_condition(s, next, "PodReadyToStartContainers", "False", NULL, NULL);
	sim_ctrl_set_condition(s, next, "Initialized", "True", NULL, NULL);
	sim_ctrl_set_condition(s, next, "Ready", "False", "ContainersNotReady", "containers with unready status: [...]");
	sim_ctrl_set_condition(s, next, "ContainersReady", "False", "ContainersNotReady", "containers with unready status: [...]");
	sim_ctrl_set_condition(s, next, "PodScheduled", "True", NULL, NULL);
	cJSON *statuses = cJSON_CreateArray();
	const cJSON *cs = sim_json_get(next, "spec.containers");
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next) {
		cJSON *st = cJSON_CreateObject();
		cJSON_AddStringToObject(st, "name", sim_json_str_or(c, "name", ""));
		cJSON *w = cJSON_AddObjectToObject(cJSON_AddObjectToObject(st, "state"), "waiting");
		cJSON_AddStringToObject(w, "reason", "ContainerCreating");
		cJSON_AddObjectToObject(st, "lastState");
		cJSON_AddBoolToObject(st, "ready", false);
		cJSON_AddNumberToObject(st, "restartCount", 0);
		cJSON_AddStringToObject(st, "image", sim_json_str_or(c, "image", ""));
		cJSON_AddStringToObject(st, "imageID", "");
		cJSON_AddBoolToObject(st, "started", false);
		cJSON_AddItemToArray(statuses, st);
	}
	sim_json_set(next, "status.containerStatuses", statuses);
	sim_ctrl_commit(s, o, next);
	char msg[600];
	snprintf(msg, sizeof(msg), "Successfully assigned %s/%s to %s", o->ns, o->name, node);
	sim_ctrl_event(s, o->json, "Normal", "Scheduled", "default-scheduler", NULL, NULL, "%s", msg);
}

static void pod_start_containers(struct sim *s, struct sim_obj *o)
{
	char ts[TIME_RFC3339_MAX], ip[32], cid[128], iid[600], fp[300];
	cJSON *next = cJSON_Duplicate(o->json, 1);
	const char *node = sim_json_str_or(o->json, "spec.nodeName", "");
	int64_t now = sim_ctrl_now_ms(s, o->json);
	sim_ctrl_ts(now, ts, sizeof(ts));
	if (sim_json_bool(o->json, "spec.hostNetwork", false))
		snprintf(ip, sizeof(ip), "%s", node_ip(s, node));
	else
		sim_alloc_pod_ip(s, ip, sizeof(ip));
	sim_json_set_str(next, "status.phase", "Running");
	sim_json_set_str(next, "status.podIP", ip);
	cJSON *pips = cJSON_CreateArray();
	cJSON *pip = cJSON_CreateObject();
	cJSON_AddStringToObject(pip, "ip", ip);
	cJSON_AddItemToArray(pips, pip);
	sim_json_set(next, "status.podIPs", pips);
	sim_ctrl_set_condition(s, next, "PodReadyToStartContainers", "True", NULL, NULL);
	/* init containers ran to completion */
	const cJSON *inits = sim_json_get(next, "spec.initContainers");
	if (cJSON_GetArraySize(inits) > 0) {
		cJSON *ist = cJSON_CreateArray();
		for (const cJSON *c = inits->child; c; c = c->next) {
			cJSON *st = cJSON_CreateObject();
			const char *cn = sim_json_str_or(c, "name", "");
			container_id(s, o->json, cn, 0, cid, sizeof(cid));
			image_id(sim_json_str_or(c, "image", ""), iid, sizeof(iid));
			cJSON_AddStringToObject(st, "name", cn);
			cJSON *t = cJSON_AddObjectToObject(cJSON_AddObjectToObject(st, "state"), "terminated");
			cJSON_AddNumberToObject(t, "exitCode", 0);
			cJSON_AddStringToObject(t, "reason", "Completed");
			cJSON_AddStringToObject(t, "startedAt", ts);
			cJSON_AddStringToObject(t, "finishedAt", ts);
			cJSON_AddStringToObject(t, "containerID", cid);
			cJSON_AddObjectToObject(st, "lastState");
			cJSON_AddBoolToObject(st, "ready", true);
			cJSON_AddNumberToObject(st, "restartCount", 0);
			cJSON_AddStringToObject(st, "image", sim_json_str_or(c, "image", ""));
			cJSON_AddStringToObject(st, "imageID", iid);
			cJSON_AddStringToObject(st, "containerID", cid);
			cJSON_AddBoolToObject(st, "started", false);
			cJSON_AddItemToArray(ist, st);
		}
		sim_json_set(next, "status.initContainerStatuses", ist);
	}
	cJSON *statuses = sim_json_get(next, "status.containerStatuses");
	const cJSON *cs = sim_json_get(next, "spec.containers");
	bool all_ready = true;
	int idx = 0;
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next, idx++) {
		cJSON *st = cJSON_GetArrayItem(statuses, idx);
		const char *cn = sim_json_str_or(c, "name", "");
		const char *image = sim_json_str_or(c, "image", "");
		if (!st)
			continue;
		int restarts = (int)sim_json_int(st, "restartCount", 0);
		container_id(s, o->json, cn, restarts, cid, sizeof(cid));
		image_id(image, iid, sizeof(iid));
		cJSON *state = cJSON_CreateObject();
		cJSON_AddStringToObject(cJSON_AddObjectToObject(state, "running"), "startedAt", ts);
		sim_json_put(st, "state", state);
		bool probe = sim_json_get(c, "readinessProbe") != NULL;
		bool ready = !probe || sim_ctrl_delay_ms(s, o->json, "readyDelay", DEFAULT_READY_MS) == 0;
		all_ready = all_ready && ready;
		sim_json_put(st, "ready", cJSON_CreateBool(ready));
		sim_json_put(st, "started", cJSON_CreateBool(true));
		sim_json_put(st, "imageID", cJSON_CreateString(iid));
		sim_json_put(st, "containerID", cJSON_CreateString(cid));
		snprintf(fp, sizeof(fp), "spec.containers{%s}", cn);
		const char *policy = sim_json_str_or(c, "imagePullPolicy", "IfNotPresent");
		if (strcmp(policy, "Always") == 0) {
			sim_ctrl_event(s, o->json, "Normal", "Pulling", "kubelet", node, fp,
				       "Pulling image \"%s\"", image);
			sim_ctrl_event(s, o->json, "Normal", "Pulled", "kubelet", node, fp,
				       "Successfully pulled image \"%s\" in 1.204s (1.204s including waiting). Image size: 48213762 bytes.",
				       image);
		} else {
			sim_ctrl_event(s, o->json, "Normal", "Pulled", "kubelet", node, fp,
				       "Container image \"%s\" already present on machine", image);
		}
		sim_ctrl_event(s, o->json, "Normal", "Created", "kubelet", node, fp,
			       "Created container: %s", cn);
		sim_ctrl_event(s, o->json, "Normal", "Started", "kubelet", node, fp,
			       "Started container %s", cn);
	}
	if (all_ready) {
		sim_ctrl_set_condition(s, next, "ContainersReady", "True", NULL, NULL);
		sim_ctrl_set_condition(s, next, "Ready", "True", NULL, NULL);
	}
	sim_ctrl_commit(s, o, next);
}

static void pod_become_ready(struct sim *s, struct sim_obj *o)
{
	cJSON *next = cJSON_Duplicate(o->json, 1);
	cJSON *statuses = sim_json_get(next, "status.containerStatuses");
	for (cJSON *st = statuses ? statuses->child : NULL; st; st = st->next)
		if (sim_json_get(st, "state.running"))
			sim_json_put(st, "ready", cJSON_CreateBool(true));
	sim_ctrl_set_condition(s, next, "ContainersReady", "True", NULL, NULL);
	sim_ctrl_set_condition(s, next, "Ready", "True", NULL, NULL);
	sim_ctrl_commit(s, o, next);
}

/* A Job's pod ran its course: Succeeded or Failed per the scenario. */
static void pod_finish(struct sim *s, struct sim_obj *o, bool ok)
{
	char ts[TIME_RFC3339_MAX];
	cJSON *next = cJSON_Duplicate(o->json, 1);
	cJSON *statuses = sim_json_get(next, "status.containerStatuses");
	sim_ctrl_ts(sim_ctrl_now_ms(s, o->json), ts, sizeof(ts));
	for (cJSON *st = statuses ? statuses->child : NULL; st; st = st->next) {
		const char *started = sim_json_str_or(st, "state.running.startedAt", ts);
		cJSON *state = cJSON_CreateObject();
		cJSON *t = cJSON_AddObjectToObject(state, "terminated");
		cJSON_AddNumberToObject(t, "exitCode", ok ? 0 : 1);
		cJSON_AddStringToObject(t, "reason", ok ? "Completed" : "Error");
		cJSON_AddStringToObject(t, "startedAt", started);
		cJSON_AddStringToObject(t, "finishedAt", ts);
		cJSON_AddStringToObject(t, "containerID", sim_json_str_or(st, "containerID", ""));
		sim_json_put(st, "state", state);
		sim_json_put(st, "ready", cJSON_CreateBool(false));
		sim_json_put(st, "started", cJSON_CreateBool(false));
	}
	sim_json_set_str(next, "status.phase", ok ? "Succeeded" : "Failed");
	sim_ctrl_set_condition(s, next, "PodReadyToStartContainers", "False", NULL, NULL);
	sim_ctrl_set_condition(s, next, "Ready", "False", "PodCompleted", NULL);
	sim_ctrl_set_condition(s, next, "ContainersReady", "False", "PodCompleted", NULL);
	sim_ctrl_commit(s, o, next);
}

/* A Job pod's outcome and run time from the scenario ("job: {outcome, duration}"). */
static void job_plan(struct sim *s, const cJSON *pod, bool *ok, int64_t *duration_ms)
{
	char kind[64], name[254];
	int64_t ns;
	*ok = true;
	*duration_ms = 3000;
	if (sim_ctrl_pod_workload(s, pod, kind, sizeof(kind), name, sizeof(name))) {
		const cJSON *wl = sim_workload_config(s, sim_json_str_or(pod, "metadata.namespace", ""),
						      kind, name);
		const char *outcome = sim_json_str(wl, "job.outcome");
		const char *dur = sim_json_str(wl, "job.duration");
		if (outcome && strcmp(outcome, "Failed") == 0)
			*ok = false;
		if (dur && duration_parse(dur, &ns, NULL) == OD_OK)
			*duration_ms = ns / 1000000;
	}
	if (s->building)
		*duration_ms = 0;
}

static bool pod_is_job(const cJSON *pod)
{
	const cJSON *ref = controller_ref(pod);
	return ref && strcmp(sim_json_str_or(ref, "kind", ""), "Job") == 0;
}

/* The kubelet's view of one pod: move it along its lifecycle when its time has come. */
static void pod_step(struct sim *s, struct sim_obj *o)
{
	int64_t now = sim_ctrl_now_ms(s, o->json), t0;
	const cJSON *pod = o->json;

	if (sim_faults_pod_step(s, o))
		return;
	if (sim_ctrl_pod_terminating_p(pod)) {
		int64_t del, grace = sim_json_int(pod, "metadata.deletionGracePeriodSeconds", 0);
		int64_t wait = grace < 2 ? grace : 2;
		if (!sim_ctrl_time_ms(pod, "metadata.deletionTimestamp", &del) ||
		    s->building || now >= del - grace * 1000 + wait * 1000)
			sim_store_delete(s->store, o);
		return;
	}
	if (sim_ctrl_pod_finished(pod))
		return;
	const char *phase = sim_json_str_or(pod, "status.phase", "");
	if (!sim_json_get(pod, "status.containerStatuses")) {
		if (*phase == '\0' || strcmp(phase, "Pending") == 0)
			pod_schedule(s, o);
		return;
	}
	if (strcmp(phase, "Pending") == 0) {
		if (!sim_ctrl_time_ms(pod, "status.startTime", &t0))
			t0 = now;
		if (now >= t0 + sim_ctrl_delay_ms(s, pod, "startDelay", DEFAULT_START_MS))
			pod_start_containers(s, o);
		return;
	}
	if (strcmp(phase, "Running") != 0)
		return;
	const cJSON *cs = sim_json_get(pod, "status.containerStatuses");
	if (!cs || !cs->child || !sim_ctrl_time_ms(cs->child, "state.running.startedAt", &t0))
		return;
	if (pod_is_job(pod)) {
		bool ok;
		int64_t dur;
		job_plan(s, pod, &ok, &dur);
		if (now >= t0 + dur)
			pod_finish(s, o, ok);
		return;
	}
	if (!sim_ctrl_pod_ready(pod) &&
	    now >= t0 + sim_ctrl_delay_ms(s, pod, "readyDelay", DEFAULT_READY_MS))
		pod_become_ready(s, o);
}

static void pods_reconcile(struct sim *s)
{
	struct sim_keys k;
	sim_ctrl_keys(s, SIM_RES_PODS, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *o = sim_store_get(s->store, SIM_RES_PODS, k.v[i].ns, k.v[i].name);
		if (o && !sim_is_verbatim(s, o->json))
			pod_step(s, o);
	}
	sim_ctrl_keys_free(&k);
}

void sim_ctrl_pod_terminating(struct sim *s, struct sim_obj *pod, int64_t wait_ms)
{
	char fp[300];
	const cJSON *cs = sim_json_get(pod->json, "spec.containers");
	(void)wait_ms;
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next) {
		snprintf(fp, sizeof(fp), "spec.containers{%s}", sim_json_str_or(c, "name", ""));
		sim_ctrl_event(s, pod->json, "Normal", "Killing", "kubelet",
			       sim_json_str(pod->json, "spec.nodeName"), fp, "Stopping container %s",
			       sim_json_str_or(c, "name", ""));
	}
	sim_ctrl_kick(s);
}

void sim_ctrl_delete_pod(struct sim *s, struct sim_obj *pod)
{
	char ts[TIME_RFC3339_MAX];
	if (sim_ctrl_pod_terminating_p(pod->json))
		return;
	if (!sim_json_str(pod->json, "spec.nodeName") || s->building) {
		sim_store_delete(s->store, pod);
		return;
	}
	int64_t grace = sim_json_int(pod->json, "spec.terminationGracePeriodSeconds", 30);
	cJSON *next = cJSON_Duplicate(pod->json, 1);
	sim_ctrl_ts(sim_clock_now_ms(&s->clock) + grace * 1000, ts, sizeof(ts));
	sim_json_set_str(next, "metadata.deletionTimestamp", ts);
	sim_json_set_num(next, "metadata.deletionGracePeriodSeconds", (double)grace);
	sim_ctrl_commit(s, pod, next);
	sim_ctrl_pod_terminating(s, pod, grace < 2 ? grace * 1000 : 2000);
}

struct sim_obj *sim_ctrl_create_pod(struct sim *s, const cJSON *owner, const cJSON *template_,
				    const char *name, const cJSON *extra_labels,
				    const char *node_name, const cJSON *spec_extra)
{
	struct sim_obj *out = NULL;
	cJSON *pod = cJSON_CreateObject();
	cJSON_AddStringToObject(pod, "apiVersion", "v1");
	cJSON_AddStringToObject(pod, "kind", "Pod");
	cJSON *meta = cJSON_AddObjectToObject(pod, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON_AddStringToObject(meta, "namespace", sim_json_str_or(owner, "metadata.namespace", "default"));
	const cJSON *tl = sim_json_get(template_, "metadata.labels");
	cJSON *labels = tl ? cJSON_Duplicate(tl, 1) : cJSON_CreateObject();
	for (const cJSON *l = extra_labels ? extra_labels->child : NULL; l; l = l->next)
		sim_json_put(labels, l->string, cJSON_Duplicate(l, 1));
	cJSON_AddItemToObject(meta, "labels", labels);
	const cJSON *ta = sim_json_get(template_, "metadata.annotations");
	if (ta)
		cJSON_AddItemToObject(meta, "annotations", cJSON_Duplicate(ta, 1));
	cJSON *refs = cJSON_AddArrayToObject(meta, "ownerReferences");
	cJSON_AddItemToArray(refs, sim_ctrl_owner_ref(owner));
	const cJSON *ts = sim_json_get(template_, "spec");
	cJSON *spec = ts ? cJSON_Duplicate(ts, 1) : cJSON_CreateObject();
	for (const cJSON *x = spec_extra ? spec_extra->child : NULL; x; x = x->next)
		sim_json_put(spec, x->string, cJSON_Duplicate(x, 1));
	if (node_name)
		sim_json_put(spec, "nodeName", cJSON_CreateString(node_name));
	cJSON_AddItemToObject(pod, "spec", spec);
	if (s->building) {
		const char *ct = sim_json_str(owner, "metadata.creationTimestamp");
		if (ct)
			cJSON_AddStringToObject(meta, "creationTimestamp", ct);
	}
	sim_objects_default(s, sim_resources_get(SIM_RES_PODS), pod);
	if (sim_store_create(s->store, SIM_RES_PODS, pod, &out, NULL) != OD_OK)
		return NULL;
	return out;
}

void sim_ctrl_orphan_dependents(struct sim *s, struct sim_obj *owner)
{
	const char *uid = sim_json_str(owner->json, "metadata.uid");
	for (int r = 0; r < SIM_RES_COUNT; r++) {
		struct sim_keys k;
		if (r == SIM_RES_EVENTS_V1)
			continue;
		sim_ctrl_keys(s, (enum sim_res_id)r, owner->res->namespaced ? owner->ns : NULL, &k);
		for (size_t i = 0; i < k.n; i++) {
			struct sim_obj *o = sim_store_get(s->store, (enum sim_res_id)r, k.v[i].ns, k.v[i].name);
			if (!o || !sim_ctrl_owned_by(o->json, uid))
				continue;
			cJSON *next = cJSON_Duplicate(o->json, 1);
			cJSON *refs = sim_json_get(next, "metadata.ownerReferences");
			for (cJSON *ref = refs ? refs->child : NULL; ref;) {
				cJSON *nx = ref->next;
				if (strcmp(sim_json_str_or(ref, "uid", ""), uid) == 0)
					cJSON_Delete(cJSON_DetachItemViaPointer(refs, ref));
				ref = nx;
			}
			if (cJSON_GetArraySize(refs) == 0)
				sim_json_remove(next, "metadata.ownerReferences");
			sim_ctrl_commit(s, o, next);
		}
		sim_ctrl_keys_free(&k);
	}
}

/* Resource id of an owner kind, for garbage collection. */
static int owner_res(const char *kind)
{
	static const struct {
		const char *kind;
		enum sim_res_id id;
	} map[] = { { "ReplicaSet", SIM_RES_REPLICASETS }, { "Deployment", SIM_RES_DEPLOYMENTS },
		    { "StatefulSet", SIM_RES_STATEFULSETS }, { "DaemonSet", SIM_RES_DAEMONSETS },
		    { "Job", SIM_RES_JOBS }, { "CronJob", SIM_RES_CRONJOBS },
		    { "Service", SIM_RES_SERVICES }, { "PersistentVolumeClaim", SIM_RES_PVCS },
		    { "Pod", SIM_RES_PODS } };
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].kind, kind) == 0)
			return (int)map[i].id;
	return -1;
}

/* Background cascading deletion: dependents whose owner is gone are deleted. */
static void gc_reconcile(struct sim *s)
{
	static const enum sim_res_id deps[] = { SIM_RES_PODS, SIM_RES_REPLICASETS,
		SIM_RES_JOBS, SIM_RES_CONTROLLERREVISIONS, SIM_RES_ENDPOINTS, SIM_RES_PVCS };
	for (size_t d = 0; d < sizeof(deps) / sizeof(deps[0]); d++) {
		struct sim_keys k;
		sim_ctrl_keys(s, deps[d], NULL, &k);
		for (size_t i = 0; i < k.n; i++) {
			struct sim_obj *o = sim_store_get(s->store, deps[d], k.v[i].ns, k.v[i].name);
			const cJSON *refs = o ? sim_json_get(o->json, "metadata.ownerReferences") : NULL;
			if (!refs || !refs->child || sim_is_verbatim(s, o->json))
				continue;
			bool alive = false;
			for (const cJSON *r = refs->child; r && !alive; r = r->next) {
				int rid = owner_res(sim_json_str_or(r, "kind", ""));
				if (rid < 0) {
					alive = true;   /* an owner the sim does not model */
					continue;
				}
				struct sim_obj *own = sim_store_get(s->store, (enum sim_res_id)rid, o->ns,
								    sim_json_str_or(r, "name", ""));
				alive = own && strcmp(sim_json_str_or(own->json, "metadata.uid", ""),
						      sim_json_str_or(r, "uid", "")) == 0;
			}
			if (alive)
				continue;
			if (deps[d] == SIM_RES_PODS)
				sim_ctrl_delete_pod(s, o);
			else
				sim_store_delete(s->store, o);
		}
		sim_ctrl_keys_free(&k);
	}
}

/* Every namespace has a "default" ServiceAccount, as the token controller makes it. */
static void ensure_default_sa(struct sim *s, const struct sim_obj *ns)
{
	if (sim_store_get(s->store, SIM_RES_SERVICEACCOUNTS, ns->name, "default"))
		return;
	cJSON *sa = cJSON_CreateObject();
	cJSON_AddStringToObject(sa, "apiVersion", "v1");
	cJSON_AddStringToObject(sa, "kind", "ServiceAccount");
	cJSON *meta = cJSON_AddObjectToObject(sa, "metadata");
	cJSON_AddStringToObject(meta, "name", "default");
	cJSON_AddStringToObject(meta, "namespace", ns->name);
	const char *ct = sim_json_str(ns->json, "metadata.creationTimestamp");
	if (s->building && ct)
		cJSON_AddStringToObject(meta, "creationTimestamp", ct);
	sim_store_create(s->store, SIM_RES_SERVICEACCOUNTS, sa, NULL, NULL);
}

/* A Terminating namespace empties itself and then goes away. */
static void namespaces_reconcile(struct sim *s)
{
	struct sim_keys k;
	sim_ctrl_keys(s, SIM_RES_NAMESPACES, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *ns = sim_store_get(s->store, SIM_RES_NAMESPACES, NULL, k.v[i].name);
		if (ns && !sim_json_get(ns->json, "metadata.deletionTimestamp"))
			ensure_default_sa(s, ns);
		if (!ns || !sim_json_get(ns->json, "metadata.deletionTimestamp"))
			continue;
		size_t left = 0;
		for (int r = 0; r < SIM_RES_COUNT; r++) {
			const struct sim_resource *res = sim_resources_get((enum sim_res_id)r);
			struct sim_keys ok;
			if (!res->namespaced || r == SIM_RES_EVENTS_V1)
				continue;
			sim_ctrl_keys(s, (enum sim_res_id)r, k.v[i].name, &ok);
			for (size_t j = 0; j < ok.n; j++) {
				struct sim_obj *o = sim_store_get(s->store, (enum sim_res_id)r, ok.v[j].ns, ok.v[j].name);
				if (o)
					sim_store_delete(s->store, o);
			}
			left += ok.n;
			sim_ctrl_keys_free(&ok);
		}
		ns = sim_store_get(s->store, SIM_RES_NAMESPACES, NULL, k.v[i].name);
		if (ns)
			sim_store_delete(s->store, ns);
		(void)left;
	}
	sim_ctrl_keys_free(&k);
}

static const char *svc_label_lookup(void *arg, const char *key)
{
	return sim_json_label(arg, key);
}

static bool pod_matches_map(const cJSON *pod, const cJSON *sel)
{
	if (!sel || !sel->child)
		return false;
	for (const cJSON *kv = sel->child; kv; kv = kv->next) {
		const char *v = svc_label_lookup((void *)pod, kv->string);
		if (!v || !cJSON_IsString(kv) || strcmp(v, kv->valuestring) != 0)
			return false;
	}
	return true;
}

/* Endpoints follow the ready pods behind each Service with a selector. */
static void endpoints_reconcile(struct sim *s)
{
	struct sim_keys k;
	sim_ctrl_keys(s, SIM_RES_SERVICES, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *svc = sim_store_get(s->store, SIM_RES_SERVICES, k.v[i].ns, k.v[i].name);
		const cJSON *sel = svc ? sim_json_get(svc->json, "spec.selector") : NULL;
		if (!sel || !sel->child)
			continue;
		cJSON *ep = cJSON_CreateObject();
		cJSON_AddStringToObject(ep, "apiVersion", "v1");
		cJSON_AddStringToObject(ep, "kind", "Endpoints");
		cJSON *meta = cJSON_AddObjectToObject(ep, "metadata");
		cJSON_AddStringToObject(meta, "name", svc->name);
		cJSON_AddStringToObject(meta, "namespace", svc->ns);
		const cJSON *svl = sim_json_get(svc->json, "metadata.labels");
		if (svl)
			cJSON_AddItemToObject(meta, "labels", cJSON_Duplicate(svl, 1));
		cJSON *ready = cJSON_CreateArray(), *notready = cJSON_CreateArray();
		struct sim_obj **pods;
		size_t np = sim_store_list(s->store, SIM_RES_PODS, svc->ns, &pods);
		for (size_t p = 0; p < np; p++) {
			const cJSON *pod = pods[p]->json;
			const char *ip = sim_json_str(pod, "status.podIP");
			if (!ip || sim_ctrl_pod_terminating_p(pod) || !pod_matches_map(pod, sel))
				continue;
			cJSON *a = cJSON_CreateObject();
			cJSON_AddStringToObject(a, "ip", ip);
			cJSON_AddStringToObject(a, "nodeName", sim_json_str_or(pod, "spec.nodeName", ""));
			cJSON *tr = cJSON_AddObjectToObject(a, "targetRef");
			cJSON_AddStringToObject(tr, "kind", "Pod");
			cJSON_AddStringToObject(tr, "namespace", pods[p]->ns);
			cJSON_AddStringToObject(tr, "name", pods[p]->name);
			cJSON_AddStringToObject(tr, "uid", sim_json_str_or(pod, "metadata.uid", ""));
			cJSON_AddItemToArray(sim_ctrl_pod_ready(pod) ? ready : notready, a);
		}
		cJSON *subsets = cJSON_AddArrayToObject(ep, "subsets");
		if (cJSON_GetArraySize(ready) || cJSON_GetArraySize(notready)) {
			cJSON *ss = cJSON_CreateObject();
			if (cJSON_GetArraySize(ready))
				cJSON_AddItemToObject(ss, "addresses", ready);
			else
				cJSON_Delete(ready);
			if (cJSON_GetArraySize(notready))
				cJSON_AddItemToObject(ss, "notReadyAddresses", notready);
			else
				cJSON_Delete(notready);
			cJSON *ports = cJSON_AddArrayToObject(ss, "ports");
			const cJSON *sp = sim_json_get(svc->json, "spec.ports");
			for (const cJSON *p = sp ? sp->child : NULL; p; p = p->next) {
				cJSON *ep_port = cJSON_CreateObject();
				if (sim_json_str(p, "name"))
					cJSON_AddStringToObject(ep_port, "name", sim_json_str(p, "name"));
				const cJSON *tp = sim_json_get(p, "targetPort");
				cJSON_AddNumberToObject(ep_port, "port", cJSON_IsNumber(tp) ? tp->valuedouble :
							sim_json_num(p, "port", 0));
				cJSON_AddStringToObject(ep_port, "protocol", sim_json_str_or(p, "protocol", "TCP"));
				cJSON_AddItemToArray(ports, ep_port);
			}
			cJSON_AddItemToArray(subsets, ss);
		} else {
			cJSON_Delete(ready);
			cJSON_Delete(notready);
		}
		struct sim_obj *cur = sim_store_get(s->store, SIM_RES_ENDPOINTS, svc->ns, svc->name);
		if (!cur) {
			sim_store_create(s->store, SIM_RES_ENDPOINTS, ep, NULL, NULL);
			continue;
		}
		cJSON *next = cJSON_Duplicate(cur->json, 1);
		sim_json_put(next, "subsets", cJSON_Duplicate(subsets, 1));
		cJSON_Delete(ep);
		sim_ctrl_commit(s, cur, next);
	}
	sim_ctrl_keys_free(&k);
}

/* Events expire after an hour, as kube-apiserver's --event-ttl does. */
static void events_expire(struct sim *s)
{
	struct sim_keys k;
	int64_t now = sim_clock_now_ms(&s->clock), last;
	sim_ctrl_keys(s, SIM_RES_EVENTS, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *o = sim_store_get(s->store, SIM_RES_EVENTS, k.v[i].ns, k.v[i].name);
		if (o && sim_ctrl_time_ms(o->json, "lastTimestamp", &last) && now - last > EVENT_TTL_MS)
			sim_store_delete(s->store, o);
	}
	sim_ctrl_keys_free(&k);
}

void sim_ctrl_reconcile(struct sim *s)
{
	if (s->ctrl->in_pass)
		return;
	s->ctrl->in_pass = true;
	namespaces_reconcile(s);
	gc_reconcile(s);
	sim_workloads_reconcile(s);
	sim_storage_reconcile(s);
	pods_reconcile(s);
	sim_faults_reconcile(s);
	endpoints_reconcile(s);
	if (!s->building)
		events_expire(s);
	s->ctrl->in_pass = false;
}

void sim_ctrl_settle(struct sim *s)
{
	for (int i = 0; i < SETTLE_PASSES_MAX; i++) {
		uint64_t before = sim_store_rv(s->store);
		sim_ctrl_reconcile(s);
		if (sim_store_rv(s->store) == before)
			break;
	}
}
