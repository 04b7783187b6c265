/*
 * ui_pane_pods.h: the Pods pane: the pod table with kubectl's columns plus
 * usage, usage against requests and limits, and the owner workload.
 */
#ifndef OPSDECK_UI_PANE_PODS_H
#define OPSDECK_UI_PANE_PODS_H

#include <stddef.h>

#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_pods_ops;

/* Column titles in display order (borrowed statics); returns how many. */
size_t pane_pods_column_names(const char **out, size_t max);

/* Selects the pod ns/name (when it is shown) at the next recalc: the triage view's Enter. */
void pane_pods_select(struct pane *p, const char *ns, const char *name);

#endif
