/*
 * test_watch.c: the watch-stream splitter and event parser: objects split at
 * every byte boundary, CRLF and missing newlines, strings with braces and
 * escapes, the per-event cap, malformed input, and in-stream 410 ERRORs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/watch.h"

struct collected {
	int n;
	char objs[8][512];
	int fail_at;     /* callback returns an error at this object (1-based); 0: never */
};

static enum od_status collect(const char *text, size_t len, void *arg, struct err *e)
{
	struct collected *c = arg;

	assert_int_equal(strlen(text), len);
	if (c->n < 8)
		snprintf(c->objs[c->n], sizeof(c->objs[c->n]), "%s", text);
	c->n++;
	if (c->fail_at && c->n == c->fail_at)
		return err_set(e, OD_EPARSE, "stop");
	return OD_OK;
}

static const char stream[] =
	"{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a{b}\",\"resourceVersion\":\"10\"}}}\n"
	"{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"q\\\"}\\\\\",\"resourceVersion\":\"11\"},\"x\":[1,{\"y\":\"]\"}]}}\r\n"
	"{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"12\"}}}"
	"{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"\xc3\xa9t\xc3\xa9\",\"resourceVersion\":\"13\"}}}\n";

static void check_four(const struct collected *c)
{
	assert_int_equal(c->n, 4);
	assert_non_null(strstr(c->objs[0], "\"a{b}\""));
	assert_non_null(strstr(c->objs[1], "\"y\":\"]\""));
	assert_int_equal(c->objs[1][strlen(c->objs[1]) - 1], '}');
	assert_non_null(strstr(c->objs[2], "BOOKMARK"));
	assert_non_null(strstr(c->objs[3], "DELETED"));
}

static void test_whole_stream(void **state)
{
	struct watch_splitter s;
	struct collected c = { 0 };
	struct err e;

	(void)state;
	watch_splitter_init(&s, 0);
	assert_int_equal(watch_splitter_feed(&s, stream, strlen(stream), collect, &c, &e), OD_OK);
	assert_int_equal(watch_splitter_finish(&s, &e), OD_OK);
	check_four(&c);
	watch_splitter_free(&s);
}

/* Every split into two pieces, and byte-at-a-time, give the same objects. */
static void test_every_boundary(void **state)
{
	size_t n = strlen(stream);

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		struct watch_splitter s;
		struct collected c = { 0 };
		struct err e;
		watch_splitter_init(&s, 0);
		assert_int_equal(watch_splitter_feed(&s, stream, cut, collect, &c, &e), OD_OK);
		assert_int_equal(watch_splitter_feed(&s, stream + cut, n - cut, collect, &c, &e),
				 OD_OK);
		assert_int_equal(watch_splitter_finish(&s, &e), OD_OK);
		check_four(&c);
		watch_splitter_free(&s);
	}
	struct watch_splitter s;
	struct collected c = { 0 };
	struct err e;
	watch_splitter_init(&s, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(watch_splitter_feed(&s, stream + i, 1, collect, &c, &e), OD_OK);
	check_four(&c);
	watch_splitter_free(&s);
}

