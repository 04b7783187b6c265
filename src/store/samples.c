/*
 * samples.c: appending ticks to the raw tier. A tick is sorted by series,
 * cut into chunks and written as one packed blob per chunk; a chunk already
 * present at the same ts (another collector) is merged, the newer values
 * winning.
 */
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_codec.h"
#include "opsdeck/store_samples.h"
#include "internal.h"

struct tagged_rec {
	int64_t series;
	int64_t value;
	size_t idx;   /* position in the caller's array: the later one wins */
};

static int cmp_tagged(const void *a, const void *b)
{
	const struct tagged_rec *x = a, *y = b;
	if (x->series != y->series)
		return (x->series > y->series) - (x->series < y->series);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorts by series into rec, keeping the last sample given for each series. */
static size_t sort_dedup(struct tagged_rec *t, size_t n, struct store_raw_rec *rec)
{
	size_t out = 0;
	qsort(t, n, sizeof(*t), cmp_tagged);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && rec[out - 1].series == t[i].series)
			out--;
		rec[out].series = t[i].series;
		rec[out].value = t[i].value;
		out++;
	}
	return out;
}

/* Merges the stored blob's records into rec (n of them, sorted), into *merged. */
static size_t merge_existing(int64_t chunk, const uint8_t *blob, size_t len,
			     const struct store_raw_rec *rec, size_t n, struct store_raw_rec *merged,
			     size_t *nold)
{
	size_t pos = 0, i = 0, m = 0;
	int64_t prev = chunk * STORE_CHUNK_SERIES;
	struct store_raw_rec old;
	bool have = store_codec_raw_next(blob, len, &pos, &prev, &old);

	*nold = have ? 1 : 0;
	/* A damaged blob must not overflow merged: at most a chunk of old records. */
	while ((have || i < n) && m < 2 * STORE_CHUNK_SERIES) {
		if (have && (i >= n || old.series < rec[i].series)) {
			merged[m++] = old;
			have = store_codec_raw_next(blob, len, &pos, &prev, &old);
			*nold += have;
		} else {
			if (have && old.series == rec[i].series) {
				have = store_codec_raw_next(blob, len, &pos, &prev, &old);
				*nold += have;
			}
			merged[m++] = rec[i++];
		}
	}
	return m;
}

/* Writes one chunk of the tick; *added counts samples new to the table. */
static enum od_status chunk_write(struct store *st, int64_t ts, int64_t chunk,
				  const struct store_raw_rec *rec, size_t n, uint8_t *enc,
				  int64_t *added, struct err *e)
{
	static const char sel[] = "SELECT data FROM samples_raw WHERE ts=?1 AND chunk=?2";
	static const char ins[] = "INSERT OR REPLACE INTO samples_raw(ts, chunk, data) VALUES(?1, ?2, ?3)";
	struct store_raw_rec merged[2 * STORE_CHUNK_SERIES];
	sqlite3_stmt *s;
	size_t len;
	enum od_status ret = store_stmt(st, sel, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, ts);
	sqlite3_bind_int64(s, 2, chunk);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		size_t nold = 0;
		size_t m = merge_existing(chunk, sqlite3_column_blob(s, 0),
					  (size_t)sqlite3_column_bytes(s, 0), rec, n, merged, &nold);
		*added += (int64_t)m - (int64_t)nold;
		len = store_codec_raw_encode(chunk, merged, m, enc);
	} else if (rc == SQLITE_DONE) {
		*added += (int64_t)n;
		len = store_codec_raw_encode(chunk, rec, n, enc);
	} else {
		sqlite3_reset(s);
		return store_db_error(st, rc, e, "saving a tick");
	}
	sqlite3_reset(s);
	ret = store_stmt(st, ins, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, ts);
	sqlite3_bind_int64(s, 2, chunk);
	sqlite3_bind_blob(s, 3, enc, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "saving a tick");
}

/* A tick behind a rollup watermark sends the watermark back to its bucket. */
static enum od_status watermarks_lower(struct store *st, int64_t ts, struct err *e)
{
	static const char *const keys[2] = { "rollup_t1", "rollup_t2" };
	int64_t steps[2] = { st->set.tier1_step, st->set.tier2_step };

