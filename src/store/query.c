/*
 * query.c: reading samples back across tiers. A chunk is read from the
 * chosen tier below its watermark and from the finer tiers above it, inside
 * one read transaction so a concurrent rollup cannot move rows between tiers
 * under the query.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_codec.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_samples.h"
#include "internal.h"

/* Receives one aggregate (a raw sample is count 1) of the bucket starting at ts. */
typedef void (*agg_fn)(void *arg, int64_t ts, const struct store_agg_rec *r);

struct reader {
	struct store *st;
	int64_t w[STORE_TIER_COUNT];   /* watermarks; w[RAW] unused */
	int64_t only;                  /* one series id, or 0 for all in the chunk */
	agg_fn fn;
	void *arg;
};

static enum od_status read_raw(struct reader *rd, int64_t chunk, int64_t from, int64_t to,
			       struct err *e)
{
	/* ticks outer, point look-ups into the (ts, chunk) key: no scan of other chunks. */
	static const char sql[] = "SELECT r.ts, r.data FROM ticks t CROSS JOIN samples_raw r"
				  " ON r.ts = t.ts AND r.chunk = ?1"
				  " WHERE t.ts >= ?2 AND t.ts < ?3 ORDER BY t.ts";
	sqlite3_stmt *s;
	int rc;
	enum od_status ret = store_stmt(rd->st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, chunk);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(s, 0);
		const uint8_t *blob = sqlite3_column_blob(s, 1);
		size_t len = (size_t)sqlite3_column_bytes(s, 1), pos = 0;
		int64_t prev = chunk * STORE_CHUNK_SERIES;
		struct store_raw_rec r;
		while (store_codec_raw_next(blob, len, &pos, &prev, &r)) {
			if (rd->only && r.series != rd->only) {
				if (r.series > rd->only)
					break;
				continue;
			}
			struct store_agg_rec g = { r.series, 1, r.value, r.value, r.value };
			rd->fn(rd->arg, ts, &g);
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(rd->st, rc, e, "reading history");
}

static enum od_status read_rollup(struct reader *rd, int tier, int64_t chunk, int64_t from,
				  int64_t to, struct err *e)
{
	static const char sql1[] = "SELECT ts, data FROM samples_t1 WHERE chunk = ?1 AND ts >= ?2"
				   " AND ts < ?3 ORDER BY ts";
	static const char sql2[] = "SELECT ts, data FROM samples_t2 WHERE chunk = ?1 AND ts >= ?2"
				   " AND ts < ?3 ORDER BY ts";
	sqlite3_stmt *s;
	int rc;
	enum od_status ret = store_stmt(rd->st, tier == 1 ? sql1 : sql2, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, chunk);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(s, 0);
		const uint8_t *blob = sqlite3_column_blob(s, 1);
		size_t len = (size_t)sqlite3_column_bytes(s, 1), pos = 0;
		int64_t prev = chunk * STORE_CHUNK_SERIES;
		struct store_agg_rec r;
		while (store_codec_agg_next(blob, len, &pos, &prev, &r)) {
			if (rd->only && r.series != rd->only) {
				if (r.series > rd->only)
					break;
				continue;
			}
			rd->fn(rd->arg, ts, &r);
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(rd->st, rc, e, "reading history");
}

/* Tier `tier` below its watermark, the finer tiers above it. */
static enum od_status read_chunk(struct reader *rd, int tier, int64_t chunk, int64_t from,
				 int64_t to, struct err *e)
{
	if (from >= to)
		return OD_OK;
	if (tier == STORE_TIER_RAW)
		return read_raw(rd, chunk, from, to, e);
	int64_t w = rd->w[tier];
	enum od_status ret = read_rollup(rd, tier, chunk, from, to < w ? to : w, e);
	if (ret != OD_OK)
		return ret;
	return read_chunk(rd, tier - 1, chunk, from > w ? from : w, to, e);
}

enum store_tier store_query_pick_tier(const struct store *st, int64_t from, int64_t step,
				      int64_t newest)
{
	const struct store_settings *c = &st->set;
	enum store_tier t = STORE_TIER_RAW;
	if (step >= c->tier1_step)
		t = STORE_TIER_1;
	if (step >= c->tier2_step)
		t = STORE_TIER_2;
	if (t == STORE_TIER_RAW && from < newest - c->raw_keep)
		t = STORE_TIER_1;
	if (t == STORE_TIER_1 && from < newest - c->tier1_keep)
		t = STORE_TIER_2;
	return t;
}

static int64_t floor_to(int64_t ts, int64_t step)
{
	return ts - (((ts % step) + step) % step);
}

static int64_t tier_step(const struct store *st, enum store_tier t)
{
	return t == STORE_TIER_2 ? st->set.tier2_step : t == STORE_TIER_1 ? st->set.tier1_step : 1;
}

/* Runs fn inside a read transaction unless the caller has one open. */
static enum od_status read_begin(struct store *st, bool *own, struct err *e)
{
	*own = false;
	if (st->txn_depth > 0 || !sqlite3_get_autocommit(st->db))
		return OD_OK;
	enum od_status ret = store_exec(st, "BEGIN", e, "reading history");
	*own = ret == OD_OK;
	return ret;
}

static void read_end(struct store *st, bool own)
{
	if (own)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

static enum od_status reader_init(struct reader *rd, struct store *st, struct err *e)
{
	memset(rd, 0, sizeof(*rd));
	rd->st = st;
	return store_rollup_watermarks(st, &rd->w[STORE_TIER_1], &rd->w[STORE_TIER_2], e);
}

struct series_acc {
	struct store_point *pts;   /* dense, one per step bucket */
	int64_t from, step;
	size_t n;
};

static void series_add(void *arg, int64_t ts, const struct store_agg_rec *r)
{
	struct series_acc *a = arg;
	if (ts < a->from)
		return;
	size_t i = (size_t)((ts - a->from) / a->step);
	if (i >= a->n)
		return;
	struct store_point *p = &a->pts[i];
	if (p->count == 0) {
		p->min = r->min;
		p->max = r->max;
	} else {
		if (r->min < p->min)
			p->min = r->min;
		if (r->max > p->max)
			p->max = r->max;
	}
	p->sum += r->sum;
	p->count += r->count;
}

/* Several series at once: one dense accumulator each, found by id (ids ascending). */
struct many_acc {
	const int64_t *ids;          /* borrowed, ascending */
	struct series_acc *acc;      /* parallel to ids */
	size_t n;
};

static void many_add(void *arg, int64_t ts, const struct store_agg_rec *r)
{
	struct many_acc *m = arg;
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->ids[mid] < r->series)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n && m->ids[lo] == r->series)
		series_add(&m->acc[lo], ts, r);
}

/* Packs acc's non-empty buckets into out (which takes acc's array). */
static void series_finish(struct series_acc *acc, struct store_query_result *out)
{
	for (size_t i = 0; i < acc->n; i++) {
		if (acc->pts[i].count == 0)
			continue;
		struct store_point *p = &acc->pts[out->n++];
		*p = acc->pts[i];
		p->ts = out->from + (int64_t)i * acc->step;
		p->avg = (double)p->sum / (double)p->count;
	}
	out->points = acc->pts;
	acc->pts = NULL;
}

/* The tier, step and aligned window for [from, to) at step (see store_series_query). */
static enum od_status plan_window(struct store *st, int64_t from, int64_t to, int64_t step,
				  struct store_query_result *out, struct err *e)
{
	int64_t oldest, newest;
	enum od_status ret = store_tick_range(st, &oldest, &newest, e);

