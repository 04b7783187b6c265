/*
 * series.c: series ids, with an in-memory cache so a tick of thousands of
 * samples does not cost thousands of index look-ups. The cache is cleared
 * whenever a transaction rolls back, since ids handed out in it are gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_series.h"
#include "internal.h"

static const char *const kind_names[STORE_KIND_COUNT] = { "pod", "node", "pvc", "workload" };
static const char *const metric_names[STORE_METRIC_COUNT] = {
	"cpu", "memory", "restarts", "storage_used", "storage_capacity", "ready"
};

const char *store_kind_name(enum store_kind k)
{
	return (unsigned)k < STORE_KIND_COUNT ? kind_names[k] : "?";
}

const char *store_metric_name(enum store_metric m)
{
	return (unsigned)m < STORE_METRIC_COUNT ? metric_names[m] : "?";
}

bool store_kind_parse(const char *s, enum store_kind *k)
{
	for (int i = 0; i < STORE_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum store_kind)i;
			return true;
		}
	return false;
}

bool store_metric_parse(const char *s, enum store_metric *m)
{
	for (int i = 0; i < STORE_METRIC_COUNT; i++)
		if (strcmp(s, metric_names[i]) == 0) {
			*m = (enum store_metric)i;
			return true;
		}
	return false;
}

/* Open addressing, string keys; grows at half full. */
struct series_cache {
	struct cache_slot {
		char *key;      /* owned */
		int64_t id;
	} *slots;               /* owned */
	size_t cap, used;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void store_series_cache_clear(struct series_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		free(c->slots[i].key);
		c->slots[i].key = NULL;
	}
	c->used = 0;
}

void store_series_cache_free(struct series_cache **c)
{
	if (!c || !*c)
		return;
	store_series_cache_clear(*c);
	free((*c)->slots);
	free(*c);
	*c = NULL;
}

static struct cache_slot *cache_find(struct series_cache *c, const char *key)
{
	if (!c || c->cap == 0)
		return NULL;
	for (size_t i = hash_str(key) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
		if (!c->slots[i].key)
			return &c->slots[i];
		if (strcmp(c->slots[i].key, key) == 0)
			return &c->slots[i];
	}
}

static bool cache_grow(struct series_cache *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 1024;
	struct cache_slot *old = c->slots;
	size_t ocap = c->cap;
	c->slots = calloc(ncap, sizeof(*c->slots));
	if (!c->slots) {
		c->slots = old;
		return false;
	}
	c->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].key)
			*cache_find(c, old[i].key) = old[i];
	free(old);
	return true;
}

