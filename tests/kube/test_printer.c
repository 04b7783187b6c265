/*
 * test_printer.c: kubectl's output formats as opsdeck writes them: JSON as
 * Go's json.MarshalIndent (sorted keys, 4 spaces, HTML-safe escapes), YAML
 * as go-yaml v2 (quotes where plain text would read as another type, literal
 * blocks, indentless sequences), server Tables and -w rows whose columns
 * never shrink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/printer.h"

static void expect_json(const char *in, const char *want)
{
	cJSON *v = cJSON_Parse(in);
	struct buf out;
	struct err e = { 0 };

	assert_non_null(v);
	buf_init(&out, 1 << 20);
	assert_int_equal(printer_json(v, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
	cJSON_Delete(v);
}

static void expect_yaml(const char *in, const char *want)
{
	cJSON *v = cJSON_Parse(in);
	struct buf out;
	struct err e = { 0 };

	assert_non_null(v);
	buf_init(&out, 1 << 20);
	assert_int_equal(printer_yaml(v, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
	cJSON_Delete(v);
}

static void test_json_sorted_indented(void **state)
{
	(void)state;
	expect_json("{\"b\":1,\"a\":[true,null,{}],\"c\":[],\"d\":2.5}",
		    "{\n    \"a\": [\n        true,\n        null,\n        {}\n    ],\n"
		    "    \"b\": 1,\n    \"c\": [],\n    \"d\": 2.5\n}\n");
}

static void test_json_go_escapes(void **state)
{
	(void)state;
	/* <, > and & as \u00XX; control characters; U+2028; a valid multibyte kept */
	expect_json("\"<a>&\\u0001\\n\\t\\b\\f\\u2028é\"",
		    "\"\\u003ca\\u003e\\u0026\\u0001\\n\\t\\b\\f\\u2028é\"\n");
}

static void test_json_list_wrap(void **state)
{
	cJSON *list = cJSON_Parse("{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"x\"}}]}");
	cJSON *w;
	struct buf out;
	struct err e = { 0 };

	(void)state;
	w = printer_list_wrap(list, "v1", "Pod");
	buf_init(&out, 1 << 20);
	assert_int_equal(printer_json(w, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out),
			    "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n"
			    "            \"apiVersion\": \"v1\",\n            \"kind\": \"Pod\",\n"
			    "            \"metadata\": {\n                \"name\": \"x\"\n"
			    "            }\n        }\n    ],\n    \"kind\": \"List\",\n"
			    "    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
	buf_free(&out);
	cJSON_Delete(w);
	cJSON_Delete(list);
}

static void test_yaml_go_yaml_v2(void **state)
{
	(void)state;
	/* "n" is a YAML 1.1 boolean to go-yaml v2, so even the key is quoted */
	expect_yaml("{\"b\":\"true\",\"a\":[\"x\",{\"k\":1}],\"e\":{},\"n\":null,\"s\":\"\","
		    "\"t\":\"1:20\",\"m\":\"l1\\nl2\\n\",\"p\":\"plain text\"}",
		    "a:\n- x\n- k: 1\nb: \"true\"\ne: {}\nm: |\n  l1\n  l2\n\"n\": null\n"
		    "p: plain text\ns: \"\"\nt: \"1:20\"\n");
}

static void test_table_text(void **state)
{
	cJSON *t = cJSON_Parse(
		"{\"columnDefinitions\":[{\"name\":\"Name\",\"priority\":0},"
		"{\"name\":\"Ready\",\"priority\":0},{\"name\":\"Images\",\"priority\":1}],"
		"\"rows\":[{\"cells\":[\"web\",\"1/1\",\"nginx\"],"
		"\"object\":{\"metadata\":{\"namespace\":\"ns1\"}}},"
		"{\"cells\":[\"db\",2,\"pg\\nx\"],\"object\":{\"metadata\":{\"namespace\":\"ns2\"}}}]}");
	struct printer_table_opts o = { .with_namespace = true };
	struct buf text;
	struct err e = { 0 };
	size_t n = 0;

	(void)state;
	buf_init(&text, 1 << 20);
	assert_int_equal(printer_table_text(t, &o, &text, &n, &e), OD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(buf_cstr(&text), "NAMESPACE\tNAME\tREADY\nns1\tweb\t1/1\nns2\tdb\t2\n");
	buf_reset(&text);
	o.wide = true;
	o.with_namespace = false;
	o.no_headers = true;
	assert_int_equal(printer_table_text(t, &o, &text, &n, &e), OD_OK);
	/* a cell is cut at its first line break, as kubectl does */
	assert_string_equal(buf_cstr(&text), "web\t1/1\tnginx\ndb\t2\tpg...\n");
	buf_free(&text);
	cJSON_Delete(t);
}

static void test_layout_remembers_widths(void **state)
{
	struct printer_widths wd = { 0 };
	struct buf out;
	struct err e = { 0 };
	const char *a = "NAME\tREADY\tAGE\nlong-pod-name\t1/1\t5m\n";
	const char *b = "x\t0/1\t1s\n";

	(void)state;
	buf_init(&out, 1 << 20);
	assert_int_equal(printer_layout(a, strlen(a), &wd, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), "NAME            READY   AGE\n"
					    "long-pod-name   1/1     5m\n");
	buf_reset(&out);
	/* a later, narrower row keeps the columns where they were (kubectl get -w) */
	assert_int_equal(printer_layout(b, strlen(b), &wd, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), "x               0/1     1s\n");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_sorted_indented),
		cmocka_unit_test(test_json_go_escapes),
		cmocka_unit_test(test_json_list_wrap),
		cmocka_unit_test(test_yaml_go_yaml_v2),
		cmocka_unit_test(test_table_text),
		cmocka_unit_test(test_layout_remembers_widths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
