/*
 * ui_pane_trends.h: the Trends pane. CPU, memory, restarts and PVC usage of
 * the selected pod, of its workload (sum, with each pod's avg/max), or of a
 * PVC, over 1h, 6h, 24h, 7d or 30d read from the history store (the store
 * picks the tier). The profile's expected range is a band; restarts,
 * actions (audit) and Warning events are marked on the time axis; storage
 * gets a linear forecast. The store is polled every TRENDS_POLL_S seconds
 * while the window ends now, so live ticks appear as the collector writes.
 */
#ifndef OPSDECK_UI_PANE_TRENDS_H
#define OPSDECK_UI_PANE_TRENDS_H

#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/ui_pane.h"

#define TRENDS_POLL_S 2

/* The pane's ops (pane_trends_ops in pane_note.c is the placeholder it replaces). */
extern const struct pane_ops trends_pane_ops;

enum trends_mode { TRENDS_MODE_POD, TRENDS_MODE_WORKLOAD, TRENDS_MODE_PVC, TRENDS_MODE_COUNT };

/* Reads history from path instead of the default database (borrowed, copied). */
void trends_pane_set_db(struct pane *p, const char *path);

/*
 * Shows a target chosen by name rather than the Pods pane's selection:
 * mode, namespace and object (a pod, "Deployment/web", or a PVC name).
 * NULL ns/object go back to following the selection.
 */
void trends_pane_set_target(struct pane *p, enum trends_mode mode, const char *ns,
			    const char *object);

/* The window ends at t (Unix seconds); 0 goes back to live. */
void trends_pane_set_time(struct pane *p, int64_t t);

/*
 * `:history TIME`: TIME is RFC 3339, Unix seconds, "-2h"/"-3d" (ago) or
 * "now". Shaped like a ui_command run function, so the command table can
 * point at it; the Trends pane is app->panes[1].
 */
enum od_status trends_command_history(struct app *app, const char *arg, struct err *e);

/* Parses a :history TIME relative to now; false when it is not a time. */
bool trends_parse_time(const char *s, int64_t now, int64_t *out);

#endif
