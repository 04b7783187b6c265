/*
 * table.c: meta.k8s.io/v1 Tables with the columns and cell rules of the
 * apiserver's printers (pkg/printers/internalversion) and, for the
 * snapshot CRDs, of their additionalPrinterColumns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_table.h"

struct column {
	const char *name;
	const char *type;
	int priority;
};

#define COLS_MAX 12

struct table_def {
	struct column cols[COLS_MAX];
};

static const struct table_def def_pods = { {
	{ "Name", "string", 0 }, { "Ready", "string", 0 }, { "Status", "string", 0 },
	{ "Restarts", "string", 0 }, { "Age", "string", 0 }, { "IP", "string", 1 },
	{ "Node", "string", 1 }, { "Nominated Node", "string", 1 },
	{ "Readiness Gates", "string", 1 } } };
static const struct table_def def_deploy = { {
	{ "Name", "string", 0 }, { "Ready", "string", 0 }, { "Up-to-date", "integer", 0 },
	{ "Available", "integer", 0 }, { "Age", "string", 0 }, { "Containers", "string", 1 },
	{ "Images", "string", 1 }, { "Selector", "string", 1 } } };
static const struct table_def def_rs = { {
	{ "Name", "string", 0 }, { "Desired", "integer", 0 }, { "Current", "integer", 0 },
	{ "Ready", "integer", 0 }, { "Age", "string", 0 }, { "Containers", "string", 1 },
	{ "Images", "string", 1 }, { "Selector", "string", 1 } } };
static const struct table_def def_sts = { {
	{ "Name", "string", 0 }, { "Ready", "string", 0 }, { "Age", "string", 0 },
	{ "Containers", "string", 1 }, { "Images", "string", 1 } } };
static const struct table_def def_ds = { {
	{ "Name", "string", 0 }, { "Desired", "integer", 0 }, { "Current", "integer", 0 },
	{ "Ready", "integer", 0 }, { "Up-to-date", "integer", 0 }, { "Available", "integer", 0 },
	{ "Node Selector", "string", 0 }, { "Age", "string", 0 }, { "Containers", "string", 1 },
	{ "Images", "string", 1 }, { "Selector", "string", 1 } } };
static const struct table_def def_jobs = { {
	{ "Name", "string", 0 }, { "Status", "string", 0 }, { "Completions", "string", 0 },
	{ "Duration", "string", 0 }, { "Age", "string", 0 }, { "Containers", "string", 1 },
	{ "Images", "string", 1 }, { "Selector", "string", 1 } } };
static const struct table_def def_cronjobs = { {
	{ "Name", "string", 0 }, { "Schedule", "string", 0 }, { "Timezone", "string", 0 },
	{ "Suspend", "boolean", 0 }, { "Active", "integer", 0 }, { "Last Schedule", "string", 0 },
	{ "Age", "string", 0 }, { "Containers", "string", 1 }, { "Images", "string", 1 },
	{ "Selector", "string", 1 } } };
static const struct table_def def_events = { {
	{ "Last Seen", "string", 0 }, { "Type", "string", 0 }, { "Reason", "string", 0 },
	{ "Object", "string", 0 }, { "Subobject", "string", 1 }, { "Source", "string", 1 },
	{ "Message", "string", 0 }, { "First Seen", "string", 1 }, { "Count", "string", 1 },
	{ "Name", "string", 1 } } };
static const struct table_def def_pvc = { {
	{ "Name", "string", 0 }, { "Status", "string", 0 }, { "Volume", "string", 0 },
	{ "Capacity", "string", 0 }, { "Access Modes", "string", 0 },
	{ "StorageClass", "string", 0 }, { "VolumeAttributesClass", "string", 0 },
	{ "Age", "string", 0 }, { "VolumeMode", "string", 1 } } };
static const struct table_def def_pv = { {
	{ "Name", "string", 0 }, { "Capacity", "string", 0 }, { "Access Modes", "string", 0 },
	{ "Reclaim Policy", "string", 0 }, { "Status", "string", 0 }, { "Claim", "string", 0 },
	{ "StorageClass", "string", 0 }, { "VolumeAttributesClass", "string", 0 },
	{ "Reason", "string", 0 }, { "Age", "string", 0 }, { "VolumeMode", "string", 1 } } };
static const struct table_def def_svc = { {
	{ "Name", "string", 0 }, { "Type", "string", 0 }, { "Cluster-IP", "string", 0 },
	{ "External-IP", "string", 0 }, { "Port(s)", "string", 0 }, { "Age", "string", 0 },
	{ "Selector", "string", 1 } } };
static const struct table_def def_ns = { {
	{ "Name", "string", 0 }, { "Status", "string", 0 }, { "Age", "string", 0 } } };
static const struct table_def def_nodes = { {
	{ "Name", "string", 0 }, { "Status", "string", 0 }, { "Roles", "string", 0 },
	{ "Age", "string", 0 }, { "Version", "string", 0 }, { "Internal-IP", "string", 1 },
	{ "External-IP", "string", 1 }, { "OS-Image", "string", 1 },
	{ "Kernel-Version", "string", 1 }, { "Container-Runtime", "string", 1 } } };
static const struct table_def def_cm = { {
	{ "Name", "string", 0 }, { "Data", "string", 0 }, { "Age", "string", 0 } } };
static const struct table_def def_secrets = { {
	{ "Name", "string", 0 }, { "Type", "string", 0 }, { "Data", "string", 0 },
	{ "Age", "string", 0 } } };
static const struct table_def def_ep = { {
	{ "Name", "string", 0 }, { "Endpoints", "string", 0 }, { "Age", "string", 0 } } };
static const struct table_def def_sa = { {
	{ "Name", "string", 0 }, { "Secrets", "string", 0 }, { "Age", "string", 0 } } };
static const struct table_def def_cr = { {
	{ "Name", "string", 0 }, { "Controller", "string", 0 }, { "Revision", "integer", 0 },
	{ "Age", "string", 0 } } };
static const struct table_def def_vs = { {
	{ "Name", "string", 0 }, { "ReadyToUse", "boolean", 0 }, { "SourcePVC", "string", 0 },
	{ "SourceSnapshotContent", "string", 0 }, { "RestoreSize", "string", 0 },
	{ "SnapshotClass", "string", 0 }, { "SnapshotContent", "string", 0 },
	{ "CreationTime", "date", 0 }, { "Age", "date", 0 } } };
static const struct table_def def_vsc = { {
	{ "Name", "string", 0 }, { "Driver", "string", 0 }, { "DeletionPolicy", "string", 0 },
	{ "Age", "date", 0 } } };
static const struct table_def def_ing = { {
	{ "Name", "string", 0 }, { "Class", "string", 0 }, { "Hosts", "string", 0 },
	{ "Address", "string", 0 }, { "Ports", "string", 0 }, { "Age", "string", 0 } } };
static const struct table_def def_netpol = { {
	{ "Name", "string", 0 }, { "Pod-Selector", "string", 0 }, { "Age", "string", 0 } } };
static const struct table_def def_default = { {
	{ "Name", "string", 0 }, { "Age", "string", 0 } } };

static const struct table_def *table_def_for(enum sim_res_id id)
{
	switch (id) {
	case SIM_RES_PODS: return &def_pods;
	case SIM_RES_DEPLOYMENTS: return &def_deploy;
	case SIM_RES_REPLICASETS: return &def_rs;
	case SIM_RES_STATEFULSETS: return &def_sts;
	case SIM_RES_DAEMONSETS: return &def_ds;
	case SIM_RES_JOBS: return &def_jobs;
	case SIM_RES_CRONJOBS: return &def_cronjobs;
	case SIM_RES_EVENTS: return &def_events;
	case SIM_RES_PVCS: return &def_pvc;
	case SIM_RES_PVS: return &def_pv;
	case SIM_RES_SERVICES: return &def_svc;
	case SIM_RES_NAMESPACES: return &def_ns;
	case SIM_RES_NODES: return &def_nodes;
	case SIM_RES_CONFIGMAPS: return &def_cm;
	case SIM_RES_SECRETS: return &def_secrets;
	case SIM_RES_ENDPOINTS: return &def_ep;
	case SIM_RES_SERVICEACCOUNTS: return &def_sa;
	case SIM_RES_CONTROLLERREVISIONS: return &def_cr;
	case SIM_RES_VOLUMESNAPSHOTS: return &def_vs;
	case SIM_RES_VOLUMESNAPSHOTCLASSES: return &def_vsc;
	case SIM_RES_INGRESSES: return &def_ing;
	case SIM_RES_NETWORKPOLICIES: return &def_netpol;
	default: return &def_default;
	}
}

enum sim_include_object sim_table_include_from_query(const char *v)
{
	if (v && strcmp(v, "None") == 0)
		return SIM_INCLUDE_NONE;
	if (v && strcmp(v, "Object") == 0)
		return SIM_INCLUDE_OBJECT;
	return SIM_INCLUDE_METADATA;
}

/* HumanDuration of now - the timestamp at path; "<unknown>" when missing. */
static void age_of(struct sim *s, const cJSON *obj, const char *path, char *out, size_t n)
{
	struct od_time t;
	const char *ts = sim_json_str(obj, path);
	if (!ts || time_parse_rfc3339(ts, &t, NULL) != OD_OK) {
		snprintf(out, n, "<unknown>");
		return;
	}
	char tmp[DURATION_HUMAN_MAX];
	duration_format_human(time_diff_ns(t, sim_clock_now(&s->clock)), tmp, sizeof(tmp));
	snprintf(out, n, "%s", tmp);
}

