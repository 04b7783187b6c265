/*
 * informer.h: a watch cache feed for one resource type, as client-go's
 * reflector runs it:
 *   - LIST in pages (limit 500, continue tokens), each page parsed, handed
 *     over item by item and freed before the next page is fetched;
 *   - WATCH from the list's resourceVersion with allowWatchBookmarks and a
 *     timeoutSeconds drawn from 5-10 minutes;
 *   - when a watch ends, WATCH again from the last resourceVersion seen
 *     (events and bookmarks advance it) without relisting;
 *   - 410 Gone / Expired, as an HTTP status or an in-stream ERROR event,
 *     means that resourceVersion is too old: LIST again;
 *   - failures back off (backoff.h: 800 ms doubling to 30 s, jittered).
 * The informer keeps no objects: the consumer extracts what it needs (for
 * pods, pod_from_json into a compact struct) from each borrowed cJSON item.
 */
#ifndef OPSDECK_INFORMER_H
#define OPSDECK_INFORMER_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "opsdeck/api.h"
#include "opsdeck/err.h"
#include "opsdeck/http.h"
#include "opsdeck/watch.h"

#define INFORMER_PAGE_LIMIT 500
#define INFORMER_WATCH_MIN_S 300
#define INFORMER_WATCH_MAX_S 600

/* What the consumer does with the stream. arg is the one given to informer_new. */
struct informer_ops {
	/* A full LIST begins: mark everything held as not yet seen again. May be NULL. */
	void (*list_begin)(void *arg);
	/*
	 * One object: WATCH_ADDED for LIST items, else the watch event's type
	 * (never BOOKMARK or ERROR). obj is borrowed and freed after the call.
	 * An error is reported through on_error and the stream goes on.
	 */
	enum od_status (*on_object)(void *arg, enum watch_type type, const cJSON *obj,
				    struct err *e);
	/* The LIST completed: drop what was not seen again; the cache is in sync. May be NULL. */
	void (*list_end)(void *arg);
	/* A failure (the informer retries by itself): for "stale since" displays. May be NULL. */
	void (*on_error)(void *arg, const struct err *e);
};

struct informer_config {
	const struct api_resource *res;   /* static (api_resource_lookup) */
	const char *namespace_;           /* NULL or "": all namespaces; copied */
	const char *label_selector;       /* copied; may be NULL */
	const char *field_selector;       /* copied; may be NULL */
	long page_limit;                  /* 0: INFORMER_PAGE_LIMIT */
	unsigned watch_min_s, watch_max_s;/* 0: 300 and 600 */
	unsigned backoff_base_ms;         /* 0: BACKOFF_BASE_MS (tests make it short) */
};

/* Counters, for the status bar, the debug log and tests. */
struct informer_stats {
	unsigned lists;          /* full LISTs completed */
	unsigned pages;          /* LIST pages received */
	unsigned watches;        /* WATCH requests started */
	unsigned rewatches;      /* WATCHes resumed from a resourceVersion without a LIST */
	unsigned expired;        /* 410s that forced a LIST (HTTP or in-stream) */
	unsigned events;         /* watch events handed over (not bookmarks) */
	unsigned bookmarks;
	unsigned errors;         /* failures reported through on_error */
	bool synced;             /* a LIST has completed */
	char resource_version[64];
};

struct informer;   /* opaque; owned by whoever called informer_new */

/* http is borrowed and must outlive the informer; ops and arg are borrowed. */
enum od_status informer_new(struct http_client *http, const struct informer_config *cfg,
			    const struct informer_ops *ops, void *arg, struct informer **out,
			    struct err *e);

/* Starts the first LIST (requests run as the loop runs). */
enum od_status informer_start(struct informer *inf, struct err *e);

/* Cancels requests and timers; sets *inf = NULL. Not from the informer's own callbacks. */
void informer_free(struct informer **inf);

const struct informer_stats *informer_stats(const struct informer *inf);

#endif
