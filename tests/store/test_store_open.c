/*
 * test_store_open.c: opening the history database — default path under
 * XDG_STATE_HOME, modes 0700/0600, WAL, schema version, a damaged file moved
 * aside, a newer schema refused, disk full reported in the user's terms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <glob.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "opsdeck/store.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "helpers.h"
#include "../../src/store/internal.h"   /* the test caps the page count of st->db */

static void test_default_path_and_modes(void **state)
{
	struct tmp_db t;
	char path[4096], dir[4096];
	struct store *st = NULL;
	struct err e = { 0 };
	struct stat sb;

	(void)state;
	tmp_db_init(&t, NULL);
	snprintf(dir, sizeof(dir), "%s/state", t.dir);
	setenv("XDG_STATE_HOME", dir, 1);
	assert_int_equal(store_default_path(path, sizeof(path), &e), OD_OK);
	snprintf(dir, sizeof(dir), "%s/state/opsdeck/history.db", t.dir);
	assert_string_equal(path, dir);
	mode_t old = umask(022);
	assert_int_equal(store_open(NULL, NULL, &st, &e), OD_OK);
	umask(old);
	assert_string_equal(store_path(st), dir);
	assert_string_equal(store_notice(st), "");
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(dir, sizeof(dir), "%s/state/opsdeck", t.dir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	/* A write creates the WAL, which must copy the file's private mode. */
	int64_t id;
	struct store_series_key k = { "c", "ns", STORE_KIND_POD, "p", "app", STORE_METRIC_CPU };
	assert_int_equal(store_series_id(st, &k, true, &id, &e), OD_OK);
	snprintf(dir, sizeof(dir), "%s/state/opsdeck/history.db-wal", t.dir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	store_close(&st);
	assert_null(st);
	store_close(&st);   /* twice is harmless */
	unsetenv("XDG_STATE_HOME");
	tmp_db_cleanup(&t);
}

static void test_wal_and_version(void **state)
{
	struct tmp_db t;
	sqlite3 *db;
	sqlite3_stmt *s;

	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	store_close(&st);
	/* Reopening an up-to-date database migrates nothing and keeps the data. */
	st = tmp_db_open(&t, NULL);
	store_close(&st);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(s);
	const char *tables[] = { "series", "ticks", "samples_raw", "samples_t1", "samples_t2",
				 "pod_transitions", "events", "state_rows", "audit",
				 "checklist_runs", "checklist_items", "incidents",
				 "incident_timeline" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	/* A newer schema is refused, not rewritten. */
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct store *st2 = NULL;
	struct err e = { 0 };
	assert_int_equal(store_open(t.path, NULL, &st2, &e), OD_EDB);
	assert_non_null(strstr(e.msg, "newer opsdeck"));
	assert_null(st2);
	tmp_db_cleanup(&t);
}

/* An existing empty or world-readable file is adopted and made private. */
static void test_existing_file_made_private(void **state)
{
	struct tmp_db t;
	struct stat sb;
	(void)state;
	tmp_db_init(&t, NULL);
	int fd = open(t.path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	struct store *st = tmp_db_open(&t, NULL);
	assert_string_equal(store_notice(st), "");   /* an empty file is a new database, not damage */
	assert_int_equal(stat(t.path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	store_close(&st);
	tmp_db_cleanup(&t);
}

/*
 * A second store_open in a process that has the database open must not drop
 * that process's locks: another process closing its connection would then
 * take the file for its own and delete the -wal and -shm in use here.
 */
static void test_second_open_keeps_locks(void **state)
{
	struct tmp_db t;
	struct stat sb;
	char shm[600];
	int status = 0;
	(void)state;
	tmp_db_init(&t, NULL);
	snprintf(shm, sizeof(shm), "%s-shm", t.path);
	struct store *a = tmp_db_open(&t, NULL);
	struct store *b = tmp_db_open(&t, NULL);
	store_close(&b);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Another process (not a fork: that would share this one's SQLite state). */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("sqlite3", "sqlite3", t.path, "SELECT count(*) FROM sqlite_schema;",
		       (char *)NULL);
		_exit(77);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		store_close(&a);
		tmp_db_cleanup(&t);
		skip();   /* no sqlite3 command to play the other process */
	}
	assert_int_equal(status, 0);
	assert_int_equal(stat(shm, &sb), 0);   /* still there: this process holds it */
	assert_int_equal(store_quick_check(a, &(struct err){ 0 }), OD_OK);
	store_close(&a);
	tmp_db_cleanup(&t);
}

static void write_garbage(const char *path, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(i * 131 + 7);
		assert_int_equal(write(fd, &c, 1), 1);
	}
	close(fd);
}

static void test_garbage_moved_aside(void **state)
{
	struct tmp_db t;
	struct store *st = NULL;
	struct err e = { 0 };
	glob_t g;
	char pat[600];

	(void)state;
	tmp_db_init(&t, NULL);
	write_garbage(t.path, 8192);
	char wal[600];
	snprintf(wal, sizeof(wal), "%s-wal", t.path);
	write_garbage(wal, 100);   /* a leftover WAL goes with its file */
	assert_int_equal(store_open(t.path, NULL, &st, &e), OD_OK);
	assert_non_null(strstr(store_notice(st), "damaged"));
	assert_non_null(strstr(store_notice(st), ".corrupt-"));
	snprintf(pat, sizeof(pat), "%s.corrupt-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]", t.path);
	assert_int_equal(glob(pat, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1);
	globfree(&g);
	snprintf(pat, sizeof(pat), "%s.corrupt-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-wal", t.path);
	assert_int_equal(glob(pat, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1);
	globfree(&g);
	assert_int_equal(store_quick_check(st, &e), OD_OK);
	store_close(&st);
	tmp_db_cleanup(&t);
}

/* A real database with a damaged page in the middle (caught by quick_check, not by the header). */
static void test_damaged_page_moved_aside(void **state)
{
	struct tmp_db t;
	struct store *st;
	struct err e = { 0 };
	struct stat sb;

	(void)state;
	tmp_db_init(&t, NULL);
	st = tmp_db_open(&t, NULL);
	for (int i = 0; i < 300; i++) {
		char name[32];
		int64_t id;
		snprintf(name, sizeof(name), "pod-%d", i);
		struct store_series_key k = { "c", "ns", STORE_KIND_POD, name, "app", STORE_METRIC_CPU };
		assert_int_equal(store_series_id(st, &k, true, &id, &e), OD_OK);
	}
	struct store_audit_entry a = { .action = "restart", .step = "result", .outcome = "ok" };
	assert_int_equal(store_audit_append(st, &a, &e), OD_OK);
	assert_int_equal(store_audit_append(st, &a, &e), OD_OK);
	assert_int_equal(store_checkpoint(st, &e), OD_OK);
	store_close(&st);
	assert_int_equal(stat(t.path, &sb), 0);
	assert_true(sb.st_size > 4 * 4096);
	int fd = open(t.path, O_WRONLY);
	assert_true(fd >= 0);
	char junk[4096];
	memset(junk, 0xA5, sizeof(junk));
	/* Overwrite every page after the schema page. */
	for (off_t off = 2 * 4096; off + 4096 <= sb.st_size; off += 4096)
		assert_int_equal(pwrite(fd, junk, sizeof(junk), off), (ssize_t)sizeof(junk));
	close(fd);
	assert_int_equal(store_open(t.path, NULL, &st, &e), OD_OK);
	assert_non_null(strstr(store_notice(st), "moved to"));
	int64_t id = 0;
	struct store_series_key k = { "c", "ns", STORE_KIND_POD, "pod-1", "app", STORE_METRIC_CPU };
	assert_int_equal(store_series_id(st, &k, false, &id, &e), OD_ENOENT);
	/* The old chain's head went aside with its rows: the new log starts clean. */
	struct store_audit_verdict v;
	assert_int_equal(store_audit_verify(st, &v, &e), OD_OK);
	assert_int_equal(v.problem, STORE_AUDIT_INTACT);
	assert_int_equal(store_audit_append(st, &a, &e), OD_OK);
	assert_int_equal(a.seq, 1);
	assert_int_equal(store_audit_verify(st, &v, &e), OD_OK);
	assert_int_equal(v.problem, STORE_AUDIT_INTACT);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_disk_full(void **state)
{
	struct tmp_db t;
	struct store *st;
	struct err e = { 0 };
	int64_t ids[200];
	struct store_sample smp[200];
	enum od_status rc = OD_OK;
	int ticks = 0;

	(void)state;
	tmp_db_init(&t, NULL);
	st = tmp_db_open(&t, NULL);
	for (int i = 0; i < 200; i++) {
		char name[32];
		snprintf(name, sizeof(name), "pod-%d", i);
		struct store_series_key k = { "c", "ns", STORE_KIND_POD, name, "app", STORE_METRIC_MEMORY };
		assert_int_equal(store_series_id(st, &k, true, &ids[i], &e), OD_OK);
	}
	store_close(&st);
	/* SQLITE_FULL without filling a real disk: cap the page count of this connection. */
	st = tmp_db_open(&t, NULL);
	int64_t pages = 0;
	sqlite3_stmt *ps;
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA page_count", -1, &ps, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(ps), SQLITE_ROW);
	pages = sqlite3_column_int64(ps, 0);
	sqlite3_finalize(ps);
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%lld", (long long)pages + 30);
	assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
	for (ticks = 0; ticks < 10000; ticks++) {
		for (int i = 0; i < 200; i++) {
			smp[i].series = ids[i];
			smp[i].value = 100000000 + (int64_t)ticks * 7919 + i * 104729;
		}
		rc = store_tick_append(st, 1000000 + ticks * 15, smp, 200, &e);
		if (rc != OD_OK)
			break;
	}
	assert_int_equal(rc, OD_EIO);
	assert_non_null(strstr(e.msg, "full"));
	store_close(&st);
	st = tmp_db_open(&t, NULL);
	assert_int_equal(store_quick_check(st, &e), OD_OK);
	bool found = false;
	assert_int_equal(store_tick_exists(st, 1000000 + (ticks - 1) * 15, &found, &e), OD_OK);
	assert_true(found);
	assert_int_equal(store_tick_exists(st, 1000000 + ticks * 15, &found, &e), OD_OK);
	assert_false(found);
	store_close(&st);
	tmp_db_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_path_and_modes),
		cmocka_unit_test(test_wal_and_version),
		cmocka_unit_test(test_existing_file_made_private),
		cmocka_unit_test(test_second_open_keeps_locks),
		cmocka_unit_test(test_garbage_moved_aside),
		cmocka_unit_test(test_damaged_page_moved_aside),
		cmocka_unit_test(test_disk_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
