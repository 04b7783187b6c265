/*
 * test_triage.c: the triage rules (triage.h) on pods parsed from API JSON,
 * workloads and Warning bursts, worst first; and the Triage view (`!`) in
 * the dashboard on a headless screen: the list, worst first with why and
 * since, and Enter focusing Pods, Logs (previous container) on the row;
 * the view given a workload LIST and an Alertmanager answer lists them in
 * the words `opsdeck triage` uses (the same rules: triage.h, alerts_triage.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/alerts.h"
#include "opsdeck/alerts_triage.h"
#include "opsdeck/store.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "opsdeck/triage.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_headless.h"
#include "opsdeck/ui_pane_triage.h"

#define NOW 1795100000   /* 2026-11-19T14:53:20Z */

/* A crashlooping container, not Ready since 14:23:20 (30 min before NOW). */
static const char crash_json[] =
	"{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"matrix\","
	"\"creationTimestamp\":\"2026-11-18T14:53:20Z\"},"
	"\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"web:1\"}]},"
	"\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
	"\"reason\":\"ContainersNotReady\",\"lastTransitionTime\":\"2026-11-19T14:23:20Z\"}],"
	"\"containerStatuses\":[{\"name\":\"web\",\"ready\":false,\"restartCount\":6,"
	"\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
	"\"lastState\":{\"terminated\":{\"reason\":\"Error\",\"exitCode\":1,"
	"\"startedAt\":\"2026-11-19T14:50:00Z\",\"finishedAt\":\"2026-11-19T14:50:03Z\"}}}]}}";

/* Not Ready since 14:43:20; no container problem. */
static const char notready_json[] =
	"{\"metadata\":{\"name\":\"api-0\",\"namespace\":\"matrix\","
	"\"creationTimestamp\":\"2026-11-18T14:53:20Z\"},"
	"\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
	"\"reason\":\"ContainersNotReady\",\"lastTransitionTime\":\"2026-11-19T14:43:20Z\"}],"
	"\"containerStatuses\":[{\"name\":\"api\",\"ready\":false,\"restartCount\":0,"
	"\"state\":{\"running\":{\"startedAt\":\"2026-11-18T14:53:30Z\"}}}]}}";

/* Unschedulable since 14:33:20, with the scheduler's message. */
static const char pending_json[] =
	"{\"metadata\":{\"name\":\"db-0\",\"namespace\":\"matrix\","
	"\"creationTimestamp\":\"2026-11-19T14:33:00Z\"},"
	"\"status\":{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\","
	"\"status\":\"False\",\"reason\":\"Unschedulable\",\"message\":\"0/3 nodes are available\","
	"\"lastTransitionTime\":\"2026-11-19T14:33:20Z\"}]}}";

static const char healthy_json[] =
	"{\"metadata\":{\"name\":\"ok-0\",\"namespace\":\"matrix\","
	"\"creationTimestamp\":\"2026-11-18T14:53:20Z\"},"
	"\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
	"\"lastTransitionTime\":\"2026-11-18T14:54:20Z\"}],"
	"\"containerStatuses\":[{\"name\":\"ok\",\"ready\":true,\"restartCount\":0,"
	"\"state\":{\"running\":{\"startedAt\":\"2026-11-18T14:53:30Z\"}}}]}}";

static void parse_pod(const char *json, struct pod *p)
{
	cJSON *o = cJSON_Parse(json);
	struct err e = { 0 };

	assert_non_null(o);
	memset(p, 0, sizeof(*p));
	if (pod_from_json(o, p, &e) != OD_OK)
		fail_msg("%s", e.msg);
	cJSON_Delete(o);
}

