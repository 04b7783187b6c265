/*
 * store_pods.h: pod state transitions — phase, readiness, restarts and
 * reasons over time, for history, incident timelines and "restarts since
 * the last run" checks.
 */
#ifndef OPSDECK_STORE_PODS_H
#define OPSDECK_STORE_PODS_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* Strings borrowed; NULL means "". */
struct store_pod_state {
	const char *context;
	const char *namespace;
	const char *pod;
	int64_t ts;            /* when it was observed (seconds, from the API's timestamps) */
	const char *phase;     /* Pending, Running, Succeeded, Failed, Unknown */
	bool ready;
	int64_t restarts;      /* sum over containers */
	const char *reason;    /* CrashLoopBackOff, OOMKilled, Evicted, ... or "" */
	const char *message;
};

/*
 * Records s when phase, ready, restarts or reason differ from the pod's
 * newest recorded state; *changed (may be NULL) says whether a row was added.
 */
enum od_status store_pod_transition_record(struct store *st, const struct store_pod_state *s,
					   bool *changed, struct err *e);

/* Called per transition, oldest first; non-zero stops. Strings borrowed. */
typedef int (*store_pod_state_fn)(void *arg, const struct store_pod_state *s);

/* namespace and pod may be NULL (any); [since, until), until 0 for no end. */
enum od_status store_pod_transitions_list(struct store *st, const char *context,
					  const char *namespace, const char *pod, int64_t since,
					  int64_t until, store_pod_state_fn fn, void *arg,
					  struct err *e);

#endif
