/*
 * test_podstatus.c: kubectl's pod printer rules against literal expected
 * strings. Each case is a pod (JSON, with ' for ") and the READY, STATUS,
 * RESTARTS and AGE a reader of the rules in ../shared/KUBERNETES.md expects,
 * worked out by hand from those rules, not from any implementation.
 * "now" is 2026-11-22T12:00:00Z in every case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "opsdeck/pod.h"
#include "opsdeck/podstatus.h"

#define NOW "2026-11-22T12:00:00Z"
#define META(created) "'metadata':{'name':'p','namespace':'ns','creationTimestamp':'" created "'}"
#define ONE_CONTAINER "'spec':{'containers':[{'name':'app'}]}"
#define TWO_CONTAINERS "'spec':{'containers':[{'name':'a'},{'name':'b'}]}"
#define RUNNING_READY(name) "{'name':'" name "','ready':true,'restartCount':0,'state':{'running':{'startedAt':'2026-11-22T11:00:00Z'}}}"

struct status_case {
	const char *what;
	const char *json;
	const char *ready;
	const char *status;
	const char *restarts;
	const char *age;
};

static const struct status_case cases[] = {
	{ "a running pod",
	  "{" META("2026-11-22T11:55:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running',"
	  "'containerStatuses':[" RUNNING_READY("app") "]}}",
	  "1/1", "Running", "0", "5m" },
	{ "a pending pod without statuses shows its phase",
	  "{" META("2026-11-22T11:59:30Z") "," ONE_CONTAINER ",'status':{'phase':'Pending'}}",
	  "0/1", "Pending", "0", "30s" },
	{ "first init container waiting on PodInitializing: Init:0/2",
	  "{" META("2026-11-22T11:59:00Z") ",'spec':{'initContainers':[{'name':'i1'},{'name':'i2'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending','initContainerStatuses':["
	  "{'name':'i1','restartCount':0,'state':{'waiting':{'reason':'PodInitializing'}}},"
	  "{'name':'i2','restartCount':0,'state':{'waiting':{'reason':'PodInitializing'}}}]}}",
	  "0/1", "Init:0/2", "0", "60s" },
	{ "second init container running: Init:1/2",
	  "{" META("2026-11-22T11:59:00Z") ",'spec':{'initContainers':[{'name':'i1'},{'name':'i2'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending','initContainerStatuses':["
	  "{'name':'i1','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
	  "{'name':'i2','state':{'running':{}}}]}}",
	  "0/1", "Init:1/2", "0", "60s" },
	{ "init container failed with a reason: Init:Error",
	  "{" META("2026-11-22T11:00:00Z") ",'spec':{'initContainers':[{'name':'i1'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending','initContainerStatuses':["
	  "{'name':'i1','state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}}",
	  "0/1", "Init:Error", "0", "60m" },
	{ "init container failed without a reason: Init:ExitCode:3",
	  "{" META("2026-11-22T11:00:00Z") ",'spec':{'initContainers':[{'name':'i1'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending','initContainerStatuses':["
	  "{'name':'i1','state':{'terminated':{'exitCode':3}}}]}}",
	  "0/1", "Init:ExitCode:3", "0", "60m" },
	{ "init container killed by a signal without a reason: Init:Signal:9",
	  "{" META("2026-11-22T11:00:00Z") ",'spec':{'initContainers':[{'name':'i1'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending','initContainerStatuses':["
	  "{'name':'i1','state':{'terminated':{'exitCode':137,'signal':9}}}]}}",
	  "0/1", "Init:Signal:9", "0", "60m" },
	{ "init container crashlooping, restarts with the last termination",
	  "{" META("2026-11-22T09:00:00Z") ",'spec':{'initContainers':[{'name':'i1'},{'name':'i2'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending','initContainerStatuses':["
	  "{'name':'i1','restartCount':4,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
	  "'lastState':{'terminated':{'exitCode':1,'reason':'Error','finishedAt':'2026-11-22T11:58:00Z'}}},"
	  "{'name':'i2','state':{'waiting':{'reason':'PodInitializing'}}}]}}",
	  "0/1", "Init:CrashLoopBackOff", "4 (2m ago)", "3h" },
	{ "a started, ready sidecar counts as ready and towards the total",
	  "{" META("2026-11-22T11:50:00Z") ",'spec':{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Running','conditions':[{'type':'Initialized','status':'True'},{'type':'Ready','status':'True'}],"
	  "'initContainerStatuses':[{'name':'proxy','ready':true,'started':true,'state':{'running':{}}}],"
	  "'containerStatuses':[" RUNNING_READY("app") "]}}",
	  "2/2", "Running", "0", "10m" },
	{ "a sidecar not started yet keeps the pod initialising",
	  "{" META("2026-11-22T11:59:50Z") ",'spec':{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Pending',"
	  "'initContainerStatuses':[{'name':'proxy','ready':false,'started':false,'state':{'running':{}}}],"
	  "'containerStatuses':[{'name':'app','state':{'waiting':{'reason':'PodInitializing'}}}]}}",
	  "0/2", "Init:0/1", "0", "10s" },
	{ "sidecar restarts are added to the app containers' once initialised",
	  "{" META("2026-11-20T12:00:00Z") ",'spec':{'initContainers':[{'name':'once'},{'name':'proxy','restartPolicy':'Always'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
	  "'initContainerStatuses':["
	  "{'name':'once','restartCount':5,'state':{'terminated':{'exitCode':0,'reason':'Completed'}},"
	  "'lastState':{'terminated':{'exitCode':1,'finishedAt':'2026-11-22T11:59:00Z'}}},"
	  "{'name':'proxy','restartCount':2,'ready':true,'started':true,'state':{'running':{}},"
	  "'lastState':{'terminated':{'exitCode':1,'finishedAt':'2026-11-22T11:00:00Z'}}}],"
	  "'containerStatuses':[{'name':'app','ready':true,'restartCount':1,'state':{'running':{}},"
	  "'lastState':{'terminated':{'exitCode':1,'finishedAt':'2026-11-22T11:50:00Z'}}}]}}",
	  "2/2", "Running", "3 (10m ago)", "2d" },
	{ "a crashlooping container",
	  "{" META("2026-11-21T10:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running',"
	  "'containerStatuses':[{'name':'app','ready':false,'restartCount':3,"
	  "'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off 40s'}},"
	  "'lastState':{'terminated':{'exitCode':1,'reason':'Error','finishedAt':'2026-11-22T11:55:00Z'}}}]}}",
	  "0/1", "CrashLoopBackOff", "3 (5m ago)", "26h" },
	{ "an OOM-killed container",
	  "{" META("2026-11-22T04:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running',"
	  "'containerStatuses':[{'name':'app','ready':false,'restartCount':1,"
	  "'state':{'terminated':{'exitCode':137,'reason':'OOMKilled','finishedAt':'2026-11-22T11:59:58Z'}},"
	  "'lastState':{'terminated':{'exitCode':137,'reason':'OOMKilled','finishedAt':'2026-11-22T11:30:00Z'}}}]}}",
	  "0/1", "OOMKilled", "1 (30m ago)", "8h" },
	{ "a container that exited without a reason: ExitCode:2",
	  "{" META("2026-11-22T11:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running',"
	  "'containerStatuses':[{'name':'app','state':{'terminated':{'exitCode':2}}}]}}",
	  "0/1", "ExitCode:2", "0", "60m" },
	{ "a container killed by a signal without a reason: Signal:15",
	  "{" META("2026-11-22T11:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running',"
	  "'containerStatuses':[{'name':'app','state':{'terminated':{'exitCode':143,'signal':15}}}]}}",
	  "0/1", "Signal:15", "0", "60m" },
	{ "container 0's reason wins over later containers'",
	  "{" META("2026-11-22T11:00:00Z") "," TWO_CONTAINERS ",'status':{'phase':'Pending',"
	  "'containerStatuses':[{'name':'a','state':{'waiting':{'reason':'ImagePullBackOff'}}},"
	  "{'name':'b','state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}}",
	  "0/2", "ImagePullBackOff", "0", "60m" },
	{ "a running pod being deleted: Terminating",
	  "{'metadata':{'name':'p','creationTimestamp':'2026-11-22T11:00:00Z','deletionTimestamp':'2026-11-22T11:59:00Z'},"
	  ONE_CONTAINER ",'status':{'phase':'Running','containerStatuses':[" RUNNING_READY("app") "]}}",
	  "1/1", "Terminating", "0", "60m" },
	{ "a pod on a lost node being deleted: Unknown",
	  "{'metadata':{'name':'p','creationTimestamp':'2026-11-22T11:00:00Z','deletionTimestamp':'2026-11-22T11:59:00Z'},"
	  ONE_CONTAINER ",'status':{'phase':'Running','reason':'NodeLost','containerStatuses':[" RUNNING_READY("app") "]}}",
	  "1/1", "Unknown", "0", "60m" },
	{ "a completed pod",
	  "{" META("2026-11-22T06:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Succeeded',"
	  "'containerStatuses':[{'name':'app','ready':false,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}",
	  "0/1", "Completed", "0", "6h" },
	{ "a completed pod being deleted stays Completed (terminal phase)",
	  "{'metadata':{'name':'p','creationTimestamp':'2026-11-22T06:00:00Z','deletionTimestamp':'2026-11-22T11:59:00Z'},"
	  ONE_CONTAINER ",'status':{'phase':'Succeeded',"
	  "'containerStatuses':[{'name':'app','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}",
	  "0/1", "Completed", "0", "6h" },
	{ "Completed with a container still running and no Ready condition: NotReady",
	  "{" META("2026-11-22T11:00:00Z") "," TWO_CONTAINERS ",'status':{'phase':'Running',"
	  "'conditions':[{'type':'Ready','status':'False'}],"
	  "'containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
	  RUNNING_READY("b") "]}}",
	  "1/2", "NotReady", "0", "60m" },
	{ "Completed with a container still running and Ready True: Running",
	  "{" META("2026-11-22T11:00:00Z") "," TWO_CONTAINERS ",'status':{'phase':'Running',"
	  "'conditions':[{'type':'Ready','status':'True'}],"
	  "'containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
	  RUNNING_READY("b") "]}}",
	  "1/2", "Running", "0", "60m" },
	{ "an evicted pod",
	  "{" META("2026-11-18T12:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Failed','reason':'Evicted',"
	  "'message':'The node was low on resource: memory.'}}",
	  "0/1", "Evicted", "0", "4d" },
	{ "a pod held by a scheduling gate",
	  "{" META("2026-11-22T11:57:00Z") "," ONE_CONTAINER ",'status':{'phase':'Pending',"
	  "'conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}}",
	  "0/1", "SchedulingGated", "0", "3m" },
	{ "a failed init container with Initialized True: containers walked, reason kept",
	  "{" META("2026-11-22T11:00:00Z") ",'spec':{'initContainers':[{'name':'i1'}],"
	  "'containers':[{'name':'app'}]},'status':{'phase':'Running',"
	  "'conditions':[{'type':'Initialized','status':'True'}],'initContainerStatuses':["
	  "{'name':'i1','restartCount':7,'state':{'terminated':{'exitCode':1,'reason':'Error'}}}],"
	  "'containerStatuses':[" RUNNING_READY("app") "]}}",
	  "1/1", "Init:Error", "0", "60m" },
	{ "restarts without a last termination time have no (ago)",
	  "{" META("2026-11-22T11:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running',"
	  "'containerStatuses':[{'name':'app','ready':true,'restartCount':2,'state':{'running':{}}}]}}",
	  "1/1", "Running", "2", "60m" },
	{ "AGE in days and hours", "{" META("2026-11-17T08:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running'}}",
	  "0/1", "Running", "0", "5d4h" },
	{ "AGE in days past 8 days", "{" META("2025-10-18T12:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running'}}",
	  "0/1", "Running", "0", "400d" },
	{ "AGE in years and days", "{" META("2024-10-23T12:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running'}}",
	  "0/1", "Running", "0", "2y30d" },
	{ "AGE of a creation time in the future", "{" META("2026-11-22T12:00:05Z") "," ONE_CONTAINER ",'status':{'phase':'Running'}}",
	  "0/1", "Running", "0", "<invalid>" },
	{ "AGE without a creation time", "{'metadata':{'name':'p'}," ONE_CONTAINER ",'status':{'phase':'Running'}}",
	  "0/1", "Running", "0", "<unknown>" },
};

/* The cases are written with ' for " so they stay readable. */
static cJSON *parse_quoted(const char *s)
{
	char *copy = strdup(s);
	cJSON *j;

	assert_non_null(copy);
	for (char *p = copy; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = cJSON_Parse(copy);
	free(copy);
	assert_non_null(j);
	return j;
}

static struct od_time now(void)
{
	struct od_time t;
	struct err e = { 0 };

	assert_int_equal(time_parse_rfc3339(NOW, &t, &e), OD_OK);
	return t;
}

static void row_of(const char *json, struct pod_row *row)
{
	cJSON *j = parse_quoted(json);
	struct pod p = { 0 };
	struct err e = { 0 };

	if (pod_from_json(j, &p, &e) != OD_OK)
		fail_msg("pod_from_json: %s", e.msg);
	cJSON_Delete(j);
	podstatus_compute(&p, now(), row);
	pod_clear(&p);
}

static void test_status_cases(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct status_case *c = &cases[i];
		struct pod_row row;

		row_of(c->json, &row);
		if (strcmp(row.ready, c->ready) || strcmp(row.status, c->status) ||
		    strcmp(row.restarts, c->restarts) || strcmp(row.age, c->age)) {
			print_error("%s: got %s | %s | %s | %s, want %s | %s | %s | %s\n", c->what,
				    row.ready, row.status, row.restarts, row.age, c->ready,
				    c->status, c->restarts, c->age);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void test_wide_columns(void **state)
{
	struct pod_row row;

	(void)state;
	row_of("{" META("2026-11-22T11:00:00Z") ",'spec':{'nodeName':'node-1','containers':[{'name':'app'}],"
	       "'readinessGates':[{'conditionType':'example.com/lb'},{'conditionType':'example.com/dns'}]},"
	       "'status':{'phase':'Running','podIP':'10.0.0.9','podIPs':[{'ip':'10.0.0.7'},{'ip':'fd00::7'}],"
	       "'nominatedNodeName':'node-2','conditions':[{'type':'example.com/lb','status':'True'},"
	       "{'type':'example.com/dns','status':'False'}]}}", &row);
	assert_string_equal(row.ip, "10.0.0.7");
	assert_string_equal(row.node, "node-1");
	assert_string_equal(row.nominated_node, "node-2");
	assert_string_equal(row.readiness_gates, "1/2");

	row_of("{" META("2026-11-22T11:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Pending'}}", &row);
	assert_string_equal(row.ip, "<none>");
	assert_string_equal(row.node, "<none>");
	assert_string_equal(row.nominated_node, "<none>");
	assert_string_equal(row.readiness_gates, "<none>");

	row_of("{" META("2026-11-22T11:00:00Z") "," ONE_CONTAINER ",'status':{'phase':'Running','podIP':'10.1.2.3'}}",
	       &row);
	assert_string_equal(row.ip, "10.1.2.3");
}

static void test_pod_from_json_fields(void **state)
{
	cJSON *j = parse_quoted(
		"{'metadata':{'name':'web-1','namespace':'prod','uid':'u-1','resourceVersion':'42','labels':{'app':'web','tier':'fe'},"
		"'ownerReferences':[{'kind':'Foo','name':'other'},{'kind':'ReplicaSet','name':'web-7d9','controller':true}]},"
		"'spec':{'containers':[{'name':'app','image':'nginx:1.27','resources':{'requests':{'cpu':'250m','memory':'64Mi'},"
		"'limits':{'cpu':'1','memory':'1Gi'}}}],'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'data-web-1'}},"
		"{'name':'cfg','configMap':{'name':'web'}}]},'status':{'phase':'Failed','reason':'Evicted','message':'low on memory'}}");
	struct pod p = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(pod_from_json(j, &p, &e), OD_OK);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "metadata"), "name")->valuestring,
			    "web-1");   /* the tree is left as it was */
	cJSON_Delete(j);
	assert_string_equal(p.name, "web-1");
	assert_string_equal(p.namespace_, "prod");
	assert_string_equal(p.uid, "u-1");
	assert_string_equal(p.resource_version, "42");
	assert_string_equal(p.message, "low on memory");
	assert_int_equal(p.nvolumes, 2);
	assert_string_equal(p.volumes[0].name, "data");
	assert_string_equal(p.volumes[0].kind, "persistentVolumeClaim");
	assert_string_equal(p.volumes[0].claim, "data-web-1");
	assert_string_equal(p.volumes[1].kind, "configMap");
	assert_null(p.volumes[1].claim);
	assert_string_equal(pod_label(&p, "app"), "web");
	assert_string_equal(pod_label(&p, "tier"), "fe");
	assert_null(pod_label(&p, "nope"));
	assert_string_equal(p.owner_kind, "ReplicaSet");
	assert_string_equal(p.owner_name, "web-7d9");
	assert_int_equal(p.ncontainers, 1);
	assert_string_equal(p.containers[0].image, "nginx:1.27");
	assert_int_equal(p.containers[0].requests.cpu_milli, 250);
	assert_int_equal(p.containers[0].requests.memory_bytes, 64 * 1024 * 1024);
	assert_int_equal(p.containers[0].limits.cpu_milli, 1000);
	assert_int_equal(p.containers[0].limits.memory_bytes, 1024 * 1024 * 1024);
	pod_clear(&p);
	assert_null(p.name);
}

static void test_pod_from_json_rejects_wrong_types(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{'metadata':'x'}",
		"{'metadata':{'name':5}}",
		"{'spec':{'containers':{'name':'a'}}}",
		"{'status':{'containerStatuses':[{'name':'a','restartCount':'3'}]}}",
		"{'status':{'containerStatuses':[{'name':'a','ready':'yes'}]}}",
		"{'metadata':{'creationTimestamp':'yesterday'}}",
		"{'metadata':{'labels':{'a':1}}}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *j = parse_quoted(bad[i]);
		struct pod p = { 0 };
		struct err e = { 0 };

		assert_int_not_equal(pod_from_json(j, &p, &e), OD_OK);
		assert_true(strlen(e.msg) > 0);
		assert_null(p.name);   /* cleared on failure */
		cJSON_Delete(j);
	}
}