static void add_str(cJSON *cells, const char *s)
{
	cJSON_AddItemToArray(cells, cJSON_CreateString(s ? s : ""));
}

static void add_num(cJSON *cells, double v)
{
	cJSON_AddItemToArray(cells, cJSON_CreateNumber(v));
}

static void add_age(struct sim *s, cJSON *cells, const cJSON *obj)
{
	char age[32];
	age_of(s, obj, "metadata.creationTimestamp", age, sizeof(age));
	add_str(cells, age);
}

/* "a,b" of the containers' names or images in a pod spec. */
static void containers_join(const cJSON *podspec, const char *field, char *out, size_t n)
{
	size_t len = 0;
	const cJSON *cs = sim_json_get(podspec, "containers");
	out[0] = '\0';
	for (const cJSON *c = cs ? cs->child : NULL; c && len < n; c = c->next)
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "",
					sim_json_str_or(c, field, ""));
}

/* metav1.FormatLabelSelector: matchLabels and expressions, sorted by key; "<none>" if empty. */
static void selector_format(const cJSON *sel, char *out, size_t n)
{
	const char *keys[64];
	size_t nk = 0, len = 0;
	const cJSON *ml = sim_json_get(sel, "matchLabels");
	for (const cJSON *it = ml ? ml->child : NULL; it && nk < 64; it = it->next)
		keys[nk++] = it->string;
	for (size_t i = 1; i < nk; i++)
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	out[0] = '\0';
	for (size_t i = 0; i < nk && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s=%s", len ? "," : "", keys[i],
					cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ml, keys[i])));
	const cJSON *me = sim_json_get(sel, "matchExpressions");
	for (const cJSON *it = me ? me->child : NULL; it && len < n; it = it->next) {
		const char *k = sim_json_str_or(it, "key", ""), *op = sim_json_str_or(it, "operator", "");
		if (strcmp(op, "Exists") == 0)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", k);
		else if (strcmp(op, "DoesNotExist") == 0)
			len += (size_t)snprintf(out + len, n - len, "%s!%s", len ? "," : "", k);
		else {
			len += (size_t)snprintf(out + len, n - len, "%s%s %s (", len ? "," : "", k,
						strcmp(op, "In") == 0 ? "in" : "notin");
			int first = 1;
			const cJSON *vals = sim_json_get(it, "values");
			for (const cJSON *v = vals ? vals->child : NULL; v && len < n; v = v->next) {
				len += (size_t)snprintf(out + len, n - len, "%s%s", first ? "" : ",",
							cJSON_GetStringValue(v) ? v->valuestring : "");
				first = 0;
			}
			if (len < n)
				len += (size_t)snprintf(out + len, n - len, ")");
		}
	}
	if (!out[0])
		snprintf(out, n, "<none>");
}

