/*
 * test_jsonarena.c: the arena JSON parser (jsonarena.h) gives cJSON's tree
 * for what cJSON accepts, refuses what cJSON refuses with the byte where it
 * stopped, leaves skipped keys out at any depth while still checking them,
 * and keeps working when its memory is reused page after page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/jsonarena.h"

/*
 * The same tree, member by member in order (cJSON_Compare looks members up
 * by key, so it calls a tree with a repeated key different from itself).
 */
static int same_tree(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xFF) != (b->type & 0xFF) || a->valueint != b->valueint ||
	    !(a->valuedouble == b->valuedouble || (a->valuedouble != a->valuedouble &&
						   b->valuedouble != b->valuedouble)))
		return 0;
	if (!a->string != !b->string || (a->string && strcmp(a->string, b->string) != 0))
		return 0;
	if (!a->valuestring != !b->valuestring ||
	    (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0))
		return 0;
	const cJSON *x = a->child, *y = b->child;
	for (; x && y; x = x->next, y = y->next) {
		if (!same_tree(x, y))
			return 0;
	}
	return !x && !y;
}

/* Parses text both ways and checks the trees are equal. */
static void expect_same(const char *text)
{
	struct json_arena a;
	struct err e = { 0 };
	cJSON *ours = NULL;
	cJSON *ref = cJSON_ParseWithLength(text, strlen(text));

	assert_non_null(ref);
	json_arena_init(&a);
	assert_int_equal(json_arena_parse(&a, text, strlen(text), NULL, &ours, &e), OD_OK);
	assert_true(same_tree(ref, ours));
	json_arena_free(&a);
	cJSON_Delete(ref);
}

/* Checks both parsers refuse text; returns our error message. */
static void expect_refused(const char *text, size_t len, enum od_status want, const char *msg)
{
	struct json_arena a;
	struct err e = { 0 };
	cJSON *ours = (cJSON *)&a;

	assert_null(cJSON_ParseWithLength(text, len));
	json_arena_init(&a);
	assert_int_equal(json_arena_parse(&a, text, len, NULL, &ours, &e), want);
	assert_null(ours);
	assert_string_equal(e.msg, msg);
	json_arena_free(&a);
}

static void test_same_tree_as_cjson(void **state)
{
	(void)state;
	expect_same("{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{\"d\":-1.5e3,\"e\":{}},\"f\":[]}");
	expect_same(" \t\r\n[ 1 , \"two\" , [ [ ] ] ]\n");
	/* escapes, \u with surrogate pairs, and cJSON's bad hex digit reading as 0 */
	expect_same("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\u00e9\\u20ac\",\"\\ud83d\\ude00\",\"a\\u00zzb\"]");
	/* numbers: integers, big ones, fractions, exponents, leading zeros, "1." */
	expect_same("[0,-0,7,-42,123456789012345,1234567890123456789012,1e308,-2.5e-3,007,1.]");
	/* longer than 63 bytes: libcjson hands the whole run to strtod */
	expect_same("[1111111111111111111111111111111111111111111111111111111111111111111111.5e-3]");
	/* a UTF-8 BOM, and bytes after the value (cJSON ignores them) */
	expect_same("\xef\xbb\xbf{\"k\":\"v\"}");
	expect_same("{\"k\":\"v\"} trailing");
	/* duplicate keys are kept in order; lookups find the first */
	expect_same("{\"k\":1,\"k\":2}");
}

static void test_values(void **state)
{
	struct json_arena a;
	struct err e = { 0 };
	cJSON *root = NULL;
	const char *text = "{\"n\":3000000000,\"s\":\"caf\\u00e9\",\"t\":true,\"neg\":-3}";

	(void)state;
	json_arena_init(&a);
	assert_int_equal(json_arena_parse(&a, text, strlen(text), NULL, &root, &e), OD_OK);
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "n");
	assert_true(cJSON_IsNumber(n));
	assert_true(n->valuedouble == 3000000000.0);
	assert_int_equal(n->valueint, 2147483647);   /* saturated as cJSON does */
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "neg")->valueint, -3);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(root, "s")->valuestring, "caf\xc3\xa9");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "t")));
	assert_int_equal(cJSON_GetArraySize(root), 4);
	json_arena_free(&a);
}

static void test_refused(void **state)
{
	(void)state;
	expect_refused("", 0, OD_EPARSE, "JSON: empty input");
	expect_refused("{\"a\"=1}", 7, OD_EPARSE, "JSON: malformed at byte 4 of 7");
	expect_refused("{\"items\":[{\"name\":\"p", 20, OD_EPARSE, "JSON: malformed at byte 18 of 20");
	expect_refused("[1,]", 4, OD_EPARSE, "JSON: malformed at byte 3 of 4");
	expect_refused("[\"\\q\"]", 6, OD_EPARSE, "JSON: malformed at byte 2 of 6");
	expect_refused("[\"\\udc00\"]", 10, OD_EPARSE, "JSON: malformed at byte 2 of 10");
	expect_refused("[\"\\ud800x\"]", 11, OD_EPARSE, "JSON: malformed at byte 2 of 11");
	expect_refused("[-]", 3, OD_EPARSE, "JSON: malformed at byte 1 of 3");
	expect_refused("nul", 3, OD_EPARSE, "JSON: malformed at byte 0 of 3");
	expect_refused("{\"a\":1", 6, OD_EPARSE, "JSON: malformed at byte 6 of 6");
	/* a NUL inside the given length is white space to cJSON, but not a value */
	expect_refused("[1,\0", 4, OD_EPARSE, "JSON: malformed at byte 4 of 4");
}

