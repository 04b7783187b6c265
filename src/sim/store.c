/*
 * store.c: objects, the global resourceVersion and the change window.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_json.h"
#include "opsdeck/sim_store.h"

/* Changes kept for watches resuming from an older resourceVersion. */
#define STORE_HISTORY 8192
#define STORE_LISTENERS_MAX 16

struct store_change {
	enum sim_change type;
	enum sim_res_id res;
	cJSON *obj;      /* owned copy */
	uint64_t rv;
};

struct store_list {
	struct sim_obj **v;  /* owned array of owned objects */
	size_t n, cap;
};

struct sim_store {
	struct sim_clock *clock;  /* borrowed */
	struct sim_rng *rng;      /* borrowed */
	uint64_t rv;
	struct store_list lists[SIM_RES_COUNT];
	struct store_change *hist;   /* owned ring */
	size_t hist_head, hist_len;
	uint64_t hist_floor;         /* changes with rv <= floor are gone */
	struct {
		sim_store_listener_fn fn;
		void *arg;
	} listeners[STORE_LISTENERS_MAX];
	size_t nlisteners;
};

enum od_status sim_store_new(struct sim_store **out, struct sim_clock *clock,
			     struct sim_rng *rng, struct err *e)
{
	struct sim_store *st = calloc(1, sizeof(*st));
	if (!st)
		return err_set(e, OD_ENOMEM, "out of memory");
	st->hist = calloc(STORE_HISTORY, sizeof(*st->hist));
	if (!st->hist) {
		free(st);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	st->clock = clock;
	st->rng = rng;
	/* Real clusters start far from zero; a small base keeps numbers readable. */
	st->rv = 1000;
	st->hist_floor = st->rv;
	*out = st;
	return OD_OK;
}

/*
 * Key interning (issue 4, memory at --pods 10000). Every cJSON member owns a
 * malloc'd copy of its key: a pod has ~125 of them ("metadata", "name", ...),
 * about 4 KB of 32-byte chunks per pod, 40 MB at 10,000 pods, all repeats of
 * a few hundred distinct keys. Objects entering the store get their keys
 * pointed at one shared copy and flagged cJSON_StringIsConst, which cJSON
 * honours everywhere a key is freed or replaced (Delete, Replace*, AddItem*)
 * and keeps shared in cJSON_Duplicate. The copies are never freed (a copied
 * subtree may outlive the store), so the table is capped: past the cap a key
 * simply keeps its own copy. Single-threaded, like the rest of the sim.
 */
#define INTERN_MAX 65536          /* distinct keys; the table is twice as large */
#define INTERN_KEY_MAX 64         /* longer keys (annotations) stay private */

static struct {
	char **slot;                  /* open addressing, 2 * INTERN_MAX slots */
	size_t n;
} key_intern;

static const char *intern_key(const char *k)
{
	size_t len = strlen(k), mask = 2 * INTERN_MAX - 1;
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	if (len > INTERN_KEY_MAX)
		return NULL;
	if (!key_intern.slot) {
		key_intern.slot = calloc(2 * INTERN_MAX, sizeof(*key_intern.slot));
		if (!key_intern.slot)
			return NULL;
	}
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		char *c = key_intern.slot[i];
		if (!c)
			break;
		if (strcmp(c, k) == 0)
			return c;
	}
	if (key_intern.n >= INTERN_MAX)
		return NULL;
	char *c = malloc(len + 1);
	if (!c)
		return NULL;
	memcpy(c, k, len + 1);
	size_t i = (size_t)h & mask;
	while (key_intern.slot[i])
		i = (i + 1) & mask;
	key_intern.slot[i] = c;
	key_intern.n++;
	return c;
}

/* Points the keys of obj's members at the shared copies (see above). */
static void intern_keys(cJSON *obj)
{
	for (cJSON *it = obj ? obj->child : NULL; it; it = it->next) {
		if (it->string && !(it->type & cJSON_StringIsConst)) {
			const char *k = intern_key(it->string);
			if (k) {
				free(it->string);
				/* cJSON_StringIsConst: cJSON never writes or frees it */
				it->string = (char *)(uintptr_t)k;
				it->type |= cJSON_StringIsConst;
			}
		}
		if (!(it->type & cJSON_IsReference))
			intern_keys(it);
	}
}

