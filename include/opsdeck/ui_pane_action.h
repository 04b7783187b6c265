/*
 * ui_pane_action.h: the action overlay of the dashboard (`a` on a row, and
 * the direct keys). It shows the action menu (ui_actionmenu.h) for the
 * selected pod and its workload, asks what the action needs (replicas, grace
 * period, PVC, revision, names), then drives the guarded-action engine
 * (actions.h) one step at a time on the dashboard's loop: the plan, the
 * server's dry run, the confirmation (y/Enter; the name typed out in a
 * protected context or to scale to 0; a second question to force a
 * deletion), the apply, and the follow with a progress bar (ui_progress.h)
 * and a timeout. Esc stops following; the change stays applied.
 */
#ifndef OPSDECK_UI_PANE_ACTION_H
#define OPSDECK_UI_PANE_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/ui_actionmenu.h"
#include "opsdeck/ui_pane.h"

/* How long the overlay follows an action before it reports a timeout. */
#define PANE_ACTION_TIMEOUT_MS (5 * 60 * 1000)
#define PANE_ACTION_POLL_MS 500

extern const struct pane_ops pane_action_ops;

/*
 * Opens the overlay for the row selected in the Pods pane. item is
 * AM_ITEM_COUNT for the menu, or an item to start at once (a direct key).
 * Returns false, with a message on the bottom line, when there is no row.
 */
bool pane_action_open(struct pane *p, enum am_item item);

/* A key as curses delivered it, while the overlay is shown (typing needs raw keys). */
void pane_action_key(struct pane *p, int key);

/* What the bottom line says while the overlay is shown. */
void pane_action_hint(struct pane *p, char *out, size_t n);

#endif
