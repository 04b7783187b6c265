/*
 * metrics.c: the resource usage model (see sim_metrics.h) and the APIs
 * that serve it the way metrics-server and the kubelet do.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/quantity.h"
#include "opsdeck/selector.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_metrics.h"
#include "opsdeck/sim_status.h"

#define SPIKE_WINDOW_S 900.0    /* one spike per 15 minutes */
#define SPIKE_LEN_S 20.0
#define SPIKE_HEIGHT 1.5        /* x noise */
/* Wave weights: together about noise/2 of standard deviation, so a short average stays near the baseline. */
#define CPU_WAVE0 0.5
#define CPU_WAVE1 0.3
#define MEM_CEILING 0.9         /* share of the limit the model never exceeds at rest */
#define TIME_ORIGIN_S 1.6e9     /* keeps sine arguments small enough for doubles */
#define TWO_PI 6.283185307179586

/* One container's parameters, derived from the scenario and seeded hashes. */
struct model {
	double cpu, cpu_amp;            /* cores */
	double mem, mem_amp, drift;     /* bytes, bytes per second */
	double w[4], p[4];              /* wave angular speeds and phases */
	uint64_t h;                     /* identity hash: seed, namespace, pod, container */
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* Uniform in [0, 1) from h and k. */
static double hash01(uint64_t h, uint64_t k)
{
	return (double)(mix64(h ^ mix64(k + 0x9e3779b97f4a7c15u)) >> 11) / 9007199254740992.0;
}

bool sim_metrics_parse_rate(const char *s, double *per_second)
{
	char num[64];
	const char *slash = s ? strchr(s, '/') : NULL;
	int64_t milli;
	double unit;
	if (!slash || (size_t)(slash - s) >= sizeof(num) || slash == s)
		return false;
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	if (!quantity_parse_milli(num, &milli))
		return false;
	switch (slash[1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return false;
	}
	if (slash[2] != '\0')
		return false;
	*per_second = (double)milli / 1000.0 / unit;
	return true;
}

static double cfg_cpu(const cJSON *m, const char *key, double dflt)
{
	int64_t milli;
	const char *v = sim_json_str(m, key);
	return v && quantity_parse_milli(v, &milli) ? (double)milli / 1000.0 : dflt;
}

static double cfg_bytes(const cJSON *m, const char *key, double dflt)
{
	int64_t milli;
	const char *v = sim_json_str(m, key);
	return v && quantity_parse_milli(v, &milli) ? (double)milli / 1000.0 : dflt;
}

static const cJSON *find_container(const cJSON *pod, const char *cname)
{
	const cJSON *cs = sim_json_get(pod, "spec.containers");
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "name", ""), cname) == 0)
			return c;
	return NULL;
}

/* The scenario's metrics block for the pod's workload and container, or NULL. */
static const cJSON *workload_metrics(struct sim *s, const cJSON *pod, const char *cname)
{
	char kind[64], name[254];
	if (!sim_ctrl_pod_workload(s, pod, kind, sizeof(kind), name, sizeof(name)))
		return NULL;
	const cJSON *wl = sim_workload_config(s, sim_json_str_or(pod, "metadata.namespace", ""),
					      kind, name);
	return cJSON_GetObjectItemCaseSensitive(sim_json_get(wl, "metrics"), cname);
}

