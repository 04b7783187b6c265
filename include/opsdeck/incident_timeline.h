/*
 * incident_timeline.h: an incident's timeline rebuilt from the history store
 * (pod transitions, events archive, audit log, checklist results) for its
 * window. `opsdeck incident export` calls it once; the console calls it
 * while an incident is open, so entries appear as the collector and the
 * actions write them. The store keeps one entry per (incident, kind,
 * reference): calling it again adds only what is new.
 */
#ifndef OPSDECK_INCIDENT_TIMELINE_H
#define OPSDECK_INCIDENT_TIMELINE_H

#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* How far before the start the rebuilt timeline looks: faults come before anyone notices. */
#define INCIDENT_LOOKBACK_S (60 * 60)

/* The incident and its window; strings borrowed, NULL or "" for any. */
struct incident_window {
	int64_t id;
	const char *context;
	const char *namespace_;
	int64_t started_at;
	int64_t resolved_at;       /* 0 while open: up to now */
};

enum od_status incident_timeline_rebuild(struct store *st, const struct incident_window *w,
					 struct err *e);

#endif
