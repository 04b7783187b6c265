/*
 * collect.h: the collector — history taken from the cluster into the store,
 * in the core event loop, for the console and for `opsdeck collect`.
 *
 * - Every interval (15 s by default): per-container CPU and memory from
 *   metrics.k8s.io, node CPU and memory, and each pod's phase, readiness and
 *   restarts from the pod watch caches (transitions recorded as they
 *   happen). Samples carry the metrics API's own timestamps; pod state
 *   carries the API server's clock (the Date header), never the local one.
 *   The last-known pod and workload rows of the context are saved with it.
 * - Every PVC interval (60 s): PVC used and capacity bytes from each node's
 *   kubelet stats summary.
 * - Continuously: events from a watch, into the archive (dedup by uid).
 *
 * A tick is one store transaction: it is written whole or not at all, so a
 * collector stopped between loop callbacks (SIGTERM) or killed never leaves
 * half a tick. Without metrics-server the rest is still collected and a
 * notice says so once.
 */
#ifndef OPSDECK_COLLECT_H
#define OPSDECK_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/collect_scope.h"
#include "opsdeck/err.h"
#include "opsdeck/http.h"
#include "opsdeck/loop.h"
#include "opsdeck/store.h"

#define COLLECT_DEFAULT_INTERVAL_MS 15000
#define COLLECT_DEFAULT_PVC_INTERVAL_MS 60000
/* --once: how long to wait for the first LIST of pods and events. */
#define COLLECT_SYNC_TIMEOUT_MS 30000

struct collect_config {
	const char *context;                /* the series' context; copied */
	const struct collect_scope *scope;  /* copied */
	int64_t interval_ms;                /* 0: COLLECT_DEFAULT_INTERVAL_MS */
	int64_t pvc_interval_ms;            /* 0: COLLECT_DEFAULT_PVC_INTERVAL_MS */
	int64_t events_keep_s;              /* archive retention; 0: keep everything */
	bool once;                          /* one tick, one PVC pass, events listed; then done */
	unsigned sync_timeout_ms;           /* 0: COLLECT_SYNC_TIMEOUT_MS */
	/* A problem worth telling the user, each kind once (NULL: stderr). */
	void (*notice)(void *arg, const char *msg);
	/* once: called when the pass is complete (rc OD_OK) or failed (e says why). */
	void (*done)(void *arg, enum od_status rc, const struct err *e);
	void *arg;                          /* borrowed; passed to notice and done */
};

struct collect_stats {
	unsigned ticks;              /* ticks committed */
	unsigned pvc_passes;         /* PVC passes committed */
	unsigned failed_ticks;       /* ticks rolled back (store errors) */
	uint64_t samples;            /* samples written */
	uint64_t transitions;        /* pod state transitions recorded */
	uint64_t events;             /* events written to the archive */
	bool metrics_available;      /* the last tick read metrics.k8s.io */
	int64_t last_tick_ts;        /* the newest timestamp written */
};

struct collector;   /* opaque; owned by whoever called collector_new */

/*
 * lp, http and st are borrowed and must outlive the collector. Nothing is
 * requested until collector_start.
 */
enum od_status collector_new(struct loop *lp, struct http_client *http, struct store *st,
			     const struct collect_config *cfg, struct collector **out,
			     struct err *e);
enum od_status collector_start(struct collector *c, struct err *e);
/* Cancels requests and timers; sets *c = NULL. Never from the collector's own callbacks. */
void collector_free(struct collector **c);

const struct collect_stats *collector_stats(const struct collector *c);

/* A workload's name from a pod's controller ("ReplicaSet" "web-5d4f8" -> "Deployment" "web"). */
void collect_workload_of(const char *owner_kind, const char *owner_name, char *kind,
			 size_t nkind, char *name, size_t nname);

#endif
