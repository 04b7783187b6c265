/*
 * ui_bench.c: in-process figures for the dashboard (issue 7). It prints, it
 * does not judge:
 *   - first paint from the store: open a history store holding the
 *     last-known rows of N pods, load them, build the app on a virtual
 *     120x40 screen and paint it (target 150 ms from start);
 *   - a filter keystroke at 10,000 and 100,000 pods: '/' then one key at a
 *     time, each followed by the full update cycle (recalculate, repaint)
 *     (target 16 ms). The row is the worst typed key's wall time; the CPU
 *     time beside it says what the work cost on a loaded machine, and '/'
 *     itself is printed apart. UI_BENCH_KEYS=1 prints every key to stderr.
 * The figures that need a real terminal and a cluster (idle CPU, bytes/s
 * through a pty, next to `watch kubectl get pods`) are in bench/ui_bench.sh.
 *
 *     bench/ui_bench [--pods N] [--dir DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/loop.h"
#include "opsdeck/store.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_podstate.h"

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: under a loaded machine it says what the work cost. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fake_pod(struct pod_view *v, size_t i)
{
	static const char *const status[] = { "Running", "Running", "Running", "Pending",
					      "CrashLoopBackOff", "Completed" };

	memset(v, 0, sizeof(*v));
	snprintf(v->namespace_, sizeof(v->namespace_), "ns-%zu", i % 20);
	snprintf(v->name, sizeof(v->name), "workload-%zu-7d9f8c6b5-%05zu", i % 500, i);
	v->ready = 1;
	v->containers = 1;
	snprintf(v->status, sizeof(v->status), "%s", status[i % 6]);
	v->restarts = (int)(i % 7);
	v->created = 1795000000 - (int64_t)(i * 37);
	v->cpu_m = (int64_t)(i % 900);
	v->mem_b = (int64_t)(i % 512) << 20;
	v->cpu_req_m = 500;
	v->cpu_lim_m = 1000;
	v->mem_req_b = 256LL << 20;
	v->mem_lim_b = 1024LL << 20;
	snprintf(v->owner, sizeof(v->owner), "Deployment/workload-%zu", i % 500);
	snprintf(v->labels, sizeof(v->labels), "app=workload-%zu,tier=%s", i % 500,
		 i % 2 ? "back" : "front");
}

static int fill(struct podview_array *pa, size_t n, struct err *e)
{
	struct pod_view v;

	for (size_t i = 0; i < n; i++) {
		fake_pod(&v, i);
		if (podview_array_add(pa, &v, e) != OD_OK)
			return -1;
	}
	return 0;
}

static int app_start(struct app *app, struct loop **lp, struct err *e)
{
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40,
			      .fixed_now = 1795100000 };

	if (loop_new(lp, e) != OD_OK)
		return -1;
	return app_init(app, &o, *lp, e) == OD_OK ? 0 : -1;
}

/* Store with the rows saved, then (timed) open + load + app + first paint. */
static int bench_first_paint(const char *dir, size_t n)
{
	char path[4096];
	struct store *st = NULL;
	struct podview_array *pa = NULL, *loaded = NULL;
	struct pod_source src;
	struct app *app = calloc(1, sizeof(*app));
	struct loop *lp = NULL;
	struct err e = { 0 };
	int64_t saved_at = 0;
	double t0, t1, t2;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/history.db", dir);
	if (!app || store_open(path, NULL, &st, &e) != OD_OK || podview_array_new(&pa, &e) != OD_OK ||
	    fill(pa, n, &e) != 0)
		goto out;
	src = podview_array_source(pa);
	if (podstate_save(st, "bench", 1795100000, &src, &e) != OD_OK)
		goto out;
	store_close(&st);

	t0 = mono_ms();
	if (store_open(path, NULL, &st, &e) != OD_OK || podview_array_new(&loaded, &e) != OD_OK ||
	    podstate_load(st, "bench", loaded, &saved_at, &e) != OD_OK)
		goto out;
	t1 = mono_ms();
	if (app_start(app, &lp, &e) != 0)
		goto out;
	app->status.stale_since = saved_at;
	app_set_pod_source(app, podview_array_source(loaded));
	app_update(app);
	t2 = mono_ms();
	printf("first paint from the store, %zu pods: %.1f ms (store open + load %.1f ms, "
	       "app + paint %.1f ms; target 150 ms)\n", n, t2 - t0, t1 - t0, t2 - t1);
	/* machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target */
	printf("BENCH|first paint in process from the store, %zuk pods|%.1f|ms|-|-|<=150\n", n / 1000,
	       t2 - t0);
	app_fini(app);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "ui_bench: %s\n", e.msg);
	store_close(&st);
	podview_array_free(&pa);
	podview_array_free(&loaded);
	loop_free(&lp);
	free(app);
	return rc;
}

