/*
 * test_describe.c: the describe view from a pod built in-process from
 * literal data (test input): last state with OOMKilled and exit codes,
 * requests and limits, conditions; and Enter on the Pods pane opening it on
 * a headless screen, Esc closing it.
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

#include "opsdeck/ui_app.h"
#include "opsdeck/ui_describe.h"
#include "opsdeck/ui_headless.h"

#define NOW 1795100000

static struct pod_container containers[] = {
	{ .name = (char *)"synapse", .image = (char *)"matrixdotorg/synapse:v1.98",
	  .requests = { .cpu_milli = 500, .memory_bytes = 1073741824 },
	  .limits = { .cpu_milli = -1, .memory_bytes = 2147483648 } },
};
static struct pod_container_status statuses[] = {
	{ .name = (char *)"synapse", .ready = false, .restart_count = 7,
	  .state = { .kind = CONTAINER_STATE_WAITING, .reason = (char *)"CrashLoopBackOff",
		     .message = (char *)"back-off 5m0s restarting failed container" },
	  .last_state = { .kind = CONTAINER_STATE_TERMINATED, .reason = (char *)"OOMKilled",
			  .exit_code = 137, .finished_at = { .sec = NOW - 120 } } },
};
static struct pod_condition conditions[] = {
	{ .type = (char *)"Ready", .status = (char *)"False",
	  .reason = (char *)"ContainersNotReady" },
};
static struct pod_label labels[] = {
	{ .key = (char *)"app", .value = (char *)"synapse" },
	{ .key = (char *)"tier", .value = (char *)"backend" },
};
static char *ips[] = { (char *)"10.244.0.17" };

static struct pod the_pod = {
	.name = (char *)"synapse-0", .namespace_ = (char *)"matrix", .phase = (char *)"Running",
	.created = { .sec = NOW - 86400 * 2 }, .node = (char *)"node-a", .ips = ips, .nips = 1,
	.conditions = conditions, .nconditions = 1, .containers = containers,
	.ncontainers = 1, .statuses = statuses, .nstatuses = 1,
	.owner_kind = (char *)"StatefulSet", .owner_name = (char *)"synapse",
	.labels = labels, .nlabels = 2,
};

static void test_describe_text(void **state)
{
	struct buf b;
	struct err e = { 0 };
	const char *t;

	(void)state;
	buf_init(&b, DESCRIBE_TEXT_MAX);
	assert_int_equal(describe_pod(&the_pod, NOW, &b, &e), OD_OK);
	t = buf_cstr(&b);
	assert_non_null(strstr(t, "Name:           synapse-0\n"));
	assert_non_null(strstr(t, "Status:         CrashLoopBackOff\n"));
	assert_non_null(strstr(t, "Ready:          0/1\n"));
	assert_non_null(strstr(t, "Controlled By:  StatefulSet/synapse\n"));
	assert_non_null(strstr(t, "Labels:         app=synapse\n                tier=backend\n"));
	assert_non_null(strstr(t, "    State:      Waiting (CrashLoopBackOff)\n"));
	assert_non_null(strstr(t, "    Last State: Terminated (OOMKilled), exit code 137, finished "));
	assert_non_null(strstr(t, "(2m ago)"));
	assert_non_null(strstr(t, "    Restarts:   7\n"));
	assert_non_null(strstr(t, "    Requests:   cpu 500m, memory 1Gi\n"));
	assert_non_null(strstr(t, "    Limits:     cpu -, memory 2Gi\n"));
	assert_non_null(strstr(t, "  Ready                  False    ContainersNotReady\n"));
	buf_free(&b);
}

/* A source with one row and the full pod behind it, as the informer cache will be. */
static struct pod_view one_row;

static size_t src_count(void *self)
{
	(void)self;
	return 1;
}

static const struct pod_view *src_row(void *self, size_t i)
{
	(void)self;
	return i == 0 ? &one_row : NULL;
}

static uint64_t src_gen(void *self)
{
	(void)self;
	return 1;
}

