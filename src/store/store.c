/*
 * store.c: opening the history database — file modes, pragmas, the damage
 * check and moving a damaged file aside — plus the transaction helpers, the
 * statement cache and the error mapping every other store file uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/paths.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/store.h"
#include "internal.h"

void store_settings_default(struct store_settings *s)
{
	s->raw_keep = 48 * 3600;
	s->tier1_step = 300;
	s->tier1_keep = 90 * 86400;
	s->tier2_step = 3600;
	s->tier2_keep = 2 * 365 * 86400;
	s->busy_timeout_ms = 5000;
	s->quick_check = true;
}

static enum od_status settings_check(const struct store_settings *s, struct err *e)
{
	if (s->raw_keep <= 0 || s->tier1_keep <= 0 || s->tier2_keep <= 0)
		return err_set(e, OD_EINVAL, "history retention must be positive");
	if (s->tier1_step <= 0 || s->tier2_step <= 0 || s->tier2_step % s->tier1_step != 0)
		return err_set(e, OD_EINVAL,
			       "history rollup steps must be positive and the second a multiple of the first (%lld, %lld)",
			       (long long)s->tier1_step, (long long)s->tier2_step);
	return OD_OK;
}

enum od_status store_default_path(char *out, size_t n, struct err *e)
{
	return paths_xdg(XDG_STATE, "history.db", out, n, e);
}

enum od_status store_db_error(struct store *st, int rc, struct err *e, const char *what)
{
	const char *detail = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	const char *path = st ? st->path : "history database";

	switch (rc & 0xff) {
	case SQLITE_FULL:
		return err_set(e, OD_EIO,
			       "%s: the disk holding %s is full; nothing was written (free some space and retry)",
			       what, path);
	case SQLITE_IOERR:
		return err_set(e, OD_EIO, "%s: input/output error on %s: %s", what, path, detail);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, OD_EAGAIN, "%s: %s is busy (another opsdeck is writing): %s",
			       what, path, detail);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return err_set(e, OD_EPERM, "%s: cannot write %s: %s", what, path, detail);
	case SQLITE_NOMEM:
		return err_set(e, OD_ENOMEM, "%s: out of memory", what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return err_set(e, OD_EDB, "%s: %s is damaged: %s", what, path, detail);
	default:
		return err_set(e, OD_EDB, "%s: %s", what, detail);
	}
}

enum od_status store_stmt(struct store *st, const char *sql, sqlite3_stmt **out, struct err *e)
{
	int free_slot = -1;

	*out = NULL;
	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		if (st->stmts[i].sql == sql) {
			sqlite3_reset(st->stmts[i].stmt);
			sqlite3_clear_bindings(st->stmts[i].stmt);
			*out = st->stmts[i].stmt;
			return OD_OK;
		}
		if (!st->stmts[i].sql && free_slot < 0)
			free_slot = i;
	}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK)
		return store_db_error(st, rc, e, "preparing a query");
	if (free_slot < 0)   /* more distinct statements than the cache holds: a bug */
		abort();
	st->stmts[free_slot].sql = sql;
	st->stmts[free_slot].stmt = s;
	*out = s;
	return OD_OK;
}

enum od_status store_exec(struct store *st, const char *sql, struct err *e, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? OD_OK : store_db_error(st, rc, e, what);
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

const char *store_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

char *store_col_dup(sqlite3_stmt *s, int i)
{
	return strdup(store_col_text(s, i));
}

enum od_status store_begin(struct store *st, struct err *e)
{
	if (st->txn_depth > 0)
		return err_set(e, OD_ESTATE, "a history transaction is already open");
	enum od_status rc = store_exec(st, "BEGIN IMMEDIATE", e, "starting a write");
	if (rc == OD_OK)
		st->txn_depth = 1;
	return rc;
}

enum od_status store_commit(struct store *st, struct err *e)
{
	if (st->txn_depth == 0)
		return err_set(e, OD_ESTATE, "no history transaction is open");
	enum od_status rc = store_exec(st, "COMMIT", e, "saving history");
	if (rc != OD_OK) {
		store_rollback(st);
		return rc;
	}
	st->txn_depth = 0;
	return OD_OK;
}

void store_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->db) == 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->txn_depth = 0;
	/* Series ids handed out inside the transaction are gone with it. */
	store_series_cache_clear(st->series);
}

enum od_status store_write_begin(struct store *st, bool *own, struct err *e)
{
	*own = false;
	if (st->txn_depth > 0)
		return OD_OK;
	enum od_status rc = store_begin(st, e);
	if (rc == OD_OK)
		*own = true;
	return rc;
}

