/*
 * ui_describe.h: the describe view that Enter opens on a pod: containers,
 * their state and last state (OOMKilled, exit codes, signals), ready and
 * restarts, requests and limits, conditions, labels and owner, and the
 * pod's events from the Events pane's source, as
 * `kubectl describe pod` arranges them. The text comes from the client's
 * struct pod (pod.h); the pane shows it scrollable over the body.
 */
#ifndef OPSDECK_UI_DESCRIBE_H
#define OPSDECK_UI_DESCRIBE_H

#include <stdint.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/pod.h"
#include "opsdeck/ui_events.h"
#include "opsdeck/ui_pane.h"
#include "opsdeck/ui_podmodel.h"

#define DESCRIBE_TEXT_MAX (256 * 1024)

/* Writes the description of p at time now (Unix seconds) as lines into out. */
enum od_status describe_pod(const struct pod *p, int64_t now, struct buf *out, struct err *e);

/* Appends the events of pod ns/name in src (oldest first), or "Events:  <none>". */
enum od_status describe_pod_events(const struct event_source *src, const char *ns,
				   const char *name, int64_t now, struct buf *out, struct err *e);

/* The overlay pane. describe_open() hands it the text (copied). */
extern const struct pane_ops pane_describe_ops;
enum od_status describe_open(struct pane *p, const char *title, const char *text,
			     struct err *e);

#endif
