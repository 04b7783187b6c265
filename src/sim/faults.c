/*
 * faults.c: workload, node and API faults (see sim_faults.h). Pod faults
 * take over the kubelet's step for the pods they hit and derive every
 * transition from the pod's own timestamps (container startedAt, the last
 * termination's finishedAt) and the fault's start, like ctrl.c does, so no
 * per-pod state is kept here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_status.h"

#define TIMELINE_MAX 64
#define BACKOFF_FIRST_MS 10000
#define BACKOFF_MAX_MS 300000
#define PULL_ERROR_MS 5000          /* ErrImagePull shows this long after each attempt */
#define UNHEALTHY_EVENT_MS 10000    /* a failing readiness probe is reported every period */
#define ERRORBURST_RATIO 0.8

struct sim_faults {
	struct sim_fault v[SIM_FAULTS_MAX];
	int64_t last_event_ms[SIM_FAULTS_MAX];  /* periodic events (Unhealthy, FailedScheduling) */
	size_t n;
	bool fired[TIMELINE_MAX];               /* timeline entries already applied */
	uint64_t draws;                         /* API fault dice: counter-based, no shared rng */
};

static const struct {
	const char *name;
	enum sim_fault_kind kind;
} kinds[] = {
	{ "crashloop", SIM_FAULT_CRASHLOOP },
	{ "oomkilled", SIM_FAULT_OOMKILLED },
	{ "imagepull", SIM_FAULT_IMAGEPULL },
	{ "pending", SIM_FAULT_PENDING },
	{ "node-notready", SIM_FAULT_NODE_NOTREADY },
	{ "memleak", SIM_FAULT_MEMLEAK },
	{ "diskfill", SIM_FAULT_DISKFILL },
	{ "errorburst", SIM_FAULT_ERRORBURST },
	{ "unhealthy", SIM_FAULT_UNHEALTHY },
	{ "snapshot-fail", SIM_FAULT_SNAPSHOT_FAIL },
	{ "latency", SIM_FAULT_API_LATENCY },
	{ "5xx", SIM_FAULT_API_5XX },
	{ "429", SIM_FAULT_API_429 },
	{ "reset", SIM_FAULT_API_RESET },
	{ "truncated", SIM_FAULT_API_TRUNCATED },
	{ "malformed", SIM_FAULT_API_MALFORMED },
	{ "drop-watch", SIM_FAULT_API_DROP_WATCH },
	{ "410", SIM_FAULT_API_410 },
};

static const struct {
	const char *alias, *name;
} aliases[] = { { "connection-reset", "reset" }, { "truncate", "truncated" },
		{ "dropwatch", "drop-watch" }, { "dropped-watches", "drop-watch" },
		{ "watch-410", "410" }, { "expired", "410" }, { "oom", "oomkilled" },
		{ "notready", "node-notready" }, { "500", "5xx" }, { "503", "5xx" } };

const char *sim_fault_kind_name(enum sim_fault_kind k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == k)
			return kinds[i].name;
	return "unknown";
}

static bool kind_is_api(enum sim_fault_kind k)
{
	return k >= SIM_FAULT_API_LATENCY;
}

static bool kind_lookup(const char *name, size_t n, enum sim_fault_kind *out)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].alias) == n && memcmp(aliases[i].alias, name, n) == 0) {
			name = aliases[i].name;
			n = strlen(name);
		}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == n && memcmp(kinds[i].name, name, n) == 0) {
			*out = kinds[i].kind;
			return true;
		}
	return false;
}

/* A duration ("500ms", "2m") or a bare number of milliseconds. */
static bool parse_ms(const char *v, int64_t *ms)
{
	char *end;
	int64_t ns;
	double x = strtod(v, &end);
	if (end != v && *end == '\0' && x >= 0 && x < 1e12) {
		*ms = (int64_t)x;
		return true;
	}
	if (duration_parse(v, &ns, NULL) != OD_OK || ns < 0)
		return false;
	*ms = ns / 1000000;
	return true;
}

static enum od_status parse_param(struct sim_fault *f, const char *kv, struct err *e)
{
	const char *eq = strchr(kv, '=');
	char key[32];
	const char *v;
	char *end;
	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return err_set(e, OD_EPARSE, "fault parameter \"%.64s\": expected key=value", kv);
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	v = eq + 1;
	if (strcmp(key, "ratio") == 0 || strcmp(key, "probability") == 0 || strcmp(key, "p") == 0) {
		double x = strtod(v, &end);
		if (end == v || *end || !(x >= 0 && x <= 1))
			return err_set(e, OD_EPARSE, "fault %s: %.32s is not in [0, 1]", key, v);
		f->ratio = x;
	} else if (strcmp(key, "ms") == 0 || strcmp(key, "latency") == 0 ||
		   strcmp(key, "delay") == 0 || strcmp(key, "run") == 0) {
		if (!parse_ms(v, &f->ms))
			return err_set(e, OD_EPARSE, "fault %s: bad duration %.32s", key, v);
	} else if (strcmp(key, "ramp") == 0) {
		if (!parse_ms(v, &f->ramp_ms) || f->ramp_ms == 0)
			return err_set(e, OD_EPARSE, "fault ramp: bad duration %.32s", v);
	} else if (strcmp(key, "code") == 0) {
		long c = strtol(v, &end, 10);
		if (end == v || *end || c < 400 || c > 599)
			return err_set(e, OD_EPARSE, "fault code: %.32s is not an HTTP error code", v);
		f->code = (int)c;
	} else if (strcmp(key, "retryAfter") == 0 || strcmp(key, "retry-after") == 0) {
		long c = strtol(v, &end, 10);
		if (end == v || *end || c < 0 || c > 86400)
			return err_set(e, OD_EPARSE, "fault retryAfter: bad seconds %.32s", v);
		f->retry_after = (int)c;
	} else if (strcmp(key, "count") == 0) {
		long c = strtol(v, &end, 10);
		if (end == v || *end || c < 1 || c > 1000000)
			return err_set(e, OD_EPARSE, "fault count: %.32s is not a positive number", v);
		f->count = (int)c;
	} else if (strcmp(key, "path") == 0) {
		if (strlen(v) >= sizeof(f->path))
			return err_set(e, OD_EPARSE, "fault path too long");
		snprintf(f->path, sizeof(f->path), "%s", v);
	} else {
		return err_set(e, OD_EPARSE, "unknown fault parameter \"%.32s\"", key);
	}
	return OD_OK;
}

