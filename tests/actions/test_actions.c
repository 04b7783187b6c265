/*
 * test_actions.c: the pure parts of the action engine: snapshot names, the
 * step-wise scale-down, the restart patch, TYPE/NAME parsing, kubectl's
 * rollout-status rules, the rollout history, and GETs held for a front end
 * that must not block (action_gets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/action_build.h"
#include "opsdeck/action_rollout.h"

static void test_snapshot_name(void **state)
{
	char out[300];
	struct od_time t = { .sec = 1795346621 };   /* 2026-11-22T11:23:41Z */
	char longname[300];

	(void)state;
	action_snapshot_default_name("matter-server-data", t, out, sizeof out);
	assert_string_equal(out, "matter-server-data-manual-20261122-112341");
	memset(longname, 'a', 250);
	longname[250] = '\0';
	action_snapshot_default_name(longname, t, out, sizeof out);
	assert_int_equal(strlen(out), 253);
	assert_string_equal(out + 253 - 23, "-manual-20261122-112341");
}

static void test_scale_steps(void **state)
{
	char out[128];

	(void)state;
	assert_false(action_scale_steps(3, 1, out, sizeof out));
	assert_false(action_scale_steps(12, 0, out, sizeof out));   /* 0 is isolate, not a step-down */
	assert_false(action_scale_steps(2, 8, out, sizeof out));
	assert_true(action_scale_steps(12, 8, out, sizeof out));
	assert_string_equal(out, "12 -> 10 -> 8");
	assert_true(action_scale_steps(9, 2, out, sizeof out));
	assert_string_equal(out, "9 -> 7 -> 5 -> 3 -> 2");
}

static void test_restart_patch(void **state)
{
	char out[256];
	struct od_time t = { .sec = 1795346621 };

	(void)state;
	action_restart_patch(t, out, sizeof out);
	assert_string_equal(out, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
			    "{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-22T11:23:41Z\"}}}}}");
}

static void test_parse_ref(void **state)
{
	static const char *const allowed[] = { "deployments", "statefulsets", NULL };
	const struct api_resource *r;
	const char *name;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(action_parse_ref("deploy/web", allowed, &r, &name, &e), OD_OK);
	assert_string_equal(r->plural, "deployments");
	assert_string_equal(name, "web");
	assert_int_equal(action_parse_ref("sts/db", allowed, &r, &name, &e), OD_OK);
	assert_string_equal(r->kind, "StatefulSet");
	assert_int_equal(action_parse_ref("web", allowed, &r, &name, &e), OD_EUSAGE);
	assert_int_equal(action_parse_ref("ds/agent", allowed, &r, &name, &e), OD_EUSAGE);
	assert_int_equal(action_parse_ref("nosuch/x", allowed, &r, &name, &e), OD_EUSAGE);
}

static enum action_progress eval(const char *json, char *msg, size_t n)
{
	cJSON *o = cJSON_Parse(json);
	enum action_progress p;

	assert_non_null(o);
	p = rollout_status_eval(o, msg, n);
	cJSON_Delete(o);
	return p;
}

#define DEPLOY(gen, seen, spec, upd, have, avail, extra)                                     \
	"{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"generation\":" #gen "},"    \
	"\"spec\":{\"replicas\":" #spec "},\"status\":{\"observedGeneration\":" #seen ","      \
	"\"updatedReplicas\":" #upd ",\"replicas\":" #have ",\"availableReplicas\":" #avail   \
	extra "}}"

static void test_rollout_deployment(void **state)
{
	char m[256];

	(void)state;
	assert_int_equal(eval(DEPLOY(2, 1, 3, 3, 3, 3, ""), m, sizeof m), ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "Waiting for deployment spec update to be observed...");
	assert_int_equal(eval(DEPLOY(2, 2, 3, 1, 4, 1, ""), m, sizeof m), ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new "
			    "replicas have been updated...");
	assert_int_equal(eval(DEPLOY(2, 2, 3, 3, 4, 3, ""), m, sizeof m), ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "Waiting for deployment \"web\" rollout to finish: 1 old replicas "
			    "are pending termination...");
	assert_int_equal(eval(DEPLOY(2, 2, 3, 3, 3, 2, ""), m, sizeof m), ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated "
			    "replicas are available...");
	assert_int_equal(eval(DEPLOY(2, 2, 3, 3, 3, 3, ""), m, sizeof m), ACTION_PROGRESS_DONE);
	assert_string_equal(m, "deployment \"web\" successfully rolled out");
	assert_int_equal(eval(DEPLOY(2, 2, 3, 1, 3, 1,
				     ",\"conditions\":[{\"type\":\"Progressing\","
				     "\"reason\":\"ProgressDeadlineExceeded\"}]"), m, sizeof m),
			 ACTION_PROGRESS_FAILED);
	assert_string_equal(m, "deployment \"web\" exceeded its progress deadline");
}

