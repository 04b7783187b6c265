/*
 * cmd_incident.c: `opsdeck incident start|note|close|list|export` — incidents
 * kept in the history store. The timeline is rebuilt from the store for the
 * incident's window (pod transitions, the events archive, the audit log,
 * checklist results; the alerts firing in the context's Alertmanager at
 * export) before it is shown, so nothing is missing when no
 * console was running; the store's (incident, kind, ref) key keeps a rebuild
 * from duplicating what is already there.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opsdeck/alerts_incident.h"
#include "opsdeck/amclient.h"
#include "opsdeck/buf.h"
#include "opsdeck/clikube.h"
#include "opsdeck/clistore.h"
#include "opsdeck/incident_evidence.h"
#include "opsdeck/incident_timeline.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/store_incidents.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/timeutil.h"

int cmd_incident(const struct global_opts *g, int argc, char **argv);

/* A copy of one incident (the store's strings are borrowed for the call only). */
struct incident_copy {
	bool found;
	int64_t id;
	char title[512];
	enum store_severity severity;
	char context[256];
	char namespace_[256];
	int64_t started_at;
	int64_t detected_at;
	int64_t resolved_at;
	char resolution[1024];
};

static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static int incident_take(void *arg, const struct store_incident *inc)
{
	struct incident_copy *c = arg;

	c->found = true;
	c->id = inc->id;
	copy_str(c->title, sizeof(c->title), inc->title);
	c->severity = inc->severity;
	copy_str(c->context, sizeof(c->context), inc->context);
	copy_str(c->namespace_, sizeof(c->namespace_), inc->namespace);
	c->started_at = inc->started_at;
	c->detected_at = inc->detected_at;
	c->resolved_at = inc->resolved_at;
	copy_str(c->resolution, sizeof(c->resolution), inc->resolution);
	return 1;
}

static void fmt_ts(int64_t sec, char *out, size_t n)
{
	struct od_time t = { .sec = sec };

	if (sec <= 0) {
		snprintf(out, n, "-");
		return;
	}
	time_format_rfc3339(t, out, n);
}

static void incident_usage(FILE *f)
{
	fprintf(f,
		"Usage:\n"
		"  opsdeck incident start --title T --severity P0|P1|P2|P3\n"
		"  opsdeck incident note [--id N] TEXT\n"
		"  opsdeck incident close [--id N] --resolution TEXT\n"
		"  opsdeck incident list\n"
		"  opsdeck incident export ID [--out FILE]\n"
		"  opsdeck incident evidence [--id N] [--dir DIR] [-l SELECTOR]\n"
		"\n"
		"Incidents in the history store. note, close and evidence default to the open\n"
		"incident. Severities as the runbooks define them: P0 complete outage, P1 major\n"
		"feature unavailable, P2 degraded, P3 minor.\n");
}

static int parse_id(const char *s, int64_t *id)
{
	char *end = NULL;
	long long v = strtoll(s, &end, 10);

	if (!s[0] || *end || v <= 0) {
		fprintf(stderr, "error: invalid incident id \"%s\"\n", s);
		return -1;
	}
	*id = v;
	return 0;
}

/* --id N, or the newest open incident. */
static int resolve_id(struct clistore *cs, const char *id_s, int64_t *id)
{
	struct err e = { 0 };
	enum od_status rc;

	if (id_s)
		return parse_id(id_s, id) == 0 ? 0 : CLI_EXIT_USAGE;
	rc = store_incident_find_open(cs->st, id, &e);
	if (rc == OD_ENOENT) {
		fprintf(stderr, "error: no open incident (start one, or give --id)\n");
		return CLI_EXIT_FAILED;
	}
	if (rc != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_FAILED;
	}
	return 0;
}

static int load_incident(struct clistore *cs, int64_t id, struct incident_copy *c)
{
	struct err e = { 0 };
	enum od_status rc = store_incident_get(cs->st, id, incident_take, c, &e);

	if (rc == OD_ENOENT || (rc == OD_OK && !c->found)) {
		fprintf(stderr, "error: incident %" PRId64 " not found\n", id);
		return CLI_EXIT_FAILED;
	}
	if (rc != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_FAILED;
	}
	return 0;
}