static void model_init(struct sim *s, const cJSON *pod, const cJSON *c, const char *cname,
		       struct model *m)
{
	const cJSON *cfg = workload_metrics(s, pod, cname);
	double req_cpu = cfg_cpu(c, "resources.requests.cpu", 0.1);
	double req_mem = cfg_bytes(c, "resources.requests.memory", 128.0 * 1048576);
	double drift = 0;
	uint64_t h = SIM_FNV_INIT ^ s->seed;
	h = sim_rng_fnv(h, sim_json_str_or(pod, "metadata.namespace", ""));
	h = sim_rng_fnv(h, sim_json_str_or(pod, "metadata.name", ""));
	h = sim_rng_fnv(h, cname);
	m->h = h;
	/* Without a baseline a container idles well under its requests. */
	m->cpu = cfg_cpu(cfg, "cpu", req_cpu * (0.2 + 0.2 * hash01(h, 1)));
	m->cpu_amp = cfg_cpu(cfg, "cpuNoise", m->cpu * 0.15);
	m->mem = cfg_bytes(cfg, "memory", req_mem * (0.4 + 0.2 * hash01(h, 2)));
	m->mem_amp = cfg_bytes(cfg, "memoryNoise", m->mem * 0.03);
	if (sim_metrics_parse_rate(sim_json_str(cfg, "memoryDrift"), &drift))
		m->drift = drift;
	else
		m->drift = 0;
	/* The waves and the spike add at most 2.5 x amp: keep usage above zero. */
	if (m->cpu_amp > m->cpu / 2.6)
		m->cpu_amp = m->cpu / 2.6;
	if (m->mem_amp > m->mem / 2.6)
		m->mem_amp = m->mem / 2.6;
	for (int i = 0; i < 4; i++) {
		double period = 300.0 + 3300.0 * hash01(h, 10 + (uint64_t)i);   /* 5 to 60 min */
		m->w[i] = TWO_PI / period;
		m->p[i] = TWO_PI * hash01(h, 20 + (uint64_t)i);
	}
}

/* Seconds into the current spike window's spike, times the spike height: the spike's integral. */
static double spike_integral(const struct model *m, double t)
{
	double k = floor(t / SPIKE_WINDOW_S);
	double off = hash01(m->h, 1000 + (uint64_t)(int64_t)k) * (SPIKE_WINDOW_S - SPIKE_LEN_S);
	double in = t - k * SPIKE_WINDOW_S - off;
	if (in < 0)
		in = 0;
	if (in > SPIKE_LEN_S)
		in = SPIKE_LEN_S;
	return SPIKE_HEIGHT * m->cpu_amp * (k * SPIKE_LEN_S + in);
}

static double cpu_at(const struct model *m, double t)
{
	double k = floor(t / SPIKE_WINDOW_S);
	double off = hash01(m->h, 1000 + (uint64_t)(int64_t)k) * (SPIKE_WINDOW_S - SPIKE_LEN_S);
	double in = t - k * SPIKE_WINDOW_S - off;
	double v = m->cpu + m->cpu_amp * (CPU_WAVE0 * sin(m->w[0] * t + m->p[0]) +
					  CPU_WAVE1 * sin(m->w[1] * t + m->p[1]));
	if (in >= 0 && in < SPIKE_LEN_S)
		v += SPIKE_HEIGHT * m->cpu_amp;
	return v;
}

/* Exact integral of cpu_at from t0 to t1 (seconds). */
static double cpu_integral(const struct model *m, double t0, double t1)
{
	double waves = 0;
	for (int i = 0; i < 2; i++) {
		double a = i == 0 ? CPU_WAVE0 : CPU_WAVE1;
		waves += a * (cos(m->w[i] * t0 + m->p[i]) - cos(m->w[i] * t1 + m->p[i])) / m->w[i];
	}
	return m->cpu * (t1 - t0) + m->cpu_amp * waves + spike_integral(m, t1) -
	       spike_integral(m, t0);
}

static double mem_at(const struct model *m, double t, double since_start)
{
	return m->mem + m->mem_amp * (0.7 * sin(m->w[2] * t + m->p[2]) +
				      0.3 * sin(m->w[3] * t + m->p[3])) +
	       m->drift * since_start;
}

/* When the container at index idx started running; false when it is not running. */
static bool container_started(const cJSON *pod, const char *cname, int64_t *ms)
{
	const cJSON *st = sim_json_get(pod, "status.containerStatuses");
	for (const cJSON *c = st ? st->child : NULL; c; c = c->next) {
		if (strcmp(sim_json_str_or(c, "name", ""), cname) != 0)
			continue;
		return sim_ctrl_time_ms(c, "state.running.startedAt", ms);
	}
	return false;
}

