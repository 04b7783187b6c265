/*
 * test_checks.c: the check runner's pure logic with a scripted API
 * (struct check_env's api_get answers from a table): log line masking and
 * grouping, the report's filled-in template lines, pods_ready,
 * rollout_complete (kubectl's rules), snapshot_recent, backup_job and the
 * UNKNOWN reasons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/runbook_checks.h"
#include "opsdeck/runbook_report.h"

struct canned {
	const char *path_prefix;
	long code;
	const char *body;
};

static const struct canned *canned_table;

static enum od_status fake_get(void *arg, const char *path, struct buf *body, long *code,
			       struct err *e)
{
	(void)arg;
	for (const struct canned *c = canned_table; c && c->path_prefix; c++) {
		if (strncmp(path, c->path_prefix, strlen(c->path_prefix)) == 0) {
			*code = c->code;
			buf_reset(body);
			return buf_append_str(body, c->body, e);
		}
	}
	*code = 404;
	return OD_OK;
}

static struct profile test_profile;
static char *ns_list[] = { "ns" };

static void env_init(struct check_env *env, const struct canned *table)
{
	canned_table = table;
	memset(env, 0, sizeof(*env));
	memset(&test_profile, 0, sizeof(test_profile));
	test_profile.name = "t";
	test_profile.namespaces.v = ns_list;
	test_profile.namespaces.n = 1;
	env->api_get = fake_get;
	env->profile = &test_profile;
	env->context = "ctx";
	env->now = 1795348800;   /* 2026-11-22T12:00:00Z */
}

static void item_init(struct checklist_item *it, enum check_kind k)
{
	memset(it, 0, sizeof(*it));
	it->id = "x";
	it->text = "x";
	it->check.kind = k;
	it->check.max = -1;
	it->check.min = -1;
	it->check.tail = -1;
	it->check.top = -1;
	it->check.min_days_to_full = -1;
}

static void test_log_mask(void **state)
{
	char out[256];
	const char *l1 = "2026-11-22T10:56:40.123Z INFO req 3f2a9c1e-1b2c-4d5e-8f90-0123456789ab "
			 "from 10.0.3.7 took 42ms node12 id=deadbeef99 ptr 0x7ffe";

	(void)state;
	check_log_mask(l1, strlen(l1), out, sizeof(out));
	assert_string_equal(out, "<ts> INFO req <uuid> from <ip> took <n>ms node<n> id=<hex> ptr <hex>");
	check_log_mask("plain words only", 16, out, sizeof(out));
	assert_string_equal(out, "plain words only");
	check_log_mask("abcdef", 6, out, 4);
	assert_int_equal(strlen(out), 3);
}

static void test_item_label(void **state)
{
	struct checklist_item it;
	char *texts[] = { "CPU usage: ___m (target: <200m)" };
	char *texts2[] = { "Storage usage: __% (target: <80%)" };
	char out[256];

	(void)state;
	item_init(&it, CHECK_CPU);
	it.text = "CPU usage (target: <200m)";
	it.source.texts.v = texts;
	it.source.texts.n = 1;
	report_item_label(&it, "87m", "target: <200m", out, sizeof(out));
	assert_string_equal(out, "CPU usage: 87m (target: <200m)");
	it.source.texts.v = texts2;
	report_item_label(&it, "72.5%", "target: <80%", out, sizeof(out));
	assert_string_equal(out, "Storage usage: 72.5% (target: <80%)");
	it.source.texts.n = 0;
	it.text = "Memory weekly average";
	report_item_label(&it, "300Mi", "target: <400Mi", out, sizeof(out));
	assert_string_equal(out, "Memory weekly average: 300Mi (target: <400Mi)");
	report_item_label(&it, "", "", out, sizeof(out));
	assert_string_equal(out, "Memory weekly average");
}

static const struct canned pods_half[] = {
	{ "/api/v1/namespaces/ns/pods", 200,
	  "{\"items\":[{\"metadata\":{\"name\":\"a\"},\"status\":{\"phase\":\"Running\","
	  "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
	  "{\"metadata\":{\"name\":\"b\"},\"status\":{\"phase\":\"Pending\"}},"
	  "{\"metadata\":{\"name\":\"done\"},\"status\":{\"phase\":\"Succeeded\"}}]}" },
	{ NULL, 0, NULL }
};

