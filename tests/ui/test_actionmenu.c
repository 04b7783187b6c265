/*
 * test_actionmenu.c: the action menu's model and the progress bar's
 * fraction: which entries a pod and its workload get, why one is disabled
 * (read-only above all), letters and moves, the undo count from a real
 * audit log, the prompts' checks, and the fractions read from kubectl's
 * rollout-status lines and the engine's follow lines.
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

#include "opsdeck/store_audit.h"
#include "opsdeck/ui_actionmenu.h"
#include "opsdeck/ui_progress.h"

static void build(struct actionmenu *m, const char *owner, const char *pvcs, bool ro,
		  long undo_before, long undo_after)
{
	struct am_target t;
	struct am_facts f = { .read_only = ro, .undo_before = undo_before,
			      .undo_after = undo_after };

	actionmenu_target(&t, "web", "web-5d4f8-abcde", owner);
	if (pvcs) {
		t.pvcs_known = true;
		snprintf(t.pvcs, sizeof t.pvcs, "%s", pvcs);
	}
	actionmenu_build(m, &t, &f);
}

static void test_target(void **state)
{
	struct am_target t;

	(void)state;
	actionmenu_target(&t, "matrix", "synapse-postgres-0", "StatefulSet/synapse-postgres");
	assert_string_equal(t.ref, "sts/synapse-postgres");
	assert_string_equal(t.object, "statefulset.apps/synapse-postgres");
	actionmenu_target(&t, "web", "web-1", "Deployment/web");
	assert_string_equal(t.ref, "deploy/web");
	assert_string_equal(t.object, "deployment.apps/web");
	actionmenu_target(&t, "web", "web-5d4f8-abcde", "ReplicaSet/web-api-5d4f8");
	assert_string_equal(t.wkind, "Deployment");
	assert_string_equal(t.ref, "deploy/web-api");
	assert_string_equal(t.object, "deployment.apps/web-api");
	actionmenu_target(&t, "web", "x", "ReplicaSet/plain");
	assert_string_equal(t.wkind, "ReplicaSet");
	assert_string_equal(t.ref, "");
	actionmenu_target(&t, "x", "agent-1", "DaemonSet/agent");
	assert_string_equal(t.ref, "ds/agent");
	actionmenu_target(&t, "x", "job-1", "Job/backup");
	assert_string_equal(t.wkind, "Job");
	assert_string_equal(t.ref, "");
	actionmenu_target(&t, "x", "bare", "");
	assert_string_equal(t.wkind, "");
	actionmenu_target(&t, "x", "odd", "Deployment/");
	assert_string_equal(t.ref, "");
}

static void test_deployment_entries(void **state)
{
	struct actionmenu m;

	(void)state;
	build(&m, "Deployment/web", "", false, -1, -1);
	assert_true(m.v[AM_RESTART].enabled);
	assert_true(m.v[AM_DELETE].enabled);
	assert_true(m.v[AM_SCALE].enabled);
	assert_true(m.v[AM_ROLLBACK].enabled);
	assert_false(m.v[AM_SNAPSHOT].enabled);
	assert_string_equal(m.v[AM_SNAPSHOT].reason, "the pod mounts no PersistentVolumeClaim");
	assert_false(m.v[AM_RESTORE].enabled);
	assert_false(m.v[AM_UNDO_SCALE].enabled);
	assert_string_equal(m.v[AM_UNDO_SCALE].reason, "no earlier scale of it in the audit log");
	assert_non_null(strstr(m.v[AM_RESTART].label, "deployment.apps/web"));
	assert_int_equal(m.sel, AM_RESTART);

	build(&m, "Deployment/web", "data", false, 3, 1);
	assert_true(m.v[AM_SNAPSHOT].enabled);
	assert_non_null(strstr(m.v[AM_SNAPSHOT].label, "(data)"));
	assert_true(m.v[AM_UNDO_SCALE].enabled);
	assert_non_null(strstr(m.v[AM_UNDO_SCALE].label, "(1 -> 3)"));

	/* rows without the pod object (stored rows): PVCs unknown, offered anyway */
	build(&m, "Deployment/web", NULL, false, -1, -1);
	assert_true(m.v[AM_SNAPSHOT].enabled);
}

