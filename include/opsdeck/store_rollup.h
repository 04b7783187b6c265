/*
 * store_rollup.h: rolling raw samples up into the tiers, and retention.
 *
 * Tier 1 buckets (5 minutes by default) hold min, max, sum and count of the
 * raw samples whose ts falls in [bucket, bucket + step); tier 2 buckets are
 * made from tier 1 the same way, so every rollup equals the aggregate of
 * the raw rows it replaces. A watermark per tier says up to where it is
 * rolled; raw or tier-1 data is never dropped before it is rolled up.
 */
#ifndef OPSDECK_STORE_ROLLUP_H
#define OPSDECK_STORE_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"
#include "opsdeck/store_codec.h"

struct store_maintain_stats {
	int64_t t1_rows;        /* tier-1 rows written */
	int64_t t2_rows;        /* tier-2 rows written */
	int64_t raw_deleted;    /* raw rows (tick x chunk) dropped */
	int64_t t1_deleted;
	int64_t t2_deleted;
};

/*
 * Rolls up every bucket that ends at or before now, then applies retention
 * relative to now (the newest metrics timestamp the caller knows, not the
 * local clock):
 * - a raw sample at ts is dropped when ts < now - raw_keep;
 * - a rollup bucket is dropped when bucket + step <= now - keep, i.e. once
 *   all of its time is older than the horizon.
 * Work is committed in batches, so concurrent collectors keep writing.
 * stats may be NULL.
 */
enum od_status store_samples_maintain(struct store *st, int64_t now,
				      struct store_maintain_stats *stats, struct err *e);

/* The rollup watermarks: tier k holds every bucket that starts before *w1 / *w2. */
enum od_status store_rollup_watermarks(struct store *st, int64_t *w1, int64_t *w2,
				       struct err *e);

/*
 * Writes ready-made buckets into tier 1 or 2 (downsampled history from
 * elsewhere, e.g. a Prometheus query_range, and the size benchmark). r holds
 * every series of the bucket, ids ascending; the rows of each chunk it
 * touches are replaced. Watermarks do not move: the next maintain rolls
 * finer data over these buckets where it has any.
 */
enum od_status store_rollup_put(struct store *st, enum store_tier tier, int64_t bucket,
				const struct store_agg_rec *r, size_t n, struct err *e);

#endif