static void test_rollout_statefulset_daemonset(void **state)
{
	char m[256];

	(void)state;
	assert_int_equal(eval("{\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"db\",\"generation\":1},"
			      "\"spec\":{\"replicas\":2},\"status\":{\"observedGeneration\":1,"
			      "\"readyReplicas\":1}}", m, sizeof m), ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "Waiting for 1 pods to be ready...");
	assert_int_equal(eval("{\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"db\",\"generation\":1},"
			      "\"spec\":{\"replicas\":2},\"status\":{\"observedGeneration\":1,"
			      "\"readyReplicas\":2,\"updatedReplicas\":1,\"currentRevision\":\"db-1\","
			      "\"updateRevision\":\"db-2\"}}", m, sizeof m), ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "waiting for statefulset rolling update to complete 1 pods at "
			    "revision db-2...");
	assert_int_equal(eval("{\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"db\",\"generation\":1},"
			      "\"spec\":{\"replicas\":2},\"status\":{\"observedGeneration\":1,"
			      "\"readyReplicas\":2,\"currentReplicas\":2,\"currentRevision\":\"db-2\","
			      "\"updateRevision\":\"db-2\"}}", m, sizeof m), ACTION_PROGRESS_DONE);
	assert_string_equal(m, "statefulset rolling update complete 2 pods at revision db-2...");
	assert_int_equal(eval("{\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"db\"},"
			      "\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\"}}}", m, sizeof m),
			 ACTION_PROGRESS_FAILED);
	assert_string_equal(m, "rollout status is only available for RollingUpdate strategy type");
	assert_int_equal(eval("{\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"agent\",\"generation\":3},"
			      "\"status\":{\"observedGeneration\":3,\"desiredNumberScheduled\":2,"
			      "\"updatedNumberScheduled\":1,\"numberAvailable\":2}}", m, sizeof m),
			 ACTION_PROGRESS_WAITING);
	assert_string_equal(m, "Waiting for daemon set \"agent\" rollout to finish: 1 out of 2 new "
			    "pods have been updated...");
	assert_int_equal(eval("{\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"agent\",\"generation\":3},"
			      "\"status\":{\"observedGeneration\":3,\"desiredNumberScheduled\":2,"
			      "\"updatedNumberScheduled\":2,\"numberAvailable\":2}}", m, sizeof m),
			 ACTION_PROGRESS_DONE);
	assert_string_equal(m, "daemon set \"agent\" successfully rolled out");
}

#define RS(name, uid, rev, image)                                                             \
	"{\"metadata\":{\"name\":\"" name "\",\"creationTimestamp\":\"2026-11-01T00:00:00Z\","  \
	"\"annotations\":{\"deployment.kubernetes.io/revision\":\"" rev "\"},"                  \
	"\"ownerReferences\":[{\"uid\":\"" uid "\"}]},\"spec\":{\"template\":{\"metadata\":"   \
	"{\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"abc\"}},\"spec\":{\"containers\":" \
	"[{\"name\":\"web\",\"image\":\"" image "\"}]}}}}"

static void test_history(void **state)
{
	cJSON *w = cJSON_Parse("{\"kind\":\"Deployment\",\"metadata\":{\"uid\":\"u1\"}}");
	cJSON *l = cJSON_Parse("{\"items\":[" RS("a", "u1", "3", "web:3") "," RS("b", "u1", "1", "web:1")
			       "," RS("c", "other", "7", "x:7") "," RS("d", "u1", "2", "web:2") "]}");
	struct rollout_history h;
	const struct rollout_revision *r;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(rollout_history_build(w, l, &h, &e), OD_OK);
	assert_int_equal(h.n, 3);   /* the ReplicaSet of another owner is left out */
	assert_int_equal(h.v[0].revision, 1);
	assert_int_equal(h.v[2].revision, 3);
	assert_string_equal(h.v[1].images, "web=web:2");
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(h.v[0].template,
										 "metadata"),
							    "labels"),
					"pod-template-hash"));
	r = rollout_history_pick(&h, 0, &e);
	assert_non_null(r);
	assert_int_equal(r->revision, 2);
	r = rollout_history_pick(&h, 1, &e);
	assert_non_null(r);
	assert_string_equal(r->images, "web=web:1");
	assert_null(rollout_history_pick(&h, 9, &e));
	assert_string_equal(e.msg, "error: unable to find specified revision 9 in history");
	rollout_history_free(&h);
	cJSON_Delete(w);
	cJSON_Delete(l);
}

