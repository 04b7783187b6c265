/*
 * audit.c: the hash-chained action audit log and its head file.
 *
 * The head file is updated after the row commits, under flock, and only
 * forwards (two processes appending at once cannot move it back). A crash
 * between the commit and the file leaves the file one row behind, which
 * verify reports as HEAD_BEHIND rather than as tampering.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "opsdeck/store_audit.h"
#include "opsdeck/timeutil.h"
#include "internal.h"

#define HEAD_MAGIC "opsdeck-audit-head v1"

static const char *nz(const char *s)
{
	return s ? s : "";
}

static void hash_field(EVP_MD_CTX *ctx, char tag, const void *p, size_t n)
{
	unsigned char hdr[5] = { (unsigned char)tag, (unsigned char)(n >> 24),
				 (unsigned char)(n >> 16), (unsigned char)(n >> 8),
				 (unsigned char)n };
	EVP_DigestUpdate(ctx, hdr, sizeof(hdr));
	EVP_DigestUpdate(ctx, p, n);
}

static void hash_text(EVP_MD_CTX *ctx, const char *s)
{
	hash_field(ctx, 's', nz(s), strlen(nz(s)));
}

static void hash_int(EVP_MD_CTX *ctx, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);
	hash_field(ctx, 'i', buf, (size_t)n);
}

/* SHA-256 over prev and every column, each tagged and length-prefixed (no ambiguity). */
static enum od_status entry_hash(const unsigned char prev[STORE_AUDIT_HASH_LEN],
				 const struct store_audit_entry *a,
				 unsigned char out[STORE_AUDIT_HASH_LEN], struct err *e)
{
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return err_set(e, OD_ENOMEM, "cannot start SHA-256 for the audit log");
	}
	hash_field(ctx, 'h', prev, STORE_AUDIT_HASH_LEN);
	hash_int(ctx, a->seq);
	hash_int(ctx, a->ts_ms);
	hash_text(ctx, a->action);
	hash_text(ctx, a->step);
	hash_text(ctx, a->os_user);
	hash_text(ctx, a->kube_user);
	hash_text(ctx, a->context);
	hash_text(ctx, a->namespace);
	hash_text(ctx, a->object);
	hash_text(ctx, a->before);
	hash_text(ctx, a->after);
	hash_int(ctx, a->http_status);
	hash_int(ctx, a->duration_ms);
	hash_text(ctx, a->outcome);
	hash_text(ctx, a->message);
	int ok = EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
	if (ok != 1 || len != STORE_AUDIT_HASH_LEN)
		return err_set(e, OD_EIO, "SHA-256 failed for the audit log");
	return OD_OK;
}

void store_audit_head_path(const struct store *st, char *out, size_t n)
{
	int w = snprintf(out, n, "%s.audit-head", st->path);
	(void)w;
}

static void hex_encode(const unsigned char *h, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < STORE_AUDIT_HASH_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * STORE_AUDIT_HASH_LEN] = '\0';
}

static bool hex_decode(const char *s, unsigned char *h)
{
	for (int i = 0; i < STORE_AUDIT_HASH_LEN; i++) {
		unsigned v = 0;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		h[i] = (unsigned char)v;
	}
	return true;
}

/* Parses the head file's text; false when it is not one. */
static bool head_parse(const char *text, int64_t *seq, unsigned char *hash)
{
	char hex[2 * STORE_AUDIT_HASH_LEN + 1];
	long long s;
	if (strncmp(text, HEAD_MAGIC "\n", sizeof(HEAD_MAGIC)) != 0)
		return false;
	if (sscanf(text + sizeof(HEAD_MAGIC), "%lld %64[0-9a-f]", &s, hex) != 2 ||
	    strlen(hex) != 2 * STORE_AUDIT_HASH_LEN)
		return false;
	*seq = s;
	return hex_decode(hex, hash);
}

static ssize_t read_all(int fd, char *buf, size_t n)
{
	ssize_t got = pread(fd, buf, n - 1, 0);
	buf[got > 0 ? got : 0] = '\0';
	return got;
}

/* Moves the head file forward to (seq, hash), never back. */
static enum od_status head_write(struct store *st, int64_t seq, const unsigned char *hash,
				 struct err *e)
{
	char path[4200], text[160], old[160], hex[2 * STORE_AUDIT_HASH_LEN + 1];
	int64_t cur = 0;
	unsigned char curh[STORE_AUDIT_HASH_LEN];
	enum od_status ret = OD_OK;

	store_audit_head_path(st, path, sizeof(path));
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, OD_EIO, "cannot write the audit head %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX) != 0) {
		ret = err_set(e, OD_EIO, "cannot lock the audit head %s: %s", path, strerror(errno));
		goto out;
	}
	if (read_all(fd, old, sizeof(old)) > 0 && head_parse(old, &cur, curh) && cur >= seq)
		goto out;
	hex_encode(hash, hex);
	int n = snprintf(text, sizeof(text), HEAD_MAGIC "\n%" PRId64 " %s\n", seq, hex);
	if (pwrite(fd, text, (size_t)n, 0) != n || ftruncate(fd, n) != 0 || fsync(fd) != 0)
		ret = err_set(e, OD_EIO, "cannot write the audit head %s: %s", path,
			      strerror(errno));
