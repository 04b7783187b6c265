/*
 * test_store_import.c: the Prometheus text and runbook CSV parsers, and
 * importing a backfilled week and a hand-kept CSV, with the weekly figures
 * read back from the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "opsdeck/store.h"
#include "opsdeck/store_history_csv.h"
#include "opsdeck/store_import.h"
#include "opsdeck/store_prom_text.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_series.h"
#include "helpers.h"

static enum od_status prom(const char *line, struct prom_sample *s, struct err *e)
{
	return store_prom_parse_line(line, strlen(line), s, e);
}

static void test_prom_lines(void **state)
{
	struct prom_sample s;
	struct err e = { 0 };
	(void)state;
	assert_int_equal(prom("container_memory_usage_bytes{namespace=\"home-automation\","
			      "pod=\"matter-server-0\",container=\"matter\"} 1.6384e+08 1763000000123", &s, &e),
			 OD_OK);
	assert_string_equal(s.name, "container_memory_usage_bytes");
	assert_int_equal(s.nlabels, 3);
	assert_string_equal(store_prom_label(&s, "pod"), "matter-server-0");
	assert_null(store_prom_label(&s, "node"));
	assert_true(s.value == 163840000.0);
	assert_true(s.has_ts);
	assert_int_equal(s.ts_ms, 1763000000123);
	assert_int_equal(prom("up 1", &s, &e), OD_OK);
	assert_false(s.has_ts);
	assert_int_equal(s.nlabels, 0);
	assert_int_equal(prom("m{a=\"x\\\"y\\\\z\\n\",} NaN\r", &s, &e), OD_OK);
	assert_string_equal(s.labels[0].value, "x\"y\\z\n");
	assert_true(isnan(s.value));
	assert_int_equal(prom("m -Inf 5", &s, &e), OD_OK);
	assert_true(isinf(s.value) && s.value < 0);
	assert_int_equal(prom("# TYPE m counter", &s, &e), OD_ENOENT);
	assert_int_equal(prom("   ", &s, &e), OD_ENOENT);
	assert_int_equal(prom("m{a=\"x} 1", &s, &e), OD_EPARSE);
	assert_int_equal(prom("m{a=x} 1", &s, &e), OD_EPARSE);
	assert_int_equal(prom("m 1 2 3", &s, &e), OD_EPARSE);
	assert_int_equal(prom("m 0x10", &s, &e), OD_EPARSE);
	assert_int_equal(prom("m inf", &s, &e), OD_EPARSE);
	assert_int_equal(prom("m 1 12.5", &s, &e), OD_EPARSE);
	assert_int_equal(prom("9m 1", &s, &e), OD_EPARSE);
	assert_int_equal(prom("m{a=\"\\q\"} 1", &s, &e), OD_EPARSE);
	char big[600];
	strcpy(big, "m{");
	for (int i = 0; i < 40; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "l%d=\"v\",", i);
	strcat(big, "} 1");
	assert_int_equal(prom(big, &s, &e), OD_ELIMIT);
	char longname[400];
	memset(longname, 'a', 300);
	strcpy(longname + 300, " 1");
	assert_int_equal(prom(longname, &s, &e), OD_ELIMIT);
	char *huge = malloc(PROM_LINE_MAX + 10);
	memset(huge, 'a', PROM_LINE_MAX + 9);
	huge[PROM_LINE_MAX + 9] = '\0';
	assert_int_equal(prom(huge, &s, &e), OD_ELIMIT);
	free(huge);
}

static int64_t date(const char *s)
{
	int64_t ts = -1;
	struct err e = { 0 };
	if (store_history_csv_parse_date(s, &ts, &e) != OD_OK)
		return -1;
	return ts;
}

static void test_csv_dates(void **state)
{
	(void)state;
	const int64_t want = 1795345740;   /* 2026-11-22T11:09:00Z */
	assert_int_equal(date("Sun Nov 22 11:09:00 UTC 2026"), want);
	assert_int_equal(date("Nov 22 11:09:00 UTC 2026"), want);
	assert_int_equal(date("Sun Nov 22 11:09:00 2026"), want);
	assert_int_equal(date("Sun 22 Nov 2026 11:09:00 AM UTC"), want);
	assert_int_equal(date("Sun 22 Nov 2026 12:09:00 PM CET"), want);
	assert_int_equal(date("Sun 22 Nov 2026 12:09:00 +0100"), want);
	assert_int_equal(date("Sun Nov 22 06:09:00 EST 2026"), want);
	assert_int_equal(date("2026-11-22T11:09:00Z"), want);
	assert_int_equal(date("2026-11-22T12:09:00+01:00"), want);
	assert_int_equal(date("2026-11-22 11:09:00"), want);
	assert_int_equal(date("2026-11-22T11:09:00.123Z"), want);
	assert_int_equal(date("2026-11-22"), want - (11 * 3600 + 9 * 60));
	assert_int_equal(date("Sun 22 Nov 2026 12:00:00 AM UTC"), want - (11 * 3600 + 9 * 60));
	assert_int_equal(date("Sun Nov 22 11:09:00 XYZ 2026"), -1);
	assert_int_equal(date("Sun Nov 31 11:09:00 UTC 2026"), -1);
	assert_int_equal(date("Sun Nov 22 2026"), -1);
	assert_int_equal(date("2026-13-01"), -1);
	assert_int_equal(date("yesterday"), -1);
	assert_int_equal(date("Sun 22 Nov 2026 13:09:00 PM UTC"), -1);
}

