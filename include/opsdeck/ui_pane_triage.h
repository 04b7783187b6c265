/*
 * ui_pane_triage.h: the Triage view (`!`): everything unhealthy across the
 * watched namespaces, worst first, each row with why and since when. It is
 * judged by the triage module's rules (triage.h), the same as `opsdeck
 * triage`, from the dashboard's own model: the pods of the pod source (the
 * live informer cache), Warning bursts in the event source, failing
 * checklist items in the history store, Deployments and StatefulSets the
 * live side LISTs every TRIAGE_WORKLOADS_POLL_S while the view is shown
 * (pane_triage_set_workloads), and the firing alerts of the Alerts view's
 * Alertmanager client (app_opts.alerts_triage; silenced ones left out), which
 * keeps fetching in the loop while Triage is shown. It recalculates when the
 * pods, events, workloads or alerts change, and reads the store at most
 * every TRIAGE_STORE_POLL_S.
 *
 * Enter focuses the dashboard on the selected row: the pod selected in
 * Pods, its Logs (the previous container for a crashloop or an OOM kill),
 * its events in Events, and Trends around the moment it started.
 */
#ifndef OPSDECK_UI_PANE_TRIAGE_H
#define OPSDECK_UI_PANE_TRIAGE_H

#include <stddef.h>

#include "opsdeck/triage.h"
#include "opsdeck/ui_pane.h"

#define TRIAGE_STORE_POLL_S 10
#define TRIAGE_WORKLOADS_POLL_S 12

extern const struct pane_ops pane_triage_ops;

/* Findings listed now, and the one selected (borrowed until the next recalc; NULL: none). */
size_t pane_triage_count(struct pane *p);
const struct triage_finding *pane_triage_selected(struct pane *p);

/* Reads the checklist rows from path instead of the default history store (copied). */
void pane_triage_set_db(struct pane *p, const char *path);

/*
 * Replaces the findings about workloads of kind ("Deployment", "StatefulSet")
 * with those of list (a LIST answer, a cJSON *; borrowed, read at once)
 * through the triage rules. kind NULL forgets every workload (a new target).
 */
void pane_triage_set_workloads(struct pane *p, const char *kind, const void *list);

/*
 * Enter: points the dashboard's panes at the selected finding and focuses
 * the one that explains it best (Logs for a pod). Returns false when
 * nothing is selected.
 */
bool pane_triage_focus(struct pane *p);

#endif
