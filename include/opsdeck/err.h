/*
 * err.h: the one error idiom of opsdeck.
 *
 * Functions that can fail return an enum od_status and fill a caller-provided
 * struct err with a message in the user's terms. Cleanup goes through a single
 * `goto out`. The status list is one X-macro, so names and texts never drift.
 *
 *     enum od_status rc = quantity_parse(s, &q, &e);
 *     if (rc != OD_OK) { fprintf(stderr, "error: %s\n", e.msg); ... }
 */
#ifndef OPSDECK_ERR_H
#define OPSDECK_ERR_H

#include <stdarg.h>

#define OD_STATUS_LIST(X)                                   \
	X(OD_OK, "ok")                                          \
	X(OD_ENOMEM, "out of memory")                           \
	X(OD_EINVAL, "invalid argument")                        \
	X(OD_EPARSE, "malformed input")                         \
	X(OD_ERANGE, "value out of range")                      \
	X(OD_ELIMIT, "size limit exceeded")                     \
	X(OD_EIO, "input/output error")                         \
	X(OD_ENOENT, "not found")                               \
	X(OD_EEXIST, "already exists")                          \
	X(OD_EPERM, "permission denied")                        \
	X(OD_EUSAGE, "usage error")                             \
	X(OD_ECONFIG, "configuration error")                    \
	X(OD_ENET, "network error")                             \
	X(OD_EHTTP, "API error")                                \
	X(OD_ETIMEDOUT, "timed out")                            \
	X(OD_EAGAIN, "temporarily unavailable")                 \
	X(OD_EDB, "database error")                             \
	X(OD_ESTATE, "invalid state")                           \
	X(OD_EREFUSED, "refused")

#define OD_STATUS_ENUM_(name, text) name,
enum od_status { OD_STATUS_LIST(OD_STATUS_ENUM_) OD_STATUS_COUNT };
#undef OD_STATUS_ENUM_

/* Longest message kept; longer ones are cut with "...". */
#define ERR_MSG_MAX 512

struct err {
	enum od_status status;
	char msg[ERR_MSG_MAX];
};

/* Static strings: the enum's name ("OD_EPARSE") and its text ("malformed input"). */
const char *od_status_name(enum od_status s);
const char *od_status_text(enum od_status s);

/* Resets e to OD_OK with an empty message. e may be NULL. */
void err_clear(struct err *e);

/*
 * Records status s and a printf-style message in e (e may be NULL) and
 * returns s, so callers can write `return err_set(e, OD_EPARSE, ...)`.
 */
enum od_status err_set(struct err *e, enum od_status s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum od_status err_vset(struct err *e, enum od_status s, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Prepends context ("file.yaml:12: ") to e's message; keeps e's status. Returns it. */
enum od_status err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
