/*
 * ui_podstate.h: the Pods pane's rows in the store's last-known state, so the
 * dashboard paints at once on start and whenever the API is unreachable.
 * Rows are kept as kind "pod" with the tab-separated form of ui_podmodel.h.
 */
#ifndef OPSDECK_UI_PODSTATE_H
#define OPSDECK_UI_PODSTATE_H

#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"
#include "opsdeck/ui_podmodel.h"

/* Replaces context's saved pod rows with what src holds now (saved_at: Unix seconds). */
enum od_status podstate_save(struct store *st, const char *context, int64_t saved_at,
			     const struct pod_source *src, struct err *e);

/*
 * Appends context's saved pod rows to pa; *saved_at is 0 when nothing was
 * saved. Rows that no longer parse are skipped (the format may have grown).
 */
enum od_status podstate_load(struct store *st, const char *context, struct podview_array *pa,
			     int64_t *saved_at, struct err *e);

#endif
