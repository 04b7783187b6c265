/*
 * cmd_handoff.c: `opsdeck handoff [--since 12h] [--out FILE]` — what changed
 * during a shift, for the next one, in Markdown, from the history store
 * alone: incidents, restarts (pod transitions), new Warning events, actions
 * (the audit log) and the status of each checklist's latest run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/clikube.h"
#include "opsdeck/clistore.h"
#include "opsdeck/duration.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_incidents.h"
#include "opsdeck/store_pods.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/timeutil.h"

int cmd_handoff(const struct global_opts *g, int argc, char **argv);

#define HANDOFF_PODS_MAX 1024

struct handoff {
	FILE *f;
	int64_t since;
	size_t n;                  /* rows in the current section */
};

static void fmt_ts(int64_t sec, char *out, size_t n)
{
	struct od_time t = { .sec = sec };

	if (sec <= 0)
		snprintf(out, n, "-");
	else
		time_format_rfc3339(t, out, n);
}

static void none_if_empty(struct handoff *h)
{
	if (h->n == 0)
		fprintf(h->f, "- none\n");
	fprintf(h->f, "\n");
	h->n = 0;
}

static int ho_incident(void *arg, const struct store_incident *inc)
{
	struct handoff *h = arg;
	char s[40], r[40];

	/* Open ones always; closed ones when they ended during the window. */
	if (inc->resolved_at && inc->resolved_at < h->since)
		return 0;
	fmt_ts(inc->started_at, s, sizeof(s));
	fmt_ts(inc->resolved_at, r, sizeof(r));
	fprintf(h->f, "- #%" PRId64 " %s %s — %s, started %s%s%s%s%s\n", inc->id,
		store_severity_name(inc->severity), inc->title ? inc->title : "",
		inc->resolved_at ? "closed" : "OPEN", s, inc->resolved_at ? ", resolved " : "",
		inc->resolved_at ? r : "", inc->resolution && inc->resolution[0] ? ": " : "",
		inc->resolution ? inc->resolution : "");
	h->n++;
	return 0;
}

/* Restarts per pod: the count at the first and last transition seen in the window. */
struct pod_restarts {
	char key[512];
	int64_t first, last;
	char reason[128];
};

struct restarts {
	struct pod_restarts *p;    /* owned */
	size_t n;
	int64_t since;
};

static int ho_transition(void *arg, const struct store_pod_state *s)
{
	struct restarts *r = arg;
	char key[512];
	size_t i;

	snprintf(key, sizeof(key), "%s/%s", s->namespace ? s->namespace : "", s->pod ? s->pod : "");
	for (i = 0; i < r->n; i++)
		if (strcmp(r->p[i].key, key) == 0)
			break;
	if (i == r->n) {
		if (r->n >= HANDOFF_PODS_MAX)
			return 0;
		snprintf(r->p[i].key, sizeof(r->p[i].key), "%s", key);
		r->p[i].first = s->restarts;
		r->n++;
	}
	r->p[i].last = s->restarts;
	if (s->ts < r->since)
		r->p[i].first = s->restarts;   /* the count when the shift began */
	else if (s->reason && s->reason[0])
		snprintf(r->p[i].reason, sizeof(r->p[i].reason), "%s", s->reason);
	return 0;
}

static int ho_event(void *arg, const struct store_event *ev)
{
	struct handoff *h = arg;
	char ts[40];

	if (ev->first_seen < h->since)
		return 0;   /* new ones only: older ones were the previous shift's news */
	fmt_ts(ev->last_seen, ts, sizeof(ts));
	fprintf(h->f, "- %s %s %s/%s %s (x%" PRId64 "): %.300s\n", ts,
		ev->namespace ? ev->namespace : "", ev->obj_kind ? ev->obj_kind : "",
		ev->obj_name ? ev->obj_name : "", ev->reason ? ev->reason : "", ev->count,
		ev->message ? ev->message : "");
	h->n++;
	return 0;
}

static int ho_audit(void *arg, const struct store_audit_entry *a)
{
	struct handoff *h = arg;
	char ts[40];
	const char *step = a->step ? a->step : "";

	if (strcmp(step, "result") != 0 && strcmp(step, "apply") != 0 &&
	    strcmp(step, "refuse") != 0)
		return 0;
	fmt_ts(a->ts_ms / 1000, ts, sizeof(ts));
	fprintf(h->f, "- %s %s %s %s/%s: %s (%s)\n", ts, a->action ? a->action : "", step,
		a->namespace ? a->namespace : "", a->object ? a->object : "",
		a->outcome ? a->outcome : "", a->os_user ? a->os_user : "");
	h->n++;
	return 0;
}

/* The newest run of each checklist, then its item counts. */
struct runs_seen {
	int64_t id[64];
	char name[64][256];
	int64_t finished[64];
	size_t n;
};

static int ho_run(void *arg, const struct store_run *run)
{
	struct runs_seen *r = arg;
	char key[256];

	snprintf(key, sizeof(key), "%s/%s", run->profile ? run->profile : "",
		 run->checklist ? run->checklist : "");
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], key) == 0)
			return 0;
	if (r->n >= 64)
		return 1;
	snprintf(r->name[r->n], sizeof(r->name[0]), "%s", key);
	r->finished[r->n] = run->finished_at;
	r->id[r->n++] = run->id;
	return 0;
}

