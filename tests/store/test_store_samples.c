/*
 * test_store_samples.c: ticks, rollups equal to the raw rows they replace,
 * retention at its exact boundaries, tier selection, late ticks, p95,
 * the top series by average, and several series read at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "opsdeck/store.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "helpers.h"
#include "../../src/store/internal.h"   /* row counts straight from the tables */

#define T0 1762999200   /* 2025-11-13T02:00:00Z, a multiple of 3600 */

static int64_t series_make(struct store *st, const char *pod, enum store_metric m)
{
	struct err e = { 0 };
	int64_t id = 0;
	struct store_series_key k = { "ctx", "ns", STORE_KIND_POD, pod, "app", m };
	assert_int_equal(store_series_id(st, &k, true, &id, &e), OD_OK);
	return id;
}

static int64_t sql_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* A deterministic, irregular value per (series, tick). */
static int64_t value_at(int64_t series, int64_t ts)
{
	uint64_t x = (uint64_t)series * 2654435761u ^ (uint64_t)ts * 40503u;
	x ^= x >> 13;
	x *= 0x9E3779B97F4A7C15ull;
	return (int64_t)(x % 500000) - (series == 3 ? 250000 : 0);   /* series 3 goes negative */
}

static void test_tick_roundtrip_and_merge(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_query_result r;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	int64_t a = series_make(st, "a", STORE_METRIC_CPU);
	int64_t b = series_make(st, "b", STORE_METRIC_MEMORY);
	struct store_sample s1[] = { { b, 300000000 }, { a, 87 }, { a, 88 } };   /* later a wins */
	assert_int_equal(store_tick_append(st, T0, s1, 3, &e), OD_OK);
	/* A second collector writes the same tick: b is replaced, a kept. */
	struct store_sample s2[] = { { b, 310000000 } };
	assert_int_equal(store_tick_append(st, T0, s2, 1, &e), OD_OK);
	assert_int_equal(store_series_query(st, a, T0 - 60, T0 + 60, 15, &r, &e), OD_OK);
	assert_int_equal(r.tier, STORE_TIER_RAW);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.points[0].ts, T0);
	assert_int_equal(r.points[0].min, 88);
	store_query_result_free(&r);
	assert_int_equal(store_series_query(st, b, T0 - 60, T0 + 60, 15, &r, &e), OD_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.points[0].max, 310000000);
	store_query_result_free(&r);
	int64_t n = 0;
	assert_int_equal(store_samples_raw_count(st, &n, &e), OD_OK);
	assert_int_equal(n, 2);
	struct store_sample bad[] = { { 0, 1 } };
	assert_int_equal(store_tick_append(st, T0, bad, 1, &e), OD_EINVAL);
	store_close(&st);
	tmp_db_cleanup(&t);
}

/* Writes nseries series every `every` seconds over [T0, T0 + span). */
static void fill(struct store *st, int64_t *ids, int nseries, int64_t span, int64_t every)
{
	struct err e = { 0 };
	struct store_sample smp[64];
	assert_true(nseries <= 64);
	for (int64_t ts = T0; ts < T0 + span; ts += every) {
		for (int i = 0; i < nseries; i++) {
			smp[i].series = ids[i];
			smp[i].value = value_at(ids[i], ts);
		}
		assert_int_equal(store_tick_append(st, ts, smp, (size_t)nseries, &e), OD_OK);
	}
}

/* The aggregate of the raw values of series in [from, to) sampled every `every`. */
static void expect_agg(int64_t series, int64_t from, int64_t to, int64_t every,
		       const struct store_point *p)
{
	int64_t mn = INT64_MAX, mx = INT64_MIN, sum = 0, n = 0;
	for (int64_t ts = from; ts < to; ts += every) {
		int64_t v = value_at(series, ts);
		mn = v < mn ? v : mn;
		mx = v > mx ? v : mx;
		sum += v;
		n++;
	}
	assert_int_equal(p->count, n);
	assert_int_equal(p->min, mn);
	assert_int_equal(p->max, mx);
	assert_int_equal(p->sum, sum);
	assert_true(fabs(p->avg - (double)sum / (double)n) < 1e-9);
}

