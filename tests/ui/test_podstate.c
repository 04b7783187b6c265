/*
 * test_podstate.c: the dashboard over the history store: pod rows survive a
 * round trip through the last-known state and are painted at start, marked
 * stale, before any API answers; archived events fill the Events pane,
 * Warning first (the real binary, headless).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/store.h"
#include "opsdeck/store_events.h"
#include "opsdeck/ui_podstate.h"

static const struct pod_view rows[] = {
	{ .namespace_ = "matrix", .name = "synapse-0", .ready = 1, .containers = 1,
	  .status = "Running", .restarts = 2, .created = 1795000000, .cpu_m = 250,
	  .mem_b = 512 << 20, .cpu_req_m = 500, .cpu_lim_m = PODVIEW_UNKNOWN,
	  .mem_req_b = 1 << 30, .mem_lim_b = PODVIEW_UNKNOWN, .owner = "StatefulSet/synapse",
	  .labels = "app=synapse" },
	{ .namespace_ = "matrix", .name = "media\twith-a-tab", .ready = 0, .containers = 2,
	  .status = "CrashLoopBackOff", .restarts = 40, .created = 1795090000,
	  .cpu_m = PODVIEW_UNKNOWN, .mem_b = PODVIEW_UNKNOWN, .cpu_req_m = PODVIEW_UNKNOWN,
	  .cpu_lim_m = PODVIEW_UNKNOWN, .mem_req_b = PODVIEW_UNKNOWN,
	  .mem_lim_b = PODVIEW_UNKNOWN },
};

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/opsdeck-podstate-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void save_rows(const char *db)
{
	struct store *st = NULL;
	struct podview_array *pa = NULL;
	struct pod_source src;
	struct err e = { 0 };

	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	assert_int_equal(podview_array_new(&pa, &e), OD_OK);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(podview_array_add(pa, &rows[i], &e), OD_OK);
	src = podview_array_source(pa);
	assert_int_equal(podstate_save(st, "demo", 1795099980, &src, &e), OD_OK);
	podview_array_free(&pa);
	store_close(&st);
}

static void test_round_trip(void **state)
{
	char db[128];
	struct store *st = NULL;
	struct podview_array *pa = NULL;
	struct pod_source src;
	struct err e = { 0 };
	int64_t saved_at = 0;
	const struct pod_view *a, *b;

	(void)state;
	snprintf(db, sizeof(db), "%s/history.db", dir);
	save_rows(db);
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	assert_int_equal(podview_array_new(&pa, &e), OD_OK);
	assert_int_equal(podstate_load(st, "other", pa, &saved_at, &e), OD_OK);
	assert_int_equal(saved_at, 0);
	assert_int_equal(podstate_load(st, "demo", pa, &saved_at, &e), OD_OK);
	assert_int_equal(saved_at, 1795099980);
	src = podview_array_source(pa);
	assert_int_equal(src.ops->count(src.self), 2);
	/* Loaded by name: "media..." before "synapse-0". */
	a = src.ops->row(src.self, 1);
	b = src.ops->row(src.self, 0);
	assert_string_equal(a->name, "synapse-0");
	assert_int_equal(a->mem_b, 512 << 20);
	assert_int_equal(a->cpu_lim_m, PODVIEW_UNKNOWN);
	assert_string_equal(a->owner, "StatefulSet/synapse");
	assert_string_equal(b->name, "media with-a-tab"); /* a tab cannot split a field */
	assert_int_equal(b->containers, 2);
	assert_string_equal(b->owner, "");
	podview_array_free(&pa);
	store_close(&st);
}

static void test_dashboard_paints_last_known(void **state)
{
	char db[128], script[128], cmd[1024], dump[160], line[512];
	const char *build = getenv("OPSDECK_BUILDDIR");
	FILE *f;
	bool stale = false, pod = false;

	(void)state;
	if (!build)
		skip();
	snprintf(db, sizeof(db), "%s/history.db", dir);
	snprintf(script, sizeof(script), "%s/s.script", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("dump start\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "env HOME='%s' KUBECONFIG='%s/none' TZ=UTC LC_ALL=C.UTF-8 '%s/opsdeck' "
		 "--db '%s' --context demo --now 1795100000 --size 100x30 "
		 "--headless-script '%s' --screen-dump '%s'",
		 dir, dir, build, db, script, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(dump, sizeof(dump), "%s/start.txt", dir);
	f = fopen(dump, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		stale = stale || (strstr(line, "stale since 14:53") && strstr(line, "[last known]"));
		pod = pod || strstr(line, "CrashLoopBackOff");
	}
	fclose(f);
	assert_true(stale);
	assert_true(pod);
}

static void test_dashboard_events(void **state)
{
	char db[128], script[128], cmd[1024], dump[160], line[1024];
	const char *build = getenv("OPSDECK_BUILDDIR");
	static const struct store_event evs[] = {
		{ .uid = "1", .context = "demo", .namespace = "matrix", .type = "Normal",
		  .reason = "Pulled", .message = "image pulled", .obj_kind = "Pod",
		  .obj_name = "synapse-0", .count = 1, .first_seen = 1795099000,
		  .last_seen = 1795099900 },
		{ .uid = "2", .context = "demo", .namespace = "matrix", .type = "Warning",
		  .reason = "BackOff", .message = "Back-off restarting failed container",
		  .obj_kind = "Pod", .obj_name = "media-1", .count = 40, .first_seen = 1795090000,
		  .last_seen = 1795099000 },
		{ .uid = "3", .context = "other", .namespace = "matrix", .type = "Warning",
		  .reason = "Elsewhere", .message = "another context", .obj_kind = "Pod",
		  .obj_name = "x", .count = 1, .first_seen = 1795099000, .last_seen = 1795099000 },
	};
	struct store *st = NULL;
	struct err e = { 0 };
	FILE *f;
	int warning_line = 0, normal_line = 0, n = 0;
	bool other = false;

	(void)state;
	if (!build)
		skip();
	snprintf(db, sizeof(db), "%s/history.db", dir);
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	assert_int_equal(store_events_upsert(st, evs, 3, &e), OD_OK);
	store_close(&st);
	snprintf(script, sizeof(script), "%s/ev.script", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("key 5\ndump events\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "env HOME='%s' KUBECONFIG='%s/none' TZ=UTC LC_ALL=C.UTF-8 '%s/opsdeck' "
		 "--db '%s' --context demo --now 1795100000 --size 120x30 "
		 "--headless-script '%s' --screen-dump '%s'",
		 dir, dir, build, db, script, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(dump, sizeof(dump), "%s/events.txt", dir);
	f = fopen(dump, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, "BackOff") && strstr(line, "Pod/media-1") && strstr(line, "40"))
			warning_line = n;
		if (strstr(line, "Pulled") && strstr(line, "Pod/synapse-0"))
			normal_line = n;
		other = other || strstr(line, "Elsewhere");
	}
	fclose(f);
	assert_true(warning_line > 0);
	assert_true(normal_line > warning_line); /* Warning first, though older */
	assert_false(other);                     /* only this context's events */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_dashboard_paints_last_known),
		cmocka_unit_test(test_dashboard_events),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
