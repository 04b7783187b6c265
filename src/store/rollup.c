/*
 * rollup.c: raw -> tier 1 -> tier 2, then retention. Each batch of buckets
 * is one transaction that re-reads the watermark, so a late tick written by
 * another process (which lowers the watermark) is rolled again, and two
 * processes maintaining at once never roll the same bucket twice.
 */
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_codec.h"
#include "opsdeck/store_rollup.h"
#include "internal.h"

#define BATCH_T1_BUCKETS 48
#define BATCH_T2_BUCKETS 24
/* Raw rows (tick x chunk, up to 64 samples each) per transaction: keeps a
 * catch-up batch short (well under 0.1 s) so collectors waiting on the
 * write lock stay far inside their busy timeout. */
#define BATCH_RAW_ROWS 10000

/* Per-series accumulators indexed by series id, with the list of ids touched. */
struct acc_set {
	struct store_agg_rec *acc;   /* owned; acc[id], count == 0 when unused */
	int64_t *touched;            /* owned */
	size_t ntouched;
	int64_t cap;                 /* entries in acc and touched */
	uint8_t *enc;                /* owned encoding scratch */
	struct store_agg_rec *recs;  /* owned scratch for one chunk */
};

static void acc_free(struct acc_set *a)
{
	free(a->acc);
	free(a->touched);
	free(a->enc);
	free(a->recs);
	memset(a, 0, sizeof(*a));
}

static enum od_status acc_reserve(struct acc_set *a, int64_t max_id, struct err *e)
{
	if (max_id < a->cap && a->enc)
		return OD_OK;
	int64_t ncap = max_id + 1 + 256;
	struct store_agg_rec *acc = realloc(a->acc, (size_t)ncap * sizeof(*acc));
	if (acc)
		a->acc = acc;
	int64_t *t = realloc(a->touched, (size_t)ncap * sizeof(*t));
	if (t)
		a->touched = t;
	if (!a->enc)
		a->enc = malloc(STORE_CHUNK_SERIES * STORE_CODEC_AGG_MAX);
	if (!a->recs)
		a->recs = malloc(STORE_CHUNK_SERIES * sizeof(*a->recs));
	if (!acc || !t || !a->enc || !a->recs)
		return err_set(e, OD_ENOMEM, "out of memory rolling up history");
	memset(a->acc + a->cap, 0, (size_t)(ncap - a->cap) * sizeof(*acc));
	a->cap = ncap;
	return OD_OK;
}