	if (ret != OD_OK)
		return ret;
	if (step <= 0)
		step = (to - from + STORE_QUERY_POINTS - 1) / STORE_QUERY_POINTS;
	if (newest == 0)
		newest = to;
	out->tier = store_query_pick_tier(st, from, step, newest);
	int64_t ts_step = tier_step(st, out->tier);
	step = (step + ts_step - 1) / ts_step * ts_step;
	while ((to - from) / step > STORE_QUERY_MAX_POINTS)
		step *= 2;
	out->step = step;
	out->from = floor_to(from, step);
	out->to = floor_to(to + step - 1, step);
	return OD_OK;
}

enum od_status store_series_query_many(struct store *st, const int64_t *ids, size_t nids,
				       int64_t from, int64_t to, int64_t step,
				       struct store_query_result *out, struct err *e)
{
	struct reader rd;
	struct many_acc m = { .ids = ids, .n = nids };
	struct store_query_result plan = { 0 };
	bool own = false;
	enum od_status ret;

	memset(out, 0, nids * sizeof(*out));
	if (to <= from)
		return err_set(e, OD_EINVAL, "empty history window");
	for (size_t i = 0; i < nids; i++)
		if (ids[i] <= 0 || (i > 0 && ids[i] <= ids[i - 1]))
			return err_set(e, OD_EINVAL, "series ids must be positive and ascending");
	if (nids == 0)
		return OD_OK;
	ret = read_begin(st, &own, e);
	if (ret == OD_OK)
		ret = reader_init(&rd, st, e);
	if (ret == OD_OK)
		ret = plan_window(st, from, to, step, &plan, e);
	if (ret != OD_OK)
		goto out;
	m.acc = calloc(nids, sizeof(*m.acc));
	if (!m.acc) {
		ret = err_set(e, OD_ENOMEM, "out of memory reading history");
		goto out;
	}
	for (size_t i = 0; i < nids; i++) {
		m.acc[i].from = plan.from;
		m.acc[i].step = plan.step;
		m.acc[i].n = (size_t)((plan.to - plan.from) / plan.step);
		m.acc[i].pts = calloc(m.acc[i].n ? m.acc[i].n : 1, sizeof(*m.acc[i].pts));
		if (!m.acc[i].pts) {
			ret = err_set(e, OD_ENOMEM, "out of memory reading history");
			goto out;
		}
	}
	rd.fn = many_add;
	rd.arg = &m;
	for (size_t i = 0; i < nids && ret == OD_OK;) {
		int64_t chunk = store_codec_chunk(ids[i]);
		/* One series in the chunk: the decoder skips the others. */
		rd.only = i + 1 < nids && store_codec_chunk(ids[i + 1]) == chunk ? 0 : ids[i];
		ret = read_chunk(&rd, plan.tier, chunk, plan.from, plan.to, e);
		while (i < nids && store_codec_chunk(ids[i]) == chunk)
			i++;
	}
	if (ret != OD_OK)
		goto out;
	for (size_t i = 0; i < nids; i++) {
		out[i] = plan;
		series_finish(&m.acc[i], &out[i]);
	}
out:
	read_end(st, own);
	for (size_t i = 0; m.acc && i < nids; i++)
		free(m.acc[i].pts);
	free(m.acc);
	if (ret != OD_OK)
		for (size_t i = 0; i < nids; i++)
			store_query_result_free(&out[i]);
	return ret;
}

enum od_status store_series_query(struct store *st, int64_t series, int64_t from, int64_t to,
				  int64_t step, struct store_query_result *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (to <= from || series <= 0)
		return err_set(e, OD_EINVAL, "empty history window");
	return store_series_query_many(st, &series, 1, from, to, step, out, e);
}

void store_query_result_free(struct store_query_result *r)
{
	if (!r)
		return;
	free(r->points);
	r->points = NULL;
	r->n = 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void store_summary_compute(const struct store_query_result *r, struct store_summary *out)
{
	double total = 0;
	memset(out, 0, sizeof(*out));
	if (!r || r->n == 0)
		return;
	double *avgs = malloc(r->n * sizeof(*avgs));
	out->min = r->points[0].min;
	out->max = r->points[0].max;
	for (size_t i = 0; i < r->n; i++) {
		const struct store_point *p = &r->points[i];
		if (p->min < out->min)
			out->min = p->min;
		if (p->max > out->max)
			out->max = p->max;
		total += (double)p->sum;
		out->count += p->count;
		if (avgs)
			avgs[i] = p->avg;
	}
	out->points = r->n;
	out->avg = total / (double)out->count;
	if (avgs) {
		qsort(avgs, r->n, sizeof(*avgs), cmp_double);
		size_t rank = (size_t)ceil(0.95 * (double)r->n);
		out->p95 = avgs[rank > 0 ? rank - 1 : 0];
		free(avgs);
	}
}

struct top_acc {
	const int64_t *ids;          /* borrowed, ascending */
	struct store_top_entry *ent; /* parallel to ids */
	size_t n;
	int64_t from, to;
};

static void top_add(void *arg, int64_t ts, const struct store_agg_rec *r)
{
	struct top_acc *a = arg;
	size_t lo = 0, hi = a->n;
	if (ts < a->from || ts >= a->to)
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->ids[mid] < r->series)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= a->n || a->ids[lo] != r->series)
		return;
	struct store_top_entry *t = &a->ent[lo];
	if (t->count == 0 || r->max > t->max)
		t->max = r->max;
	t->avg += (double)r->sum;   /* the sum until the end */
	t->count += r->count;
}

