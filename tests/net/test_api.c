/*
 * test_api.c: resource type aliases, request paths and query encoding
 * (compared with what client-go sends for the same request).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opsdeck/api.h"

static void check_alias(const char *name, const char *plural, const char *group)
{
	struct err e;
	const struct api_resource *r = api_resource_lookup(name, &e);

	assert_non_null(r);
	assert_string_equal(r->plural, plural);
	assert_string_equal(r->group, group);
}

static void test_aliases(void **state)
{
	(void)state;
	const char *pods[] = { "po", "pod", "pods", "Pod", "PODS" };
	for (size_t i = 0; i < 5; i++)
		check_alias(pods[i], "pods", "");
	check_alias("deploy", "deployments", "apps");
	check_alias("deployment", "deployments", "apps");
	check_alias("deployments.apps", "deployments", "apps");
	check_alias("deploy.v1.apps", "deployments", "apps");
	check_alias("sts", "statefulsets", "apps");
	check_alias("ds", "daemonsets", "apps");
	check_alias("rs", "replicasets", "apps");
	check_alias("pvc", "persistentvolumeclaims", "");
	check_alias("ev", "events", "");
	check_alias("vs", "volumesnapshots", "snapshot.storage.k8s.io");
	check_alias("volumesnapshot", "volumesnapshots", "snapshot.storage.k8s.io");
	check_alias("no", "nodes", "");
	check_alias("job", "jobs", "batch");
	check_alias("cj", "cronjobs", "batch");
	check_alias("svc", "services", "");
	check_alias("ns", "namespaces", "");
	check_alias("cm", "configmaps", "");
	check_alias("secret", "secrets", "");
	check_alias("pods.metrics.k8s.io", "pods", "metrics.k8s.io");

	struct err e;
	assert_null(api_resource_lookup("flux-capacitors", &e));
	assert_string_equal(e.msg, "error: the server doesn't have a resource type \"flux-capacitors\"");
	assert_null(api_resource_lookup("deploy.batch", &e));
	assert_null(api_resource_lookup("", &e));

	size_t n;
	const struct api_resource *all = api_resources(&n);
	assert_true(n > 20);
	char gv[64];
	api_resource_group_version(&all[0], gv, sizeof(gv));
	assert_string_equal(gv, "v1");
	api_resource_group_version(api_resource_lookup("deploy", NULL), gv, sizeof(gv));
	assert_string_equal(gv, "apps/v1");
}

static void check_path(const char *type, const char *ns, const char *name, const char *sub,
		       const struct api_query *q, const char *want)
{
	struct buf b;
	struct err e;
	struct api_target t = { api_resource_lookup(type, NULL), ns, name, sub };

	buf_init(&b, 4096);
	assert_int_equal(api_build_path(&t, q, &b, &e), OD_OK);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void test_paths(void **state)
{
	(void)state;
	check_path("po", "default", NULL, NULL, NULL, "/api/v1/namespaces/default/pods");
	check_path("po", NULL, NULL, NULL, NULL, "/api/v1/pods");
	check_path("po", "", NULL, NULL, NULL, "/api/v1/pods");
	check_path("po", "ha", "matter-0", "log", NULL, "/api/v1/namespaces/ha/pods/matter-0/log");
	check_path("deploy", "ha", "web", "scale", NULL,
		   "/apis/apps/v1/namespaces/ha/deployments/web/scale");
	check_path("no", "ignored", "node-1", NULL, NULL, "/api/v1/nodes/node-1");
	check_path("ns", NULL, "kube-system", NULL, NULL, "/api/v1/namespaces/kube-system");
	check_path("vs", "db", NULL, NULL, NULL,
		   "/apis/snapshot.storage.k8s.io/v1/namespaces/db/volumesnapshots");
	check_path("pods.metrics.k8s.io", "x", NULL, NULL, NULL,
		   "/apis/metrics.k8s.io/v1beta1/namespaces/x/pods");
	check_path("cm", "a", "b:c@d", NULL, NULL, "/api/v1/namespaces/a/configmaps/b:c@d");
	struct api_query empty = { 0 };
	check_path("po", "a", NULL, NULL, &empty, "/api/v1/namespaces/a/pods");

	struct buf b;
	struct err e;
	struct api_target t = { api_resource_lookup("po", NULL), "a", "x/y", NULL };
	buf_init(&b, 256);
	assert_int_equal(api_build_path(&t, NULL, &b, &e), OD_EINVAL);
	t.name = "..";
	assert_int_equal(api_build_path(&t, NULL, &b, &e), OD_EINVAL);
	t.name = "";
	assert_int_equal(api_build_path(&t, NULL, &b, &e), OD_EINVAL);
	buf_free(&b);
}

static void test_query(void **state)
{
	(void)state;
	/* client-go's order (url.Values sorts keys) and QueryEscape */
	struct api_query list = { .label_selector = "app in (web, api),tier!=db",
				  .field_selector = "status.phase=Running",
				  .limit = 500,
				  .continue_token = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTB9+/=" };
	check_path("po", "default", NULL, NULL, &list,
		   "/api/v1/namespaces/default/pods?continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTB9%2B%2F%3D"
		   "&fieldSelector=status.phase%3DRunning"
		   "&labelSelector=app+in+%28web%2C+api%29%2Ctier%21%3Ddb&limit=500");
	struct api_query watch = { .resource_version = "12345", .watch = true,
				   .allow_watch_bookmarks = true, .timeout_seconds = 417 };
	check_path("po", NULL, NULL, NULL, &watch,
		   "/api/v1/pods?allowWatchBookmarks=true&resourceVersion=12345&timeoutSeconds=417&watch=true");
	struct api_query logs = { .nextra = 3,
				  .extra = { { "tailLines", "10" }, { "container", "main app" },
					     { "follow", "true" } } };
	check_path("po", "ns", "p", "log", &logs,
		   "/api/v1/namespaces/ns/pods/p/log?container=main+app&follow=true&tailLines=10");

	struct buf b;
	buf_init(&b, 64);
	assert_int_equal(api_query_escape("a~b_c-d.e é&", &b, NULL), OD_OK);
	assert_string_equal(buf_cstr(&b), "a~b_c-d.e+%C3%A9%26");
	buf_reset(&b);
	assert_int_equal(api_path_escape("a b/c?d$&+:=@", &b, NULL), OD_OK);
	assert_string_equal(buf_cstr(&b), "a%20b%2Fc%3Fd$&+:=@");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