static void test_workload_pvcs(void **state)
{
	cJSON *sts = cJSON_Parse("{\"metadata\":{\"name\":\"db\"},\"spec\":{\"replicas\":2,"
				 "\"volumeClaimTemplates\":[{\"metadata\":{\"name\":\"data\"}}]}}");
	cJSON *dep = cJSON_Parse("{\"metadata\":{\"name\":\"m\"},\"spec\":{\"template\":{\"spec\":"
				 "{\"volumes\":[{\"name\":\"x\",\"emptyDir\":{}},{\"name\":\"d\","
				 "\"persistentVolumeClaim\":{\"claimName\":\"m-data\"}}]}}}}");
	char out[256];

	(void)state;
	assert_int_equal(action_workload_pvcs(sts, out, sizeof out), 2);
	assert_string_equal(out, "data-db-0,data-db-1");
	assert_int_equal(action_workload_pvcs(dep, out, sizeof out), 1);
	assert_string_equal(out, "m-data");
	cJSON_Delete(sts);
	cJSON_Delete(dep);
}

/* With ctx.gets set a GET never reaches the network: held or wanted. */
static void test_gets_wanted(void **state)
{
	struct action_gets *g = NULL;
	struct action_ctx c = { .context = "sim", .kube_user = "", .os_user = "t" };
	struct action_target t = { .namespace_ = "home-automation",
				   .type = "deploy/home-assistant" };
	struct action_plan *p = NULL;
	struct err e = { 0 };
	cJSON *out = NULL;
	long code = -1;

	(void)state;
	assert_int_equal(action_gets_new(&g, &e), OD_OK);
	c.gets = g;   /* c.http stays NULL: a request that went out would crash */
	assert_false(action_gets_missed(g));
	assert_null(action_gets_wanted(g));
	assert_int_equal(action_get_json(&c, "/api/v1/namespaces/a/pods/x", &out, &e), OD_EAGAIN);
	assert_null(out);
	assert_true(action_gets_missed(g));
	assert_string_equal(action_gets_wanted(g), "/api/v1/namespaces/a/pods/x");
	/* the first GET missed is the one wanted */
	assert_int_equal(action_get_json(&c, "/api/v1/namespaces/a/pods/y", &out, &e), OD_EAGAIN);
	assert_string_equal(action_gets_wanted(g), "/api/v1/namespaces/a/pods/x");
	/* a write would wait: refused */
	assert_int_equal(action_request(&c, "PATCH", "/api/v1/namespaces/a/pods/x",
					"application/merge-patch+json", "{}", &code, NULL, &e),
			 OD_ESTATE);
	assert_false(action_gets_busy(g));
	action_gets_clear(g);
	assert_false(action_gets_missed(g));
	assert_int_equal(action_gets_fetch(g, NULL, NULL, NULL, &e), OD_ESTATE);

	/* a builder on an empty set asks for its first GET and builds nothing usable */
	(void)action_build_restart(&c, &t, &p, &e);
	assert_true(action_gets_missed(g));
	assert_string_equal(action_gets_wanted(g),
			    "/apis/apps/v1/namespaces/home-automation/deployments/home-assistant");
	action_plan_free(&p);
	action_gets_free(&g);
	assert_null(g);
	action_gets_free(&g);   /* NULL is fine */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_name),
		cmocka_unit_test(test_scale_steps),
		cmocka_unit_test(test_restart_patch),
		cmocka_unit_test(test_parse_ref),
		cmocka_unit_test(test_rollout_deployment),
		cmocka_unit_test(test_rollout_statefulset_daemonset),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_workload_pvcs),
		cmocka_unit_test(test_gets_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
