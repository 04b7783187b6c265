/*
 * test_selector.c: label and field selectors (src/core/selector.c) against
 * the cases apimachinery's labels.Parse documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/selector.h"

struct kv {
	const char *k, *v;
};

static const struct kv labels[] = {
	{ "app", "synapse" }, { "component", "main" }, { "app.kubernetes.io/name", "synapse" },
	{ "tier", "" }, { NULL, NULL } };

static const char *lookup(void *arg, const char *key)
{
	const struct kv *l = arg;
	for (; l->k; l++)
		if (strcmp(l->k, key) == 0)
			return l->v;
	return NULL;
}

static int matches(const char *s)
{
	struct selector *sel = NULL;
	struct err e;
	assert_int_equal(selector_parse(s, &sel, &e), OD_OK);
	int m = selector_matches(sel, lookup, (void *)labels);
	selector_free(&sel);
	assert_null(sel);
	return m;
}

static void test_equality(void **state)
{
	(void)state;
	assert_true(matches(""));
	assert_true(matches("app=synapse"));
	assert_true(matches("app==synapse"));
	assert_true(matches("app=synapse,component=main"));
	assert_true(matches(" app = synapse , component == main "));
	assert_false(matches("app=matrixon"));
	assert_true(matches("app!=matrixon"));
	assert_false(matches("app!=synapse"));
	assert_true(matches("missing!=x"));
	assert_true(matches("app.kubernetes.io/name=synapse"));
	assert_true(matches("tier="));
	assert_false(matches("missing="));
}

static void test_sets(void **state)
{
	(void)state;
	assert_true(matches("app in (synapse,matrixon)"));
	assert_true(matches("app in(synapse)"));
	assert_false(matches("app in (matrixon)"));
	assert_true(matches("app notin (matrixon)"));
	assert_false(matches("app notin (synapse, x)"));
	assert_true(matches("missing notin (a)"));
	assert_false(matches("missing in (a)"));
	assert_true(matches("tier in (,a)"));
}

static void test_exists(void **state)
{
	(void)state;
	assert_true(matches("app"));
	assert_false(matches("missing"));
	assert_true(matches("!missing"));
	assert_false(matches("!app"));
	assert_true(matches("app,!missing,component in (main)"));
}

static void test_errors(void **state)
{
	static const char *const bad[] = { "app in (", "app in ()", "app in", "=x", "app=a b",
					   "app,", "!", "-bad=x", "a/b/c=x", "app>1", "app in (a b)",
					   "app=(x)", NULL };
	(void)state;
	for (size_t i = 0; bad[i]; i++) {
		struct selector *sel = (struct selector *)1;
		struct err e;
		err_clear(&e);
		assert_int_equal(selector_parse(bad[i], &sel, &e), OD_EPARSE);
		assert_null(sel);
		assert_true(strlen(e.msg) > 0);
	}
}

static void test_fields(void **state)
{
	struct selector *sel = NULL;
	struct err e;
	(void)state;
	assert_int_equal(selector_parse_fields("status.phase=Running,spec.nodeName!=node-2", &sel, &e), OD_OK);
	assert_int_equal(sel->n, 2);
	static const struct kv pod[] = { { "status.phase", "Running" }, { "spec.nodeName", "node-1" },
					 { NULL, NULL } };
	assert_true(selector_matches(sel, lookup, (void *)pod));
	assert_string_equal(selector_find_eq(sel, "status.phase"), "Running");
	assert_null(selector_find_eq(sel, "spec.nodeName"));
	selector_free(&sel);
	assert_int_equal(selector_parse_fields("involvedObject.name==synapse-main-0", &sel, &e), OD_OK);
	assert_string_equal(sel->reqs[0].values[0], "synapse-main-0");
	selector_free(&sel);
	assert_int_equal(selector_parse_fields("nooperator", &sel, &e), OD_EPARSE);
	assert_int_equal(selector_parse_fields("=x", &sel, &e), OD_EPARSE);
	assert_int_equal(selector_parse_fields("", &sel, &e), OD_OK);
	assert_true(selector_is_empty(sel));
	selector_free(&sel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equality),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
