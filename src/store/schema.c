/*
 * schema.c: the tables, and migrations by PRAGMA user_version.
 *
 * Each migration runs in one BEGIN IMMEDIATE transaction that re-reads
 * user_version first, so two processes opening a fresh file at once apply it
 * exactly once. A database newer than this code is refused, never rewritten.
 * docs/store.md explains every table.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/store.h"
#include "internal.h"

/* Version 1: everything issue 6 needs, plus the audit, runs and incidents tables. */
static const char schema_v1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	/* Metric series: one row per (context, namespace, kind, object, container, metric). */
	"CREATE TABLE series("
	" id INTEGER PRIMARY KEY,"
	" context TEXT NOT NULL, namespace TEXT NOT NULL, kind INTEGER NOT NULL,"
	" object TEXT NOT NULL, container TEXT NOT NULL, metric INTEGER NOT NULL,"
	" UNIQUE(context, namespace, kind, object, container, metric));"
	/* Ticks: the sample timestamps present in the raw tier (rowid = ts). */
	"CREATE TABLE ticks(ts INTEGER PRIMARY KEY, samples INTEGER NOT NULL);"
	/* Raw tier: one packed blob per (tick, chunk of 64 series), appended in time order. */
	"CREATE TABLE samples_raw(ts INTEGER NOT NULL, chunk INTEGER NOT NULL, data BLOB NOT NULL,"
	" PRIMARY KEY(ts, chunk)) WITHOUT ROWID;"
	/* Rollup tiers: one packed blob per (chunk, bucket), read per chunk over time. */
	"CREATE TABLE samples_t1(chunk INTEGER NOT NULL, ts INTEGER NOT NULL, data BLOB NOT NULL,"
	" PRIMARY KEY(chunk, ts)) WITHOUT ROWID;"
	"CREATE TABLE samples_t2(chunk INTEGER NOT NULL, ts INTEGER NOT NULL, data BLOB NOT NULL,"
	" PRIMARY KEY(chunk, ts)) WITHOUT ROWID;"
	"CREATE TABLE pod_transitions("
	" id INTEGER PRIMARY KEY, context TEXT NOT NULL, namespace TEXT NOT NULL,"
	" pod TEXT NOT NULL, ts INTEGER NOT NULL, phase TEXT NOT NULL, ready INTEGER NOT NULL,"
	" restarts INTEGER NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL);"
	"CREATE INDEX pod_transitions_by_pod ON pod_transitions(context, namespace, pod, ts);"
	"CREATE INDEX pod_transitions_by_ts ON pod_transitions(context, ts);"
	"CREATE TABLE events("
	" uid TEXT PRIMARY KEY, context TEXT NOT NULL, namespace TEXT NOT NULL,"
	" type TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,"
	" obj_kind TEXT NOT NULL, obj_name TEXT NOT NULL, obj_labels TEXT NOT NULL,"
	" source TEXT NOT NULL, count INTEGER NOT NULL,"
	" first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);"
	"CREATE INDEX events_by_last_seen ON events(last_seen);"
	"CREATE TABLE state_rows("
	" context TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,"
	" data TEXT NOT NULL, PRIMARY KEY(context, kind, namespace, name)) WITHOUT ROWID;"
	"CREATE TABLE state_saved(context TEXT PRIMARY KEY, saved_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit("
	" seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, action TEXT NOT NULL, step TEXT NOT NULL,"
	" os_user TEXT NOT NULL, kube_user TEXT NOT NULL, context TEXT NOT NULL,"
	" namespace TEXT NOT NULL, object TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,"
	" http_status INTEGER NOT NULL, duration_ms INTEGER NOT NULL, outcome TEXT NOT NULL,"
	" message TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
	"CREATE INDEX audit_by_ts ON audit(ts_ms);"
	"CREATE TABLE checklist_runs("
	" id INTEGER PRIMARY KEY, profile TEXT NOT NULL, checklist TEXT NOT NULL,"
	" context TEXT NOT NULL, operator TEXT NOT NULL, started_at INTEGER NOT NULL,"
	" finished_at INTEGER NOT NULL DEFAULT 0, issues TEXT NOT NULL DEFAULT '',"
	" notes TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX checklist_runs_by_list ON checklist_runs(profile, checklist, started_at);"
	"CREATE TABLE checklist_items("
	" run_id INTEGER NOT NULL REFERENCES checklist_runs(id), item TEXT NOT NULL,"
	" position INTEGER NOT NULL, result INTEGER NOT NULL, value TEXT NOT NULL,"
	" threshold TEXT NOT NULL, source TEXT NOT NULL, evidence TEXT NOT NULL,"
	" note TEXT NOT NULL, overridden INTEGER NOT NULL, decided_at INTEGER NOT NULL,"
	" PRIMARY KEY(run_id, item)) WITHOUT ROWID;"
	"CREATE TABLE incidents("
	" id INTEGER PRIMARY KEY, title TEXT NOT NULL, severity INTEGER NOT NULL,"
	" context TEXT NOT NULL, namespace TEXT NOT NULL, started_at INTEGER NOT NULL,"
	" detected_at INTEGER NOT NULL, resolved_at INTEGER NOT NULL DEFAULT 0,"
	" resolution TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE incident_timeline("
	" id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),"
	" ts INTEGER NOT NULL, kind INTEGER NOT NULL, ref TEXT NOT NULL, text TEXT NOT NULL,"
	" UNIQUE(incident_id, kind, ref));"
	"CREATE INDEX incident_timeline_by_ts ON incident_timeline(incident_id, ts);";

static const char *const migrations[STORE_SCHEMA_VERSION] = { schema_v1 };

static enum od_status user_version(struct store *st, int *v, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = sqlite3_column_int(s, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_OK ? OD_OK : store_db_error(st, rc, e, "reading the schema version");
}

/* Applies migration to version `to` unless another process already did. */
static enum od_status migrate_one(struct store *st, int to, struct err *e)
{
	char sql[64];
	int v = 0;
	enum od_status rc = store_begin(st, e);
	if (rc != OD_OK)
		return rc;
	rc = user_version(st, &v, e);
	if (rc != OD_OK || v >= to)
		goto out;
	rc = store_exec(st, migrations[to - 1], e, "creating the history tables");
	if (rc != OD_OK)
		goto out;
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", to);
	rc = store_exec(st, sql, e, "recording the schema version");
out:
	if (rc != OD_OK) {
		store_rollback(st);
		return err_prefix(e, "migrating the history database to version %d: ", to);
	}
	return store_commit(st, e);
}

enum od_status store_schema_migrate(struct store *st, struct err *e)
{
	int v = 0;
	enum od_status rc = user_version(st, &v, e);
	if (rc != OD_OK)
		return rc;
	if (v > STORE_SCHEMA_VERSION)
		return err_set(e, OD_EDB,
			       "%s was written by a newer opsdeck (schema %d, this one knows %d)",
			       st->path, v, STORE_SCHEMA_VERSION);
	for (int to = v + 1; to <= STORE_SCHEMA_VERSION; to++) {
		rc = migrate_one(st, to, e);
		if (rc != OD_OK)
			return rc;
	}
	st->version = STORE_SCHEMA_VERSION;
	return OD_OK;
}

enum od_status store_meta_get_int(struct store *st, const char *key, int64_t def, int64_t *out,
				  struct err *e)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	store_bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : def;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, rc, e, "reading history metadata");
	return OD_OK;
}

enum od_status store_meta_set_int(struct store *st, const char *key, int64_t v, struct err *e)
{
	static const char sql[] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	store_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, v);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "writing history metadata");
}
