/*
 * alerts_triage.c: firing alerts as triage findings (see alerts_triage.h).
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/alerts_triage.h"

static enum triage_rank rank_of(const char *severity)
{
	if (strcmp(severity, "critical") == 0)
		return TRIAGE_CRITICAL;
	if (strcmp(severity, "warning") == 0)
		return TRIAGE_MEDIUM;
	return TRIAGE_LOW;
}

void alerts_triage_add(struct triage *t, const struct am_alerts *a)
{
	char labels[384];

	for (size_t i = 0; i < a->nalerts; i++) {
		const struct am_alert *al = &a->alerts[i];
		const char *ns = am_alert_label(al, "namespace");
		const char *text = al->summary[0] ? al->summary : al->description;
		struct triage_finding *f;

		if (strcmp(al->state, "suppressed") == 0)
			continue;
		if (t->n >= TRIAGE_MAX) {
			t->dropped++;
			continue;
		}
		f = &t->f[t->n++];
		memset(f, 0, sizeof(*f));
		f->rank = rank_of(al->severity);
		f->cause = TRIAGE_CAUSE_OTHER;
		snprintf(f->kind, sizeof(f->kind), "Alert");
		snprintf(f->namespace_, sizeof(f->namespace_), "%s", ns ? ns : "");
		snprintf(f->name, sizeof(f->name), "%s", al->name[0] ? al->name : "?");
		am_alert_labels_text(al, labels, sizeof(labels));
		snprintf(f->why, sizeof(f->why), "firing (%s)%s%s [%s]",
			 al->severity[0] ? al->severity : "no severity", text[0] ? ": " : "", text,
			 labels);
		/* One row per finding: the why never breaks a table or a line. */
		for (char *p = f->why; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		f->since = al->starts_at;
	}
}
