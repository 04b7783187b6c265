/*
 * test_collect_metrics.c: the collector's parsers — PodMetrics and
 * NodeMetrics lists as metrics-server serves them, the kubelet stats
 * summary, core/v1 and events.k8s.io/v1 Events — and the pure helpers
 * (workload names from owners, the namespace scope).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/collect.h"
#include "opsdeck/collect_metrics.h"
#include "opsdeck/collect_scope.h"

#define MAXU 16

struct got {
	struct collect_usage u[MAXU];
	char names[MAXU][3][64];
	struct collect_volume v[MAXU];
	size_t n;
};

static void keep(char *dst, const char *s)
{
	snprintf(dst, 64, "%s", s ? s : "(null)");
}

static enum od_status on_usage(void *arg, const struct collect_usage *u, struct err *e)
{
	struct got *g = arg;

	(void)e;
	assert_true(g->n < MAXU);
	g->u[g->n] = *u;
	keep(g->names[g->n][0], u->namespace_);
	keep(g->names[g->n][1], u->name);
	keep(g->names[g->n][2], u->container);
	g->n++;
	return OD_OK;
}

static enum od_status on_volume(void *arg, const struct collect_volume *v, struct err *e)
{
	struct got *g = arg;

	(void)e;
	assert_true(g->n < MAXU);
	g->v[g->n] = *v;
	keep(g->names[g->n][0], v->namespace_);
	keep(g->names[g->n][1], v->pvc);
	keep(g->names[g->n][2], v->pod);
	g->n++;
	return OD_OK;
}

static const char pod_metrics[] =
	"{\"kind\":\"PodMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},"
	"\"items\":[{\"metadata\":{\"name\":\"matter-server-0\",\"namespace\":\"home-automation\","
	"\"creationTimestamp\":\"2026-11-22T11:00:05Z\"},\"timestamp\":\"2026-11-22T11:00:00Z\","
	"\"window\":\"15.012s\",\"containers\":[{\"name\":\"matter-server\",\"usage\":"
	"{\"cpu\":\"87123456n\",\"memory\":\"159744Ki\"}},{\"name\":\"sidecar\",\"usage\":"
	"{\"cpu\":\"1m\",\"memory\":\"10Mi\"}}]},"
	"{\"metadata\":{\"name\":\"no-time\",\"namespace\":\"x\"},\"containers\":[]}]}";

static void test_pod_metrics(void **state)
{
	struct got g = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_parse_pod_metrics(pod_metrics, strlen(pod_metrics), on_usage, &g,
						   &e), OD_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.names[0][0], "home-automation");
	assert_string_equal(g.names[0][1], "matter-server-0");
	assert_string_equal(g.names[0][2], "matter-server");
	/* kubectl top rounds nanocores up to the next millicore. */
	assert_int_equal(g.u[0].cpu_milli, 88);
	assert_int_equal(g.u[0].memory_bytes, 159744 * 1024);
	assert_int_equal(g.u[0].ts, 1795345200);
	assert_int_equal(g.u[0].window_s, 15);
	assert_int_equal(g.u[1].cpu_milli, 1);
	assert_int_equal(g.u[1].memory_bytes, 10 * 1024 * 1024);
}

static void test_node_metrics(void **state)
{
	static const char body[] =
		"{\"kind\":\"NodeMetricsList\",\"items\":[{\"metadata\":{\"name\":\"mini-1\"},"
		"\"timestamp\":\"2026-11-22T11:00:10Z\",\"window\":\"20s\",\"usage\":"
		"{\"cpu\":\"250m\",\"memory\":\"2Gi\"}}]}";
	struct got g = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_parse_node_metrics(body, strlen(body), on_usage, &g, &e), OD_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.names[0][1], "mini-1");
	assert_string_equal(g.names[0][0], "(null)");
	assert_int_equal(g.u[0].cpu_milli, 250);
	assert_int_equal(g.u[0].memory_bytes, 2LL << 30);
	assert_int_equal(g.u[0].ts, 1795345210);
}