/* A string map as "k=v,k2=v2" (sorted), "<none>" when empty. */
static void map_format(const cJSON *m, char *out, size_t n)
{
	cJSON tmp;
	memset(&tmp, 0, sizeof(tmp));
	cJSON *sel = cJSON_CreateObject();
	if (m)
		cJSON_AddItemToObject(sel, "matchLabels", cJSON_Duplicate(m, 1));
	selector_format(sel, out, n);
	cJSON_Delete(sel);
	(void)tmp;
}

static bool has_condition(const cJSON *obj, const char *type, const char *status)
{
	const cJSON *conds = sim_json_get(obj, "status.conditions");
	for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "type", ""), type) == 0 &&
		    strcmp(sim_json_str_or(c, "status", ""), status) == 0)
			return true;
	return false;
}

void sim_table_pod_status(const cJSON *pod, char *out, size_t n)
{
	const char *reason = sim_json_str_or(pod, "status.phase", "");
	const char *r2 = sim_json_str(pod, "status.reason");
	char buf[128];
	bool initializing = false;

	if (r2 && *r2)
		reason = r2;
	snprintf(buf, sizeof(buf), "%s", reason);
	const cJSON *inits = sim_json_get(pod, "status.initContainerStatuses");
	int ninit = cJSON_GetArraySize(sim_json_get(pod, "spec.initContainers"));
	int i = 0;
	for (const cJSON *c = inits ? inits->child : NULL; c; c = c->next, i++) {
		const cJSON *term = sim_json_get(c, "state.terminated");
		const cJSON *wait = sim_json_get(c, "state.waiting");
		if (term && sim_json_int(term, "exitCode", 0) == 0)
			continue;
		if (term) {
			const char *tr = sim_json_str(term, "reason");
			if (tr && *tr)
				snprintf(buf, sizeof(buf), "Init:%s", tr);
			else if (sim_json_int(term, "signal", 0))
				snprintf(buf, sizeof(buf), "Init:Signal:%d", (int)sim_json_int(term, "signal", 0));
			else
				snprintf(buf, sizeof(buf), "Init:ExitCode:%d", (int)sim_json_int(term, "exitCode", 0));
		} else if (wait && sim_json_str(wait, "reason") &&
			   strcmp(sim_json_str(wait, "reason"), "PodInitializing") != 0) {
			snprintf(buf, sizeof(buf), "Init:%s", sim_json_str(wait, "reason"));
		} else {
			snprintf(buf, sizeof(buf), "Init:%d/%d", i, ninit);
		}
		initializing = true;
		break;
	}
	if (!initializing || has_condition(pod, "Initialized", "True")) {
		const cJSON *cs = sim_json_get(pod, "status.containerStatuses");
		int ncs = cJSON_GetArraySize(cs);
		bool has_running = false;
		for (int k = ncs - 1; k >= 0; k--) {
			const cJSON *c = cJSON_GetArrayItem(cs, k);
			const cJSON *wait = sim_json_get(c, "state.waiting");
			const cJSON *term = sim_json_get(c, "state.terminated");
			if (wait && sim_json_str(wait, "reason") && *sim_json_str(wait, "reason")) {
				snprintf(buf, sizeof(buf), "%s", sim_json_str(wait, "reason"));
			} else if (term && sim_json_str(term, "reason") && *sim_json_str(term, "reason")) {
				snprintf(buf, sizeof(buf), "%s", sim_json_str(term, "reason"));
			} else if (term) {
				if (sim_json_int(term, "signal", 0))
					snprintf(buf, sizeof(buf), "Signal:%d", (int)sim_json_int(term, "signal", 0));
				else
					snprintf(buf, sizeof(buf), "ExitCode:%d", (int)sim_json_int(term, "exitCode", 0));
			} else if (sim_json_bool(c, "ready", false) && sim_json_get(c, "state.running")) {
				has_running = true;
			}
		}
		if (strcmp(buf, "Completed") == 0 && has_running)
			snprintf(buf, sizeof(buf), "%s",
				 has_condition(pod, "Ready", "True") ? "Running" : "NotReady");
	}
	if (sim_json_get(pod, "metadata.deletionTimestamp")) {
		if (r2 && strcmp(r2, "NodeLost") == 0)
			snprintf(buf, sizeof(buf), "Unknown");
		else if (strcmp(sim_json_str_or(pod, "status.phase", ""), "Succeeded") != 0 &&
			 strcmp(sim_json_str_or(pod, "status.phase", ""), "Failed") != 0)
			snprintf(buf, sizeof(buf), "Terminating");
	}
	snprintf(out, n, "%s", buf);
}

