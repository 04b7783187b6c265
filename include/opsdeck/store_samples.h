/*
 * store_samples.h: writing ticks of samples into the raw tier.
 *
 * A tick is every sample the collector took at one timestamp — the metrics
 * API's own timestamp, never the local clock. It is written in one
 * transaction as one packed row per chunk of 64 series, keyed (ts, chunk),
 * so a tick appends a few pages at the end of the table whatever the number
 * of pods.
 */
#ifndef OPSDECK_STORE_SAMPLES_H
#define OPSDECK_STORE_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

struct store_sample {
	int64_t series;   /* from store_series_id() */
	int64_t value;    /* in the metric's unit (store_series.h) */
};

/* Hard cap on samples per tick (a cluster of 100,000 containers is out of scope). */
#define STORE_TICK_MAX 1000000

/*
 * Appends the samples taken at ts (seconds since the epoch, UTC). Samples
 * for a series already stored at ts replace it (two collectors may write the
 * same tick). A tick older than a rolled-up bucket makes the next
 * store_samples_maintain() roll that bucket again. The array is borrowed.
 */
enum od_status store_tick_append(struct store *st, int64_t ts, const struct store_sample *s,
				 size_t n, struct err *e);

/* True in *found when a tick at ts is in the raw tier. */
enum od_status store_tick_exists(struct store *st, int64_t ts, bool *found, struct err *e);

/* The newest and oldest tick timestamps in the raw tier (0 and 0 when empty). */
enum od_status store_tick_range(struct store *st, int64_t *oldest, int64_t *newest,
				struct err *e);

/* The samples stored in the raw tier (for the size figures of the benchmark). */
enum od_status store_samples_raw_count(struct store *st, int64_t *n, struct err *e);

#endif
