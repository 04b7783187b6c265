/*
 * api.c: the resource type table, request paths and query encoding (api.h).
 * The table lists what opsdeck reads or acts on; kubectl's short names come
 * from the API servers' discovery documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/api.h"

static const struct api_resource resources[] = {
	{ "", "v1", "pods", "pod", "Pod", { "po" }, true },
	{ "", "v1", "services", "service", "Service", { "svc" }, true },
	{ "", "v1", "namespaces", "namespace", "Namespace", { "ns" }, false },
	{ "", "v1", "nodes", "node", "Node", { "no" }, false },
	{ "", "v1", "configmaps", "configmap", "ConfigMap", { "cm" }, true },
	{ "", "v1", "secrets", "secret", "Secret", { NULL }, true },
	{ "", "v1", "events", "event", "Event", { "ev" }, true },
	{ "", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim",
	  { "pvc" }, true },
	{ "", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", { "pv" }, false },
	{ "", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", { "sa" }, true },
	{ "", "v1", "endpoints", "endpoints", "Endpoints", { "ep" }, true },
	{ "", "v1", "replicationcontrollers", "replicationcontroller", "ReplicationController",
	  { "rc" }, true },
	{ "", "v1", "limitranges", "limitrange", "LimitRange", { "limits" }, true },
	{ "", "v1", "resourcequotas", "resourcequota", "ResourceQuota", { "quota" }, true },
	{ "apps", "v1", "deployments", "deployment", "Deployment", { "deploy" }, true },
	{ "apps", "v1", "statefulsets", "statefulset", "StatefulSet", { "sts" }, true },
	{ "apps", "v1", "daemonsets", "daemonset", "DaemonSet", { "ds" }, true },
	{ "apps", "v1", "replicasets", "replicaset", "ReplicaSet", { "rs" }, true },
	{ "apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision",
	  { NULL }, true },
	{ "batch", "v1", "jobs", "job", "Job", { NULL }, true },
	{ "batch", "v1", "cronjobs", "cronjob", "CronJob", { "cj" }, true },
	{ "autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
	  "HorizontalPodAutoscaler", { "hpa" }, true },
	{ "networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", { "ing" }, true },
	{ "networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy",
	  { "netpol" }, true },
	{ "policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget",
	  { "pdb" }, true },
	{ "storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", { "sc" },
	  false },
	{ "snapshot.storage.k8s.io", "v1", "volumesnapshots", "volumesnapshot", "VolumeSnapshot",
	  { "vs" }, true },
	{ "snapshot.storage.k8s.io", "v1", "volumesnapshotcontents", "volumesnapshotcontent",
	  "VolumeSnapshotContent", { "vsc", "vscs" }, false },
	{ "snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", "volumesnapshotclass",
	  "VolumeSnapshotClass", { "vsclass", "vsclasses" }, false },
	{ "coordination.k8s.io", "v1", "leases", "lease", "Lease", { NULL }, true },
	{ "scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", { "pc" },
	  false },
	{ "apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
	  "CustomResourceDefinition", { "crd", "crds" }, false },
	{ "metrics.k8s.io", "v1beta1", "pods", "pod", "PodMetrics", { NULL }, true },
	{ "metrics.k8s.io", "v1beta1", "nodes", "node", "NodeMetrics", { NULL }, false },
};

#define NRESOURCES (sizeof(resources) / sizeof(resources[0]))

const struct api_resource *api_resources(size_t *n)
{
	*n = NRESOURCES;
	return resources;
}

void api_resource_group_version(const struct api_resource *r, char *out, size_t n)
{
	if (r->group[0])
		snprintf(out, n, "%s/%s", r->group, r->version);
	else
		snprintf(out, n, "%s", r->version);
}

static bool names_match(const struct api_resource *r, const char *name, size_t len)
{
	const char *cands[] = { r->plural, r->singular, r->kind, r->shorts[0], r->shorts[1],
				r->shorts[2] };

	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (cands[i] && strlen(cands[i]) == len && strncasecmp(cands[i], name, len) == 0)
			return true;
	return false;
}

static bool group_matches(const struct api_resource *r, const char *group)
{
	size_t glen = strlen(r->group);

	/* "deploy.apps" and "deploy.apps/v1"-less forms: the group, optionally ".version" first */
	if (strcasecmp(group, r->group) == 0)
		return true;
	size_t vlen = strlen(r->version);
	return strncasecmp(group, r->version, vlen) == 0 && group[vlen] == '.' &&
	       strlen(group + vlen + 1) == glen && strcasecmp(group + vlen + 1, r->group) == 0;
}