static int ho_item(void *arg, const struct store_run_item *it)
{
	int *counts = arg;

	counts[it->result]++;
	return 0;
}

static enum od_status handoff_checklists(struct clistore *cs, struct handoff *h, struct err *e)
{
	struct runs_seen *r = calloc(1, sizeof(*r));
	enum od_status rc;

	if (!r)
		return err_set(e, OD_ENOMEM, "out of memory");
	rc = store_runs_list(cs->st, NULL, NULL, 0, ho_run, r, e);
	for (size_t i = 0; rc == OD_OK && i < r->n; i++) {
		int counts[STORE_CHECK_RESULT_COUNT] = { 0 };
		char ts[40];

		rc = store_run_items_list(cs->st, r->id[i], ho_item, counts, e);
		fmt_ts(r->finished[i], ts, sizeof(ts));
		fprintf(h->f, "- %s (run %" PRId64 ", finished %s): %d PASS, %d WARN, %d FAIL, "
			      "%d UNKNOWN, %d pending\n", r->name[i], r->id[i],
			r->finished[i] ? ts : "not yet", counts[STORE_CHECK_PASS],
			counts[STORE_CHECK_WARN], counts[STORE_CHECK_FAIL],
			counts[STORE_CHECK_UNKNOWN], counts[STORE_CHECK_PENDING]);
		h->n++;
	}
	free(r);
	return rc;
}

static enum od_status handoff_write(struct clistore *cs, struct handoff *h, struct err *e)
{
	struct store_event_filter f = { .type = "Warning", .since = h->since };
	struct restarts r = { .since = h->since };
	const char *ctx = cs->context[0] ? cs->context : NULL;
	char since[40], now[40];
	enum od_status rc;

	fmt_ts(h->since, since, sizeof(since));
	fmt_ts(time_now().sec, now, sizeof(now));
	fprintf(h->f, "# Shift handoff: %s to %s\n\nContext: %s\n\n## Incidents\n\n", since,
		now, ctx ? ctx : "-");
	rc = store_incidents_list(cs->st, ho_incident, h, e);
	if (rc != OD_OK)
		return rc;
	none_if_empty(h);
	fprintf(h->f, "## Restarts\n\n");
	r.p = calloc(HANDOFF_PODS_MAX, sizeof(*r.p));
	if (!r.p)
		return err_set(e, OD_ENOMEM, "out of memory");
	/* From the beginning, so the count at the window's start is known. */
	rc = store_pod_transitions_list(cs->st, ctx, NULL, NULL, 0, 0, ho_transition, &r, e);
	for (size_t i = 0; rc == OD_OK && i < r.n; i++)
		if (r.p[i].last > r.p[i].first) {
			fprintf(h->f, "- %s: +%" PRId64 " restarts (now %" PRId64 ")%s%s\n",
				r.p[i].key, r.p[i].last - r.p[i].first, r.p[i].last,
				r.p[i].reason[0] ? ", last reason " : "", r.p[i].reason);
			h->n++;
		}
	free(r.p);
	if (rc != OD_OK)
		return rc;
	none_if_empty(h);
	fprintf(h->f, "## New Warning events\n\n");
	f.context = ctx;
	rc = store_events_list(cs->st, &f, ho_event, h, e);
	if (rc != OD_OK)
		return rc;
	none_if_empty(h);
	fprintf(h->f, "## Actions\n\n");
	rc = store_audit_list(cs->st, h->since * 1000, 0, ho_audit, h, e);
	if (rc != OD_OK)
		return rc;
	none_if_empty(h);
	fprintf(h->f, "## Checklists\n\n");
	rc = handoff_checklists(cs, h, e);
	if (rc != OD_OK)
		return rc;
	none_if_empty(h);
	fprintf(h->f, "## Firing alerts\n\n- not tracked by this version\n");
	return OD_OK;
}

int cmd_handoff(const struct global_opts *g, int argc, char **argv)
{
	const char *since_s = "12h", *out = NULL;
	struct handoff h = { .f = stdout };
	struct clistore cs;
	struct err e = { 0 };
	int64_t ns = 0;
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("Usage: opsdeck handoff [--since 12h] [--out FILE]\n\n"
			       "What changed during the shift, in Markdown, from the history store:\n"
			       "incidents, restarts, new Warning events, actions, checklist status.\n");
			return CLI_EXIT_OK;
		}
		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--since", &since_s)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--out", &out))) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck handoff\"\n", argv[i]);
		return CLI_EXIT_USAGE;
	}
	if (duration_parse(since_s, &ns, &e) != OD_OK || ns <= 0) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--since\" flag\n", since_s);
		return CLI_EXIT_USAGE;
	}
	h.since = time_now().sec - ns / 1000000000;
	code = clistore_open(&cs, g);
	if (code != 0)
		return code;
	if (out && !(h.f = cli_fopen_private(out))) {
		fprintf(stderr, "error: %s: cannot write\n", out);
		clistore_close(&cs);
		return CLI_EXIT_FAILED;
	}
	if (handoff_write(&cs, &h, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = CLI_EXIT_FAILED;
	}
	if (h.f != stdout && fclose(h.f) != 0) {
		fprintf(stderr, "error: %s: write failed\n", out);
		code = CLI_EXIT_FAILED;
	}
	clistore_close(&cs);
	return code;
}
