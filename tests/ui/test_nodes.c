/*
 * test_nodes.c: a Node object reduced to a row of the Nodes pane: kubectl's
 * STATUS (Ready/NotReady/Unknown, SchedulingDisabled) and ROLES, pressure
 * conditions, kubelet version and allocatable CPU/memory; malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opsdeck/ui_nodes.h"

static enum od_status parse(const char *json, struct node_view *v, struct err *e)
{
	cJSON *o = cJSON_Parse(json);
	enum od_status rc;

	assert_non_null(o);
	rc = nodeview_from_json(v, o, e);
	cJSON_Delete(o);
	return rc;
}

static void test_ready_worker(void **state)
{
	struct node_view v;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse("{\"metadata\":{\"name\":\"node-1\","
			       "\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
			       "\"labels\":{\"node-role.kubernetes.io/worker\":\"\","
			       "\"node-role.kubernetes.io/gpu\":\"\",\"zone\":\"a\"}},"
			       "\"status\":{\"conditions\":[{\"type\":\"MemoryPressure\","
			       "\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}],"
			       "\"nodeInfo\":{\"kubeletVersion\":\"v1.32.0\"},"
			       "\"allocatable\":{\"cpu\":\"3500m\",\"memory\":\"16Gi\"}}}",
			       &v, &e),
			 OD_OK);
	assert_string_equal(v.name, "node-1");
	assert_string_equal(v.status, "Ready");
	assert_true(strcmp(v.roles, "worker,gpu") == 0 || strcmp(v.roles, "gpu,worker") == 0);
	assert_string_equal(v.version, "v1.32.0");
	assert_string_equal(v.pressure, "");
	assert_int_equal(v.created, 1767225600);
	assert_int_equal(v.cpu_alloc_m, 3500);
	assert_int_equal(v.mem_alloc_b, 16LL << 30);
}

static void test_not_ready_pressure_cordoned(void **state)
{
	struct node_view v;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse("{\"metadata\":{\"name\":\"n2\"},\"spec\":{\"unschedulable\":true},"
			       "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},"
			       "{\"type\":\"DiskPressure\",\"status\":\"True\"},"
			       "{\"type\":\"PIDPressure\",\"status\":\"True\"}]}}",
			       &v, &e),
			 OD_OK);
	assert_string_equal(v.status, "NotReady,SchedulingDisabled");
	assert_string_equal(v.roles, "<none>");
	assert_string_equal(v.pressure, "Disk,PID");
	assert_int_equal(v.cpu_alloc_m, -1);
	assert_int_equal(v.mem_alloc_b, -1);
	assert_int_equal(v.created, 0);
}

static void test_unknown_and_malformed(void **state)
{
	struct node_view v;
	struct err e = { 0 };

	(void)state;
	/* No Ready condition: Unknown, as kubectl prints it. */
	assert_int_equal(parse("{\"metadata\":{\"name\":\"n3\"},\"status\":{\"conditions\":"
			       "[{\"type\":\"Ready\",\"status\":\"Unknown\"}],"
			       "\"allocatable\":{\"cpu\":\"lots\"}}}", &v, &e),
			 OD_OK);
	assert_string_equal(v.status, "Unknown");
	assert_int_equal(v.cpu_alloc_m, -1);
	assert_int_equal(parse("{\"metadata\":{}}", &v, &e), OD_EPARSE);
	assert_int_equal(parse("[1,2]", &v, &e), OD_EPARSE);
	assert_int_equal(parse("{\"metadata\":{\"name\":7}}", &v, &e), OD_EPARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_worker),
		cmocka_unit_test(test_not_ready_pressure_cordoned),
		cmocka_unit_test(test_unknown_and_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