static void fault_defaults(struct sim_fault *f)
{
	if (f->ms == 0)
		f->ms = f->kind == SIM_FAULT_API_LATENCY ? 1000 :
			f->kind == SIM_FAULT_OOMKILLED ? 5000 : 3000;
	if (f->ramp_ms == 0)
		f->ramp_ms = 120000;
	if (f->kind == SIM_FAULT_API_5XX && f->code == 0)
		f->code = 503;
	if (f->kind == SIM_FAULT_API_429) {
		f->code = 429;
		if (f->retry_after == 0)
			f->retry_after = 1;
	}
	if (f->kind == SIM_FAULT_API_5XX && f->code == 503 && f->retry_after == 0)
		f->retry_after = 1;
}

/* NAMESPACE/WORKLOAD, or a bare node name for node-notready. */
static enum od_status parse_target(struct sim_fault *f, const char *t, size_t n, struct err *e)
{
	const char *slash = memchr(t, '/', n);
	if (n == 0)
		return err_set(e, OD_EPARSE, "fault %s: missing NAMESPACE/WORKLOAD",
			       sim_fault_kind_name(f->kind));
	if (!slash) {
		if (f->kind != SIM_FAULT_NODE_NOTREADY)
			return err_set(e, OD_EPARSE, "fault %s: expected NAMESPACE/WORKLOAD, got \"%.*s\"",
				       sim_fault_kind_name(f->kind), (int)(n > 64 ? 64 : n), t);
		if (n >= sizeof(f->target))
			return err_set(e, OD_EPARSE, "fault target too long");
		memcpy(f->target, t, n);
		f->target[n] = '\0';
		return OD_OK;
	}
	size_t nsl = (size_t)(slash - t), wl = n - nsl - 1;
	if (nsl == 0 || wl == 0 || nsl >= sizeof(f->ns) || wl >= sizeof(f->target) ||
	    memchr(slash + 1, '/', wl))
		return err_set(e, OD_EPARSE, "fault target \"%.*s\": expected NAMESPACE/WORKLOAD",
			       (int)(n > 64 ? 64 : n), t);
	memcpy(f->ns, t, nsl);
	f->ns[nsl] = '\0';
	memcpy(f->target, slash + 1, wl);
	f->target[wl] = '\0';
	return OD_OK;
}

enum od_status sim_fault_parse(const char *spec, struct sim_fault *f, struct err *e)
{
	char buf[SIM_FAULT_SPEC_MAX];
	const char *p, *colon;
	enum od_status rc;
	memset(f, 0, sizeof(*f));
	f->ratio = 1;
	if (!spec || !*spec)
		return err_set(e, OD_EPARSE, "empty fault spec");
	if (strlen(spec) >= sizeof(buf))
		return err_set(e, OD_EPARSE, "fault spec too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	p = buf;
	colon = strchr(p, ':');
	if (!colon)
		return err_set(e, OD_EPARSE, "fault \"%.64s\": expected KIND:NAMESPACE/WORKLOAD", spec);
	bool api = (size_t)(colon - p) == 3 && memcmp(p, "api", 3) == 0;
	if (api) {
		p = colon + 1;
		colon = strchr(p, ':');
		size_t kl = colon ? (size_t)(colon - p) : strlen(p);
		if (!kind_lookup(p, kl, &f->kind) || !kind_is_api(f->kind))
			return err_set(e, OD_EPARSE, "unknown API fault \"%.*s\"", (int)(kl > 32 ? 32 : kl), p);
	} else {
		if (!kind_lookup(p, (size_t)(colon - p), &f->kind) || kind_is_api(f->kind))
			return err_set(e, OD_EPARSE, "unknown fault \"%.*s\" (api faults are api:KIND)",
				       (int)((size_t)(colon - p) > 32 ? 32 : (size_t)(colon - p)), p);
		p = colon + 1;
		colon = strchr(p, ':');
		size_t tl = colon ? (size_t)(colon - p) : strlen(p);
		if ((rc = parse_target(f, p, tl, e)) != OD_OK)
			return rc;
	}
	/* key=value,... after the second colon */
	if (colon) {
		char *kv = (char *)colon + 1;
		while (*kv) {
			char *comma = strchr(kv, ',');
			if (comma)
				*comma = '\0';
			if ((rc = parse_param(f, kv, e)) != OD_OK)
				return rc;
			if (!comma)
				break;
			kv = comma + 1;
		}
	}
	fault_defaults(f);
	return OD_OK;
}

enum od_status sim_fault_parse_json(const char *body, size_t len, struct sim_fault *f,
				    struct err *e)
{
	char spec[SIM_FAULT_SPEC_MAX];
	size_t n = 0;
	enum od_status rc;
	if (!body || len == 0)
		return err_set(e, OD_EPARSE, "empty body: expected {\"fault\": \"KIND:NAMESPACE/WORKLOAD\"}");
	if (len > SIM_FAULTS_BODY_MAX)
		return err_set(e, OD_ELIMIT, "fault body larger than %d bytes", SIM_FAULTS_BODY_MAX);
	cJSON *j = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return err_set(e, OD_EPARSE, "body is not a JSON object");
	}
	const char *s = sim_json_str(j, "fault");
	if (s) {
		rc = sim_fault_parse(s, f, e);
		cJSON_Delete(j);
		return rc;
	}
	const char *kind = sim_json_str(j, "kind"), *target = sim_json_str(j, "target");
	if (!kind) {
		cJSON_Delete(j);
		return err_set(e, OD_EPARSE, "body needs \"fault\" or \"kind\"");
	}
	n = (size_t)snprintf(spec, sizeof(spec), "%s:%s", kind, target ? target : "");
	const cJSON *params = sim_json_get(j, "params"), *pv;
	bool first = true;
	cJSON_ArrayForEach(pv, params) {
		char val[160];
		if (cJSON_IsString(pv))
			snprintf(val, sizeof(val), "%s", pv->valuestring);
		else if (cJSON_IsNumber(pv))
			snprintf(val, sizeof(val), "%.17g", pv->valuedouble);
		else
			continue;
		if (n < sizeof(spec))
			n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%s%s=%s",
					      first ? ":" : ",", pv->string ? pv->string : "", val);
		first = false;
	}
	cJSON_Delete(j);
	if (n >= sizeof(spec))
		return err_set(e, OD_EPARSE, "fault spec too long");
	/* "api:latency" given as kind "api" and target "latency", or kind "latency" with no target */
	return sim_fault_parse(spec, f, e);
}