out:
	close(fd);   /* releases the lock */
	return ret;
}

static enum od_status last_row(struct store *st, int64_t *seq, unsigned char *hash, struct err *e)
{
	static const char sql[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	*seq = 0;
	memset(hash, 0, STORE_AUDIT_HASH_LEN);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == STORE_AUDIT_HASH_LEN)
			memcpy(hash, sqlite3_column_blob(s, 1), STORE_AUDIT_HASH_LEN);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? OD_OK
						      : store_db_error(st, rc, e, "reading the audit log");
}

static enum od_status row_insert(struct store *st, const struct store_audit_entry *a,
				 const unsigned char *prev, struct err *e)
{
	static const char sql[] =
		"INSERT INTO audit(seq, ts_ms, action, step, os_user, kube_user, context, namespace,"
		" object, before, after, http_status, duration_ms, outcome, message, prev_hash, hash)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
	sqlite3_stmt *s;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	const char *txt[] = { a->action, a->step, a->os_user, a->kube_user, a->context,
			      a->namespace, a->object, a->before, a->after };
	sqlite3_bind_int64(s, 1, a->seq);
	sqlite3_bind_int64(s, 2, a->ts_ms);
	for (int i = 0; i < 9; i++)
		store_bind_text(s, 3 + i, txt[i]);
	sqlite3_bind_int(s, 12, a->http_status);
	sqlite3_bind_int64(s, 13, a->duration_ms);
	store_bind_text(s, 14, a->outcome);
	store_bind_text(s, 15, a->message);
	sqlite3_bind_blob(s, 16, prev, STORE_AUDIT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 17, a->hash, STORE_AUDIT_HASH_LEN, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "writing the audit log");
}

enum od_status store_audit_append(struct store *st, struct store_audit_entry *a, struct err *e)
{
	unsigned char prev[STORE_AUDIT_HASH_LEN];
	int64_t last;
	bool own;
	enum od_status ret;

	if (st->txn_depth > 0)   /* its own durable commit, never part of a batch */
		return err_set(e, OD_ESTATE, "the audit log is written outside other transactions");
	if (a->ts_ms == 0) {
		struct od_time now = time_now();
		a->ts_ms = now.sec * 1000 + now.nsec / 1000000;
	}
	ret = store_exec(st, "PRAGMA synchronous=FULL", e, "writing the audit log");
	if (ret != OD_OK)
		return ret;
	ret = store_write_begin(st, &own, e);
	if (ret == OD_OK)
		ret = last_row(st, &last, prev, e);
	if (ret == OD_OK) {
		a->seq = last + 1;
		ret = entry_hash(prev, a, a->hash, e);
	}
	if (ret == OD_OK)
		ret = row_insert(st, a, prev, e);
	ret = store_write_end(st, own, ret, e);
	struct err ignored = { 0 };
	store_exec(st, "PRAGMA synchronous=NORMAL", &ignored, "writing the audit log");
	if (ret != OD_OK)
		return ret;
	return head_write(st, a->seq, a->hash, e);
}

/* Fills a from the row of s (columns as in the select below); strings borrowed. */
static void entry_from_row(sqlite3_stmt *s, struct store_audit_entry *a)
{
	a->seq = sqlite3_column_int64(s, 0);
	a->ts_ms = sqlite3_column_int64(s, 1);
	a->action = store_col_text(s, 2);
	a->step = store_col_text(s, 3);
	a->os_user = store_col_text(s, 4);
	a->kube_user = store_col_text(s, 5);
	a->context = store_col_text(s, 6);
	a->namespace = store_col_text(s, 7);
	a->object = store_col_text(s, 8);
	a->before = store_col_text(s, 9);
	a->after = store_col_text(s, 10);
	a->http_status = sqlite3_column_int(s, 11);
	a->duration_ms = sqlite3_column_int64(s, 12);
	a->outcome = store_col_text(s, 13);
	a->message = store_col_text(s, 14);
	memset(a->hash, 0, sizeof(a->hash));
	if (sqlite3_column_bytes(s, 16) == STORE_AUDIT_HASH_LEN)
		memcpy(a->hash, sqlite3_column_blob(s, 16), STORE_AUDIT_HASH_LEN);
}

#define AUDIT_COLUMNS "seq, ts_ms, action, step, os_user, kube_user, context, namespace, object," \
		      " before, after, http_status, duration_ms, outcome, message, prev_hash, hash"

