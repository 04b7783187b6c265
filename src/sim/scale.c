/*
 * scale.c: the generated cluster behind --pods (see sim_scale.h). Pods are
 * created whole, in their steady state, through the store (so they get
 * uids, resourceVersions and watch events); they have no owner, so no
 * controller replaces or rolls them, and the kubelet finds nothing to do.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_scale.h"

static const char *const apps[] = { "api-gateway", "checkout", "catalog", "search", "billing",
				    "notifier", "session", "inventory", "ledger", "reporting" };
static const char *const tiers[] = { "frontend", "backend", "worker", "cache" };

static cJSON *env_list(struct sim *s, const char *app)
{
	cJSON *env = cJSON_CreateArray();
	char v[128];
	static const char *const keys[] = { "LOG_LEVEL", "HTTP_PORT", "METRICS_PORT", "DB_HOST",
					    "DB_POOL_SIZE", "CACHE_URL", "OTEL_EXPORTER_OTLP_ENDPOINT",
					    "FEATURE_FLAGS" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", keys[i]);
		switch (i) {
		case 0: snprintf(v, sizeof(v), "info"); break;
		case 1: snprintf(v, sizeof(v), "8080"); break;
		case 2: snprintf(v, sizeof(v), "9090"); break;
		case 3: snprintf(v, sizeof(v), "%s-postgres.%s.svc.cluster.local", app, app); break;
		case 4: snprintf(v, sizeof(v), "%lld", (long long)sim_rng_range(&s->rng, 5, 40)); break;
		case 5: snprintf(v, sizeof(v), "redis://%s-redis:6379/0", app); break;
		case 6: snprintf(v, sizeof(v), "http://otel-collector.observability:4317"); break;
		default: snprintf(v, sizeof(v), "new-checkout,fast-search,beta-ui"); break;
		}
		cJSON_AddStringToObject(e, "value", v);
		cJSON_AddItemToArray(env, e);
	}
	return env;
}

static cJSON *container(struct sim *s, const char *name, const char *image, const char *app,
		       bool main)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddStringToObject(c, "image", image);
	cJSON_AddStringToObject(c, "imagePullPolicy", "IfNotPresent");
	cJSON *ports = cJSON_AddArrayToObject(c, "ports");
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", main ? "http" : "metrics");
	cJSON_AddNumberToObject(p, "containerPort", main ? 8080 : 9091);
	cJSON_AddStringToObject(p, "protocol", "TCP");
	cJSON_AddItemToArray(ports, p);
	if (main)
		cJSON_AddItemToObject(c, "env", env_list(s, app));
	cJSON *res = cJSON_AddObjectToObject(c, "resources");
	cJSON *req = cJSON_AddObjectToObject(res, "requests");
	cJSON_AddStringToObject(req, "cpu", main ? "200m" : "20m");
	cJSON_AddStringToObject(req, "memory", main ? "256Mi" : "32Mi");
	cJSON *lim = cJSON_AddObjectToObject(res, "limits");
	cJSON_AddStringToObject(lim, "memory", main ? "512Mi" : "64Mi");
	if (main) {
		cJSON *probe = cJSON_AddObjectToObject(c, "readinessProbe");
		cJSON *get = cJSON_AddObjectToObject(probe, "httpGet");
		cJSON_AddStringToObject(get, "path", "/healthz");
		cJSON_AddNumberToObject(get, "port", 8080);
		cJSON_AddStringToObject(get, "scheme", "HTTP");
		cJSON_AddNumberToObject(probe, "periodSeconds", 10);
		cJSON_AddNumberToObject(probe, "timeoutSeconds", 1);
		cJSON_AddNumberToObject(probe, "successThreshold", 1);
		cJSON_AddNumberToObject(probe, "failureThreshold", 3);
		cJSON_AddItemToObject(c, "livenessProbe", cJSON_Duplicate(probe, 1));
	}
	cJSON *vm = cJSON_AddArrayToObject(c, "volumeMounts");
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "name", "kube-api-access");
	cJSON_AddStringToObject(m, "mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
	cJSON_AddBoolToObject(m, "readOnly", true);
	cJSON_AddItemToArray(vm, m);
	cJSON_AddStringToObject(c, "terminationMessagePath", "/dev/termination-log");
	cJSON_AddStringToObject(c, "terminationMessagePolicy", "File");
	return c;
}

static cJSON *container_status(const char *name, const char *image, const char *ts,
			       uint64_t h)
{
	char id[100];
	cJSON *st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "name", name);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(st, "state"), "running"),
				"startedAt", ts);
	cJSON_AddObjectToObject(st, "lastState");
	cJSON_AddBoolToObject(st, "ready", true);
	cJSON_AddNumberToObject(st, "restartCount", 0);
	cJSON_AddStringToObject(st, "image", image);
	snprintf(id, sizeof(id), "sha256:%016llx%016llx%016llx%016llx", (unsigned long long)h,
		 (unsigned long long)(h * 3), (unsigned long long)(h * 5), (unsigned long long)(h * 7));
	cJSON_AddStringToObject(st, "imageID", id);
	snprintf(id, sizeof(id), "containerd://%016llx%016llx%016llx%016llx", (unsigned long long)(h * 11),
		 (unsigned long long)(h * 13), (unsigned long long)(h * 17), (unsigned long long)(h * 19));
	cJSON_AddStringToObject(st, "containerID", id);
	cJSON_AddBoolToObject(st, "started", true);
	return st;
}

static void add_condition(cJSON *conds, const char *type, const char *ts)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddStringToObject(c, "status", "True");
	cJSON_AddNullToObject(c, "lastProbeTime");
	cJSON_AddStringToObject(c, "lastTransitionTime", ts);
	cJSON_AddItemToArray(conds, c);
}

static cJSON *pod_new(struct sim *s, const char *ns, size_t i, const char *node, const char *ts)
{
	char name[128], hash[16], sfx[8], image[160], ip[32];
	const char *app = apps[i % (sizeof(apps) / sizeof(apps[0]))];
	const char *tier = tiers[(i / 3) % (sizeof(tiers) / sizeof(tiers[0]))];
	uint64_t h = sim_rng_fnv(sim_rng_fnv(SIM_FNV_INIT ^ s->seed, ns), app);
	sim_rng_hash_name(h, hash, 11);
	sim_rng_suffix(&s->rng, sfx, 6);
	snprintf(name, sizeof(name), "%s-%s-%s", app, hash, sfx);
	snprintf(image, sizeof(image), "registry.example.org/shop/%s:1.%u.%u", app,
		 (unsigned)(h % 20), (unsigned)((h >> 8) % 10));
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "apiVersion", "v1");
	cJSON_AddStringToObject(p, "kind", "Pod");
	cJSON *md = cJSON_AddObjectToObject(p, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", ns);
	cJSON_AddStringToObject(md, "creationTimestamp", ts);
	cJSON *l = cJSON_AddObjectToObject(md, "labels");
	cJSON_AddStringToObject(l, "app.kubernetes.io/name", app);
	cJSON_AddStringToObject(l, "app.kubernetes.io/instance", app);
	cJSON_AddStringToObject(l, "app.kubernetes.io/component", tier);
	cJSON_AddStringToObject(l, "app.kubernetes.io/part-of", "shop");
	cJSON_AddStringToObject(l, "app.kubernetes.io/version", strrchr(image, ':') + 1);
	cJSON_AddStringToObject(l, "pod-template-hash", hash);
	cJSON *a = cJSON_AddObjectToObject(md, "annotations");
	cJSON_AddStringToObject(a, "prometheus.io/scrape", "true");
	cJSON_AddStringToObject(a, "prometheus.io/port", "9091");
	cJSON_AddStringToObject(a, "kubectl.kubernetes.io/restartedAt", ts);
	cJSON *spec = cJSON_AddObjectToObject(p, "spec");
	cJSON *cs = cJSON_AddArrayToObject(spec, "containers");
	cJSON_AddItemToArray(cs, container(s, app, image, app, true));
	cJSON_AddItemToArray(cs, container(s, "metrics-exporter",
					   "quay.io/prometheus/statsd-exporter:v0.26.1", app, false));
	cJSON *vols = cJSON_AddArrayToObject(spec, "volumes");
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "name", "kube-api-access");
	cJSON *proj = cJSON_AddObjectToObject(v, "projected");
	cJSON_AddNumberToObject(proj, "defaultMode", 420);
	cJSON *srcs = cJSON_AddArrayToObject(proj, "sources");
	cJSON *tok = cJSON_CreateObject();
	cJSON *sat = cJSON_AddObjectToObject(tok, "serviceAccountToken");
	cJSON_AddNumberToObject(sat, "expirationSeconds", 3607);
	cJSON_AddStringToObject(sat, "path", "token");
	cJSON_AddItemToArray(srcs, tok);
	cJSON_AddItemToArray(vols, v);
	cJSON_AddStringToObject(spec, "restartPolicy", "Always");
	cJSON_AddNumberToObject(spec, "terminationGracePeriodSeconds", 30);
	cJSON_AddStringToObject(spec, "dnsPolicy", "ClusterFirst");
	cJSON_AddStringToObject(spec, "serviceAccountName", "default");
	cJSON_AddStringToObject(spec, "nodeName", node);
	cJSON_AddStringToObject(spec, "schedulerName", "default-scheduler");
	cJSON_AddNumberToObject(spec, "priority", 0);
	cJSON *tol = cJSON_AddArrayToObject(spec, "tolerations");
	static const char *const tkeys[] = { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" };
	for (int k = 0; k < 2; k++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "key", tkeys[k]);
		cJSON_AddStringToObject(t, "operator", "Exists");
		cJSON_AddStringToObject(t, "effect", "NoExecute");
		cJSON_AddNumberToObject(t, "tolerationSeconds", 300);
		cJSON_AddItemToArray(tol, t);
	}
	cJSON *st = cJSON_AddObjectToObject(p, "status");
	cJSON_AddStringToObject(st, "phase", "Running");
	cJSON *conds = cJSON_AddArrayToObject(st, "conditions");
	static const char *const ctypes[] = { "PodReadyToStartContainers", "Initialized", "Ready",
					      "ContainersReady", "PodScheduled" };
	for (int k = 0; k < 5; k++)
		add_condition(conds, ctypes[k], ts);
	cJSON_AddStringToObject(st, "hostIP", "10.0.0.10");
	sim_alloc_pod_ip(s, ip, sizeof(ip));
	cJSON_AddStringToObject(st, "podIP", ip);
	cJSON *ips = cJSON_AddArrayToObject(st, "podIPs");
	cJSON *ipo = cJSON_CreateObject();
	cJSON_AddStringToObject(ipo, "ip", ip);
	cJSON_AddItemToArray(ips, ipo);
	cJSON_AddStringToObject(st, "startTime", ts);
	cJSON *css = cJSON_AddArrayToObject(st, "containerStatuses");
	cJSON_AddItemToArray(css, container_status(app, image, ts, h + i));
	cJSON_AddItemToArray(css, container_status("metrics-exporter",
						   "quay.io/prometheus/statsd-exporter:v0.26.1", ts, h ^ i));
	cJSON_AddStringToObject(st, "qosClass", "Burstable");
	return p;
}

#define SCALE_TRIM_MS 2000

/*
 * Big lists and tables leave holes between the pods' long-lived allocations;
 * giving free pages back now and then keeps the resident size near the
 * cluster's own (glibc).
 */