bool sim_metrics_container(struct sim *s, const cJSON *pod, const char *cname, int64_t t_ms,
			   struct sim_metrics_sample *out)
{
	return sim_metrics_container_hist(s, pod, cname, t_ms, INT64_MAX, out);
}

bool sim_metrics_container_hist(struct sim *s, const cJSON *pod, const char *cname, int64_t t_ms,
				int64_t origin_ms, struct sim_metrics_sample *out)
{
	const cJSON *c = find_container(pod, cname);
	struct model m;
	int64_t started;
	if (!c || !container_started(pod, cname, &started))
		return false;
	if (t_ms < started) {
		if (origin_ms == INT64_MAX)
			t_ms = started;   /* live: the sample of a container that just started */
		else if (t_ms < origin_ms)
			return false;
		else
			started = origin_ms;   /* history: an earlier incarnation since the origin */
	}
	model_init(s, pod, c, cname, &m);
	double t = (double)t_ms / 1000.0 - TIME_ORIGIN_S;
	double t0 = (double)started / 1000.0 - TIME_ORIGIN_S;
	memset(out, 0, sizeof(*out));
	out->cpu_cores = cpu_at(&m, t);
	out->cpu_seconds = cpu_integral(&m, t0, t);
	out->mem_bytes = mem_at(&m, t, t - t0);
	out->mem_limit_bytes = cfg_bytes(c, "resources.limits.memory", 0);
	if (out->mem_limit_bytes > 0 && out->mem_bytes > MEM_CEILING * out->mem_limit_bytes)
		out->mem_bytes = MEM_CEILING * out->mem_limit_bytes;
	sim_faults_adjust_container(s, pod, cname, t_ms, started, out);
	return true;
}

/* The scenario's volumes entry for a PVC: claim equal to its name or its template prefix. */
static const cJSON *volume_config(struct sim *s, const char *ns, const char *pvc)
{
	const cJSON *scn, *wl, *v;
	size_t nl = strlen(ns);
	cJSON_ArrayForEach(scn, s->scenarios) {
		cJSON_ArrayForEach(wl, sim_json_get(scn, "spec.workloads")) {
			const char *ref = sim_json_str_or(wl, "ref", "");
			if (strncmp(ref, ns, nl) != 0 || ref[nl] != '/')
				continue;
			cJSON_ArrayForEach(v, sim_json_get(wl, "volumes")) {
				const char *claim = sim_json_str_or(v, "claim", "");
				size_t cl = strlen(claim);
				if (strcmp(claim, pvc) == 0 ||
				    (cl && strncmp(pvc, claim, cl) == 0 && pvc[cl] == '-'))
					return v;
			}
		}
	}
	return NULL;
}

bool sim_metrics_volume(struct sim *s, const cJSON *pvc, int64_t t_ms, double *used,
			double *capacity)
{
	const char *ns = sim_json_str_or(pvc, "metadata.namespace", "");
	const char *name = sim_json_str_or(pvc, "metadata.name", "");
	const char *cap = sim_json_str(pvc, "status.capacity.storage");
	int64_t cap_b;
	double growth = 0;
	if (strcmp(sim_json_str_or(pvc, "status.phase", ""), "Bound") != 0)
		return false;
	if (!cap)
		cap = sim_json_str(pvc, "spec.resources.requests.storage");
	if (!cap || !quantity_parse_value(cap, &cap_b) || cap_b <= 0)
		return false;
	const cJSON *cfg = volume_config(s, ns, name);
	uint64_t h = sim_rng_fnv(sim_rng_fnv(SIM_FNV_INIT ^ s->seed, ns), name);
	double u0 = cfg_bytes(cfg, "used", (double)cap_b * (0.15 + 0.1 * hash01(h, 3)));
	if (!sim_metrics_parse_rate(sim_json_str(cfg, "growth"), &growth))
		growth = 0;
	/* "used" is the usage at --start-time; growth runs both ways from there. */
	double dt = (double)(t_ms - sim_clock_to_ms(s->clock.start)) / 1000.0;
	double u = u0 + growth * dt;
	if (u < u0 * 0.5)
		u = u0 * 0.5;
	*capacity = (double)cap_b;
	*used = u > *capacity ? *capacity : u;
	sim_faults_adjust_volume(s, pvc, t_ms, *capacity, used);
	return true;
}