static void test_rollup_equals_raw(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_query_result r;
	struct store_maintain_stats ms;
	int64_t ids[5];
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	for (int i = 0; i < 5; i++) {
		char pod[16];
		snprintf(pod, sizeof(pod), "p%d", i);
		ids[i] = series_make(st, pod, STORE_METRIC_CPU);
	}
	fill(st, ids, 5, 3 * 3600, 15);
	/* Nothing rolled yet: a 5-minute query is served from raw, same numbers. */
	assert_int_equal(store_series_query(st, ids[2], T0, T0 + 3 * 3600, 300, &r, &e), OD_OK);
	assert_int_equal(r.tier, STORE_TIER_1);
	assert_int_equal(r.n, 36);
	expect_agg(ids[2], T0 + 600, T0 + 900, 15, &r.points[2]);
	store_query_result_free(&r);

	assert_int_equal(store_samples_maintain(st, T0 + 3 * 3600, &ms, &e), OD_OK);
	assert_true(ms.t1_rows >= 36);
	assert_true(ms.t2_rows >= 3);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM samples_t1"), 36);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM samples_t2"), 3);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(store_series_query(st, ids[i], T0, T0 + 3 * 3600, 300, &r, &e), OD_OK);
		assert_int_equal(r.n, 36);
		for (size_t k = 0; k < r.n; k++)
			expect_agg(ids[i], r.points[k].ts, r.points[k].ts + 300, 15, &r.points[k]);
		store_query_result_free(&r);
		assert_int_equal(store_series_query(st, ids[i], T0, T0 + 3 * 3600, 3600, &r, &e), OD_OK);
		assert_int_equal(r.tier, STORE_TIER_2);
		assert_int_equal(r.n, 3);
		for (size_t k = 0; k < r.n; k++)
			expect_agg(ids[i], r.points[k].ts, r.points[k].ts + 3600, 15, &r.points[k]);
		store_query_result_free(&r);
	}
	/* Maintaining again with the same now changes nothing. */
	assert_int_equal(store_samples_maintain(st, T0 + 3 * 3600, &ms, &e), OD_OK);
	assert_int_equal(ms.t1_rows, 0);
	assert_int_equal(ms.t2_rows, 0);
	store_close(&st);
	tmp_db_cleanup(&t);
}

/* Several series read at once (two chunks) give what one at a time gives, raw and rolled up. */
static void test_query_many(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_query_result one, many[3];
	int64_t ids[70], pick[3], bad[2];
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	for (int i = 0; i < 70; i++) {
		char pod[16];
		snprintf(pod, sizeof(pod), "p%d", i);
		ids[i] = series_make(st, pod, STORE_METRIC_MEMORY);
	}
	fill(st, ids, 64, 2 * 3600, 60);
	fill(st, ids + 64, 6, 2 * 3600, 60);
	pick[0] = ids[2];
	pick[1] = ids[3];
	pick[2] = ids[66];
	assert_int_not_equal(store_codec_chunk(pick[1]), store_codec_chunk(pick[2]));
	for (int pass = 0; pass < 2; pass++) {
		int64_t steps[2] = { 60, 3600 };
		if (pass == 1)
			assert_int_equal(store_samples_maintain(st, T0 + 2 * 3600, NULL, &e), OD_OK);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(store_series_query_many(st, pick, 3, T0, T0 + 2 * 3600, steps[k],
								 many, &e), OD_OK);
			for (int i = 0; i < 3; i++) {
				assert_int_equal(store_series_query(st, pick[i], T0, T0 + 2 * 3600,
								    steps[k], &one, &e), OD_OK);
				assert_int_equal(many[i].tier, one.tier);
				assert_int_equal(many[i].step, one.step);
				assert_int_equal(many[i].n, one.n);
				assert_true(one.n > 0);
				for (size_t j = 0; j < one.n; j++) {
					assert_int_equal(many[i].points[j].ts, one.points[j].ts);
					assert_int_equal(many[i].points[j].sum, one.points[j].sum);
					assert_int_equal(many[i].points[j].count, one.points[j].count);
					assert_int_equal(many[i].points[j].min, one.points[j].min);
					assert_int_equal(many[i].points[j].max, one.points[j].max);
				}
				store_query_result_free(&one);
				store_query_result_free(&many[i]);
			}
		}
	}
	/* ids must ascend: a repeat is refused, and nothing is handed back. */
	bad[0] = bad[1] = ids[2];
	assert_int_equal(store_series_query_many(st, bad, 2, T0, T0 + 3600, 60, many, &e),
			 OD_EINVAL);
	assert_null(many[0].points);
	store_close(&st);
	tmp_db_cleanup(&t);
}