	for (int i = 0; i < 2; i++) {
		int64_t w;
		enum od_status ret = store_meta_get_int(st, keys[i], 0, &w, e);
		if (ret != OD_OK)
			return ret;
		int64_t b = ts - ((ts % steps[i]) + steps[i]) % steps[i];
		if (w > b && (ret = store_meta_set_int(st, keys[i], b, e)) != OD_OK)
			return ret;
	}
	return OD_OK;
}

static enum od_status tick_upsert(struct store *st, int64_t ts, int64_t added, struct err *e)
{
	static const char sql[] = "INSERT INTO ticks(ts, samples) VALUES(?1, ?2)"
				  " ON CONFLICT(ts) DO UPDATE SET samples = samples + excluded.samples";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, ts);
	sqlite3_bind_int64(s, 2, added);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "saving a tick");
}

enum od_status store_tick_append(struct store *st, int64_t ts, const struct store_sample *samples,
				 size_t n, struct err *e)
{
	struct store_raw_rec *rec = NULL;
	struct tagged_rec *tag = NULL;
	uint8_t *enc = NULL;
	int64_t added = 0;
	bool own = false;
	enum od_status ret = OD_OK;

	if (n > STORE_TICK_MAX)
		return err_set(e, OD_ELIMIT, "a tick of %zu samples is over the limit of %d", n,
			       STORE_TICK_MAX);
	rec = malloc((n ? n : 1) * sizeof(*rec));
	tag = malloc((n ? n : 1) * sizeof(*tag));
	enc = malloc(2 * STORE_CHUNK_SERIES * STORE_CODEC_RAW_MAX);
	if (!rec || !tag || !enc) {
		ret = err_set(e, OD_ENOMEM, "out of memory saving a tick");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (samples[i].series <= 0) {
			ret = err_set(e, OD_EINVAL, "sample for an invalid series id %lld",
				      (long long)samples[i].series);
			goto out;
		}
		tag[i].series = samples[i].series;
		tag[i].value = samples[i].value;
		tag[i].idx = i;
	}
	n = sort_dedup(tag, n, rec);
	ret = store_write_begin(st, &own, e);
	if (ret != OD_OK)
		goto out;
	for (size_t i = 0; i < n && ret == OD_OK;) {
		int64_t chunk = store_codec_chunk(rec[i].series);
		size_t j = i;
		while (j < n && store_codec_chunk(rec[j].series) == chunk)
			j++;
		ret = chunk_write(st, ts, chunk, rec + i, j - i, enc, &added, e);
		i = j;
	}
	if (ret == OD_OK)
		ret = tick_upsert(st, ts, added, e);
	if (ret == OD_OK)
		ret = watermarks_lower(st, ts, e);
	ret = store_write_end(st, own, ret, e);
out:
	free(rec);
	free(tag);
	free(enc);
	return ret;
}

enum od_status store_tick_exists(struct store *st, int64_t ts, bool *found, struct err *e)
{
	static const char sql[] = "SELECT 1 FROM ticks WHERE ts = ?1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, ts);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	*found = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? OD_OK
						      : store_db_error(st, rc, e, "reading ticks");
}

/* min() and max() in separate statements: each is then one B-tree probe, not a scan. */
static enum od_status tick_edge(struct store *st, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? OD_OK : store_db_error(st, rc, e, "reading ticks");
}

enum od_status store_tick_range(struct store *st, int64_t *oldest, int64_t *newest, struct err *e)
{
	static const char min_sql[] = "SELECT coalesce(min(ts), 0) FROM ticks";
	static const char max_sql[] = "SELECT coalesce(max(ts), 0) FROM ticks";
	enum od_status ret = tick_edge(st, min_sql, oldest, e);
	return ret == OD_OK ? tick_edge(st, max_sql, newest, e) : ret;
}

enum od_status store_samples_raw_count(struct store *st, int64_t *n, struct err *e)
{
	static const char sql[] = "SELECT coalesce(sum(samples), 0) FROM ticks";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? OD_OK : store_db_error(st, rc, e, "counting samples");
}