static int incident_start(struct clistore *cs, int argc, char **argv)
{
	const char *title = NULL, *sev_s = NULL;
	struct store_incident inc = { 0 };
	struct err e = { 0 };
	int64_t id = 0;

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--title", &title)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--severity", &sev_s))) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck incident start\"\n",
			argv[i]);
		return CLI_EXIT_USAGE;
	}
	if (!title || !title[0]) {
		fprintf(stderr, "error: --title is required\n");
		return CLI_EXIT_USAGE;
	}
	if (!sev_s || !store_severity_parse(sev_s, &inc.severity)) {
		fprintf(stderr, "error: --severity must be one of P0, P1, P2, P3\n");
		return CLI_EXIT_USAGE;
	}
	inc.title = title;
	inc.context = cs->context;
	inc.namespace = cs->namespace_;
	inc.started_at = time_now().sec;
	inc.detected_at = inc.started_at;
	if (store_incident_start(cs->st, &inc, &id, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_FAILED;
	}
	printf("%" PRId64 "\n", id);
	return CLI_EXIT_OK;
}

/* Joins argv words into one text (a note may be given unquoted). */
static int join_words(int argc, char **argv, int from, struct buf *out, struct err *e)
{
	for (int i = from; i < argc; i++)
		if (buf_printf(out, e, "%s%s", i > from ? " " : "", argv[i]) != OD_OK)
			return -1;
	return 0;
}

static int incident_note(struct clistore *cs, int argc, char **argv)
{
	const char *id_s = NULL;
	struct buf text;
	struct err e = { 0 };
	int64_t id = 0;
	int i = 1, code;

	for (; i < argc; i++) {
		int r = clikube_flag_value(argc, argv, &i, NULL, "--id", &id_s);

		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0)
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "error: a note needs TEXT\n");
		return CLI_EXIT_USAGE;
	}
	code = resolve_id(cs, id_s, &id);
	if (code != 0)
		return code;
	buf_init(&text, 64 * 1024);
	if (join_words(argc, argv, i, &text, &e) != 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		buf_free(&text);
		return CLI_EXIT_USAGE;
	}
	struct incident_copy c = { 0 };
	code = load_incident(cs, id, &c);
	if (code == 0) {
		struct store_timeline_entry t = { .incident_id = id, .ts = time_now().sec,
						  .kind = STORE_TL_NOTE, .ref = "",
						  .text = buf_cstr(&text) };

		if (store_incident_timeline_add(cs->st, &t, NULL, &e) != OD_OK) {
			fprintf(stderr, "error: %s\n", e.msg);
			code = CLI_EXIT_FAILED;
		}
	}
	buf_free(&text);
	return code;
}

static int incident_close(struct clistore *cs, int argc, char **argv)
{
	const char *id_s = NULL, *res = NULL;
	struct err e = { 0 };
	enum od_status rc;
	int64_t id = 0;
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--id", &id_s)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--resolution", &res))) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck incident close\"\n",
			argv[i]);
		return CLI_EXIT_USAGE;
	}
	if (!res || !res[0]) {
		fprintf(stderr, "error: --resolution is required\n");
		return CLI_EXIT_USAGE;
	}
	code = resolve_id(cs, id_s, &id);
	if (code != 0)
		return code;
	rc = store_incident_close(cs->st, id, time_now().sec, res, &e);
	if (rc == OD_ENOENT) {
		fprintf(stderr, "error: incident %" PRId64 " not found\n", id);
		return CLI_EXIT_FAILED;
	}
	if (rc == OD_ESTATE) {
		fprintf(stderr, "error: incident %" PRId64 " is already closed\n", id);
		return CLI_EXIT_FAILED;
	}
	if (rc != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_FAILED;
	}
	printf("incident %" PRId64 " closed\n", id);
	return CLI_EXIT_OK;
}

static int list_row(void *arg, const struct store_incident *inc)
{
	struct buf *b = arg;
	struct err e = { 0 };
	char started[40], resolved[40];

	fmt_ts(inc->started_at, started, sizeof(started));
	fmt_ts(inc->resolved_at, resolved, sizeof(resolved));
	buf_printf(b, &e, "%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\n", inc->id,
		   store_severity_name(inc->severity), inc->resolved_at ? "closed" : "open",
		   started, resolved, inc->namespace && inc->namespace[0] ? inc->namespace : "-",
		   inc->title ? inc->title : "");
	return 0;
}