static enum od_status csv(const char *line, struct history_csv_state *stt,
			  struct history_csv_row *r)
{
	struct err e = { 0 };
	return store_history_csv_parse_line(line, strlen(line), stt, r, &e);
}

static void test_csv_lines(void **state)
{
	struct history_csv_state stt = { 0 };
	struct history_csv_row r;
	(void)state;
	assert_int_equal(csv("92m,200Mi", &stt, &r), OD_EPARSE);   /* no date yet */
	assert_int_equal(csv("Sun Nov 22 11:09:00 UTC 2026,87m,156Mi", &stt, &r), OD_OK);
	assert_int_equal(r.ts, 1795345740);
	assert_int_equal(r.index, 0);
	assert_int_equal(r.cpu_milli, 87);
	assert_int_equal(r.memory_bytes, 156 * 1048576LL);
	assert_int_equal(csv("92m,200Mi\r", &stt, &r), OD_OK);   /* a second pod, same time */
	assert_int_equal(r.ts, 1795345740);
	assert_int_equal(r.index, 1);
	assert_int_equal(r.cpu_milli, 92);
	assert_int_equal(csv("Mon Nov 23 11:09:00 UTC 2026,", &stt, &r), OD_ENOENT);   /* no pod */
	assert_int_equal(stt.ts, 1795345740 + 86400);
	assert_int_equal(csv("Mon Nov 23 11:10:00 UTC 2026,1,1Gi", &stt, &r), OD_OK);
	assert_int_equal(r.cpu_milli, 1000);
	assert_int_equal(r.memory_bytes, 1073741824LL);
	assert_int_equal(csv("date,cpu,memory", &stt, &r), OD_ENOENT);
	assert_int_equal(csv("", &stt, &r), OD_ENOENT);
	assert_int_equal(csv("# comment", &stt, &r), OD_ENOENT);
	assert_int_equal(csv("Mon Nov 23 11:10:00 UTC 2026,lots,1Gi", &stt, &r), OD_EPARSE);
	assert_int_equal(csv("Mon Nov 23 11:10:00 UTC 2026,1m,1Gi,x,y", &stt, &r), OD_EPARSE);
	assert_int_equal(csv("Mon Nov 23 11:10:00 UTC 2026,-5m,1Gi", &stt, &r), OD_EPARSE);
	char big[HISTORY_CSV_LINE_MAX + 20];
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(csv(big, &stt, &r), OD_ELIMIT);
}

#define WEEK_T0 1762128000LL   /* 2025-11-03T00:00:00Z, a Monday */
#define MI 1048576.0