static int cmp_top(const void *a, const void *b)
{
	const struct store_top_entry *x = a, *y = b;
	if (x->avg != y->avg)
		return x->avg < y->avg ? 1 : -1;
	return (x->series > y->series) - (x->series < y->series);
}

enum od_status store_series_top(struct store *st, const struct store_series_filter *f,
				int64_t from, int64_t to, size_t n, struct store_top_entry *out,
				size_t *nout, struct err *e)
{
	struct reader rd;
	struct top_acc acc = { 0 };
	int64_t *ids = NULL, oldest, newest;
	size_t nids = 0;
	bool own = false;
	enum od_status ret;

	*nout = 0;
	if (to <= from)
		return err_set(e, OD_EINVAL, "empty history window");
	ret = read_begin(st, &own, e);
	if (ret == OD_OK)
		ret = store_series_find(st, f, &ids, &nids, e);
	if (ret == OD_OK)
		ret = reader_init(&rd, st, e);
	if (ret == OD_OK)
		ret = store_tick_range(st, &oldest, &newest, e);
	if (ret != OD_OK || nids == 0)
		goto out;
	if (newest == 0)
		newest = to;
	enum store_tier tier = store_query_pick_tier(st, from, to - from, newest);
	int64_t ts_step = tier_step(st, tier);
	acc.ids = ids;
	acc.n = nids;
	acc.from = floor_to(from, ts_step);
	acc.to = floor_to(to + ts_step - 1, ts_step);
	acc.ent = calloc(nids, sizeof(*acc.ent));
	if (!acc.ent) {
		ret = err_set(e, OD_ENOMEM, "out of memory reading history");
		goto out;
	}
	rd.fn = top_add;
	rd.arg = &acc;
	for (size_t i = 0; i < nids && ret == OD_OK;) {
		int64_t chunk = store_codec_chunk(ids[i]);
		/* One matching series in a chunk: skip the others while decoding. */
		rd.only = i + 1 < nids && store_codec_chunk(ids[i + 1]) == chunk ? 0 : ids[i];
		ret = read_chunk(&rd, tier, chunk, acc.from, acc.to, e);
		while (i < nids && store_codec_chunk(ids[i]) == chunk)
			i++;
	}
	if (ret != OD_OK)
		goto out;
	size_t m = 0;
	for (size_t i = 0; i < nids; i++) {
		if (acc.ent[i].count == 0)
			continue;
		acc.ent[m] = acc.ent[i];
		acc.ent[m].series = ids[i];
		acc.ent[m].avg /= (double)acc.ent[m].count;
		m++;
	}
	qsort(acc.ent, m, sizeof(*acc.ent), cmp_top);
	*nout = m < n ? m : n;
	memcpy(out, acc.ent, *nout * sizeof(*out));
out:
	read_end(st, own);
	free(acc.ent);
	free(ids);
	return ret;
}