enum od_status sim_faults_new(struct sim_faults **out, struct err *e)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

void sim_faults_free(struct sim_faults **f)
{
	if (f) {
		free(*f);
		*f = NULL;
	}
}

/* The node of the first scheduled pod of ns/workload, for node-notready given a workload. */
static bool workload_node(struct sim *s, const char *ns, const char *wl, char *out, size_t n)
{
	struct sim_obj **pods;
	char kind[64], name[254];
	size_t np = sim_store_list(s->store, SIM_RES_PODS, ns, &pods);
	for (size_t i = 0; i < np; i++) {
		const char *node = sim_json_str(pods[i]->json, "spec.nodeName");
		if (node && *node && sim_ctrl_pod_workload(s, pods[i]->json, kind, sizeof(kind), name,
							   sizeof(name)) && strcmp(name, wl) == 0) {
			snprintf(out, n, "%s", node);
			return true;
		}
	}
	return false;
}

enum od_status sim_faults_add(struct sim *s, const struct sim_fault *f, struct err *e)
{
	struct sim_faults *fs = s->faults;
	if (fs->n == SIM_FAULTS_MAX)
		return err_set(e, OD_ELIMIT, "at most %d faults at once", SIM_FAULTS_MAX);
	struct sim_fault *nf = &fs->v[fs->n];
	*nf = *f;
	nf->since_ms = sim_clock_now_ms(&s->clock);
	if (nf->kind == SIM_FAULT_NODE_NOTREADY && nf->ns[0]) {
		char node[254];
		if (!workload_node(s, nf->ns, nf->target, node, sizeof(node)))
			return err_set(e, OD_ENOENT, "node-notready: no scheduled pod of %s/%s", nf->ns,
				       nf->target);
		snprintf(nf->target, sizeof(nf->target), "%s", node);
		nf->ns[0] = '\0';
	}
	fs->last_event_ms[fs->n] = INT64_MIN;
	fs->n++;
	sim_ctrl_kick(s);
	return OD_OK;
}

/* ---- pods ------------------------------------------------------------- */

static bool pod_matches(struct sim *s, const struct sim_fault *f, const cJSON *pod)
{
	char kind[64], name[254];
	if (f->kind == SIM_FAULT_NODE_NOTREADY)
		return strcmp(sim_json_str_or(pod, "spec.nodeName", ""), f->target) == 0;
	if (strcmp(sim_json_str_or(pod, "metadata.namespace", ""), f->ns) != 0)
		return false;
	if (strcmp(sim_json_str_or(pod, "metadata.name", ""), f->target) == 0)
		return true;
	return sim_ctrl_pod_workload(s, pod, kind, sizeof(kind), name, sizeof(name)) &&
	       strcmp(name, f->target) == 0;
}

/* The first active fault of one of the given kinds that hits pod; NULL when none. */
static const struct sim_fault *pod_fault(struct sim *s, const cJSON *pod, size_t *idx)
{
	struct sim_faults *fs = s->faults;
	for (size_t i = 0; fs && i < fs->n; i++) {
		switch (fs->v[i].kind) {
		case SIM_FAULT_CRASHLOOP:
		case SIM_FAULT_OOMKILLED:
		case SIM_FAULT_MEMLEAK:
		case SIM_FAULT_IMAGEPULL:
		case SIM_FAULT_PENDING:
		case SIM_FAULT_UNHEALTHY:
		case SIM_FAULT_NODE_NOTREADY:
			if (pod_matches(s, &fs->v[i], pod)) {
				if (idx)
					*idx = i;
				return &fs->v[i];
			}
			break;
		default:
			break;
		}
	}
	return NULL;
}

static int64_t backoff_ms(int64_t restarts)
{
	int64_t b = BACKOFF_FIRST_MS;
	for (int64_t i = 1; i < restarts && b < BACKOFF_MAX_MS; i++)
		b *= 2;
	return b < BACKOFF_MAX_MS ? b : BACKOFF_MAX_MS;
}

static void set_not_ready(struct sim *s, cJSON *pod, const char *cname)
{
	char msg[320];
	snprintf(msg, sizeof(msg), "containers with unready status: [%s]", cname);
	sim_ctrl_set_condition(s, pod, "ContainersReady", "False", "ContainersNotReady", msg);
	sim_ctrl_set_condition(s, pod, "Ready", "False", "ContainersNotReady", msg);
}

static void container_id_new(struct sim *s, const cJSON *pod, const char *cname, int64_t n,
			     char *out, size_t len)
{
	char key[600];
	snprintf(key, sizeof(key), "%llu/%s/%s/%lld", (unsigned long long)s->seed,
		 sim_json_str_or(pod, "metadata.uid", ""), cname, (long long)n);
	uint64_t h = sim_rng_fnv(SIM_FNV_INIT, key);
	snprintf(out, len, "containerd://%016llx%016llx%016llx%016llx", (unsigned long long)h,
		 (unsigned long long)(h * 31), (unsigned long long)(h ^ 0x5bd1e995),
		 (unsigned long long)(h + 7));
}

