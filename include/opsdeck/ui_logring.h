/*
 * ui_logring.h: the Logs pane's buffer. Lines are kept in arrival order; the
 * newest LOGRING_DEFAULT_LINES sit in memory, and older ones are spilled to
 * an unlinked temp file (mode 0600) so scroll-back has no cap while memory
 * stays bounded. Every line keeps its source (the pod it came from) and a
 * global sequence number, so order per pod is the order of arrival.
 *
 * Single-threaded: the event loop appends, the pane reads.
 */
#ifndef OPSDECK_UI_LOGRING_H
#define OPSDECK_UI_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

#define LOGRING_DEFAULT_LINES 100000
/* A line longer than this is cut (the splitter caps streams at 1 MiB; the ring keeps less). */
#define LOGRING_LINE_MAX (64 * 1024)
/* The spill file: one sparse index entry per this many lines keeps its index small. */
#define LOGRING_SPILL_STRIDE 256

enum logline_flag {
	LOGLINE_ERROR = 1 << 0,     /* matched an error pattern */
	LOGLINE_WARNING = 1 << 1,   /* matched a warning pattern */
	LOGLINE_TRUNCATED = 1 << 2, /* cut at the cap */
	LOGLINE_PREVIOUS = 1 << 3,  /* from the previous container */
	LOGLINE_MARK = 1 << 4       /* a note from opsdeck ("--- stream ended ---") */
};

/* A line as read back; text is borrowed from the ring until the next call. */
struct logline {
	uint64_t seq;        /* 0-based position in arrival order */
	uint16_t src;        /* the caller's source id (a pod) */
	uint8_t flags;       /* enum logline_flag */
	const char *text;    /* NUL-terminated */
	size_t len;
};

struct logring;

/* capacity 0: LOGRING_DEFAULT_LINES. tmpdir NULL: $TMPDIR or /tmp. *out owned: logring_free. */
enum od_status logring_new(struct logring **out, size_t capacity, const char *tmpdir,
			   struct err *e);
void logring_free(struct logring **r);

/* Appends one line (copied). Spills the oldest in-memory line when full. */
enum od_status logring_append(struct logring *r, uint16_t src, uint8_t flags, const char *text,
			      size_t len, struct err *e);

/* Lines ever appended (in memory and spilled). */
uint64_t logring_count(const struct logring *r);
/* Lines spilled to the file. */
uint64_t logring_spilled(const struct logring *r);
/* Lines held in memory now (never above the capacity). */
size_t logring_in_memory(const struct logring *r);
/* Bytes of line text held in memory now. */
size_t logring_memory_bytes(const struct logring *r);

/* Reads line seq (0 <= seq < count) into *out; from the file when spilled. */
enum od_status logring_get(struct logring *r, uint64_t seq, struct logline *out, struct err *e);

/* Drops every line (the file is truncated). */
void logring_clear(struct logring *r);

#endif