static void acc_add(struct acc_set *a, const struct store_agg_rec *r)
{
	if (r->series <= 0 || r->series >= a->cap || r->count <= 0)
		return;   /* a series created after we sized the set cannot be in this snapshot */
	struct store_agg_rec *x = &a->acc[r->series];
	if (x->count == 0) {
		*x = *r;
		a->touched[a->ntouched++] = r->series;
		return;
	}
	if (r->min < x->min)
		x->min = r->min;
	if (r->max > x->max)
		x->max = r->max;
	x->sum = (int64_t)((uint64_t)x->sum + (uint64_t)r->sum);
	x->count += r->count;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static enum od_status max_series_id(struct store *st, int64_t *max_id, struct err *e)
{
	static const char sql[] = "SELECT coalesce(max(id), 0) FROM series";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	int rc = sqlite3_step(s);
	*max_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? OD_OK : store_db_error(st, rc, e, "reading series");
}

/* Writes the accumulated bucket into tier table sql (one row per chunk) and resets the set. */
static enum od_status acc_flush(struct store *st, struct acc_set *a, const char *sql,
				int64_t bucket, int64_t *rows, struct err *e)
{
	enum od_status ret = OD_OK;

	qsort(a->touched, a->ntouched, sizeof(int64_t), cmp_i64);
	for (size_t i = 0; i < a->ntouched && ret == OD_OK;) {
		int64_t chunk = store_codec_chunk(a->touched[i]);
		size_t n = 0;
		while (i < a->ntouched && store_codec_chunk(a->touched[i]) == chunk) {
			a->recs[n++] = a->acc[a->touched[i]];
			a->acc[a->touched[i]].count = 0;
			i++;
		}
		size_t len = store_codec_agg_encode(chunk, a->recs, n, a->enc);
		sqlite3_stmt *s;
		ret = store_stmt(st, sql, &s, e);
		if (ret != OD_OK)
			break;
		sqlite3_bind_int64(s, 1, chunk);
		sqlite3_bind_int64(s, 2, bucket);
		sqlite3_bind_blob(s, 3, a->enc, (int)len, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "saving rolled-up history");
		else
			(*rows)++;
	}
	for (size_t i = 0; i < a->ntouched; i++)
		a->acc[a->touched[i]].count = 0;
	a->ntouched = 0;
	return ret;
}

static int64_t floor_to(int64_t ts, int64_t step)
{
	return ts - (((ts % step) + step) % step);
}

static const char ins_t1[] = "INSERT OR REPLACE INTO samples_t1(chunk, ts, data) VALUES(?1, ?2, ?3)";
static const char ins_t2[] = "INSERT OR REPLACE INTO samples_t2(chunk, ts, data) VALUES(?1, ?2, ?3)";

/*
 * Rolls raw rows with ts in [from, to) into tier 1; stops early at a bucket
 * boundary after BATCH_RAW_ROWS rows, *stop saying where it got to.
 */
static enum od_status roll_raw(struct store *st, struct acc_set *a, int64_t from, int64_t to,
			       int64_t *rows, int64_t *stop, struct err *e)
{
	static const char sql[] = "SELECT ts, chunk, data FROM samples_raw WHERE ts >= ?1 AND ts < ?2"
				  " ORDER BY ts, chunk";
	const int64_t step = st->set.tier1_step;
	sqlite3_stmt *s;
	int64_t cur = INT64_MIN, nread = 0;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	*stop = to;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	/* The select stays open while we insert into another table: fine in SQLite. */
	while (ret == OD_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t bucket = floor_to(sqlite3_column_int64(s, 0), step);
		int64_t chunk = sqlite3_column_int64(s, 1);
		const uint8_t *blob = sqlite3_column_blob(s, 2);
		size_t len = (size_t)sqlite3_column_bytes(s, 2), pos = 0;
		int64_t prev = chunk * STORE_CHUNK_SERIES;
		struct store_raw_rec r;

		if (bucket != cur && nread >= BATCH_RAW_ROWS) {
			*stop = bucket;   /* the rest in the next transaction */
			rc = SQLITE_DONE;
			break;
		}
		nread++;
		if (bucket != cur && a->ntouched > 0)
			ret = acc_flush(st, a, ins_t1, cur, rows, e);
		cur = bucket;
		while (store_codec_raw_next(blob, len, &pos, &prev, &r)) {
			struct store_agg_rec g = { r.series, 1, r.value, r.value, r.value };
			acc_add(a, &g);
		}
	}
	if (ret == OD_OK && rc != SQLITE_DONE)
		ret = store_db_error(st, rc, e, "rolling up history");
	sqlite3_reset(s);
	if (ret == OD_OK && a->ntouched > 0)
		ret = acc_flush(st, a, ins_t1, cur, rows, e);
	return ret;
}

/* Rolls tier-1 rows of one chunk with ts in [from, to) into tier 2. */
static enum od_status roll_t1_chunk(struct store *st, struct acc_set *a, int64_t chunk,
				    int64_t from, int64_t to, int64_t *rows, struct err *e)
{
	static const char sql[] = "SELECT ts, data FROM samples_t1 WHERE chunk = ?1 AND ts >= ?2"
				  " AND ts < ?3 ORDER BY ts";
	const int64_t step = st->set.tier2_step;
	sqlite3_stmt *s;
	int64_t cur = INT64_MIN;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, chunk);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	while (ret == OD_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t bucket = floor_to(sqlite3_column_int64(s, 0), step);
		const uint8_t *blob = sqlite3_column_blob(s, 1);
		size_t len = (size_t)sqlite3_column_bytes(s, 1), pos = 0;
		int64_t prev = chunk * STORE_CHUNK_SERIES;
		struct store_agg_rec r;

		if (bucket != cur && a->ntouched > 0)
			ret = acc_flush(st, a, ins_t2, cur, rows, e);
		cur = bucket;
		while (store_codec_agg_next(blob, len, &pos, &prev, &r))
			acc_add(a, &r);
	}
	if (ret == OD_OK && rc != SQLITE_DONE)
		ret = store_db_error(st, rc, e, "rolling up history");
	sqlite3_reset(s);
	if (ret == OD_OK && a->ntouched > 0)
		ret = acc_flush(st, a, ins_t2, cur, rows, e);
	return ret;
}