/* The system's own share of a node (kubelet, runtime, kernel). */
static void node_system(struct sim *s, const char *node, double t, double *cpu, double *mem)
{
	uint64_t h = sim_rng_fnv(SIM_FNV_INIT ^ s->seed, node);
	*cpu = 0.12 + 0.03 * sin(TWO_PI * t / (600 + 600 * hash01(h, 1)) + TWO_PI * hash01(h, 2));
	*mem = (900.0 + 40.0 * sin(TWO_PI * t / 3600 + TWO_PI * hash01(h, 3))) * 1048576;
}

void sim_metrics_node(struct sim *s, const cJSON *node, int64_t t_ms, double *cpu_cores,
		      double *mem_bytes, double *cpu_seconds)
{
	const char *name = sim_json_str_or(node, "metadata.name", "");
	struct sim_obj **pods;
	size_t n = sim_store_list(s->store, SIM_RES_PODS, NULL, &pods);
	double t = (double)t_ms / 1000.0 - TIME_ORIGIN_S;
	int64_t created = t_ms;
	node_system(s, name, t, cpu_cores, mem_bytes);
	sim_ctrl_time_ms(node, "metadata.creationTimestamp", &created);
	*cpu_seconds = 0.12 * (double)(t_ms - created) / 1000.0;
	for (size_t i = 0; i < n; i++) {
		const cJSON *pod = pods[i]->json;
		if (strcmp(sim_json_str_or(pod, "spec.nodeName", ""), name) != 0)
			continue;
		const cJSON *cs = sim_json_get(pod, "spec.containers");
		for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next) {
			struct sim_metrics_sample smp;
			if (!sim_metrics_container(s, pod, sim_json_str_or(c, "name", ""), t_ms, &smp))
				continue;
			*cpu_cores += smp.cpu_cores;
			*mem_bytes += smp.mem_bytes;
			*cpu_seconds += smp.cpu_seconds;
		}
	}
}

/* ---- metrics.k8s.io ---------------------------------------------------- */

static void resp_set(struct sim_response *resp, int code, cJSON *j)
{
	resp->code = code;
	resp->json = j;
	resp->content_type = "application/json";
}

/* Each object's sample has its own scrape instant: the last 15 s tick, offset per object. */
static int64_t sample_time(int64_t now, uint64_t h, int64_t *window_ms)
{
	/* whole seconds: the RFC 3339 timestamp then names the sample's instant exactly */
	int64_t off = (int64_t)(hash01(h, 7) * (SIM_METRICS_WINDOW_MS / 1000)) * 1000;
	*window_ms = SIM_METRICS_WINDOW_MS + (int64_t)(hash01(h, 8) * 500);
	return ((now - off) / SIM_METRICS_WINDOW_MS) * SIM_METRICS_WINDOW_MS + off;
}

static void add_usage(cJSON *o, double cpu, double mem)
{
	char b[64];
	cJSON *u = cJSON_AddObjectToObject(o, "usage");
	snprintf(b, sizeof(b), "%lldn", (long long)llround(cpu * 1e9));
	cJSON_AddStringToObject(u, "cpu", b);
	snprintf(b, sizeof(b), "%lldKi", (long long)llround(mem / 1024));
	cJSON_AddStringToObject(u, "memory", b);
}