static void obj_free(struct sim_obj *o)
{
	if (!o)
		return;
	cJSON_Delete(o->json);
	free(o);
}

void sim_store_free(struct sim_store **pst)
{
	struct sim_store *st = pst ? *pst : NULL;
	if (!st)
		return;
	for (size_t r = 0; r < SIM_RES_COUNT; r++) {
		for (size_t i = 0; i < st->lists[r].n; i++)
			obj_free(st->lists[r].v[i]);
		free(st->lists[r].v);
	}
	for (size_t i = 0; i < STORE_HISTORY; i++)
		cJSON_Delete(st->hist[i].obj);
	free(st->hist);
	free(st);
	*pst = NULL;
}

enum od_status sim_store_listen(struct sim_store *st, sim_store_listener_fn fn, void *arg,
				struct err *e)
{
	if (st->nlisteners >= STORE_LISTENERS_MAX)
		return err_set(e, OD_ELIMIT, "too many store listeners");
	st->listeners[st->nlisteners].fn = fn;
	st->listeners[st->nlisteners].arg = arg;
	st->nlisteners++;
	return OD_OK;
}

uint64_t sim_store_rv(const struct sim_store *st)
{
	return st->rv;
}

bool sim_store_has_generation(enum sim_res_id res)
{
	switch (res) {
	case SIM_RES_DEPLOYMENTS:
	case SIM_RES_REPLICASETS:
	case SIM_RES_STATEFULSETS:
	case SIM_RES_DAEMONSETS:
	case SIM_RES_JOBS:
	case SIM_RES_CRONJOBS:
	case SIM_RES_VOLUMESNAPSHOTS:
		return true;
	default:
		return false;
	}
}

static int key_cmp(const char *ns1, const char *n1, const char *ns2, const char *n2)
{
	int c = strcmp(ns1, ns2);
	return c ? c : strcmp(n1, n2);
}

/* Index of the first element >= (ns, name). */
static size_t list_lower_bound(const struct store_list *l, const char *ns, const char *name)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(l->v[mid]->ns, l->v[mid]->name, ns, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct sim_obj *sim_store_get(struct sim_store *st, enum sim_res_id res, const char *ns,
			      const char *name)
{
	const struct sim_resource *r = sim_resources_get(res);
	struct store_list *l;
	if (!r || !name)
		return NULL;
	if (!r->namespaced || !ns)
		ns = "";
	l = &st->lists[res];
	size_t i = list_lower_bound(l, ns, name);
	if (i < l->n && key_cmp(l->v[i]->ns, l->v[i]->name, ns, name) == 0)
		return l->v[i];
	return NULL;
}

struct sim_obj *sim_store_get_uid(struct sim_store *st, enum sim_res_id res, const char *uid)
{
	struct store_list *l = &st->lists[res];
	if (!uid)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const char *u = sim_json_str(l->v[i]->json, "metadata.uid");
		if (u && strcmp(u, uid) == 0)
			return l->v[i];
	}
	return NULL;
}

size_t sim_store_list(struct sim_store *st, enum sim_res_id res, const char *ns,
		      struct sim_obj ***out)
{
	struct store_list *l = &st->lists[res];
	const struct sim_resource *r = sim_resources_get(res);
	if (!ns || !*ns || !r->namespaced) {
		*out = l->v;
		return l->n;
	}
	size_t lo = list_lower_bound(l, ns, "");
	size_t hi = lo;
	while (hi < l->n && strcmp(l->v[hi]->ns, ns) == 0)
		hi++;
	*out = l->v + lo;
	return hi - lo;
}

void sim_store_history_drop(struct sim_store *st)
{
	for (size_t i = 0; i < st->hist_len; i++) {
		struct store_change *c = &st->hist[(st->hist_head + i) % STORE_HISTORY];
		cJSON_Delete(c->obj);
		c->obj = NULL;
	}
	st->hist_head = 0;
	st->hist_len = 0;
	st->hist_floor = st->rv;
}