static void test_pods_ready(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	env_init(&env, pods_half);
	item_init(&it, CHECK_PODS_READY);
	it.check.selector = "app=x";
	assert_int_equal(check_run(&env, &it, &r, &e), OD_OK);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.value, "1/2 Running and Ready");
	assert_non_null(strstr(r.evidence, "not ready: b (Pending)"));
}

static const struct canned nodes_one_down[] = {
	{ "/api/v1/nodes", 200,
	  "{\"items\":[{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"unschedulable\":true},"
	  "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
	  "{\"metadata\":{\"name\":\"n2\"},\"status\":{\"conditions\":["
	  "{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
	  "{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}]}" },
	{ NULL, 0, NULL }
};

static const struct canned nodes_all_ready[] = {
	{ "/api/v1/nodes", 200,
	  "{\"items\":[{\"metadata\":{\"name\":\"n1\"},"
	  "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}]}" },
	{ NULL, 0, NULL }
};

static const struct canned nodes_forbidden[] = {
	{ "/api/v1/nodes", 403, "{\"kind\":\"Status\",\"message\":\"nodes is forbidden\"}" },
	{ NULL, 0, NULL }
};

static void test_nodes_ready(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	item_init(&it, CHECK_NODES_READY);
	env_init(&env, nodes_one_down);
	assert_int_equal(check_run(&env, &it, &r, &e), OD_OK);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.value, "1/2 Ready");
	assert_string_equal(r.threshold, "all Ready");
	assert_non_null(strstr(r.evidence, "not ready: n2 (Ready=Unknown)"));
	assert_non_null(strstr(r.evidence, "n1: Ready, SchedulingDisabled"));
	env_init(&env, nodes_all_ready);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_PASS);
	assert_string_equal(r.value, "1/1 Ready");
	assert_string_equal(r.source, "nodes (API)");
	env_init(&env, nodes_forbidden);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_UNKNOWN);
	assert_non_null(strstr(r.evidence, "list nodes"));
}

static const struct canned deploy_rolling[] = {
	{ "/apis/apps/v1/namespaces/ns/deployments/web", 200,
	  "{\"metadata\":{\"generation\":3},\"spec\":{\"replicas\":2},\"status\":{"
	  "\"observedGeneration\":3,\"replicas\":3,\"updatedReplicas\":1,\"availableReplicas\":2}}" },
	{ NULL, 0, NULL }
};

static const struct canned deploy_old_pending[] = {
	{ "/apis/apps/v1/namespaces/ns/deployments/web", 200,
	  "{\"metadata\":{\"generation\":3},\"spec\":{\"replicas\":2},\"status\":{"
	  "\"observedGeneration\":3,\"replicas\":3,\"updatedReplicas\":2,\"availableReplicas\":2}}" },
	{ NULL, 0, NULL }
};

static const struct canned deploy_done[] = {
	{ "/apis/apps/v1/namespaces/ns/deployments/web", 200,
	  "{\"metadata\":{\"generation\":3},\"spec\":{\"replicas\":2},\"status\":{"
	  "\"observedGeneration\":3,\"replicas\":2,\"updatedReplicas\":2,\"availableReplicas\":2}}" },
	{ NULL, 0, NULL }
};

static void test_rollout(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	item_init(&it, CHECK_ROLLOUT_COMPLETE);
	it.check.workload = "deployment/web";
	env_init(&env, deploy_rolling);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.evidence, "1 out of 2 new replicas have been updated");
	env_init(&env, deploy_old_pending);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.evidence, "1 old replicas are pending termination");
	env_init(&env, deploy_done);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_PASS);
	assert_string_equal(r.value, "complete");
}

