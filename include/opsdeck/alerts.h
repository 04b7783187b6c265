/*
 * alerts.h: Alertmanager's API v2 answers as opsdeck holds them. Parses
 * GET /api/v2/alerts and GET /api/v2/silences, works out which silences
 * cover each alert (its silencedBy, or an active silence whose matchers all
 * match its labels), and prints the list as a table or JSON for
 * `opsdeck alerts`, the Alerts pane, triage and the incident timeline.
 *
 * Ownership: a struct am_alerts owns every string and array in it; free with
 * am_alerts_clear. Parsers never keep the input text.
 */
#ifndef OPSDECK_ALERTS_H
#define OPSDECK_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

/* Cap on one Alertmanager answer (10,000 alerts of 800 bytes fit). */
#define AM_BODY_MAX (16u * 1024u * 1024u)
/* Caps on what one answer may hold. */
#define AM_MAX_ALERTS 100000u
#define AM_MAX_LABELS 64u

struct am_label {
	char *name;    /* owned */
	char *value;   /* owned */
};

struct am_matcher {
	char *name;    /* owned */
	char *value;   /* owned */
	bool is_regex;
	bool is_equal; /* false: != or !~ */
};

struct am_silence {
	char *id;           /* owned */
	char *state;        /* owned: "active", "pending" or "expired" */
	char *created_by;   /* owned; may be "" */
	char *comment;      /* owned; may be "" */
	int64_t starts_at;  /* Unix seconds */
	int64_t ends_at;
	struct am_matcher *matchers;   /* owned, nmatchers entries */
	size_t nmatchers;
};

struct am_alert {
	char *name;          /* owned: the alertname label, or "" */
	char *severity;      /* owned: the severity label, or "" */
	char *state;         /* owned: "active", "suppressed" or "unprocessed" */
	char *summary;       /* owned: annotation, or "" */
	char *description;   /* owned: annotation, or "" */
	char *fingerprint;   /* owned */
	int64_t starts_at;   /* Unix seconds */
	struct am_label *labels;   /* owned, sorted by name */
	size_t nlabels;
	char **silenced_by;  /* owned: silence ids from status.silencedBy */
	size_t nsilenced_by;
};

struct am_alerts {
	struct am_alert *alerts;       /* owned, nalerts */
	size_t nalerts;
	struct am_silence *silences;   /* owned, nsilences */
	size_t nsilences;
};

/* url without any user:password@ part, for messages and the screen. */
void am_url_display(const char *url, char *out, size_t n);

/* Parses a /api/v2/alerts answer into a->alerts (replacing them), sorted:
 * critical first, then warning, then the rest; older first within each. */
enum od_status am_alerts_parse(const char *json, size_t len, struct am_alerts *a, struct err *e);

/* Parses a /api/v2/silences answer into a->silences (replacing them). */
enum od_status am_silences_parse(const char *json, size_t len, struct am_alerts *a,
				 struct err *e);

/* Frees everything in a and zeroes it. */
void am_alerts_clear(struct am_alerts *a);

/* The value of label name, or NULL (borrowed from al). */
const char *am_alert_label(const struct am_alert *al, const char *name);

/* Whether silence s covers alert al: al lists it in silencedBy, or s is
 * active and every matcher matches al's labels. */
bool am_silence_covers(const struct am_silence *s, const struct am_alert *al);

/* "name=value, ..." of al's labels except alertname, into out (truncated). */
void am_alert_labels_text(const struct am_alert *al, char *out, size_t n);

/* "ID (by WHO, until TIME: COMMENT); ..." of the silences covering al, or "". */
void am_alert_silences_text(const struct am_alerts *a, const struct am_alert *al, char *out,
			    size_t n);

/* The table of `opsdeck alerts`: NAME SEVERITY STATE AGE LABELS SUMMARY,
 * then each alert's description and covering silences indented below.
 * now: Unix seconds for ages. */
enum od_status am_alerts_table(const struct am_alerts *a, int64_t now, struct buf *out,
			       struct err *e);

/* A JSON array: name, severity, state, startsAt, age, labels, summary,
 * description, fingerprint, silences (id, createdBy, comment, endsAt). */
enum od_status am_alerts_json(const struct am_alerts *a, int64_t now, struct buf *out,
			      struct err *e);

#endif