static void row_pod(struct sim *s, cJSON *cells, const cJSON *pod)
{
	char status[128], ready[32], restarts[64];
	const cJSON *cs = sim_json_get(pod, "status.containerStatuses");
	int total = cJSON_GetArraySize(sim_json_get(pod, "spec.containers"));
	int nready = 0;
	int64_t nrestarts = 0;
	struct od_time last = { 0, 0 };
	bool have_last = false;
	const cJSON *inits = sim_json_get(pod, "status.initContainerStatuses");

	for (const cJSON *c = inits ? inits->child : NULL; c; c = c->next)
		nrestarts += sim_json_int(c, "restartCount", 0);
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next) {
		nrestarts += sim_json_int(c, "restartCount", 0);
		if (sim_json_bool(c, "ready", false) && sim_json_get(c, "state.running"))
			nready++;
		const char *fin = sim_json_str(c, "lastState.terminated.finishedAt");
		struct od_time t;
		if (fin && time_parse_rfc3339(fin, &t, NULL) == OD_OK &&
		    (!have_last || time_diff_ns(last, t) > 0)) {
			last = t;
			have_last = true;
		}
	}
	sim_table_pod_status(pod, status, sizeof(status));
	snprintf(ready, sizeof(ready), "%d/%d", nready, total);
	if (nrestarts > 0 && have_last) {
		char ago[DURATION_HUMAN_MAX];
		duration_format_human(time_diff_ns(last, sim_clock_now(&s->clock)), ago, sizeof(ago));
		snprintf(restarts, sizeof(restarts), "%lld (%s ago)", (long long)nrestarts, ago);
	} else {
		snprintf(restarts, sizeof(restarts), "%lld", (long long)nrestarts);
	}
	add_str(cells, ready);
	add_str(cells, status);
	add_str(cells, restarts);
	add_age(s, cells, pod);
	const char *ip = sim_json_str(pod, "status.podIP");
	add_str(cells, ip && *ip ? ip : "<none>");
	const char *node = sim_json_str(pod, "spec.nodeName");
	add_str(cells, node && *node ? node : "<none>");
	const char *nom = sim_json_str(pod, "status.nominatedNodeName");
	add_str(cells, nom && *nom ? nom : "<none>");
	const cJSON *gates = sim_json_get(pod, "spec.readinessGates");
	if (cJSON_GetArraySize(gates) > 0) {
		char g[32];
		int ok = 0;
		for (const cJSON *gt = gates->child; gt; gt = gt->next)
			if (has_condition(pod, sim_json_str_or(gt, "conditionType", ""), "True"))
				ok++;
		snprintf(g, sizeof(g), "%d/%d", ok, cJSON_GetArraySize(gates));
		add_str(cells, g);
	} else {
		add_str(cells, "<none>");
	}
}

static void add_template_cols(cJSON *cells, const cJSON *obj, const char *podspec_path,
			      bool with_selector, const char *selector_path)
{
	char names[1024], images[2048], sel[1024];
	const cJSON *ps = sim_json_get(obj, podspec_path);
	containers_join(ps, "name", names, sizeof(names));
	containers_join(ps, "image", images, sizeof(images));
	add_str(cells, names);
	add_str(cells, images);
	if (with_selector) {
		selector_format(sim_json_get(obj, selector_path), sel, sizeof(sel));
		add_str(cells, sel);
	}
}

static void row_deploy(struct sim *s, cJSON *cells, const cJSON *d)
{
	char ready[32];
	snprintf(ready, sizeof(ready), "%lld/%lld",
		 (long long)sim_json_int(d, "status.readyReplicas", 0),
		 (long long)sim_json_int(d, "spec.replicas", 1));
	add_str(cells, ready);
	add_num(cells, (double)sim_json_int(d, "status.updatedReplicas", 0));
	add_num(cells, (double)sim_json_int(d, "status.availableReplicas", 0));
	add_age(s, cells, d);
	add_template_cols(cells, d, "spec.template.spec", true, "spec.selector");
}

static void row_rs(struct sim *s, cJSON *cells, const cJSON *r)
{
	add_num(cells, (double)sim_json_int(r, "spec.replicas", 1));
	add_num(cells, (double)sim_json_int(r, "status.replicas", 0));
	add_num(cells, (double)sim_json_int(r, "status.readyReplicas", 0));
	add_age(s, cells, r);
	add_template_cols(cells, r, "spec.template.spec", true, "spec.selector");
}

static void row_sts(struct sim *s, cJSON *cells, const cJSON *o)
{
	char ready[32];
	snprintf(ready, sizeof(ready), "%lld/%lld",
		 (long long)sim_json_int(o, "status.readyReplicas", 0),
		 (long long)sim_json_int(o, "spec.replicas", 1));
	add_str(cells, ready);
	add_age(s, cells, o);
	add_template_cols(cells, o, "spec.template.spec", false, NULL);
}

static void row_ds(struct sim *s, cJSON *cells, const cJSON *o)
{
	char nodesel[512];
	add_num(cells, (double)sim_json_int(o, "status.desiredNumberScheduled", 0));
	add_num(cells, (double)sim_json_int(o, "status.currentNumberScheduled", 0));
	add_num(cells, (double)sim_json_int(o, "status.numberReady", 0));
	add_num(cells, (double)sim_json_int(o, "status.updatedNumberScheduled", 0));
	add_num(cells, (double)sim_json_int(o, "status.numberAvailable", 0));
	map_format(sim_json_get(o, "spec.template.spec.nodeSelector"), nodesel, sizeof(nodesel));
	add_str(cells, nodesel);
	add_age(s, cells, o);
	add_template_cols(cells, o, "spec.template.spec", true, "spec.selector");
}

