/*
 * store_import.h: loading history from files — Prometheus text with
 * timestamps (opsdeck-sim's backfill, a Prometheus export) and the
 * runbooks' hand-kept `date,cpu,memory` CSV — into the raw tier. Call
 * store_samples_maintain() afterwards to roll the import up.
 *
 * Prometheus series mapped (everything else is counted as skipped):
 * - container_cpu_usage_seconds_total (a counter): CPU millicores, the
 *   rate between consecutive samples of a container (a counter reset
 *   skips one interval);
 * - container_memory_usage_bytes: memory bytes;
 * - kubelet_volume_stats_used_bytes / _capacity_bytes: PVC storage;
 * - kube_pod_container_status_restarts_total: restarts per container;
 * - kube_pod_status_ready{condition="true"}: pod ready 0/1.
 * cAdvisor's pod-level rows (container "" or "POD") are skipped.
 */
#ifndef OPSDECK_STORE_IMPORT_H
#define OPSDECK_STORE_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* Largest file accepted. */
#define STORE_IMPORT_MAX_BYTES (4LL * 1024 * 1024 * 1024)

enum store_import_format { STORE_IMPORT_AUTO, STORE_IMPORT_PROM, STORE_IMPORT_CSV };

struct store_import_opts {
	enum store_import_format format;
	const char *context;     /* the series' context (required) */
	const char *namespace;   /* CSV: the pods' namespace (required for CSV) */
	const char *object;      /* CSV: the pod (or workload) the file is about */
	const char *container;   /* CSV: container name, may be NULL */
	int64_t default_ts_ms;   /* Prometheus lines without a timestamp; 0: an error */
	size_t batch;            /* samples per transaction; 0: STORE_IMPORT_BATCH */
};

/* Samples buffered per transaction by default (about 40 MB of buffers). */
#define STORE_IMPORT_BATCH 1000000

struct store_import_stats {
	int64_t lines;
	int64_t samples;        /* samples written */
	int64_t skipped;        /* lines of series that are not mapped */
	int64_t first_ts, last_ts;
};

/*
 * Imports the stream in; name is used in messages ("file.prom:12: ...").
 * One transaction per batch of samples. stats may be NULL.
 */
enum od_status store_import_stream(struct store *st, FILE *in, const char *name,
				   const struct store_import_opts *opts,
				   struct store_import_stats *stats, struct err *e);

/* Opens path (at most STORE_IMPORT_MAX_BYTES) and imports it. */
enum od_status store_import_file(struct store *st, const char *path,
				 const struct store_import_opts *opts,
				 struct store_import_stats *stats, struct err *e);

#endif
