/*
 * store_incidents.h: incidents and their timelines. A timeline entry has a
 * kind and a reference (an event uid, an audit seq, ...) that makes it
 * unique, so rebuilding the timeline from the store and the live console
 * adding the same thing never duplicate it.
 */
#ifndef OPSDECK_STORE_INCIDENTS_H
#define OPSDECK_STORE_INCIDENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* The runbooks' severity levels. */
enum store_severity { STORE_SEV_P0, STORE_SEV_P1, STORE_SEV_P2, STORE_SEV_P3, STORE_SEV_COUNT };

enum store_timeline_kind {
	STORE_TL_NOTE,
	STORE_TL_TRANSITION,
	STORE_TL_EVENT,
	STORE_TL_ACTION,
	STORE_TL_THRESHOLD,
	STORE_TL_ALERT,
	STORE_TL_CHECKLIST,
	STORE_TL_COUNT
};

const char *store_severity_name(enum store_severity s);       /* "P0" ... */
bool store_severity_parse(const char *s, enum store_severity *out);
const char *store_timeline_kind_name(enum store_timeline_kind k);

/* Strings borrowed; NULL means "". resolved_at 0 while open. */
struct store_incident {
	int64_t id;
	const char *title;
	enum store_severity severity;
	const char *context;
	const char *namespace;
	int64_t started_at;
	int64_t detected_at;
	int64_t resolved_at;
	const char *resolution;
};

struct store_timeline_entry {
	int64_t id;
	int64_t incident_id;
	int64_t ts;
	enum store_timeline_kind kind;
	const char *ref;          /* dedup key within (incident, kind); "" for notes */
	const char *text;
};

/* Opens an incident (title, severity, context, namespace, started_at, detected_at used). */
enum od_status store_incident_start(struct store *st, const struct store_incident *inc,
				    int64_t *id, struct err *e);

/* The newest open incident; OD_ENOENT when none is open. */
enum od_status store_incident_find_open(struct store *st, int64_t *id, struct err *e);

/* Closes id; OD_ESTATE when it is already closed, OD_ENOENT when absent. */
enum od_status store_incident_close(struct store *st, int64_t id, int64_t resolved_at,
				    const char *resolution, struct err *e);

typedef int (*store_incident_fn)(void *arg, const struct store_incident *inc);
typedef int (*store_timeline_fn)(void *arg, const struct store_timeline_entry *t);

enum od_status store_incident_get(struct store *st, int64_t id, store_incident_fn fn, void *arg,
				  struct err *e);

/* Every incident, newest first. */
enum od_status store_incidents_list(struct store *st, store_incident_fn fn, void *arg,
				    struct err *e);

/*
 * Adds an entry unless (incident, kind, ref) is already there (*added says);
 * notes (empty ref) are always added. added may be NULL.
 */
enum od_status store_incident_timeline_add(struct store *st, const struct store_timeline_entry *t,
					   bool *added, struct err *e);

/* The timeline in time order. */
enum od_status store_incident_timeline_list(struct store *st, int64_t incident_id,
					    store_timeline_fn fn, void *arg, struct err *e);

#endif