/* Writes a backfilled week as opsdeck-sim would: one series after the other. */
static void write_prom_week(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	const int64_t n = 7 * 1440;   /* one sample a minute */
	fprintf(f, "# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed\n");
	fprintf(f, "# TYPE container_cpu_usage_seconds_total counter\n");
	/* matter: a steady 100m; ha: 250m with a counter reset (container restart) mid-week. */
	double c = 5000;
	for (int64_t i = 0; i < n; i++, c += 6.0)
		fprintf(f, "container_cpu_usage_seconds_total{namespace=\"home-automation\",pod=\"matter-server-0\",container=\"matter-server\"} %.3f %lld\n",
			c, (long long)((WEEK_T0 + i * 60) * 1000));
	c = 0;
	for (int64_t i = 0; i < n; i++, c += 15.0) {
		if (i == n / 2)
			c = 0.5;
		fprintf(f, "container_cpu_usage_seconds_total{namespace=\"home-automation\",pod=\"ha-0\",container=\"ha\"} %.3f %lld\n",
			c, (long long)((WEEK_T0 + i * 60) * 1000));
	}
	/* cAdvisor's pod-level row and the pause container are not containers. */
	fprintf(f, "container_cpu_usage_seconds_total{namespace=\"home-automation\",pod=\"ha-0\",container=\"\"} 1 %lld\n",
		(long long)WEEK_T0 * 1000);
	fprintf(f, "container_cpu_usage_seconds_total{namespace=\"home-automation\",pod=\"ha-0\",container=\"POD\"} 1 %lld\n",
		(long long)WEEK_T0 * 1000);
	for (int64_t i = 0; i < n; i++) {
		double mem = 200 * MI + 50 * MI * sin(2 * M_PI * (double)i / 1440.0);
		fprintf(f, "container_memory_usage_bytes{namespace=\"home-automation\",pod=\"matter-server-0\",container=\"matter-server\"} %.0f %lld\n",
			mem, (long long)((WEEK_T0 + i * 60) * 1000));
	}
	for (int64_t i = 0; i < n; i++) {
		int64_t ts = (WEEK_T0 + i * 60) * 1000;
		fprintf(f, "kubelet_volume_stats_used_bytes{namespace=\"home-automation\",persistentvolumeclaim=\"matter-data\"} %lld %lld\n",
			(long long)(1073741824LL + i * 1024), (long long)ts);
		fprintf(f, "kubelet_volume_stats_capacity_bytes{namespace=\"home-automation\",persistentvolumeclaim=\"matter-data\"} 10737418240 %lld\n",
			(long long)ts);
		fprintf(f, "kube_pod_container_status_restarts_total{namespace=\"home-automation\",pod=\"ha-0\",container=\"ha\"} %d %lld\n",
			i < n / 2 ? 0 : 1, (long long)ts);
		fprintf(f, "kube_pod_status_ready{namespace=\"home-automation\",pod=\"ha-0\",condition=\"true\"} %d %lld\n",
			i == n / 2 ? 0 : 1, (long long)ts);
		fprintf(f, "kube_pod_status_ready{namespace=\"home-automation\",pod=\"ha-0\",condition=\"false\"} %d %lld\n",
			i == n / 2 ? 1 : 0, (long long)ts);
	}
	fprintf(f, "node_load1 0.5 %lld\n", (long long)WEEK_T0 * 1000);
	fclose(f);
}

static int64_t sid(struct store *st, enum store_kind k, const char *obj, const char *ctr,
		   enum store_metric m)
{
	struct err e = { 0 };
	int64_t id = 0;
	struct store_series_key key = { "sim", "home-automation", k, obj, ctr, m };
	assert_int_equal(store_series_id(st, &key, false, &id, &e), OD_OK);
	return id;
}

static void week_summary(struct store *st, int64_t id, struct store_summary *sum)
{
	struct store_query_result r;
	struct err e = { 0 };
	assert_int_equal(store_series_query(st, id, WEEK_T0, WEEK_T0 + 7 * 86400, 0, &r, &e), OD_OK);
	assert_int_equal(r.tier, STORE_TIER_1);   /* a week at the default step (14 min): 5-minute rollups */
	store_summary_compute(&r, sum);
	store_query_result_free(&r);
}