/* Best effort: a failed insert only costs a later look-up. */
static void cache_put(struct store *st, const char *key, int64_t id)
{
	if (!st->series && !(st->series = calloc(1, sizeof(*st->series))))
		return;
	struct series_cache *c = st->series;
	if ((c->used + 1) * 2 > c->cap && !cache_grow(c))
		return;
	struct cache_slot *s = cache_find(c, key);
	if (s->key)
		return;
	if (!(s->key = strdup(key)))
		return;
	s->id = id;
	c->used++;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static enum od_status key_check(const struct store_series_key *k, struct err *e)
{
	if ((unsigned)k->kind >= STORE_KIND_COUNT || (unsigned)k->metric >= STORE_METRIC_COUNT)
		return err_set(e, OD_EINVAL, "unknown series kind or metric");
	const char *f[] = { nz(k->context), nz(k->namespace), nz(k->object), nz(k->container) };
	for (size_t i = 0; i < 4; i++)
		if (strlen(f[i]) > STORE_NAME_MAX)
			return err_set(e, OD_ELIMIT, "series name too long: \"%.40s...\"", f[i]);
	return OD_OK;
}

static enum od_status series_select(struct store *st, const struct store_series_key *k,
				    int64_t *id, struct err *e)
{
	static const char sql[] = "SELECT id FROM series WHERE context=?1 AND namespace=?2 AND"
				  " kind=?3 AND object=?4 AND container=?5 AND metric=?6";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	store_bind_text(s, 1, k->context);
	store_bind_text(s, 2, k->namespace);
	sqlite3_bind_int(s, 3, (int)k->kind);
	store_bind_text(s, 4, k->object);
	store_bind_text(s, 5, k->container);
	sqlite3_bind_int(s, 6, (int)k->metric);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return OD_OK;
	if (rc == SQLITE_DONE)
		return OD_ENOENT;
	return store_db_error(st, rc, e, "looking up a series");
}

static enum od_status series_insert(struct store *st, const struct store_series_key *k,
				    int64_t *id, struct err *e)
{
	static const char sql[] = "INSERT INTO series(context, namespace, kind, object, container,"
				  " metric) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret != OD_OK)
		return ret;
	/* Another process may have created it between our look-up and the lock. */
	ret = series_select(st, k, id, e);
	if (ret == OD_ENOENT) {
		sqlite3_stmt *s;
		ret = store_stmt(st, sql, &s, e);
		if (ret == OD_OK) {
			store_bind_text(s, 1, k->context);
			store_bind_text(s, 2, k->namespace);
			sqlite3_bind_int(s, 3, (int)k->kind);
			store_bind_text(s, 4, k->object);
			store_bind_text(s, 5, k->container);
			sqlite3_bind_int(s, 6, (int)k->metric);
			int rc = sqlite3_step(s);
			sqlite3_reset(s);
			if (rc == SQLITE_DONE)
				*id = sqlite3_last_insert_rowid(st->db);
			else
				ret = store_db_error(st, rc, e, "creating a series");
		}
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_series_id(struct store *st, const struct store_series_key *k, bool create,
			       int64_t *id, struct err *e)
{
	char key[4 * (STORE_NAME_MAX + 1) + 32];
	enum od_status ret = key_check(k, e);
	if (ret != OD_OK)
		return ret;
	snprintf(key, sizeof(key), "%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%d", nz(k->context),
		 nz(k->namespace), (int)k->kind, nz(k->object), nz(k->container), (int)k->metric);
	struct cache_slot *slot = cache_find(st->series, key);
	if (slot && slot->key) {
		*id = slot->id;
		return OD_OK;
	}
	ret = series_select(st, k, id, e);
	if (ret == OD_ENOENT && create)
		ret = series_insert(st, k, id, e);
	if (ret == OD_ENOENT)
		return err_set(e, OD_ENOENT, "no history for %s %s/%s %s", store_kind_name(k->kind),
			       nz(k->namespace), nz(k->object), store_metric_name(k->metric));
	if (ret == OD_OK)
		cache_put(st, key, *id);
	return ret;
}

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, STORE_NAME_MAX + 1, "%s", src);
}

enum od_status store_series_get(struct store *st, int64_t id, struct store_series_info *out,
				struct err *e)
{
	static const char sql[] = "SELECT context, namespace, kind, object, container, metric"
				  " FROM series WHERE id = ?1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = id;
		copy_name(out->context, store_col_text(s, 0));
		copy_name(out->namespace, store_col_text(s, 1));
		out->kind = (enum store_kind)sqlite3_column_int(s, 2);
		copy_name(out->object, store_col_text(s, 3));
		copy_name(out->container, store_col_text(s, 4));
		out->metric = (enum store_metric)sqlite3_column_int(s, 5);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return OD_OK;
	if (rc == SQLITE_DONE)
		return err_set(e, OD_ENOENT, "no series %lld", (long long)id);
	return store_db_error(st, rc, e, "reading a series");
}

enum od_status store_series_find(struct store *st, const struct store_series_filter *f,
				 int64_t **ids, size_t *n, struct err *e)
{
	static const char sql[] =
		"SELECT id FROM series WHERE (?1 IS NULL OR context=?1) AND (?2 IS NULL OR namespace=?2)"
		" AND (?3 IS NULL OR object=?3) AND (?4 IS NULL OR container=?4)"
		" AND (?5 < 0 OR kind=?5) AND (?6 < 0 OR metric=?6)"
		" AND (?7 IS NULL OR substr(object, 1, length(?7)) = ?7) ORDER BY id";
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);

	*ids = NULL;
	*n = 0;
	if (ret != OD_OK)
		return ret;
	const char *txt[4] = { f->context, f->namespace, f->object, f->container };
	for (int i = 0; i < 4; i++)
		if (txt[i])
			store_bind_text(s, i + 1, txt[i]);
	sqlite3_bind_int(s, 5, f->kind);
	sqlite3_bind_int(s, 6, f->metric);
	if (f->object_prefix)
		store_bind_text(s, 7, f->object_prefix);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *p = realloc(*ids, ncap * sizeof(*p));
			if (!p) {
				ret = err_set(e, OD_ENOMEM, "out of memory listing series");
				goto out;
			}
			*ids = p;
			cap = ncap;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		ret = store_db_error(st, rc, e, "listing series");
out:
	sqlite3_reset(s);
	if (ret != OD_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return ret;
}