/* A crash (or an OOM kill) of the first container: lastState.terminated, CrashLoopBackOff. */
static void pod_crash(struct sim *s, struct sim_obj *o, const struct sim_fault *f, int64_t now)
{
	char ts[TIME_RFC3339_MAX], msg[700], fp[300];
	cJSON *next = cJSON_Duplicate(o->json, 1);
	cJSON *st = cJSON_GetArrayItem(sim_json_get(next, "status.containerStatuses"), 0);
	bool oom = f->kind != SIM_FAULT_CRASHLOOP;
	char cname[254], uid[64];
	/* copies: o->json is replaced by the commit below */
	snprintf(cname, sizeof(cname), "%s", sim_json_str_or(st, "name", ""));
	snprintf(uid, sizeof(uid), "%s", sim_json_str_or(o->json, "metadata.uid", ""));
	int64_t restarts = sim_json_int(st, "restartCount", 0) + 1;
	sim_ctrl_ts(now, ts, sizeof(ts));
	cJSON *last = cJSON_CreateObject();
	cJSON *t = cJSON_AddObjectToObject(last, "terminated");
	cJSON_AddNumberToObject(t, "exitCode", oom ? 137 : 1);
	cJSON_AddStringToObject(t, "reason", oom ? "OOMKilled" : "Error");
	cJSON_AddStringToObject(t, "startedAt", sim_json_str_or(st, "state.running.startedAt", ts));
	cJSON_AddStringToObject(t, "finishedAt", ts);
	cJSON_AddStringToObject(t, "containerID", sim_json_str_or(st, "containerID", ""));
	sim_json_put(st, "lastState", last);
	cJSON *state = cJSON_CreateObject();
	cJSON *w = cJSON_AddObjectToObject(state, "waiting");
	cJSON_AddStringToObject(w, "reason", "CrashLoopBackOff");
	snprintf(msg, sizeof(msg), "back-off %llds restarting failed container=%s pod=%s_%s(%s)",
		 (long long)(backoff_ms(restarts) / 1000), cname, o->name, o->ns, uid);
	cJSON_AddStringToObject(w, "message", msg);
	sim_json_put(st, "state", state);
	sim_json_put(st, "ready", cJSON_CreateBool(false));
	sim_json_put(st, "started", cJSON_CreateBool(false));
	sim_json_put(st, "restartCount", cJSON_CreateNumber((double)restarts));
	set_not_ready(s, next, cname);
	sim_ctrl_commit(s, o, next);
	snprintf(fp, sizeof(fp), "spec.containers{%s}", cname);
	sim_ctrl_event(s, o->json, "Warning", "BackOff", "kubelet",
		       sim_json_str(o->json, "spec.nodeName"), fp,
		       "Back-off restarting failed container %s in pod %s_%s(%s)", cname, o->name, o->ns,
		       uid);
}

/* The back-off is over: the kubelet starts the container again. */
static void pod_restart(struct sim *s, struct sim_obj *o, int64_t now)
{
	char ts[TIME_RFC3339_MAX], cid[128], fp[300];
	cJSON *next = cJSON_Duplicate(o->json, 1);
	cJSON *st = cJSON_GetArrayItem(sim_json_get(next, "status.containerStatuses"), 0);
	char cname[254], image[600];
	snprintf(cname, sizeof(cname), "%s", sim_json_str_or(st, "name", ""));
	snprintf(image, sizeof(image), "%s",
		 sim_json_str_or(cJSON_GetArrayItem(sim_json_get(o->json, "spec.containers"), 0), "image", ""));
	sim_ctrl_ts(now, ts, sizeof(ts));
	cJSON *state = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(state, "running"), "startedAt", ts);
	sim_json_put(st, "state", state);
	sim_json_put(st, "started", cJSON_CreateBool(true));
	sim_json_put(st, "ready", cJSON_CreateBool(false));
	container_id_new(s, o->json, cname, sim_json_int(st, "restartCount", 0), cid, sizeof(cid));
	sim_json_put(st, "containerID", cJSON_CreateString(cid));
	sim_json_set_str(next, "status.phase", "Running");
	sim_ctrl_commit(s, o, next);
	snprintf(fp, sizeof(fp), "spec.containers{%s}", cname);
	const char *node = sim_json_str(o->json, "spec.nodeName");
	sim_ctrl_event(s, o->json, "Normal", "Pulled", "kubelet", node, fp,
		       "Container image \"%s\" already present on machine", image);
	sim_ctrl_event(s, o->json, "Normal", "Created", "kubelet", node, fp,
		       "Created container: %s", cname);
	sim_ctrl_event(s, o->json, "Normal", "Started", "kubelet", node, fp,
		       "Started container %s", cname);
}

/* crashloop, oomkilled, memleak: run, die, back off, run again. */
static bool step_kill_cycle(struct sim *s, struct sim_obj *o, const struct sim_fault *f,
			    int64_t now)
{
	const cJSON *st = cJSON_GetArrayItem(sim_json_get(o->json, "status.containerStatuses"), 0);
	int64_t t0, fin;
	if (!st || strcmp(sim_json_str_or(o->json, "status.phase", ""), "Running") != 0)
		return false;
	if (sim_ctrl_time_ms(st, "state.running.startedAt", &t0)) {
		int64_t run = f->kind == SIM_FAULT_MEMLEAK ? f->ramp_ms : f->ms;
		if (t0 < f->since_ms)
			t0 = f->since_ms;
		if (now >= t0 + run) {
			pod_crash(s, o, f, now);
			return true;
		}
		return false;   /* running until its time comes: the kubelet may mark it ready */
	}
	if (strcmp(sim_json_str_or(st, "state.waiting.reason", ""), "CrashLoopBackOff") == 0 &&
	    sim_ctrl_time_ms(st, "lastState.terminated.finishedAt", &fin) &&
	    now >= fin + backoff_ms(sim_json_int(st, "restartCount", 1)))
		pod_restart(s, o, now);
	return true;
}