static void add_meta(cJSON *item, const cJSON *obj, int64_t now)
{
	char ts[TIME_RFC3339_MAX];
	cJSON *md = cJSON_AddObjectToObject(item, "metadata");
	cJSON_AddStringToObject(md, "name", sim_json_str_or(obj, "metadata.name", ""));
	if (sim_json_str(obj, "metadata.namespace"))
		cJSON_AddStringToObject(md, "namespace", sim_json_str(obj, "metadata.namespace"));
	sim_ctrl_ts(now, ts, sizeof(ts));
	cJSON_AddStringToObject(md, "creationTimestamp", ts);
	const cJSON *labels = sim_json_get(obj, "metadata.labels");
	if (labels)
		cJSON_AddItemToObject(md, "labels", cJSON_Duplicate(labels, 1));
}

static void add_stamp(cJSON *item, int64_t t, int64_t window_ms)
{
	char ts[TIME_RFC3339_MAX], w[32];
	sim_ctrl_ts(t, ts, sizeof(ts));
	cJSON_AddStringToObject(item, "timestamp", ts);
	snprintf(w, sizeof(w), "%lld.%03llds", (long long)(window_ms / 1000),
		 (long long)(window_ms % 1000));
	cJSON_AddStringToObject(item, "window", w);
}

/* A PodMetrics item, or NULL when no container of the pod is running. */
static cJSON *pod_metrics(struct sim *s, const cJSON *pod, int64_t now)
{
	int64_t window;
	uint64_t h = sim_rng_fnv(sim_rng_fnv(SIM_FNV_INIT ^ s->seed,
					     sim_json_str_or(pod, "metadata.namespace", "")),
				 sim_json_str_or(pod, "metadata.name", ""));
	int64_t t = sample_time(now, h, &window);
	cJSON *item = cJSON_CreateObject(), *cs = NULL;
	add_meta(item, pod, now);
	add_stamp(item, t, window);
	cs = cJSON_AddArrayToObject(item, "containers");
	const cJSON *spec = sim_json_get(pod, "spec.containers");
	for (const cJSON *c = spec ? spec->child : NULL; c; c = c->next) {
		struct sim_metrics_sample smp;
		const char *cn = sim_json_str_or(c, "name", "");
		if (!sim_metrics_container(s, pod, cn, t, &smp))
			continue;
		cJSON *ci = cJSON_CreateObject();
		cJSON_AddStringToObject(ci, "name", cn);
		add_usage(ci, smp.cpu_cores, smp.mem_bytes);
		cJSON_AddItemToArray(cs, ci);
	}
	if (cJSON_GetArraySize(cs) == 0) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

static cJSON *node_metrics(struct sim *s, const cJSON *node, int64_t now)
{
	int64_t window;
	double cpu, mem, secs;
	uint64_t h = sim_rng_fnv(SIM_FNV_INIT ^ s->seed, sim_json_str_or(node, "metadata.name", ""));
	int64_t t = sample_time(now, h, &window);
	cJSON *item = cJSON_CreateObject();
	sim_metrics_node(s, node, t, &cpu, &mem, &secs);
	add_meta(item, node, now);
	add_stamp(item, t, window);
	add_usage(item, cpu, mem);
	return item;
}

static const char *label_lookup(void *arg, const char *key)
{
	return sim_json_label(arg, key);
}

static void metrics_list(struct sim *s, const struct sim_request *req, bool pods,
			 struct sim_response *resp)
{
	const struct sim_route *rt = &req->rt;
	struct selector *sel = NULL;
	struct sim_obj **objs;
	struct err e;
	int64_t now = sim_clock_now_ms(&s->clock);
	if (selector_parse(req->q.label_selector, &sel, &e) != OD_OK) {
		resp_set(resp, 400, sim_status_bad_request(e.msg));
		return;
	}
	size_t n = sim_store_list(s->store, pods ? SIM_RES_PODS : SIM_RES_NODES,
				  rt->has_ns ? rt->ns : NULL, &objs);
	cJSON *list = cJSON_CreateObject();
	cJSON_AddStringToObject(list, "kind", pods ? "PodMetricsList" : "NodeMetricsList");
	cJSON_AddStringToObject(list, "apiVersion", "metrics.k8s.io/v1beta1");
	cJSON_AddObjectToObject(list, "metadata");
	cJSON *items = cJSON_AddArrayToObject(list, "items");
	for (size_t i = 0; i < n; i++) {
		const cJSON *o = objs[i]->json;
		if (!selector_matches(sel, label_lookup, (void *)o))
			continue;
		cJSON *it = pods ? pod_metrics(s, o, now) : node_metrics(s, o, now);
		if (it)
			cJSON_AddItemToArray(items, it);
	}
	selector_free(&sel);
	resp_set(resp, 200, list);
}

static void metrics_get(struct sim *s, const struct sim_request *req, bool pods,
			struct sim_response *resp)
{
	const struct sim_route *rt = &req->rt;
	char msg[400];
	int64_t now = sim_clock_now_ms(&s->clock);
	struct sim_obj *o = sim_store_get(s->store, pods ? SIM_RES_PODS : SIM_RES_NODES, rt->ns,
					  rt->name);
	cJSON *it = !o ? NULL : pods ? pod_metrics(s, o->json, now) : node_metrics(s, o->json, now);
	if (!it) {
		snprintf(msg, sizeof(msg), "%s.metrics.k8s.io \"%s\" not found",
			 pods ? "podmetrics" : "nodemetrics", rt->name);
		cJSON *st = sim_status_new(404, "NotFound", msg, NULL);
		resp_set(resp, 404, st);
		return;
	}
	cJSON_AddStringToObject(it, "kind", pods ? "PodMetrics" : "NodeMetrics");
	cJSON_AddStringToObject(it, "apiVersion", "metrics.k8s.io/v1beta1");
	resp_set(resp, 200, it);
}

static cJSON *metrics_group(void)
{
	cJSON *g = cJSON_CreateObject();
	cJSON_AddStringToObject(g, "name", "metrics.k8s.io");
	cJSON *vs = cJSON_AddArrayToObject(g, "versions");
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "groupVersion", "metrics.k8s.io/v1beta1");
	cJSON_AddStringToObject(v, "version", "v1beta1");
	cJSON_AddItemToArray(vs, v);
	cJSON_AddItemToObject(g, "preferredVersion", cJSON_Duplicate(v, 1));
	return g;
}

