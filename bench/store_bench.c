/*
 * store_bench.c: figures for the history store (issue 6). It prints, it
 * does not judge: tick commit latency for 1,000 and 10,000 pods, bytes per
 * raw sample, the size of 30 simulated days of 1,000 pods, one pod over 30
 * days, the top 20 pods by CPU over 30 days.
 *
 *     bench/store_bench [--quick] [--dir DIR]
 *
 * A pod is four series (CPU, memory, restarts, ready), as the collector
 * writes them. The 30 days are simulated the way retention leaves them:
 * 1-hour and 5-minute rollups for the whole month plus 48 h of raw ticks
 * every 15 s, then a maintain pass that rolls the raw part up again.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/store.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "opsdeck/timeutil.h"

#define METRICS_PER_POD 4
#define NOW 1764547200LL   /* 2025-12-01T00:00:00Z: the end of the simulated month */

static const enum store_metric pod_metrics[METRICS_PER_POD] = {
	STORE_METRIC_CPU, STORE_METRIC_MEMORY, STORE_METRIC_RESTARTS, STORE_METRIC_READY
};

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "store_bench: %s: %s\n", what, e->msg);
	exit(1);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time of this thread: the cost of the work itself when other jobs share the machine. */
static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A plausible value of metric for pod p at ts: a per-pod level, a daily wave, noise. */
static int64_t sample_value(int p, enum store_metric m, int64_t ts)
{
	double wave = sin(2 * M_PI * (double)(ts % 86400) / 86400.0);
	double noise = (double)(rng() % 1000) / 1000.0 - 0.5;
	switch (m) {
	case STORE_METRIC_CPU:
		return (int64_t)(50 + (p % 37) * 10 + 30 * wave + 20 * noise);
	case STORE_METRIC_MEMORY:
		return (int64_t)((128.0 + (p % 53) * 8 + 16 * wave) * 1048576.0 + noise * 4e6);
	case STORE_METRIC_RESTARTS:
		return p % 17 == 0 ? (ts / 86400) % 5 : 0;
	default:
		return rng() % 5000 == 0 ? 0 : 1;
	}
}

static int64_t *pods_make(struct store *st, int pods)
{
	struct err e = { 0 };
	int64_t *ids = malloc((size_t)pods * METRICS_PER_POD * sizeof(*ids));
	if (!ids || store_begin(st, &e) != OD_OK)
		die("creating series", &e);
	for (int p = 0; p < pods; p++) {
		char name[64];
		snprintf(name, sizeof(name), "app-%d-7c9f8d6b5-x%04d", p % 50, p);
		for (int m = 0; m < METRICS_PER_POD; m++) {
			struct store_series_key k = { "bench", "ns", STORE_KIND_POD, name, "main",
						      pod_metrics[m] };
			if (store_series_id(st, &k, true, &ids[p * METRICS_PER_POD + m], &e) != OD_OK)
				die("creating series", &e);
		}
	}
	if (store_commit(st, &e) != OD_OK)
		die("creating series", &e);
	return ids;
}

static void tick_fill(struct store_sample *smp, const int64_t *ids, int pods, int64_t ts)
{
	for (int p = 0; p < pods; p++)
		for (int m = 0; m < METRICS_PER_POD; m++) {
			smp[p * METRICS_PER_POD + m].series = ids[p * METRICS_PER_POD + m];
			smp[p * METRICS_PER_POD + m].value = sample_value(p, pod_metrics[m], ts);
		}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	int i = (int)ceil(p * n) - 1;
	return v[i < 0 ? 0 : i];
}

