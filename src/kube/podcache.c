/*
 * podcache.c: pods from an informer into compact structs (podcache.h).
 * A chained hash table keyed by "namespace/name"; each entry owns its pod.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/podcache.h"

struct pc_entry {
	char *key;                 /* owned: "namespace/name" */
	struct pod pod;            /* owned */
	bool seen;                 /* seen again during the current relist */
	struct pc_entry *next;
};

struct podcache {
	struct informer *inf;      /* owned */
	struct pc_entry **buckets; /* owned */
	size_t nbuckets;
	size_t count;
	uint64_t generation;
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void entry_free(struct pc_entry *en)
{
	pod_clear(&en->pod);
	free(en->key);
	free(en);
}

static struct pc_entry **find_slot(const struct podcache *pc, const char *key)
{
	struct pc_entry **pp = &pc->buckets[hash_key(key) % pc->nbuckets];

	while (*pp && strcmp((*pp)->key, key) != 0)
		pp = &(*pp)->next;
	return pp;
}

static enum od_status grow(struct podcache *pc, struct err *e)
{
	size_t n = pc->nbuckets * 2;
	struct pc_entry **b = calloc(n, sizeof(*b));

	if (!b)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < pc->nbuckets; i++) {
		while (pc->buckets[i]) {
			struct pc_entry *en = pc->buckets[i];
			pc->buckets[i] = en->next;
			size_t h = hash_key(en->key) % n;
			en->next = b[h];
			b[h] = en;
		}
	}
	free(pc->buckets);
	pc->buckets = b;
	pc->nbuckets = n;
	return OD_OK;
}

static void make_key(char *out, size_t n, const char *ns, const char *name)
{
	snprintf(out, n, "%s/%s", ns ? ns : "", name ? name : "");
}

static void on_list_begin(void *arg)
{
	struct podcache *pc = arg;

	for (size_t i = 0; i < pc->nbuckets; i++)
		for (struct pc_entry *en = pc->buckets[i]; en; en = en->next)
			en->seen = false;
}

static void on_list_end(void *arg)
{
	struct podcache *pc = arg;

	for (size_t i = 0; i < pc->nbuckets; i++) {
		struct pc_entry **pp = &pc->buckets[i];
		while (*pp) {
			struct pc_entry *en = *pp;
			if (en->seen) {
				pp = &en->next;
				continue;
			}
			*pp = en->next;
			entry_free(en);
			pc->count--;
			pc->generation++;
		}
	}
}

static enum od_status on_object(void *arg, enum watch_type type, const cJSON *obj, struct err *e)
{
	struct podcache *pc = arg;
	struct pod fresh = { 0 };
	char key[POD_STRING_MAX * 2 + 2];
	enum od_status rc;

	rc = pod_from_json(obj, &fresh, e);
	if (rc != OD_OK)
		return rc;
	if (!fresh.name) {
		pod_clear(&fresh);
		return err_set(e, OD_EPARSE, "pod without metadata.name");
	}
	make_key(key, sizeof(key), fresh.namespace_, fresh.name);
	struct pc_entry **slot = find_slot(pc, key);
	pc->generation++;
	if (type == WATCH_DELETED) {
		pod_clear(&fresh);
		if (*slot) {
			struct pc_entry *en = *slot;
			*slot = en->next;
			entry_free(en);
			pc->count--;
		}
		return OD_OK;
	}
	if (*slot) {
		pod_clear(&(*slot)->pod);
		(*slot)->pod = fresh;
		(*slot)->seen = true;
		return OD_OK;
	}
	struct pc_entry *en = calloc(1, sizeof(*en));
	if (!en || !(en->key = strdup(key))) {
		free(en);
		pod_clear(&fresh);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	en->pod = fresh;
	en->seen = true;
	*slot = en;
	pc->count++;
	if (pc->count > pc->nbuckets)
		return grow(pc, e);
	return OD_OK;
}

static const struct informer_ops podcache_ops = {
	.list_begin = on_list_begin,
	.on_object = on_object,
	.list_end = on_list_end,
	.on_error = NULL,
};

enum od_status podcache_new(struct http_client *http, const struct podcache_config *cfg,
			    struct podcache **out, struct err *e)
{
	struct podcache *pc = calloc(1, sizeof(*pc));
	enum od_status rc;

	*out = NULL;
	if (!pc)
		return err_set(e, OD_ENOMEM, "out of memory");
	pc->nbuckets = 256;
	pc->buckets = calloc(pc->nbuckets, sizeof(*pc->buckets));
	if (!pc->buckets) {
		free(pc);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	struct informer_config ic = {
		.res = api_resource_lookup("pods", NULL),
		.namespace_ = cfg ? cfg->namespace_ : NULL,
		.label_selector = cfg ? cfg->label_selector : NULL,
		.field_selector = cfg ? cfg->field_selector : NULL,
		.backoff_base_ms = cfg ? cfg->backoff_base_ms : 0,
	};
	rc = informer_new(http, &ic, &podcache_ops, pc, &pc->inf, e);
	if (rc != OD_OK) {
		podcache_free(&pc);
		return rc;
	}
	*out = pc;
	return OD_OK;
}

enum od_status podcache_start(struct podcache *pc, struct err *e)
{
	return informer_start(pc->inf, e);
}

void podcache_free(struct podcache **p)
{
	struct podcache *pc = *p;

	if (!pc)
		return;
	informer_free(&pc->inf);
	for (size_t i = 0; pc->buckets && i < pc->nbuckets; i++) {
		while (pc->buckets[i]) {
			struct pc_entry *en = pc->buckets[i];
			pc->buckets[i] = en->next;
			entry_free(en);
		}
	}
	free(pc->buckets);
	free(pc);
	*p = NULL;
}

size_t podcache_count(const struct podcache *pc)
{
	return pc->count;
}

uint64_t podcache_generation(const struct podcache *pc)
{
	return pc->generation;
}

const struct pod *podcache_get(const struct podcache *pc, const char *ns, const char *name)
{
	char key[POD_STRING_MAX * 2 + 2];

	make_key(key, sizeof(key), ns, name);
	struct pc_entry *en = *find_slot(pc, key);
	return en ? &en->pod : NULL;
}

static int cmp_pod(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a, *y = *(const struct pod *const *)b;
	int c = strcmp(x->namespace_ ? x->namespace_ : "", y->namespace_ ? y->namespace_ : "");
	return c ? c : strcmp(x->name, y->name);
}

enum od_status podcache_sorted(const struct podcache *pc, const struct pod ***out, size_t *n,
			       struct err *e)
{
	const struct pod **v = calloc(pc->count ? pc->count : 1, sizeof(*v));
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!v)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < pc->nbuckets; i++)
		for (struct pc_entry *en = pc->buckets[i]; en; en = en->next)
			v[k++] = &en->pod;
	qsort(v, k, sizeof(*v), cmp_pod);
	*out = v;
	*n = k;
	return OD_OK;
}

const struct informer_stats *podcache_stats(const struct podcache *pc)
{
	return informer_stats(pc->inf);
}
