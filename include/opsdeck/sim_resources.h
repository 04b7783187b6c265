/*
 * sim_resources.h: the API resources the sim serves, one const table that
 * drives discovery, routing, the store and the Table printers.
 */
#ifndef OPSDECK_SIM_RESOURCES_H
#define OPSDECK_SIM_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>

enum sim_res_id {
	SIM_RES_NAMESPACES,
	SIM_RES_NODES,
	SIM_RES_PODS,
	SIM_RES_SERVICES,
	SIM_RES_ENDPOINTS,
	SIM_RES_EVENTS,
	SIM_RES_PVCS,
	SIM_RES_PVS,
	SIM_RES_CONFIGMAPS,
	SIM_RES_SECRETS,
	SIM_RES_SERVICEACCOUNTS,
	SIM_RES_DEPLOYMENTS,
	SIM_RES_REPLICASETS,
	SIM_RES_STATEFULSETS,
	SIM_RES_DAEMONSETS,
	SIM_RES_CONTROLLERREVISIONS,
	SIM_RES_JOBS,
	SIM_RES_CRONJOBS,
	SIM_RES_EVENTS_V1,           /* events.k8s.io/v1: a view of core events */
	SIM_RES_INGRESSES,
	SIM_RES_NETWORKPOLICIES,
	SIM_RES_VOLUMESNAPSHOTS,
	SIM_RES_VOLUMESNAPSHOTCLASSES,
	SIM_RES_SSAR,                /* selfsubjectaccessreviews: create only */
	SIM_RES_SSRR,                /* selfsubjectrulesreviews: create only */
	SIM_RES_COUNT
};

/* Verb sets as the real apiserver lists them in discovery. */
enum sim_verbs {
	SIM_VERBS_ALL,        /* create delete deletecollection get list patch update watch */
	SIM_VERBS_NO_DELCOL,  /* namespaces */
	SIM_VERBS_CREATE,     /* reviews */
	SIM_VERBS_LIST_WATCH  /* events.k8s.io view */
};

struct sim_resource {
	enum sim_res_id id;
	const char *group;          /* "" for core */
	const char *version;
	const char *kind;
	const char *plural;
	const char *singular;
	bool namespaced;
	enum sim_verbs verbs;
	const char *short_names[3]; /* NULL-terminated early */
	const char *categories[2];
	const char *subresources[3]; /* "status", "scale", "log", "proxy" */
};

/* The row for id. */
const struct sim_resource *sim_resources_get(enum sim_res_id id);

/* Finds by group, version and plural; NULL when not served. */
const struct sim_resource *sim_resources_find(const char *group, const char *version,
					      const char *plural);

/* Finds by kind and apiVersion ("apps/v1"); NULL when not served. */
const struct sim_resource *sim_resources_find_kind(const char *api_version, const char *kind);

/* Writes "group/version" or "v1" into out. */
void sim_resources_api_version(const struct sim_resource *r, char *out, size_t n);

/* True when r has the subresource sub. */
bool sim_resources_has_sub(const struct sim_resource *r, const char *sub);

/* The verbs of a set, NULL-terminated. */
const char *const *sim_resources_verbs(enum sim_verbs v);

/* "pods", or "deployments.apps": the qualified resource name used in messages. */
void sim_resources_qualified(const struct sim_resource *r, char *out, size_t n);

#endif
