/*
 * alerts_incident.c: firing alerts into an incident's timeline (see
 * alerts_incident.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/alerts_incident.h"
#include "opsdeck/store_incidents.h"

enum od_status alerts_incident_add(struct store *st, int64_t incident_id, int64_t since,
				   int64_t until, const struct am_alerts *a, size_t *added,
				   struct err *e)
{
	char ref[128], labels[512], text[1024];
	enum od_status rc = OD_OK;

	if (added)
		*added = 0;
	for (size_t i = 0; rc == OD_OK && i < a->nalerts; i++) {
		const struct am_alert *al = &a->alerts[i];
		const char *what = al->summary[0] ? al->summary : al->description;
		struct store_timeline_entry t = { .incident_id = incident_id, .ts = al->starts_at,
						  .kind = STORE_TL_ALERT, .ref = ref, .text = text };
		bool fresh = false;

		if (!al->starts_at || al->starts_at < since || (until && al->starts_at > until))
			continue;
		snprintf(ref, sizeof(ref), "%s@%" PRId64, al->fingerprint, al->starts_at);
		am_alert_labels_text(al, labels, sizeof(labels));
		snprintf(text, sizeof(text), "%s firing (%s)%s%s [%s]%s", al->name,
			 al->severity[0] ? al->severity : "no severity", what[0] ? ": " : "", what,
			 labels, strcmp(al->state, "suppressed") == 0 ? " (silenced)" : "");
		rc = store_incident_timeline_add(st, &t, &fresh, e);
		if (rc == OD_OK && fresh && added)
			(*added)++;
	}
	return rc;
}