static void test_import_prom_week(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	char path[600];
	struct store_import_stats stats;
	struct store_summary sum;
	(void)state;
	tmp_db_init(&t, NULL);
	snprintf(path, sizeof(path), "%s/week.prom", t.dir);
	write_prom_week(path);
	struct store *st = tmp_db_open(&t, NULL);
	struct store_import_opts opts = { .context = "sim" };
	assert_int_equal(store_import_file(st, path, &opts, &stats, &e), OD_OK);
	assert_int_equal(stats.skipped, 2 + 7 * 1440 + 1);
	assert_int_equal(stats.first_ts, WEEK_T0);
	assert_int_equal(stats.last_ts, WEEK_T0 + 7 * 86400 - 60);
	assert_int_equal(store_samples_maintain(st, stats.last_ts + 60, NULL, &e), OD_OK);

	week_summary(st, sid(st, STORE_KIND_POD, "matter-server-0", "matter-server", STORE_METRIC_CPU), &sum);
	assert_int_equal(sum.min, 100);
	assert_int_equal(sum.max, 100);
	assert_int_equal(sum.count, 7 * 1440 - 1);   /* a rate needs two samples */
	week_summary(st, sid(st, STORE_KIND_POD, "ha-0", "ha", STORE_METRIC_CPU), &sum);
	assert_int_equal(sum.min, 250);
	assert_int_equal(sum.max, 250);
	assert_int_equal(sum.count, 7 * 1440 - 2);   /* and the reset drops one interval */
	week_summary(st, sid(st, STORE_KIND_POD, "matter-server-0", "matter-server", STORE_METRIC_MEMORY), &sum);
	assert_true(fabs(sum.avg - 200 * MI) < 200 * MI * 0.001);
	assert_true(fabs((double)sum.max - 250 * MI) < 1.0);
	assert_true(fabs((double)sum.min - 150 * MI) < 1.0);
	week_summary(st, sid(st, STORE_KIND_PVC, "matter-data", NULL, STORE_METRIC_STORAGE_CAPACITY), &sum);
	assert_int_equal(sum.min, 10737418240LL);
	week_summary(st, sid(st, STORE_KIND_PVC, "matter-data", NULL, STORE_METRIC_STORAGE_USED), &sum);
	assert_int_equal(sum.max, 1073741824LL + (7 * 1440 - 1) * 1024);
	week_summary(st, sid(st, STORE_KIND_POD, "ha-0", "ha", STORE_METRIC_RESTARTS), &sum);
	assert_int_equal(sum.max, 1);
	week_summary(st, sid(st, STORE_KIND_POD, "ha-0", NULL, STORE_METRIC_READY), &sum);
	assert_int_equal(sum.min, 0);
	assert_int_equal(sum.count, 7 * 1440);
	/* Importing the same file again, in small transactions this time, changes
	 * no figure: the same ticks are replaced, counters carry across batches. */
	opts.batch = 5000;
	assert_int_equal(store_import_file(st, path, &opts, &stats, &e), OD_OK);
	assert_int_equal(stats.samples, 7 * 1440 * 7 - 2 - 1);
	assert_int_equal(store_samples_maintain(st, stats.last_ts + 60, NULL, &e), OD_OK);
	week_summary(st, sid(st, STORE_KIND_POD, "ha-0", "ha", STORE_METRIC_CPU), &sum);
	assert_int_equal(sum.count, 7 * 1440 - 2);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_import_errors(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	char path[600];
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	snprintf(path, sizeof(path), "%s/bad.prom", t.dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "container_memory_usage_bytes{namespace=\"a\",pod=\"p\",container=\"c\"} 1 1000\n");
	fprintf(f, "container_memory_usage_bytes{namespace=\"a\",pod=\"p\" 1 1000\n");
	fclose(f);
	struct store_import_opts opts = { .context = "sim" };
	assert_int_equal(store_import_file(st, path, &opts, NULL, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "bad.prom:2: "));
	snprintf(path, sizeof(path), "%s/nots.prom", t.dir);
	f = fopen(path, "w");
	fprintf(f, "container_memory_usage_bytes{namespace=\"a\",pod=\"p\",container=\"c\"} 1\n");
	fclose(f);
	assert_int_equal(store_import_file(st, path, &opts, NULL, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "timestamp"));
	opts.default_ts_ms = 1762128000000;
	assert_int_equal(store_import_file(st, path, &opts, NULL, &e), OD_OK);
	snprintf(path, sizeof(path), "%s/long.prom", t.dir);
	f = fopen(path, "w");
	for (int i = 0; i < PROM_LINE_MAX + 100; i++)
		fputc('a', f);
	fputc('\n', f);
	fclose(f);
	assert_int_equal(store_import_file(st, path, &opts, NULL, &e), OD_ELIMIT);
	assert_int_equal(store_import_file(st, "/nonexistent/x.prom", &opts, NULL, &e), OD_ENOENT);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_import_runbook_csv(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	char path[600];
	struct store_import_stats stats;
	struct store_query_result r;
	struct store_summary sum;
	(void)state;
	tmp_db_init(&t, NULL);
	snprintf(path, sizeof(path), "%s/matter-resources.csv", t.dir);
	FILE *f = fopen(path, "w");
	/* As `echo "$(date),$(kubectl top ... | awk ...)" >> matter-resources.csv` writes it. */
	const int cpu[7] = { 87, 92, 110, 75, 130, 98, 101 };
	const char *days[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	for (int d = 0; d < 7; d++) {
		fprintf(f, "%s Nov %2d 08:00:00 UTC 2025,%dm,%dMi\n", days[d], 3 + d, cpu[d], 150 + d);
		if (d == 3)
			fprintf(f, "40m,100Mi\n");   /* a second pod matched that day */
	}
	fprintf(f, "Mon Nov 10 08:00:00 UTC 2025,\n");   /* the pod was down */
	fclose(f);
	struct store *st = tmp_db_open(&t, NULL);
	struct store_import_opts opts = { .context = "prod", .namespace = "home-automation",
					  .object = "matter-server" };
	assert_int_equal(store_import_file(st, path, &opts, &stats, &e), OD_OK);
	assert_int_equal(stats.samples, 16);
	assert_int_equal(store_samples_maintain(st, WEEK_T0 + 8 * 86400, NULL, &e), OD_OK);
	int64_t id = 0;
	struct store_series_key k = { "prod", "home-automation", STORE_KIND_POD, "matter-server",
				      NULL, STORE_METRIC_CPU };
	assert_int_equal(store_series_id(st, &k, false, &id, &e), OD_OK);
	assert_int_equal(store_series_query(st, id, WEEK_T0, WEEK_T0 + 7 * 86400, 0, &r, &e), OD_OK);
	store_summary_compute(&r, &sum);
	/* The runbook's "Weekly avg CPU": tail -7 | awk '{cpu+=$2} END {print cpu/7}'. */
	assert_true(fabs(sum.avg - (87 + 92 + 110 + 75 + 130 + 98 + 101) / 7.0) < 1e-9);
	assert_int_equal(sum.max, 130);
	assert_int_equal(sum.count, 7);
	store_query_result_free(&r);
	k.object = "matter-server#2";
	k.metric = STORE_METRIC_MEMORY;
	assert_int_equal(store_series_id(st, &k, false, &id, &e), OD_OK);
	/* Without a namespace and pod a CSV cannot be placed. */
	struct store_import_opts bare = { .context = "prod" };
	assert_int_equal(store_import_file(st, path, &bare, NULL, &e), OD_EINVAL);
	store_close(&st);
	tmp_db_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prom_lines),
		cmocka_unit_test(test_csv_dates),
		cmocka_unit_test(test_csv_lines),
		cmocka_unit_test(test_import_prom_week),
		cmocka_unit_test(test_import_errors),
		cmocka_unit_test(test_import_runbook_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