static void history_add(struct sim_store *st, enum sim_change type, enum sim_res_id res,
			const cJSON *obj, uint64_t rv)
{
	size_t slot = (st->hist_head + st->hist_len) % STORE_HISTORY;
	if (st->hist_len == STORE_HISTORY) {
		struct store_change *old = &st->hist[st->hist_head];
		st->hist_floor = old->rv;
		cJSON_Delete(old->obj);
		old->obj = NULL;
		st->hist_head = (st->hist_head + 1) % STORE_HISTORY;
		st->hist_len--;
		slot = (st->hist_head + st->hist_len) % STORE_HISTORY;
	}
	st->hist[slot].type = type;
	st->hist[slot].res = res;
	st->hist[slot].obj = cJSON_Duplicate(obj, 1);
	st->hist[slot].rv = rv;
	st->hist_len++;
}

static void notify(struct sim_store *st, enum sim_change type, const struct sim_resource *r,
		   const cJSON *old, const cJSON *cur, uint64_t rv)
{
	history_add(st, type, r->id, cur, rv);
	for (size_t i = 0; i < st->nlisteners; i++)
		st->listeners[i].fn(st->listeners[i].arg, type, r, old, cur, rv);
}

bool sim_store_replay(struct sim_store *st, enum sim_res_id res, uint64_t since,
		      sim_store_replay_fn fn, void *arg)
{
	if (since < st->hist_floor)
		return false;
	for (size_t i = 0; i < st->hist_len; i++) {
		const struct store_change *c = &st->hist[(st->hist_head + i) % STORE_HISTORY];
		if (c->rv > since && c->res == res && c->obj)
			fn(arg, c->type, c->obj, c->rv);
	}
	return true;
}

static void set_rv(cJSON *obj, uint64_t rv)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)rv);
	sim_json_set_str(obj, "metadata.resourceVersion", buf);
}

/* Gives a generateName object its name; false when there is neither. */
static bool obj_assign_name(struct sim_store *st, cJSON *obj)
{
	const char *name = sim_json_str(obj, "metadata.name");
	const char *gen = sim_json_str(obj, "metadata.generateName");
	char buf[300], sfx[6];

	if (name && *name)
		return true;
	if (!gen || !*gen)
		return false;
	sim_rng_suffix(st->rng, sfx, sizeof(sfx));
	snprintf(buf, sizeof(buf), "%.*s%s", 58, gen, sfx);
	return sim_json_set_str(obj, "metadata.name", buf);
}

enum od_status sim_store_create(struct sim_store *st, enum sim_res_id res, cJSON *obj,
				struct sim_obj **out, struct err *e)
{
	const struct sim_resource *r = sim_resources_get(res);
	struct sim_obj *o = NULL;
	struct store_list *l = &st->lists[res];
	enum od_status rc = OD_OK;
	char uid[37], ts[TIME_RFC3339_MAX], av[96];