static cJSON *metrics_resources(void)
{
	static const char *const names[] = { "nodes", "pods" };
	static const char *const kinds[] = { "NodeMetrics", "PodMetrics" };
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", "APIResourceList");
	cJSON_AddStringToObject(o, "apiVersion", "v1");
	cJSON_AddStringToObject(o, "groupVersion", "metrics.k8s.io/v1beta1");
	cJSON *rs = cJSON_AddArrayToObject(o, "resources");
	for (int i = 0; i < 2; i++) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "name", names[i]);
		cJSON_AddStringToObject(r, "singularName", "");
		cJSON_AddBoolToObject(r, "namespaced", i == 1);
		cJSON_AddStringToObject(r, "kind", kinds[i]);
		cJSON *verbs = cJSON_AddArrayToObject(r, "verbs");
		cJSON_AddItemToArray(verbs, cJSON_CreateString("get"));
		cJSON_AddItemToArray(verbs, cJSON_CreateString("list"));
		cJSON_AddItemToArray(rs, r);
	}
	return o;
}

void sim_metrics_discovery_patch(struct sim_response *resp)
{
	cJSON *gs = sim_json_get(resp->json, "groups");
	if (resp->code == 200 && cJSON_IsArray(gs))
		cJSON_AddItemToArray(gs, metrics_group());
}

/* ---- kubelet stats/summary --------------------------------------------- */

static cJSON *stats_cpu(double cores, double secs, const char *ts)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "time", ts);
	cJSON_AddNumberToObject(c, "usageNanoCores", llround(cores * 1e9));
	cJSON_AddNumberToObject(c, "usageCoreNanoSeconds", floor(secs * 1e9));
	return c;
}