static void test_pod_rules(void **state)
{
	struct triage t;
	struct pod p[4];
	struct err e = { 0 };
	const char *const json[] = { healthy_json, notready_json, crash_json, pending_json };

	(void)state;
	assert_int_equal(triage_init(&t, NOW, &e), OD_OK);
	for (int i = 0; i < 4; i++) {
		parse_pod(json[i], &p[i]);
		triage_add_pod(&t, &p[i]);
	}
	triage_sort(&t);
	assert_int_equal(t.n, 3);   /* the healthy pod is not listed */
	assert_int_equal(t.f[0].rank, TRIAGE_CRITICAL);
	assert_int_equal(t.f[0].cause, TRIAGE_CAUSE_CRASHLOOP);
	assert_string_equal(t.f[0].name, "web-1");
	assert_string_equal(t.f[0].container, "web");
	assert_string_equal(t.f[0].why,
			    "CrashLoopBackOff: container web restarted 6 times, last exit Error");
	assert_int_equal(t.f[0].since, NOW - 1800);   /* Ready went False, not the last restart */
	assert_int_equal(t.f[1].rank, TRIAGE_HIGH);
	assert_string_equal(t.f[1].why, "Pending Unschedulable: 0/3 nodes are available");
	assert_int_equal(t.f[1].since, NOW - 1200);
	assert_int_equal(t.f[2].rank, TRIAGE_MEDIUM);
	assert_string_equal(t.f[2].why, "not Ready: ContainersNotReady");
	assert_int_equal(t.f[2].since, NOW - 600);
	for (int i = 0; i < 4; i++)
		pod_clear(&p[i]);
	triage_fini(&t);
}

/* A condition time that does not parse leaves the pod in the cache: since falls back to creation. */
static void test_bad_condition_time(void **state)
{
	struct triage t;
	struct pod p;
	struct err e = { 0 };
	char *json = strdup(notready_json);
	char *at = strstr(json, "2026-11-19T14:43:20Z");

	(void)state;
	assert_non_null(at);
	memcpy(at, "yesterday at noon!!!", 20);
	parse_pod(json, &p);
	assert_int_equal(p.conditions[0].last_transition.sec, 0);
	assert_int_equal(triage_init(&t, NOW, &e), OD_OK);
	triage_add_pod(&t, &p);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.f[0].why, "not Ready: ContainersNotReady");
	assert_int_equal(t.f[0].since, 0);   /* unknown, as opsdeck triage prints it */
	triage_fini(&t);
	pod_clear(&p);
	free(json);
}

static void test_workloads_and_bursts(void **state)
{
	struct triage t;
	struct err e = { 0 };
	cJSON *d = cJSON_Parse("{\"metadata\":{\"name\":\"web\",\"namespace\":\"matrix\"},"
			       "\"spec\":{\"replicas\":2},\"status\":{\"availableReplicas\":0,"
			       "\"conditions\":[{\"type\":\"Available\",\"status\":\"False\","
			       "\"lastTransitionTime\":\"2026-11-19T14:23:20Z\"}]}}");
	struct triage_workload w;
	/* Five Warnings about one object within 15 minutes make a burst; four do not. */
	struct triage_event ev[] = {
		{ .type = "Warning", .reason = "BackOff", .message = "Back-off restarting",
		  .object_kind = "Pod", .object_namespace = "matrix", .object_name = "web-1",
		  .object_key = "u1", .count = 3, .first = NOW - 300, .last = NOW - 10 },
		{ .type = "Warning", .reason = "Unhealthy", .message = "probe failed",
		  .object_kind = "Pod", .object_namespace = "matrix", .object_name = "web-1",
		  .object_key = "u1", .count = 2, .first = NOW - 600, .last = NOW - 20 },
		{ .type = "Warning", .reason = "Old", .object_kind = "Pod",
		  .object_namespace = "matrix", .object_name = "web-1", .object_key = "u1",
		  .count = 50, .first = NOW - 7200, .last = NOW - 3600 },
		{ .type = "Warning", .reason = "BackOff", .object_kind = "Pod",
		  .object_namespace = "matrix", .object_name = "api-0", .object_key = "u2",
		  .count = 4, .first = NOW - 60, .last = NOW - 5 },
		{ .type = "Normal", .reason = "Pulled", .object_kind = "Pod",
		  .object_namespace = "matrix", .object_name = "api-0", .object_key = "u2",
		  .count = 9, .first = NOW - 60, .last = NOW - 5 },
	};

	(void)state;
	assert_non_null(d);
	assert_int_equal(triage_init(&t, NOW, &e), OD_OK);
	triage_workload_from_json(d, "Deployment", &w);
	triage_add_workload(&t, &w);
	triage_add_events(&t, ev, sizeof(ev) / sizeof(ev[0]));
	triage_sort(&t);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.f[0].kind, "Deployment");
	assert_string_equal(t.f[0].why, "0/2 replicas available");
	assert_int_equal(t.f[0].rank, TRIAGE_CRITICAL);
	assert_int_equal(t.f[0].since, NOW - 1800);
	assert_string_equal(t.f[1].kind, "Pod");
	assert_string_equal(t.f[1].name, "web-1");
	assert_string_equal(t.f[1].why,
			    "5 Warning events in 15m, latest BackOff: Back-off restarting");
	assert_int_equal(t.f[1].since, NOW - 600);
	cJSON_Delete(d);
	triage_fini(&t);
}

