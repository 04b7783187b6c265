/*
 * panes_bench.c: figures for the Trends and Logs panes (issue 8). Prints
 * them; nothing here passes or fails on time.
 *
 *   logs:   lines fed to the Logs pane at a fixed rate (default 50,000/s)
 *           with a filter active, painted every LOGS_PAINT_MS as the pane's
 *           loop timer does; reports lines dropped (count and per-pod order
 *           read back from the ring), display lag p50/p99/max (arrival to
 *           the end of the paint that shows it) and RSS.
 *   trends: a 30-day window of one-minute samples (three series) imported
 *           into a temporary store and rolled up into the tiers, as
 *           `opsdeck history import` and the collector leave a store;
 *           reports the store read (recalc) and the render (draw) times,
 *           median and max over runs (the max is the first, cold run).
 *           BENCH_NO_ROLLUP=1 skips the rollup: every bucket of the window
 *           is then read from the raw tier (a state retention never keeps
 *           past 48 h), the worst case of the read path.
 *           BENCH_SCREEN=1 prints the pane to stderr.
 *
 * Usage: panes_bench [--rate N] [--seconds S] [--runs N]
 * OPSDECK_DATADIR must point at the source tree (keymap and themes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/loop.h"
#include "opsdeck/store.h"
#include "opsdeck/store_import.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_headless.h"
#include "opsdeck/ui_pane_logs.h"
#include "opsdeck/ui_pane_trends.h"

#define PODS 8

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	size_t i = (size_t)((double)n * p);

	return n ? v[i < n ? i : n - 1] : 0;
}

static void paint(struct app *app, struct pane *p)
{
	struct canvas c = { .win = stdscr, .r = app->layout.pane[p->index], .ascii = app->ascii,
			    .pal = &app->palette };
	struct err e = { 0 };

	if (p->ops->needs_recalc(p))
		p->ops->recalc(p, &e);
	pane_paint(p, &c, c.r, true);
}

static int bench_logs(struct app *app, long rate, double seconds)
{
	struct pane *p = &app->panes[2];
	size_t total = (size_t)((double)rate * seconds), fed = 0, painted_upto = 0;
	double *arrival = malloc(total * sizeof(double)), *lag = malloc(total * sizeof(double));
	uint64_t next_seq[PODS] = { 0 };
	char pods[PODS][32];
	double t0, next_paint, paint_ms_max = 0;
	long rss0 = rss_kb();
	struct err e = { 0 };
	size_t paints = 0, bad_order = 0;

	if (!arrival || !lag)
		return 1;
	for (int i = 0; i < PODS; i++)
		snprintf(pods[i], sizeof(pods[i]), "web-7c9d8b6f5-%05d", i);
	app_focus(app, 2);
	app->zoomed = true;
	layout_compute(&app->layout, COLS, LINES, app->focus, app->zoomed);
	p->ops->filter(p, "ERROR|timeout");
	t0 = now_ms();
	next_paint = t0 + LOGS_PAINT_MS;
	while (fed < total) {
		double t = now_ms();
		size_t due = (size_t)((t - t0) / 1000.0 * (double)rate);

		if (due > total)
			due = total;
		for (; fed < due; fed++) {
			char line[200];
			int pod = (int)(fed * 2654435761u % PODS);
			int len = snprintf(line, sizeof(line),
					   "2026-11-22T12:00:00.%06zuZ pod=%d seq=%llu level=%s msg=\"%s\"",
					   fed % 1000000, pod, (unsigned long long)next_seq[pod]++,
					   fed % 100 == 0 ? "ERROR" : "info",
					   fed % 100 == 0 ? "db timeout after 30s" : "request handled in 3ms");

			if (logs_pane_feed(p, pods[pod], line, (size_t)len, &e) != OD_OK) {
				fprintf(stderr, "feed: %s\n", e.msg);
				return 1;
			}
			arrival[fed] = t;
		}
		if (t >= next_paint) {
			double done, took;

			paint(app, p);
			done = now_ms();
			took = done - t;
			if (took > paint_ms_max)
				paint_ms_max = took;
			for (; painted_upto < fed; painted_upto++)
				lag[painted_upto] = done - arrival[painted_upto];
			paints++;
			next_paint += LOGS_PAINT_MS;
		} else {
			usleep(1000);
		}
	}
	paint(app, p);
	for (double done = now_ms(); painted_upto < fed; painted_upto++)
		lag[painted_upto] = done - arrival[painted_upto];
	{
		double elapsed = now_ms() - t0;
		uint64_t count = logs_pane_count(p);
		/* Order per pod, read back from the pane's buffer through its saved copy. */
		char path[] = "/tmp/od-panes-bench-XXXXXX";
		int fd = mkstemp(path);
		FILE *f;
		char buf[512];

		if (fd >= 0) {
			close(fd);
			unlink(path);
			if (logs_pane_save(p, path, &e) == OD_OK && (f = fopen(path, "r"))) {
				memset(next_seq, 0, sizeof(next_seq));
				while (fgets(buf, sizeof(buf), f)) {
					int pod;
					unsigned long long seq;
					char *at = strstr(buf, " pod=");

					if (!at || sscanf(at, " pod=%d seq=%llu", &pod, &seq) != 2 ||
					    pod < 0 || pod >= PODS || seq != next_seq[pod]++)
						bad_order++;
				}
				fclose(f);
			}
			unlink(path);
		}
		qsort(lag, fed, sizeof(double), cmp_double);
		printf("logs: %zu lines at %ld/s asked, %.0f/s achieved over %.2f s, filter "
		       "\"ERROR|timeout\" (%llu shown)\n",
		       fed, rate, (double)fed / (elapsed / 1000.0), elapsed / 1000.0,
		       (unsigned long long)logs_pane_visible(p));
		printf("logs: dropped %lld, out of order per pod %zu\n",
		       (long long)fed - (long long)count, bad_order);
		printf("logs: display lag p50 %.1f ms, p99 %.1f ms, max %.1f ms (%zu paints, "
		       "slowest paint %.1f ms)\n",
		       pct(lag, fed, 0.50), pct(lag, fed, 0.99), lag[fed ? fed - 1 : 0], paints,
		       paint_ms_max);
		printf("logs: RSS %ld -> %ld KiB\n", rss0, rss_kb());
		/* machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target */
		printf("BENCH|logs at %ldk lines/s with a filter: lines/s|%.0f|lines/s|%ld|the rate fed|>=%ld\n",
		       rate / 1000, (double)fed / (elapsed / 1000.0), rate, rate * 95 / 100);
		printf("BENCH|logs at %ldk lines/s with a filter: dropped|%lld|lines|-|-|<=0\n", rate / 1000,
		       (long long)fed - (long long)count);
		printf("BENCH|logs at %ldk lines/s with a filter: lag p99|%.1f|ms|-|-|<=250\n", rate / 1000,
		       pct(lag, fed, 0.99));
	}
	free(arrival);
	free(lag);
	return 0;
}

