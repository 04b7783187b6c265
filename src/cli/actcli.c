/*
 * actcli.c: the headless side of the action engine: common flags, the
 * context's settings, profiles and audit store, and a struct action_ui that
 * prints each step and answers the confirmations from the flags (or, on a
 * terminal without --yes, by asking).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/actcli.h"
#include "opsdeck/duration.h"
#include "opsdeck/http.h"

static int take(int argc, char **argv, int *i, const char *flag, const char **out, int *bad)
{
	size_t l = strlen(flag);

	if (strcmp(argv[*i], flag) == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "error: flag needs an argument: %s\n", flag);
			*bad = 1;
			return 1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (strncmp(argv[*i], flag, l) == 0 && argv[*i][l] == '=') {
		*out = argv[*i] + l + 1;
		return 1;
	}
	return 0;
}

static bool is_flag(const char *a, const char *f)
{
	size_t l = strlen(f);

	return strcmp(a, f) == 0 || (strncmp(a, f, l) == 0 && strcmp(a + l, "=true") == 0);
}

int actcli_parse_flags(int argc, char **argv, struct actcli_flags *f)
{
	int out = 1, bad = 0;
	const char *timeout = NULL;

	memset(f, 0, sizeof *f);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (is_flag(a, "--dry-run") || strcmp(a, "--dry-run=server") == 0)
			f->dry_run = true;
		else if (is_flag(a, "--yes") || strcmp(a, "-y") == 0)
			f->yes = true;
		else if (is_flag(a, "--wait"))
			f->wait = true;
		else if (is_flag(a, "--snapshot-first"))
			f->snapshot_first = true;
		else if (is_flag(a, "--confirm-force"))
			f->confirm_force = true;
		else if (take(argc, argv, &i, "--confirm", &f->confirm, &bad))
			;
		else if (take(argc, argv, &i, "--timeout", &timeout, &bad))
			;
		else
			argv[out++] = argv[i];
		if (bad)
			return -1;
	}
	argv[out] = NULL;
	if (timeout) {
		int64_t ns;
		struct err e = { 0 };

		if (duration_parse(timeout, &ns, &e) != OD_OK || ns <= 0) {
			fprintf(stderr, "error: invalid --timeout \"%s\": %s\n", timeout,
				e.msg[0] ? e.msg : "must be positive");
			return -1;
		}
		f->timeout_ms = ns / 1000000;
		f->wait = true;   /* a timeout only makes sense for following */
	}
	return out;
}

