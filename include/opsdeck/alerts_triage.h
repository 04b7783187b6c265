/*
 * alerts_triage.h: firing alerts as triage findings (kind "Alert", named by
 * alertname, in the alert's namespace label): critical alerts rank
 * critical, warning alerts medium, others low; suppressed (silenced or
 * inhibited) alerts are left out. The why holds the severity, the summary
 * (or the description) and the labels; since is the alert's startsAt.
 */
#ifndef OPSDECK_ALERTS_TRIAGE_H
#define OPSDECK_ALERTS_TRIAGE_H

#include "opsdeck/alerts.h"
#include "opsdeck/triage.h"

/* Adds a's active alerts to t (past TRIAGE_MAX they count in t->dropped). */
void alerts_triage_add(struct triage *t, const struct am_alerts *a);

#endif
