/*
 * action_rollout.h: kubectl's rollout-status rules and the rollout history
 * (ReplicaSets' revision annotation, StatefulSets' ControllerRevisions).
 * Pure functions over parsed objects: nothing here talks to a cluster.
 */
#ifndef OPSDECK_ACTION_ROLLOUT_H
#define OPSDECK_ACTION_ROLLOUT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/actions.h"

/*
 * Evaluates a Deployment, StatefulSet or DaemonSet (by obj's kind) as
 * `kubectl rollout status` does; msg receives kubectl's line without the
 * trailing newline ("Waiting for deployment \"web\" rollout to finish: 1 out
 * of 3 new replicas have been updated...", "deployment \"web\" successfully
 * rolled out").
 */
enum action_progress rollout_status_eval(const cJSON *obj, char *msg, size_t n);

/* One revision of a workload's history. Strings owned by the history. */
struct rollout_revision {
	int64_t revision;
	char *images;              /* "c=img:tag,c2=img2" */
	char *created;             /* RFC 3339 creationTimestamp */
	char *change_cause;        /* kubernetes.io/change-cause, or NULL */
	cJSON *template;           /* the pod template (owned), pod-template-hash label removed */
};

struct rollout_history {
	struct rollout_revision *v;   /* sorted by revision, oldest first */
	size_t n;
};

/*
 * Builds the history of workload (a Deployment or StatefulSet) from the
 * items of a ReplicaSet or ControllerRevision list: only objects the
 * workload owns (ownerReferences uid) count.
 */
enum od_status rollout_history_build(const cJSON *workload, const cJSON *owned_list,
				     struct rollout_history *h, struct err *e);
void rollout_history_free(struct rollout_history *h);

/*
 * The revision `kubectl rollout undo` goes to: to_revision, or 0 for the one
 * before the newest. NULL with kubectl's message when there is none.
 */
const struct rollout_revision *rollout_history_pick(const struct rollout_history *h,
						    int64_t to_revision, struct err *e);

/* "name=image" pairs of a pod template's containers, comma-separated, into out. */
void rollout_template_images(const cJSON *template, char *out, size_t n);

#endif
