/*
 * promsource.h: Prometheus as a history source. Builds the PromQL for a
 * history metric and target (the same series the collector writes: cpu in
 * millicores from container_cpu_usage_seconds_total, memory as the working
 * set, restarts, readiness, PVC usage and capacity), asks GET
 * /api/v1/query_range through http.h in the event loop (capped answer), and
 * sums the series per timestamp.
 *
 * Ownership: a struct prom_range owns its arrays; free with prom_range_free.
 */
#ifndef OPSDECK_PROMSOURCE_H
#define OPSDECK_PROMSOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/loop.h"

/* Cap on one query_range answer. */
#define PROM_BODY_MAX (64u * 1024u * 1024u)
/* Prometheus refuses more than 11,000 points per series. */
#define PROM_MAX_POINTS 11000

struct prom_point {
	int64_t ts;        /* Unix seconds */
	double value;      /* the sum over the series at ts */
	double min, max;   /* the smallest and largest series value at ts */
	int64_t series;    /* how many series had a value at ts */
};

struct prom_range {
	struct prom_point *v;   /* owned, ascending by ts */
	size_t n;
	size_t nseries;         /* series in the answer */
};

/* What to ask for: one of pod, pod_regex (a workload's pods), pvc, node. */
enum prom_metric { PROM_CPU, PROM_MEMORY, PROM_RESTARTS, PROM_READY, PROM_STORAGE_USED,
		   PROM_STORAGE_CAPACITY };

struct prom_target {
	const char *namespace_;   /* NULL: any */
	const char *pod;          /* exact pod name, or NULL */
	const char *pod_regex;    /* RE2 matched against pod, or NULL */
	const char *pvc;          /* PVC name, or NULL */
};

/*
 * The PromQL for metric over target into out, one series per container
 * (or PVC): prom_range_parse sums them, so each point knows how many series
 * it holds. cpu is irate (the last two
 * scrapes before each point) over a lookback of max(step, 60s). Label values
 * are escaped.
 */
enum od_status prom_expr(enum prom_metric m, const struct prom_target *t, int64_t step_s,
			 char *out, size_t n, struct err *e);

/* Parses a query_range answer (a matrix) into r, summing per timestamp. */
enum od_status prom_range_parse(const char *json, size_t len, struct prom_range *r,
				struct err *e);

/*
 * The path of a query_range request for expr over [start, end] every step
 * seconds into path (replaced): "/api/v1/query_range?query=...". Refuses a
 * step under 1s and more than PROM_MAX_POINTS points.
 */
enum od_status prom_range_path(const char *expr, int64_t start, int64_t end, int64_t step,
			       struct buf *path, struct err *e);

/* GET url/api/v1/query_range for expr over [start, end] every step (seconds),
 * running lp until the answer is in. */
enum od_status prom_query_range(struct loop *lp, const char *url, const char *expr,
				int64_t start, int64_t end, int64_t step, struct prom_range *r,
				struct err *e);

void prom_range_free(struct prom_range *r);

#endif
