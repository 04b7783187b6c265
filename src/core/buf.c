/*
 * buf.c: growable, capped, always NUL-terminated byte buffers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/buf.h"

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Makes room for extra more bytes plus the NUL, growing geometrically. */
static enum od_status buf_reserve(struct buf *b, size_t extra, struct err *e)
{
	if (extra > b->max || b->len > b->max - extra)
		return err_set(e, OD_ELIMIT, "data exceeds the %zu-byte limit", b->max);
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return OD_OK;
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	char *p = realloc(b->data, ncap);
	if (!p)
		return err_set(e, OD_ENOMEM, "out of memory growing a buffer to %zu bytes", ncap);
	b->data = p;
	b->cap = ncap;
	return OD_OK;
}

enum od_status buf_append(struct buf *b, const void *p, size_t n, struct err *e)
{
	enum od_status rc = buf_reserve(b, n, e);
	if (rc != OD_OK)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return OD_OK;
}

enum od_status buf_append_str(struct buf *b, const char *s, struct err *e)
{
	return buf_append(b, s, strlen(s), e);
}

enum od_status buf_printf(struct buf *b, struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err_set(e, OD_EINVAL, "bad format string");
	enum od_status rc = buf_reserve(b, (size_t)n, e);
	if (rc != OD_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return OD_OK;
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