static void test_other_owners(void **state)
{
	struct actionmenu m;

	(void)state;
	build(&m, "DaemonSet/agent", "", false, -1, -1);
	assert_true(m.v[AM_RESTART].enabled);
	assert_false(m.v[AM_SCALE].enabled);
	assert_non_null(strstr(m.v[AM_SCALE].reason, "no replica count"));
	assert_false(m.v[AM_ROLLBACK].enabled);

	build(&m, "", "", false, -1, -1);
	assert_false(m.v[AM_RESTART].enabled);
	assert_string_equal(m.v[AM_RESTART].reason, "the pod has no workload (no controller owns it)");
	assert_true(m.v[AM_DELETE].enabled);
	assert_int_equal(m.sel, AM_DELETE);

	build(&m, "Job/backup", "", false, -1, -1);
	assert_false(m.v[AM_RESTART].enabled);
	assert_non_null(strstr(m.v[AM_RESTART].reason, "a Job, not a Deployment"));
}

static void test_read_only(void **state)
{
	struct actionmenu m;

	(void)state;
	build(&m, "Deployment/web", "data", true, 3, 1);
	for (int i = 0; i < AM_ITEM_COUNT; i++) {
		assert_false(m.v[i].enabled);
		assert_string_equal(m.v[i].reason, AM_READ_ONLY_REASON);
	}
	assert_string_equal(AM_READ_ONLY_REASON, "read-only: actions are disabled");
}

static void test_keys_and_moves(void **state)
{
	struct actionmenu m;
	const char *letters = "rdsnobu";

	(void)state;
	build(&m, "Deployment/web", "", false, -1, -1);
	for (int i = 0; i < AM_ITEM_COUNT; i++)
		assert_int_equal(actionmenu_by_key(&m, letters[i])->item, i);
	assert_null(actionmenu_by_key(&m, 'z'));
	m.sel = 0;
	actionmenu_move(&m, -1);
	assert_int_equal(m.sel, AM_ITEM_COUNT - 1);
	actionmenu_move(&m, 2);
	assert_int_equal(m.sel, 1);
}

static void test_prompts(void **state)
{
	long g;
	bool force;
	char out[32];

	(void)state;
	assert_int_equal(actionmenu_parse_count("0"), 0);
	assert_int_equal(actionmenu_parse_count("12"), 12);
	assert_int_equal(actionmenu_parse_count(""), -1);
	assert_int_equal(actionmenu_parse_count("-1"), -1);
	assert_int_equal(actionmenu_parse_count("3x"), -1);
	assert_int_equal(actionmenu_parse_count("100001"), -1);
	assert_true(actionmenu_parse_grace("", &g, &force));
	assert_int_equal(g, -1);
	assert_false(force);
	assert_true(actionmenu_parse_grace("30", &g, &force));
	assert_int_equal(g, 30);
	assert_true(actionmenu_parse_grace("f", &g, &force));
	assert_int_equal(g, 0);
	assert_true(force);
	assert_false(actionmenu_parse_grace("soon", &g, &force));
	assert_true(actionmenu_valid_name("data-restore"));
	assert_true(actionmenu_valid_name("a.b-1"));
	assert_false(actionmenu_valid_name("Data"));
	assert_false(actionmenu_valid_name("-x"));
	assert_false(actionmenu_valid_name(""));
	assert_false(actionmenu_valid_name("a b"));
	assert_true(actionmenu_list_item("a,bb,c", 1, out, sizeof out));
	assert_string_equal(out, "bb");
	assert_false(actionmenu_list_item("a,bb,c", 3, out, sizeof out));
	assert_false(actionmenu_list_item("", 0, out, sizeof out));
}

