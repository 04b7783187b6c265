/*
 * sim_ctrl.h: the controller manager and kubelet of the sim. One reconcile
 * pass walks every controller (workloads, storage, pods, garbage
 * collection, namespaces); a timer runs it a few times a second and API
 * writes kick it at once. Transitions are timed from the objects' own
 * timestamps, so there is no hidden per-pod state. While a scenario is being
 * built every delay is zero and no events are recorded, which yields the
 * steady state directly.
 *
 * The helpers below are the toolkit that workloads.c and storage.c use.
 */
#ifndef OPSDECK_SIM_CTRL_H
#define OPSDECK_SIM_CTRL_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_sim.h"

#define SIM_CTRL_TICK_MS 250

enum od_status sim_ctrl_new(struct sim *s, struct sim_ctrl **out, struct err *e);
void sim_ctrl_free(struct sim_ctrl **c);

/* Starts the periodic reconcile timer. */
void sim_ctrl_start(struct sim *s);
/* Asks for a reconcile pass soon (after an API write). */
void sim_ctrl_kick(struct sim *s);
/* Runs passes until nothing changes (at most a bound), for the steady-state build. */
void sim_ctrl_settle(struct sim *s);
/* One reconcile pass. */
void sim_ctrl_reconcile(struct sim *s);

/* A pod got a deletionTimestamp: record Killing and remove it after wait_ms. */
void sim_ctrl_pod_terminating(struct sim *s, struct sim_obj *pod, int64_t wait_ms);
/* Orphan deletion: drops owner's references from its dependents. */
void sim_ctrl_orphan_dependents(struct sim *s, struct sim_obj *owner);

/*
 * Records an event about obj (borrowed) as component on host (may be NULL),
 * aggregating repeats (count, lastTimestamp) as the event recorder does.
 */
void sim_ctrl_event(struct sim *s, const cJSON *obj, const char *type, const char *reason,
		    const char *component, const char *host, const char *field_path,
		    const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Sim "now" in ms; while building, the creation time of obj (if given). */
int64_t sim_ctrl_now_ms(struct sim *s, const cJSON *obj);
/* RFC 3339 of ms since the epoch. */
void sim_ctrl_ts(int64_t ms, char *out, size_t n);
/* Parses an RFC 3339 field at path into ms; false when missing. */
bool sim_ctrl_time_ms(const cJSON *obj, const char *path, int64_t *ms);

/* Delay for a workload's key ("startDelay", "readyDelay", ...) in ms; 0 while building. */
int64_t sim_ctrl_delay_ms(struct sim *s, const cJSON *pod, const char *key, int64_t dflt);

/* The workload that owns pod (following ReplicaSet -> Deployment): kind and name. */
bool sim_ctrl_pod_workload(struct sim *s, const cJSON *pod, char *kind, size_t kn, char *name,
			   size_t nn);

/* Whether obj has a controller ownerReference with uid. */
bool sim_ctrl_owned_by(const cJSON *obj, const char *uid);
/* An ownerReference to owner (new object). */
cJSON *sim_ctrl_owner_ref(const cJSON *owner);

/*
 * Creates a pod from a pod template (borrowed) for owner: name, labels,
 * annotations, defaults. extra_labels may be NULL. Returns the stored pod or NULL.
 */
struct sim_obj *sim_ctrl_create_pod(struct sim *s, const cJSON *owner, const cJSON *template_,
				    const char *name, const cJSON *extra_labels,
				    const char *node_name, const cJSON *spec_extra);
/* Starts graceful deletion of a pod (as the API would). */
void sim_ctrl_delete_pod(struct sim *s, struct sim_obj *pod);

/* Pod predicates derived from status. */
bool sim_ctrl_pod_ready(const cJSON *pod);
bool sim_ctrl_pod_terminating_p(const cJSON *pod);
bool sim_ctrl_pod_finished(const cJSON *pod);

/* Sets a condition (type, status, reason, message), updating transition time on change. */
void sim_ctrl_set_condition(struct sim *s, cJSON *obj, const char *type, const char *status,
			    const char *reason, const char *message);

/* Stores next as o's new state when it differs (next taken). */
void sim_ctrl_commit(struct sim *s, struct sim_obj *o, cJSON *next);

/* A snapshot of object keys, so controllers can change the store while walking it. */
struct sim_keys {
	size_t n;
	struct sim_key {
		char ns[64];
		char name[254];
	} *v;                       /* owned */
};
void sim_ctrl_keys(struct sim *s, enum sim_res_id r, const char *ns, struct sim_keys *out);
void sim_ctrl_keys_free(struct sim_keys *k);

#endif