static const struct pod *src_pod(void *self, size_t i)
{
	(void)self;
	return i == 0 ? &the_pod : NULL;
}

static const struct pod_source_ops live_like = {
	.kind = "test", .count = src_count, .row = src_row, .generation = src_gen, .pod = src_pod,
};

static void screen_text(char *out, size_t n)
{
	FILE *f = fmemopen(out, n, "w");

	assert_non_null(f);
	headless_write_screen(f);
	fclose(f);
}

static void test_enter_opens_describe(void **state)
{
	static char screen[64 * 1024];
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = 100, .rows = 30, .fixed_now = NOW };
	struct pod_source src = { .ops = &live_like, .self = NULL };
	struct err e = { 0 };

	(void)state;
	assert_non_null(app);
	podview_from_pod(&one_row, &the_pod, (struct od_time){ .sec = NOW });
	assert_string_equal(one_row.status, "CrashLoopBackOff");
	assert_int_equal(one_row.cpu_req_m, 500);
	assert_int_equal(one_row.mem_lim_b, 2147483648);
	assert_string_equal(one_row.labels, "app=synapse,tier=backend");
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	app_set_pod_source(app, src);
	app_update(app);
	app_handle_key(app, '\n');
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "matrix/synapse-0  (Esc closes)"));
	assert_non_null(strstr(screen, "Last State: Terminated (OOMKilled), exit code 137"));
	app_handle_key(app, 27);
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_null(strstr(screen, "Last State"));
	assert_non_null(strstr(screen, "1 Pods 1 by NAMESPACE"));
	app_fini(app);
	free(app);
}

/* The pod's events, oldest first; other pods' and other namespaces' are left out. */
static void test_describe_events(void **state)
{
	static const struct event_view evs[] = {
		{ .namespace_ = "matrix", .type = "Warning", .reason = "BackOff",
		  .object = "Pod/web-1", .message = "Back-off restarting", .count = 3,
		  .last_seen = 1795099990 },
		{ .namespace_ = "matrix", .type = "Normal", .reason = "Scheduled",
		  .object = "Pod/web-1", .message = "Assigned to node-1", .count = 1,
		  .last_seen = 1795099000 },
		{ .namespace_ = "matrix", .type = "Normal", .reason = "Pulled",
		  .object = "Pod/web-10", .message = "other pod", .count = 1,
		  .last_seen = 1795099500 },
		{ .namespace_ = "other", .type = "Normal", .reason = "Killing",
		  .object = "Pod/web-1", .message = "other namespace", .count = 1,
		  .last_seen = 1795099600 },
	};
	struct eventview_array *ea = NULL;
	struct event_source src;
	struct buf out;
	struct err e = { 0 };
	const char *t, *sched, *backoff;

	(void)state;
	assert_int_equal(eventview_array_new(&ea, &e), OD_OK);
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		assert_int_equal(eventview_array_add(ea, &evs[i], &e), OD_OK);
	src = eventview_array_source(ea);
	buf_init(&out, DESCRIBE_TEXT_MAX);
	assert_int_equal(describe_pod_events(&src, "matrix", "web-1", 1795100000, &out, &e), OD_OK);
	t = buf_cstr(&out);
	sched = strstr(t, "Scheduled");
	backoff = strstr(t, "BackOff");
	assert_non_null(strstr(t, "Events:\n"));
	assert_non_null(sched);
	assert_non_null(backoff);
	assert_true(sched < backoff);
	assert_non_null(strstr(t, "16m"));
	assert_null(strstr(t, "other pod"));
	assert_null(strstr(t, "other namespace"));
	buf_reset(&out);
	assert_int_equal(describe_pod_events(&src, "matrix", "nope", 1795100000, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), "Events:  <none>\n");
	buf_free(&out);
	eventview_array_free(&ea);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_text),
		cmocka_unit_test(test_enter_opens_describe),
		cmocka_unit_test(test_describe_events),
	};

	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-opsdeck-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