static void append(struct store *st, const char *action, const char *step, const char *outcome,
		   const char *ns, const char *object, const char *before, const char *after)
{
	struct store_audit_entry a = { .action = action, .step = step, .outcome = outcome,
				       .os_user = "u", .kube_user = "k", .context = "sim",
				       .namespace = ns, .object = object, .before = before,
				       .after = after };
	struct err e = { 0 };

	assert_int_equal(store_audit_append(st, &a, &e), OD_OK);
}

static void test_undo_from_audit(void **state)
{
	char dir[] = "/tmp/opsdeck-actionmenu-XXXXXX", db[128], cmd[160];
	struct store *st = NULL;
	struct err e = { 0 };
	long before, after;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/history.db", dir);
	assert_int_equal(store_open(db, NULL, &st, &e), OD_OK);
	assert_false(actionmenu_find_undo(st, "sim", "web", "deployment.apps/web", &before, &after,
					  &e));
	assert_int_equal(before, -1);
	append(st, "scale", "apply", "ok", "web", "deployment.apps/web", "replicas=3", "replicas=5");
	append(st, "scale", "apply", "ok", "web", "deployment.apps/web", "replicas=5", "replicas=2");
	/* not counted: a failed apply, a dry run, another namespace, another object */
	append(st, "scale", "apply", "failed", "web", "deployment.apps/web", "replicas=2", "replicas=9");
	append(st, "scale", "dry-run", "ok", "web", "deployment.apps/web", "replicas=2", "replicas=8");
	append(st, "scale", "apply", "ok", "other", "deployment.apps/web", "replicas=1", "replicas=7");
	append(st, "scale", "apply", "ok", "web", "statefulset.apps/web", "replicas=1", "replicas=6");
	append(st, "restart", "apply", "ok", "web", "deployment.apps/web", "x", "y");
	assert_true(actionmenu_find_undo(st, "sim", "web", "deployment.apps/web", &before, &after,
					 &e));
	assert_int_equal(before, 5);
	assert_int_equal(after, 2);
	assert_false(actionmenu_find_undo(st, "other-ctx", "web", "deployment.apps/web", &before,
					  &after, &e));
	store_close(&st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_progress_fraction(void **state)
{
	(void)state;
	assert_true(progress_fraction("anything", true) == 1.0);
	assert_true(progress_fraction("", false) == 0.0);
	assert_true(progress_fraction(NULL, false) == 0.0);
	/* kubectl rollout status: updated (first half), then available (second half) */
	assert_true(progress_fraction("Waiting for deployment \"web\" rollout to finish: 1 out of 4 "
				      "new replicas have been updated...", false) == 0.125);
	assert_true(progress_fraction("Waiting for deployment \"web\" rollout to finish: 1 old "
				      "replicas are pending termination...", false) == 0.6);
	{
		double f = progress_fraction("Waiting for deployment \"web\" rollout to finish: 2 "
					     "of 4 updated replicas are available...", false);

		assert_true(f > 0.74 && f < 0.76);
	}
	/* the engine's replica follow */
	{
		double f = progress_fraction("replicas: 1 ready, 2 in total, want 2", false);

		assert_true(f > 0.49 && f < 0.5);
	}
	assert_true(progress_fraction("replicas: 0 ready, 0 in total, want 0", false) == 1.0);
	assert_true(progress_fraction("replicas: 0 ready, 1 in total, want 0", false) == 0.5);
	assert_true(progress_fraction("readyToUse: false", false) == 0.5);
	assert_true(progress_fraction("phase: Pending", false) == 0.5);
	assert_true(progress_fraction("pod \"x\" is terminating", false) == 0.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_deployment_entries),
		cmocka_unit_test(test_other_owners),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_keys_and_moves),
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_undo_from_audit),
		cmocka_unit_test(test_progress_fraction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
