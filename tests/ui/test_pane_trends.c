/*
 * test_pane_trends.c: the Trends pane in-process on a headless screen over a
 * temporary history store: live ticks appear without a key press once the
 * collector writes them; restarts (pod transitions), actions (audit rows)
 * and Warning events are marked on the time axis; `:history`'s parser; a
 * storage forecast from the week when the window holds one point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/store.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_pods.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_headless.h"
#include "opsdeck/ui_command.h"
#include "opsdeck/ui_pane_trends.h"

#define NOW 1795100000
#define GI 1073741824LL

static char dir[] = "/tmp/od-test-trends-XXXXXX";
static char db[256];

static void screen_text(char *out, size_t n)
{
	FILE *f = fmemopen(out, n, "w");

	assert_non_null(f);
	headless_write_screen(f);
	fclose(f);
}

static int64_t series(struct store *st, enum store_metric m)
{
	struct store_series_key k = { .context = "demo", .namespace = "matrix",
				      .kind = STORE_KIND_POD, .object = "web-0", .container = "app",
				      .metric = m };
	struct err e = { 0 };
	int64_t id = 0;

	assert_int_equal(store_series_id(st, &k, true, &id, &e), OD_OK);
	return id;
}

static void put(struct store *st, int64_t ts, int64_t mem)
{
	struct store_sample s[2] = { { series(st, STORE_METRIC_MEMORY), mem },
				     { series(st, STORE_METRIC_CPU), 100 } };
	struct err e = { 0 };

	assert_int_equal(store_tick_append(st, ts, s, 2, &e), OD_OK);
}

/* An hour of 1Gi, one sample a minute, ending a minute before NOW. */
static void fill(void)
{
	struct store *st = NULL;
	struct err e = { 0 };

	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	for (int64_t t = NOW - 3600; t < NOW; t += 60)
		put(st, t, GI);
	store_close(&st);
}

static struct app *open_app(void)
{
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40, .fixed_now = NOW };
	struct err e = { 0 };

	assert_non_null(app);
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	snprintf(app->status.context, sizeof(app->status.context), "demo");
	trends_pane_set_db(&app->panes[1], db);
	trends_pane_set_target(&app->panes[1], TRENDS_MODE_POD, "matrix", "web-0");
	app_handle_key(app, '2');
	app_handle_key(app, 'z');
	app_handle_key(app, '['); /* 1h */
	app_update(app);
	return app;
}

static void test_live_ticks_appear(void **state)
{
	static char screen[64 * 1024];
	struct app *app;
	struct store *st = NULL;
	struct err e = { 0 };

	(void)state;
	fill();
	app = open_app();
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "pod matrix/web-0  1h until live"));
	assert_non_null(strstr(screen, "MEM  min 1Gi avg 1Gi p95 1Gi max 1Gi"));
	/* The collector writes a tick; two seconds later the pane shows it unasked. */
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	put(st, NOW, 3 * GI);
	store_close(&st);
	app->now = NOW + 1;
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "max 1Gi"));  /* not polled yet */
	app->now = NOW + 1 + TRENDS_POLL_S;
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "max 3Gi"));
	app_fini(app);
	free(app);
}

static void test_markers(void **state)
{
	static char screen[64 * 1024];
	struct app *app;
	struct store *st = NULL;
	struct err e = { 0 };
	struct store_pod_state ps = { .context = "demo", .namespace = "matrix", .pod = "web-0",
				      .phase = "Running", .ready = true };
	struct store_event ev = { .uid = "u1", .context = "demo", .namespace = "matrix",
				  .type = "Warning", .reason = "BackOff", .message = "back-off",
				  .obj_kind = "Pod", .obj_name = "web-0", .count = 1,
				  .first_seen = NOW - 600, .last_seen = NOW - 600 };
	struct store_audit_entry au = { .ts_ms = (NOW - 2400) * 1000LL, .action = "restart",
					.step = "apply", .context = "demo", .namespace = "matrix",
					.object = "pod/web-0", .outcome = "ok" };
	char *axis;

	(void)state;
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	ps.ts = NOW - 3000;
	ps.restarts = 0;
	assert_int_equal(store_pod_transition_record(st, &ps, NULL, &e), OD_OK);
	ps.ts = NOW - 1800;
	ps.restarts = 1;
	ps.reason = "OOMKilled";
	assert_int_equal(store_pod_transition_record(st, &ps, NULL, &e), OD_OK);
	assert_int_equal(store_events_upsert(st, &ev, 1, &e), OD_OK);
	assert_int_equal(store_audit_append(st, &au, &e), OD_OK);
	store_close(&st);
	app = open_app();
	screen_text(screen, sizeof(screen));
	/* The marker row under the CPU chart: action, restart, event in time order. */
	axis = strstr(screen, "MEM ");
	assert_non_null(axis);
	assert_non_null(strstr(screen, "*"));
	assert_non_null(strstr(screen, "^"));
	assert_non_null(strstr(screen, "!"));
	{
		/* one row holds all three, left to right */
		char *row = strstr(screen, "*");
		char *eol = strchr(row, '\n');
		char *r = strchr(row, '^'), *x = strchr(row, '!');

		assert_true(r && x && r < eol && x < eol && row < r && r < x);
	}
	app_fini(app);
	free(app);
}