enum od_status store_write_end(struct store *st, bool own, enum od_status rc, struct err *e)
{
	if (!own)
		return rc;
	if (rc != OD_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* The file must exist, owner-only, before SQLite creates it (and -wal/-shm copy its mode). */
static enum od_status file_create_private(const char *path, struct err *e)
{
	char dir[4096];

	paths_dirname(path, dir, sizeof(dir));
	enum od_status rc = paths_mkdir_p(dir, 0700, e);
	if (rc != OD_OK)
		return rc;
	/*
	 * An existing file is not opened here: closing any descriptor of it
	 * drops every POSIX lock this process holds on it, those of SQLite's
	 * open connections included, and another process closing its own
	 * connection would then delete the -wal and -shm under them.
	 */
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		if (S_ISLNK(sb.st_mode))   /* as O_NOFOLLOW refuses it */
			return err_set(e, OD_EIO, "cannot create history database %s: %s", path,
				       strerror(ELOOP));
		/* History holds the audit log and events: keep an existing file private too. */
		if (S_ISREG(sb.st_mode) && (sb.st_mode & 077) && sb.st_uid == geteuid())
			(void)chmod(path, 0600);
		return OD_OK;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, errno == EACCES ? OD_EPERM : OD_EIO,
			       "cannot create history database %s: %s", path, strerror(errno));
	close(fd);
	return OD_OK;
}

static bool rc_is_damage(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

static void stmts_finalize(struct store *st)
{
	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		if (st->stmts[i].stmt)
			sqlite3_finalize(st->stmts[i].stmt);
		st->stmts[i].stmt = NULL;
		st->stmts[i].sql = NULL;
	}
}

static void db_close(struct store *st)
{
	stmts_finalize(st);
	if (st->db)
		sqlite3_close_v2(st->db);
	st->db = NULL;
}

/*
 * Runs quick_check; *damaged only when SQLite says the file is damaged (a
 * busy or I/O error must never get a healthy file moved aside).
 */
static enum od_status quick_check_run(struct store *st, bool *damaged, struct err *e)
{
	sqlite3_stmt *s = NULL;
	enum od_status ret = OD_OK;

	*damaged = false;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *r = store_col_text(s, 0);
		if (strcmp(r, "ok") != 0) {
			*damaged = true;
			ret = err_set(e, OD_EDB, "%s is damaged: %s", st->path, r);
		}
	} else {
		*damaged = rc_is_damage(rc);
		ret = store_db_error(st, rc, e, "checking the history database");
	}
	sqlite3_finalize(s);
	return ret;
}

enum od_status store_quick_check(struct store *st, struct err *e)
{
	bool damaged;
	enum od_status ret = quick_check_run(st, &damaged, e);
	return damaged ? OD_EDB : ret;
}

/* Status of one PRAGMA or statement, keeping SQLite's code for the damage test. */
static int exec_rc(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Opening is the one place the store waits in line: it runs before the loop does. */
static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Switches the file to WAL only when it is not already: the switch needs an
 * exclusive lock and may answer SQLITE_BUSY at once, without the busy
 * handler, while another process is opening or writing the same file.
 */
static int wal_ensure(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	bool is_wal = false;
	int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *mode = sqlite3_column_text(q, 0);
		is_wal = mode && strcmp((const char *)mode, "wal") == 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK || is_wal)
		return rc;
	return exec_rc(db, "PRAGMA journal_mode=WAL");
}

/*
 * Opens the file and checks it. Returns OD_OK, or OD_EDB with *damaged set
 * when the file is not a sound database (the caller moves it aside).
 */
static enum od_status db_open_checked(struct store *st, bool *damaged, struct err *e)
{
	int rc;

	*damaged = false;
	rc = sqlite3_open_v2(st->path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return store_db_error(st, rc, e, "opening the history database");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, st->set.busy_timeout_ms);
	rc = wal_ensure(st->db);
	if (rc == SQLITE_OK)
		rc = exec_rc(st->db, "PRAGMA synchronous=NORMAL");
	/* 8 MiB of page cache: a month of one chunk's hourly rows stays hot between queries. */
	if (rc == SQLITE_OK)
		rc = exec_rc(st->db, "PRAGMA cache_size=-8192");
	if (rc == SQLITE_OK)
		rc = exec_rc(st->db, "SELECT count(*) FROM sqlite_schema");
	if (rc != SQLITE_OK) {
		*damaged = rc_is_damage(rc);
		return store_db_error(st, rc, e, "opening the history database");
	}
	if (st->set.quick_check)
		return quick_check_run(st, damaged, e);
	return OD_OK;
}

/* Renames path+suffix to aside+suffix when it exists. */
static enum od_status rename_if_exists(const char *path, const char *aside, const char *suffix,
				       struct err *e)
{
	char from[4200], to[4300];

	snprintf(from, sizeof(from), "%s%s", path, suffix);
	snprintf(to, sizeof(to), "%s%s", aside, suffix);
	if (rename(from, to) == 0 || errno == ENOENT)
		return OD_OK;
	return err_set(e, OD_EIO, "cannot move damaged %s aside: %s", from, strerror(errno));
}

