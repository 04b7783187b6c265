/*
 * action_build.h: step 1 of each action. A builder reads what it needs from
 * the cluster (the workload, its pods, the Scale, the PVC, the snapshot
 * class...) and returns a struct action_plan for actions.h to run. The pure
 * pieces (names, suggestions, patches) are exposed for unit tests.
 */
#ifndef OPSDECK_ACTION_BUILD_H
#define OPSDECK_ACTION_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/action_rollout.h"
#include "opsdeck/actions.h"
#include "opsdeck/api.h"
#include "opsdeck/timeutil.h"

/* What the builders share. Strings borrowed. */
struct action_target {
	const char *namespace_;
	const char *type;          /* "deploy", "sts", "ds", "pod", "pvc"... as typed */
	const char *name;
	struct od_time now;        /* the API server's clock (restartedAt, snapshot names) */
	/* from a runbook profile, when one matches; may be NULL */
	const char *profile_snapshot_class;
	bool profile_stateful;     /* the profile marks this workload stateful */
};

/*
 * Splits "deploy/NAME" into the resource (api_resource_lookup) and the name.
 * OD_EUSAGE when there is no "/"; kinds outside allowed (NULL-terminated
 * plurals, e.g. {"deployments", "statefulsets", NULL}) are refused with the
 * message kubectl gives for them.
 */
enum od_status action_parse_ref(const char *ref, const char *const *allowed,
				const struct api_resource **res, const char **name,
				struct err *e);

/* The default snapshot name: "<pvc>-manual-YYYYMMDD-HHMMSS" (UTC), cut to 253 bytes. */
void action_snapshot_default_name(const char *pvc, struct od_time t, char *out, size_t n);

/*
 * The runbooks' step-wise scale-down ("one or two replicas at a time"):
 * when going from cur to want drops more than two replicas (and want > 0),
 * out receives the steps ("12 -> 10 -> 8") and true is returned.
 */
bool action_scale_steps(long cur, long want, char *out, size_t n);

/* The strategic-merge patch of `kubectl rollout restart` with t as restartedAt. */
void action_restart_patch(struct od_time t, char *out, size_t n);

struct action_restart_opts {
	bool snapshot_first;       /* --snapshot-first was given (the CLI does the snapshot) */
};

enum od_status action_build_restart(const struct action_ctx *c, const struct action_target *t,
				    struct action_plan **out, struct err *e);

struct action_delete_opts {
	long grace_period;         /* seconds; -1: the pod's own */
	bool force;                /* grace period 0 and no wait for the kubelet */
};
enum od_status action_build_delete(const struct action_ctx *c, const struct action_target *t,
				   const struct action_delete_opts *o, struct action_plan **out,
				   struct err *e);

struct action_scale_opts {
	long replicas;
	long current_replicas;     /* -1: no precondition */
};
enum od_status action_build_scale(const struct action_ctx *c, const struct action_target *t,
				  const struct action_scale_opts *o, struct action_plan **out,
				  struct err *e);

struct action_snapshot_opts {
	const char *cls;           /* --class, or NULL */
	const char *name;          /* --name, or NULL */
};
enum od_status action_build_snapshot(const struct action_ctx *c, const struct action_target *t,
				     const struct action_snapshot_opts *o,
				     struct action_plan **out, struct err *e);

/* t->name is the snapshot; to is the new PVC. */
enum od_status action_build_restore(const struct action_ctx *c, const struct action_target *t,
				    const char *to, struct action_plan **out, struct err *e);

/* to_revision 0: the previous revision. */
enum od_status action_build_rollback(const struct action_ctx *c, const struct action_target *t,
				     int64_t to_revision, struct action_plan **out,
				     struct err *e);

/* The workload (*workload, owned) and its rollout history (freed by the caller). */
enum od_status action_load_history(const struct action_ctx *c, const char *ns, const char *ref,
				   cJSON **workload, struct rollout_history *h, struct err *e);

/*
 * The PVCs of a StatefulSet (volumeClaimTemplates x spec.replicas) and
 * a workload's pod volumes, comma-separated into out; 0 when none.
 */
size_t action_workload_pvcs(const cJSON *workload, char *out, size_t n);

#endif
