/*
 * incidents.c: incidents and their deduplicated timelines.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/store_incidents.h"
#include "internal.h"

static const char *const sev_names[STORE_SEV_COUNT] = { "P0", "P1", "P2", "P3" };
static const char *const tl_names[STORE_TL_COUNT] = {
	"note", "transition", "event", "action", "threshold", "alert", "checklist"
};

const char *store_severity_name(enum store_severity s)
{
	return (unsigned)s < STORE_SEV_COUNT ? sev_names[s] : "?";
}

bool store_severity_parse(const char *s, enum store_severity *out)
{
	for (int i = 0; i < STORE_SEV_COUNT; i++)
		if (strcmp(s, sev_names[i]) == 0 || (s[0] == 'p' && strcmp(s + 1, sev_names[i] + 1) == 0)) {
			*out = (enum store_severity)i;
			return true;
		}
	return false;
}

const char *store_timeline_kind_name(enum store_timeline_kind k)
{
	return (unsigned)k < STORE_TL_COUNT ? tl_names[k] : "?";
}

static enum od_status step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, what);
}

enum od_status store_incident_start(struct store *st, const struct store_incident *inc,
				    int64_t *id, struct err *e)
{
	static const char sql[] = "INSERT INTO incidents(title, severity, context, namespace,"
				  " started_at, detected_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *s;
	bool own;
	if ((unsigned)inc->severity >= STORE_SEV_COUNT)
		return err_set(e, OD_EINVAL, "severity must be P0 to P3");
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, sql, &s, e)) == OD_OK) {
		store_bind_text(s, 1, inc->title);
		sqlite3_bind_int(s, 2, (int)inc->severity);
		store_bind_text(s, 3, inc->context);
		store_bind_text(s, 4, inc->namespace);
		sqlite3_bind_int64(s, 5, inc->started_at);
		sqlite3_bind_int64(s, 6, inc->detected_at ? inc->detected_at : inc->started_at);
		ret = step_done(st, s, e, "opening an incident");
		if (ret == OD_OK)
			*id = sqlite3_last_insert_rowid(st->db);
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_incident_find_open(struct store *st, int64_t *id, struct err *e)
{
	static const char sql[] = "SELECT id FROM incidents WHERE resolved_at = 0"
				  " ORDER BY started_at DESC, id DESC LIMIT 1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return OD_OK;
	if (rc == SQLITE_DONE)
		return err_set(e, OD_ENOENT, "no incident is open");
	return store_db_error(st, rc, e, "reading incidents");
}

enum od_status store_incident_close(struct store *st, int64_t id, int64_t resolved_at,
				    const char *resolution, struct err *e)
{
	static const char sel[] = "SELECT resolved_at FROM incidents WHERE id = ?1";
	static const char upd[] = "UPDATE incidents SET resolved_at = ?2, resolution = ?3 WHERE id = ?1";
	sqlite3_stmt *s;
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, sel, &s, e)) == OD_OK) {
		sqlite3_bind_int64(s, 1, id);
		int rc = sqlite3_step(s);
		int64_t was = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			ret = err_set(e, OD_ENOENT, "no incident %lld", (long long)id);
		else if (rc != SQLITE_ROW)
			ret = store_db_error(st, rc, e, "closing an incident");
		else if (was != 0)
			ret = err_set(e, OD_ESTATE, "incident %lld is already closed", (long long)id);
	}
	if (ret == OD_OK && (ret = store_stmt(st, upd, &s, e)) == OD_OK) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, resolved_at > 0 ? resolved_at : 1);
		store_bind_text(s, 3, resolution);
		ret = step_done(st, s, e, "closing an incident");
	}
	return store_write_end(st, own, ret, e);
}

#define INC_COLUMNS "id, title, severity, context, namespace, started_at, detected_at, resolved_at, resolution"

static int incident_rows(sqlite3_stmt *s, store_incident_fn fn, void *arg, int *count)
{
	struct store_incident i;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		i.id = sqlite3_column_int64(s, 0);
		i.title = store_col_text(s, 1);
		i.severity = (enum store_severity)sqlite3_column_int(s, 2);
		i.context = store_col_text(s, 3);
		i.namespace = store_col_text(s, 4);
		i.started_at = sqlite3_column_int64(s, 5);
		i.detected_at = sqlite3_column_int64(s, 6);
		i.resolved_at = sqlite3_column_int64(s, 7);
		i.resolution = store_col_text(s, 8);
		(*count)++;
		if (fn(arg, &i) != 0)
			return SQLITE_DONE;
	}
	return rc;
}

enum od_status store_incident_get(struct store *st, int64_t id, store_incident_fn fn, void *arg,
				  struct err *e)
{
	static const char sql[] = "SELECT " INC_COLUMNS " FROM incidents WHERE id = ?1";
	sqlite3_stmt *s;
	int count = 0;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, id);
	int rc = incident_rows(s, fn, arg, &count);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, rc, e, "reading incidents");
	return count ? OD_OK : err_set(e, OD_ENOENT, "no incident %lld", (long long)id);
}

enum od_status store_incidents_list(struct store *st, store_incident_fn fn, void *arg,
				    struct err *e)
{
	static const char sql[] = "SELECT " INC_COLUMNS " FROM incidents ORDER BY started_at DESC, id DESC";
	sqlite3_stmt *s;
	int count = 0;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	int rc = incident_rows(s, fn, arg, &count);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading incidents");
}

enum od_status store_incident_timeline_add(struct store *st, const struct store_timeline_entry *t,
					   bool *added, struct err *e)
{
	static const char sql[] = "INSERT OR IGNORE INTO incident_timeline(incident_id, ts, kind, ref, text)"
				  " SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS(SELECT 1 FROM incidents WHERE id = ?1)";
	char ref[64];
	const char *r = t->ref && *t->ref ? t->ref : NULL;
	sqlite3_stmt *s;
	bool own;

	if (added)
		*added = false;
	if ((unsigned)t->kind >= STORE_TL_COUNT)
		return err_set(e, OD_EINVAL, "unknown timeline entry kind");
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, sql, &s, e)) == OD_OK) {
		if (!r) {   /* notes: unique by construction */
			int64_t next = 0;
			sqlite3_stmt *m;
			if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) + 1 FROM incident_timeline",
					       -1, &m, NULL) == SQLITE_OK && sqlite3_step(m) == SQLITE_ROW)
				next = sqlite3_column_int64(m, 0);
			sqlite3_finalize(m);
			snprintf(ref, sizeof(ref), "#%lld", (long long)next);
			r = ref;
		}
		sqlite3_bind_int64(s, 1, t->incident_id);
		sqlite3_bind_int64(s, 2, t->ts);
		sqlite3_bind_int(s, 3, (int)t->kind);
		store_bind_text(s, 4, r);
		store_bind_text(s, 5, t->text);
		ret = step_done(st, s, e, "adding to an incident timeline");
		if (ret == OD_OK && added)
			*added = sqlite3_changes(st->db) > 0;
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_incident_timeline_list(struct store *st, int64_t incident_id,
					    store_timeline_fn fn, void *arg, struct err *e)
{
	static const char sql[] = "SELECT id, incident_id, ts, kind, ref, text FROM incident_timeline"
				  " WHERE incident_id = ?1 ORDER BY ts, id";
	sqlite3_stmt *s;
	struct store_timeline_entry t;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, incident_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t.id = sqlite3_column_int64(s, 0);
		t.incident_id = sqlite3_column_int64(s, 1);
		t.ts = sqlite3_column_int64(s, 2);
		t.kind = (enum store_timeline_kind)sqlite3_column_int(s, 3);
		t.ref = store_col_text(s, 4);
		t.text = store_col_text(s, 5);
		if (fn(arg, &t) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading an incident timeline");
}