/* --- the Triage view in the dashboard --- */

static struct pod pods[3];
static struct pod_view rows[3];

static size_t src_count(void *self)
{
	(void)self;
	return 3;
}

static const struct pod_view *src_row(void *self, size_t i)
{
	(void)self;
	return i < 3 ? &rows[i] : NULL;
}

static uint64_t src_gen(void *self)
{
	(void)self;
	return 1;
}

static const struct pod *src_pod(void *self, size_t i)
{
	(void)self;
	return i < 3 ? &pods[i] : NULL;
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

static void test_view(void **state)
{
	static char screen[64 * 1024];
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = 120, .rows = 40, .fixed_now = NOW };
	struct pod_source src = { .ops = &live_like, .self = NULL };
	struct err e = { 0 };
	const char *crit, *notready;
	char sel[256];

	(void)state;
	assert_non_null(app);
	parse_pod(healthy_json, &pods[0]);
	parse_pod(notready_json, &pods[1]);
	parse_pod(crash_json, &pods[2]);
	for (int i = 0; i < 3; i++)
		podview_from_pod(&rows[i], &pods[i], (struct od_time){ .sec = NOW });
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	/* No history store: the checklist rows stay empty. */
	pane_triage_set_db(&app->triage, "/nonexistent/opsdeck-test/history.db");
	app_set_pod_source(app, src);
	app_update(app);
	app_handle_key(app, '!');
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "Triage 2, 1 critical"));
	crit = strstr(screen, "critical matrix Pod/web-1");
	notready = strstr(screen, "medium   matrix Pod/api-0");
	assert_non_null(crit);
	assert_non_null(notready);
	assert_true(crit < notready);   /* worst first */
	if (!strstr(screen, "CrashLoopBackOff: container web restarted 6 times"))
		fputs(screen, stderr);
	assert_non_null(strstr(screen, "CrashLoopBackOff: container web restarted 6 times"));
	assert_non_null(strstr(screen, "14:23:20, 30m ago"));
	assert_int_equal(pane_triage_count(&app->triage), 2);
	assert_string_equal(pane_triage_selected(&app->triage)->name, "web-1");
	/* Enter: Pods selects the pod, Logs (focused) shows its previous container. */
	app_handle_key(app, '\n');
	app_update(app);
	assert_int_equal(app->focus, 2);
	assert_false(app->triage_shown);
	app->panes[0].ops->selection(&app->panes[0], sel, sizeof(sel));
	assert_string_equal(sel, "matrix/web-1");
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "matrix/web-1: the previous container's logs"));
	app_fini(app);
	free(app);
	for (int i = 0; i < 3; i++)
		pod_clear(&pods[i]);
}

/* A Deployment with nothing available, one stuck rollout, one healthy (LIST answers). */
static const char deployments_json[] =
	"{\"kind\":\"DeploymentList\",\"items\":["
	"{\"metadata\":{\"name\":\"web\",\"namespace\":\"matrix\"},\"spec\":{\"replicas\":2},"
	"\"status\":{\"replicas\":2,\"conditions\":[{\"type\":\"Available\",\"status\":\"False\","
	"\"lastTransitionTime\":\"2026-11-19T14:43:20Z\"}]}},"
	"{\"metadata\":{\"name\":\"api\",\"namespace\":\"matrix\"},\"spec\":{\"replicas\":3},"
	"\"status\":{\"availableReplicas\":3,\"conditions\":[{\"type\":\"Progressing\","
	"\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\",\"message\":\"deadline\","
	"\"lastTransitionTime\":\"2026-11-19T14:33:20Z\"}]}},"
	"{\"metadata\":{\"name\":\"ok\",\"namespace\":\"matrix\"},\"spec\":{\"replicas\":1},"
	"\"status\":{\"availableReplicas\":1}}]}";
static const char statefulsets_json[] =
	"{\"kind\":\"StatefulSetList\",\"items\":["
	"{\"metadata\":{\"name\":\"db\",\"namespace\":\"matrix\"},\"spec\":{\"replicas\":3},"
	"\"status\":{\"readyReplicas\":2}}]}";
