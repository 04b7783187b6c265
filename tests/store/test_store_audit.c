/*
 * test_store_audit.c: the hash-chained audit log — append and list, and
 * verify catching an edited row, a deleted row, a truncated tail (even with
 * the table's own bookkeeping rewritten), a missing head file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "opsdeck/store.h"
#include "opsdeck/store_audit.h"
#include "helpers.h"
#include "../../src/store/internal.h"   /* the tests tamper through st->db */

static void append_n(struct store *st, int n)
{
	struct err e = { 0 };
	for (int i = 0; i < n; i++) {
		char obj[32], before[16], after[16];
		snprintf(obj, sizeof(obj), "deployment/web-%d", i);
		snprintf(before, sizeof(before), "%d", i);
		snprintf(after, sizeof(after), "%d", i + 1);
		struct store_audit_entry a = {
			.ts_ms = 1763000000000 + i * 1000, .action = "scale", .step = "result",
			.os_user = "alice", .kube_user = "alice@example.com", .context = "prod",
			.namespace = "home-automation", .object = obj, .before = before,
			.after = after, .http_status = 200, .duration_ms = 120 + i,
			.outcome = "ok", .message = NULL,
		};
		assert_int_equal(store_audit_append(st, &a, &e), OD_OK);
		assert_true(a.seq > 0);
	}
}

static void tamper(struct store *st, const char *sql)
{
	assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static enum store_audit_problem verify(struct store *st, int64_t *seq)
{
	struct store_audit_verdict v;
	struct err e = { 0 };
	assert_int_equal(store_audit_verify(st, &v, &e), OD_OK);
	if (seq)
		*seq = v.seq;
	return v.problem;
}

struct collect {
	int n;
	int64_t last_seq;
	char last_obj[64];
};

static int collect_fn(void *arg, const struct store_audit_entry *a)
{
	struct collect *c = arg;
	c->n++;
	c->last_seq = a->seq;
	snprintf(c->last_obj, sizeof(c->last_obj), "%s", a->object);
	return 0;
}

static void test_append_list_verify(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	struct collect c = { 0 };
	int64_t seq;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	assert_int_equal(verify(st, NULL), STORE_AUDIT_INTACT);   /* empty log */
	append_n(st, 10);
	assert_int_equal(verify(st, NULL), STORE_AUDIT_INTACT);
	assert_int_equal(store_audit_list(st, 1763000000000 + 5000, 0, collect_fn, &c, &e), OD_OK);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.last_seq, 10);
	assert_string_equal(c.last_obj, "deployment/web-9");
	/* Reopening keeps the chain. */
	store_close(&st);
	st = tmp_db_open(&t, NULL);
	append_n(st, 1);
	assert_int_equal(verify(st, &seq), STORE_AUDIT_INTACT);
	/* The head file is private. */
	char head[4200];
	struct stat sb;
	store_audit_head_path(st, head, sizeof(head));
	assert_int_equal(stat(head, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* Appending inside another transaction is refused (the row must commit alone). */
	assert_int_equal(store_begin(st, &e), OD_OK);
	struct store_audit_entry a = { .action = "restart" };
	assert_int_equal(store_audit_append(st, &a, &e), OD_ESTATE);
	store_rollback(st);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_detects_edit(void **state)
{
	struct tmp_db t;
	int64_t seq;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	append_n(st, 8);
	tamper(st, "UPDATE audit SET after = '0' WHERE seq = 4");
	assert_int_equal(verify(st, &seq), STORE_AUDIT_EDITED);
	assert_int_equal(seq, 4);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_detects_edit_with_rehash(void **state)
{
	struct tmp_db t;
	int64_t seq;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	append_n(st, 8);
	/* A forger who also rewrites row 4's hash still breaks row 5's link. */
	tamper(st, "UPDATE audit SET hash = zeroblob(32) WHERE seq = 4");
	assert_int_equal(verify(st, &seq), STORE_AUDIT_EDITED);
	assert_true(seq == 4 || seq == 5);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_detects_delete(void **state)
{
	struct tmp_db t;
	int64_t seq;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	append_n(st, 8);
	tamper(st, "DELETE FROM audit WHERE seq = 3");
	assert_int_equal(verify(st, &seq), STORE_AUDIT_DELETED);
	assert_int_equal(seq, 3);
	store_close(&st);
	tmp_db_cleanup(&t);

	/* Deleting the first row is a deletion too. */
	tmp_db_init(&t, NULL);
	st = tmp_db_open(&t, NULL);
	append_n(st, 3);
	tamper(st, "DELETE FROM audit WHERE seq = 1");
	assert_int_equal(verify(st, &seq), STORE_AUDIT_DELETED);
	assert_int_equal(seq, 1);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_detects_truncation(void **state)
{
	struct tmp_db t;
	int64_t seq;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	append_n(st, 8);
	/* The rows left are a perfect chain; only the head file knows there were 8. */
	tamper(st, "DELETE FROM audit WHERE seq > 5");
	tamper(st, "INSERT OR REPLACE INTO meta(key, value) VALUES('audit_head', 5)");
	assert_int_equal(verify(st, &seq), STORE_AUDIT_TRUNCATED);
	assert_int_equal(seq, 6);
	/* Truncating everything is caught as well. */
	tamper(st, "DELETE FROM audit");
	assert_int_equal(verify(st, &seq), STORE_AUDIT_TRUNCATED);
	store_close(&st);
	tmp_db_cleanup(&t);
}

static void test_head_file_missing_or_behind(void **state)
{
	struct tmp_db t;
	char head[4200], saved[256];
	int64_t seq;
	(void)state;
	tmp_db_init(&t, NULL);
	struct store *st = tmp_db_open(&t, NULL);
	append_n(st, 3);
	store_audit_head_path(st, head, sizeof(head));
	FILE *f = fopen(head, "r");
	assert_non_null(f);
	size_t n = fread(saved, 1, sizeof(saved) - 1, f);
	saved[n] = '\0';
	fclose(f);
	append_n(st, 1);
	/* Put back the older head: as after a crash between commit and head write. */
	f = fopen(head, "w");
	assert_non_null(f);
	fputs(saved, f);
	fclose(f);
	assert_int_equal(verify(st, &seq), STORE_AUDIT_HEAD_BEHIND);
	assert_int_equal(seq, 4);
	/* The next append moves it forward again. */
	append_n(st, 1);
	assert_int_equal(verify(st, NULL), STORE_AUDIT_INTACT);
	assert_int_equal(unlink(head), 0);
	assert_int_equal(verify(st, NULL), STORE_AUDIT_HEAD_MISSING);
	store_close(&st);
	tmp_db_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_list_verify),
		cmocka_unit_test(test_detects_edit),
		cmocka_unit_test(test_detects_edit_with_rehash),
		cmocka_unit_test(test_detects_delete),
		cmocka_unit_test(test_detects_truncation),
		cmocka_unit_test(test_head_file_missing_or_behind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
