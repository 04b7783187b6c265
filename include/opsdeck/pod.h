/*
 * pod.h: the compact pod the cache keeps instead of a cJSON tree.
 *
 * It holds what the pod list, the printer rules (podstatus.h), describe and
 * the collector read: identity, phase and reason, times, node and IPs,
 * conditions, containers with requests/limits and state, owner and labels.
 * Every string is owned by the struct pod and capped at POD_STRING_MAX bytes
 * (longer API values are cut); pod_clear() frees them all.
 */
#ifndef OPSDECK_POD_H
#define OPSDECK_POD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/timeutil.h"

/* Longest string kept from the API (termination messages can be kilobytes). */
#define POD_STRING_MAX 4096
/* Most containers, conditions, labels, IPs or gates kept per pod; more is refused. */
#define POD_LIST_MAX 1024

/* Resource amounts; -1 when not set. */
struct pod_resources {
	int64_t cpu_milli;
	int64_t memory_bytes;
};

/* A container as the spec declares it. */
struct pod_container {
	char *name;
	char *image;
	bool restart_always;     /* init container with restartPolicy Always: a sidecar */
	struct pod_resources requests;
	struct pod_resources limits;
};

enum container_state_kind {
	CONTAINER_STATE_NONE,
	CONTAINER_STATE_WAITING,
	CONTAINER_STATE_RUNNING,
	CONTAINER_STATE_TERMINATED
};

struct container_state {
	enum container_state_kind kind;
	char *reason;            /* waiting or terminated; NULL if none */
	char *message;
	int32_t exit_code;       /* terminated */
	int32_t signal;          /* terminated; 0 if none */
	struct od_time started_at;   /* running or terminated; sec 0 = unset */
	struct od_time finished_at;  /* terminated; sec 0 = unset */
};

/* One entry of status.containerStatuses or status.initContainerStatuses. */
struct pod_container_status {
	char *name;
	bool ready;
	bool started;            /* status.started is true (NULL reads as false) */
	int32_t restart_count;
	struct container_state state;
	struct container_state last_state;
};

struct pod_condition {
	char *type;
	char *status;            /* "True", "False", "Unknown" */
	char *reason;
	char *message;
	struct od_time last_transition;  /* lastTransitionTime; sec 0 = unset */
};

struct pod_label {
	char *key;
	char *value;
};

/* spec.volumes[]: enough for describe and the PVC panes. */
struct pod_volume {
	char *name;
	char *kind;              /* the source's key: "persistentVolumeClaim", "configMap", ... */
	char *claim;             /* persistentVolumeClaim.claimName; NULL for other kinds */
};

struct pod {
	char *name;
	char *namespace_;
	char *uid;
	char *resource_version;  /* metadata.resourceVersion */
	char *phase;             /* status.phase; NULL if absent */
	char *reason;            /* status.reason (Evicted, NodeLost, ...) */
	char *message;           /* status.message */
	struct od_time created;  /* metadata.creationTimestamp; sec 0 = unset */
	struct od_time start_time;   /* status.startTime; sec 0 = unset */
	bool deleting;           /* metadata.deletionTimestamp is set */
	struct od_time deletion;
	char *node;              /* spec.nodeName */
	char *nominated_node;    /* status.nominatedNodeName */
	char **ips;              /* status.podIPs[].ip, else status.podIP */
	size_t nips;
	char **readiness_gates;  /* spec.readinessGates[].conditionType */
	size_t nreadiness_gates;
	struct pod_condition *conditions;
	size_t nconditions;
	struct pod_container *init_containers;   /* spec order */
	size_t ninit_containers;
	struct pod_container *containers;
	size_t ncontainers;
	struct pod_container_status *init_statuses;  /* status order */
	size_t ninit_statuses;
	struct pod_container_status *statuses;
	size_t nstatuses;
	struct pod_volume *volumes;
	size_t nvolumes;
	char *owner_kind;        /* the controller ownerReference, else the first one */
	char *owner_name;
	struct pod_label *labels;
	size_t nlabels;
};

/*
 * Fills *p (which must be zeroed or cleared) from one pod object of a list,
 * watch event or GET. obj is a cJSON * (void * so this header does not pull
 * in cJSON); it stays the caller's and is not changed. On failure *p is
 * cleared. Unknown or missing fields are left unset; wrong types are errors.
 */
enum od_status pod_from_json(const void *obj, struct pod *p, struct err *e);

/* Frees everything *p owns and zeroes it. */
void pod_clear(struct pod *p);

/* Lookups; borrowed results, NULL when absent. */
const struct pod_condition *pod_find_condition(const struct pod *p, const char *type);
const struct pod_container *pod_find_init_container(const struct pod *p, const char *name);
const char *pod_label(const struct pod *p, const char *key);

#endif
