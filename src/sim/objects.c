/*
 * objects.c: defaulting and validation, the parts of the apiserver's
 * registry strategies that clients can see.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "opsdeck/buf.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_status.h"

static void def_str(cJSON *o, const char *path, const char *v)
{
	if (!sim_json_get(o, path))
		sim_json_set_str(o, path, v);
}

static void def_num(cJSON *o, const char *path, double v)
{
	if (!sim_json_get(o, path))
		sim_json_set_num(o, path, v);
}

static void def_bool(cJSON *o, const char *path, bool v)
{
	if (!sim_json_get(o, path))
		sim_json_set_bool(o, path, v);
}

/* Decoding into the API's Go types drops nulls ("creationTimestamp": null in templates). */
static void strip_nulls(cJSON *o, int depth)
{
	if (depth > 64)
		return;
	for (cJSON *c = o ? o->child : NULL; c;) {
		cJSON *next = c->next;
		if (cJSON_IsNull(c) && cJSON_IsObject(o))
			cJSON_Delete(cJSON_DetachItemViaPointer(o, c));
		else if (cJSON_IsObject(c) || cJSON_IsArray(c))
			strip_nulls(c, depth + 1);
		c = next;
	}
}

static void default_probe(cJSON *p)
{
	if (!cJSON_IsObject(p))
		return;
	def_num(p, "timeoutSeconds", 1);
	def_num(p, "periodSeconds", 10);
	def_num(p, "successThreshold", 1);
	def_num(p, "failureThreshold", 3);
}

static const char *pull_policy(const char *image)
{
	const char *slash = image ? strrchr(image, '/') : NULL;
	const char *last = slash ? slash + 1 : (image ? image : "");
	if (strchr(last, '@'))
		return "IfNotPresent";
	const char *colon = strchr(last, ':');
	if (!colon || strcmp(colon, ":latest") == 0)
		return "Always";
	return "IfNotPresent";
}

static void default_containers(cJSON *list)
{
	for (cJSON *c = list ? list->child : NULL; c; c = c->next) {
		if (!cJSON_IsObject(c))
			continue;
		def_str(c, "terminationMessagePath", "/dev/termination-log");
		def_str(c, "terminationMessagePolicy", "File");
		def_str(c, "imagePullPolicy", pull_policy(sim_json_str(c, "image")));
		if (!sim_json_get(c, "resources"))
			sim_json_set(c, "resources", cJSON_CreateObject());
		default_probe(sim_json_get(c, "readinessProbe"));
		default_probe(sim_json_get(c, "livenessProbe"));
		default_probe(sim_json_get(c, "startupProbe"));
		cJSON *ports = sim_json_get(c, "ports");
		for (cJSON *p = ports ? ports->child : NULL; p; p = p->next)
			if (cJSON_IsObject(p))
				def_str(p, "protocol", "TCP");
	}
}

static void default_pod_spec(cJSON *spec, bool is_pod)
{
	if (!cJSON_IsObject(spec))
		return;
	def_str(spec, "restartPolicy", "Always");
	def_num(spec, "terminationGracePeriodSeconds", 30);
	def_str(spec, "dnsPolicy", "ClusterFirst");
	def_str(spec, "schedulerName", "default-scheduler");
	if (!sim_json_get(spec, "securityContext"))
		sim_json_set(spec, "securityContext", cJSON_CreateObject());
	default_containers(sim_json_get(spec, "containers"));
	default_containers(sim_json_get(spec, "initContainers"));
	if (sim_json_bool(spec, "hostNetwork", false)) {
		/* With the host's network, a container port is a host port. */
		const cJSON *cs = sim_json_get(spec, "containers");
		for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next) {
			const cJSON *ports = sim_json_get(c, "ports");
			for (cJSON *p = ports ? ports->child : NULL; p; p = p->next)
				if (cJSON_IsObject(p) && !sim_json_get(p, "hostPort"))
					sim_json_set_num(p, "hostPort", sim_json_num(p, "containerPort", 0));
		}
	}
	if (!is_pod)
		return;
	def_str(spec, "serviceAccountName", "default");
	def_str(spec, "serviceAccount", sim_json_str_or(spec, "serviceAccountName", "default"));
	def_bool(spec, "enableServiceLinks", true);
	def_num(spec, "priority", 0);
	def_str(spec, "preemptionPolicy", "PreemptLowerPriority");
	if (!sim_json_get(spec, "tolerations")) {
		cJSON *tl = cJSON_CreateArray();
		static const char *const keys[] = { "node.kubernetes.io/not-ready",
						    "node.kubernetes.io/unreachable" };
		for (int i = 0; i < 2; i++) {
			cJSON *t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "key", keys[i]);
			cJSON_AddStringToObject(t, "operator", "Exists");
			cJSON_AddStringToObject(t, "effect", "NoExecute");
			cJSON_AddNumberToObject(t, "tolerationSeconds", 300);
			cJSON_AddItemToArray(tl, t);
		}
		sim_json_set(spec, "tolerations", tl);
	}
}

