/*
 * store_query.h: reading history back — one series over a window at a
 * step, summaries, and the top series by average over a window.
 *
 * The tier is picked from the step and from what retention has left: raw
 * below the tier-1 step, tier 1 below the tier-2 step, tier 2 above; and a
 * coarser tier when the finer one no longer reaches back to `from`. Buckets
 * not rolled up yet are read from the finer tier, so a window that ends now
 * is complete.
 */
#ifndef OPSDECK_STORE_QUERY_H
#define OPSDECK_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"
#include "opsdeck/store_series.h"

/* Points a query aims for when the caller gives no step. */
#define STORE_QUERY_POINTS 720
/* Hard cap on points returned; the step grows to stay under it. */
#define STORE_QUERY_MAX_POINTS 200000

struct store_point {
	int64_t ts;      /* start of the step bucket */
	int64_t count;   /* raw samples behind this point */
	int64_t min, max, sum;
	double avg;
};

struct store_query_result {
	enum store_tier tier;        /* the tier read (finer ones fill the unrolled tail) */
	int64_t step;                /* seconds per point, after alignment to the tier */
	int64_t from, to;            /* the window, aligned to step */
	struct store_point *points;  /* owned; only buckets with data, ascending */
	size_t n;
};

/*
 * Reads series over [from, to) at step seconds (0: about STORE_QUERY_POINTS
 * points). out is filled; free its points with store_query_result_free.
 */
enum od_status store_series_query(struct store *st, int64_t series, int64_t from, int64_t to,
				  int64_t step, struct store_query_result *out, struct err *e);

/*
 * The same for nids series at once (ids ascending, no repeats): each chunk
 * is read once for all of them, every result on the same tier, step and
 * window. out is an array of nids results, each freed with
 * store_query_result_free; on failure none holds points.
 */
enum od_status store_series_query_many(struct store *st, const int64_t *ids, size_t nids,
				       int64_t from, int64_t to, int64_t step,
				       struct store_query_result *out, struct err *e);

void store_query_result_free(struct store_query_result *r);

/*
 * min and max over the window, avg over every raw sample behind it, p95 of
 * the points' averages (nearest rank; exact over samples on the raw tier).
 */
struct store_summary {
	int64_t count;     /* raw samples */
	size_t points;
	int64_t min, max;
	double avg, p95;
};

/* Summarises r; all zero when r has no points. */
void store_summary_compute(const struct store_query_result *r, struct store_summary *out);

struct store_top_entry {
	int64_t series;
	double avg;
	int64_t max;
	int64_t count;
};

/*
 * The n series matching f with the highest average over [from, to), read
 * from the coarsest tier that covers the window; out holds n entries. The
 * window is aligned to that tier's buckets. *nout entries are filled,
 * highest average first.
 */
enum od_status store_series_top(struct store *st, const struct store_series_filter *f,
				int64_t from, int64_t to, size_t n, struct store_top_entry *out,
				size_t *nout, struct err *e);

/* The tier a query over [from, ...) at step would read, given the newest tick. */
enum store_tier store_query_pick_tier(const struct store *st, int64_t from, int64_t step,
				      int64_t newest);

#endif
