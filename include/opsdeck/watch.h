/*
 * watch.h: watch streams, split and parsed incrementally.
 *
 * The API server writes one JSON object per event ({"type":..,"object":..}),
 * newline-terminated. Bytes arrive in arbitrary pieces, so the splitter
 * frames objects by tracking JSON nesting (strings and escapes included): an
 * object split across writes, CRLF or no newline at all all work the same.
 * Each framed object has a hard cap; a longer one fails the stream with
 * OD_ELIMIT rather than growing without bound.
 */
#ifndef OPSDECK_WATCH_H
#define OPSDECK_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

/* Default cap on one watch event (one framed object). */
#define WATCH_EVENT_MAX (16u * 1024u * 1024u)

/* Called once per complete object; text is NUL-terminated and borrowed. Non-OK stops the feed. */
typedef enum od_status (*watch_object_cb)(const char *text, size_t len, void *arg,
					   struct err *e);

struct watch_splitter {
	struct buf cur;        /* the object being framed; capped at max */
	int depth;             /* nesting depth inside the current object; 0 = between objects */
	bool in_string;
	bool escape;
	bool failed;           /* a previous feed failed: the stream is unusable */
	size_t offset;         /* bytes fed so far (for error messages) */
};

/* max 0 means WATCH_EVENT_MAX. */
void watch_splitter_init(struct watch_splitter *s, size_t max);
void watch_splitter_free(struct watch_splitter *s);

/*
 * Feeds n bytes; calls cb for every object they complete. Whitespace between
 * objects is skipped; anything else outside an object is OD_EPARSE, an
 * object over the cap is OD_ELIMIT. After an error the splitter refuses
 * further input.
 */
enum od_status watch_splitter_feed(struct watch_splitter *s, const char *p, size_t n,
				   watch_object_cb cb, void *arg, struct err *e);

/* At end of stream: OD_EPARSE if an object was cut off mid-way. */
enum od_status watch_splitter_finish(const struct watch_splitter *s, struct err *e);

enum watch_type {
	WATCH_ADDED,
	WATCH_MODIFIED,
	WATCH_DELETED,
	WATCH_BOOKMARK,
	WATCH_ERROR
};

/* One parsed event. */
struct watch_event {
	enum watch_type type;
	cJSON *root;                 /* owned: the whole event; free with watch_event_clear */
	const cJSON *object;         /* borrowed from root: the event's object */
	char resource_version[64];   /* object.metadata.resourceVersion, "" if none */
	/* WATCH_ERROR only: the Status inside */
	int code;
	char reason[64];
	char message[256];
	bool gone;                   /* 410 Gone / Expired: the caller must relist */
};

/*
 * Parses one framed object into ev (which the caller clears). Unknown types,
 * a missing object or a non-object are OD_EPARSE with a message naming them.
 */
enum od_status watch_event_parse(const char *text, size_t len, struct watch_event *ev,
				 struct err *e);
void watch_event_clear(struct watch_event *ev);

const char *watch_type_name(enum watch_type t);

#endif