static void pod_reset_statuses(cJSON *pod, const char *reason, const char *message)
{
	cJSON *sts = sim_json_get(pod, "status.containerStatuses");
	for (cJSON *st = sts ? sts->child : NULL; st; st = st->next) {
		cJSON *state = cJSON_CreateObject();
		cJSON *w = cJSON_AddObjectToObject(state, "waiting");
		cJSON_AddStringToObject(w, "reason", reason);
		if (message)
			cJSON_AddStringToObject(w, "message", message);
		sim_json_put(st, "state", state);
		sim_json_put(st, "ready", cJSON_CreateBool(false));
		sim_json_put(st, "started", cJSON_CreateBool(false));
	}
}

/* imagepull: ErrImagePull at each attempt, ImagePullBackOff in between (10 s, 20 s ... 5 min). */
static bool step_imagepull(struct sim *s, struct sim_obj *o, const struct sim_fault *f,
			   int64_t now)
{
	char msg[1200], fp[300];
	int64_t at = f->since_ms, k = 0;
	while (at + PULL_ERROR_MS + backoff_ms(k + 1) <= now && k < 100000)
		at += PULL_ERROR_MS + backoff_ms(++k);
	bool err_phase = now < at + PULL_ERROR_MS;
	const char *reason = err_phase ? "ErrImagePull" : "ImagePullBackOff";
	const cJSON *c0 = cJSON_GetArrayItem(sim_json_get(o->json, "spec.containers"), 0);
	char image[600], cname[254];
	/* copies: o->json is replaced by the commit below */
	snprintf(image, sizeof(image), "%s", sim_json_str_or(c0, "image", ""));
	snprintf(cname, sizeof(cname), "%s", sim_json_str_or(c0, "name", ""));
	const cJSON *st = cJSON_GetArrayItem(sim_json_get(o->json, "status.containerStatuses"), 0);
	if (!st)
		return false;   /* not scheduled yet: the kubelet schedules it first */
	if (strcmp(sim_json_str_or(st, "state.waiting.reason", ""), reason) == 0)
		return true;
	if (err_phase)
		snprintf(msg, sizeof(msg),
			 "failed to pull and unpack image \"%.250s\": failed to resolve reference \"%.250s\": %.250s: not found",
			 image, image, image);
	else
		snprintf(msg, sizeof(msg), "Back-off pulling image \"%s\"", image);
	cJSON *next = cJSON_Duplicate(o->json, 1);
	pod_reset_statuses(next, reason, msg);
	sim_json_set_str(next, "status.phase", "Pending");
	set_not_ready(s, next, cname);
	sim_ctrl_commit(s, o, next);
	snprintf(fp, sizeof(fp), "spec.containers{%s}", cname);
	const char *node = sim_json_str(o->json, "spec.nodeName");
	if (err_phase) {
		sim_ctrl_event(s, o->json, "Normal", "Pulling", "kubelet", node, fp,
			       "Pulling image \"%s\"", image);
		sim_ctrl_event(s, o->json, "Warning", "Failed", "kubelet", node, fp,
			       "Failed to pull image \"%s\": rpc error: code = NotFound desc = %s", image, msg);
		sim_ctrl_event(s, o->json, "Warning", "Failed", "kubelet", node, fp, "Error: ErrImagePull");
	} else {
		sim_ctrl_event(s, o->json, "Normal", "BackOff", "kubelet", node, fp,
			       "Back-off pulling image \"%s\"", image);
		sim_ctrl_event(s, o->json, "Warning", "Failed", "kubelet", node, fp,
			       "Error: ImagePullBackOff");
	}
	return true;
}

/* pending: the pod loses its node and the scheduler cannot place it. */
static bool step_pending(struct sim *s, struct sim_obj *o, size_t idx, int64_t now)
{
	struct sim_faults *fs = s->faults;
	struct sim_obj **nodes;
	char msg[400];
	size_t nn = sim_store_list(s->store, SIM_RES_NODES, NULL, &nodes);
	snprintf(msg, sizeof(msg),
		 "0/%zu nodes are available: %zu Insufficient memory. preemption: 0/%zu nodes are available: %zu No preemption victims found for incoming pod.",
		 nn, nn, nn, nn);
	const cJSON *ps = NULL, *conds = sim_json_get(o->json, "status.conditions");
	for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "type", ""), "PodScheduled") == 0)
			ps = c;
	bool already = ps && strcmp(sim_json_str_or(ps, "reason", ""), "Unschedulable") == 0;
	if (!already) {
		cJSON *next = cJSON_Duplicate(o->json, 1);
		sim_json_remove(next, "spec.nodeName");
		cJSON *status = cJSON_CreateObject();
		cJSON_AddStringToObject(status, "phase", "Pending");
		const char *qos = sim_json_str(o->json, "status.qosClass");
		if (qos)
			cJSON_AddStringToObject(status, "qosClass", qos);
		sim_json_put(next, "status", status);
		sim_ctrl_set_condition(s, next, "PodScheduled", "False", "Unschedulable", msg);
		sim_ctrl_commit(s, o, next);
	}
	/* The scheduler retries and reports again about once a minute. */
	if (!already || fs->last_event_ms[idx] == INT64_MIN || now - fs->last_event_ms[idx] >= 60000) {
		fs->last_event_ms[idx] = now;
		sim_ctrl_event(s, o->json, "Warning", "FailedScheduling", "default-scheduler", NULL,
			       NULL, "%s", msg);
	}
	return true;
}

