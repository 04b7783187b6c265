/*
 * ui_pane_alerts.h: the Alerts view (`A`), an overlay like Triage: the
 * firing alerts of the context's Alertmanager (config.yaml `alertmanager`),
 * critical first, each row with severity, name, state, age and summary; the
 * selected alert's labels, description and the silences that cover it
 * below the list. Fetched through amclient.h in the app's loop (never
 * blocking the UI) when the view opens and every ALERTS_POLL_S while it is
 * shown; the last answer stays on screen, marked stale, when a fetch fails.
 */
#ifndef OPSDECK_UI_PANE_ALERTS_H
#define OPSDECK_UI_PANE_ALERTS_H

#include <stddef.h>

#include "opsdeck/alerts.h"
#include "opsdeck/triage.h"
#include "opsdeck/ui_pane.h"

#define ALERTS_POLL_S 10

extern const struct pane_ops pane_alerts_ops;

/* Alerts listed now, and the one selected (borrowed until the next answer; NULL: none). */
size_t pane_alerts_count(struct pane *p);
const struct am_alert *pane_alerts_selected(struct pane *p);

/*
 * The last answer's firing alerts as triage findings (alerts_triage.h, as
 * `opsdeck triage` words them; silenced ones left out): app_opts.alerts_triage.
 */
void pane_alerts_triage(struct pane *p, struct triage *t);

#endif