const struct api_resource *api_resource_lookup(const char *name, struct err *e)
{
	const char *dot;

	if (!name || !name[0]) {
		err_set(e, OD_EUSAGE, "error: you must specify the type of resource to get");
		return NULL;
	}
	/* unqualified names: the first match wins, so "pods" is core pods, not metrics */
	for (size_t i = 0; i < NRESOURCES; i++)
		if (names_match(&resources[i], name, strlen(name)))
			return &resources[i];
	dot = strchr(name, '.');
	if (dot) {
		for (size_t i = 0; i < NRESOURCES; i++)
			if (resources[i].group[0] &&
			    names_match(&resources[i], name, (size_t)(dot - name)) &&
			    group_matches(&resources[i], dot + 1))
				return &resources[i];
	}
	err_set(e, OD_EUSAGE, "error: the server doesn't have a resource type \"%s\"", name);
	return NULL;
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static enum od_status escape(const char *s, bool path, struct buf *out, struct err *e)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		enum od_status rc;
		if (is_unreserved(*p) || (path && strchr("$&+:=@", *p))) {
			rc = buf_append(out, p, 1, e);
		} else if (!path && *p == ' ') {
			rc = buf_append(out, "+", 1, e);
		} else {
			char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			rc = buf_append(out, enc, 3, e);
		}
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

enum od_status api_query_escape(const char *s, struct buf *out, struct err *e)
{
	return escape(s, false, out, e);
}

enum od_status api_path_escape(const char *s, struct buf *out, struct err *e)
{
	return escape(s, true, out, e);
}

struct qpair {
	const char *k;
	const char *v;
	size_t order;
};

static int qpair_cmp(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	int c = strcmp(x->k, y->k);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

enum od_status api_query_encode(const struct api_query *q, struct buf *out, struct err *e)
{
	struct qpair pairs[32];
	char limit[24], timeout[24];
	size_t n = 0;
	enum od_status rc = OD_OK;

#define QADD(key, val)                                           \
	do {                                                     \
		pairs[n] = (struct qpair){ (key), (val), n }; \
		n++;                                             \
	} while (0)
	if (q->label_selector && q->label_selector[0])
		QADD("labelSelector", q->label_selector);
	if (q->field_selector && q->field_selector[0])
		QADD("fieldSelector", q->field_selector);
	if (q->limit > 0) {
		snprintf(limit, sizeof(limit), "%ld", q->limit);
		QADD("limit", limit);
	}
	if (q->continue_token && q->continue_token[0])
		QADD("continue", q->continue_token);
	if (q->resource_version && q->resource_version[0])
		QADD("resourceVersion", q->resource_version);
	if (q->resource_version_match && q->resource_version_match[0])
		QADD("resourceVersionMatch", q->resource_version_match);
	if (q->watch)
		QADD("watch", "true");
	if (q->allow_watch_bookmarks)
		QADD("allowWatchBookmarks", "true");
	if (q->timeout_seconds > 0) {
		snprintf(timeout, sizeof(timeout), "%ld", q->timeout_seconds);
		QADD("timeoutSeconds", timeout);
	}
	for (size_t i = 0; i < q->nextra && i < 16; i++)
		if (q->extra[i][0] && q->extra[i][1])
			QADD(q->extra[i][0], q->extra[i][1]);
#undef QADD
	qsort(pairs, n, sizeof(pairs[0]), qpair_cmp);
	for (size_t i = 0; i < n && rc == OD_OK; i++) {
		if (i > 0)
			rc = buf_append(out, "&", 1, e);
		if (rc == OD_OK)
			rc = escape(pairs[i].k, false, out, e);
		if (rc == OD_OK)
			rc = buf_append(out, "=", 1, e);
		if (rc == OD_OK)
			rc = escape(pairs[i].v, false, out, e);
	}
	return rc;
}

static enum od_status check_segment(const char *what, const char *s, struct err *e)
{
	if (!s[0] || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strchr(s, '/') ||
	    strchr(s, '%'))
		return err_set(e, OD_EINVAL, "error: invalid %s \"%s\"", what, s);
	return OD_OK;
}

enum od_status api_build_path(const struct api_target *t, const struct api_query *q,
			      struct buf *out, struct err *e)
{
	const struct api_resource *r = t->res;
	enum od_status rc;

	if (!r)
		return err_set(e, OD_EINVAL, "no resource type");
	if (r->group[0])
		rc = buf_printf(out, e, "/apis/%s/%s", r->group, r->version);
	else
		rc = buf_printf(out, e, "/api/%s", r->version);
	if (rc == OD_OK && r->namespaced && t->namespace_ && t->namespace_[0]) {
		rc = check_segment("namespace", t->namespace_, e);
		if (rc == OD_OK)
			rc = buf_append_str(out, "/namespaces/", e);
		if (rc == OD_OK)
			rc = escape(t->namespace_, true, out, e);
	}
	if (rc == OD_OK)
		rc = buf_printf(out, e, "/%s", r->plural);
	if (rc == OD_OK && t->name) {
		rc = check_segment("name", t->name, e);
		if (rc == OD_OK)
			rc = buf_append(out, "/", 1, e);
		if (rc == OD_OK)
			rc = escape(t->name, true, out, e);
		if (rc == OD_OK && t->subresource && t->subresource[0])
			rc = buf_printf(out, e, "/%s", t->subresource);
	}
	if (rc == OD_OK && q) {
		size_t before = out->len;
		rc = buf_append(out, "?", 1, e);
		if (rc == OD_OK)
			rc = api_query_encode(q, out, e);
		if (rc == OD_OK && out->len == before + 1) {
			out->len = before; /* nothing was set: no '?' */
			out->data[before] = '\0';
		}
	}
	return rc;
}
