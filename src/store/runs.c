/*
 * runs.c: checklist runs and item results, one commit per item.
 */
#include "opsdeck/store_runs.h"
#include "internal.h"

static const char *const result_names[STORE_CHECK_RESULT_COUNT] = {
	"PENDING", "PASS", "WARN", "FAIL", "UNKNOWN", "DONE", "SKIPPED"
};

const char *store_check_result_name(enum store_check_result r)
{
	return (unsigned)r < STORE_CHECK_RESULT_COUNT ? result_names[r] : "?";
}

static enum od_status step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, what);
}

enum od_status store_run_start(struct store *st, const struct store_run *run, int64_t *id,
			       struct err *e)
{
	static const char sql[] = "INSERT INTO checklist_runs(profile, checklist, context, operator,"
				  " started_at) VALUES(?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s;
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, sql, &s, e)) == OD_OK) {
		store_bind_text(s, 1, run->profile);
		store_bind_text(s, 2, run->checklist);
		store_bind_text(s, 3, run->context);
		store_bind_text(s, 4, run->operator_name);
		sqlite3_bind_int64(s, 5, run->started_at);
		ret = step_done(st, s, e, "starting a checklist run");
		if (ret == OD_OK)
			*id = sqlite3_last_insert_rowid(st->db);
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_run_find_open(struct store *st, const char *profile, const char *checklist,
				   int64_t *id, struct err *e)
{
	static const char sql[] = "SELECT id FROM checklist_runs WHERE profile = ?1 AND checklist = ?2"
				  " AND finished_at = 0 ORDER BY started_at DESC, id DESC LIMIT 1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	store_bind_text(s, 1, profile);
	store_bind_text(s, 2, checklist);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return OD_OK;
	if (rc == SQLITE_DONE)
		return err_set(e, OD_ENOENT, "no unfinished %s run of %s", checklist, profile);
	return store_db_error(st, rc, e, "reading checklist runs");
}

enum od_status store_run_item_set(struct store *st, int64_t run_id,
				  const struct store_run_item *it, struct err *e)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO checklist_items(run_id, item, position, result, value,"
		" threshold, source, evidence, note, overridden, decided_at)"
		" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11"
		" WHERE EXISTS(SELECT 1 FROM checklist_runs WHERE id = ?1 AND finished_at = 0)";
	sqlite3_stmt *s;
	bool own;
	if ((unsigned)it->result >= STORE_CHECK_RESULT_COUNT)
		return err_set(e, OD_EINVAL, "unknown check result %d", (int)it->result);
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, sql, &s, e)) == OD_OK) {
		sqlite3_bind_int64(s, 1, run_id);
		store_bind_text(s, 2, it->item);
		sqlite3_bind_int(s, 3, it->position);
		sqlite3_bind_int(s, 4, (int)it->result);
		store_bind_text(s, 5, it->value);
		store_bind_text(s, 6, it->threshold);
		store_bind_text(s, 7, it->source);
		store_bind_text(s, 8, it->evidence);
		store_bind_text(s, 9, it->note);
		sqlite3_bind_int(s, 10, it->overridden ? 1 : 0);
		sqlite3_bind_int64(s, 11, it->decided_at);
		ret = step_done(st, s, e, "recording a checklist item");
		if (ret == OD_OK && sqlite3_changes(st->db) == 0)
			ret = err_set(e, OD_ESTATE, "checklist run %lld is finished or does not exist",
				      (long long)run_id);
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_run_items_list(struct store *st, int64_t run_id, store_run_item_fn fn,
				    void *arg, struct err *e)
{
	static const char sql[] = "SELECT item, position, result, value, threshold, source, evidence,"
				  " note, overridden, decided_at FROM checklist_items WHERE run_id = ?1"
				  " ORDER BY position, item";
	sqlite3_stmt *s;
	struct store_run_item it;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, run_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		it.item = store_col_text(s, 0);
		it.position = sqlite3_column_int(s, 1);
		it.result = (enum store_check_result)sqlite3_column_int(s, 2);
		it.value = store_col_text(s, 3);
		it.threshold = store_col_text(s, 4);
		it.source = store_col_text(s, 5);
		it.evidence = store_col_text(s, 6);
		it.note = store_col_text(s, 7);
		it.overridden = sqlite3_column_int(s, 8) != 0;
		it.decided_at = sqlite3_column_int64(s, 9);
		if (fn(arg, &it) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading checklist items");
}

enum od_status store_run_finish(struct store *st, int64_t run_id, const struct store_run *run,
				struct err *e)
{
	static const char sql[] = "UPDATE checklist_runs SET operator = ?2, finished_at = ?3,"
				  " issues = ?4, notes = ?5 WHERE id = ?1 AND finished_at = 0";
	sqlite3_stmt *s;
	bool own;
	enum od_status ret = store_write_begin(st, &own, e);
	if (ret == OD_OK && (ret = store_stmt(st, sql, &s, e)) == OD_OK) {
		sqlite3_bind_int64(s, 1, run_id);
		store_bind_text(s, 2, run->operator_name);
		sqlite3_bind_int64(s, 3, run->finished_at > 0 ? run->finished_at : 1);
		store_bind_text(s, 4, run->issues);
		store_bind_text(s, 5, run->notes);
		ret = step_done(st, s, e, "finishing a checklist run");
		if (ret == OD_OK && sqlite3_changes(st->db) == 0)
			ret = err_set(e, OD_ESTATE, "checklist run %lld is finished or does not exist",
				      (long long)run_id);
	}
	return store_write_end(st, own, ret, e);
}

#define RUN_COLUMNS "id, profile, checklist, context, operator, started_at, finished_at, issues, notes"

static int run_rows(struct store *st, sqlite3_stmt *s, store_run_fn fn, void *arg, int *count)
{
	struct store_run r;
	int rc;
	(void)st;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.profile = store_col_text(s, 1);
		r.checklist = store_col_text(s, 2);
		r.context = store_col_text(s, 3);
		r.operator_name = store_col_text(s, 4);
		r.started_at = sqlite3_column_int64(s, 5);
		r.finished_at = sqlite3_column_int64(s, 6);
		r.issues = store_col_text(s, 7);
		r.notes = store_col_text(s, 8);
		(*count)++;
		if (fn(arg, &r) != 0)
			return SQLITE_DONE;
	}
	return rc;
}

enum od_status store_run_get(struct store *st, int64_t run_id, store_run_fn fn, void *arg,
			     struct err *e)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM checklist_runs WHERE id = ?1";
	sqlite3_stmt *s;
	int count = 0;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, run_id);
	int rc = run_rows(st, s, fn, arg, &count);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, rc, e, "reading checklist runs");
	return count ? OD_OK : err_set(e, OD_ENOENT, "no checklist run %lld", (long long)run_id);
}

enum od_status store_runs_list(struct store *st, const char *profile, const char *checklist,
			       int64_t since, store_run_fn fn, void *arg, struct err *e)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM checklist_runs"
				  " WHERE (?1 IS NULL OR profile = ?1) AND (?2 IS NULL OR checklist = ?2)"
				  " AND started_at >= ?3 ORDER BY started_at DESC, id DESC";
	sqlite3_stmt *s;
	int count = 0;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	if (profile)
		store_bind_text(s, 1, profile);
	if (checklist)
		store_bind_text(s, 2, checklist);
	sqlite3_bind_int64(s, 3, since);
	int rc = run_rows(st, s, fn, arg, &count);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading checklist runs");
}
