/*
 * collect_metrics.h: what the collector reads from the API, parsed into
 * plain values — metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics lists
 * (each item with its own timestamp and window), the kubelet's stats
 * summary (/api/v1/nodes/NAME/proxy/stats/summary: per-pod volumes with
 * usedBytes, capacityBytes, availableBytes and pvcRef), and core/v1 or
 * events.k8s.io/v1 Events as rows of the events archive. Parsing only:
 * nothing here talks to the cluster or the store.
 */
#ifndef OPSDECK_COLLECT_METRICS_H
#define OPSDECK_COLLECT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/store_events.h"

/* One container's (pods) or one node's usage. Strings borrowed from the parsed JSON. */
struct collect_usage {
	const char *namespace_;   /* NULL for nodes */
	const char *name;         /* pod or node */
	const char *container;    /* NULL for nodes */
	int64_t ts;               /* the sample's own timestamp, seconds */
	int64_t window_s;         /* the sample's window, seconds (0 when absent) */
	int64_t cpu_milli;        /* kubectl top's rounding (up to the next millicore) */
	int64_t memory_bytes;
};

/* Called per usage; a non-OK return stops the parse with that status. */
typedef enum od_status (*collect_usage_fn)(void *arg, const struct collect_usage *u,
					   struct err *e);

/* A PodMetricsList (one call per container) or a NodeMetricsList (one per node). */
enum od_status collect_parse_pod_metrics(const char *body, size_t len, collect_usage_fn fn,
					 void *arg, struct err *e);
enum od_status collect_parse_node_metrics(const char *body, size_t len, collect_usage_fn fn,
					  void *arg, struct err *e);

/* One PVC-backed volume of a pod in a stats summary. Strings borrowed. */
struct collect_volume {
	const char *namespace_;   /* pvcRef.namespace, else the pod's */
	const char *pvc;          /* pvcRef.name */
	const char *pod;
	int64_t ts;               /* the volume's "time", else the node's, seconds */
	int64_t used_bytes;       /* -1 when absent */
	int64_t capacity_bytes;   /* -1 when absent */
	int64_t available_bytes;  /* -1 when absent */
};

typedef enum od_status (*collect_volume_fn)(void *arg, const struct collect_volume *v,
					    struct err *e);

/* Volumes without a pvcRef (emptyDir, configMap...) are skipped. */
enum od_status collect_parse_stats_summary(const char *body, size_t len, collect_volume_fn fn,
					   void *arg, struct err *e);

/*
 * An Event object (core/v1, or events.k8s.io/v1 with regarding/series) as an
 * archive row. Strings are borrowed from obj; context and obj_labels are left
 * NULL for the caller. OD_EPARSE when it has no uid or no time at all.
 */
enum od_status collect_event_from_json(const cJSON *obj, struct store_event *ev,
				       struct err *e);

#endif
