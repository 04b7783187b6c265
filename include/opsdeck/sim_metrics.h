/*
 * sim_metrics.h: the resource usage model. Every value is a pure function
 * of the seed, the object's identity, the scenario's baseline and a sim
 * time, so a live scrape, metrics.k8s.io and the backfilled history all
 * agree, and the same --seed and --start-time give the same numbers.
 *
 * CPU is baseline + two slow seeded sine waves + a short spike in every
 * 15-minute window; its counter (cpu seconds) is the exact integral since
 * the container started. Memory is baseline + waves + linear drift since
 * the container started. Both stay inside baseline +- 2.5 x noise, which
 * the scenarios keep inside their runbooks' healthy range. Faults
 * (sim_faults.h) may override the values.
 */
#ifndef OPSDECK_SIM_METRICS_H
#define OPSDECK_SIM_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/sim_api.h"
#include "opsdeck/sim_sim.h"

/* The scrape interval metrics-server and the Prometheus text assume. */
#define SIM_METRICS_WINDOW_MS 15000

struct sim_metrics_sample {
	double cpu_cores;        /* instantaneous usage, cores */
	double cpu_seconds;      /* counter since the container started */
	double mem_bytes;        /* working set */
	double mem_limit_bytes;  /* 0 when the container has no limit */
};

/*
 * Usage of container cname of pod at sim time t_ms. False when the
 * container is not running at t_ms (no sample, as cAdvisor has none).
 */
bool sim_metrics_container(struct sim *s, const cJSON *pod, const char *cname, int64_t t_ms,
			   struct sim_metrics_sample *out);

/*
 * The same for history: before the container started, an earlier incarnation
 * running since origin_ms stands in (its counter resets at the start, as a
 * restart does). False before origin_ms too.
 */
bool sim_metrics_container_hist(struct sim *s, const cJSON *pod, const char *cname, int64_t t_ms,
				int64_t origin_ms, struct sim_metrics_sample *out);

/* Used and capacity bytes of a PVC (borrowed) at t_ms. False when unbound. */
bool sim_metrics_volume(struct sim *s, const cJSON *pvc, int64_t t_ms, double *used,
			double *capacity);

/* Node usage at t_ms: the pods on it plus the system's own share. */
void sim_metrics_node(struct sim *s, const cJSON *node, int64_t t_ms, double *cpu_cores,
		      double *mem_bytes, double *cpu_seconds);

/*
 * metrics.k8s.io and /api/v1/nodes/NAME/proxy/stats/summary. True when req
 * was one of them (resp filled).
 */
bool sim_metrics_api_handle(struct sim *s, const struct sim_request *req,
			    struct sim_response *resp);

/* Adds the metrics.k8s.io group to an /apis APIGroupList answer. */
void sim_metrics_discovery_patch(struct sim_response *resp);

/* Parses "40Mi/d", "0.5/s", "2Mi/h" into units per second; false when malformed. */
bool sim_metrics_parse_rate(const char *s, double *per_second);

#endif
