/*
 * ui_pane_events.h: the Events pane: the namespace's events, Warning first,
 * from the event source the app holds (the store's archive today, the live
 * watch later).
 */
#ifndef OPSDECK_UI_PANE_EVENTS_H
#define OPSDECK_UI_PANE_EVENTS_H

#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_events_ops;

#endif