/* unhealthy, node-notready: the pod runs but is not ready. */
static bool step_not_ready(struct sim *s, struct sim_obj *o, const struct sim_fault *f,
			   size_t idx, int64_t now)
{
	struct sim_faults *fs = s->faults;
	const cJSON *st = cJSON_GetArrayItem(sim_json_get(o->json, "status.containerStatuses"), 0);
	char cname[254], fp[300];
	snprintf(cname, sizeof(cname), "%s", sim_json_str_or(st, "name", ""));
	if (!st || strcmp(sim_json_str_or(o->json, "status.phase", ""), "Running") != 0 ||
	    !sim_json_get(st, "state.running"))
		return false;
	cJSON *next = cJSON_Duplicate(o->json, 1);
	cJSON *sts = sim_json_get(next, "status.containerStatuses");
	for (cJSON *c = sts ? sts->child : NULL; c; c = c->next)
		sim_json_put(c, "ready", cJSON_CreateBool(false));
	if (f->kind == SIM_FAULT_NODE_NOTREADY)
		sim_ctrl_set_condition(s, next, "Ready", "False", "NodeNotReady", NULL);
	else
		set_not_ready(s, next, cname);
	sim_ctrl_commit(s, o, next);
	if (f->kind == SIM_FAULT_UNHEALTHY && (fs->last_event_ms[idx] == INT64_MIN ||
					      now - fs->last_event_ms[idx] >= UNHEALTHY_EVENT_MS)) {
		fs->last_event_ms[idx] = now;
		snprintf(fp, sizeof(fp), "spec.containers{%s}", cname);
		sim_ctrl_event(s, o->json, "Warning", "Unhealthy", "kubelet",
			       sim_json_str(o->json, "spec.nodeName"), fp,
			       "Readiness probe failed: HTTP probe failed with statuscode: 503");
	}
	return true;
}

bool sim_faults_pod_step(struct sim *s, struct sim_obj *o)
{
	size_t idx = 0;
	const struct sim_fault *f;
	if (!s->faults || s->faults->n == 0 || s->building || sim_ctrl_pod_terminating_p(o->json) ||
	    sim_ctrl_pod_finished(o->json))
		return false;
	f = pod_fault(s, o->json, &idx);
	if (!f)
		return false;
	int64_t now = sim_clock_now_ms(&s->clock);
	switch (f->kind) {
	case SIM_FAULT_CRASHLOOP:
	case SIM_FAULT_OOMKILLED:
	case SIM_FAULT_MEMLEAK:
		return step_kill_cycle(s, o, f, now);
	case SIM_FAULT_IMAGEPULL:
		return step_imagepull(s, o, f, now);
	case SIM_FAULT_PENDING:
		return step_pending(s, o, idx, now);
	case SIM_FAULT_UNHEALTHY:
	case SIM_FAULT_NODE_NOTREADY:
		return step_not_ready(s, o, f, idx, now);
	default:
		return false;
	}
}

/* ---- snapshots, nodes, timeline ----------------------------------------- */

static bool claim_matches(const struct sim_fault *f, const char *ns, const char *claim)
{
	return strcmp(f->ns, ns) == 0 && claim && strstr(claim, f->target) != NULL;
}

bool sim_faults_snapshot_step(struct sim *s, struct sim_obj *vs)
{
	struct sim_faults *fs = s->faults;
	char msg[600], ts[TIME_RFC3339_MAX];
	const char *claim = sim_json_str(vs->json, "spec.source.persistentVolumeClaimName");
	if (!fs || s->building || sim_json_bool(vs->json, "status.readyToUse", false))
		return false;
	for (size_t i = 0; i < fs->n; i++) {
		const struct sim_fault *f = &fs->v[i];
		if (f->kind != SIM_FAULT_SNAPSHOT_FAIL || !claim_matches(f, vs->ns, claim))
			continue;
		snprintf(msg, sizeof(msg),
			 "Failed to check and update snapshot content: failed to take snapshot of the volume %s: \"rpc error: code = Internal desc = failed to create snapshot: backup target is unavailable\"",
			 claim);
		if (sim_json_str(vs->json, "status.error.message") &&
		    strcmp(sim_json_str(vs->json, "status.error.message"), msg) == 0)
			return true;
		cJSON *next = cJSON_Duplicate(vs->json, 1);
		sim_ctrl_ts(sim_clock_now_ms(&s->clock), ts, sizeof(ts));
		sim_json_set_str(next, "status.error.message", msg);
		sim_json_set_str(next, "status.error.time", ts);
		sim_json_set_bool(next, "status.readyToUse", false);
		sim_ctrl_commit(s, vs, next);
		sim_ctrl_event(s, vs->json, "Warning", "SnapshotContentCheckandUpdateFailed",
			       "snapshot-controller", NULL, NULL, "%s", msg);
		return true;
	}
	return false;
}

static bool node_faulted(const struct sim_faults *fs, const char *node)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].kind == SIM_FAULT_NODE_NOTREADY && strcmp(fs->v[i].target, node) == 0)
			return true;
	return false;
}

static void node_set_ready(struct sim *s, struct sim_obj *node, bool ready)
{
	const cJSON *conds = sim_json_get(node->json, "status.conditions");
	const char *cur = NULL;
	for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "type", ""), "Ready") == 0)
			cur = sim_json_str(c, "status");
	if (cur && (strcmp(cur, "True") == 0) == ready)
		return;
	cJSON *next = cJSON_Duplicate(node->json, 1);
	if (ready) {
		sim_ctrl_set_condition(s, next, "Ready", "True", "KubeletReady",
				       "kubelet is posting ready status");
		sim_json_remove(next, "spec.taints");
	} else {
		sim_ctrl_set_condition(s, next, "Ready", "Unknown", "NodeStatusUnknown",
				       "Kubelet stopped posting node status.");
		cJSON *taints = cJSON_CreateArray();
		static const char *const effects[] = { "NoSchedule", "NoExecute" };
		char ts[TIME_RFC3339_MAX];
		sim_ctrl_ts(sim_clock_now_ms(&s->clock), ts, sizeof(ts));
		for (int i = 0; i < 2; i++) {
			cJSON *t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "key", "node.kubernetes.io/unreachable");
			cJSON_AddStringToObject(t, "effect", effects[i]);
			if (i == 1)
				cJSON_AddStringToObject(t, "timeAdded", ts);
			cJSON_AddItemToArray(taints, t);
		}
		sim_json_set(next, "spec.taints", taints);
	}
	sim_ctrl_commit(s, node, next);
	sim_ctrl_event(s, node->json, "Normal", ready ? "NodeReady" : "NodeNotReady",
		       ready ? "kubelet" : "node-controller", ready ? node->name : NULL, NULL,
		       "Node %s status is now: %s", node->name, ready ? "NodeReady" : "NodeNotReady");
}