static void test_depth_limit(void **state)
{
	size_t deep = JSON_ARENA_DEPTH_MAX;
	char *text = malloc(2 * deep + 4);
	struct json_arena a;
	struct err e = { 0 };
	cJSON *root = NULL;

	(void)state;
	assert_non_null(text);
	memset(text, '[', deep);
	memset(text + deep, ']', deep);
	json_arena_init(&a);
	/* as deep as cJSON goes is fine; one more is refused by both */
	assert_int_equal(json_arena_parse(&a, text, 2 * deep, NULL, &root, &e), OD_OK);
	cJSON *ref = cJSON_ParseWithLength(text, 2 * deep);
	assert_non_null(ref);
	assert_true(same_tree(ref, root));
	cJSON_Delete(ref);
	memset(text, '[', deep + 1);
	memset(text + deep + 1, ']', deep + 1);
	assert_null(cJSON_ParseWithLength(text, 2 * deep + 2));
	assert_int_equal(json_arena_parse(&a, text, 2 * deep + 2, NULL, &root, &e), OD_ELIMIT);
	assert_string_equal(e.msg, "JSON: nested deeper than 1000 at byte 1000");
	json_arena_free(&a);
	free(text);
}

static void test_skip(void **state)
{
	static const char *const keys[] = { "env", "managedFields", "labels", NULL };
	struct json_arena_skip skip;
	struct json_arena a;
	struct err e = { 0 };
	cJSON *root = NULL;
	const char *text = "{\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":\"x\"},"
			   "\"managedFields\":[{\"f\":1}]},\"spec\":{\"containers\":"
			   "[{\"name\":\"c\",\"env\":[{\"name\":\"A\"}],\"envy\":1}]}}";
	const char *want = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
			   "[{\"name\":\"c\",\"envy\":1}]}}";
	cJSON *ref = cJSON_Parse(want);

	(void)state;
	json_arena_skip_init(&skip, keys);
	json_arena_init(&a);
	assert_int_equal(json_arena_parse(&a, text, strlen(text), &skip, &root, &e), OD_OK);
	assert_true(same_tree(ref, root));
	/* a key is compared as the C string lookups see: "env\u0000x" is "env" */
	const char *nul = "{\"env\\u0000x\":1,\"k\":2}";
	assert_int_equal(json_arena_parse(&a, nul, strlen(nul), &skip, &root, &e), OD_OK);
	assert_string_equal(root->child->string, "k");
	assert_null(root->child->next);
	/* a skipped value is still checked */
	const char *bad = "{\"env\":[1,}";
	assert_int_equal(json_arena_parse(&a, bad, strlen(bad), &skip, &root, &e), OD_EPARSE);
	assert_string_equal(e.msg, "JSON: malformed at byte 10 of 11");
	const char *badesc = "{\"env\":\"\\x\"}";
	assert_int_equal(json_arena_parse(&a, badesc, strlen(badesc), &skip, &root, &e),
			 OD_EPARSE);
	json_arena_free(&a);
	cJSON_Delete(ref);
}

/* Pages parsed into one arena in turn: big strings, many chunks, reset between. */
static void test_reuse(void **state)
{
	size_t big = 3u * 1024u * 1024u;
	char *text = malloc(big + 64);
	struct json_arena a;
	struct err e = { 0 };
	cJSON *root = NULL;

	(void)state;
	assert_non_null(text);
	json_arena_init(&a);
	for (int round = 0; round < 3; round++) {
		/* a string larger than a chunk, then many small nodes */
		size_t n = 0;
		text[n++] = '[';
		text[n++] = '"';
		memset(text + n, 'a' + round, big / 2);
		n += big / 2;
		text[n++] = '"';
		while (n < big) {
			memcpy(text + n, ",{\"k\":1}", 8);
			n += 8;
		}
		text[n++] = ']';
		json_arena_reset(&a);
		assert_int_equal(json_arena_parse(&a, text, n, NULL, &root, &e), OD_OK);
		assert_int_equal(strlen(root->child->valuestring), big / 2);
		assert_int_equal(root->child->valuestring[0], 'a' + round);
		cJSON *ref = cJSON_ParseWithLength(text, n);
		assert_true(same_tree(ref, root));
		cJSON_Delete(ref);
	}
	json_arena_free(&a);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_tree_as_cjson),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
