/*
 * ui_incident.h: incident mode in the console.
 *
 *   I  opens an incident: a title, then a severity P0..P3 (the runbooks'
 *      levels), asked on the bottom line; the store records it as
 *      `opsdeck incident start` would (context and namespace shown now);
 *   n  adds an operator note to the open incident;
 *   E  collects the evidence: `opsdeck incident evidence --id N` runs as a
 *      child process watched from the loop (the UI never waits), and the
 *      bottom line says where it wrote when it exits.
 *
 * While an incident is open (one started here, or found open in the store
 * at start) the status bar shows its clock, and every INCIDENT_RECORD_MS the
 * console brings its timeline up to date: the store's rebuild
 * (incident_timeline.h: pod transitions and Warning events as the collector
 * writes them, every action of the audit log, checklist results; the store
 * deduplicates by reference) plus what only the running console sees:
 * memory and CPU crossing INCIDENT_THRESHOLD_PCT of a pod's limits.
 */
#ifndef OPSDECK_UI_INCIDENT_H
#define OPSDECK_UI_INCIDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/ui_keymap.h"

#define INCIDENT_RECORD_MS 3000
#define INCIDENT_THRESHOLD_PCT 90

struct app;
struct incident_ui;   /* opaque; owned by the app */

/* app is borrowed and must outlive it; db_path NULL: the default history store. */
enum od_status incident_ui_new(struct app *app, const char *db_path, struct incident_ui **out,
			       struct err *e);
void incident_ui_free(struct incident_ui **iu);

/* Handles incident-start, incident-note and incident-evidence; false for other actions. */
bool incident_ui_action(struct incident_ui *iu, enum action a);

/* The open incident's id (0 when none). */
int64_t incident_ui_open_id(const struct incident_ui *iu);

/* Brings the open incident's timeline up to date now (what the timer does). */
void incident_ui_record(struct incident_ui *iu);

#endif
