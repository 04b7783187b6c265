/*
 * alerts_incident.h: firing alerts into an incident's timeline (kind
 * "alert"), one entry per alert start (reference: fingerprint and
 * startsAt, so adding again adds only what is new), at the alert's
 * startsAt, for alerts that started inside the incident's window.
 * Alertmanager keeps no history of resolved alerts: what is recorded is
 * what fires whenever this runs (`opsdeck incident export`).
 */
#ifndef OPSDECK_ALERTS_INCIDENT_H
#define OPSDECK_ALERTS_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/alerts.h"
#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* since/until: Unix seconds; until 0 while the incident is open. *added may be NULL. */
enum od_status alerts_incident_add(struct store *st, int64_t incident_id, int64_t since,
				   int64_t until, const struct am_alerts *a, size_t *added,
				   struct err *e);

#endif
