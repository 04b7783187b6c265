/*
 * internal.h: what the store's files share and nobody else sees — the
 * struct behind the opaque handle, the prepared-statement cache, the
 * transaction helpers and the SQLite-to-od_status mapping.
 */
#ifndef OPSDECK_STORE_INTERNAL_H
#define OPSDECK_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "opsdeck/store.h"

#define STORE_STMT_CACHE 96

struct series_cache;

struct store {
	sqlite3 *db;                         /* owned */
	char path[4096];
	char notice[1024];                   /* message for the user, or "" */
	struct store_settings set;
	int version;                         /* user_version after migrations */
	int txn_depth;                       /* > 0 inside store_begin */
	struct {
		const char *sql;             /* static string: identity is the key */
		sqlite3_stmt *stmt;          /* owned */
	} stmts[STORE_STMT_CACHE];
	struct series_cache *series;         /* owned (series.c) */
};

/*
 * Maps an SQLite result to a status and a message in the user's terms:
 * SQLITE_FULL -> OD_EIO "disk full", SQLITE_BUSY -> OD_EAGAIN, damage ->
 * OD_EDB. what says what was being done ("saving a tick").
 */
enum od_status store_db_error(struct store *st, int rc, struct err *e, const char *what);

/*
 * A prepared statement for sql, which must be a string literal (the cache is
 * keyed by its address), reset and unbound, in *out (borrowed).
 */
enum od_status store_stmt(struct store *st, const char *sql, sqlite3_stmt **out, struct err *e);

/* Runs sql (no results). */
enum od_status store_exec(struct store *st, const char *sql, struct err *e, const char *what);

/*
 * Opens a write transaction unless one is open; *own says whether this call
 * opened it. store_write_end commits (rc == OD_OK) or rolls back an owned one
 * and returns the final status.
 */
enum od_status store_write_begin(struct store *st, bool *own, struct err *e);
enum od_status store_write_end(struct store *st, bool own, enum od_status rc, struct err *e);

/* Binds a C string or NULL as SQL NULL-free text ("" for NULL). */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);

/* Column text or "" (never NULL). Borrowed until the next step. */
const char *store_col_text(sqlite3_stmt *s, int i);

/* Returns a malloc'd copy of column i's text ("" for NULL); NULL out of memory. */
char *store_col_dup(sqlite3_stmt *s, int i);

/* Schema (schema.c): brings the database to STORE_SCHEMA_VERSION. */
enum od_status store_schema_migrate(struct store *st, struct err *e);

/* Series cache (series.c). */
void store_series_cache_free(struct series_cache **c);
void store_series_cache_clear(struct series_cache *c);

/* meta table (schema.c): integer values by key. */
enum od_status store_meta_get_int(struct store *st, const char *key, int64_t def, int64_t *out,
				  struct err *e);
enum od_status store_meta_set_int(struct store *st, const char *key, int64_t v, struct err *e);

#endif