/* 30 days of one-minute samples for one pod: memory, CPU counter, restarts. */
static int write_history(const char *path, int64_t end)
{
	FILE *f = fopen(path, "w");
	const char *lbl = "namespace=\"bench\",pod=\"bench-0\",container=\"app\"";
	int64_t start = end - 30 * 86400;

	if (!f)
		return -1;
	fprintf(f, "# TYPE container_memory_usage_bytes gauge\n");
	for (int64_t t = start; t < end; t += 60)
		fprintf(f, "container_memory_usage_bytes{%s} %lld %lld\n", lbl,
			(long long)(1073741824LL + (t - start) % 86400 * 4000), (long long)t * 1000);
	fprintf(f, "# TYPE container_cpu_usage_seconds_total counter\n");
	for (int64_t t = start; t < end; t += 60)
		fprintf(f, "container_cpu_usage_seconds_total{%s} %.1f %lld\n", lbl,
			(double)(t - start) * 0.2, (long long)t * 1000);
	fprintf(f, "# TYPE kube_pod_container_status_restarts_total counter\n");
	for (int64_t t = start; t < end; t += 60)
		fprintf(f, "kube_pod_container_status_restarts_total{%s} %lld %lld\n", lbl,
			(long long)((t - start) / (5 * 86400)), (long long)t * 1000);
	return fclose(f);
}