enum od_status store_audit_list(struct store *st, int64_t since_ms, int64_t until_ms,
				store_audit_fn fn, void *arg, struct err *e)
{
	static const char sql[] = "SELECT " AUDIT_COLUMNS " FROM audit WHERE ts_ms >= ?1"
				  " AND (?2 = 0 OR ts_ms < ?2) ORDER BY seq";
	sqlite3_stmt *s;
	struct store_audit_entry a;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	sqlite3_bind_int64(s, 1, since_ms);
	sqlite3_bind_int64(s, 2, until_ms);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		entry_from_row(s, &a);
		if (fn(arg, &a) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OD_OK : store_db_error(st, rc, e, "reading the audit log");
}

static void verdict(struct store_audit_verdict *v, enum store_audit_problem p, int64_t seq,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void verdict(struct store_audit_verdict *v, enum store_audit_problem p, int64_t seq,
		    const char *fmt, ...)
{
	va_list ap;
	v->problem = p;
	v->seq = seq;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

/* Walks the chain; stops at the first problem. */
static enum od_status chain_check(struct store *st, struct store_audit_verdict *v,
				  int64_t *last, unsigned char *last_hash, struct err *e)
{
	static const char sql[] = "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq";
	unsigned char prev[STORE_AUDIT_HASH_LEN] = { 0 }, h[STORE_AUDIT_HASH_LEN];
	struct store_audit_entry a;
	sqlite3_stmt *s;
	int rc;
	enum od_status ret = store_stmt(st, sql, &s, e);
	if (ret != OD_OK)
		return ret;
	*last = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		entry_from_row(s, &a);
		if (a.seq != *last + 1) {
			verdict(v, STORE_AUDIT_DELETED, *last + 1,
				"audit row %lld is missing (deleted): the log jumps from %lld to %lld",
				(long long)(*last + 1), (long long)*last, (long long)a.seq);
			break;
		}
		if (sqlite3_column_bytes(s, 15) != STORE_AUDIT_HASH_LEN ||
		    memcmp(sqlite3_column_blob(s, 15), prev, STORE_AUDIT_HASH_LEN) != 0) {
			verdict(v, STORE_AUDIT_EDITED, a.seq,
				"audit row %lld does not link to row %lld (rows were edited)",
				(long long)a.seq, (long long)*last);
			break;
		}
		ret = entry_hash(prev, &a, h, e);
		if (ret != OD_OK)
			break;
		if (memcmp(h, a.hash, STORE_AUDIT_HASH_LEN) != 0) {
			verdict(v, STORE_AUDIT_EDITED, a.seq,
				"audit row %lld was edited: its content does not match its hash",
				(long long)a.seq);
			break;
		}
		memcpy(prev, h, sizeof(prev));
		*last = a.seq;
		v->rows++;
	}
	if (ret == OD_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_error(st, rc, e, "verifying the audit log");
	sqlite3_reset(s);
	memcpy(last_hash, prev, STORE_AUDIT_HASH_LEN);
	return ret;
}

static void head_check(struct store *st, struct store_audit_verdict *v, int64_t last,
		       const unsigned char *last_hash)
{
	char path[4200], text[160];
	int64_t seq;
	unsigned char h[STORE_AUDIT_HASH_LEN];

	store_audit_head_path(st, path, sizeof(path));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (last > 0)
			verdict(v, STORE_AUDIT_HEAD_MISSING, last,
				"the audit head file %s is missing: the end of the log cannot be checked",
				path);
		return;
	}
	bool ok = read_all(fd, text, sizeof(text)) > 0 && head_parse(text, &seq, h);
	close(fd);
	if (!ok) {
		verdict(v, STORE_AUDIT_HEAD_MISSING, last, "the audit head file %s is unreadable",
			path);
		return;
	}
	if (seq > last) {
		verdict(v, STORE_AUDIT_TRUNCATED, last + 1,
			"the audit log was truncated: it ends at row %lld but row %lld was written",
			(long long)last, (long long)seq);
		return;
	}
	if (seq == last && memcmp(h, last_hash, sizeof(h)) != 0) {
		verdict(v, STORE_AUDIT_EDITED, last,
			"the audit log's last row %lld is not the one that was written",
			(long long)last);
		return;
	}
	if (seq < last)
		verdict(v, STORE_AUDIT_HEAD_BEHIND, seq + 1,
			"audit rows after %lld are not anchored by the head file (a crash right after writing, or added rows)",
			(long long)seq);
}

enum od_status store_audit_verify(struct store *st, struct store_audit_verdict *v, struct err *e)
{
	unsigned char last_hash[STORE_AUDIT_HASH_LEN];
	int64_t last = 0;
	bool own = false;

	memset(v, 0, sizeof(*v));
	snprintf(v->detail, sizeof(v->detail), "the audit log is intact");
	/* One snapshot for the whole walk. */
	if (st->txn_depth == 0 && sqlite3_get_autocommit(st->db)) {
		enum od_status r = store_exec(st, "BEGIN", e, "verifying the audit log");
		if (r != OD_OK)
			return r;
		own = true;
	}
	enum od_status ret = chain_check(st, v, &last, last_hash, e);
	if (ret == OD_OK && v->problem == STORE_AUDIT_INTACT)
		head_check(st, v, last, last_hash);
	if (own)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (ret == OD_OK && v->problem == STORE_AUDIT_INTACT)
		snprintf(v->detail, sizeof(v->detail), "the audit log is intact (%lld rows)",
			 (long long)v->rows);
	return ret;
}
