/*
 * resources.c: the table of served API resources.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/sim_resources.h"

static const struct sim_resource resources[SIM_RES_COUNT] = {
	[SIM_RES_NAMESPACES] = { .id = SIM_RES_NAMESPACES, .group = "", .version = "v1",
		.kind = "Namespace", .plural = "namespaces", .singular = "namespace",
		.namespaced = false, .verbs = SIM_VERBS_NO_DELCOL, .short_names = { "ns" },
		.subresources = { "status" } },
	[SIM_RES_NODES] = { .id = SIM_RES_NODES, .group = "", .version = "v1", .kind = "Node",
		.plural = "nodes", .singular = "node", .namespaced = false,
		.verbs = SIM_VERBS_ALL, .short_names = { "no" }, .subresources = { "status", "proxy" } },
	[SIM_RES_PODS] = { .id = SIM_RES_PODS, .group = "", .version = "v1", .kind = "Pod",
		.plural = "pods", .singular = "pod", .namespaced = true, .verbs = SIM_VERBS_ALL,
		.short_names = { "po" }, .categories = { "all" },
		.subresources = { "status", "log" } },
	[SIM_RES_SERVICES] = { .id = SIM_RES_SERVICES, .group = "", .version = "v1",
		.kind = "Service", .plural = "services", .singular = "service", .namespaced = true,
		.verbs = SIM_VERBS_ALL, .short_names = { "svc" }, .categories = { "all" },
		.subresources = { "status", "proxy" } },
	[SIM_RES_ENDPOINTS] = { .id = SIM_RES_ENDPOINTS, .group = "", .version = "v1",
		.kind = "Endpoints", .plural = "endpoints", .singular = "endpoints",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "ep" } },
	[SIM_RES_EVENTS] = { .id = SIM_RES_EVENTS, .group = "", .version = "v1", .kind = "Event",
		.plural = "events", .singular = "event", .namespaced = true, .verbs = SIM_VERBS_ALL,
		.short_names = { "ev" } },
	[SIM_RES_PVCS] = { .id = SIM_RES_PVCS, .group = "", .version = "v1",
		.kind = "PersistentVolumeClaim", .plural = "persistentvolumeclaims",
		.singular = "persistentvolumeclaim", .namespaced = true, .verbs = SIM_VERBS_ALL,
		.short_names = { "pvc" }, .subresources = { "status" } },
	[SIM_RES_PVS] = { .id = SIM_RES_PVS, .group = "", .version = "v1",
		.kind = "PersistentVolume", .plural = "persistentvolumes",
		.singular = "persistentvolume", .namespaced = false, .verbs = SIM_VERBS_ALL,
		.short_names = { "pv" }, .subresources = { "status" } },
	[SIM_RES_CONFIGMAPS] = { .id = SIM_RES_CONFIGMAPS, .group = "", .version = "v1",
		.kind = "ConfigMap", .plural = "configmaps", .singular = "configmap",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "cm" } },
	[SIM_RES_SECRETS] = { .id = SIM_RES_SECRETS, .group = "", .version = "v1",
		.kind = "Secret", .plural = "secrets", .singular = "secret", .namespaced = true,
		.verbs = SIM_VERBS_ALL },
	[SIM_RES_SERVICEACCOUNTS] = { .id = SIM_RES_SERVICEACCOUNTS, .group = "",
		.version = "v1", .kind = "ServiceAccount", .plural = "serviceaccounts",
		.singular = "serviceaccount", .namespaced = true, .verbs = SIM_VERBS_ALL,
		.short_names = { "sa" } },
	[SIM_RES_DEPLOYMENTS] = { .id = SIM_RES_DEPLOYMENTS, .group = "apps", .version = "v1",
		.kind = "Deployment", .plural = "deployments", .singular = "deployment",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "deploy" },
		.categories = { "all" }, .subresources = { "status", "scale" } },
	[SIM_RES_REPLICASETS] = { .id = SIM_RES_REPLICASETS, .group = "apps", .version = "v1",
		.kind = "ReplicaSet", .plural = "replicasets", .singular = "replicaset",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "rs" },
		.categories = { "all" }, .subresources = { "status", "scale" } },
	[SIM_RES_STATEFULSETS] = { .id = SIM_RES_STATEFULSETS, .group = "apps", .version = "v1",
		.kind = "StatefulSet", .plural = "statefulsets", .singular = "statefulset",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "sts" },
		.categories = { "all" }, .subresources = { "status", "scale" } },
	[SIM_RES_DAEMONSETS] = { .id = SIM_RES_DAEMONSETS, .group = "apps", .version = "v1",
		.kind = "DaemonSet", .plural = "daemonsets", .singular = "daemonset",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "ds" },
		.categories = { "all" }, .subresources = { "status" } },
	[SIM_RES_CONTROLLERREVISIONS] = { .id = SIM_RES_CONTROLLERREVISIONS, .group = "apps",
		.version = "v1", .kind = "ControllerRevision", .plural = "controllerrevisions",
		.singular = "controllerrevision", .namespaced = true, .verbs = SIM_VERBS_ALL },
	[SIM_RES_JOBS] = { .id = SIM_RES_JOBS, .group = "batch", .version = "v1", .kind = "Job",
		.plural = "jobs", .singular = "job", .namespaced = true, .verbs = SIM_VERBS_ALL,
		.categories = { "all" }, .subresources = { "status" } },
	[SIM_RES_CRONJOBS] = { .id = SIM_RES_CRONJOBS, .group = "batch", .version = "v1",
		.kind = "CronJob", .plural = "cronjobs", .singular = "cronjob", .namespaced = true,
		.verbs = SIM_VERBS_ALL, .short_names = { "cj" }, .categories = { "all" },
		.subresources = { "status" } },
	[SIM_RES_EVENTS_V1] = { .id = SIM_RES_EVENTS_V1, .group = "events.k8s.io",
		.version = "v1", .kind = "Event", .plural = "events", .singular = "event",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "ev" } },
	[SIM_RES_INGRESSES] = { .id = SIM_RES_INGRESSES, .group = "networking.k8s.io",
		.version = "v1", .kind = "Ingress", .plural = "ingresses", .singular = "ingress",
		.namespaced = true, .verbs = SIM_VERBS_ALL, .short_names = { "ing" },
		.subresources = { "status" } },
	[SIM_RES_NETWORKPOLICIES] = { .id = SIM_RES_NETWORKPOLICIES,
		.group = "networking.k8s.io", .version = "v1", .kind = "NetworkPolicy",
		.plural = "networkpolicies", .singular = "networkpolicy", .namespaced = true,
		.verbs = SIM_VERBS_ALL, .short_names = { "netpol" } },
	[SIM_RES_VOLUMESNAPSHOTS] = { .id = SIM_RES_VOLUMESNAPSHOTS,
		.group = "snapshot.storage.k8s.io", .version = "v1", .kind = "VolumeSnapshot",
		.plural = "volumesnapshots", .singular = "volumesnapshot", .namespaced = true,
		.verbs = SIM_VERBS_ALL, .short_names = { "vs" }, .subresources = { "status" } },
	[SIM_RES_VOLUMESNAPSHOTCLASSES] = { .id = SIM_RES_VOLUMESNAPSHOTCLASSES,
		.group = "snapshot.storage.k8s.io", .version = "v1",
		.kind = "VolumeSnapshotClass", .plural = "volumesnapshotclasses",
		.singular = "volumesnapshotclass", .namespaced = false, .verbs = SIM_VERBS_ALL,
		.short_names = { "vsclass", "vsclasses" } },
	[SIM_RES_SSAR] = { .id = SIM_RES_SSAR, .group = "authorization.k8s.io",
		.version = "v1", .kind = "SelfSubjectAccessReview",
		.plural = "selfsubjectaccessreviews", .singular = "selfsubjectaccessreview",
		.namespaced = false, .verbs = SIM_VERBS_CREATE },
	[SIM_RES_SSRR] = { .id = SIM_RES_SSRR, .group = "authorization.k8s.io",
		.version = "v1", .kind = "SelfSubjectRulesReview",
		.plural = "selfsubjectrulesreviews", .singular = "selfsubjectrulesreview",
		.namespaced = false, .verbs = SIM_VERBS_CREATE },
};

static const char *const verbs_all[] = { "create", "delete", "deletecollection", "get",
					 "list", "patch", "update", "watch", NULL };
static const char *const verbs_no_delcol[] = { "create", "delete", "get", "list", "patch",
					       "update", "watch", NULL };
static const char *const verbs_create[] = { "create", NULL };
static const char *const verbs_list_watch[] = { "get", "list", "watch", NULL };

const struct sim_resource *sim_resources_get(enum sim_res_id id)
{
	return (unsigned)id < SIM_RES_COUNT ? &resources[id] : NULL;
}

const struct sim_resource *sim_resources_find(const char *group, const char *version,
					      const char *plural)
{
	for (size_t i = 0; i < SIM_RES_COUNT; i++) {
		const struct sim_resource *r = &resources[i];
		if (strcmp(r->group, group) == 0 && strcmp(r->version, version) == 0 &&
		    strcmp(r->plural, plural) == 0)
			return r;
	}
	return NULL;
}

const struct sim_resource *sim_resources_find_kind(const char *api_version, const char *kind)
{
	char av[128];
	if (!api_version || !kind)
		return NULL;
	for (size_t i = 0; i < SIM_RES_COUNT; i++) {
		const struct sim_resource *r = &resources[i];
		if (i == SIM_RES_EVENTS_V1)
			continue;
		sim_resources_api_version(r, av, sizeof(av));
		if (strcmp(av, api_version) == 0 && strcmp(r->kind, kind) == 0)
			return r;
	}
	if (strcmp(api_version, "events.k8s.io/v1") == 0 && strcmp(kind, "Event") == 0)
		return &resources[SIM_RES_EVENTS_V1];
	return NULL;
}

void sim_resources_api_version(const struct sim_resource *r, char *out, size_t n)
{
	if (r->group[0])
		snprintf(out, n, "%s/%s", r->group, r->version);
	else
		snprintf(out, n, "%s", r->version);
}

bool sim_resources_has_sub(const struct sim_resource *r, const char *sub)
{
	for (size_t i = 0; i < 3 && r->subresources[i]; i++)
		if (strcmp(r->subresources[i], sub) == 0)
			return true;
	return false;
}

const char *const *sim_resources_verbs(enum sim_verbs v)
{
	switch (v) {
	case SIM_VERBS_NO_DELCOL: return verbs_no_delcol;
	case SIM_VERBS_CREATE: return verbs_create;
	case SIM_VERBS_LIST_WATCH: return verbs_list_watch;
	case SIM_VERBS_ALL: break;
	}
	return verbs_all;
}

void sim_resources_qualified(const struct sim_resource *r, char *out, size_t n)
{
	if (r->group[0])
		snprintf(out, n, "%s.%s", r->plural, r->group);
	else
		snprintf(out, n, "%s", r->plural);
}
