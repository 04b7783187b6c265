/*
 * triage.h: what is unhealthy, worst first, each finding with why and since
 * when. The rules live here once and serve both `opsdeck triage` (which
 * feeds them from LISTs) and the console's Triage view (which feeds them
 * from its informer caches and the history store):
 *   - pods: CrashLoopBackOff, OOMKilled, image pull and config errors,
 *     unschedulable, Pending, Evicted, Failed, not Ready (triage_add_pod);
 *   - workloads: a stuck rollout, replicas unavailable (triage_add_workload);
 *   - Warning event bursts: TRIAGE_BURST_COUNT about one object within
 *     TRIAGE_BURST_WINDOW_S (triage_add_events);
 *   - failing checklist items and PVCs over their profile's thresholds, from
 *     the store (triage_add_checks, triage_add_pvcs).
 * triage_sort puts the worst first, then the oldest problem.
 */
#ifndef OPSDECK_TRIAGE_H
#define OPSDECK_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/pod.h"
#include "opsdeck/profile.h"
#include "opsdeck/store.h"

/* Worst first: the order findings are listed in. */
enum triage_rank {
	TRIAGE_CRITICAL,   /* crashloop, OOMKilled, workload with nothing available */
	TRIAGE_HIGH,       /* image pull, unschedulable, evicted, replicas unavailable */
	TRIAGE_MEDIUM,     /* not Ready, Warning bursts, failing checks */
	TRIAGE_LOW,        /* checklist warnings */
};

/* What a finding is about, so the console knows where to take the user. */
enum triage_cause {
	TRIAGE_CAUSE_OTHER,
	TRIAGE_CAUSE_CRASHLOOP,   /* a container restarting: its previous logs matter */
	TRIAGE_CAUSE_OOMKILLED,
	TRIAGE_CAUSE_IMAGE,
	TRIAGE_CAUSE_PENDING,
	TRIAGE_CAUSE_EVICTED,
	TRIAGE_CAUSE_FAILED,
	TRIAGE_CAUSE_NOT_READY,
	TRIAGE_CAUSE_ROLLOUT,
	TRIAGE_CAUSE_REPLICAS,
	TRIAGE_CAUSE_EVENTS,
	TRIAGE_CAUSE_CHECK,
	TRIAGE_CAUSE_PVC,
};

/* A Warning event burst: this many in the window. */
#define TRIAGE_BURST_COUNT 5
#define TRIAGE_BURST_WINDOW_S (15 * 60)
/* Most findings kept; more are dropped (and counted in triage.dropped). */
#define TRIAGE_MAX 4096

struct triage_finding {
	enum triage_rank rank;
	enum triage_cause cause;
	char kind[32];             /* "Pod", "Deployment", "Check", ... */
	char namespace_[256];
	char name[256];
	char container[128];       /* the container at fault; "" when none */
	char why[512];
	int64_t since;             /* Unix seconds; 0 when unknown */
};

struct triage {
	struct triage_finding *f;  /* owned; TRIAGE_MAX entries */
	size_t n;
	size_t dropped;            /* findings past TRIAGE_MAX */
	int64_t now;               /* the clock the rules judge by (the API server's) */
};

/* A Deployment or StatefulSet reduced to what the rules read. */
struct triage_workload {
	const char *kind;          /* "Deployment", "StatefulSet"; borrowed */
	const char *namespace_;    /* borrowed */
	const char *name;          /* borrowed */
	int64_t want;              /* spec.replicas (1 when unset) */
	int64_t available;         /* availableReplicas (readyReplicas for StatefulSets) */
	const char *progress_reason;   /* Progressing condition; borrowed; may be NULL */
	const char *progress_message;
	int64_t progress_since;
	int64_t available_since;   /* Available condition's lastTransitionTime; 0 when none */
};

/* One event reduced to what the burst rule reads. */
struct triage_event {
	const char *type;          /* "Warning", "Normal"; borrowed */
	const char *reason;
	const char *message;
	const char *object_kind;   /* involvedObject */
	const char *object_namespace;
	const char *object_name;
	const char *object_key;    /* what makes two events about one object (uid); NULL: none */
	int64_t count;             /* <= 0 counts as 1 */
	int64_t first, last;       /* first/lastTimestamp; 0 when unknown */
};

/* Allocates t->f; t is zeroed first. */
enum od_status triage_init(struct triage *t, int64_t now, struct err *e);
/* Forgets the findings, keeps the array, sets the clock. */
void triage_reset(struct triage *t, int64_t now);
void triage_fini(struct triage *t);

const char *triage_rank_name(enum triage_rank r);

void triage_add_pod(struct triage *t, const struct pod *p);
void triage_add_workload(struct triage *t, const struct triage_workload *w);
/* Fills w from a Deployment or StatefulSet object (a cJSON *; borrowed strings into it). */
void triage_workload_from_json(const void *obj, const char *kind, struct triage_workload *w);
/* The bursts among ev[0..n): one finding per object, counted from its first Warning. */
void triage_add_events(struct triage *t, const struct triage_event *ev, size_t n);
/* Fills ev from an Event object (a cJSON *; borrowed strings into it). */
void triage_event_from_json(const void *obj, struct triage_event *ev);
/* Failing (FAIL, WARN) items of the newest run of each checklist in st. */
void triage_add_checks(struct triage *t, struct store *st);
/* The profile's PVCs over warn_above / fail_above by the store's newest hour of usage. */
void triage_add_pvcs(struct triage *t, struct store *st, const char *context,
		     const struct profile *p);

/* Worst first, then the oldest problem, then namespace and name. */
void triage_sort(struct triage *t);

#endif
