/*
 * store_audit.h: the action audit log, hash-chained.
 *
 * Every plan, dry run, confirmation, refusal and result of a guarded action
 * is one row, written with synchronous=FULL. Row n's hash is SHA-256 over
 * row n-1's hash and every column of row n (seq included), so an edited row
 * breaks its own hash and a deleted one breaks the sequence and the next
 * row's link. The newest (seq, hash) is also written to a file next to the
 * database, "<db>.audit-head": a truncated tail (rows cut from the end, the
 * meta of the table rewritten to match) still disagrees with that file.
 * docs/store.md discusses what this does and does not protect against.
 */
#ifndef OPSDECK_STORE_AUDIT_H
#define OPSDECK_STORE_AUDIT_H

#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

#define STORE_AUDIT_HASH_LEN 32

/* Strings are borrowed (NULL means ""). On append, seq and hash are outputs. */
struct store_audit_entry {
	int64_t seq;
	int64_t ts_ms;            /* when it happened; 0: the wall clock at append */
	const char *action;       /* restart, delete, scale, snapshot, restore, rollback */
	const char *step;         /* plan, dry-run, confirm, refuse, apply, result */
	const char *os_user;
	const char *kube_user;
	const char *context;
	const char *namespace;
	const char *object;       /* kind/name */
	const char *before;
	const char *after;
	int http_status;          /* 0 when no request was made */
	int64_t duration_ms;
	const char *outcome;      /* ok, refused, failed, timeout, ... */
	const char *message;
	unsigned char hash[STORE_AUDIT_HASH_LEN];
};

/*
 * Appends *entry durably, then the head file; fills entry->seq and
 * entry->hash. An error with entry->seq set means the row is committed but
 * the head file could not be written (do not append the row again).
 * Each row commits alone: inside store_begin/store_commit it is refused
 * with OD_ESTATE.
 */
enum od_status store_audit_append(struct store *st, struct store_audit_entry *entry,
				  struct err *e);

/* Called per row, oldest first; strings borrowed for the call. Non-zero stops. */
typedef int (*store_audit_fn)(void *arg, const struct store_audit_entry *entry);

/* Rows with since_ms <= ts_ms < until_ms (until_ms 0: no upper bound). */
enum od_status store_audit_list(struct store *st, int64_t since_ms, int64_t until_ms,
				store_audit_fn fn, void *arg, struct err *e);

enum store_audit_problem {
	STORE_AUDIT_INTACT,
	STORE_AUDIT_EDITED,       /* a row's content does not match its hash or link */
	STORE_AUDIT_DELETED,      /* a sequence number is missing */
	STORE_AUDIT_TRUNCATED,    /* the head file names a row that is not there */
	STORE_AUDIT_HEAD_MISSING, /* rows exist but the head file does not */
	STORE_AUDIT_HEAD_BEHIND   /* rows past the head file (a crash right after a commit, or forged rows) */
};

struct store_audit_verdict {
	enum store_audit_problem problem;
	int64_t rows;             /* rows checked */
	int64_t seq;              /* where the problem is (0 when intact) */
	char detail[256];         /* a sentence for the user */
};

/* Checks the whole chain and the head file. OD_OK means the check ran; read v. */
enum od_status store_audit_verify(struct store *st, struct store_audit_verdict *v,
				  struct err *e);

/* The head file's path for st ("<db>.audit-head"). */
void store_audit_head_path(const struct store *st, char *out, size_t n);

#endif
