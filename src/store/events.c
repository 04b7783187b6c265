/*
 * events.c: the events archive, deduplicated by uid.
 */
#include <string.h>

#include "opsdeck/store_events.h"
#include "internal.h"

static enum od_status event_upsert(struct store *st, const struct store_event *ev, struct err *e)
{
	static const char sql[] =
		"INSERT INTO events(uid, context, namespace, type, reason, message, obj_kind, obj_name,"
		" obj_labels, source, count, first_seen, last_seen)"
		" VALUES(?1, ?2, ?3, ?4, ?5, substr(?6, 1, 4096), ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
		" ON CONFLICT(uid) DO UPDATE SET"
		"  count = max(count, excluded.count),"
		"  first_seen = min(first_seen, excluded.first_seen),"
		"  message = CASE WHEN excluded.last_seen >= last_seen THEN excluded.message ELSE message END,"
		"  obj_labels = CASE WHEN excluded.obj_labels <> '' THEN excluded.obj_labels ELSE obj_labels END,"
		"  last_seen = max(last_seen, excluded.last_seen)";
	sqlite3_stmt *s;
	if (!ev->uid || !*ev->uid)
		return err_set(e, OD_EINVAL, "an event without a uid cannot be archived");
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	const char *txt[] = { ev->uid, ev->context, ev->namespace, ev->type, ev->reason,
			      ev->message, ev->obj_kind, ev->obj_name, ev->obj_labels, ev->source };
	for (int i = 0; i < 10; i++)
		store_bind_text(s, i + 1, txt[i]);
	sqlite3_bind_int64(s, 11, ev->count > 0 ? ev->count : 1);
	sqlite3_bind_int64(s, 12, ev->first_seen ? ev->first_seen : ev->last_seen);
	sqlite3_bind_int64(s, 13, ev->last_seen ? ev->last_seen : ev->first_seen);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "archiving an event");
}

enum od_status store_events_upsert(struct store *st, const struct store_event *ev, size_t n,
				   struct err *e)
{
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	for (size_t i = 0; ret == OD_OK && i < n; i++)
		ret = event_upsert(st, &ev[i], e);
	return store_write_end(st, own, ret, e);
}

enum od_status store_events_list(struct store *st, const struct store_event_filter *f,
				 store_event_fn fn, void *arg, struct err *e)
{
	static const char sql[] =
		"SELECT uid, context, namespace, type, reason, message, obj_kind, obj_name, obj_labels,"
		" source, count, first_seen, last_seen FROM events"
		" WHERE (?1 IS NULL OR context = ?1) AND (?2 IS NULL OR namespace = ?2)"
		" AND (?3 IS NULL OR type = ?3) AND (?4 IS NULL OR obj_kind = ?4)"
		" AND (?5 IS NULL OR obj_name = ?5) AND last_seen >= ?6 ORDER BY last_seen, uid";
	sqlite3_stmt *s;
	struct store_event ev;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	const char *txt[] = { f->context, f->namespace, f->type, f->obj_kind, f->obj_name };
	for (int i = 0; i < 5; i++)
		if (txt[i])
			store_bind_text(s, i + 1, txt[i]);
	sqlite3_bind_int64(s, 6, f->since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ev.uid = store_col_text(s, 0);
		ev.context = store_col_text(s, 1);
		ev.namespace = store_col_text(s, 2);
		ev.type = store_col_text(s, 3);
		ev.reason = store_col_text(s, 4);
		ev.message = store_col_text(s, 5);
		ev.obj_kind = store_col_text(s, 6);
		ev.obj_name = store_col_text(s, 7);
		ev.obj_labels = store_col_text(s, 8);
		ev.source = store_col_text(s, 9);
		ev.count = sqlite3_column_int64(s, 10);
		ev.first_seen = sqlite3_column_int64(s, 11);
		ev.last_seen = sqlite3_column_int64(s, 12);
		if (f->match && !f->match(f->match_arg, &ev))
			continue;
		if (fn(arg, &ev) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading the events archive");
}

const char *store_event_label(const struct store_event *ev, const char *key, char *buf, size_t n)
{
	size_t klen = strlen(key);
	for (const char *p = ev->obj_labels ? ev->obj_labels : ""; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > klen && p[klen] == '=' && strncmp(p, key, klen) == 0) {
			size_t vlen = len - klen - 1;
			if (vlen >= n)
				return NULL;
			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p += len + (end ? 1 : 0);
	}
	return NULL;
}

enum od_status store_events_prune(struct store *st, int64_t before, int64_t *n, struct err *e)
{
	static const char sql[] = "DELETE FROM events WHERE last_seen < ?1";
	sqlite3_stmt *s;
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK)
		ret = store_stmt(st, sql, &s, e);
	if (ret == OD_OK) {
		sqlite3_bind_int64(s, 1, before);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "pruning the events archive");
		else if (n)
			*n = sqlite3_changes(st->db);
	}
	return store_write_end(st, own, ret, e);
}
