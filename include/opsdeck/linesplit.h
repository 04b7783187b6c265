/*
 * linesplit.h: an incremental line splitter for streamed text (logs -f).
 *
 * Bytes arrive in arbitrary pieces; complete lines come out one at a time
 * without their "\n" or "\r\n". A line longer than the cap is handed over
 * cut at the cap with truncated set, and the rest of it is skipped, so a
 * container that never prints a newline cannot make opsdeck grow.
 */
#ifndef OPSDECK_LINESPLIT_H
#define OPSDECK_LINESPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

#define LINESPLIT_DEFAULT_MAX (1u * 1024u * 1024u)

/* One line; text is NUL-terminated and borrowed. Non-OK stops the feed. */
typedef enum od_status (*line_cb)(const char *text, size_t len, bool truncated, void *arg,
				  struct err *e);

struct line_splitter {
	struct buf cur;      /* the current partial line, capped */
	bool skipping;       /* past the cap: drop bytes until the next newline */
};

/* max 0 means LINESPLIT_DEFAULT_MAX. */
void line_splitter_init(struct line_splitter *s, size_t max);
void line_splitter_free(struct line_splitter *s);

enum od_status line_splitter_feed(struct line_splitter *s, const char *p, size_t n, line_cb cb,
				  void *arg, struct err *e);

/* At end of stream: hands over a last line that had no newline. */
enum od_status line_splitter_finish(struct line_splitter *s, line_cb cb, void *arg,
				    struct err *e);

#endif
