/*
 * test_patch.c: merge patch, JSON patch and strategic merge patch
 * (src/sim/patch.c) on the shapes kubectl sends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/sim_patch.h"

static char *apply(const char *doc, const char *patch, enum sim_patch_type t, enum od_status want)
{
	cJSON *d = cJSON_Parse(doc), *p = cJSON_Parse(patch);
	struct err e;
	assert_non_null(d);
	assert_non_null(p);
	assert_int_equal(sim_patch_apply(&d, p, t, &e), want);
	char *out = cJSON_PrintUnformatted(d);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return out;
}

static void check(const char *doc, const char *patch, enum sim_patch_type t, const char *want)
{
	char *got = apply(doc, patch, t, OD_OK);
	assert_string_equal(got, want);
	free(got);
}

static void test_merge(void **state)
{
	(void)state;
	check("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}", "{\"b\":{\"c\":null,\"e\":4},\"f\":[1]}",
	      SIM_PATCH_MERGE, "{\"a\":1,\"b\":{\"d\":3,\"e\":4},\"f\":[1]}");
	check("{\"spec\":{\"replicas\":3}}", "{\"spec\":{\"replicas\":1}}", SIM_PATCH_MERGE,
	      "{\"spec\":{\"replicas\":1}}");
	check("{\"l\":[1,2]}", "{\"l\":[3]}", SIM_PATCH_MERGE, "{\"l\":[3]}");
}

static void test_strategic(void **state)
{
	(void)state;
	/* kubectl set image */
	check("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"},{\"name\":\"b\",\"image\":\"y:1\"}]}}",
	      "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"y:2\"}]}}", SIM_PATCH_STRATEGIC,
	      "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"},{\"name\":\"b\",\"image\":\"y:2\"}]}}");
	/* kubectl rollout restart */
	check("{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"a\"}}}}}",
	      "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"T\"}}}}}",
	      SIM_PATCH_STRATEGIC,
	      "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"a\"},\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"T\"}}}}}");
	check("{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]}",
	      "{\"env\":[{\"name\":\"A\",\"$patch\":\"delete\"},{\"name\":\"C\",\"value\":\"3\"}],\"$setElementOrder/env\":[{\"name\":\"B\"},{\"name\":\"C\"}]}",
	      SIM_PATCH_STRATEGIC, "{\"env\":[{\"name\":\"B\",\"value\":\"2\"},{\"name\":\"C\",\"value\":\"3\"}]}");
	check("{\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}]}",
	      "{\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}", SIM_PATCH_STRATEGIC,
	      "{\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\",\"name\":\"http\"}]}");
	check("{\"args\":[\"a\",\"b\"]}", "{\"args\":[\"c\"]}", SIM_PATCH_STRATEGIC, "{\"args\":[\"c\"]}");
	check("{\"metadata\":{\"finalizers\":[\"a\"]}}", "{\"metadata\":{\"finalizers\":[\"b\",\"a\"]}}",
	      SIM_PATCH_STRATEGIC, "{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}");
}

static void test_json_patch(void **state)
{
	(void)state;
	check("{\"a\":{\"b\":[1,2]}}",
	      "[{\"op\":\"add\",\"path\":\"/a/b/-\",\"value\":3},{\"op\":\"replace\",\"path\":\"/a/b/0\",\"value\":0},"
	      "{\"op\":\"remove\",\"path\":\"/a/b/1\"},{\"op\":\"copy\",\"from\":\"/a/b\",\"path\":\"/c\"},"
	      "{\"op\":\"move\",\"from\":\"/c\",\"path\":\"/d~1e\"},{\"op\":\"test\",\"path\":\"/d~1e/1\",\"value\":3}]",
	      SIM_PATCH_JSON, "{\"a\":{\"b\":[0,3]},\"d/e\":[0,3]}");
	free(apply("{\"a\":1}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]", SIM_PATCH_JSON, OD_EINVAL));
	free(apply("{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"/nope\"}]", SIM_PATCH_JSON, OD_EINVAL));
	free(apply("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/5\",\"value\":1}]", SIM_PATCH_JSON, OD_EINVAL));
	free(apply("{\"a\":1}", "[{\"op\":\"bogus\",\"path\":\"/a\"}]", SIM_PATCH_JSON, OD_EINVAL));
	free(apply("{\"a\":1}", "{\"op\":\"add\"}", SIM_PATCH_JSON, OD_EINVAL));
}

static void test_content_types(void **state)
{
	enum sim_patch_type t;
	struct err e;
	(void)state;
	assert_int_equal(sim_patch_type_from_content_type("application/strategic-merge-patch+json", &t, &e), OD_OK);
	assert_int_equal(t, SIM_PATCH_STRATEGIC);
	assert_int_equal(sim_patch_type_from_content_type("application/merge-patch+json; charset=utf-8", &t, &e), OD_OK);
	assert_int_equal(t, SIM_PATCH_MERGE);
	assert_int_equal(sim_patch_type_from_content_type("application/json-patch+json", &t, &e), OD_OK);
	assert_int_equal(t, SIM_PATCH_JSON);
	assert_int_equal(sim_patch_type_from_content_type("application/json", &t, &e), OD_EINVAL);
	assert_int_equal(sim_patch_type_from_content_type(NULL, &t, &e), OD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_strategic),
		cmocka_unit_test(test_json_patch),
		cmocka_unit_test(test_content_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