/* Found by fuzz/collect_metrics: a negative usage, or a number past int64, is unknown. */
static void test_negative_usage(void **state)
{
	static const char body[] =
		"{\"items\":[{\"metadata\":{\"name\":\"n\"},\"timestamp\":\"2026-11-22T11:00:10Z\","
		"\"usage\":{\"cpu\":\"-50m\",\"memory\":\"-1Gi\"}}]}";
	static const char summary[] =
		"{\"pods\":[{\"podRef\":{\"name\":\"p\",\"namespace\":\"ns\"},\"volume\":[{\"time\":"
		"\"2026-11-22T11:00:20Z\",\"usedBytes\":1e300,\"capacityBytes\":-5,\"pvcRef\":"
		"{\"name\":\"c\"}}]}]}";
	struct got g = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_parse_node_metrics(body, strlen(body), on_usage, &g, &e), OD_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.u[0].cpu_milli, -1);
	assert_int_equal(g.u[0].memory_bytes, -1);
	g.n = 0;
	assert_int_equal(collect_parse_stats_summary(summary, strlen(summary), on_volume, &g, &e),
			 OD_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.v[0].used_bytes, -1);
	assert_int_equal(g.v[0].capacity_bytes, -1);
}

static void test_bad_json(void **state)
{
	struct got g = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_parse_pod_metrics("{\"items\":[", 10, on_usage, &g, &e),
			 OD_EPARSE);
	assert_int_equal(collect_parse_node_metrics("{\"items\":3}", 11, on_usage, &g, &e),
			 OD_EPARSE);
	assert_int_equal(collect_parse_stats_summary("nope", 4, on_volume, &g, &e), OD_EPARSE);
	assert_int_equal(g.n, 0);
}

static void test_stats_summary(void **state)
{
	static const char body[] =
		"{\"node\":{\"nodeName\":\"mini-1\",\"cpu\":{\"time\":\"2026-11-22T11:00:30Z\"}},"
		"\"pods\":[{\"podRef\":{\"name\":\"matter-server-0\",\"namespace\":\"home-automation\"},"
		"\"volume\":[{\"time\":\"2026-11-22T11:00:20Z\",\"availableBytes\":800,"
		"\"capacityBytes\":1000,\"usedBytes\":200,\"name\":\"data\",\"pvcRef\":{\"name\":"
		"\"matter-server-data\",\"namespace\":\"home-automation\"}},"
		"{\"name\":\"kube-api-access\",\"usedBytes\":12}]},"
		"{\"podRef\":{\"name\":\"db-0\",\"namespace\":\"matrix\"},\"volume\":[{\"usedBytes\":5,"
		"\"name\":\"pg\",\"pvcRef\":{\"name\":\"pg-data\"}}]}]}";
	struct got g = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_parse_stats_summary(body, strlen(body), on_volume, &g, &e), OD_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.names[0][1], "matter-server-data");
	assert_int_equal(g.v[0].used_bytes, 200);
	assert_int_equal(g.v[0].capacity_bytes, 1000);
	assert_int_equal(g.v[0].available_bytes, 800);
	assert_int_equal(g.v[0].ts, 1795345220);
	/* No namespace in pvcRef: the pod's; no time: the node's; absent numbers -1. */
	assert_string_equal(g.names[1][0], "matrix");
	assert_string_equal(g.names[1][2], "db-0");
	assert_int_equal(g.v[1].ts, 1795345230);
	assert_int_equal(g.v[1].capacity_bytes, -1);
}

static void test_event_core(void **state)
{
	static const char body[] =
		"{\"kind\":\"Event\",\"metadata\":{\"name\":\"p.1\",\"namespace\":\"ns\",\"uid\":\"u1\","
		"\"creationTimestamp\":\"2026-11-22T10:00:00Z\"},\"involvedObject\":{\"kind\":\"Pod\","
		"\"name\":\"p\"},\"reason\":\"BackOff\",\"message\":\"Back-off restarting\",\"type\":"
		"\"Warning\",\"count\":7,\"firstTimestamp\":\"2026-11-22T10:00:01Z\",\"lastTimestamp\":"
		"\"2026-11-22T10:05:00Z\",\"source\":{\"component\":\"kubelet\"}}";
	cJSON *obj = cJSON_Parse(body);
	struct store_event ev;
	struct err e = { 0 };

	(void)state;
	assert_non_null(obj);
	assert_int_equal(collect_event_from_json(obj, &ev, &e), OD_OK);
	assert_string_equal(ev.uid, "u1");
	assert_string_equal(ev.namespace, "ns");
	assert_string_equal(ev.type, "Warning");
	assert_string_equal(ev.reason, "BackOff");
	assert_string_equal(ev.obj_kind, "Pod");
	assert_string_equal(ev.obj_name, "p");
	assert_string_equal(ev.source, "kubelet");
	assert_int_equal(ev.count, 7);
	assert_int_equal(ev.first_seen, 1795341601);
	assert_int_equal(ev.last_seen, 1795341900);
	cJSON_Delete(obj);
}