static void timeline_step(struct sim *s)
{
	struct sim_faults *fs = s->faults;
	const cJSON *scn;
	size_t i = 0;
	int64_t start = sim_clock_to_ms(s->clock.start), now = sim_clock_now_ms(&s->clock);
	cJSON_ArrayForEach(scn, s->scenarios) {
		const cJSON *ev;
		cJSON_ArrayForEach(ev, sim_json_get(scn, "spec.timeline")) {
			int64_t at = 0;
			struct sim_fault f;
			struct err e;
			if (i >= TIMELINE_MAX)
				return;
			if (!fs->fired[i] && parse_ms(sim_json_str_or(ev, "at", "0s"), &at) &&
			    now >= start + at) {
				fs->fired[i] = true;
				if (sim_fault_parse(sim_json_str_or(ev, "fault", ""), &f, &e) != OD_OK ||
				    sim_faults_add(s, &f, &e) != OD_OK)
					fprintf(stderr, "opsdeck-sim: timeline: %s\n", e.msg);
			}
			i++;
		}
	}
}

void sim_faults_reconcile(struct sim *s)
{
	struct sim_faults *fs = s->faults;
	struct sim_obj **nodes;
	if (!fs || s->building)
		return;
	timeline_step(s);
	size_t n = sim_store_list(s->store, SIM_RES_NODES, NULL, &nodes);
	for (size_t i = 0; i < n; i++) {
		bool faulted = node_faulted(fs, nodes[i]->name);
		struct sim_obj *node = sim_store_get(s->store, SIM_RES_NODES, NULL, nodes[i]->name);
		if (faulted)
			node_set_ready(s, node, false);
		n = sim_store_list(s->store, SIM_RES_NODES, NULL, &nodes);
	}
}

/* After a clear: a pod a fault left broken starts over as the kubelet would restart it. */
static void pod_recover(struct sim *s, struct sim_obj *o, int64_t now)
{
	const cJSON *st = cJSON_GetArrayItem(sim_json_get(o->json, "status.containerStatuses"), 0);
	if (!st)
		return;   /* unscheduled (pending): the scheduler places it again */
	if (sim_json_get(st, "state.running") && sim_ctrl_pod_ready(o->json))
		return;
	if (sim_json_get(st, "state.waiting"))
		pod_restart(s, o, now);
	else {
		cJSON *next = cJSON_Duplicate(o->json, 1);
		set_not_ready(s, next, sim_json_str_or(st, "name", ""));
		sim_ctrl_commit(s, o, next);
	}
}

void sim_faults_clear(struct sim *s)
{
	struct sim_faults *fs = s->faults;
	struct sim_keys k;
	int64_t now = sim_clock_now_ms(&s->clock);
	struct sim_fault old[SIM_FAULTS_MAX];
	size_t n = fs->n;
	memcpy(old, fs->v, n * sizeof(old[0]));
	fs->n = 0;
	sim_ctrl_keys(s, SIM_RES_PODS, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *o = sim_store_get(s->store, SIM_RES_PODS, k.v[i].ns, k.v[i].name);
		if (!o || sim_ctrl_pod_terminating_p(o->json) || sim_ctrl_pod_finished(o->json))
			continue;
		for (size_t j = 0; j < n; j++)
			if (pod_matches(s, &old[j], o->json) && !kind_is_api(old[j].kind)) {
				pod_recover(s, o, now);
				break;
			}
	}
	sim_ctrl_keys_free(&k);
	for (size_t j = 0; j < n; j++) {
		if (old[j].kind != SIM_FAULT_NODE_NOTREADY)
			continue;
		struct sim_obj *node = sim_store_get(s->store, SIM_RES_NODES, NULL, old[j].target);
		if (node)
			node_set_ready(s, node, true);
	}
	sim_ctrl_kick(s);
}

/* ---- metrics, logs, health -------------------------------------------- */

void sim_faults_adjust_container(struct sim *s, const cJSON *pod, const char *cname,
				 int64_t t_ms, int64_t started_ms, struct sim_metrics_sample *m)
{
	const struct sim_fault *f = pod_fault(s, pod, NULL);
	(void)cname;
	if (!f)
		return;
	double limit = m->mem_limit_bytes > 0 ? m->mem_limit_bytes : m->mem_bytes * 2;
	int64_t from = started_ms > f->since_ms ? started_ms : f->since_ms;
	if (f->kind == SIM_FAULT_MEMLEAK && t_ms >= from) {
		double frac = (double)(t_ms - from) / (double)f->ramp_ms;
		if (frac > 1)
			frac = 1;
		m->mem_bytes += (limit - m->mem_bytes) * frac;
	} else if (f->kind == SIM_FAULT_OOMKILLED && t_ms >= from) {
		m->mem_bytes = limit * 0.97;
	} else if (f->kind == SIM_FAULT_CRASHLOOP && t_ms >= from) {
		/* a crashing process burns CPU while it starts over */
		m->cpu_cores *= 1.5;
	}
}

void sim_faults_adjust_volume(struct sim *s, const cJSON *pvc, int64_t t_ms, double capacity,
			      double *used)
{
	struct sim_faults *fs = s->faults;
	const char *ns = sim_json_str_or(pvc, "metadata.namespace", "");
	const char *name = sim_json_str_or(pvc, "metadata.name", "");
	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct sim_fault *f = &fs->v[i];
		if (f->kind != SIM_FAULT_DISKFILL || !claim_matches(f, ns, name) || t_ms < f->since_ms)
			continue;
		double frac = (double)(t_ms - f->since_ms) / (double)f->ramp_ms;
		if (frac > 1)
			frac = 1;
		*used += (capacity - *used) * frac;
	}
}