static struct store *open_db(const char *dir, const char *name, bool check)
{
	char path[4096];
	struct store *st = NULL;
	struct err e = { 0 };
	struct store_settings set;
	store_settings_default(&set);
	set.quick_check = check;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	if (store_open(path, &set, &st, &e) != OD_OK)
		die("opening", &e);
	return st;
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static void bench_tick(const char *dir, int pods, int ticks)
{
	struct err e = { 0 };
	struct store *st = open_db(dir, "tick.db", false);
	int64_t *ids = pods_make(st, pods);
	struct store_sample *smp = malloc((size_t)pods * METRICS_PER_POD * sizeof(*smp));
	double *lat = malloc((size_t)ticks * sizeof(*lat)), *cpu = malloc((size_t)ticks * sizeof(*cpu));
	for (int j = 0; j < ticks; j++) {
		int64_t ts = NOW + j * 15;
		tick_fill(smp, ids, pods, ts);
		double t0 = now_ms(), c0 = cpu_ms();
		if (store_tick_append(st, ts, smp, (size_t)pods * METRICS_PER_POD, &e) != OD_OK)
			die("tick", &e);
		lat[j] = now_ms() - t0;
		cpu[j] = cpu_ms() - c0;
	}
	double sum = 0;
	for (int j = 0; j < ticks; j++)
		sum += lat[j];
	printf("tick commit, %5d pods (%6d samples): wall mean %6.2f ms  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms; cpu p99 %6.2f ms (%d ticks)\n",
	       pods, pods * METRICS_PER_POD, sum / ticks, pct(lat, ticks, 0.5), pct(lat, ticks, 0.99),
	       pct(lat, ticks, 1.0), pct(cpu, ticks, 0.99), ticks);
	/* machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target */
	printf("BENCH|collector tick commit p99, %dk pods|%.2f|ms|-|-|<=%d\n", pods / 1000,
	       pct(lat, ticks, 0.99), pods >= 10000 ? 60 : 10);
	free(lat);
	free(cpu);
	free(smp);
	free(ids);
	store_close(&st);
}

/* 1,000 series x 2,880 ticks, checkpointed: file size over samples. */
static void bench_bytes_per_sample(const char *dir, int series, int ticks)
{
	struct err e = { 0 };
	char path[4096];
	int pods = series / METRICS_PER_POD;
	struct store *st = open_db(dir, "bytes.db", false);
	int64_t *ids = pods_make(st, pods);
	struct store_sample *smp = malloc((size_t)series * sizeof(*smp));
	for (int j = 0; j < ticks; j++) {
		tick_fill(smp, ids, pods, NOW + j * 15);
		if (store_tick_append(st, NOW + j * 15, smp, (size_t)series, &e) != OD_OK)
			die("tick", &e);
	}
	if (store_checkpoint(st, &e) != OD_OK)
		die("checkpoint", &e);
	snprintf(path, sizeof(path), "%s/bytes.db", dir);
	long long size = file_size(path);
	double n = (double)series * ticks;
	printf("bytes per raw sample: %.2f (%d series x %d ticks = %.0f samples, file %.1f MB incl. series, ticks and indexes)\n",
	       (double)size / n, series, ticks, n, (double)size / 1e6);
	printf("BENCH|database bytes per sample|%.2f|B|8|a float64 value|<=20\n", (double)size / n);
	free(smp);
	free(ids);
	store_close(&st);
}

static void month_rollups(struct store *st, const int64_t *ids, int pods, enum store_tier tier,
			  int64_t step, int64_t from, int64_t to)
{
	struct err e = { 0 };
	size_t n = (size_t)pods * METRICS_PER_POD;
	struct store_agg_rec *r = malloc(n * sizeof(*r));
	int64_t per = step / 15;   /* raw samples behind a bucket */
	for (int64_t b = from; b < to; b += step) {
		if (store_begin(st, &e) != OD_OK)
			die("rollups", &e);
		for (int p = 0; p < pods; p++)
			for (int m = 0; m < METRICS_PER_POD; m++) {
				struct store_agg_rec *x = &r[p * METRICS_PER_POD + m];
				int64_t a = sample_value(p, pod_metrics[m], b);
				int64_t c = sample_value(p, pod_metrics[m], b + step / 2);
				x->series = ids[p * METRICS_PER_POD + m];
				x->count = per;
				x->min = a < c ? a : c;
				x->max = a < c ? c : a;
				x->sum = (x->min + x->max) / 2 * per + (int64_t)(rng() % (uint64_t)per);
			}
		if (store_rollup_put(st, tier, b, r, n, &e) != OD_OK || store_commit(st, &e) != OD_OK)
			die("rollups", &e);
	}
	free(r);
}

static void bench_month(const char *dir, int pods, int days)
{
	struct err e = { 0 };
	char path[4096];
	struct store *st = open_db(dir, "month.db", false);
	int64_t *ids = pods_make(st, pods);
	const int64_t from = NOW - (int64_t)days * 86400;
	double t0 = now_ms();

	month_rollups(st, ids, pods, STORE_TIER_2, 3600, from, NOW);
	month_rollups(st, ids, pods, STORE_TIER_1, 300, from, NOW);
	struct store_sample *smp = malloc((size_t)pods * METRICS_PER_POD * sizeof(*smp));
	for (int64_t ts = NOW - 48 * 3600; ts < NOW; ts += 15) {
		tick_fill(smp, ids, pods, ts);
		if (store_tick_append(st, ts, smp, (size_t)pods * METRICS_PER_POD, &e) != OD_OK)
			die("tick", &e);
	}
	double t1 = now_ms();
	struct store_maintain_stats ms;
	if (store_samples_maintain(st, NOW, &ms, &e) != OD_OK)
		die("maintain", &e);
	double t2 = now_ms();
	if (store_checkpoint(st, &e) != OD_OK)
		die("checkpoint", &e);
	snprintf(path, sizeof(path), "%s/month.db", dir);
	printf("%d simulated days of %d pods (%d series): database %.1f MB (generated in %.0f s; maintain %.0f ms: %lld tier-1 rows, %lld tier-2 rows rolled)\n",
	       days, pods, pods * METRICS_PER_POD, (double)file_size(path) / 1e6, (t1 - t0) / 1e3,
	       t2 - t1, (long long)ms.t1_rows, (long long)ms.t2_rows);
	store_close(&st);

	/* Re-open as the console would: quick_check on. */
	struct store_settings set;
	store_settings_default(&set);
	t0 = now_ms();
	if (store_open(path, &set, &st, &e) != OD_OK)
		die("reopen", &e);
	printf("open with quick_check of that database: %.0f ms\n", now_ms() - t0);

	const int runs = 1000;
	double *lat = malloc(runs * sizeof(*lat)), *cpu = malloc(runs * sizeof(*cpu));
	size_t points = 0;
	for (int i = 0; i < runs; i++) {
		struct store_query_result r;
		int p = (int)(rng() % (uint64_t)pods);
		t0 = now_ms();
		double c0 = cpu_ms();
		if (store_series_query(st, ids[p * METRICS_PER_POD], NOW - 30 * 86400, NOW, 0, &r, &e) != OD_OK)
			die("query", &e);
		lat[i] = now_ms() - t0;
		cpu[i] = cpu_ms() - c0;
		points = r.n;
		store_query_result_free(&r);
	}
	printf("one pod's CPU over 30 days (default step, %zu points, %d pods at random): wall p50 %.2f ms  p99 %.2f ms; cpu p50 %.2f ms  p99 %.2f ms\n",
	       points, runs, pct(lat, runs, 0.5), pct(lat, runs, 0.99), pct(cpu, runs, 0.5), pct(cpu, runs, 0.99));
	printf("BENCH|history: one pod 30 days, p99|%.2f|ms|-|-|<=5\n", pct(lat, runs, 0.99));
	for (int i = 0; i < 100; i++) {
		struct store_query_result r;
		int p = (int)(rng() % (uint64_t)pods);
		t0 = now_ms();
		double c0 = cpu_ms();
		if (store_series_query(st, ids[p * METRICS_PER_POD + 1], NOW - 30 * 86400, NOW, 300, &r, &e) != OD_OK)
			die("query", &e);
		lat[i] = now_ms() - t0;
		cpu[i] = cpu_ms() - c0;
		points = r.n;
		store_query_result_free(&r);
	}
	printf("one pod's memory over 30 days at 5 min (%zu points): wall p50 %.2f ms  p99 %.2f ms; cpu p50 %.2f ms  p99 %.2f ms\n",
	       points, pct(lat, 100, 0.5), pct(lat, 100, 0.99), pct(cpu, 100, 0.5), pct(cpu, 100, 0.99));
	printf("BENCH|history: one pod 30 days at 5 min, p99|%.2f|ms|-|-|-\n", pct(lat, 100, 0.99));
	struct store_series_filter f = { "bench", NULL, NULL, NULL, STORE_KIND_POD, STORE_METRIC_CPU, NULL };
	struct store_top_entry top[20];
	size_t ntop = 0;
	for (int i = 0; i < 10; i++) {
		t0 = now_ms();
		double c0 = cpu_ms();
		if (store_series_top(st, &f, NOW - 30 * 86400, NOW, 20, top, &ntop, &e) != OD_OK)
			die("top", &e);
		lat[i] = now_ms() - t0;
		cpu[i] = cpu_ms() - c0;
	}
	printf("top 20 of %d pods by CPU over 30 days: wall p50 %.1f ms  max %.1f ms; cpu p50 %.1f ms  max %.1f ms (first: avg %.0fm)\n",
	       pods, pct(lat, 10, 0.5), pct(lat, 10, 1.0), pct(cpu, 10, 0.5), pct(cpu, 10, 1.0),
	       ntop ? top[0].avg : 0.0);
	printf("BENCH|history: top 20 of %d pods by CPU, 30 days|%.1f|ms|-|-|<=200\n", pods,
	       pct(lat, 10, 0.5));
	free(lat);
	free(cpu);
	free(smp);
	free(ids);
	store_close(&st);
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	char tmpl[] = "/tmp/opsdeck-bench.XXXXXX";
	bool quick = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			fprintf(stderr, "usage: store_bench [--quick] [--dir DIR]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);   /* figures appear as they are measured */
	if (!dir && !(dir = mkdtemp(tmpl))) {
		perror("mkdtemp");
		return 1;
	}
	printf("opsdeck store benchmark (SQLite %s) in %s\n", store_sqlite_version(), dir);
	bench_tick(dir, 1000, quick ? 50 : 300);
	bench_tick(dir, 10000, quick ? 20 : 100);
	bench_bytes_per_sample(dir, 1000, quick ? 720 : 2880);
	bench_month(dir, quick ? 100 : 1000, 30);
	return 0;
}
