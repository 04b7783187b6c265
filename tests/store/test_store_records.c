/*
 * test_store_records.c: the events archive (dedup by uid, kept past the
 * API's TTL, filters and labels), pod transitions, last-known state,
 * checklist runs that resume, incidents and their deduplicated timelines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "opsdeck/store.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_incidents.h"
#include "opsdeck/store_pods.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/store_state.h"
#include "helpers.h"

struct seen {
	int n;
	char last[256];
	int64_t num;
};

static int event_fn(void *arg, const struct store_event *ev)
{
	struct seen *s = arg;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s %s x%lld %lld-%lld", ev->uid, ev->message,
		 (long long)ev->count, (long long)ev->first_seen, (long long)ev->last_seen);
	return 0;
}

static bool label_app_matter(void *arg, const struct store_event *ev)
{
	char buf[64];
	(void)arg;
	const char *v = store_event_label(ev, "app", buf, sizeof(buf));
	return v && strcmp(v, "matter-server") == 0;
}

static void test_events_archive(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct seen s = { 0 };
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	struct store_event ev[] = {
		{ .uid = "u1", .context = "c", .namespace = "home-automation", .type = "Warning",
		  .reason = "BackOff", .message = "Back-off restarting", .obj_kind = "Pod",
		  .obj_name = "matter-0", .obj_labels = "app=matter-server\ntier=backend",
		  .count = 3, .first_seen = 1000, .last_seen = 1100 },
		{ .uid = "u2", .context = "c", .namespace = "home-automation", .type = "Normal",
		  .reason = "Pulled", .message = "pulled", .obj_kind = "Pod", .obj_name = "ha-0",
		  .obj_labels = "app=home-assistant", .count = 1, .first_seen = 1050, .last_seen = 1050 },
	};
	assert_int_equal(store_events_upsert(st, ev, 2, &e), OD_OK);
	/* The same event seen again later: count and last_seen grow, one row. */
	ev[0].count = 7;
	ev[0].last_seen = 5000;
	ev[0].first_seen = 1090;
	ev[0].message = "Back-off restarting failed container";
	assert_int_equal(store_events_upsert(st, ev, 1, &e), OD_OK);
	/* An older copy arriving late changes nothing it should not. */
	ev[0].count = 2;
	ev[0].last_seen = 1200;
	ev[0].message = "stale";
	assert_int_equal(store_events_upsert(st, ev, 1, &e), OD_OK);
	struct store_event_filter f = { .type = "Warning" };
	assert_int_equal(store_events_list(st, &f, event_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.last, "u1 Back-off restarting failed container x7 1000-5000");
	/* Long after the API's 1-hour TTL the archive still has them. */
	memset(&s, 0, sizeof(s));
	struct store_event_filter all = { .context = "c", .since = 0 };
	assert_int_equal(store_events_list(st, &all, event_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof(s));
	struct store_event_filter since = { .since = 2000 };
	assert_int_equal(store_events_list(st, &since, event_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof(s));
	struct store_event_filter sel = { .match = label_app_matter };
	assert_int_equal(store_events_list(st, &sel, event_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	char buf[8];
	assert_null(store_event_label(&ev[0], "tier", buf, 4));   /* does not fit */
	assert_string_equal(store_event_label(&ev[0], "tier", buf, sizeof(buf)), "backend");
	assert_null(store_event_label(&ev[0], "ti", buf, sizeof(buf)));
	int64_t pruned = 0;
	assert_int_equal(store_events_prune(st, 2000, &pruned, &e), OD_OK);
	assert_int_equal(pruned, 1);
	struct store_event nouid = { .uid = "" };
	assert_int_equal(store_events_upsert(st, &nouid, 1, &e), OD_EINVAL);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static int pod_fn(void *arg, const struct store_pod_state *p)
{
	struct seen *s = arg;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s %s %d %lld %s", p->pod, p->phase, p->ready,
		 (long long)p->restarts, p->reason);
	return 0;
}

static void test_pod_transitions(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct seen s = { 0 };
	bool changed;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	struct store_pod_state p = { "c", "ns", "web-1", 100, "Running", true, 0, "", "" };
	assert_int_equal(store_pod_transition_record(st, &p, &changed, &e), OD_OK);
	assert_true(changed);
	p.ts = 115;   /* same state observed again: nothing recorded */
	assert_int_equal(store_pod_transition_record(st, &p, &changed, &e), OD_OK);
	assert_false(changed);
	p.ts = 130;
	p.ready = false;
	p.restarts = 1;
	p.reason = "CrashLoopBackOff";
	assert_int_equal(store_pod_transition_record(st, &p, &changed, &e), OD_OK);
	assert_true(changed);
	assert_int_equal(store_pod_transitions_list(st, "c", NULL, "web-1", 0, 0, pod_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.last, "web-1 Running 0 1 CrashLoopBackOff");
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_pod_transitions_list(st, "c", "ns", NULL, 101, 0, pod_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static int state_fn(void *arg, const struct store_state_row *r)
{
	struct seen *s = arg;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s %s/%s %s", r->kind, r->namespace, r->name, r->data);
	return 0;
}

static void test_last_known_state(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct seen s = { 0 };
	int64_t saved;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	assert_int_equal(store_state_load(st, "prod", &saved, state_fn, &s, &e), OD_OK);
	assert_int_equal(saved, 0);
	assert_int_equal(s.n, 0);
	struct store_state_row rows[] = {
		{ "pod", "ns", "a", "Running 1/1" },
		{ "pod", "ns", "b", "Pending 0/1" },
		{ "workload", "ns", "deploy/a", "1/1" },
	};
	assert_int_equal(store_state_save(st, "prod", 1000, rows, 3, &e), OD_OK);
	assert_int_equal(store_state_save(st, "dev", 900, rows, 1, &e), OD_OK);
	/* The next save replaces the whole snapshot: b is gone. */
	rows[1] = rows[2];
	assert_int_equal(store_state_save(st, "prod", 1015, rows, 2, &e), OD_OK);
	store_close(&st);
	st = tmp_db_open(&t, NULL);
	assert_int_equal(store_state_load(st, "prod", &saved, state_fn, &s, &e), OD_OK);
	assert_int_equal(saved, 1015);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.last, "workload ns/deploy/a 1/1");
	store_close(&st);
	tmp_db_cleanup(&t);
}

static int item_fn(void *arg, const struct store_run_item *it)
{
	struct seen *s = arg;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s %s %s", it->item, store_check_result_name(it->result),
		 it->value);
	return 0;
}

static int run_fn(void *arg, const struct store_run *r)
{
	struct seen *s = arg;
	s->n++;
	s->num = r->finished_at;
	snprintf(s->last, sizeof(s->last), "%s %s by %s", r->profile, r->checklist, r->operator_name);
	return 0;
}

static void test_runs_resume(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct seen s = { 0 };
	int64_t id, found;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	struct store_run run = { .profile = "matter-server", .checklist = "daily", .context = "c",
				 .operator_name = "alice", .started_at = 1000 };
	assert_int_equal(store_run_start(st, &run, &id, &e), OD_OK);
	struct store_run_item it = { "pods-ready", 1, STORE_CHECK_PASS, "1/1", "1/1", "cluster",
				     "", "", false, 1001 };
	assert_int_equal(store_run_item_set(st, id, &it, &e), OD_OK);
	/* The SSH session drops here: a new process finds the run and its item. */
	store_close(&st);
	st = tmp_db_open(&t, NULL);
	assert_int_equal(store_run_find_open(st, "matter-server", "daily", &found, &e), OD_OK);
	assert_int_equal(found, id);
	assert_int_equal(store_run_items_list(st, id, item_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.last, "pods-ready PASS 1/1");
	struct store_run_item it2 = { "cpu", 2, STORE_CHECK_WARN, "230m", "<200m", "metrics",
				      "", "", false, 1100 };
	assert_int_equal(store_run_item_set(st, id, &it2, &e), OD_OK);
	it2.result = STORE_CHECK_PASS;   /* the operator overrides, with a note */
	it2.overridden = true;
	it2.note = "backup running";
	assert_int_equal(store_run_item_set(st, id, &it2, &e), OD_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_run_items_list(st, id, item_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.last, "cpu PASS 230m");
	struct store_run fin = { .operator_name = "bob", .finished_at = 1200, .issues = "none" };
	assert_int_equal(store_run_finish(st, id, &fin, &e), OD_OK);
	assert_int_equal(store_run_finish(st, id, &fin, &e), OD_ESTATE);
	assert_int_equal(store_run_item_set(st, id, &it, &e), OD_ESTATE);
	assert_int_equal(store_run_find_open(st, "matter-server", "daily", &found, &e), OD_ENOENT);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_runs_list(st, "matter-server", NULL, 0, run_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.num, 1200);
	assert_string_equal(s.last, "matter-server daily by bob");
	assert_int_equal(store_run_get(st, id + 5, run_fn, &s, &e), OD_ENOENT);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static int inc_fn(void *arg, const struct store_incident *i)
{
	struct seen *s = arg;
	s->n++;
	s->num = i->resolved_at;
	snprintf(s->last, sizeof(s->last), "%s %s %s", i->title, store_severity_name(i->severity),
		 i->resolution);
	return 0;
}

static int tl_fn(void *arg, const struct store_timeline_entry *tl)
{
	struct seen *s = arg;
	size_t len = strlen(s->last);
	s->n++;
	snprintf(s->last + len, sizeof(s->last) - len, "%s%s:%s", len ? "|" : "",
		 store_timeline_kind_name(tl->kind), tl->text);
	return 0;
}

static void test_incidents(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct seen s = { 0 };
	int64_t id, open_id;
	bool added;
	enum store_severity sev;
	(void)state;
	assert_true(store_severity_parse("P1", &sev));
	assert_int_equal(sev, STORE_SEV_P1);
	assert_false(store_severity_parse("P7", &sev));
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	assert_int_equal(store_incident_find_open(st, &open_id, &e), OD_ENOENT);
	struct store_incident inc = { .title = "matter down", .severity = STORE_SEV_P1,
				      .context = "c", .namespace = "home-automation",
				      .started_at = 1000 };
	assert_int_equal(store_incident_start(st, &inc, &id, &e), OD_OK);
	assert_int_equal(store_incident_find_open(st, &open_id, &e), OD_OK);
	assert_int_equal(open_id, id);
	struct store_timeline_entry ev = { 0, id, 1010, STORE_TL_EVENT, "uid-1", "BackOff" };
	assert_int_equal(store_incident_timeline_add(st, &ev, &added, &e), OD_OK);
	assert_true(added);
	/* Rebuilding the timeline from the archive adds the same event again: ignored. */
	assert_int_equal(store_incident_timeline_add(st, &ev, &added, &e), OD_OK);
	assert_false(added);
	struct store_timeline_entry note = { 0, id, 1005, STORE_TL_NOTE, NULL, "paged" };
	assert_int_equal(store_incident_timeline_add(st, &note, &added, &e), OD_OK);
	assert_int_equal(store_incident_timeline_add(st, &note, &added, &e), OD_OK);
	assert_true(added);   /* two notes with the same text are two notes */
	struct store_timeline_entry act = { 0, id, 1020, STORE_TL_ACTION, "audit:7", "restart" };
	assert_int_equal(store_incident_timeline_add(st, &act, &added, &e), OD_OK);
	assert_int_equal(store_incident_timeline_list(st, id, tl_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.last, "note:paged|note:paged|event:BackOff|action:restart");
	struct store_timeline_entry orphan = { 0, id + 9, 1, STORE_TL_NOTE, NULL, "x" };
	assert_int_equal(store_incident_timeline_add(st, &orphan, &added, &e), OD_OK);
	assert_false(added);
	assert_int_equal(store_incident_close(st, id, 2000, "restarted", &e), OD_OK);
	assert_int_equal(store_incident_close(st, id, 2001, "again", &e), OD_ESTATE);
	assert_int_equal(store_incident_close(st, id + 9, 2001, "x", &e), OD_ENOENT);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_incident_get(st, id, inc_fn, &s, &e), OD_OK);
	assert_string_equal(s.last, "matter down P1 restarted");
	assert_int_equal(s.num, 2000);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_incidents_list(st, inc_fn, &s, &e), OD_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(store_incident_find_open(st, &open_id, &e), OD_ENOENT);
	store_close(&st);
	tmp_db_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_archive),
		cmocka_unit_test(test_pod_transitions),
		cmocka_unit_test(test_last_known_state),
		cmocka_unit_test(test_runs_resume),
		cmocka_unit_test(test_incidents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
