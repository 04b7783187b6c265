/*
 * buf.h: growable byte buffers with a hard size cap.
 *
 * Every buffer that the network or a file fills has a cap, so a hostile or
 * broken peer cannot make opsdeck grow without bound. The data is always
 * NUL-terminated (the NUL is not counted in len), so text can be read in place.
 */
#ifndef OPSDECK_BUF_H
#define OPSDECK_BUF_H

#include <stddef.h>

#include "opsdeck/err.h"

struct buf {
	char *data;   /* owned; NULL until the first append; data[len] == '\0' */
	size_t len;   /* bytes in use */
	size_t cap;   /* bytes allocated, including room for the NUL */
	size_t max;   /* hard cap on len; appends beyond it fail with OD_ELIMIT */
};

/* Initialises an empty buffer that may hold at most max bytes. Allocates nothing. */
void buf_init(struct buf *b, size_t max);

/* Frees the data and leaves b empty (re-usable with the same cap). */
void buf_free(struct buf *b);

/* Empties b and keeps its allocation. */
void buf_reset(struct buf *b);

/* Appends n bytes; OD_ELIMIT (and no change) if len + n would exceed max. */
enum od_status buf_append(struct buf *b, const void *p, size_t n, struct err *e);
enum od_status buf_append_str(struct buf *b, const char *s, struct err *e);
enum od_status buf_printf(struct buf *b, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Drops the first n bytes (all of them if n >= len). */
void buf_consume(struct buf *b, size_t n);

/* Returns the text, "" for an empty buffer. Borrowed: valid until b changes. */
const char *buf_cstr(const struct buf *b);

/* Hands the data to the caller (who frees it) and leaves b empty. Never NULL unless out of memory. */
char *buf_detach(struct buf *b, size_t *len);

#endif