static void row_job(struct sim *s, cJSON *cells, const cJSON *j)
{
	char comp[64], dur[DURATION_HUMAN_MAX] = "";
	const char *status = "Running";
	if (has_condition(j, "Complete", "True"))
		status = "Complete";
	else if (has_condition(j, "Failed", "True"))
		status = "Failed";
	else if (sim_json_get(j, "metadata.deletionTimestamp"))
		status = "Terminating";
	else if (has_condition(j, "Suspended", "True"))
		status = "Suspended";
	else if (has_condition(j, "FailureTarget", "True"))
		status = "FailureTarget";
	else if (has_condition(j, "SuccessCriteriaMet", "True"))
		status = "SuccessCriteriaMet";
	add_str(cells, status);
	int64_t succeeded = sim_json_int(j, "status.succeeded", 0);
	if (sim_json_get(j, "spec.completions"))
		snprintf(comp, sizeof(comp), "%lld/%lld", (long long)succeeded,
			 (long long)sim_json_int(j, "spec.completions", 1));
	else if (sim_json_int(j, "spec.parallelism", 1) > 1)
		snprintf(comp, sizeof(comp), "%lld/1 of %lld", (long long)succeeded,
			 (long long)sim_json_int(j, "spec.parallelism", 1));
	else
		snprintf(comp, sizeof(comp), "%lld/1", (long long)succeeded);
	add_str(cells, comp);
	struct od_time st, ct;
	const char *start = sim_json_str(j, "status.startTime");
	const char *end = sim_json_str(j, "status.completionTime");
	if (start && time_parse_rfc3339(start, &st, NULL) == OD_OK) {
		if (!end || time_parse_rfc3339(end, &ct, NULL) != OD_OK)
			ct = sim_clock_now(&s->clock);
		duration_format_human(time_diff_ns(st, ct), dur, sizeof(dur));
	}
	add_str(cells, dur);
	add_age(s, cells, j);
	add_template_cols(cells, j, "spec.template.spec", true, "spec.selector");
}

static void row_cronjob(struct sim *s, cJSON *cells, const cJSON *c)
{
	char last[32], sel[256];
	add_str(cells, sim_json_str_or(c, "spec.schedule", ""));
	const char *tz = sim_json_str(c, "spec.timeZone");
	add_str(cells, tz && *tz ? tz : "<none>");
	add_str(cells, sim_json_bool(c, "spec.suspend", false) ? "True" : "False");
	add_num(cells, cJSON_GetArraySize(sim_json_get(c, "status.active")));
	if (sim_json_str(c, "status.lastScheduleTime"))
		age_of(s, c, "status.lastScheduleTime", last, sizeof(last));
	else
		snprintf(last, sizeof(last), "<none>");
	add_str(cells, last);
	add_age(s, cells, c);
	add_template_cols(cells, c, "spec.jobTemplate.spec.template.spec", false, NULL);
	selector_format(sim_json_get(c, "spec.jobTemplate.spec.selector"), sel, sizeof(sel));
	add_str(cells, sel);
}

static void row_event(struct sim *s, cJSON *cells, const cJSON *ev)
{
	char first[32], last[32], target[512], source[256], cnt[32];
	if (sim_json_str(ev, "firstTimestamp"))
		age_of(s, ev, "firstTimestamp", first, sizeof(first));
	else
		age_of(s, ev, "eventTime", first, sizeof(first));
	if (sim_json_str(ev, "lastTimestamp"))
		age_of(s, ev, "lastTimestamp", last, sizeof(last));
	else
		snprintf(last, sizeof(last), "%s", first);
	int64_t count = sim_json_int(ev, "count", 0);
	if (count == 0)
		count = 1;
	const char *kind = sim_json_str_or(ev, "involvedObject.kind", "");
	const char *name = sim_json_str_or(ev, "involvedObject.name", "");
	char lkind[128];
	size_t i;
	for (i = 0; kind[i] && i + 1 < sizeof(lkind); i++)
		lkind[i] = (char)((kind[i] >= 'A' && kind[i] <= 'Z') ? kind[i] + 32 : kind[i]);
	lkind[i] = '\0';
	if (*name)
		snprintf(target, sizeof(target), "%s/%s", lkind, name);
	else
		snprintf(target, sizeof(target), "%s", lkind);
	const char *comp = sim_json_str_or(ev, "source.component", "");
	const char *host = sim_json_str_or(ev, "source.host", "");
	if (!*comp)
		comp = sim_json_str_or(ev, "reportingComponent", "");
	if (*host)
		snprintf(source, sizeof(source), "%s, %s", comp, host);
	else
		snprintf(source, sizeof(source), "%s", comp);
	add_str(cells, last);
	add_str(cells, sim_json_str_or(ev, "type", ""));
	add_str(cells, sim_json_str_or(ev, "reason", ""));
	add_str(cells, target);
	add_str(cells, sim_json_str_or(ev, "involvedObject.fieldPath", ""));
	add_str(cells, source);
	add_str(cells, sim_json_str_or(ev, "message", ""));
	add_str(cells, first);
	snprintf(cnt, sizeof(cnt), "%lld", (long long)count);
	add_str(cells, cnt);
	add_str(cells, sim_json_str_or(ev, "metadata.name", ""));
}