long actcli_parse_count(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

int actcli_fail(enum od_status rc, const struct err *e)
{
	const char *m = e->msg;

	if (strncmp(m, "error: ", 7) == 0 || strncmp(m, "Error from server", 17) == 0 ||
	    strncmp(m, "The connection to", 17) == 0 || strncmp(m, "Unable to connect", 17) == 0)
		fprintf(stderr, "%s\n", m);
	else
		fprintf(stderr, "error: %s\n", m[0] ? m : od_status_text(rc));
	return rc == OD_EUSAGE || rc == OD_ECONFIG ? ACTCLI_EXIT_USAGE : ACTCLI_EXIT_FAILED;
}

/* ---- the terminal front end of the five steps ---- */

static void ui_show_plan(const struct action_plan *p, void *arg)
{
	(void)arg;
	printf("Plan: %s %s\n", action_kind_name(p->kind), p->kind_name);
	printf("  target:  context %s, namespace %s, %s\n", p->context, p->namespace_, p->kind_name);
	printf("  change:  %s -> %s\n", p->before, p->after);
	printf("  pods:    %s\n", p->pods);
	printf("  kubectl: %s\n", p->kubectl);
	if (p->notes) {
		const char *s = p->notes;

		printf("  note:    ");
		for (; *s; s++)
			fputs(*s == '\n' ? "\n           " : (char[2]){ *s, 0 }, stdout);
		putchar('\n');
	}
	fflush(stdout);
}

static void ui_show_dry_run(const struct action_plan *p, enum od_status rc, const struct err *e,
			    void *arg)
{
	(void)p;
	(void)arg;
	if (rc == OD_OK)
		printf("Dry run (server, dryRun=All): accepted\n");
	else
		printf("Dry run (server, dryRun=All): refused\n");
	(void)e;   /* the caller prints the error once, on stderr */
	fflush(stdout);
}

/* A line from the terminal into answer (no newline); false at EOF. */
static bool read_answer(const char *prompt, char *answer, size_t n)
{
	fputs(prompt, stdout);
	fflush(stdout);
	if (!fgets(answer, (int)n, stdin))
		return false;
	answer[strcspn(answer, "\r\n")] = '\0';
	return true;
}

static bool ui_ask(const struct action_plan *p, enum action_question q, char *answer, size_t n,
		   void *arg)
{
	const struct actcli_flags *f = arg;
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	char prompt[512];

	switch (q) {
	case ACTION_ASK_PROCEED:
		if (f->yes)
			return true;
		if (!tty || !read_answer("Proceed? [y/N] ", answer, n))
			return false;
		return strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0;
	case ACTION_ASK_TYPE_NAME:
		if (f->confirm && f->parent && strcmp(f->confirm, f->parent) == 0) {
			/* the workload's name typed covers the snapshots taken for it */
			snprintf(answer, n, "%s", p->name);
			return true;
		}
		if (f->confirm) {
			snprintf(answer, n, "%s", f->confirm);
			return true;
		}
		snprintf(prompt, sizeof prompt, "Type the name (%s) to confirm: ", p->name);
		return tty && read_answer(prompt, answer, n);
	case ACTION_ASK_FORCE:
		if (f->confirm_force)
			return true;
		if (!tty || !read_answer("Force deletion skips the kubelet's graceful shutdown and "
					 "may leave the container running. Really force? "
					 "[y/N] ", answer, n))
			return false;
		return strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0;
	}
	return false;
}

static void ui_show_applied(const struct action_plan *p, void *arg)
{
	(void)arg;
	printf("%s\n", p->done_message);
	fflush(stdout);
}

static void ui_show_progress(const struct action_plan *p, const char *line, void *arg)
{
	(void)p;
	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

/* ---- setup ---- */

static void os_user(char *out, size_t n)
{
	struct passwd *pw = getpwuid(getuid());
	const char *u = pw && pw->pw_name ? pw->pw_name : getenv("USER");

	snprintf(out, n, "%s", u ? u : "?");
}

static int open_connection(struct actcli *a, const struct global_opts *g)
{
	struct kube_conn_opts o = { 0 };
	struct err e = { 0 };

	if (g->request_timeout && strcmp(g->request_timeout, "0") != 0) {
		int64_t ns;

		if (duration_parse(g->request_timeout, &ns, &e) != OD_OK) {
			fprintf(stderr, "error: invalid --request-timeout: %s\n", e.msg);
			return ACTCLI_EXIT_USAGE;
		}
		o.request_timeout_ms = (long)(ns / 1000000);
	}
	if (loop_new(&a->loop, &e) != OD_OK ||
	    kube_conn_open(a->loop, a->target, &o, &a->conn, &e) != OD_OK)
		return actcli_fail(e.status, &e);
	return 0;
}

int actcli_open(struct actcli *a, const struct global_opts *g, bool connect)
{
	struct kubeconfig_source src;
	struct err e = { 0 };
	struct actcli_flags f = a->flags;

	memset(a, 0, sizeof *a);
	a->flags = f;
	kubeconfig_source_from_env(&src, g->kubeconfig);
	if (kube_target_load(&src, g->context, g->namespace_, &a->target, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return ACTCLI_EXIT_USAGE;
	}
	if (settings_load(NULL, &a->settings, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return ACTCLI_EXIT_USAGE;
	}
	settings_for_context(a->settings, a->target->context, &a->cs);
	if (store_open(g->db_path, NULL, &a->store, &e) != OD_OK) {
		fprintf(stderr, "error: the audit log cannot be opened: %s\n", e.msg);
		return ACTCLI_EXIT_FAILED;
	}
	if (profile_catalog_load(&a->profiles, &e) == OD_OK)
		a->profile = profile_catalog_match(a->profiles, a->target->context,
						   a->target->namespace_);
	os_user(a->os_user, sizeof a->os_user);
	a->ui = (struct action_ui){
		.show_plan = ui_show_plan,
		.show_dry_run = ui_show_dry_run,
		.ask = ui_ask,
		.show_applied = ui_show_applied,
		.show_progress = ui_show_progress,
		.arg = &a->flags,
	};
	a->ctx = (struct action_ctx){
		.store = a->store,
		.context = a->target->context ? a->target->context : "in-cluster",
		.kube_user = a->target->user ? a->target->user : "",
		.os_user = a->os_user,
		.read_only = g->read_only || a->cs.read_only,
		.protected_ = a->cs.protected_,
		.ui = &a->ui,
	};
	if (connect) {
		int rc = open_connection(a, g);

		if (rc)
			return rc;
		a->ctx.http = a->conn->http;
	}
	return 0;
}

void actcli_close(struct actcli *a)
{
	kube_conn_free(&a->conn);
	loop_free(&a->loop);
	store_close(&a->store);
	profile_catalog_free(&a->profiles);
	settings_free(&a->settings);
	kube_target_free(&a->target);
}

void actcli_target(const struct actcli *a, const char *type, const char *name,
		   struct action_target *t)
{
	const struct profile_workload *w = NULL;
	char ref[512] = "";

	memset(t, 0, sizeof *t);
	t->namespace_ = a->target->namespace_;
	t->type = type;
	t->name = name;
	t->now = a->conn ? api_now(http_client_clock(a->conn->http)) : time_now();
	if (!a->profile)
		return;
	t->profile_snapshot_class = a->profile->snapshot_class;
	if (type && strchr(type, '/')) {
		const struct api_resource *r;
		struct err e = { 0 };
		size_t k = strcspn(type, "/");

		snprintf(ref, sizeof ref, "%.*s", (int)k, type);
		r = api_resource_lookup(ref, &e);
		if (r) {
			snprintf(ref, sizeof ref, "%s%s", r->singular, type + k);
			w = profile_find_workload(a->profile, ref);
		}
	}
	t->profile_stateful = w && w->stateful;
	/* a PVC's own class in the profile wins over the profile's */
	for (size_t i = 0; name && i < a->profile->npvcs; i++)
		if (strcmp(a->profile->pvcs[i].name, name) == 0 && a->profile->pvcs[i].snapshot_class)
			t->profile_snapshot_class = a->profile->pvcs[i].snapshot_class;
}

int actcli_refuse_read_only(struct actcli *a, enum action_kind k, const char *object)
{
	struct err e = { 0 };

	if (action_check_writable(&a->ctx, k, a->target->namespace_, object, &e) == OD_OK)
		return 0;
	fprintf(stderr, "%s\n", e.msg);
	return ACTCLI_EXIT_FAILED;
}

int actcli_plan_failed(struct actcli *a, enum action_kind k, const char *object,
		       const struct err *e)
{
	action_audit(&a->ctx, k, NULL, a->target->namespace_, object, "plan", 0, 0, "failed",
		     e->msg);
	return actcli_fail(e->status, e);
}

static struct action_run_opts run_opts(const struct actcli *a)
{
	return (struct action_run_opts){
		.dry_run = a->flags.dry_run,
		.wait = a->flags.wait,
		.timeout_ms = a->flags.timeout_ms,
	};
}

/* --snapshot-first: a snapshot of each PVC, followed to readyToUse. */
static int snapshots_first(struct actcli *a, const char *pvcs)
{
	const char *s = pvcs;
	struct action_run_opts o = run_opts(a);

	o.wait = true;
	while (*s) {
		size_t k = strcspn(s, ",");
		char pvc[256];
		struct action_target t;
		struct action_snapshot_opts so = { 0 };
		struct action_plan *p = NULL;
		struct err e = { 0 };
		enum od_status rc;

		snprintf(pvc, sizeof pvc, "%.*s", (int)k, s);
		actcli_target(a, "pvc", pvc, &t);
		rc = action_build_snapshot(&a->ctx, &t, &so, &p, &e);
		if (rc == OD_OK)
			rc = action_run(&a->ctx, p, &o, &e);
		action_plan_free(&p);
		if (rc != OD_OK) {
			fprintf(stderr, "error: the snapshot of pvc/%s failed; the action was not "
				"started\n", pvc);
			return actcli_fail(rc, &e);
		}
		s += k;
		if (*s == ',')
			s++;
	}
	return 0;
}

int actcli_run(struct actcli *a, struct action_plan **pp)
{
	struct action_plan *p = *pp;
	struct action_run_opts o = run_opts(a);
	struct err e = { 0 };
	enum od_status rc;

	if (p->snapshot_pvcs && a->flags.snapshot_first && !a->flags.dry_run &&
	    !a->ctx.read_only && !p->refusal) {
		int src;

		a->flags.parent = p->name;
		src = snapshots_first(a, p->snapshot_pvcs);
		a->flags.parent = NULL;

		if (src) {
			action_plan_free(pp);
			return src;
		}
	}
	rc = action_run(&a->ctx, p, &o, &e);
	action_plan_free(pp);
	if (rc != OD_OK)
		return actcli_fail(rc, &e);
	return ACTCLI_EXIT_OK;
}