/* Moves the damaged file (and its -wal/-shm) to <path>.corrupt-YYYYMMDD-HHMMSS. */
static enum od_status move_aside(struct store *st, const char *why, struct err *e)
{
	char aside[4200];
	struct tm tm;
	time_t now = time(NULL);   /* a file name for the user, not a sample time */
	struct stat sb;

	gmtime_r(&now, &tm);
	int n = snprintf(aside, sizeof(aside), "%s.corrupt-%04d%02d%02d-%02d%02d%02d", st->path,
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
	for (int i = 2; stat(aside, &sb) == 0 && i < 100; i++)
		snprintf(aside + n, sizeof(aside) - (size_t)n, "-%d", i);
	enum od_status rc = rename_if_exists(st->path, aside, "", e);
	if (rc == OD_OK)
		rc = rename_if_exists(st->path, aside, "-wal", e);
	if (rc == OD_OK)
		rc = rename_if_exists(st->path, aside, "-shm", e);
	/* The audit chain's anchor belongs to the rows it anchors: the new file starts a new chain. */
	if (rc == OD_OK)
		rc = rename_if_exists(st->path, aside, ".audit-head", e);
	if (rc != OD_OK)
		return rc;
	int w = snprintf(st->notice, sizeof(st->notice),
			 "the history database was damaged (%.200s); it was moved to %.700s and a new one was started",
			 why, aside);
	(void)w;
	return OD_OK;
}

enum od_status store_open(const char *path, const struct store_settings *settings,
			  struct store **out, struct err *e)
{
	enum od_status rc;
	struct store *st = calloc(1, sizeof(*st));

	*out = NULL;
	if (!st)
		return err_set(e, OD_ENOMEM, "out of memory opening the history database");
	if (settings)
		st->set = *settings;
	else
		store_settings_default(&st->set);
	rc = settings_check(&st->set, e);
	if (rc != OD_OK)
		goto out;
	if (path && *path) {
		if (strlen(path) >= sizeof(st->path)) {
			rc = err_set(e, OD_ELIMIT, "history database path is too long");
			goto out;
		}
		memcpy(st->path, path, strlen(path) + 1);
	} else {
		rc = store_default_path(st->path, sizeof(st->path), e);
		if (rc != OD_OK)
			goto out;
	}
	uint64_t deadline = time_mono_ms() + (uint64_t)st->set.busy_timeout_ms;
	unsigned backoff_ms = 20;
	for (int attempt = 0; attempt < 2; attempt++) {
		bool damaged = false;
		struct err why = { 0 };

		rc = file_create_private(st->path, e);
		if (rc != OD_OK)
			goto out;
		rc = db_open_checked(st, &damaged, &why);
		/* Another process opening or migrating the same file: wait our turn. */
		if (rc == OD_EAGAIN && time_mono_ms() < deadline) {
			db_close(st);
			sleep_ms(backoff_ms);
			backoff_ms = backoff_ms < 320 ? backoff_ms * 2 : 320;
			attempt--;
			continue;
		}
		if (rc == OD_OK || !damaged || attempt == 1) {
			if (rc != OD_OK)
				err_set(e, rc, "%s", why.msg);
			break;
		}
		/* Rename while SQLite still has the files open: closing a damaged
		 * database deletes its -wal, which belongs with the evidence. */
		rc = move_aside(st, why.msg, e);
		db_close(st);
		if (rc != OD_OK)
			goto out;
	}
	if (rc != OD_OK)
		goto out;
	rc = store_schema_migrate(st, e);
	while (rc == OD_EAGAIN && time_mono_ms() < deadline) {
		sleep_ms(backoff_ms);
		backoff_ms = backoff_ms < 320 ? backoff_ms * 2 : 320;
		rc = store_schema_migrate(st, e);
	}
	if (rc != OD_OK)
		goto out;
	*out = st;
	st = NULL;
out:
	store_close(&st);
	return rc;
}

void store_close(struct store **stp)
{
	if (!stp || !*stp)
		return;
	struct store *st = *stp;
	if (st->db && sqlite3_get_autocommit(st->db) == 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	db_close(st);
	store_series_cache_free(&st->series);
	free(st);
	*stp = NULL;
}

const char *store_notice(const struct store *st)
{
	return st->notice;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

const struct store_settings *store_settings_get(const struct store *st)
{
	return &st->set;
}

int store_schema_version(const struct store *st)
{
	return st->version;
}

enum od_status store_checkpoint(struct store *st, struct err *e)
{
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return rc == SQLITE_OK ? OD_OK : store_db_error(st, rc, e, "checkpointing the history");
}

const char *store_sqlite_version(void)
{
	return sqlite3_libversion();
}