static void access_modes(const cJSON *modes, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (const cJSON *m = modes ? modes->child : NULL; m && len < n; m = m->next) {
		const char *v = cJSON_GetStringValue(m);
		const char *ab = !v ? "" : strcmp(v, "ReadWriteOnce") == 0 ? "RWO" :
				 strcmp(v, "ReadOnlyMany") == 0 ? "ROX" :
				 strcmp(v, "ReadWriteMany") == 0 ? "RWX" :
				 strcmp(v, "ReadWriteOncePod") == 0 ? "RWOP" : v;
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", ab);
	}
}

static void row_pvc(struct sim *s, cJSON *cells, const cJSON *p)
{
	char modes[64];
	const char *phase = sim_json_str_or(p, "status.phase", "Pending");
	bool bound = strcmp(phase, "Bound") == 0;
	if (sim_json_get(p, "metadata.deletionTimestamp"))
		phase = "Terminating";
	add_str(cells, phase);
	add_str(cells, sim_json_str_or(p, "spec.volumeName", ""));
	add_str(cells, bound ? sim_json_str_or(p, "status.capacity.storage", "") : "");
	access_modes(bound ? sim_json_get(p, "status.accessModes") : NULL, modes, sizeof(modes));
	add_str(cells, modes);
	add_str(cells, sim_json_str_or(p, "spec.storageClassName", ""));
	const char *vac = sim_json_str(p, "spec.volumeAttributesClassName");
	add_str(cells, vac && *vac ? vac : "<unset>");
	add_age(s, cells, p);
	add_str(cells, sim_json_str_or(p, "spec.volumeMode", "<unset>"));
}

static void row_pv(struct sim *s, cJSON *cells, const cJSON *p)
{
	char modes[64], claim[300] = "";
	add_str(cells, sim_json_str_or(p, "spec.capacity.storage", ""));
	access_modes(sim_json_get(p, "spec.accessModes"), modes, sizeof(modes));
	add_str(cells, modes);
	add_str(cells, sim_json_str_or(p, "spec.persistentVolumeReclaimPolicy", ""));
	add_str(cells, sim_json_get(p, "metadata.deletionTimestamp") ? "Terminating" :
		       sim_json_str_or(p, "status.phase", ""));
	if (sim_json_str(p, "spec.claimRef.name"))
		snprintf(claim, sizeof(claim), "%s/%s", sim_json_str_or(p, "spec.claimRef.namespace", ""),
			 sim_json_str(p, "spec.claimRef.name"));
	add_str(cells, claim);
	add_str(cells, sim_json_str_or(p, "spec.storageClassName", ""));
	const char *vac = sim_json_str(p, "spec.volumeAttributesClassName");
	add_str(cells, vac && *vac ? vac : "<unset>");
	add_str(cells, sim_json_str_or(p, "status.reason", ""));
	add_age(s, cells, p);
	add_str(cells, sim_json_str_or(p, "spec.volumeMode", "<unset>"));
}

static void row_svc(struct sim *s, cJSON *cells, const cJSON *o)
{
	char ports[512], sel[512];
	size_t len = 0;
	const char *type = sim_json_str_or(o, "spec.type", "ClusterIP");
	add_str(cells, type);
	add_str(cells, sim_json_str_or(o, "spec.clusterIP", "<none>"));
	const cJSON *ext = sim_json_get(o, "spec.externalIPs");
	add_str(cells, cJSON_GetArraySize(ext) > 0 ? cJSON_GetStringValue(ext->child) :
		       strcmp(type, "LoadBalancer") == 0 ? "<pending>" : "<none>");
	ports[0] = '\0';
	const cJSON *ps = sim_json_get(o, "spec.ports");
	for (const cJSON *p = ps ? ps->child : NULL; p && len < sizeof(ports); p = p->next) {
		int64_t np = sim_json_int(p, "nodePort", 0);
		if (np)
			len += (size_t)snprintf(ports + len, sizeof(ports) - len, "%s%lld:%lld/%s",
						len ? "," : "", (long long)sim_json_int(p, "port", 0),
						(long long)np, sim_json_str_or(p, "protocol", "TCP"));
		else
			len += (size_t)snprintf(ports + len, sizeof(ports) - len, "%s%lld/%s",
						len ? "," : "", (long long)sim_json_int(p, "port", 0),
						sim_json_str_or(p, "protocol", "TCP"));
	}
	add_str(cells, ports[0] ? ports : "<none>");
	add_age(s, cells, o);
	map_format(sim_json_get(o, "spec.selector"), sel, sizeof(sel));
	add_str(cells, sel);
}

static void row_node(struct sim *s, cJSON *cells, const cJSON *o)
{
	char roles[256] = "";
	size_t len = 0;
	const cJSON *labels = sim_json_get(o, "metadata.labels");
	for (const cJSON *l = labels ? labels->child : NULL; l; l = l->next)
		if (strncmp(l->string, "node-role.kubernetes.io/", 24) == 0 && len < sizeof(roles))
			len += (size_t)snprintf(roles + len, sizeof(roles) - len, "%s%s", len ? "," : "",
						l->string + 24);
	add_str(cells, has_condition(o, "Ready", "True") ? "Ready" : "NotReady");
	add_str(cells, roles[0] ? roles : "<none>");
	add_age(s, cells, o);
	add_str(cells, sim_json_str_or(o, "status.nodeInfo.kubeletVersion", ""));
	const char *iip = "<none>", *eip = "<none>";
	const cJSON *addrs = sim_json_get(o, "status.addresses");
	for (const cJSON *a = addrs ? addrs->child : NULL; a; a = a->next) {
		if (strcmp(sim_json_str_or(a, "type", ""), "InternalIP") == 0)
			iip = sim_json_str_or(a, "address", "<none>");
		if (strcmp(sim_json_str_or(a, "type", ""), "ExternalIP") == 0)
			eip = sim_json_str_or(a, "address", "<none>");
	}
	add_str(cells, iip);
	add_str(cells, eip);
	add_str(cells, sim_json_str_or(o, "status.nodeInfo.osImage", "<unknown>"));
	add_str(cells, sim_json_str_or(o, "status.nodeInfo.kernelVersion", "<unknown>"));
	add_str(cells, sim_json_str_or(o, "status.nodeInfo.containerRuntimeVersion", "<unknown>"));
}

