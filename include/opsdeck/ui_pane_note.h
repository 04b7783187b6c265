/*
 * ui_pane_note.h: panes whose data arrives with later issues (today the
 * Checklist pane). Until then each says what will appear there.
 */
#ifndef OPSDECK_UI_PANE_NOTE_H
#define OPSDECK_UI_PANE_NOTE_H

#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_checklist_ops;

#endif