static enum od_status min_ts(struct store *st, const char *sql, int64_t *out, bool *any,
			     struct err *e)
{
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	int rc = sqlite3_step(s);
	*any = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
	*out = *any ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? OD_OK : store_db_error(st, rc, e, "reading history");
}

/*
 * One batch of tier `tier` (1 or 2): reads the watermark, rolls up to
 * BATCH buckets below end, moves the watermark. *done when nothing is left.
 */
static enum od_status roll_batch(struct store *st, struct acc_set *a, int tier, int64_t now,
				 int64_t *rows, bool *done, struct err *e)
{
	static const char min_raw[] = "SELECT min(ts) FROM samples_raw";
	static const char min_t1[] = "SELECT min(ts) FROM samples_t1";
	const char *key = tier == 1 ? "rollup_t1" : "rollup_t2";
	int64_t step = tier == 1 ? st->set.tier1_step : st->set.tier2_step;
	int64_t w, limit, oldest, max_id;
	bool own, any;
	enum od_status ret = store_write_begin(st, &own, e);

	*done = true;
	if (ret != OD_OK)
		return ret;
	ret = store_meta_get_int(st, key, 0, &w, e);
	if (ret == OD_OK && tier == 2)   /* only buckets whose tier-1 data is complete */
		ret = store_meta_get_int(st, "rollup_t1", 0, &limit, e);
	else
		limit = now;
	if (ret != OD_OK)
		goto out;
	int64_t end = floor_to(tier == 2 && limit < now ? limit : now, step);
	if (w < end) {
		ret = min_ts(st, tier == 1 ? min_raw : min_t1, &oldest, &any, e);
		if (ret != OD_OK || !any)
			goto out;
		if (w < floor_to(oldest, step))
			w = floor_to(oldest, step);
	}
	if (w >= end)
		goto out;
	int64_t stop = w + step * (tier == 1 ? BATCH_T1_BUCKETS : BATCH_T2_BUCKETS);
	if (stop > end)
		stop = end;
	ret = max_series_id(st, &max_id, e);
	if (ret == OD_OK)
		ret = acc_reserve(a, max_id, e);
	if (ret == OD_OK && tier == 1)
		ret = roll_raw(st, a, w, stop, rows, &stop, e);
	for (int64_t c = 0; ret == OD_OK && tier == 2 && c <= store_codec_chunk(max_id); c++)
		ret = roll_t1_chunk(st, a, c, w, stop, rows, e);
	if (ret == OD_OK)
		ret = store_meta_set_int(st, key, stop, e);
	*done = stop >= end;
out:
	return store_write_end(st, own, ret, e);
}

static enum od_status delete_count(struct store *st, const char *sql, int64_t a, int64_t b,
				   int64_t *count, struct err *e)
{
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, rc, e, "dropping old history");
	*count += sqlite3_changes(st->db);
	return OD_OK;
}