static void row_count_data(struct sim *s, cJSON *cells, const cJSON *o, bool with_type)
{
	char n[32];
	int count = cJSON_GetArraySize(sim_json_get(o, "data")) +
		    cJSON_GetArraySize(sim_json_get(o, "binaryData"));
	if (with_type)
		add_str(cells, sim_json_str_or(o, "type", "Opaque"));
	snprintf(n, sizeof(n), "%d", count);
	add_str(cells, n);
	add_age(s, cells, o);
}

static void row_endpoints(struct sim *s, cJSON *cells, const cJSON *o)
{
	char eps[512] = "";
	size_t len = 0;
	int shown = 0, total = 0;
	const cJSON *subsets = sim_json_get(o, "subsets");
	for (const cJSON *ss = subsets ? subsets->child : NULL; ss; ss = ss->next) {
		const cJSON *addrs = sim_json_get(ss, "addresses"), *ports = sim_json_get(ss, "ports");
		for (const cJSON *a = addrs ? addrs->child : NULL; a; a = a->next) {
			for (const cJSON *p = ports ? ports->child : NULL; p; p = p->next) {
				total++;
				if (shown < 3 && len < sizeof(eps)) {
					len += (size_t)snprintf(eps + len, sizeof(eps) - len, "%s%s:%lld",
								len ? "," : "", sim_json_str_or(a, "ip", ""),
								(long long)sim_json_int(p, "port", 0));
					shown++;
				}
			}
		}
	}
	if (total > shown && len < sizeof(eps))
		snprintf(eps + len, sizeof(eps) - len, " + %d more...", total - shown);
	add_str(cells, eps[0] ? eps : "<none>");
	add_age(s, cells, o);
}

static void row_cr(struct sim *s, cJSON *cells, const cJSON *o)
{
	char ctl[300] = "<none>";
	const cJSON *refs = sim_json_get(o, "metadata.ownerReferences");
	for (const cJSON *r = refs ? refs->child : NULL; r; r = r->next) {
		if (sim_json_bool(r, "controller", false)) {
			const char *av = sim_json_str_or(r, "apiVersion", "");
			const char *slash = strchr(av, '/');
			char kind[64];
			size_t i;
			const char *k = sim_json_str_or(r, "kind", "");
			for (i = 0; k[i] && i + 1 < sizeof(kind); i++)
				kind[i] = (char)((k[i] >= 'A' && k[i] <= 'Z') ? k[i] + 32 : k[i]);
			kind[i] = '\0';
			if (slash)
				snprintf(ctl, sizeof(ctl), "%s.%.*s/%s", kind, (int)(slash - av), av,
					 sim_json_str_or(r, "name", ""));
			else
				snprintf(ctl, sizeof(ctl), "%s/%s", kind, sim_json_str_or(r, "name", ""));
		}
	}
	add_str(cells, ctl);
	add_num(cells, (double)sim_json_int(o, "revision", 0));
	add_age(s, cells, o);
}

static void add_opt_str(cJSON *cells, const cJSON *o, const char *path)
{
	const char *v = sim_json_str(o, path);
	if (v)
		add_str(cells, v);
	else
		cJSON_AddItemToArray(cells, cJSON_CreateNull());
}

static void row_vs(struct sim *s, cJSON *cells, const cJSON *o)
{
	const cJSON *ready = sim_json_get(o, "status.readyToUse");
	if (cJSON_IsBool(ready))
		cJSON_AddItemToArray(cells, cJSON_CreateBool(cJSON_IsTrue(ready)));
	else
		cJSON_AddItemToArray(cells, cJSON_CreateNull());
	add_opt_str(cells, o, "spec.source.persistentVolumeClaimName");
	add_opt_str(cells, o, "spec.source.volumeSnapshotContentName");
	add_opt_str(cells, o, "status.restoreSize");
	add_opt_str(cells, o, "spec.volumeSnapshotClassName");
	add_opt_str(cells, o, "status.boundVolumeSnapshotContentName");
	if (sim_json_str(o, "status.creationTime")) {
		char t[32];
		age_of(s, o, "status.creationTime", t, sizeof(t));
		add_str(cells, t);
	} else {
		cJSON_AddItemToArray(cells, cJSON_CreateNull());
	}
	add_age(s, cells, o);
}

static void row_vsc(struct sim *s, cJSON *cells, const cJSON *o)
{
	add_opt_str(cells, o, "driver");
	add_opt_str(cells, o, "deletionPolicy");
	add_age(s, cells, o);
}

