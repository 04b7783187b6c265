/*
 * test_alerts.c: Alertmanager API v2 answers as opsdeck reads them: order
 * (critical first, then older), labels, annotations, silences covering an
 * alert by silencedBy or by matchers (=, !=, =~ anchored, !~), malformed
 * and oversized answers refused without changing what was held, and the
 * query_range matrix summed per timestamp, and URLs shown without
 * credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/alerts.h"
#include "opsdeck/promsource.h"

static const char alerts_json[] =
	"[{\"labels\":{\"alertname\":\"HighResponseTime\",\"severity\":\"warning\",\"job\":\"matrixon\"},"
	"\"annotations\":{},\"startsAt\":\"2026-11-22T14:00:00.5Z\",\"fingerprint\":\"b\","
	"\"status\":{\"state\":\"active\",\"silencedBy\":[]}},"
	"{\"labels\":{\"alertname\":\"MatrixonDown\",\"severity\":\"critical\",\"job\":\"matrixon\"},"
	"\"annotations\":{\"summary\":\"down\",\"description\":\"all of it\"},"
	"\"startsAt\":\"2026-11-22T14:05:00Z\",\"fingerprint\":\"a\","
	"\"status\":{\"state\":\"active\",\"silencedBy\":[]}},"
	"{\"labels\":{\"alertname\":\"Old\",\"severity\":\"warning\",\"namespace\":\"ns\"},"
	"\"startsAt\":\"2026-11-22T13:00:00Z\",\"fingerprint\":\"c\","
	"\"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"s1\"]}}]";

static const char silences_json[] =
	"[{\"id\":\"s1\",\"status\":{\"state\":\"active\"},\"createdBy\":\"alice\",\"comment\":\"c1\","
	"\"startsAt\":\"2026-11-22T13:00:00Z\",\"endsAt\":\"2026-11-22T15:00:00Z\","
	"\"matchers\":[{\"name\":\"alertname\",\"value\":\"Nothing\",\"isRegex\":false,\"isEqual\":true}]},"
	"{\"id\":\"s2\",\"status\":{\"state\":\"active\"},\"createdBy\":\"bob\",\"comment\":\"c2\","
	"\"startsAt\":\"2026-11-22T13:00:00Z\",\"endsAt\":\"2026-11-22T15:00:00Z\","
	"\"matchers\":[{\"name\":\"alertname\",\"value\":\"High.*\",\"isRegex\":true,\"isEqual\":true},"
	"{\"name\":\"job\",\"value\":\"sim\",\"isRegex\":false,\"isEqual\":false}]},"
	"{\"id\":\"s3\",\"status\":{\"state\":\"expired\"},\"createdBy\":\"carol\",\"comment\":\"c3\","
	"\"startsAt\":\"2026-11-22T13:00:00Z\",\"endsAt\":\"2026-11-22T13:30:00Z\","
	"\"matchers\":[{\"name\":\"alertname\",\"value\":\"MatrixonDown\",\"isRegex\":false,\"isEqual\":true}]},"
	"{\"id\":\"s4\",\"status\":{\"state\":\"active\"},\"createdBy\":\"dan\",\"comment\":\"c4\","
	"\"startsAt\":\"2026-11-22T13:00:00Z\",\"endsAt\":\"2026-11-22T15:00:00Z\","
	"\"matchers\":[{\"name\":\"alertname\",\"value\":\"Matrix\",\"isRegex\":true,\"isEqual\":true}]}]";

static void test_parse_and_order(void **state)
{
	struct am_alerts a = { 0 };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(am_alerts_parse(alerts_json, strlen(alerts_json), &a, &e), OD_OK);
	assert_int_equal(a.nalerts, 3);
	/* critical first; then the warnings, older first */
	assert_string_equal(a.alerts[0].name, "MatrixonDown");
	assert_string_equal(a.alerts[1].name, "Old");
	assert_string_equal(a.alerts[2].name, "HighResponseTime");
	assert_string_equal(a.alerts[0].summary, "down");
	assert_string_equal(a.alerts[0].description, "all of it");
	assert_string_equal(a.alerts[2].summary, "");
	assert_int_equal(a.alerts[2].starts_at, 1795356000);
	assert_string_equal(am_alert_label(&a.alerts[0], "job"), "matrixon");
	assert_null(am_alert_label(&a.alerts[0], "namespace"));
	/* labels sorted by name */
	assert_string_equal(a.alerts[0].labels[0].name, "alertname");
	assert_string_equal(a.alerts[0].labels[1].name, "job");
	am_alerts_clear(&a);
}

static void test_silences_cover(void **state)
{
	struct am_alerts a = { 0 };
	struct err e = { 0 };
	char text[512];

	(void)state;
	assert_int_equal(am_alerts_parse(alerts_json, strlen(alerts_json), &a, &e), OD_OK);
	assert_int_equal(am_silences_parse(silences_json, strlen(silences_json), &a, &e), OD_OK);
	assert_int_equal(a.nsilences, 4);
	/* s1 by silencedBy although its matchers do not match */
	assert_true(am_silence_covers(&a.silences[0], &a.alerts[1]));
	assert_false(am_silence_covers(&a.silences[0], &a.alerts[0]));
	/* s2: regex and != */
	assert_true(am_silence_covers(&a.silences[1], &a.alerts[2]));
	assert_false(am_silence_covers(&a.silences[1], &a.alerts[0]));
	/* s3 expired */
	assert_false(am_silence_covers(&a.silences[2], &a.alerts[0]));
	/* s4: a regex is anchored at both ends, "Matrix" is not "MatrixonDown" */
	assert_false(am_silence_covers(&a.silences[3], &a.alerts[0]));
	am_alert_silences_text(&a, &a.alerts[2], text, sizeof(text));
	assert_string_equal(text, "s2 (by bob, until 2026-11-22T15:00:00Z: c2)");
	am_alert_labels_text(&a.alerts[2], text, sizeof(text));
	assert_string_equal(text, "job=matrixon, severity=warning");
	am_alerts_clear(&a);
}