/* Firing: one critical, one warning; one silenced (left out). */
static const char am_json[] =
	"[{\"labels\":{\"alertname\":\"MatrixonDown\",\"severity\":\"critical\",\"namespace\":\"matrix\"},"
	"\"annotations\":{\"summary\":\"matrixon is down\"},\"startsAt\":\"2026-11-19T14:48:20Z\","
	"\"fingerprint\":\"a\",\"status\":{\"state\":\"active\",\"silencedBy\":[]}},"
	"{\"labels\":{\"alertname\":\"HighResponseTime\",\"severity\":\"warning\"},"
	"\"annotations\":{},\"startsAt\":\"2026-11-19T14:50:00Z\",\"fingerprint\":\"b\","
	"\"status\":{\"state\":\"active\",\"silencedBy\":[]}},"
	"{\"labels\":{\"alertname\":\"Hushed\",\"severity\":\"critical\"},"
	"\"startsAt\":\"2026-11-19T14:00:00Z\",\"fingerprint\":\"c\","
	"\"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"s1\"]}}]";

/* An Alerts view holding an Alertmanager answer, as the program's pane_alerts_ops does. */
static enum od_status am_pane_init(struct pane *p, struct err *e)
{
	struct am_alerts *a = calloc(1, sizeof(*a));

	if (!a)
		return err_set(e, OD_ENOMEM, "out of memory");
	p->state = a;
	return am_alerts_parse(am_json, strlen(am_json), a, e);
}

static void am_pane_fini(struct pane *p)
{
	if (p->state)
		am_alerts_clear(p->state);
	free(p->state);
	p->state = NULL;
}

static void am_pane_draw(struct pane *p, const struct canvas *c, bool focused)
{
	(void)p;
	(void)c;
	(void)focused;
}

static const struct pane_ops am_pane_ops = {
	.name = "alerts", .title = "Alerts", .init = am_pane_init, .fini = am_pane_fini,
	.draw = am_pane_draw,
};

static void am_pane_triage(struct pane *p, struct triage *t)
{
	alerts_triage_add(t, p->state);
}

/* Asserts that the row of kind/name is on screen with the why the shared rules give it. */
static void assert_row(const char *screen, const struct triage *cli, const char *kind,
		       const char *name, const char *rank)
{
	char obj[600];

	for (size_t i = 0; i < cli->n; i++) {
		const struct triage_finding *f = &cli->f[i];

		if (strcmp(f->kind, kind) != 0 || strcmp(f->name, name) != 0)
			continue;
		assert_string_equal(triage_rank_name(f->rank), rank);
		snprintf(obj, sizeof(obj), "%-8s %s%s%s/%s", rank, f->namespace_,
			 f->namespace_[0] ? " " : "", kind, name);
		if (!strstr(screen, obj) || !strstr(screen, f->why))
			fprintf(stderr, "missing %s / %s in:\n%s", obj, f->why, screen);
		assert_non_null(strstr(screen, obj));
		assert_non_null(strstr(screen, f->why));
		return;
	}
	fail_msg("the rules gave no finding for %s/%s", kind, name);
}

