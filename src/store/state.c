/*
 * state.c: last-known pod and workload rows per context, replaced whole on
 * each save so a reader never sees half of one snapshot.
 */
#include <string.h>

#include "opsdeck/store_state.h"
#include "internal.h"

enum od_status store_state_save(struct store *st, const char *context, int64_t saved_at,
				const struct store_state_row *rows, size_t n, struct err *e)
{
	static const char del[] = "DELETE FROM state_rows WHERE context = ?1";
	static const char ins[] = "INSERT OR REPLACE INTO state_rows(context, kind, namespace, name, data)"
				  " VALUES(?1, ?2, ?3, ?4, ?5)";
	static const char when[] = "INSERT OR REPLACE INTO state_saved(context, saved_at) VALUES(?1, ?2)";
	sqlite3_stmt *s;
	bool own;
	int rc;

	if (n > STORE_STATE_MAX_ROWS)
		return err_set(e, OD_ELIMIT, "%zu rows is over the last-known state limit", n);
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, del, &s, e)) == OD_OK) {
		store_bind_text(s, 1, context);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "saving the last-known state");
	}
	for (size_t i = 0; ret == OD_OK && i < n; i++) {
		if (rows[i].data && strlen(rows[i].data) > STORE_STATE_MAX_DATA) {
			ret = err_set(e, OD_ELIMIT, "last-known state row %s/%s is too large",
				      rows[i].namespace, rows[i].name);
			break;
		}
		if ((ret = store_stmt(st, ins, &s, e)) != OD_OK)
			break;
		store_bind_text(s, 1, context);
		store_bind_text(s, 2, rows[i].kind);
		store_bind_text(s, 3, rows[i].namespace);
		store_bind_text(s, 4, rows[i].name);
		store_bind_text(s, 5, rows[i].data);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "saving the last-known state");
	}
	if (ret == OD_OK && (ret = store_stmt(st, when, &s, e)) == OD_OK) {
		store_bind_text(s, 1, context);
		sqlite3_bind_int64(s, 2, saved_at);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "saving the last-known state");
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_state_load(struct store *st, const char *context, int64_t *saved_at,
				store_state_fn fn, void *arg, struct err *e)
{
	static const char when[] = "SELECT saved_at FROM state_saved WHERE context = ?1";
	static const char sql[] = "SELECT kind, namespace, name, data FROM state_rows"
				  " WHERE context = ?1 ORDER BY kind, namespace, name";
	sqlite3_stmt *s;
	struct store_state_row row;
	bool own = false;
	int rc;
	enum od_status ret = OD_OK;

	if (st->txn_depth == 0 && sqlite3_get_autocommit(st->db)) {
		if ((ret = store_exec(st, "BEGIN", e, "reading the last-known state")) != OD_OK)
			return ret;
		own = true;
	}
	*saved_at = 0;
	if ((ret = store_stmt(st, when, &s, e)) != OD_OK)
		goto out;
	store_bind_text(s, 1, context);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*saved_at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = store_db_error(st, rc, e, "reading the last-known state");
		goto out;
	}
	if ((ret = store_stmt(st, sql, &s, e)) != OD_OK)
		goto out;
	store_bind_text(s, 1, context);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row.kind = store_col_text(s, 0);
		row.namespace = store_col_text(s, 1);
		row.name = store_col_text(s, 2);
		row.data = store_col_text(s, 3);
		if (fn(arg, &row) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		ret = store_db_error(st, rc, e, "reading the last-known state");
out:
	if (own)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	return ret;
}
