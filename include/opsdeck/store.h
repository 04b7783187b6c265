/*
 * store.h: the history database (SQLite) — opening, settings, transactions.
 *
 * One file, by default $XDG_STATE_HOME/opsdeck/history.db, shared by every
 * opsdeck process of the user (console, `collect`, commands). The directory is
 * created 0700 and the file 0600 before SQLite opens it; WAL with a busy
 * timeout; every write is one BEGIN IMMEDIATE transaction; `PRAGMA
 * quick_check` runs at open and a damaged file is moved aside. Tables and
 * their APIs live in the store_*.h headers, one per concern.
 */
#ifndef OPSDECK_STORE_H
#define OPSDECK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

/* Opaque handle; one per process (not shared between threads). */
struct store;

/* Newest schema version this code writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 1

/* Sample tiers: raw at the collector's interval, then two rollup tiers. */
enum store_tier { STORE_TIER_RAW, STORE_TIER_1, STORE_TIER_2, STORE_TIER_COUNT };

/*
 * Retention and rollup settings, all in seconds. Defaults: raw kept 48 h,
 * tier 1 = 5-minute rollups kept 90 days, tier 2 = 1-hour rollups kept 2
 * years. tier2_step must be a multiple of tier1_step. Changing a step on an
 * existing database applies to rollups written from then on.
 */
struct store_settings {
	int64_t raw_keep;
	int64_t tier1_step;
	int64_t tier1_keep;
	int64_t tier2_step;
	int64_t tier2_keep;
	int busy_timeout_ms;      /* default 5000 */
	bool quick_check;         /* run PRAGMA quick_check at open (default true) */
};

/* Fills s with the defaults above. */
void store_settings_default(struct store_settings *s);

/* Writes the default database path, $XDG_STATE_HOME/opsdeck/history.db. */
enum od_status store_default_path(char *out, size_t n, struct err *e);

/*
 * Opens (creating if needed) the database at path, or at the default path
 * when path is NULL or "". settings may be NULL for the defaults (copied).
 * A damaged file is renamed to "<path>.corrupt-YYYYMMDD-HHMMSS" (with its
 * -wal and -shm) and a fresh database is created; store_notice() then says
 * so. *out is owned by the caller: free with store_close().
 */
enum od_status store_open(const char *path, const struct store_settings *settings,
			  struct store **out, struct err *e);

/* Closes the database and sets *st to NULL. NULL and *st == NULL are fine. */
void store_close(struct store **st);

/* A message for the user from store_open (file moved aside), or "". Borrowed. */
const char *store_notice(const struct store *st);

/* The database file path. Borrowed, valid until store_close. */
const char *store_path(const struct store *st);

/* The settings in force. Borrowed. */
const struct store_settings *store_settings_get(const struct store *st);

/* The schema version of the open database. */
int store_schema_version(const struct store *st);

/* Runs PRAGMA quick_check; OD_OK when it says "ok", else OD_EDB with its first line. */
enum od_status store_quick_check(struct store *st, struct err *e);

/* The SQLite library version in use (static). */
const char *store_sqlite_version(void);

/* Checkpoints the WAL into the main file and truncates it (for size figures and backups). */
enum od_status store_checkpoint(struct store *st, struct err *e);

/*
 * Groups several writes into one transaction (BEGIN IMMEDIATE). Calls made
 * by the store's write functions between begin and commit join it instead of
 * opening their own. store_rollback undoes everything since begin.
 */
enum od_status store_begin(struct store *st, struct err *e);
enum od_status store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

#endif