static void test_truncated_at_end(void **state)
{
	struct watch_splitter s;
	struct collected c = { 0 };
	struct err e;
	const char *half = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{";

	(void)state;
	watch_splitter_init(&s, 0);
	assert_int_equal(watch_splitter_feed(&s, half, strlen(half), collect, &c, &e), OD_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(watch_splitter_finish(&s, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "truncated event"));
	watch_splitter_free(&s);
}

static void test_garbage_between_objects(void **state)
{
	struct watch_splitter s;
	struct collected c = { 0 };
	struct err e;
	const char *bad = "{\"type\":\"ADDED\",\"object\":{}}\nnot json\n";

	(void)state;
	watch_splitter_init(&s, 0);
	assert_int_equal(watch_splitter_feed(&s, bad, strlen(bad), collect, &c, &e), OD_EPARSE);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(e.msg, "expected a JSON object at byte 29"));
	/* a failed splitter refuses more input */
	assert_int_equal(watch_splitter_feed(&s, "{}", 2, collect, &c, &e), OD_ESTATE);
	watch_splitter_free(&s);
}

/* Found by fuzz/watch_stream: a raw NUL would cut the object short for C-string readers. */
static void test_nul_byte_rejected(void **state)
{
	struct watch_splitter s;
	struct collected c = { 0 };
	struct err e;
	const char bad[] = "{\"type\":\"ADDED\",\"object\":{\"a\":\"x\0y\"}}";

	(void)state;
	watch_splitter_init(&s, 0);
	assert_int_equal(watch_splitter_feed(&s, bad, sizeof(bad) - 1, collect, &c, &e), OD_EPARSE);
	assert_int_equal(c.n, 0);
	assert_non_null(strstr(e.msg, "NUL byte"));
	watch_splitter_free(&s);
}

static void test_cap(void **state)
{
	struct watch_splitter s;
	struct collected c = { 0 };
	struct err e;
	char big[200];

	(void)state;
	/* exactly at the cap passes, one byte more fails */
	watch_splitter_init(&s, 64);
	memset(big, ' ', sizeof(big));
	big[0] = '{';
	big[1] = '"';
	memset(big + 2, 'x', 59);
	memcpy(big + 61, "\":1}", 4); /* 65 bytes */
	assert_int_equal(watch_splitter_feed(&s, big + 1, 0, collect, &c, &e), OD_OK);
	char ok[65];
	ok[0] = '{';
	ok[1] = '"';
	memset(ok + 2, 'y', 58);
	memcpy(ok + 60, "\":1}", 4); /* 64 bytes */
	assert_int_equal(watch_splitter_feed(&s, ok, 64, collect, &c, &e), OD_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(watch_splitter_feed(&s, big, 65, collect, &c, &e), OD_ELIMIT);
	assert_non_null(strstr(e.msg, "64-byte limit"));
	assert_int_equal(c.n, 1);
	watch_splitter_free(&s);

	/* the cap holds across many small writes too */
	watch_splitter_init(&s, 64);
	enum od_status rc = OD_OK;
	for (size_t i = 0; i < 65 && rc == OD_OK; i++)
		rc = watch_splitter_feed(&s, big + i, 1, collect, &c, &e);
	assert_int_equal(rc, OD_ELIMIT);
	watch_splitter_free(&s);
}

static void test_callback_error_stops(void **state)
{
	struct watch_splitter s;
	struct collected c = { .fail_at = 2 };
	struct err e;

	(void)state;
	watch_splitter_init(&s, 0);
	assert_int_equal(watch_splitter_feed(&s, stream, strlen(stream), collect, &c, &e),
			 OD_EPARSE);
	assert_int_equal(c.n, 2);
	assert_string_equal(e.msg, "stop");
	watch_splitter_free(&s);
}

static void test_event_types(void **state)
{
	struct watch_event ev;
	struct err e;
	const char *added =
		"{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"p\",\"resourceVersion\":\"42\"}}}";
	const char *bookmark =
		"{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"77\"}}}";

	(void)state;
	assert_int_equal(watch_event_parse(added, strlen(added), &ev, &e), OD_OK);
	assert_int_equal(ev.type, WATCH_ADDED);
	assert_string_equal(ev.resource_version, "42");
	assert_non_null(ev.object);
	watch_event_clear(&ev);
	assert_null(ev.root);

	assert_int_equal(watch_event_parse(bookmark, strlen(bookmark), &ev, &e), OD_OK);
	assert_int_equal(ev.type, WATCH_BOOKMARK);
	assert_string_equal(ev.resource_version, "77");
	assert_string_equal(watch_type_name(ev.type), "BOOKMARK");
	watch_event_clear(&ev);
}

static void test_error_410(void **state)
{
	struct watch_event ev;
	struct err e;
	const char *gone =
		"{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
		"\"status\":\"Failure\",\"message\":\"too old resource version: 5 (100)\",\"reason\":\"Expired\",\"code\":410}}";
	const char *other =
		"{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"boom\",\"reason\":\"InternalError\",\"code\":500}}";

	(void)state;
	assert_int_equal(watch_event_parse(gone, strlen(gone), &ev, &e), OD_OK);
	assert_int_equal(ev.type, WATCH_ERROR);
	assert_int_equal(ev.code, 410);
	assert_true(ev.gone);
	assert_string_equal(ev.reason, "Expired");
	assert_string_equal(ev.message, "too old resource version: 5 (100)");
	watch_event_clear(&ev);

	assert_int_equal(watch_event_parse(other, strlen(other), &ev, &e), OD_OK);
	assert_int_equal(ev.code, 500);
	assert_false(ev.gone);
	watch_event_clear(&ev);
}

static void test_malformed_events(void **state)
{
	struct watch_event ev;
	struct err e;
	const char *cases[][2] = {
		{ "{\"type\":\"ADDED\",\"object\":{", "malformed JSON" },
		{ "[1,2]", "malformed JSON" },
		{ "{\"object\":{}}", "no \"type\"" },
		{ "{\"type\":\"EXPLODED\",\"object\":{}}", "unknown type \"EXPLODED\"" },
		{ "{\"type\":\"ADDED\"}", "ADDED: no object" },
		{ "{\"type\":\"ADDED\",\"object\":\"x\"}", "ADDED: no object" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(watch_event_parse(cases[i][0], strlen(cases[i][0]), &ev, &e),
				 OD_EPARSE);
		assert_non_null(strstr(e.msg, cases[i][1]));
		assert_null(ev.root);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_stream),
		cmocka_unit_test(test_every_boundary),
		cmocka_unit_test(test_truncated_at_end),
		cmocka_unit_test(test_garbage_between_objects),
		cmocka_unit_test(test_nul_byte_rejected),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_event_types),
		cmocka_unit_test(test_error_410),
		cmocka_unit_test(test_malformed_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
