/*
 * ui_pane_note.h: panes whose data arrives with later issues (Trends, Logs,
 * Checklist, Nodes). Until then each says what will appear there.
 */
#ifndef OPSDECK_UI_PANE_NOTE_H
#define OPSDECK_UI_PANE_NOTE_H

#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_trends_ops;
extern const struct pane_ops pane_logs_ops;
extern const struct pane_ops pane_checklist_ops;
extern const struct pane_ops pane_nodes_ops;

#endif
