/*
 * sim_prom.h: the Prometheus side of the sim on --metrics-listen. /metrics
 * carries the cAdvisor, kubelet and kube-state-metrics series; each
 * workload's own target /metrics/NAMESPACE/WORKLOAD answers only while one
 * of its pods is Ready; /metrics/history?start=&end=&step= serves the past
 * (--backfill) in the text format with timestamps (docs/sim-scenarios.md).
 */
#ifndef OPSDECK_SIM_PROM_H
#define OPSDECK_SIM_PROM_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/sim_sim.h"

/* Largest history answer (bytes); a bigger request gets 400 and must raise step. */
#define SIM_PROM_HISTORY_MAX (512u * 1024 * 1024)

struct sim_prom;   /* opaque */

/* Listens on ADDR:PORT (port 0: a free one). backfill_ms 0 disables history. */
enum od_status sim_prom_start(struct sim *s, const char *listen, int64_t backfill_ms,
			      struct sim_prom **out, struct err *e);
const char *sim_prom_url(const struct sim_prom *p);
void sim_prom_stop(struct sim_prom **p);

/*
 * Appends the /metrics series at t_ms. With with_ts each sample carries
 * t_ms; with header the # HELP and # TYPE lines come first. origin_ms is
 * INT64_MAX live, the history's origin otherwise.
 */
enum od_status sim_prom_write_cluster(struct sim *s, int64_t t_ms, int64_t origin_ms,
				      bool with_ts, bool header, struct buf *b, struct err *e);

/* Appends workload ns/name's own metrics at t_ms. False (nothing written) unless one pod is Ready. */
bool sim_prom_write_workload(struct sim *s, const char *ns, const char *name, int64_t t_ms,
			     struct buf *b);

/* Parses a history query (start, end: RFC 3339 or Unix seconds; step: duration or seconds). */
enum od_status sim_prom_parse_history(const char *start, const char *end, const char *step,
				      int64_t *start_ms, int64_t *end_ms, int64_t *step_ms,
				      struct err *e);

#endif