	if (out)
		*out = NULL;
	if (!r || !cJSON_IsObject(obj)) {
		rc = err_set(e, OD_EINVAL, "not an object");
		goto out;
	}
	if (!obj_assign_name(st, obj)) {
		rc = err_set(e, OD_EINVAL, "name or generateName is required");
		goto out;
	}
	if (!r->namespaced)
		sim_json_remove(obj, "metadata.namespace");
	const char *ns = r->namespaced ? sim_json_str_or(obj, "metadata.namespace", "default") : "";
	if (r->namespaced && !sim_json_str(obj, "metadata.namespace"))
		sim_json_set_str(obj, "metadata.namespace", ns);
	ns = r->namespaced ? sim_json_str(obj, "metadata.namespace") : "";
	const char *name = sim_json_str(obj, "metadata.name");
	size_t pos = list_lower_bound(l, ns, name);
	if (pos < l->n && key_cmp(l->v[pos]->ns, l->v[pos]->name, ns, name) == 0) {
		rc = err_set(e, OD_EEXIST, "%s", name);
		goto out;
	}
	sim_resources_api_version(r, av, sizeof(av));
	sim_json_set_str(obj, "apiVersion", av);
	sim_json_set_str(obj, "kind", r->kind);
	if (!sim_json_str(obj, "metadata.uid")) {
		sim_rng_uuid(st->rng, uid);
		sim_json_set_str(obj, "metadata.uid", uid);
	}
	if (!sim_json_str(obj, "metadata.creationTimestamp")) {
		sim_clock_rfc3339(st->clock, ts, sizeof(ts));
		sim_json_set_str(obj, "metadata.creationTimestamp", ts);
	}
	if (sim_store_has_generation(res) && !sim_json_get(obj, "metadata.generation"))
		sim_json_set_num(obj, "metadata.generation", 1);
	st->rv++;
	set_rv(obj, st->rv);
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct sim_obj **nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv) {
			rc = err_set(e, OD_ENOMEM, "out of memory");
			goto out;
		}
		l->v = nv;
		l->cap = ncap;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	o->res = r;
	intern_keys(obj);
	o->json = obj;
	obj = NULL;
	o->ns = r->namespaced ? sim_json_str(o->json, "metadata.namespace") : "";
	o->name = sim_json_str(o->json, "metadata.name");
	o->rv = st->rv;
	memmove(&l->v[pos + 1], &l->v[pos], (l->n - pos) * sizeof(*l->v));
	l->v[pos] = o;
	l->n++;
	if (out)
		*out = o;
	notify(st, SIM_CHANGE_ADDED, r, NULL, o->json, o->rv);
out:
	cJSON_Delete(obj);
	return rc;
}

/* Copies identity fields the client cannot change from old to obj. */
static void keep_identity(const cJSON *old, cJSON *obj, const struct sim_resource *r)
{
	static const char *const keep[] = { "metadata.name", "metadata.namespace", "metadata.uid",
					    "metadata.creationTimestamp", "apiVersion", "kind" };
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const cJSON *v = sim_json_get(old, keep[i]);
		if (v)
			sim_json_set(obj, keep[i], cJSON_Duplicate(v, 1));
		else
			sim_json_remove(obj, keep[i]);
	}
	if (!r->namespaced)
		sim_json_remove(obj, "metadata.namespace");
}

enum od_status sim_store_update(struct sim_store *st, struct sim_obj *o, cJSON *obj,
				struct err *e)
{
	cJSON *old = o->json;
	(void)e;
	keep_identity(old, obj, o->res);
	if (sim_store_has_generation(o->res->id)) {
		double gen = sim_json_num(old, "metadata.generation", 1);
		if (!sim_json_equal(sim_json_get(old, "spec"), sim_json_get(obj, "spec")))
			gen += 1;
		sim_json_set_num(obj, "metadata.generation", gen);
	}
	/* A no-op write keeps the resourceVersion, as the apiserver does. */
	sim_json_set(obj, "metadata.resourceVersion",
		     cJSON_Duplicate(sim_json_get(old, "metadata.resourceVersion"), 1));
	if (sim_json_equal(old, obj)) {
		cJSON_Delete(obj);
		return OD_OK;
	}
	st->rv++;
	set_rv(obj, st->rv);
	intern_keys(obj);
	o->json = obj;
	o->ns = o->res->namespaced ? sim_json_str(obj, "metadata.namespace") : "";
	o->name = sim_json_str(obj, "metadata.name");
	o->rv = st->rv;
	notify(st, SIM_CHANGE_MODIFIED, o->res, old, obj, o->rv);
	cJSON_Delete(old);
	return OD_OK;
}

void sim_store_delete(struct sim_store *st, struct sim_obj *o)
{
	struct store_list *l = &st->lists[o->res->id];
	size_t pos = list_lower_bound(l, o->ns, o->name);
	if (pos >= l->n || l->v[pos] != o)
		return;
	memmove(&l->v[pos], &l->v[pos + 1], (l->n - pos - 1) * sizeof(*l->v));
	l->n--;
	st->rv++;
	set_rv(o->json, st->rv);
	notify(st, SIM_CHANGE_DELETED, o->res, o->json, o->json, st->rv);
	obj_free(o);
}