/* Usage and capacity of a claim, one sample at ts. */
static void put_pvc(struct store *st, const char *claim, int64_t ts, int64_t used)
{
	struct store_series_key k = { .context = "demo", .namespace = "matrix",
				      .kind = STORE_KIND_PVC, .object = claim,
				      .metric = STORE_METRIC_STORAGE_USED };
	struct store_sample s[2];
	struct err e = { 0 };

	assert_int_equal(store_series_id(st, &k, true, &s[0].series, &e), OD_OK);
	k.metric = STORE_METRIC_STORAGE_CAPACITY;
	assert_int_equal(store_series_id(st, &k, true, &s[1].series, &e), OD_OK);
	s[0].value = used;
	s[1].value = 100 * GI;
	assert_int_equal(store_tick_append(st, ts, s, 2, &e), OD_OK);
}

/*
 * Usage read once an hour: the 1h window holds one point, so its forecast
 * is the line over the week before (and says so); 6h holds three points
 * and forecasts from them. 20, 30, 40Gi of 100Gi an hour apart, the last
 * half an hour ago: full in five and a half hours ("~5h": the points sit
 * at their buckets' starts, a little earlier).
 */
static void test_sparse_pvc_forecast(void **state)
{
	static char screen[64 * 1024];
	struct app *app;
	struct store *st = NULL;
	struct err e = { 0 };
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40, .fixed_now = NOW };

	(void)state;
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	for (int i = 0; i < 3; i++)
		put_pvc(st, "data-db-0", NOW - 1800 - (2 - i) * 3600, (20 + 10 * i) * GI);
	store_close(&st);
	app = calloc(1, sizeof(*app));
	assert_non_null(app);
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	snprintf(app->status.context, sizeof(app->status.context), "demo");
	trends_pane_set_db(&app->panes[1], db);
	trends_pane_set_target(&app->panes[1], TRENDS_MODE_PVC, "matrix", "data-db-0");
	app_handle_key(app, '2');
	app_handle_key(app, 'z');
	app_handle_key(app, '['); /* 1h */
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "pvc matrix/data-db-0  1h until live"));
	assert_non_null(strstr(screen, "PVC  min 40Gi avg 40Gi p95 40Gi max 40Gi"));
	/* The week comes in 15-minute buckets, each point at its bucket's start. */
	assert_non_null(strstr(screen, "of 100Gi, full in ~5h (7d trend)"));
	app_handle_key(app, ']'); /* 6h */
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "PVC  min 20Gi avg 30Gi"));
	assert_non_null(strstr(screen, "of 100Gi, full in ~5h"));
	assert_null(strstr(screen, "(7d trend)"));
	app_fini(app);
	free(app);
}

/* One usage sample ever: no line to draw through it, whatever the window. */
static void test_single_point_no_forecast(void **state)
{
	static char screen[64 * 1024];
	struct app *app;
	struct store *st = NULL;
	struct err e = { 0 };
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40, .fixed_now = NOW };

	(void)state;
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	put_pvc(st, "data-db-1", NOW - 600, 50 * GI);
	store_close(&st);
	app = calloc(1, sizeof(*app));
	assert_non_null(app);
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	snprintf(app->status.context, sizeof(app->status.context), "demo");
	trends_pane_set_db(&app->panes[1], db);
	trends_pane_set_target(&app->panes[1], TRENDS_MODE_PVC, "matrix", "data-db-1");
	app_handle_key(app, '2');
	app_handle_key(app, 'z');
	app_handle_key(app, '[');
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "of 100Gi, no forecast (too few points)"));
	app_fini(app);
	free(app);
}

static void test_history_time(void **state)
{
	int64_t t = -1;

	(void)state;
	assert_true(trends_parse_time("now", NOW, &t));
	assert_int_equal(t, 0);
	assert_true(trends_parse_time("-2h", NOW, &t));
	assert_int_equal(t, NOW - 7200);
	assert_true(trends_parse_time("-3d", NOW, &t));
	assert_int_equal(t, NOW - 3 * 86400);
	assert_true(trends_parse_time("1795000000", NOW, &t));
	assert_int_equal(t, 1795000000);
	assert_true(trends_parse_time("2026-11-19T12:00:00Z", NOW, &t));
	assert_int_equal(t, 1795089600);
	assert_false(trends_parse_time("yesterday", NOW, &t));
	assert_false(trends_parse_time("-x", NOW, &t));
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof(db), "%s/history.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	static const char *const files[] = { "history.db", "history.db-wal", "history.db-shm",
					     "history.db.audit-head" };

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

/* `:history TIME` reaches the Trends pane from the command line. */
static void test_history_command_wired(void **state)
{
	const struct ui_command *c = ui_command_find("history");

	(void)state;
	assert_non_null(c);
	assert_true(c->run == trends_command_history);
	assert_non_null(strstr(c->help, "Trends"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_command_wired),
		cmocka_unit_test(test_history_time),
		cmocka_unit_test(test_live_ticks_appear),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_sparse_pvc_forecast),
		cmocka_unit_test(test_single_point_no_forecast),
	};

	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-opsdeck-test", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
