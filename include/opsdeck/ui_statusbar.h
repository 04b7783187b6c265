/*
 * ui_statusbar.h: the top line. Its fields come from a model struct filled
 * by whoever knows them (kubeconfig, the API client, the store, the
 * checklist scheduler); a field that is not known is left out, never guessed.
 */
#ifndef OPSDECK_UI_STATUSBAR_H
#define OPSDECK_UI_STATUSBAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/ui_draw.h"

struct status_model {
	char context[128];      /* "" when unknown */
	char namespace_[128];   /* "" when unknown; "*" for all namespaces */
	char profile[64];
	int rtt_ms;             /* API round trip; -1 when unknown */
	int64_t stale_since;    /* Unix seconds when the API was last reached; 0 = not stale */
	bool read_only;
	int checks_due;         /* checklist items due; 0 hides the badge */
	int checks_overdue;
	char checklist_badges[160]; /* "daily done 08:12 by alice  weekly due"; "" hides it */
	int64_t incident_start; /* Unix seconds; 0 = no incident open */
	int64_t incident_id;    /* shown as "INC#3 P1 00:12:31" when > 0 */
	char incident_severity[4];  /* "P0".."P3"; "" when unknown */
	char source[32];        /* where the rows come from when not live ("replay") */
};

void status_model_init(struct status_model *m);

/*
 * Writes the status bar text segments for time now into out (plain text,
 * segments separated by two blanks); used for drawing and to tell whether
 * the bar changed at all.
 */
void statusbar_format(const struct status_model *m, int64_t now, char *out, size_t n);

/* Paints the bar on the canvas (one row). */
void statusbar_draw(const struct status_model *m, int64_t now, const struct canvas *c);

#endif
