/*
 * linesplit.c: the capped incremental line splitter for log streams
 * (linesplit.h).
 */
#include <string.h>

#include "opsdeck/linesplit.h"

void line_splitter_init(struct line_splitter *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->cur, max ? max : LINESPLIT_DEFAULT_MAX);
}

void line_splitter_free(struct line_splitter *s)
{
	buf_free(&s->cur);
	s->skipping = false;
}

static enum od_status emit(struct line_splitter *s, bool truncated, line_cb cb, void *arg,
			   struct err *e)
{
	size_t len = s->cur.len;
	enum od_status rc;

	if (!truncated && len > 0 && s->cur.data[len - 1] == '\r')
		len--;
	if (s->cur.data)
		s->cur.data[len] = '\0';
	rc = cb(s->cur.data ? s->cur.data : "", len, truncated, arg, e);
	buf_reset(&s->cur);
	return rc;
}

enum od_status line_splitter_feed(struct line_splitter *s, const char *p, size_t n, line_cb cb,
				  void *arg, struct err *e)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		enum od_status rc = OD_OK;

		if (!s->skipping) {
			size_t room = s->cur.max - s->cur.len;
			if (take <= room) {
				rc = buf_append(&s->cur, p, take, e);
			} else {
				/* over the cap: hand over what fits, skip the rest of the line */
				rc = buf_append(&s->cur, p, room, e);
				if (rc == OD_OK)
					rc = emit(s, true, cb, arg, e);
				s->skipping = true;
			}
		}
		if (rc != OD_OK)
			return rc;
		if (!nl)
			return OD_OK;
		if (s->skipping)
			s->skipping = false;
		else if ((rc = emit(s, false, cb, arg, e)) != OD_OK)
			return rc;
		n -= take + 1;
		p = nl + 1;
	}
	return OD_OK;
}

enum od_status line_splitter_finish(struct line_splitter *s, line_cb cb, void *arg,
				    struct err *e)
{
	if (s->skipping || s->cur.len == 0) {
		s->skipping = false;
		return OD_OK;
	}
	return emit(s, false, cb, arg, e);
}
