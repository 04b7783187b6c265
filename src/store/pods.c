/*
 * pods.c: pod state transitions, recorded only when something changed so a
 * collector can offer every observation.
 */
#include <string.h>

#include "opsdeck/store_pods.h"
#include "internal.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* True when the pod's newest row equals s (nothing to record). */
static enum od_status same_as_last(struct store *st, const struct store_pod_state *p, bool *same,
				   struct err *e)
{
	static const char sql[] =
		"SELECT phase, ready, restarts, reason FROM pod_transitions"
		" WHERE context = ?1 AND namespace = ?2 AND pod = ?3 ORDER BY ts DESC, id DESC LIMIT 1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	store_bind_text(s, 1, p->context);
	store_bind_text(s, 2, p->namespace);
	store_bind_text(s, 3, p->pod);
	int rc = sqlite3_step(s);
	*same = rc == SQLITE_ROW && strcmp(store_col_text(s, 0), nz(p->phase)) == 0 &&
		sqlite3_column_int(s, 1) == (p->ready ? 1 : 0) &&
		sqlite3_column_int64(s, 2) == p->restarts &&
		strcmp(store_col_text(s, 3), nz(p->reason)) == 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? OD_OK
						      : store_db_error(st, rc, e, "reading pod history");
}

enum od_status store_pod_transition_record(struct store *st, const struct store_pod_state *p,
					   bool *changed, struct err *e)
{
	static const char sql[] =
		"INSERT INTO pod_transitions(context, namespace, pod, ts, phase, ready, restarts,"
		" reason, message) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *s;
	bool own, same = false;
	enum od_status ret = store_write_begin(st, &own, e);

	if (changed)
		*changed = false;
	if (ret == OD_OK)
		ret = same_as_last(st, p, &same, e);
	if (ret == OD_OK && !same && (ret = store_stmt(st, sql, &s, e)) == OD_OK) {
		store_bind_text(s, 1, p->context);
		store_bind_text(s, 2, p->namespace);
		store_bind_text(s, 3, p->pod);
		sqlite3_bind_int64(s, 4, p->ts);
		store_bind_text(s, 5, p->phase);
		sqlite3_bind_int(s, 6, p->ready ? 1 : 0);
		sqlite3_bind_int64(s, 7, p->restarts);
		store_bind_text(s, 8, p->reason);
		store_bind_text(s, 9, p->message);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = store_db_error(st, rc, e, "recording a pod state");
		else if (changed)
			*changed = true;
	}
	return store_write_end(st, own, ret, e);
}

enum od_status store_pod_transitions_list(struct store *st, const char *context,
					  const char *namespace, const char *pod, int64_t since,
					  int64_t until, store_pod_state_fn fn, void *arg,
					  struct err *e)
{
	static const char sql[] =
		"SELECT context, namespace, pod, ts, phase, ready, restarts, reason, message"
		" FROM pod_transitions WHERE context = ?1 AND (?2 IS NULL OR namespace = ?2)"
		" AND (?3 IS NULL OR pod = ?3) AND ts >= ?4 AND (?5 = 0 OR ts < ?5) ORDER BY ts, id";
	sqlite3_stmt *s;
	struct store_pod_state p;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	store_bind_text(s, 1, context);
	if (namespace)
		store_bind_text(s, 2, namespace);
	if (pod)
		store_bind_text(s, 3, pod);
	sqlite3_bind_int64(s, 4, since);
	sqlite3_bind_int64(s, 5, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		p.context = store_col_text(s, 0);
		p.namespace = store_col_text(s, 1);
		p.pod = store_col_text(s, 2);
		p.ts = sqlite3_column_int64(s, 3);
		p.phase = store_col_text(s, 4);
		p.ready = sqlite3_column_int(s, 5) != 0;
		p.restarts = sqlite3_column_int64(s, 6);
		p.reason = store_col_text(s, 7);
		p.message = store_col_text(s, 8);
		if (fn(arg, &p) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading pod history");
}