static int incident_list(struct clistore *cs)
{
	struct buf text, out;
	struct err e = { 0 };
	int code = CLI_EXIT_OK;

	buf_init(&text, 64u * 1024u * 1024u);
	buf_init(&out, 64u * 1024u * 1024u);
	buf_append_str(&text, "ID\tSEVERITY\tSTATE\tSTARTED\tRESOLVED\tNAMESPACE\tTITLE\n", &e);
	if (store_incidents_list(cs->st, list_row, &text, &e) != OD_OK ||
	    tabwriter_format(text.data, text.len, &TABWRITER_KUBECTL, &out, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = CLI_EXIT_FAILED;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_free(&text);
	buf_free(&out);
	return code;
}

/* --- export ---------------------------------------------------------------- */

struct export_out {
	FILE *f;
	enum store_timeline_kind only;   /* STORE_TL_COUNT: every kind */
	size_t n;
};

static int export_tl(void *arg, const struct store_timeline_entry *t)
{
	struct export_out *x = arg;
	char ts[40];

	if (x->only != STORE_TL_COUNT && t->kind != x->only)
		return 0;
	fmt_ts(t->ts, ts, sizeof(ts));
	if (x->only == STORE_TL_COUNT)
		fprintf(x->f, "| %s | %s | %s |\n", ts, store_timeline_kind_name(t->kind),
			t->text ? t->text : "");
	else
		fprintf(x->f, "- %s %s\n", ts, t->text ? t->text : "");
	x->n++;
	return 0;
}

static void export_times(FILE *f, const struct incident_copy *c)
{
	char s[40], d[40], r[40];

	fmt_ts(c->started_at, s, sizeof(s));
	fmt_ts(c->detected_at, d, sizeof(d));
	fmt_ts(c->resolved_at, r, sizeof(r));
	fprintf(f, "| | Time (UTC) |\n|---|---|\n| Start | %s |\n| Detected | %s |\n"
		   "| Resolved | %s |\n", s, d, c->resolved_at ? r : "(open)");
	if (c->resolved_at > c->started_at)
		fprintf(f, "| Duration | %" PRId64 " min |\n",
			(c->resolved_at - c->started_at + 59) / 60);
}

static enum od_status export_write(struct clistore *cs, const struct incident_copy *c, FILE *f,
				   struct err *e)
{
	struct export_out x = { .f = f, .only = STORE_TL_COUNT };
	enum od_status rc;

	fprintf(f, "# Post-mortem: incident %" PRId64 " — %s\n\n", c->id, c->title);
	fprintf(f, "## Summary\n\n%s\n\n", c->title);
	fprintf(f, "- Severity: %s\n- Context: %s\n- Namespace: %s\n- Status: %s\n\n",
		store_severity_name(c->severity), c->context[0] ? c->context : "-",
		c->namespace_[0] ? c->namespace_ : "-", c->resolved_at ? "resolved" : "open");
	if (c->resolution[0])
		fprintf(f, "Resolution: %s\n\n", c->resolution);
	fprintf(f, "## Severity\n\n%s\n\n## Times\n\n", store_severity_name(c->severity));
	export_times(f, c);
	fprintf(f, "\n## Impact\n\n_Who and what was affected, for how long._\n\n");
	fprintf(f, "## Timeline\n\n| Time (UTC) | Kind | What |\n|---|---|---|\n");
	rc = store_incident_timeline_list(cs->st, c->id, export_tl, &x, e);
	if (rc != OD_OK)
		return rc;
	fprintf(f, "\n## Actions taken\n\n");
	x.only = STORE_TL_ACTION;
	x.n = 0;
	rc = store_incident_timeline_list(cs->st, c->id, export_tl, &x, e);
	if (rc != OD_OK)
		return rc;
	if (x.n == 0)
		fprintf(f, "- none recorded in the audit log\n");
	fprintf(f, "\n## Evidence\n\n");
	fprintf(f, "- [ ] Logs (current and previous containers, 24 h)\n"
		   "- [ ] Pod and workload manifests (Secrets redacted)\n"
		   "- [ ] Events\n- [ ] Metrics window\n");
	fprintf(f, "\n## Follow-ups\n\n- [ ] Root cause\n- [ ] Preventive measures\n"
		   "- [ ] Runbook updates\n");
	return OD_OK;
}

/* The context's firing alerts that started in the window join the timeline. */
static void incident_alerts(struct clistore *cs, const struct incident_copy *c)
{
	struct loop *lp = NULL;
	struct am_client *am = NULL;
	struct am_alerts a = { 0 };
	struct err e = { 0 };

	if (loop_new(&lp, &e) != OD_OK ||
	    am_client_new(lp, cs->cs.alertmanager_url, 30000, &am, &e) != OD_OK ||
	    am_fetch(am, &a, &e) != OD_OK ||
	    alerts_incident_add(cs->st, c->id, c->started_at - INCIDENT_LOOKBACK_S, c->resolved_at,
				&a, NULL, &e) != OD_OK)
		fprintf(stderr, "warning: alerts: %s\n", e.msg);
	am_alerts_clear(&a);
	am_client_free(&am);
	loop_free(&lp);
}

static int incident_export(struct clistore *cs, int argc, char **argv)
{
	const char *id_s = NULL, *out = NULL;
	struct incident_copy c = { 0 };
	struct err e = { 0 };
	int64_t id = 0;
	FILE *f = stdout;
	int code;

	for (int i = 1; i < argc; i++) {
		int r = clikube_flag_value(argc, argv, &i, NULL, "--out", &out);

		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r > 0)
			continue;
		r = clikube_flag_value(argc, argv, &i, NULL, "--id", &id_s);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r > 0)
			continue;
		if (argv[i][0] != '-' && !id_s) {
			id_s = argv[i];
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck incident export\"\n",
			argv[i]);
		return CLI_EXIT_USAGE;
	}
	code = resolve_id(cs, id_s, &id);
	if (code == 0)
		code = load_incident(cs, id, &c);
	if (code != 0)
		return code;
	struct incident_window w = { .id = c.id, .context = c.context, .namespace_ = c.namespace_,
				     .started_at = c.started_at, .resolved_at = c.resolved_at };

	if (incident_timeline_rebuild(cs->st, &w, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_FAILED;
	}
	if (cs->cs.alertmanager_url)
		incident_alerts(cs, &c);
	if (out) {
		f = cli_fopen_private(out);
		if (!f) {
			fprintf(stderr, "error: %s: cannot write\n", out);
			return CLI_EXIT_FAILED;
		}
	}
	if (export_write(cs, &c, f, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = CLI_EXIT_FAILED;
	}
	if (f != stdout && fclose(f) != 0) {
		fprintf(stderr, "error: %s: write failed\n", out);
		code = CLI_EXIT_FAILED;
	}
	return code;
}

static int incident_evidence(const struct global_opts *g, struct clistore *cs, int argc,
			     char **argv)
{
	const char *id_s = NULL, *dir = ".", *sel = NULL;
	struct incident_copy c = { 0 };
	int64_t id = 0;
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--id", &id_s)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--dir", &dir)) ||
		    (r = clikube_flag_value(argc, argv, &i, "-l", "--selector", &sel))) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck incident evidence\"\n",
			argv[i]);
		return CLI_EXIT_USAGE;
	}
	code = resolve_id(cs, id_s, &id);
	if (code == 0)
		code = load_incident(cs, id, &c);
	if (code != 0)
		return code;
	struct incident_evidence_req rq = { .incident_id = c.id, .context = c.context,
					    .namespace_ = c.namespace_, .selector = sel,
					    .started_at = c.started_at, .dir = dir, .st = cs->st };
	return incident_evidence_collect(g, &rq);
}

int cmd_incident(const struct global_opts *g, int argc, char **argv)
{
	struct clistore cs;
	const char *sub;
	int code;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		incident_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "start") != 0 && strcmp(sub, "note") != 0 && strcmp(sub, "close") != 0 &&
	    strcmp(sub, "list") != 0 && strcmp(sub, "export") != 0 &&
	    strcmp(sub, "evidence") != 0) {
		fprintf(stderr, "error: unknown subcommand \"%s\" for \"opsdeck incident\"\n", sub);
		incident_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	code = clistore_open(&cs, g);
	if (code != 0)
		return code;
	if (strcmp(sub, "start") == 0)
		code = incident_start(&cs, argc - 1, argv + 1);
	else if (strcmp(sub, "note") == 0)
		code = incident_note(&cs, argc - 1, argv + 1);
	else if (strcmp(sub, "close") == 0)
		code = incident_close(&cs, argc - 1, argv + 1);
	else if (strcmp(sub, "list") == 0)
		code = incident_list(&cs);
	else if (strcmp(sub, "export") == 0)
		code = incident_export(&cs, argc - 1, argv + 1);
	else
		code = incident_evidence(g, &cs, argc - 1, argv + 1);
	clistore_close(&cs);
	return code;
}