static void test_event_series(void **state)
{
	/* events.k8s.io/v1: regarding, note, eventTime and series. */
	static const char body[] =
		"{\"kind\":\"Event\",\"metadata\":{\"namespace\":\"ns\",\"uid\":\"u2\"},"
		"\"regarding\":{\"kind\":\"Pod\",\"name\":\"q\"},\"note\":\"Readiness probe failed\","
		"\"reason\":\"Unhealthy\",\"type\":\"Warning\",\"eventTime\":"
		"\"2026-11-22T10:00:00.123456Z\",\"reportingController\":\"kubelet\",\"series\":"
		"{\"count\":3,\"lastObservedTime\":\"2026-11-22T10:02:00.000001Z\"}}";
	static const char no_uid[] = "{\"metadata\":{},\"reason\":\"x\"}";
	cJSON *obj = cJSON_Parse(body), *bad = cJSON_Parse(no_uid);
	struct store_event ev;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_event_from_json(obj, &ev, &e), OD_OK);
	assert_string_equal(ev.message, "Readiness probe failed");
	assert_string_equal(ev.obj_name, "q");
	assert_string_equal(ev.source, "kubelet");
	assert_int_equal(ev.count, 3);
	assert_int_equal(ev.first_seen, 1795341600);
	assert_int_equal(ev.last_seen, 1795341720);
	assert_int_equal(collect_event_from_json(bad, &ev, &e), OD_EPARSE);
	cJSON_Delete(obj);
	cJSON_Delete(bad);
}

static void test_workload_of(void **state)
{
	char k[32], n[64];

	(void)state;
	collect_workload_of("ReplicaSet", "matter-server-72zwb7th8m", k, sizeof(k), n, sizeof(n));
	assert_string_equal(k, "Deployment");
	assert_string_equal(n, "matter-server");
	collect_workload_of("StatefulSet", "synapse-db", k, sizeof(k), n, sizeof(n));
	assert_string_equal(k, "StatefulSet");
	assert_string_equal(n, "synapse-db");
	collect_workload_of(NULL, NULL, k, sizeof(k), n, sizeof(n));
	assert_string_equal(k, "");
}

static void test_scope(void **state)
{
	struct collect_scope s = { 0 };
	struct context_settings cs = { .nprofiles = 1, .profiles = { "nope" } };
	char missing[64];
	struct err e = { 0 };

	(void)state;
	assert_int_equal(collect_scope_build(&s, false, "ctx", "web", NULL, &cs, missing,
					     sizeof(missing), &e), OD_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.namespaces[0], "web");
	assert_string_equal(missing, "nope");
	/* Sorted and unique. */
	assert_int_equal(collect_scope_add(&s, "alpha", &e), OD_OK);
	assert_int_equal(collect_scope_add(&s, "web", &e), OD_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.namespaces[0], "alpha");
	collect_scope_clear(&s);
	assert_int_equal(collect_scope_build(&s, true, "ctx", "web", NULL, NULL, NULL, 0, &e),
			 OD_OK);
	assert_true(s.all);
	assert_int_equal(s.n, 0);
	for (int i = 0; i < COLLECT_SCOPE_MAX; i++) {
		char ns[16];

		snprintf(ns, sizeof(ns), "ns-%03d", i);
		assert_int_equal(collect_scope_add(&s, ns, &e), OD_OK);
	}
	assert_int_equal(collect_scope_add(&s, "one-more", &e), OD_ELIMIT);
	collect_scope_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pod_metrics),
		cmocka_unit_test(test_node_metrics),
		cmocka_unit_test(test_negative_usage),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_stats_summary),
		cmocka_unit_test(test_event_core),
		cmocka_unit_test(test_event_series),
		cmocka_unit_test(test_workload_of),
		cmocka_unit_test(test_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