static enum od_status retention(struct store *st, int64_t now, struct store_maintain_stats *stats,
				struct err *e)
{
	static const char del_raw[] = "DELETE FROM samples_raw WHERE ts < ?1 AND ?2 = ?2";
	static const char del_ticks[] = "DELETE FROM ticks WHERE ts < ?1 AND ?2 = ?2";
	static const char del_t1[] = "DELETE FROM samples_t1 WHERE chunk = ?1 AND ts <= ?2";
	static const char del_t2[] = "DELETE FROM samples_t2 WHERE chunk = ?1 AND ts <= ?2";
	const struct store_settings *c = &st->set;
	int64_t w1, w2, max_id, ignored = 0;
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret != OD_OK)
		return ret;
	ret = store_rollup_watermarks(st, &w1, &w2, e);
	if (ret == OD_OK)
		ret = max_series_id(st, &max_id, e);
	if (ret != OD_OK)
		goto out;
	/* Never drop what is not rolled up yet. */
	int64_t raw_cut = now - c->raw_keep < w1 ? now - c->raw_keep : w1;
	int64_t t1_last = now - c->tier1_keep - c->tier1_step;
	if (t1_last > w2 - c->tier1_step)
		t1_last = w2 - c->tier1_step;
	int64_t t2_last = now - c->tier2_keep - c->tier2_step;

	ret = delete_count(st, del_raw, raw_cut, 0, &stats->raw_deleted, e);
	if (ret == OD_OK)
		ret = delete_count(st, del_ticks, raw_cut, 0, &ignored, e);
	for (int64_t ch = 0; ret == OD_OK && ch <= store_codec_chunk(max_id); ch++) {
		ret = delete_count(st, del_t1, ch, t1_last, &stats->t1_deleted, e);
		if (ret == OD_OK)
			ret = delete_count(st, del_t2, ch, t2_last, &stats->t2_deleted, e);
	}
out:
	return store_write_end(st, own, ret, e);
}

enum od_status store_rollup_watermarks(struct store *st, int64_t *w1, int64_t *w2, struct err *e)
{
	enum od_status ret = store_meta_get_int(st, "rollup_t1", 0, w1, e);
	if (ret == OD_OK)
		ret = store_meta_get_int(st, "rollup_t2", 0, w2, e);
	return ret;
}

enum od_status store_samples_maintain(struct store *st, int64_t now,
				      struct store_maintain_stats *stats, struct err *e)
{
	struct store_maintain_stats local;
	struct acc_set a;
	bool done = false;
	enum od_status ret = OD_OK;

	memset(&a, 0, sizeof(a));
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	while (ret == OD_OK && !done)
		ret = roll_batch(st, &a, 1, now, &stats->t1_rows, &done, e);
	done = false;
	while (ret == OD_OK && !done)
		ret = roll_batch(st, &a, 2, now, &stats->t2_rows, &done, e);
	if (ret == OD_OK)
		ret = retention(st, now, stats, e);
	acc_free(&a);
	return ret;
}

enum od_status store_rollup_put(struct store *st, enum store_tier tier, int64_t bucket,
				const struct store_agg_rec *r, size_t n, struct err *e)
{
	uint8_t *enc = NULL;
	bool own;
	enum od_status ret;

	if (tier != STORE_TIER_1 && tier != STORE_TIER_2)
		return err_set(e, OD_EINVAL, "rollup buckets go to tier 1 or 2");
	for (size_t i = 1; i < n; i++)
		if (r[i].series <= r[i - 1].series)
			return err_set(e, OD_EINVAL, "rollup records must ascend by series");
	enc = malloc(STORE_CHUNK_SERIES * STORE_CODEC_AGG_MAX);
	if (!enc)
		return err_set(e, OD_ENOMEM, "out of memory writing rollups");
	ret = store_write_begin(st, &own, e);
	for (size_t i = 0; ret == OD_OK && i < n;) {
		int64_t chunk = store_codec_chunk(r[i].series);
		size_t j = i;
		while (j < n && store_codec_chunk(r[j].series) == chunk)
			j++;
		size_t len = store_codec_agg_encode(chunk, r + i, j - i, enc);
		sqlite3_stmt *s;
		ret = store_stmt(st, tier == STORE_TIER_1 ? ins_t1 : ins_t2, &s, e);
		if (ret != OD_OK)
			break;
		sqlite3_bind_int64(s, 1, chunk);
		sqlite3_bind_int64(s, 2, bucket);
		sqlite3_bind_blob(s, 3, enc, (int)len, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "writing rollups");
		i = j;
	}
	ret = store_write_end(st, own, ret, e);
	free(enc);
	return ret;
}