static int bench_filter(size_t n)
{
	static const char typed[] = "workload-42";
	struct podview_array *pa = NULL;
	struct app *app = calloc(1, sizeof(*app));
	struct loop *lp = NULL;
	struct err e = { 0 };
	double worst = 0, sum = 0, cpu_worst = 0, cpu_sum = 0, open_ms, open_cpu;
	int rc = -1;

	if (!app || podview_array_new(&pa, &e) != OD_OK || fill(pa, n, &e) != 0 ||
	    app_start(app, &lp, &e) != 0)
		goto out;
	app_set_pod_source(app, podview_array_source(pa));
	app_update(app);
	open_ms = mono_ms();
	open_cpu = cpu_ms();
	app_handle_key(app, '/');
	app_update(app);
	open_ms = mono_ms() - open_ms;
	open_cpu = cpu_ms() - open_cpu;
	for (size_t i = 0; typed[i]; i++) {
		double t0 = mono_ms(), c0 = cpu_ms(), dt, dc;

		app_handle_key(app, typed[i]);
		app_update(app);
		dt = mono_ms() - t0;
		dc = cpu_ms() - c0;
		if (getenv("UI_BENCH_KEYS"))
			fprintf(stderr, "  key %zu '%c': %.2f ms (cpu %.2f ms)\n", i + 1, typed[i],
				dt, dc);
		sum += dt;
		cpu_sum += dc;
		if (dc > cpu_worst)
			cpu_worst = dc;
		if (dt > worst)
			worst = dt;
	}
	printf("filter keystroke at %zu pods: mean %.2f ms, worst %.2f ms over %zu keys "
	       "(target 16 ms); cpu mean %.2f ms, worst %.2f ms\n", n, sum / (double)strlen(typed),
	       worst, strlen(typed), cpu_sum / (double)strlen(typed), cpu_worst);
	printf("  '/' (opening the filter) at %zu pods: %.2f ms (cpu %.2f ms)\n", n, open_ms,
	       open_cpu);
	printf("BENCH|filter keystroke at %zuk pods, worst|%.2f|ms|16.7|one 60 Hz frame|<=16\n",
	       n / 1000, worst);
	app_fini(app);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "ui_bench: %s\n", e.msg);
	podview_array_free(&pa);
	loop_free(&lp);
	free(app);
	return rc;
}

int main(int argc, char **argv)
{
	size_t pods = 1000;
	char dir[] = "/tmp/opsdeck-ui-bench.XXXXXX";
	const char *where = NULL;
	char cmd[4200];
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pods") == 0 && i + 1 < argc)
			pods = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			where = argv[++i];
		else {
			fprintf(stderr, "usage: ui_bench [--pods N] [--dir DIR]\n");
			return 2;
		}
	}
	if (!where && !(where = mkdtemp(dir))) {
		perror("mkdtemp");
		return 1;
	}
	rc = bench_first_paint(where, pods);
	if (rc == 0)
		rc = bench_first_paint(where, 10000);
	if (rc == 0)
		rc = bench_filter(10000);
	if (rc == 0)
		rc = bench_filter(100000);
	if (where == dir) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "ui_bench: could not remove %s\n", dir);
	}
	return rc ? 1 : 0;
}
