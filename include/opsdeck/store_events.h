/*
 * store_events.h: the events archive. Kubernetes drops events after an
 * hour; the archive keeps one row per event uid, with its count and first
 * and last seen, for as long as the user wants.
 */
#ifndef OPSDECK_STORE_EVENTS_H
#define OPSDECK_STORE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* Strings borrowed; NULL means "". Times in seconds since the epoch. */
struct store_event {
	const char *uid;
	const char *context;
	const char *namespace;
	const char *type;         /* Normal, Warning */
	const char *reason;
	const char *message;
	const char *obj_kind;     /* involvedObject / regarding */
	const char *obj_name;
	const char *obj_labels;   /* the involved object's labels, "k=v" lines, if known */
	const char *source;       /* reporting component */
	int64_t count;
	int64_t first_seen;
	int64_t last_seen;
};

/* Longest message kept (longer ones are cut). */
#define STORE_EVENT_MESSAGE_MAX 4096

/*
 * Inserts or updates by uid: count and last_seen only grow, first_seen only
 * shrinks, the message is the newest. n events in one transaction.
 */
enum od_status store_events_upsert(struct store *st, const struct store_event *ev, size_t n,
				   struct err *e);

/* Filters: NULL or 0 match anything. match, when set, is asked about each row. */
struct store_event_filter {
	const char *context;
	const char *namespace;
	const char *type;
	const char *obj_kind;
	const char *obj_name;
	int64_t since;            /* last_seen >= since */
	bool (*match)(void *arg, const struct store_event *ev);
	void *match_arg;
};

/* Called per event, oldest last_seen first; non-zero stops. Strings borrowed. */
typedef int (*store_event_fn)(void *arg, const struct store_event *ev);

enum od_status store_events_list(struct store *st, const struct store_event_filter *f,
				 store_event_fn fn, void *arg, struct err *e);

/*
 * The value of label key in ev->obj_labels, copied to buf; NULL when absent.
 * Shaped to serve as a selector_lookup_fn with a small adapter.
 */
const char *store_event_label(const struct store_event *ev, const char *key, char *buf,
			      size_t n);

/* Drops events last seen before `before`; *n (may be NULL) gets the count. */
enum od_status store_events_prune(struct store *st, int64_t before, int64_t *n, struct err *e);

#endif
