/*
 * cmd_collect.c: `opsdeck collect [--interval 15s] [--once]` — the collector
 * in the foreground, for cron and systemd. SIGTERM, SIGHUP and SIGINT stop
 * it between two loop callbacks, and a tick is one transaction, so it never
 * leaves half a tick behind.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/clistore.h"
#include "opsdeck/collect.h"
#include "opsdeck/collect_scope.h"
#include "opsdeck/duration.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/loop.h"
#include "opsdeck/profile.h"

enum { COLLECT_OK = 0, COLLECT_FAILED = 1, COLLECT_USAGE = 2 };

struct collect_run {
	struct loop *lp;              /* borrowed */
	enum od_status rc;            /* --once: how the pass ended */
	struct err err;
	bool finished;
	int signo;                    /* the signal that stopped it, 0 if none */
};

static void collect_usage_print(FILE *f)
{
	fprintf(f,
		"Usage: opsdeck collect [--interval 15s] [--once]\n"
		"\n"
		"Collects history into the store in the foreground (for cron or systemd):\n"
		"CPU and memory from metrics.k8s.io, pod phase, readiness and restarts, node usage\n"
		"every interval; PVC usage from the kubelet every collector.pvcInterval; events\n"
		"continuously. Scope: the namespaces of the loaded profiles and the current\n"
		"namespace, or every namespace with -A. SIGTERM, SIGHUP and SIGINT stop it cleanly.\n"
		"\n"
		"  --interval D   tick interval (default: collector.interval, 15s)\n"
		"  --once         one tick, one PVC pass and the events, then exit\n");
}

static void on_stop_signal(struct loop *lp, int signo, void *arg)
{
	struct collect_run *r = arg;

	r->signo = signo;
	loop_stop(lp);
}

static void on_notice(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s\n", msg);
	fflush(stderr);
}

static void on_done(void *arg, enum od_status rc, const struct err *e)
{
	struct collect_run *r = arg;

	r->finished = true;
	r->rc = rc;
	if (e)
		r->err = *e;
	loop_stop(r->lp);
}

/* kubectl's messages carry their own prefix; bare ones get "error: ". */
static void print_error(const struct err *e)
{
	const char *m = e->msg;

	if (strncmp(m, "error: ", 7) == 0 || strncmp(m, "Error ", 6) == 0 ||
	    strncmp(m, "Unable to connect", 17) == 0 || strncmp(m, "The connection", 14) == 0)
		fprintf(stderr, "%s\n", m);
	else
		fprintf(stderr, "error: %s\n", m);
}

static int parse_args(int argc, char **argv, int64_t *interval_ns, bool *once)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		struct err e = { 0 };

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			collect_usage_print(stdout);
			return -1;
		}
		if (strcmp(a, "--once") == 0) {
			*once = true;
			continue;
		}
		if (strcmp(a, "--interval") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "error: flag needs an argument: --interval\n");
				return COLLECT_USAGE;
			}
			v = argv[++i];
		} else if (strncmp(a, "--interval=", 11) == 0) {
			v = a + 11;
		} else {
			fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck collect\"\n"
					"See 'opsdeck collect --help'.\n", a);
			return COLLECT_USAGE;
		}
		if (duration_parse(v, interval_ns, &e) != OD_OK || *interval_ns < 1000000000LL) {
			fprintf(stderr, "error: invalid argument \"%s\" for \"--interval\" flag: "
					"a duration of at least 1s\n", v);
			return COLLECT_USAGE;
		}
	}
	return 0;
}

static long request_timeout_ms(const struct global_opts *g, int *bad)
{
	int64_t ns = 0;
	struct err e = { 0 };

	*bad = 0;
	if (!g->request_timeout || strcmp(g->request_timeout, "0") == 0)
		return 0;
	if (duration_parse(g->request_timeout, &ns, &e) != OD_OK) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--request-timeout\" flag\n",
			g->request_timeout);
		*bad = 1;
		return 0;
	}
	return (long)(ns / 1000000);
}

/* Every namespace in scope, for the start-up line. */
static void scope_text(const struct collect_scope *s, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	if (s->all) {
		snprintf(out, n, "all namespaces");
		return;
	}
	for (size_t i = 0; i < s->n && len + 1 < n; i++) {
		int k = snprintf(out + len, n - len, "%s%s", i ? ", " : "", s->namespaces[i]);

		if (k < 0)
			break;
		len += (size_t)k;
	}
}