static cJSON *stats_mem(double bytes, const char *ts)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "time", ts);
	cJSON_AddNumberToObject(m, "usageBytes", llround(bytes * 1.1));
	cJSON_AddNumberToObject(m, "workingSetBytes", llround(bytes));
	cJSON_AddNumberToObject(m, "rssBytes", llround(bytes * 0.8));
	return m;
}

static void stats_volumes(struct sim *s, const cJSON *pod, int64_t now, const char *ts,
			  cJSON *pj)
{
	const cJSON *vols = sim_json_get(pod, "spec.volumes");
	const char *ns = sim_json_str_or(pod, "metadata.namespace", "");
	cJSON *arr = NULL;
	for (const cJSON *v = vols ? vols->child : NULL; v; v = v->next) {
		const char *claim = sim_json_str(v, "persistentVolumeClaim.claimName");
		struct sim_obj *pvc = claim ? sim_store_get(s->store, SIM_RES_PVCS, ns, claim) : NULL;
		double used, cap;
		if (!pvc || !sim_metrics_volume(s, pvc->json, now, &used, &cap))
			continue;
		if (!arr)
			arr = cJSON_AddArrayToObject(pj, "volume");
		cJSON *vo = cJSON_CreateObject();
		cJSON_AddStringToObject(vo, "time", ts);
		cJSON_AddNumberToObject(vo, "availableBytes", llround(cap - used));
		cJSON_AddNumberToObject(vo, "capacityBytes", llround(cap));
		cJSON_AddNumberToObject(vo, "usedBytes", llround(used));
		cJSON_AddNumberToObject(vo, "inodesFree", 320000 - llround(used / 65536));
		cJSON_AddNumberToObject(vo, "inodes", 320000);
		cJSON_AddNumberToObject(vo, "inodesUsed", llround(used / 65536));
		cJSON_AddStringToObject(vo, "name", sim_json_str_or(v, "name", ""));
		cJSON *ref = cJSON_AddObjectToObject(vo, "pvcRef");
		cJSON_AddStringToObject(ref, "name", claim);
		cJSON_AddStringToObject(ref, "namespace", ns);
		cJSON_AddItemToArray(arr, vo);
	}
}

static cJSON *stats_pod(struct sim *s, const cJSON *pod, int64_t now, const char *ts)
{
	cJSON *pj = cJSON_CreateObject();
	cJSON *ref = cJSON_AddObjectToObject(pj, "podRef");
	double cpu = 0, mem = 0, secs = 0;
	cJSON_AddStringToObject(ref, "name", sim_json_str_or(pod, "metadata.name", ""));
	cJSON_AddStringToObject(ref, "namespace", sim_json_str_or(pod, "metadata.namespace", ""));
	cJSON_AddStringToObject(ref, "uid", sim_json_str_or(pod, "metadata.uid", ""));
	cJSON_AddStringToObject(pj, "startTime", sim_json_str_or(pod, "status.startTime", ts));
	cJSON *cs = cJSON_AddArrayToObject(pj, "containers");
	const cJSON *spec = sim_json_get(pod, "spec.containers");
	for (const cJSON *c = spec ? spec->child : NULL; c; c = c->next) {
		struct sim_metrics_sample smp;
		const char *cn = sim_json_str_or(c, "name", "");
		if (!sim_metrics_container(s, pod, cn, now, &smp))
			continue;
		cJSON *ci = cJSON_CreateObject();
		cJSON_AddStringToObject(ci, "name", cn);
		cJSON_AddItemToObject(ci, "cpu", stats_cpu(smp.cpu_cores, smp.cpu_seconds, ts));
		cJSON_AddItemToObject(ci, "memory", stats_mem(smp.mem_bytes, ts));
		cJSON_AddItemToArray(cs, ci);
		cpu += smp.cpu_cores;
		mem += smp.mem_bytes;
		secs += smp.cpu_seconds;
	}
	cJSON_AddItemToObject(pj, "cpu", stats_cpu(cpu, secs, ts));
	cJSON_AddItemToObject(pj, "memory", stats_mem(mem, ts));
	stats_volumes(s, pod, now, ts, pj);
	return pj;
}

