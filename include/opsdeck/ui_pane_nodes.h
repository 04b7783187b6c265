/* ui_pane_nodes.h: the Nodes pane (rows from the app's node_source). */
#ifndef OPSDECK_UI_PANE_NODES_H
#define OPSDECK_UI_PANE_NODES_H

#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_nodes_ops;

#endif