/* Guaranteed, Burstable or BestEffort, from the containers' requests and limits. */
static const char *qos_class(const cJSON *spec)
{
	bool any = false, guaranteed = true;
	const cJSON *cs = sim_json_get(spec, "containers");
	for (const cJSON *c = cs ? cs->child : NULL; c; c = c->next) {
		const cJSON *req = sim_json_get(c, "resources.requests");
		const cJSON *lim = sim_json_get(c, "resources.limits");
		if (cJSON_GetArraySize(req) || cJSON_GetArraySize(lim))
			any = true;
		static const char *const res[] = { "cpu", "memory" };
		for (int i = 0; i < 2; i++) {
			const cJSON *l = lim ? cJSON_GetObjectItemCaseSensitive(lim, res[i]) : NULL;
			const cJSON *r = req ? cJSON_GetObjectItemCaseSensitive(req, res[i]) : NULL;
			if (!l || (r && !cJSON_Compare(l, r, 1)))
				guaranteed = false;
		}
	}
	if (!any)
		return "BestEffort";
	return guaranteed ? "Guaranteed" : "Burstable";
}

void sim_objects_default(struct sim *s, const struct sim_resource *r, cJSON *obj)
{
	char ip[32];
	strip_nulls(obj, 0);
	switch (r->id) {
	case SIM_RES_PODS: {
		cJSON *spec = sim_json_get(obj, "spec");
		default_pod_spec(spec, true);
		if (!sim_json_get(obj, "status"))
			sim_json_set_str(obj, "status.phase", "Pending");
		if (!sim_json_get(obj, "status.qosClass"))
			sim_json_set_str(obj, "status.qosClass", qos_class(spec));
		break;
	}
	case SIM_RES_DEPLOYMENTS:
		def_num(obj, "spec.replicas", 1);
		def_num(obj, "spec.revisionHistoryLimit", 10);
		def_num(obj, "spec.progressDeadlineSeconds", 600);
		def_str(obj, "spec.strategy.type", "RollingUpdate");
		if (strcmp(sim_json_str_or(obj, "spec.strategy.type", ""), "RollingUpdate") == 0) {
			def_str(obj, "spec.strategy.rollingUpdate.maxSurge", "25%");
			def_str(obj, "spec.strategy.rollingUpdate.maxUnavailable", "25%");
		}
		default_pod_spec(sim_json_get(obj, "spec.template.spec"), false);
		break;
	case SIM_RES_REPLICASETS:
		def_num(obj, "spec.replicas", 1);
		default_pod_spec(sim_json_get(obj, "spec.template.spec"), false);
		break;
	case SIM_RES_STATEFULSETS:
		def_num(obj, "spec.replicas", 1);
		def_str(obj, "spec.podManagementPolicy", "OrderedReady");
		def_str(obj, "spec.updateStrategy.type", "RollingUpdate");
		if (strcmp(sim_json_str_or(obj, "spec.updateStrategy.type", ""), "RollingUpdate") == 0)
			def_num(obj, "spec.updateStrategy.rollingUpdate.partition", 0);
		def_num(obj, "spec.revisionHistoryLimit", 10);
		def_str(obj, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain");
		def_str(obj, "spec.persistentVolumeClaimRetentionPolicy.whenScaled", "Retain");
		default_pod_spec(sim_json_get(obj, "spec.template.spec"), false);
		break;
	case SIM_RES_DAEMONSETS:
		def_str(obj, "spec.updateStrategy.type", "RollingUpdate");
		if (strcmp(sim_json_str_or(obj, "spec.updateStrategy.type", ""), "RollingUpdate") == 0) {
			def_num(obj, "spec.updateStrategy.rollingUpdate.maxUnavailable", 1);
			def_num(obj, "spec.updateStrategy.rollingUpdate.maxSurge", 0);
		}
		def_num(obj, "spec.revisionHistoryLimit", 10);
		default_pod_spec(sim_json_get(obj, "spec.template.spec"), false);
		break;
	case SIM_RES_JOBS:
		def_num(obj, "spec.parallelism", 1);
		def_num(obj, "spec.completions", 1);
		def_num(obj, "spec.backoffLimit", 6);
		def_str(obj, "spec.completionMode", "NonIndexed");
		def_bool(obj, "spec.suspend", false);
		def_str(obj, "spec.podReplacementPolicy", "TerminatingOrFailed");
		def_str(obj, "spec.template.spec.restartPolicy", "Never");
		default_pod_spec(sim_json_get(obj, "spec.template.spec"), false);
		break;
	case SIM_RES_CRONJOBS:
		def_str(obj, "spec.concurrencyPolicy", "Allow");
		def_bool(obj, "spec.suspend", false);
		def_num(obj, "spec.successfulJobsHistoryLimit", 3);
		def_num(obj, "spec.failedJobsHistoryLimit", 1);
		def_str(obj, "spec.jobTemplate.spec.template.spec.restartPolicy", "OnFailure");
		default_pod_spec(sim_json_get(obj, "spec.jobTemplate.spec.template.spec"), false);
		break;
	case SIM_RES_SERVICES: {
		def_str(obj, "spec.type", "ClusterIP");
		def_str(obj, "spec.sessionAffinity", "None");
		def_str(obj, "spec.internalTrafficPolicy", "Cluster");
		if (!sim_json_get(obj, "spec.clusterIP")) {
			sim_alloc_service_ip(s, ip, sizeof(ip));
			sim_json_set_str(obj, "spec.clusterIP", ip);
		}
		if (!sim_json_get(obj, "spec.clusterIPs")) {
			cJSON *a = cJSON_CreateArray();
			cJSON_AddItemToArray(a, cJSON_CreateString(sim_json_str_or(obj, "spec.clusterIP", "")));
			sim_json_set(obj, "spec.clusterIPs", a);
		}
		if (!sim_json_get(obj, "spec.ipFamilies")) {
			cJSON *a = cJSON_CreateArray();
			cJSON_AddItemToArray(a, cJSON_CreateString("IPv4"));
			sim_json_set(obj, "spec.ipFamilies", a);
		}
		def_str(obj, "spec.ipFamilyPolicy", "SingleStack");
		cJSON *ports = sim_json_get(obj, "spec.ports");
		for (cJSON *p = ports ? ports->child : NULL; p; p = p->next) {
			if (!cJSON_IsObject(p))
				continue;
			def_str(p, "protocol", "TCP");
			if (!sim_json_get(p, "targetPort"))
				sim_json_set_num(p, "targetPort", sim_json_num(p, "port", 0));
		}
		if (!sim_json_get(obj, "status"))
			sim_json_set(obj, "status.loadBalancer", cJSON_CreateObject());
		break;
	}
	case SIM_RES_PVCS:
		def_str(obj, "spec.volumeMode", "Filesystem");
		if (!sim_json_get(obj, "status.phase"))
			sim_json_set_str(obj, "status.phase", "Pending");
		break;
	case SIM_RES_NAMESPACES:
		if (!sim_json_get(obj, "spec.finalizers")) {
			cJSON *f = cJSON_CreateArray();
			cJSON_AddItemToArray(f, cJSON_CreateString("kubernetes"));
			sim_json_set(obj, "spec.finalizers", f);
		}
		def_str(obj, "status.phase", "Active");
		if (sim_json_str(obj, "metadata.name"))
			sim_json_set_label(obj, "kubernetes.io/metadata.name", sim_json_str(obj, "metadata.name"));
		break;
	case SIM_RES_SECRETS: {
		def_str(obj, "type", "Opaque");
		/* stringData is write-only: the apiserver folds it into data, base64-encoded */
		cJSON *sd = cJSON_DetachItemFromObjectCaseSensitive(obj, "stringData");
		for (cJSON *it = sd ? sd->child : NULL; it; it = it->next) {
			if (!cJSON_IsString(it))
				continue;
			size_t n = strlen(it->valuestring);
			char *enc = malloc(4 * ((n + 2) / 3) + 1);
			if (!enc)
				break;
			EVP_EncodeBlock((unsigned char *)enc, (const unsigned char *)it->valuestring, (int)n);
			cJSON *data = sim_json_ensure(obj, "data");
			if (data)
				sim_json_put(data, it->string, cJSON_CreateString(enc));
			free(enc);
		}
		cJSON_Delete(sd);
		break;
	}
	default:
		break;
	}
}

static bool dns_subdomain(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return false;
	return isalnum((unsigned char)s[0]) && isalnum((unsigned char)s[n - 1]);
}

static bool dns_label(const char *s)
{
	return dns_subdomain(s) && strlen(s) <= 63 && !strchr(s, '.');
}

/* Whether every matchLabels pair of sel is among the template's labels. */
static bool selector_matches_template(const cJSON *sel, const cJSON *labels)
{
	const cJSON *ml = sim_json_get(sel, "matchLabels");
	if (!ml || !ml->child)
		return sim_json_get(sel, "matchExpressions") != NULL;
	for (const cJSON *kv = ml->child; kv; kv = kv->next) {
		const cJSON *have = labels ? cJSON_GetObjectItemCaseSensitive(labels, kv->string) : NULL;
		if (!have || !cJSON_Compare(have, kv, 1))
			return false;
	}
	return true;
}

static cJSON *invalid(const struct sim_resource *r, const cJSON *obj, const char *field,
		      const char *detail)
{
	return sim_status_invalid(r, sim_json_str_or(obj, "metadata.name", ""), field, detail);
}

static cJSON *validate_workload(const struct sim_resource *r, const cJSON *obj, const cJSON *old)
{
	char detail[600];
	const cJSON *rep = sim_json_get(obj, "spec.replicas");
	if (rep && (!cJSON_IsNumber(rep) || rep->valuedouble < 0)) {
		snprintf(detail, sizeof(detail), "Invalid value: %lld: must be greater than or equal to 0",
			 (long long)(cJSON_IsNumber(rep) ? rep->valuedouble : 0));
		return invalid(r, obj, "spec.replicas", detail);
	}
	const cJSON *sel = sim_json_get(obj, "spec.selector");
	if (!sel && r->id != SIM_RES_JOBS)
		return invalid(r, obj, "spec.selector", "Required value");
	if (sel && !selector_matches_template(sel, sim_json_get(obj, "spec.template.metadata.labels")))
		return invalid(r, obj, "spec.template.metadata.labels",
			       "Invalid value: map[string]string{...}: `selector` does not match template `labels`");
	if (old && r->id != SIM_RES_JOBS && !sim_json_equal(sim_json_get(old, "spec.selector"), sel))
		return invalid(r, obj, "spec.selector", "Invalid value: v1.LabelSelector{...}: field is immutable");
	if (!cJSON_GetArraySize(sim_json_get(obj, "spec.template.spec.containers")))
		return invalid(r, obj, "spec.template.spec.containers", "Required value");
	return NULL;
}

static cJSON *validate_snapshot(const struct sim_resource *r, const cJSON *obj, const cJSON *old)
{
	const char *pvc = sim_json_str(obj, "spec.source.persistentVolumeClaimName");
	const char *content = sim_json_str(obj, "spec.source.volumeSnapshotContentName");
	const char *cls = sim_json_str(obj, "spec.volumeSnapshotClassName");
	if ((pvc != NULL) == (content != NULL))
		return invalid(r, obj, "spec.source",
			       "Invalid value: \"object\": Exactly one of volumeSnapshotContentName and persistentVolumeClaimName should be specified.");
	if (cls && !*cls)
		return invalid(r, obj, "spec.volumeSnapshotClassName",
			       "Invalid value: \"string\": volumeSnapshotClassName must not be the empty string when set.");
	if (old && !sim_json_equal(sim_json_get(old, "spec.source"), sim_json_get(obj, "spec.source")))
		return invalid(r, obj, "spec.source",
			       "Invalid value: \"object\": persistentVolumeClaimName is immutable");
	return NULL;
}

cJSON *sim_objects_validate(struct sim *s, const struct sim_resource *r, const cJSON *obj,
			    const cJSON *old)
{
	char detail[700];
	const char *name = sim_json_str(obj, "metadata.name");
	(void)s;
	if (name && !old) {
		bool ok = (r->id == SIM_RES_NAMESPACES || r->id == SIM_RES_SERVICES) ? dns_label(name)
										     : dns_subdomain(name);
		if (r->id == SIM_RES_EVENTS)
			ok = *name != '\0';
		if (!ok) {
			snprintf(detail, sizeof(detail),
				 "Invalid value: \"%.253s\": a lowercase RFC 1123 %s must consist of lower case alphanumeric characters, '-'%s, and must start and end with an alphanumeric character",
				 name, (r->id == SIM_RES_NAMESPACES || r->id == SIM_RES_SERVICES) ? "label" : "subdomain",
				 (r->id == SIM_RES_NAMESPACES || r->id == SIM_RES_SERVICES) ? "" : " or '.'");
			return invalid(r, obj, "metadata.name", detail);
		}
	}
	const char *ns = sim_json_str(obj, "metadata.namespace");
	if (r->namespaced && ns && !dns_label(ns))
		return invalid(r, obj, "metadata.namespace", "Invalid value: a lowercase RFC 1123 label is required");
	switch (r->id) {
	case SIM_RES_DEPLOYMENTS:
	case SIM_RES_REPLICASETS:
	case SIM_RES_STATEFULSETS:
	case SIM_RES_DAEMONSETS:
	case SIM_RES_JOBS:
		return validate_workload(r, obj, old);
	case SIM_RES_PODS:
		if (!cJSON_GetArraySize(sim_json_get(obj, "spec.containers")))
			return invalid(r, obj, "spec.containers", "Required value");
		return NULL;
	case SIM_RES_CRONJOBS:
		if (!sim_json_str(obj, "spec.schedule"))
			return invalid(r, obj, "spec.schedule", "Required value");
		return NULL;
	case SIM_RES_VOLUMESNAPSHOTS:
		return validate_snapshot(r, obj, old);
	default:
		return NULL;
	}
}

/* Prints v with object keys sorted, so equal templates print equally. */
static void print_canonical(const cJSON *v, struct buf *b, int depth)
{
	if (depth > 64)
		return;
	if (cJSON_IsObject(v)) {
		const cJSON *keys[256];
		size_t n = 0;
		for (const cJSON *c = v->child; c && n < 256; c = c->next)
			keys[n++] = c;
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && strcmp(keys[j - 1]->string, keys[j]->string) > 0; j--) {
				const cJSON *t = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = t;
			}
		buf_append_str(b, "{", NULL);
		for (size_t i = 0; i < n; i++) {
			buf_printf(b, NULL, "%s\"%s\":", i ? "," : "", keys[i]->string);
			print_canonical(keys[i], b, depth + 1);
		}
		buf_append_str(b, "}", NULL);
		return;
	}
	if (cJSON_IsArray(v)) {
		buf_append_str(b, "[", NULL);
		for (const cJSON *c = v->child; c; c = c->next) {
			print_canonical(c, b, depth + 1);
			if (c->next)
				buf_append_str(b, ",", NULL);
		}
		buf_append_str(b, "]", NULL);
		return;
	}
	char *p = cJSON_PrintUnformatted(v);
	if (p) {
		buf_append_str(b, p, NULL);
		free(p);
	}
}

char *sim_objects_template_key(const cJSON *template_)
{
	struct buf b;
	cJSON *t = cJSON_Duplicate(template_, 1);
	cJSON *labels = sim_json_get(t, "metadata.labels");
	if (cJSON_IsObject(labels))
		cJSON_DeleteItemFromObjectCaseSensitive(labels, "pod-template-hash");
	buf_init(&b, 4u * 1024 * 1024);
	print_canonical(t, &b, 0);
	cJSON_Delete(t);
	return buf_detach(&b, NULL);
}
