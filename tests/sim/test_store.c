/*
 * test_store.c: the sim's object store (src/sim/store.c) and request
 * routing (src/sim/router.c): resourceVersions, generation, sorted lists,
 * the change window for watches, and how paths and queries are read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "opsdeck/sim_json.h"
#include "opsdeck/sim_router.h"
#include "opsdeck/sim_store.h"

struct fixture {
	struct sim_clock clock;
	struct sim_rng rng;
	struct sim_store *st;
	int events[3];
};

static void listener(void *arg, enum sim_change type, const struct sim_resource *res,
		     const cJSON *old, const cJSON *cur, uint64_t rv)
{
	struct fixture *f = arg;
	(void)res;
	(void)old;
	(void)cur;
	(void)rv;
	f->events[type]++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct od_time t = { .sec = 1767225600, .nsec = 0 };
	sim_clock_init(&f->clock, t);
	sim_clock_pin(&f->clock, t);
	sim_rng_seed(&f->rng, 1);
	assert_int_equal(sim_store_new(&f->st, &f->clock, &f->rng, NULL), OD_OK);
	assert_int_equal(sim_store_listen(f->st, listener, f, NULL), OD_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_store_free(&f->st);
	assert_null(f->st);
	free(f);
	return 0;
}

static struct sim_obj *make_deploy(struct fixture *f, const char *ns, const char *name)
{
	char buf[512];
	struct sim_obj *o = NULL;
	snprintf(buf, sizeof(buf),
		 "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\"},\"spec\":{\"replicas\":1}}", name, ns);
	assert_int_equal(sim_store_create(f->st, SIM_RES_DEPLOYMENTS, cJSON_Parse(buf), &o, NULL), OD_OK);
	return o;
}

static void test_create_fills_metadata(void **state)
{
	struct fixture *f = *state;
	uint64_t rv0 = sim_store_rv(f->st);
	struct sim_obj *o = make_deploy(f, "ns", "web");
	assert_string_equal(sim_json_str(o->json, "apiVersion"), "apps/v1");
	assert_string_equal(sim_json_str(o->json, "kind"), "Deployment");
	assert_int_equal(strlen(sim_json_str(o->json, "metadata.uid")), 36);
	assert_string_equal(sim_json_str(o->json, "metadata.creationTimestamp"), "2026-01-01T00:00:00Z");
	assert_int_equal(sim_json_int(o->json, "metadata.generation", 0), 1);
	assert_int_equal(o->rv, rv0 + 1);
	assert_int_equal(f->events[SIM_CHANGE_ADDED], 1);
	struct err e;
	assert_int_equal(sim_store_create(f->st, SIM_RES_DEPLOYMENTS,
					  cJSON_Parse("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"}}"),
					  NULL, &e), OD_EEXIST);
}

static void test_update_generation_and_noop(void **state)
{
	struct fixture *f = *state;
	struct sim_obj *o = make_deploy(f, "ns", "web");
	uint64_t rv = o->rv;
	/* a status-only change keeps the generation */
	cJSON *next = cJSON_Duplicate(o->json, 1);
	sim_json_set_num(next, "status.replicas", 1);
	sim_store_update(f->st, o, next, NULL);
	assert_int_equal(sim_json_int(o->json, "metadata.generation", 0), 1);
	assert_true(o->rv > rv);
	/* a spec change bumps it */
	next = cJSON_Duplicate(o->json, 1);
	sim_json_set_num(next, "spec.replicas", 2);
	sim_store_update(f->st, o, next, NULL);
	assert_int_equal(sim_json_int(o->json, "metadata.generation", 0), 2);
	/* a no-op write changes nothing */
	rv = o->rv;
	int mods = f->events[SIM_CHANGE_MODIFIED];
	sim_store_update(f->st, o, cJSON_Duplicate(o->json, 1), NULL);
	assert_int_equal(o->rv, rv);
	assert_int_equal(f->events[SIM_CHANGE_MODIFIED], mods);
	/* identity fields cannot change */
	next = cJSON_Duplicate(o->json, 1);
	sim_json_set_str(next, "metadata.uid", "other");
	sim_store_update(f->st, o, next, NULL);
	assert_int_not_equal(strcmp(sim_json_str(o->json, "metadata.uid"), "other"), 0);
}

static void test_list_sorted_by_namespace_and_name(void **state)
{
	struct fixture *f = *state;
	struct sim_obj **objs;
	make_deploy(f, "b", "z");
	make_deploy(f, "a", "y");
	make_deploy(f, "b", "a");
	make_deploy(f, "a", "x");
	size_t n = sim_store_list(f->st, SIM_RES_DEPLOYMENTS, NULL, &objs);
	assert_int_equal(n, 4);
	assert_string_equal(objs[0]->name, "x");
	assert_string_equal(objs[1]->name, "y");
	assert_string_equal(objs[2]->name, "a");
	assert_string_equal(objs[3]->name, "z");
	n = sim_store_list(f->st, SIM_RES_DEPLOYMENTS, "b", &objs);
	assert_int_equal(n, 2);
	assert_string_equal(objs[0]->ns, "b");
	assert_non_null(sim_store_get(f->st, SIM_RES_DEPLOYMENTS, "a", "y"));
	assert_null(sim_store_get(f->st, SIM_RES_DEPLOYMENTS, "b", "y"));
}

struct replay_count {
	int added, deleted;
};

