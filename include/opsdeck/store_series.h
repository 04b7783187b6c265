/*
 * store_series.h: metric series — what a sample is about.
 *
 * A series is (context, namespace, kind, object, container, metric) and gets
 * a small integer id, which ticks and queries use. Units are fixed per
 * metric so values stay integers: CPU in millicores, memory and storage in
 * bytes, restarts as a count, ready as 0/1 (pods) or ready count.
 */
#ifndef OPSDECK_STORE_SERIES_H
#define OPSDECK_STORE_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

enum store_kind { STORE_KIND_POD, STORE_KIND_NODE, STORE_KIND_PVC, STORE_KIND_WORKLOAD,
		  STORE_KIND_COUNT };

enum store_metric {
	STORE_METRIC_CPU,               /* millicores */
	STORE_METRIC_MEMORY,            /* bytes */
	STORE_METRIC_RESTARTS,          /* count */
	STORE_METRIC_STORAGE_USED,      /* bytes */
	STORE_METRIC_STORAGE_CAPACITY,  /* bytes */
	STORE_METRIC_READY,             /* 0/1 */
	STORE_METRIC_COUNT
};

/* Longest name kept per field (Kubernetes names are at most 253 bytes). */
#define STORE_NAME_MAX 254

/* Strings are borrowed; NULL means "" (no container, e.g. for a PVC). */
struct store_series_key {
	const char *context;
	const char *namespace;
	enum store_kind kind;
	const char *object;
	const char *container;
	enum store_metric metric;
};

struct store_series_info {
	int64_t id;
	char context[STORE_NAME_MAX + 1];
	char namespace[STORE_NAME_MAX + 1];
	enum store_kind kind;
	char object[STORE_NAME_MAX + 1];
	char container[STORE_NAME_MAX + 1];
	enum store_metric metric;
};

/* "pod", "cpu", ... (static); and back (false for an unknown name). */
const char *store_kind_name(enum store_kind k);
const char *store_metric_name(enum store_metric m);
bool store_kind_parse(const char *s, enum store_kind *k);
bool store_metric_parse(const char *s, enum store_metric *m);

/*
 * The id of key's series, created when create is true (inside the caller's
 * transaction if one is open, else its own); OD_ENOENT when absent and not
 * created. Ids are cached in memory, so the collector may call this per
 * sample.
 */
enum od_status store_series_id(struct store *st, const struct store_series_key *key,
			       bool create, int64_t *id, struct err *e);

/* Fills *out for id; OD_ENOENT when there is no such series. */
enum od_status store_series_get(struct store *st, int64_t id, struct store_series_info *out,
				struct err *e);

/*
 * Ids of the series matching filter: NULL strings and negative kind/metric
 * (pass -1 cast to the enum via the _any fields) match anything.
 */
struct store_series_filter {
	const char *context;     /* NULL: any */
	const char *namespace;   /* NULL: any */
	const char *object;      /* NULL: any */
	const char *container;   /* NULL: any */
	int kind;                /* enum store_kind, or -1 for any */
	int metric;              /* enum store_metric, or -1 for any */
	const char *object_prefix;   /* NULL: any; "web-" finds deploy/web's pods */
};

/* *ids is malloc'd (caller frees), ascending. */
enum od_status store_series_find(struct store *st, const struct store_series_filter *f,
				 int64_t **ids, size_t *n, struct err *e);

#endif