/* Enough raw rows that maintain splits the work into several transactions. */
static void test_rollup_in_batches(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_query_result r;
	struct store_maintain_stats ms;
	enum { N = 1300 };   /* 21 chunks: 5 h of them is over one batch's row budget */
	static int64_t ids[N];
	static struct store_sample smp[N];
	const int64_t span = 5 * 3600, chunks = 21;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	for (int i = 0; i < N; i++) {
		char pod[16];
		snprintf(pod, sizeof(pod), "b%d", i);
		ids[i] = series_make(st, pod, STORE_METRIC_MEMORY);
	}
	assert_int_equal(store_begin(st, &e), OD_OK);
	for (int64_t ts = T0; ts < T0 + span; ts += 15) {
		for (int i = 0; i < N; i++) {
			smp[i].series = ids[i];
			smp[i].value = value_at(ids[i], ts);
		}
		assert_int_equal(store_tick_append(st, ts, smp, N, &e), OD_OK);
	}
	assert_int_equal(store_commit(st, &e), OD_OK);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM samples_raw"), chunks * span / 15);
	assert_int_equal(store_samples_maintain(st, T0 + span, &ms, &e), OD_OK);
	assert_int_equal(ms.t1_rows, chunks * span / 300);
	assert_int_equal(ms.t2_rows, chunks * span / 3600);
	int64_t w1, w2;
	assert_int_equal(store_rollup_watermarks(st, &w1, &w2, &e), OD_OK);
	assert_int_equal(w1, T0 + span);
	assert_int_equal(w2, T0 + span);
	for (int i = 0; i < N; i += 433) {
		assert_int_equal(store_series_query(st, ids[i], T0, T0 + span, 3600, &r, &e), OD_OK);
		assert_int_equal(r.n, 5);
		for (size_t k = 0; k < r.n; k++)
			expect_agg(ids[i], r.points[k].ts, r.points[k].ts + 3600, 15, &r.points[k]);
		store_query_result_free(&r);
	}
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_late_tick_rerolled(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_query_result r;
	int64_t id;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	id = series_make(st, "late", STORE_METRIC_MEMORY);
	fill(st, &id, 1, 3600, 30);
	assert_int_equal(store_samples_maintain(st, T0 + 3600, NULL, &e), OD_OK);
	/* A second collector delivers a sample in an already rolled bucket. */
	struct store_sample s = { id, 1000000000 };
	assert_int_equal(store_tick_append(st, T0 + 615, &s, 1, &e), OD_OK);
	int64_t w1, w2;
	assert_int_equal(store_rollup_watermarks(st, &w1, &w2, &e), OD_OK);
	assert_int_equal(w1, T0 + 600);
	assert_int_equal(w2, T0);
	assert_int_equal(store_samples_maintain(st, T0 + 3600, NULL, &e), OD_OK);
	assert_int_equal(store_series_query(st, id, T0, T0 + 3600, 300, &r, &e), OD_OK);
	assert_int_equal(r.points[2].max, 1000000000);
	assert_int_equal(r.points[2].count, 11);
	store_query_result_free(&r);
	assert_int_equal(store_series_query(st, id, T0, T0 + 3600, 3600, &r, &e), OD_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.points[0].max, 1000000000);
	assert_int_equal(r.points[0].count, 121);
	store_query_result_free(&r);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_retention_boundaries(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_settings set;
	int64_t id;
	char sql[160];
	(void)state;
	store_settings_default(&set);
	set.raw_keep = 600;
	set.tier1_step = 60;
	set.tier1_keep = 1800;
	set.tier2_step = 300;
	set.tier2_keep = 3600;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, &set);
	id = series_make(st, "r", STORE_METRIC_CPU);
	fill(st, &id, 1, 3 * 3600, 10);
	const int64_t now = T0 + 3 * 3600 - 10;   /* the newest tick */
	assert_int_equal(store_samples_maintain(st, now, NULL, &e), OD_OK);
	/* raw: ts >= now - 600 kept, exactly. */
	assert_int_equal(sql_int(st, "SELECT min(ts) FROM ticks"), now - 600);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM samples_raw WHERE ts < %lld",
		 (long long)(now - 600));
	assert_int_equal(sql_int(st, sql), 0);
	assert_int_equal(sql_int(st, "SELECT count(*) FROM ticks"), 61);
	/* tier 1: a bucket goes once bucket + 60 <= now - 1800. */
	int64_t h1 = now - 1800;
	int64_t first1 = h1 - (h1 % 60);   /* the bucket holding h1 is partly newer: kept */
	assert_int_equal(sql_int(st, "SELECT min(ts) FROM samples_t1"), first1);
	/* tier 2: same rule with 300 s buckets and a 3600 s horizon. */
	int64_t h2 = now - 3600;
	assert_int_equal(sql_int(st, "SELECT min(ts) FROM samples_t2"), h2 - (h2 % 300));
	/* Nothing newer was touched: every tier-1 bucket from first1 on is there. */
	int64_t w1, w2;
	assert_int_equal(store_rollup_watermarks(st, &w1, &w2, &e), OD_OK);
	assert_int_equal(w1, now - (now % 60));
	assert_int_equal(sql_int(st, "SELECT count(*) FROM samples_t1"), (w1 - first1) / 60);
	/* One second later only the raw tick at the old horizon goes. */
	assert_int_equal(store_samples_maintain(st, now + 1, NULL, &e), OD_OK);
	assert_int_equal(sql_int(st, "SELECT min(ts) FROM ticks"), now - 590);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_tier_selection(void **state)
{
	struct tmp_db t;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	const int64_t now = T0 + 100 * 86400;
	assert_int_equal(store_query_pick_tier(st, now - 3600, 15, now), STORE_TIER_RAW);
	assert_int_equal(store_query_pick_tier(st, now - 3600, 60, now), STORE_TIER_RAW);
	assert_int_equal(store_query_pick_tier(st, now - 86400, 300, now), STORE_TIER_1);
	assert_int_equal(store_query_pick_tier(st, now - 7 * 86400, 3600, now), STORE_TIER_2);
	/* Raw is gone beyond 48 h: a fine step over 3 days reads tier 1 ... */
	assert_int_equal(store_query_pick_tier(st, now - 3 * 86400, 60, now), STORE_TIER_1);
	/* ... and tier 1 is gone beyond 90 days. */
	assert_int_equal(store_query_pick_tier(st, now - 95 * 86400, 300, now), STORE_TIER_2);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_summary_p95(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct store_query_result r;
	struct store_summary sum;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	int64_t id = series_make(st, "p", STORE_METRIC_CPU);
	/* Values 1..100 in a shuffled order. */
	for (int i = 0; i < 100; i++) {
		struct store_sample s = { id, (i * 37) % 100 + 1 };
		assert_int_equal(store_tick_append(st, T0 + i * 15, &s, 1, &e), OD_OK);
	}
	assert_int_equal(store_series_query(st, id, T0, T0 + 1500, 15, &r, &e), OD_OK);
	assert_int_equal(r.n, 100);
	store_summary_compute(&r, &sum);
	assert_int_equal(sum.min, 1);
	assert_int_equal(sum.max, 100);
	assert_int_equal(sum.count, 100);
	assert_true(fabs(sum.avg - 50.5) < 1e-9);
	assert_true(fabs(sum.p95 - 95.0) < 1e-9);
	store_query_result_free(&r);
	struct store_query_result empty = { 0 };
	store_summary_compute(&empty, &sum);
	assert_int_equal(sum.points, 0);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_top_by_avg(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	int64_t cpu[100], mem[100];
	struct store_sample smp[200];
	struct store_top_entry top[5];
	size_t n = 0;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	for (int i = 0; i < 100; i++) {
		char pod[16];
		snprintf(pod, sizeof(pod), "pod-%03d", i);
		cpu[i] = series_make(st, pod, STORE_METRIC_CPU);
		mem[i] = series_make(st, pod, STORE_METRIC_MEMORY);
	}
	for (int k = 0; k < 48; k++) {
		for (int i = 0; i < 100; i++) {
			/* pod 37 spikes once but averages low; pods 90..99 are steadily high. */
			smp[2 * i].series = cpu[i];
			smp[2 * i].value = (i * 7) % 100 + (i == 37 && k == 5 ? 100000 : 0);
			smp[2 * i + 1].series = mem[i];
			smp[2 * i + 1].value = 1000000000;   /* memory must not count */
		}
		assert_int_equal(store_tick_append(st, T0 + k * 300, smp, 200, &e), OD_OK);
	}
	assert_int_equal(store_samples_maintain(st, T0 + 4 * 3600, NULL, &e), OD_OK);
	struct store_series_filter f = { "ctx", NULL, NULL, NULL, STORE_KIND_POD, STORE_METRIC_CPU, NULL };
	assert_int_equal(store_series_top(st, &f, T0, T0 + 4 * 3600, 5, top, &n, &e), OD_OK);
	assert_int_equal(n, 5);
	/* pod 37: avg = (59 * 48 + 100000) / 48 = 2142: the top. */
	struct store_series_info info;
	assert_int_equal(store_series_get(st, top[0].series, &info, &e), OD_OK);
	assert_string_equal(info.object, "pod-037");
	assert_int_equal(top[0].max, 100059);
	assert_int_equal(store_series_get(st, top[1].series, &info, &e), OD_OK);
	assert_int_equal(top[1].avg, 99);   /* i = 57: 399 % 100 */
	assert_string_equal(info.object, "pod-057");
	for (size_t i = 1; i < n; i++)
		assert_true(top[i - 1].avg >= top[i].avg);
	/* A workload's pods by name prefix (deploy/pod-09 -> pod-09x). */
	int64_t *ids = NULL;
	size_t nids = 0;
	struct store_series_filter pf = { "ctx", NULL, NULL, NULL, STORE_KIND_POD, STORE_METRIC_CPU, "pod-09" };
	assert_int_equal(store_series_find(st, &pf, &ids, &nids, &e), OD_OK);
	assert_int_equal(nids, 10);
	free(ids);
	assert_int_equal(store_series_top(st, &pf, T0, T0 + 4 * 3600, 5, top, &n, &e), OD_OK);
	assert_int_equal(n, 5);
	assert_int_equal(store_series_get(st, top[0].series, &info, &e), OD_OK);
	assert_string_equal(info.object, "pod-099");   /* 99 * 7 % 100 = 93, the highest of 90..99 */
	store_close(&st);
	tmp_db_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tick_roundtrip_and_merge),
		cmocka_unit_test(test_rollup_equals_raw),
		cmocka_unit_test(test_rollup_in_batches),
		cmocka_unit_test(test_late_tick_rerolled),
		cmocka_unit_test(test_retention_boundaries),
		cmocka_unit_test(test_tier_selection),
		cmocka_unit_test(test_summary_p95),
		cmocka_unit_test(test_top_by_avg),
		cmocka_unit_test(test_query_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