static void test_refused_keeps_old(void **state)
{
	struct am_alerts a = { 0 };
	struct err e = { 0 };
	static const char *const bad[] = {
		"", "{}", "[1]", "[{\"labels\":{\"alertname\":3}}]", "[{\"annotations\":{}}]",
		"[{\"labels\":{}", "null",
	};

	(void)state;
	assert_int_equal(am_alerts_parse(alerts_json, strlen(alerts_json), &a, &e), OD_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(am_alerts_parse(bad[i], strlen(bad[i]), &a, &e), OD_OK);
		assert_int_equal(a.nalerts, 3);
	}
	assert_int_not_equal(am_silences_parse("[{\"id\":\"x\"}]", 12, &a, &e), OD_OK);
	assert_int_equal(a.nsilences, 0);
	am_alerts_clear(&a);
}

static void test_too_many_labels(void **state)
{
	struct am_alerts a = { 0 };
	struct err e = { 0 };
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_append_str(&b, "[{\"labels\":{", NULL);
	for (unsigned i = 0; i <= AM_MAX_LABELS; i++)
		buf_printf(&b, NULL, "%s\"l%u\":\"v\"", i ? "," : "", i);
	buf_append_str(&b, "}}]", NULL);
	assert_int_equal(am_alerts_parse(b.data, b.len, &a, &e), OD_ELIMIT);
	assert_int_equal(a.nalerts, 0);
	buf_free(&b);
}

static void test_table_and_json(void **state)
{
	struct am_alerts a = { 0 };
	struct err e = { 0 };
	struct buf out;

	(void)state;
	buf_init(&out, 1 << 20);
	assert_int_equal(am_alerts_table(&a, 0, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), "No firing alerts.\n");
	buf_reset(&out);
	assert_int_equal(am_alerts_parse(alerts_json, strlen(alerts_json), &a, &e), OD_OK);
	assert_int_equal(am_silences_parse(silences_json, strlen(silences_json), &a, &e), OD_OK);
	assert_int_equal(am_alerts_table(&a, 1795356000 + 3600, &out, &e), OD_OK);
	assert_non_null(strstr(buf_cstr(&out), "MatrixonDown       critical   active       55m      down\n"));
	assert_non_null(strstr(buf_cstr(&out), "    description: all of it\n"));
	assert_non_null(strstr(buf_cstr(&out), "    silenced by: s1 (by alice, until 2026-11-22T15:00:00Z: c1)\n"));
	buf_reset(&out);
	assert_int_equal(am_alerts_json(&a, 1795356000 + 3600, &out, &e), OD_OK);
	assert_non_null(strstr(buf_cstr(&out), "\"age\":\t\"60m\""));
	am_alerts_clear(&a);
	buf_free(&out);
}

static void test_prom_matrix(void **state)
{
	static const char m[] =
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
		"{\"metric\":{\"pod\":\"a\"},\"values\":[[100,\"1\"],[115,\"2\"]]},"
		"{\"metric\":{\"pod\":\"b\"},\"values\":[[115,\"10\"],[130,\"NaN\"]]}]}}";
	struct prom_range r = { 0 };
	struct err e = { 0 };
	char expr[512];
	struct prom_target t = { .namespace_ = "ns", .pod_regex = "web-[0-9]+" };

	(void)state;
	assert_int_equal(prom_range_parse(m, strlen(m), &r, &e), OD_OK);
	assert_int_equal(r.nseries, 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0].ts, 100);
	assert_true(r.v[1].value == 12.0 && r.v[1].series == 2 && r.v[1].min == 2.0 &&
		    r.v[1].max == 10.0);
	prom_range_free(&r);
	assert_int_not_equal(prom_range_parse("{\"status\":\"error\",\"error\":\"bad\"}", 33, &r, &e),
			     OD_OK);
	assert_int_equal(prom_expr(PROM_MEMORY, &t, 15, expr, sizeof(expr), &e), OD_OK);
	assert_string_equal(expr, "container_memory_working_set_bytes{namespace=\"ns\",pod=~\"web-[0-9]+\"}");
	t.pod_regex = NULL;
	t.pod = "we\"ird";
	assert_int_equal(prom_expr(PROM_CPU, &t, 120, expr, sizeof(expr), &e), OD_OK);
	assert_string_equal(expr, "irate(container_cpu_usage_seconds_total{namespace=\"ns\",pod=\"we\\\"ird\"}[120s]) * 1000");
}

/* Credentials in a configured URL never reach a message or the screen. */
static void test_url_display(void **state)
{
	char out[256];

	(void)state;
	am_url_display("https://bob:s3cret@am.example.org:9093/prefix", out, sizeof(out));
	assert_string_equal(out, "https://am.example.org:9093/prefix");
	am_url_display("http://127.0.0.1:9093", out, sizeof(out));
	assert_string_equal(out, "http://127.0.0.1:9093");
	am_url_display("http://host/path@x", out, sizeof(out));
	assert_string_equal(out, "http://host/path@x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_order),
		cmocka_unit_test(test_silences_cover),
		cmocka_unit_test(test_refused_keeps_old),
		cmocka_unit_test(test_too_many_labels),
		cmocka_unit_test(test_table_and_json),
		cmocka_unit_test(test_prom_matrix),
		cmocka_unit_test(test_url_display),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