static const struct canned snaps[] = {
	{ "/apis/snapshot.storage.k8s.io/v1/namespaces/ns/volumesnapshots", 200,
	  "{\"items\":[{\"metadata\":{\"name\":\"old\"},\"spec\":{\"source\":{"
	  "\"persistentVolumeClaimName\":\"data\"}},\"status\":{\"readyToUse\":true,"
	  "\"creationTime\":\"2026-11-20T09:20:00Z\"}},"
	  "{\"metadata\":{\"name\":\"new\"},\"spec\":{\"source\":{"
	  "\"persistentVolumeClaimName\":\"data\"}},\"status\":{\"readyToUse\":false,"
	  "\"creationTime\":\"2026-11-22T11:00:00Z\"}},"
	  "{\"metadata\":{\"name\":\"other\"},\"spec\":{\"source\":{"
	  "\"persistentVolumeClaimName\":\"x\"}},\"status\":{\"readyToUse\":true,"
	  "\"creationTime\":\"2026-11-22T09:00:00Z\"}}]}" },
	{ NULL, 0, NULL }
};

static void test_snapshot(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	env_init(&env, snaps);
	item_init(&it, CHECK_SNAPSHOT_RECENT);
	it.check.pvc = "data";
	it.check.max_age_ns = INT64_C(25) * 3600 * 1000000000;
	check_run(&env, &it, &r, &e);
	/* the newest is young enough but not ready to use */
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.value, "60m");
	assert_non_null(strstr(r.evidence, "newest: new, readyToUse=false"));
	it.check.pvc = "none";
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.value, "none");
}

static const struct canned jobs[] = {
	{ "/apis/batch/v1/namespaces/ns/jobs", 200,
	  "{\"items\":[{\"metadata\":{\"name\":\"b-1\",\"ownerReferences\":[{\"kind\":\"CronJob\","
	  "\"name\":\"b\"}]},\"status\":{\"completionTime\":\"2026-11-21T03:00:00Z\","
	  "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}},"
	  "{\"metadata\":{\"name\":\"b-2\",\"ownerReferences\":[{\"kind\":\"CronJob\","
	  "\"name\":\"b\"}]},\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\","
	  "\"lastTransitionTime\":\"2026-11-22T03:00:00Z\"}]}},"
	  "{\"metadata\":{\"name\":\"b-3\",\"ownerReferences\":[{\"kind\":\"CronJob\","
	  "\"name\":\"b\"}]},\"status\":{\"active\":1}}]}" },
	{ NULL, 0, NULL }
};

static void test_backup_job(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	env_init(&env, jobs);
	item_init(&it, CHECK_BACKUP_JOB);
	it.check.job = "cronjob/b";
	it.check.max_age_ns = INT64_C(48) * 3600 * 1000000000;
	check_run(&env, &it, &r, &e);
	/* the running b-3 is ignored; the last finished run, b-2, failed */
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.evidence, "last run: job b-2 failed");
}

static void test_unknown_reasons(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };
	static const struct canned none[] = { { NULL, 0, NULL } };

	(void)state;
	env_init(&env, none);
	item_init(&it, CHECK_CPU);
	it.check.selector = "app=x";
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_UNKNOWN);
	assert_non_null(strstr(r.evidence, "does not serve metrics.k8s.io"));
	item_init(&it, CHECK_RESTARTS);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_UNKNOWN);
	assert_string_equal(r.evidence, "no history store");
	item_init(&it, CHECK_PROMETHEUS_QUERY);
	it.check.query = "up";
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_UNKNOWN);
	assert_non_null(strstr(r.evidence, "Prometheus not configured"));
	item_init(&it, CHECK_MANUAL);
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_UNKNOWN);
	assert_string_equal(r.evidence, "manual item: not done");
}

static const struct canned claims[] = {
	{ "/api/v1/namespaces/ns/persistentvolumeclaims/a", 200, "{\"status\":{\"phase\":\"Bound\"}}" },
	{ "/api/v1/namespaces/ns/persistentvolumeclaims/b", 200, "{\"status\":{\"phase\":\"Pending\"}}" },
	{ NULL, 0, NULL }
};