static void count_replay(void *arg, enum sim_change type, const cJSON *obj, uint64_t rv)
{
	struct replay_count *c = arg;
	(void)obj;
	(void)rv;
	if (type == SIM_CHANGE_ADDED)
		c->added++;
	if (type == SIM_CHANGE_DELETED)
		c->deleted++;
}

static void test_replay_and_delete(void **state)
{
	struct fixture *f = *state;
	uint64_t since = sim_store_rv(f->st);
	struct sim_obj *o = make_deploy(f, "ns", "gone");
	sim_store_delete(f->st, o);
	assert_null(sim_store_get(f->st, SIM_RES_DEPLOYMENTS, "ns", "gone"));
	struct replay_count c = { 0, 0 };
	assert_true(sim_store_replay(f->st, SIM_RES_DEPLOYMENTS, since, count_replay, &c));
	assert_int_equal(c.added, 1);
	assert_int_equal(c.deleted, 1);
	/* Changes of another resource are not replayed. */
	c.added = c.deleted = 0;
	assert_true(sim_store_replay(f->st, SIM_RES_PODS, since, count_replay, &c));
	assert_int_equal(c.added + c.deleted, 0);
	/* Far more changes than the window: an old resourceVersion has expired. */
	struct sim_obj *w = make_deploy(f, "ns", "churn");
	for (int i = 0; i < 9000; i++) {
		cJSON *next = cJSON_Duplicate(w->json, 1);
		sim_json_set_num(next, "status.n", i);
		sim_store_update(f->st, w, next, NULL);
	}
	assert_false(sim_store_replay(f->st, SIM_RES_DEPLOYMENTS, since, count_replay, &c));
}

static void test_generate_name(void **state)
{
	struct fixture *f = *state;
	struct sim_obj *o = NULL;
	assert_int_equal(sim_store_create(f->st, SIM_RES_PODS,
					  cJSON_Parse("{\"metadata\":{\"generateName\":\"web-\",\"namespace\":\"ns\"}}"),
					  &o, NULL), OD_OK);
	assert_int_equal(strncmp(o->name, "web-", 4), 0);
	assert_int_equal(strlen(o->name), 9);
	assert_int_equal(sim_store_create(f->st, SIM_RES_PODS, cJSON_Parse("{\"metadata\":{}}"), NULL, NULL),
			 OD_EINVAL);
}

static void test_router(void **state)
{
	struct sim_route rt;
	struct err e;
	(void)state;
	assert_int_equal(sim_router_parse_path("/api/v1/namespaces/ns/pods/p1/log", &rt, &e), OD_OK);
	assert_int_equal(rt.kind, SIM_ROUTE_RESOURCE);
	assert_int_equal(rt.res->id, SIM_RES_PODS);
	assert_string_equal(rt.ns, "ns");
	assert_string_equal(rt.name, "p1");
	assert_string_equal(rt.sub, "log");
	assert_int_equal(sim_router_parse_path("/apis/apps/v1/deployments", &rt, &e), OD_OK);
	assert_int_equal(rt.res->id, SIM_RES_DEPLOYMENTS);
	assert_false(rt.has_ns);
	assert_int_equal(sim_router_parse_path("/api/v1/namespaces/ns", &rt, &e), OD_OK);
	assert_int_equal(rt.res->id, SIM_RES_NAMESPACES);
	assert_string_equal(rt.name, "ns");
	assert_int_equal(sim_router_parse_path("/api/v1/namespaces/ns/services/svc:80/proxy/a/b?x", &rt, &e), OD_OK);
	assert_string_equal(rt.sub, "proxy");
	assert_string_equal(rt.rest, "/a/b?x");
	assert_int_equal(sim_router_parse_path("/apis/apps", &rt, &e), OD_OK);
	assert_int_equal(rt.kind, SIM_ROUTE_GROUP);
	assert_int_equal(sim_router_parse_path("/apis/nope/v1/things", &rt, &e), OD_OK);
	assert_null(rt.res);
	assert_int_equal(sim_router_parse_path("/api/v1/namespaces/ns/pods/a/b/c", &rt, &e), OD_OK);
	assert_int_equal(rt.kind, SIM_ROUTE_NOT_FOUND);
	assert_int_equal(sim_router_parse_path("relative", &rt, &e), OD_OK);
	assert_int_equal(rt.kind, SIM_ROUTE_NOT_FOUND);
}

static void test_query(void **state)
{
	struct sim_query q;
	struct err e;
	(void)state;
	sim_query_init(&q);
	assert_int_equal(sim_query_parse_string(&q, "labelSelector=app%3Dweb%2Ctier+in+(a)&watch=1&limit=5&tailLines=3&timestamps=true&dryRun=All", &e), OD_OK);
	assert_string_equal(q.label_selector, "app=web,tier in (a)");
	assert_true(q.watch);
	assert_int_equal(q.limit, 5);
	assert_int_equal(q.tail_lines, 3);
	assert_true(q.timestamps);
	assert_true(q.dry_run);
	assert_int_equal(q.since_seconds, -1);
	assert_int_equal(sim_query_parse_string(&q, "limit=x", &e), OD_EPARSE);
	assert_int_equal(sim_query_parse_string(&q, "dryRun=Some", &e), OD_EPARSE);
	assert_int_equal(sim_query_parse_string(&q, "unknown=1&%zz=%", &e), OD_OK);
	sim_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_fills_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_generation_and_noop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_sorted_by_namespace_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generate_name, setup, teardown),
		cmocka_unit_test(test_router),
		cmocka_unit_test(test_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
