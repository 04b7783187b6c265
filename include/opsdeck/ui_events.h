/*
 * ui_events.h: what the Events pane shows, and where it comes from. As with
 * pods, struct event_view is a view model (one row, values reduced to what is
 * shown and sorted) and the pane reads rows only through struct
 * event_source: the live watch, the store's events archive or a test.
 */
#ifndef OPSDECK_UI_EVENTS_H
#define OPSDECK_UI_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

#define EVENTVIEW_MESSAGE_MAX 512

struct event_view {
	char namespace_[64];
	char type[16];          /* Normal, Warning */
	char reason[64];
	char object[160];       /* "Pod/synapse-0" */
	char message[EVENTVIEW_MESSAGE_MAX];
	int64_t count;
	int64_t last_seen;      /* Unix seconds */
};

struct event_source_ops {
	const char *kind;       /* "live", "store", "test" */
	size_t (*count)(void *self);
	const struct event_view *(*row)(void *self, size_t i);
	uint64_t (*generation)(void *self);
};

struct event_source {
	const struct event_source_ops *ops;
	void *self;
};

/* Rows held in memory (copied), for the store archive and for tests. */
struct eventview_array;
enum od_status eventview_array_new(struct eventview_array **out, struct err *e);
void eventview_array_free(struct eventview_array **ea);
enum od_status eventview_array_add(struct eventview_array *ea, const struct event_view *v,
				   struct err *e);
struct event_source eventview_array_source(struct eventview_array *ea);

/* Appends the archived events of context last seen at or after since. */
enum od_status eventview_load_store(struct eventview_array *ea, struct store *st,
				    const char *context, int64_t since, struct err *e);

#endif