static void test_pod_from_json_caps_strings(void **state)
{
	size_t n = POD_STRING_MAX * 3;
	char *big = malloc(n + 1);
	cJSON *j = cJSON_CreateObject(), *meta = cJSON_AddObjectToObject(j, "metadata");
	struct pod p = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = '\0';
	cJSON_AddStringToObject(meta, "name", big);
	assert_int_equal(pod_from_json(j, &p, &e), OD_OK);
	assert_int_equal(strlen(p.name), POD_STRING_MAX);
	pod_clear(&p);
	cJSON_Delete(j);
	free(big);
}

static void test_pod_from_json_caps_lists(void **state)
{
	cJSON *j = cJSON_CreateObject(), *spec = cJSON_AddObjectToObject(j, "spec");
	cJSON *list = cJSON_AddArrayToObject(spec, "containers");
	struct pod p = { 0 };
	struct err e = { 0 };

	(void)state;
	for (int i = 0; i < POD_LIST_MAX + 1; i++)
		cJSON_AddItemToArray(list, cJSON_CreateObject());
	assert_int_equal(pod_from_json(j, &p, &e), OD_ELIMIT);
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_cases),
		cmocka_unit_test(test_wide_columns),
		cmocka_unit_test(test_pod_from_json_fields),
		cmocka_unit_test(test_pod_from_json_rejects_wrong_types),
		cmocka_unit_test(test_pod_from_json_caps_strings),
		cmocka_unit_test(test_pod_from_json_caps_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