static void row_ingress(struct sim *s, cJSON *cells, const cJSON *o)
{
	char hosts[512] = "", addr[256] = "";
	size_t len = 0;
	const cJSON *rules = sim_json_get(o, "spec.rules");
	for (const cJSON *r = rules ? rules->child : NULL; r && len < sizeof(hosts); r = r->next)
		len += (size_t)snprintf(hosts + len, sizeof(hosts) - len, "%s%s", len ? "," : "",
					sim_json_str_or(r, "host", "*"));
	const cJSON *lb = sim_json_get(o, "status.loadBalancer.ingress");
	len = 0;
	for (const cJSON *a = lb ? lb->child : NULL; a && len < sizeof(addr); a = a->next)
		len += (size_t)snprintf(addr + len, sizeof(addr) - len, "%s%s", len ? "," : "",
					sim_json_str_or(a, "ip", sim_json_str_or(a, "hostname", "")));
	const char *cls = sim_json_str(o, "spec.ingressClassName");
	add_str(cells, cls ? cls : "<none>");
	add_str(cells, hosts[0] ? hosts : "*");
	add_str(cells, addr);
	add_str(cells, cJSON_GetArraySize(sim_json_get(o, "spec.tls")) > 0 ? "80, 443" : "80");
	add_age(s, cells, o);
}

static void row_netpol(struct sim *s, cJSON *cells, const cJSON *o)
{
	char sel[512];
	selector_format(sim_json_get(o, "spec.podSelector"), sel, sizeof(sel));
	add_str(cells, sel);
	add_age(s, cells, o);
}

static void row_cells(struct sim *s, const struct sim_resource *r, cJSON *cells,
		      const cJSON *o)
{
	if (r->id != SIM_RES_EVENTS)
		add_str(cells, sim_json_str_or(o, "metadata.name", ""));
	switch (r->id) {
	case SIM_RES_PODS: row_pod(s, cells, o); break;
	case SIM_RES_DEPLOYMENTS: row_deploy(s, cells, o); break;
	case SIM_RES_REPLICASETS: row_rs(s, cells, o); break;
	case SIM_RES_STATEFULSETS: row_sts(s, cells, o); break;
	case SIM_RES_DAEMONSETS: row_ds(s, cells, o); break;
	case SIM_RES_JOBS: row_job(s, cells, o); break;
	case SIM_RES_CRONJOBS: row_cronjob(s, cells, o); break;
	case SIM_RES_EVENTS: row_event(s, cells, o); break;
	case SIM_RES_PVCS: row_pvc(s, cells, o); break;
	case SIM_RES_PVS: row_pv(s, cells, o); break;
	case SIM_RES_SERVICES: row_svc(s, cells, o); break;
	case SIM_RES_NAMESPACES:
		add_str(cells, sim_json_str_or(o, "status.phase", "Active"));
		add_age(s, cells, o);
		break;
	case SIM_RES_NODES: row_node(s, cells, o); break;
	case SIM_RES_CONFIGMAPS: row_count_data(s, cells, o, false); break;
	case SIM_RES_SECRETS: row_count_data(s, cells, o, true); break;
	case SIM_RES_ENDPOINTS: row_endpoints(s, cells, o); break;
	case SIM_RES_SERVICEACCOUNTS:
		add_str(cells, "0");
		add_age(s, cells, o);
		break;
	case SIM_RES_CONTROLLERREVISIONS: row_cr(s, cells, o); break;
	case SIM_RES_VOLUMESNAPSHOTS: row_vs(s, cells, o); break;
	case SIM_RES_VOLUMESNAPSHOTCLASSES: row_vsc(s, cells, o); break;
	case SIM_RES_INGRESSES: row_ingress(s, cells, o); break;
	case SIM_RES_NETWORKPOLICIES: row_netpol(s, cells, o); break;
	default: add_age(s, cells, o); break;
	}
}

static cJSON *row_object(const cJSON *o, enum sim_include_object inc)
{
	if (inc == SIM_INCLUDE_OBJECT)
		return cJSON_Duplicate(o, 1);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "kind", "PartialObjectMetadata");
	cJSON_AddStringToObject(p, "apiVersion", "meta.k8s.io/v1");
	cJSON_AddItemToObject(p, "metadata", cJSON_Duplicate(sim_json_get(o, "metadata"), 1));
	return p;
}

cJSON *sim_table_new(struct sim *s, const struct sim_resource *r, const cJSON *const *objs,
		     size_t n, enum sim_include_object inc, bool columns)
{
	const struct table_def *def = table_def_for(r->id == SIM_RES_EVENTS_V1 ? SIM_RES_EVENTS : r->id);
	const struct sim_resource *pr = r->id == SIM_RES_EVENTS_V1 ? sim_resources_get(SIM_RES_EVENTS) : r;
	cJSON *t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "kind", "Table");
	cJSON_AddStringToObject(t, "apiVersion", "meta.k8s.io/v1");
	cJSON_AddObjectToObject(t, "metadata");
	cJSON *cols = cJSON_AddArrayToObject(t, "columnDefinitions");
	for (size_t i = 0; columns && i < COLS_MAX && def->cols[i].name; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", def->cols[i].name);
		cJSON_AddStringToObject(c, "type", def->cols[i].type);
		cJSON_AddStringToObject(c, "format", strcmp(def->cols[i].name, "Name") == 0 ? "name" : "");
		cJSON_AddStringToObject(c, "description", "");
		cJSON_AddNumberToObject(c, "priority", def->cols[i].priority);
		cJSON_AddItemToArray(cols, c);
	}
	cJSON *rows = cJSON_AddArrayToObject(t, "rows");
	for (size_t i = 0; i < n; i++) {
		cJSON *row = cJSON_CreateObject();
		cJSON *cells = cJSON_AddArrayToObject(row, "cells");
		row_cells(s, pr, cells, objs[i]);
		if (inc != SIM_INCLUDE_NONE)
			cJSON_AddItemToObject(row, "object", row_object(objs[i], inc));
		cJSON_AddItemToArray(rows, row);
	}
	return t;
}