static void test_view_workloads_alerts(void **state)
{
	static char screen[64 * 1024];
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = 160, .rows = 40, .fixed_now = NOW,
			      .alerts_pane = &am_pane_ops, .alerts_triage = am_pane_triage };
	cJSON *deps = cJSON_Parse(deployments_json), *sts = cJSON_Parse(statefulsets_json);
	struct triage cli;
	struct am_alerts a = { 0 };
	const cJSON *it;
	struct err e = { 0 };

	(void)state;
	assert_non_null(app);
	assert_non_null(deps);
	assert_non_null(sts);
	/* What `opsdeck triage` makes of the same answers (cmd_triage.c's calls). */
	assert_int_equal(triage_init(&cli, NOW, &e), OD_OK);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(deps, "items")) {
		struct triage_workload w;

		triage_workload_from_json(it, "Deployment", &w);
		triage_add_workload(&cli, &w);
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(sts, "items")) {
		struct triage_workload w;

		triage_workload_from_json(it, "StatefulSet", &w);
		triage_add_workload(&cli, &w);
	}
	assert_int_equal(am_alerts_parse(am_json, strlen(am_json), &a, &e), OD_OK);
	alerts_triage_add(&cli, &a);
	am_alerts_clear(&a);
	assert_int_equal(cli.n, 5);   /* web, api, db, two alerts: ok and Hushed are not */
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	pane_triage_set_db(&app->triage, "/nonexistent/opsdeck-test/history.db");
	pane_triage_set_workloads(&app->triage, "Deployment", deps);
	pane_triage_set_workloads(&app->triage, "StatefulSet", sts);
	app_update(app);
	app_handle_key(app, '!');
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_int_equal(pane_triage_count(&app->triage), 5);
	assert_non_null(strstr(screen, "Triage 5, 3 critical"));
	assert_row(screen, &cli, "Deployment", "web", "critical");
	assert_row(screen, &cli, "Deployment", "api", "critical");
	assert_row(screen, &cli, "StatefulSet", "db", "high");
	assert_row(screen, &cli, "Alert", "MatrixonDown", "critical");
	assert_row(screen, &cli, "Alert", "HighResponseTime", "medium");
	assert_non_null(strstr(screen, "0/2 replicas available"));
	assert_non_null(strstr(screen, "rollout stuck: deadline"));
	assert_non_null(strstr(screen, "firing (critical): matrixon is down"));
	assert_null(strstr(screen, "Hushed"));
	assert_null(strstr(screen, "Deployment/ok"));
	/* A new LIST of a kind replaces its rows; the other kind's stay. */
	cJSON_Delete(deps);
	deps = cJSON_Parse("{\"items\":[]}");
	pane_triage_set_workloads(&app->triage, "Deployment", deps);
	app_update(app);
	assert_int_equal(pane_triage_count(&app->triage), 3);
	/* A new target forgets every workload. */
	pane_triage_set_workloads(&app->triage, NULL, NULL);
	app_update(app);
	assert_int_equal(pane_triage_count(&app->triage), 2);
	app_fini(app);
	free(app);
	triage_fini(&cli);
	cJSON_Delete(deps);
	cJSON_Delete(sts);
}

/* The profile's PVC over fail_above by the store's newest usage sample is listed. */
static void test_view_pvc(void **state)
{
	static char screen[64 * 1024];
	char dir[] = "/tmp/opsdeck-triage.XXXXXX", path[128], cmd[160];
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = 160, .rows = 30, .fixed_now = NOW };
	struct store *st = NULL;
	struct err e = { 0 };
	struct store_series_key key = { .context = "ctx", .namespace = "matrix",
					.kind = STORE_KIND_PVC, .object = "pgdata-synapse-postgres-1",
					.metric = STORE_METRIC_STORAGE_USED };
	struct store_sample smp[2];

	(void)state;
	assert_non_null(app);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/history.db", dir);
	if (store_open(path, NULL, &st, &e) != OD_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(store_series_id(st, &key, true, &smp[0].series, &e), OD_OK);
	key.metric = STORE_METRIC_STORAGE_CAPACITY;
	assert_int_equal(store_series_id(st, &key, true, &smp[1].series, &e), OD_OK);
	smp[0].value = 95;
	smp[1].value = 100;
	assert_int_equal(store_tick_append(st, NOW - 60, smp, 2, &e), OD_OK);
	store_close(&st);
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	snprintf(app->status.context, sizeof(app->status.context), "ctx");
	snprintf(app->status.namespace_, sizeof(app->status.namespace_), "matrix");
	snprintf(app->status.profile, sizeof(app->status.profile), "synapse");
	pane_triage_set_db(&app->triage, path);
	app_update(app);
	app_handle_key(app, '!');
	app_update(app);
	screen_text(screen, sizeof(screen));
	if (!strstr(screen, "high     matrix PersistentVolumeClaim/pgdata-synapse-postgr"))
		fputs(screen, stderr);
	assert_non_null(strstr(screen, "high     matrix PersistentVolumeClaim/pgdata-synapse-postgr"));
	/* The bottom line names the selected row in full. */
	assert_non_null(strstr(screen, "matrix/PersistentVolumeClaim/pgdata-synapse-postgres-1 since"));
	assert_non_null(strstr(screen, "storage 95.00% used, over the profile's fail threshold 90%"));
	app_fini(app);
	free(app);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pod_rules),
		cmocka_unit_test(test_bad_condition_time),
		cmocka_unit_test(test_workloads_and_bursts),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_view_pvc),
		cmocka_unit_test(test_view_workloads_alerts),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