static int collect_run(const struct global_opts *g, struct kube_target *t, int64_t interval_ns,
		       bool once)
{
	struct clistore cs;
	struct loop *lp = NULL;
	struct kube_conn *conn = NULL;
	struct kube_conn_opts co = { 0 };
	struct profile_catalog *cat = NULL;
	struct collect_scope scope = { 0 };
	struct collector *col = NULL;
	struct collect_run run = { 0 };
	struct err e = { 0 };
	char missing[512], where[1024];
	int code, bad;

	co.request_timeout_ms = request_timeout_ms(g, &bad);
	if (bad)
		return COLLECT_USAGE;
	code = clistore_open(&cs, g);
	if (code != 0)
		return code;
	code = COLLECT_FAILED;
	if (profile_catalog_load(&cat, &e) != OD_OK)
		cat = NULL;
	for (size_t i = 0; cat && i < cat->problems.n; i++)
		fprintf(stderr, "warning: %s\n", cat->problems.v[i]);
	if (collect_scope_build(&scope, g->all_namespaces, cs.context, t->namespace_, cat, &cs.cs,
				missing, sizeof(missing), &e) != OD_OK) {
		print_error(&e);
		code = COLLECT_USAGE;
		goto out;
	}
	if (missing[0])
		fprintf(stderr, "warning: profiles not found for context \"%s\": %s\n", cs.context,
			missing);
	if (loop_new(&lp, &e) != OD_OK || kube_conn_open(lp, t, &co, &conn, &e) != OD_OK) {
		print_error(&e);
		code = e.status == OD_ECONFIG ? COLLECT_USAGE : COLLECT_FAILED;
		goto out;
	}
	run.lp = lp;
	struct collect_config cfg = {
		.context = cs.context,
		.scope = &scope,
		.interval_ms = interval_ns > 0 ? interval_ns / 1000000 : cs.cs.collect_interval_ns / 1000000,
		.pvc_interval_ms = cs.cs.collect_pvc_interval_ns / 1000000,
		.events_keep_s = cs.cs.retain_events_ns / 1000000000,
		.once = once,
		.notice = on_notice,
		.done = on_done,
		.arg = &run,
	};
	if (loop_signal_watch(lp, SIGTERM, on_stop_signal, &run, &e) != OD_OK ||
	    loop_signal_watch(lp, SIGHUP, on_stop_signal, &run, &e) != OD_OK ||
	    loop_signal_watch(lp, SIGINT, on_stop_signal, &run, &e) != OD_OK ||
	    collector_new(lp, conn->http, cs.st, &cfg, &col, &e) != OD_OK ||
	    collector_start(col, &e) != OD_OK) {
		print_error(&e);
		goto out;
	}
	scope_text(&scope, where, sizeof(where));
	if (!once) {
		fprintf(stderr, "opsdeck collect: context %s, %s, every %llds (PVC every %llds) into %s\n",
			cs.context, where, (long long)(cfg.interval_ms / 1000),
			(long long)(cfg.pvc_interval_ms / 1000), store_path(cs.st));
		fflush(stderr);
	}
	if (loop_run(lp, &e) != OD_OK) {
		print_error(&e);
		goto out;
	}
	const struct collect_stats *s = collector_stats(col);
	if (once && run.finished && run.rc != OD_OK) {
		print_error(&run.err);
		goto out;
	}
	if (once && !run.finished) {
		fprintf(stderr, "opsdeck collect: stopped by signal %d before the pass completed\n",
			run.signo);
		goto out;
	}
	printf("collected %u tick%s and %u PVC pass%s: %llu samples, %llu pod transitions, "
	       "%llu events (%s) into %s\n",
	       s->ticks, s->ticks == 1 ? "" : "s", s->pvc_passes, s->pvc_passes == 1 ? "" : "es",
	       (unsigned long long)s->samples, (unsigned long long)s->transitions,
	       (unsigned long long)s->events, where, store_path(cs.st));
	code = COLLECT_OK;
out:
	collector_free(&col);
	kube_conn_free(&conn);
	loop_free(&lp);
	collect_scope_clear(&scope);
	profile_catalog_free(&cat);
	clistore_close(&cs);
	return code;
}

int cmd_collect(const struct global_opts *g, int argc, char **argv);

int cmd_collect(const struct global_opts *g, int argc, char **argv)
{
	struct kubeconfig_source src;
	struct kube_target *t = NULL;
	struct err e = { 0 };
	int64_t interval_ns = 0;
	bool once = false;
	int code = parse_args(argc, argv, &interval_ns, &once);

	if (code != 0)
		return code < 0 ? COLLECT_OK : code;
	kubeconfig_source_from_env(&src, g->kubeconfig);
	if (kube_target_load(&src, g->context, g->namespace_, &t, &e) != OD_OK) {
		print_error(&e);
		return COLLECT_USAGE;
	}
	code = collect_run(g, t, interval_ns, once);
	kube_target_free(&t);
	return code;
}