/* pvc_bound given a workload checks each of its claims; the worst wins. */
static void test_pvc_bound_workload(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };
	static char *claim_names[] = { "a", "b" };
	struct profile_workload w = { .ref = "deployment/db", .selector = "app=db" };

	(void)state;
	env_init(&env, claims);
	w.pvcs.v = claim_names;
	w.pvcs.n = 2;
	test_profile.workloads = &w;
	test_profile.nworkloads = 1;
	item_init(&it, CHECK_PVC_BOUND);
	it.check.workload = "deployment/db";
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.value, "a: Bound, b: Pending");
	w.pvcs.n = 1;
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_PASS);
	assert_string_equal(r.value, "Bound");
	test_profile.workloads = NULL;
	test_profile.nworkloads = 0;
}

static const struct canned metrics[] = {
	{ "/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods", 200,
	  "{\"items\":[{\"metadata\":{\"name\":\"p1\"},\"containers\":["
	  "{\"name\":\"web\",\"usage\":{\"cpu\":\"250m\",\"memory\":\"300Mi\"}},"
	  "{\"name\":\"sidecar\",\"usage\":{\"cpu\":\"900m\",\"memory\":\"1Gi\"}}]},"
	  "{\"metadata\":{\"name\":\"p2\"},\"containers\":["
	  "{\"name\":\"web\",\"usage\":{\"cpu\":\"12345678n\",\"memory\":\"100Mi\"}}]}]}" },
	{ NULL, 0, NULL }
};

/* cpu/memory now: the highest pod, the named container only. */
static void test_usage_now(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	env_init(&env, metrics);
	item_init(&it, CHECK_CPU);
	it.check.selector = "app=web";
	it.check.container = "web";
	it.check.warn_above = (struct threshold){ true, 200 };
	it.check.fail_above = (struct threshold){ true, 300 };
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_WARN);
	assert_string_equal(r.value, "250m");
	assert_string_equal(r.evidence, "highest pod: p1");
	it.check.container = NULL;
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_FAIL);
	assert_string_equal(r.value, "1150m");
	item_init(&it, CHECK_MEMORY);
	it.check.selector = "app=web";
	it.check.container = "web";
	it.check.warn_above = (struct threshold){ true, 400 * 1048576 };
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_PASS);
	assert_string_equal(r.value, "300Mi");
}

static const struct canned summary[] = {
	{ "/api/v1/nodes/n1/proxy/stats/summary", 200,
	  "{\"pods\":[{\"volume\":[{\"name\":\"data\",\"usedBytes\":858993459,"
	  "\"capacityBytes\":1073741824,\"pvcRef\":{\"name\":\"data\",\"namespace\":\"ns\"}}]}]}" },
	{ "/api/v1/nodes/n0/", 404, "404 page not found" },
	{ "/api/v1/nodes", 200, "{\"items\":[{\"metadata\":{\"name\":\"n0\"}},"
	  "{\"metadata\":{\"name\":\"n1\"}}]}" },
	{ NULL, 0, NULL }
};

/* pvc_usage from the node that reports the claim; 80% of 1Gi warns above 75%. */
static void test_pvc_usage(void **state)
{
	struct check_env env;
	struct checklist_item it;
	struct check_result r;
	struct err e = { 0 };

	(void)state;
	env_init(&env, summary);
	item_init(&it, CHECK_PVC_USAGE);
	it.check.pvc = "data";
	it.check.warn_above = (struct threshold){ true, 7500 };
	it.check.fail_above = (struct threshold){ true, 9000 };
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_WARN);
	assert_string_equal(r.value, "80%");
	assert_string_equal(r.evidence, "819.2Mi used of 1Gi");
	it.check.pvc = "other";
	check_run(&env, &it, &r, &e);
	assert_int_equal(r.status, CHECK_STATUS_UNKNOWN);
	assert_non_null(strstr(r.evidence, "node n0: stats summary not served (HTTP 404)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_mask),
		cmocka_unit_test(test_item_label),
		cmocka_unit_test(test_pods_ready),
		cmocka_unit_test(test_nodes_ready),
		cmocka_unit_test(test_rollout),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_backup_job),
		cmocka_unit_test(test_unknown_reasons),
		cmocka_unit_test(test_pvc_bound_workload),
		cmocka_unit_test(test_usage_now),
		cmocka_unit_test(test_pvc_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