static void stats_summary(struct sim *s, const struct sim_request *req,
			  struct sim_response *resp)
{
	char ts[TIME_RFC3339_MAX];
	struct sim_obj *node = sim_store_get(s->store, SIM_RES_NODES, NULL, req->rt.name);
	struct sim_obj **pods;
	double cpu, mem, secs;
	int64_t now = sim_clock_now_ms(&s->clock);
	if (!node) {
		resp_set(resp, 404, sim_status_not_found(req->rt.res, req->rt.name));
		return;
	}
	sim_ctrl_ts(now, ts, sizeof(ts));
	cJSON *o = cJSON_CreateObject();
	cJSON *nj = cJSON_AddObjectToObject(o, "node");
	cJSON_AddStringToObject(nj, "nodeName", node->name);
	cJSON_AddArrayToObject(nj, "systemContainers");
	cJSON_AddStringToObject(nj, "startTime",
				sim_json_str_or(node->json, "metadata.creationTimestamp", ts));
	sim_metrics_node(s, node->json, now, &cpu, &mem, &secs);
	cJSON_AddItemToObject(nj, "cpu", stats_cpu(cpu, secs, ts));
	cJSON_AddItemToObject(nj, "memory", stats_mem(mem, ts));
	cJSON *pa = cJSON_AddArrayToObject(o, "pods");
	size_t n = sim_store_list(s->store, SIM_RES_PODS, NULL, &pods);
	for (size_t i = 0; i < n; i++) {
		const cJSON *pod = pods[i]->json;
		if (strcmp(sim_json_str_or(pod, "spec.nodeName", ""), node->name) == 0 &&
		    strcmp(sim_json_str_or(pod, "status.phase", ""), "Running") == 0)
			cJSON_AddItemToArray(pa, stats_pod(s, pod, now, ts));
	}
	resp_set(resp, 200, o);
}

bool sim_metrics_api_handle(struct sim *s, const struct sim_request *req,
			    struct sim_response *resp)
{
	const struct sim_route *rt = &req->rt;
	bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (rt->res && rt->res->id == SIM_RES_NODES && strcmp(rt->sub, "proxy") == 0 &&
	    rt->name[0] && strcmp(rt->rest, "/stats/summary") == 0) {
		if (req->user.role == SIM_ROLE_VIEW) {
			resp_set(resp, 403, sim_status_forbidden(rt->res, "proxy", rt->name,
								  req->user.name, "get", ""));
			return true;
		}
		stats_summary(s, req, resp);
		return true;
	}
	if (strcmp(rt->group, "metrics.k8s.io") != 0)
		return false;
	if (!get) {
		resp_set(resp, 405, sim_status_method_not_allowed());
		return true;
	}
	if (rt->kind == SIM_ROUTE_GROUP) {
		cJSON *g = metrics_group();
		cJSON_AddStringToObject(g, "kind", "APIGroup");
		cJSON_AddStringToObject(g, "apiVersion", "v1");
		resp_set(resp, 200, g);
		return true;
	}
	if (strcmp(rt->version, "v1beta1") != 0)
		return false;
	if (rt->kind == SIM_ROUTE_GROUP_VERSION) {
		resp_set(resp, 200, metrics_resources());
		return true;
	}
	if (rt->kind != SIM_ROUTE_RESOURCE || rt->sub[0])
		return false;
	bool pods = strcmp(rt->plural, "pods") == 0;
	if (!pods && (strcmp(rt->plural, "nodes") != 0 || rt->has_ns))
		return false;
	if (rt->name[0])
		metrics_get(s, req, pods, resp);
	else
		metrics_list(s, req, pods, resp);
	return true;
}