static int bench_trends(struct app *app, int runs)
{
	char dir[] = "/tmp/od-trends-bench-XXXXXX", db[128], prom[128];
	struct pane *p = &app->panes[1];
	struct store *st = NULL;
	struct store_import_opts io = { .context = "bench" };
	struct store_import_stats stats = { 0 };
	struct err e = { 0 };
	double *rec = calloc((size_t)runs, sizeof(double)), *drw = calloc((size_t)runs, sizeof(double));

	if (!mkdtemp(dir) || !rec || !drw)
		return 1;
	snprintf(db, sizeof(db), "%s/history.db", dir);
	snprintf(prom, sizeof(prom), "%s/30d.prom", dir);
	if (write_history(prom, app->now) != 0 || store_open(db, NULL, &st, &e) != OD_OK ||
	    store_import_file(st, prom, &io, &stats, &e) != OD_OK) {
		fprintf(stderr, "trends: %s\n", e.msg);
		return 1;
	}
	/* As `opsdeck history import` and the collector leave it: rolled up into the tiers. */
	if (getenv("BENCH_NO_ROLLUP") == NULL &&
	    store_samples_maintain(st, app->now, NULL, &e) != OD_OK) {
		fprintf(stderr, "trends: %s\n", e.msg);
		return 1;
	}
	store_close(&st);
	snprintf(app->status.context, sizeof(app->status.context), "bench");
	trends_pane_set_db(p, db);
	trends_pane_set_target(p, TRENDS_MODE_POD, "bench", "bench-0");
	for (int i = 0; i < 3; i++)
		p->ops->action(p, ACTION_WINDOW_NEXT); /* 6h -> 24h -> 7d -> 30d */
	app_focus(app, 1);
	app->zoomed = true;
	layout_compute(&app->layout, COLS, LINES, app->focus, app->zoomed);
	for (int r = 0; r < runs; r++) {
		struct canvas c = { .win = stdscr, .r = app->layout.pane[1], .ascii = app->ascii,
				    .pal = &app->palette };
		double a, b, d;

		trends_pane_set_time(p, 0);
		a = now_ms();
		p->ops->needs_recalc(p);
		if (p->ops->recalc(p, &e) != OD_OK) {
			fprintf(stderr, "trends: %s\n", e.msg);
			return 1;
		}
		b = now_ms();
		pane_paint(p, &c, c.r, true);
		d = now_ms();
		rec[r] = b - a;
		drw[r] = d - b;
	}
	if (getenv("BENCH_SCREEN"))
		headless_write_screen(stderr);
	qsort(rec, (size_t)runs, sizeof(double), cmp_double);
	qsort(drw, (size_t)runs, sizeof(double), cmp_double);
	printf("trends: 30d window, %lld samples imported, %s, %dx%d pane\n",
	       (long long)stats.samples,
	       getenv("BENCH_NO_ROLLUP") ? "never rolled up (BENCH_NO_ROLLUP: all from raw)"
					 : "rolled up as `opsdeck history import` leaves it",
	       app->layout.pane[1].w, app->layout.pane[1].h);
	printf("trends: store read (recalc) median %.2f ms, max %.2f ms; render (draw) median "
	       "%.2f ms, max %.2f ms; total median %.2f ms (%d runs)\n",
	       rec[runs / 2], rec[runs - 1], drw[runs / 2], drw[runs - 1],
	       rec[runs / 2] + drw[runs / 2], runs);
	printf("BENCH|history: Trends pane 30 days, read + draw median|%.2f|ms|-|-|-\n",
	       rec[runs / 2] + drw[runs / 2]);
	unlink(prom);
	unlink(db);
	{
		char side[160];

		snprintf(side, sizeof(side), "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", db);
		unlink(side);
	}
	rmdir(dir);
	free(rec);
	free(drw);
	return 0;
}

int main(int argc, char **argv)
{
	long rate = 50000;
	double seconds = 4;
	int runs = 20, rc;
	struct loop *lp = NULL;
	struct app app;
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40, .fixed_now = 1795100000 };
	struct err e = { 0 };

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rate") == 0)
			rate = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
	}
	if (rate < 1 || seconds <= 0 || runs < 1) {
		fprintf(stderr, "usage: panes_bench [--rate N] [--seconds S] [--runs N]\n");
		return 2;
	}
	if (loop_new(&lp, &e) != OD_OK || app_init(&app, &o, lp, &e) != OD_OK) {
		fprintf(stderr, "panes_bench: %s\n", e.msg);
		return 1;
	}
	rc = bench_trends(&app, runs);
	if (rc == 0)
		rc = bench_logs(&app, rate, seconds);
	app_fini(&app);
	loop_free(&lp);
	return rc;
}