double sim_faults_error_ratio(struct sim *s, const char *ns, const char *pod, int64_t t_ms)
{
	struct sim_faults *fs = s->faults;
	struct sim_obj *o = NULL;
	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct sim_fault *f = &fs->v[i];
		if (f->kind != SIM_FAULT_ERRORBURST || strcmp(f->ns, ns) != 0 || t_ms < f->since_ms)
			continue;
		if (!o)
			o = sim_store_get(s->store, SIM_RES_PODS, ns, pod);
		if (o && pod_matches(s, f, o->json))
			return ERRORBURST_RATIO;
	}
	return 0;
}

/* ---- API faults ------------------------------------------------------- */

void sim_faults_api_pick(struct sim *s, const char *method, const char *path, bool watch,
			 struct sim_fault_action *a)
{
	struct sim_faults *fs = s->faults;
	(void)method;
	memset(a, 0, sizeof(*a));
	if (!fs || !path || strncmp(path, "/sim/", 5) == 0)
		return;   /* the control endpoint stays reachable so a drill can be ended */
	for (size_t i = 0; i < fs->n; i++) {
		struct sim_fault *f = &fs->v[i];
		if (!kind_is_api(f->kind) || (f->path[0] && !strstr(path, f->path)) ||
		    (f->count && f->struck >= f->count))
			continue;
		bool watch_only = f->kind == SIM_FAULT_API_DROP_WATCH || f->kind == SIM_FAULT_API_410;
		if (watch_only && !watch)
			continue;
		double dice = (double)(sim_rng_fnv(SIM_FNV_INIT ^ s->seed ^ ++fs->draws, "api") >> 11) /
			      9007199254740992.0;
		if (dice >= f->ratio)
			continue;
		f->struck++;
		switch (f->kind) {
		case SIM_FAULT_API_LATENCY: a->delay_ms += f->ms; break;
		case SIM_FAULT_API_5XX:
		case SIM_FAULT_API_429:
			if (!a->code) {
				a->code = f->code;
				a->retry_after = f->retry_after;
			}
			break;
		case SIM_FAULT_API_RESET: a->reset = true; break;
		case SIM_FAULT_API_TRUNCATED: a->truncate = true; break;
		case SIM_FAULT_API_MALFORMED: a->malformed = true; break;
		case SIM_FAULT_API_DROP_WATCH: a->drop_watch = true; break;
		case SIM_FAULT_API_410: a->expire_watch = true; break;
		default: break;
		}
	}
}

static cJSON *fault_json(const struct sim_fault *f)
{
	char ts[TIME_RFC3339_MAX];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", sim_fault_kind_name(f->kind));
	cJSON_AddBoolToObject(o, "api", kind_is_api(f->kind));
	if (!kind_is_api(f->kind)) {
		char t[330];
		snprintf(t, sizeof(t), "%s%s%s", f->ns, f->ns[0] ? "/" : "", f->target);
		cJSON_AddStringToObject(o, "target", t);
	}
	cJSON *p = cJSON_AddObjectToObject(o, "params");
	if (kind_is_api(f->kind)) {
		cJSON_AddNumberToObject(p, "ratio", f->ratio);
		if (f->path[0])
			cJSON_AddStringToObject(p, "path", f->path);
		if (f->count) {
			cJSON_AddNumberToObject(p, "count", f->count);
			cJSON_AddNumberToObject(o, "struck", f->struck);
		}
	}
	if (f->code)
		cJSON_AddNumberToObject(p, "code", f->code);
	if (f->retry_after)
		cJSON_AddNumberToObject(p, "retryAfter", f->retry_after);
	if (f->kind == SIM_FAULT_API_LATENCY || f->kind == SIM_FAULT_CRASHLOOP ||
	    f->kind == SIM_FAULT_OOMKILLED)
		cJSON_AddNumberToObject(p, "ms", (double)f->ms);
	if (f->kind == SIM_FAULT_MEMLEAK || f->kind == SIM_FAULT_DISKFILL)
		cJSON_AddNumberToObject(p, "ramp", (double)f->ramp_ms);
	sim_ctrl_ts(f->since_ms, ts, sizeof(ts));
	cJSON_AddStringToObject(o, "since", ts);
	return o;
}

static cJSON *faults_list(const struct sim_faults *fs)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(o, "faults");
	for (size_t i = 0; i < fs->n; i++)
		cJSON_AddItemToArray(items, fault_json(&fs->v[i]));
	return o;
}

static void resp_set(struct sim_response *resp, int code, cJSON *j)
{
	resp->code = code;
	resp->json = j;
	resp->content_type = "application/json";
}

bool sim_faults_api_handle(struct sim *s, const struct sim_request *req,
			   struct sim_response *resp)
{
	struct sim_fault f;
	struct err e;
	char msg[700];
	if (!req->path || strcmp(req->path, "/sim/faults") != 0)
		return false;
	if (strcmp(req->method, "GET") == 0) {
		resp_set(resp, 200, faults_list(s->faults));
		return true;
	}
	if (strcmp(req->method, "POST") != 0 && strcmp(req->method, "DELETE") != 0) {
		resp_set(resp, 405, sim_status_method_not_allowed());
		return true;
	}
	if (req->user.role != SIM_ROLE_ADMIN) {
		snprintf(msg, sizeof(msg),
			 "faults is forbidden: User \"%s\" cannot change faults: only admin may", req->user.name);
		resp_set(resp, 403, sim_status_new(403, "Forbidden", msg, NULL));
		return true;
	}
	if (strcmp(req->method, "DELETE") == 0) {
		sim_faults_clear(s);
		resp_set(resp, 200, faults_list(s->faults));
		return true;
	}
	if (req->body_len > SIM_FAULTS_BODY_MAX) {
		resp_set(resp, 413, sim_status_new(413, "RequestEntityTooLarge",
						   "Request entity too large: limit is 4096", NULL));
		return true;
	}
	if (sim_fault_parse_json(req->body, req->body_len, &f, &e) != OD_OK ||
	    sim_faults_add(s, &f, &e) != OD_OK) {
		resp_set(resp, 400, sim_status_bad_request(e.msg));
		return true;
	}
	resp_set(resp, 201, fault_json(&s->faults->v[s->faults->n - 1]));
	return true;
}