static void scale_trim_cb(struct loop *lp, uint64_t id, void *arg)
{
	(void)lp;
	(void)id;
	(void)arg;
	malloc_trim(0);
}

enum od_status sim_scale_build(struct sim *s, size_t npods, struct err *e)
{
	struct sim_obj **nodes;
	char ns[64], ts[TIME_RFC3339_MAX];
	enum od_status rc;
	size_t nn = sim_store_list(s->store, SIM_RES_NODES, NULL, &nodes);
	char (*node_names)[254] = calloc(nn ? nn : 1, sizeof(*node_names));
	if (!node_names)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < nn; i++)
		snprintf(node_names[i], sizeof(node_names[i]), "%s", nodes[i]->name);
	if (nn == 0)
		snprintf(node_names[0], sizeof(node_names[0]), "node-1");
	sim_ctrl_ts(sim_clock_to_ms(s->clock.start) - SIM_SCENARIO_AGE_MS, ts, sizeof(ts));
	for (size_t i = 0; i < npods; i++) {
		snprintf(ns, sizeof(ns), "load-%03zu", i / SIM_SCALE_PODS_PER_NS);
		if (i % SIM_SCALE_PODS_PER_NS == 0 && !sim_store_get(s->store, SIM_RES_NAMESPACES, NULL, ns)) {
			cJSON *n = cJSON_CreateObject();
			cJSON_AddStringToObject(n, "apiVersion", "v1");
			cJSON_AddStringToObject(n, "kind", "Namespace");
			cJSON *md = cJSON_AddObjectToObject(n, "metadata");
			cJSON_AddStringToObject(md, "name", ns);
			cJSON_AddStringToObject(md, "creationTimestamp", ts);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(md, "labels"),
						"kubernetes.io/metadata.name", ns);
			sim_json_set_str(n, "status.phase", "Active");
			if ((rc = sim_store_create(s->store, SIM_RES_NAMESPACES, n, NULL, e)) != OD_OK)
				goto out;
		}
		cJSON *p = pod_new(s, ns, i, node_names[i % (nn ? nn : 1)], ts);
		if ((rc = sim_store_create(s->store, SIM_RES_PODS, p, NULL, e)) != OD_OK)
			goto out;
		/* keep the change window's copies of the bulk load from piling up */
		if (i % 1000 == 999)
			sim_store_history_drop(s->store);
	}
	rc = OD_OK;
	/* 10,000 creations would keep 8,192 copies in the change window */
	sim_store_history_drop(s->store);
	malloc_trim(0);   /* and give those pages back (glibc) */
	loop_timer_add(s->loop, SCALE_TRIM_MS, SCALE_TRIM_MS, scale_trim_cb, NULL);
out:
	free(node_names);
	return rc;
}
