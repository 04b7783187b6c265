/*
 * dashboard.c: `opsdeck` without a command (ui_dashboard.h). Takes the
 * dashboard's flags, builds the app inside the one event loop, attaches the
 * pod source, and runs either on the terminal or headless from a script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/duration.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/loop.h"
#include "opsdeck/paths.h"
#include "opsdeck/store.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_dashboard.h"
#include "opsdeck/ui_events.h"
#include "opsdeck/ui_headless.h"
#include "opsdeck/ui_live.h"
#include "opsdeck/ui_pane_alerts.h"
#include "opsdeck/ui_podstate.h"
#include "opsdeck/ui_trends_prom.h"

enum { EXIT_OK = 0, EXIT_USAGE = 2 };

struct dash_opts {
	struct app_opts app;
	const char *script;       /* --headless-script */
	const char *dump_dir;     /* --screen-dump */
	const char *replay;       /* --replay-pods */
	const char *profile;      /* --profile */
	bool offline;             /* --offline: last-known state only, no connection */
	bool no_collect;          /* --no-collect: do not run the collector in the console */
};

const char ui_dashboard_help[] =
	"  --theme NAME             colour theme (themes/NAME.theme; NO_COLOR gives monochrome)\n"
	"  --ascii                  ASCII line drawing and '~' for cut text\n"
	"  --mouse                  click to focus panes, wheel to scroll (off by default)\n"
	"  --replay-pods FILE       show pods from a tab-separated dump (see docs/ui.md)\n"
	"  --headless-script FILE   run the dashboard on a virtual screen, keys from FILE\n"
	"  --screen-dump DIR        where the script's 'dump NAME' writes NAME.txt\n"
	"  --size COLSxROWS         the virtual screen's size (default 120x40)\n"
	"  --now TIME               pin the clock (RFC 3339 or Unix seconds), for tests\n"
	"  --profile NAME           the profile to show (default: the one matching the namespace)\n"
	"  --operator NAME          who completes checklist runs (default: $USER)\n"
	"  --offline                show the last-known state only; do not connect\n"
	"  --no-collect             do not run the collector inside the console\n"
	"  --source store|prometheus  where Trends reads its charts (prometheus: the\n"
	"                           context's prometheus URL in config.yaml)\n";

static const char *const value_flags[] = { "--theme", "--replay-pods", "--headless-script",
					   "--screen-dump", "--size", "--now", "--profile", "--operator",
					   "--source", NULL };
static const char *const bool_flags[] = { "--ascii", "--mouse", "--offline", "--no-collect",
					  NULL };

static const char *flag_value(const char *arg, const char *flag)
{
	size_t n = strlen(flag);

	return strncmp(arg, flag, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

bool ui_dashboard_is_flag(const char *arg)
{
	for (int i = 0; value_flags[i]; i++)
		if (strcmp(arg, value_flags[i]) == 0 || flag_value(arg, value_flags[i]))
			return true;
	for (int i = 0; bool_flags[i]; i++)
		if (strcmp(arg, bool_flags[i]) == 0)
			return true;
	return false;
}

static bool parse_now(const char *s, int64_t *out)
{
	struct od_time t;
	struct err e;
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s && !*end && v > 0) {
		*out = v;
		return true;
	}
	if (time_parse_rfc3339(s, &t, &e) != OD_OK)
		return false;
	*out = t.sec;
	return true;
}

static int set_value(struct dash_opts *o, const char *flag, const char *v)
{
	if (strcmp(flag, "--theme") == 0)
		o->app.theme = v;
	else if (strcmp(flag, "--replay-pods") == 0)
		o->replay = v;
	else if (strcmp(flag, "--headless-script") == 0)
		o->script = v;
	else if (strcmp(flag, "--screen-dump") == 0)
		o->dump_dir = v;
	else if (strcmp(flag, "--profile") == 0)
		o->profile = v;
	else if (strcmp(flag, "--operator") == 0)
		o->app.operator_name = v;
	else if (strcmp(flag, "--source") == 0) {
		if (strcmp(v, "store") != 0 && strcmp(v, "prometheus") != 0) {
			fprintf(stderr, "error: --source must be store or prometheus, not \"%s\"\n", v);
			return -1;
		}
		o->app.trends_remote = strcmp(v, "prometheus") == 0;
	}
	else if (strcmp(flag, "--size") == 0) {
		if (!headless_parse_size(v, &o->app.cols, &o->app.rows)) {
			fprintf(stderr, "error: --size needs COLSxROWS (e.g. 120x40), not \"%s\"\n", v);
			return -1;
		}
	} else if (strcmp(flag, "--now") == 0) {
		if (!parse_now(v, &o->app.fixed_now)) {
			fprintf(stderr, "error: --now needs an RFC 3339 time or Unix seconds\n");
			return -1;
		}
	}
	return 0;
}

static int parse_flags(struct dash_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool done = false;

		if (strcmp(a, "--ascii") == 0) {
			o->app.ascii = true;
			continue;
		}
		if (strcmp(a, "--mouse") == 0) {
			o->app.mouse = true;
			continue;
		}
		if (strcmp(a, "--offline") == 0 || strcmp(a, "--no-collect") == 0) {
			if (a[2] == 'o')
				o->offline = true;
			else
				o->no_collect = true;
			continue;
		}
		for (int k = 0; value_flags[k] && !done; k++) {
			if (strcmp(a, value_flags[k]) == 0) {
				if (i + 1 >= argc) {
					fprintf(stderr, "error: flag needs an argument: %s\n", a);
					return -1;
				}
				if (set_value(o, value_flags[k], argv[++i]) != 0)
					return -1;
				done = true;
			} else if ((v = flag_value(a, value_flags[k]))) {
				if (set_value(o, value_flags[k], v) != 0)
					return -1;
				done = true;
			}
		}
		if (!done) {
			fprintf(stderr, "error: unknown flag: %s\nSee 'opsdeck --help'.\n", a);
			return -1;
		}
	}
	return 0;
}

/* Context and namespace for the status bar, from the kubeconfig when it resolves. */
static void fill_status(struct app *app, const struct global_opts *g)
{
	struct kubeconfig_source src;
	struct kube_target *t = NULL;
	struct err e = { 0 };

	app->status.read_only = g->read_only;
	kubeconfig_source_from_env(&src, g->kubeconfig);
	if (kube_target_load(&src, g->context, g->namespace_, &t, &e) == OD_OK) {
		snprintf(app->status.context, sizeof(app->status.context), "%s",
			 t->context ? t->context : "in-cluster");
		snprintf(app->status.namespace_, sizeof(app->status.namespace_), "%s",
			 t->namespace_);
		kube_target_free(&t);
	} else {
		if (g->context)
			snprintf(app->status.context, sizeof(app->status.context), "%s", g->context);
		if (g->namespace_)
			snprintf(app->status.namespace_, sizeof(app->status.namespace_), "%s",
				 g->namespace_);
	}
	if (g->all_namespaces)
		snprintf(app->status.namespace_, sizeof(app->status.namespace_), "*");
}

/* What the dashboard read from the history store; owned, freed by history_free. */
struct history_rows {
	struct podview_array *pods;
	struct eventview_array *events;
};

static void history_free(struct history_rows *h)
{
	podview_array_free(&h->pods);
	eventview_array_free(&h->events);
}

#define EVENTS_WINDOW_S (24 * 3600)

/*
 * Paints the last-known pods of the context from the history store, marked
 * stale, until a live source replaces them, and the archived events of the
 * last day. The store is only read: a missing database is not created here
 * (the collector owns it).
 */
static void attach_history(struct app *app, const struct global_opts *g,
			   struct history_rows *h)
{
	char path[PATHS_MAX];
	struct store *st = NULL;
	struct err e = { 0 };
	int64_t saved_at = 0;

	if (!app->status.context[0])
		return;
	if (g->db_path && *g->db_path)
		snprintf(path, sizeof(path), "%s", g->db_path);
	else if (store_default_path(path, sizeof(path), &e) != OD_OK)
		return;
	if (access(path, F_OK) != 0)
		return;
	if (store_open(path, NULL, &st, &e) != OD_OK ||
	    podview_array_new(&h->pods, &e) != OD_OK ||
	    eventview_array_new(&h->events, &e) != OD_OK ||
	    podstate_load(st, app->status.context, h->pods, &saved_at, &e) != OD_OK ||
	    eventview_load_store(h->events, st, app->status.context,
				 app->now - EVENTS_WINDOW_S, &e) != OD_OK) {
		app_message(app, true, "history: %s", e.msg);
		history_free(h);
		goto out;
	}
	if (saved_at > 0) {
		app->status.stale_since = saved_at;
		snprintf(app->status.source, sizeof(app->status.source), "last known");
		app_set_pod_source(app, podview_array_source(h->pods));
	}
	app_set_event_source(app, eventview_array_source(h->events));
out:
	store_close(&st);
}

/* The live side: last-known rows at once, then the connection (ui_live.h). */
static int start_live(struct app *app, const struct dash_opts *o, const struct global_opts *g,
		      struct ui_live **live)
{
	struct live_opts lo = { .kubeconfig = g->kubeconfig, .db_path = g->db_path,
				.all_namespaces = g->all_namespaces, .collect = !o->no_collect,
				.profile = o->profile };
	struct err e = { 0 };
	int64_t ns;

	if (g->request_timeout && strcmp(g->request_timeout, "0") != 0) {
		if (duration_parse(g->request_timeout, &ns, &e) != OD_OK) {
			fprintf(stderr, "error: --request-timeout: %s\n", e.msg);
			return -1;
		}
		lo.request_timeout_ms = (long)(ns / 1000000);
	}
	if (live_new(app, &lo, live, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int run(struct dash_opts *o, const struct global_opts *g)
{
	struct loop *lp = NULL;
	struct podview_array *replay = NULL;
	struct history_rows history = { 0 };
	struct ui_live *live = NULL;
	struct app *app = calloc(1, sizeof(*app));
	struct err e = { 0 };
	int code = EXIT_USAGE;

	if (!app || loop_new(&lp, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", app ? e.msg : "out of memory");
		goto out;
	}
	if (o->replay) {
		if (podview_array_new(&replay, &e) != OD_OK ||
		    podview_array_load_tsv(replay, o->replay, &e) != OD_OK) {
			fprintf(stderr, "error: %s\n", e.msg);
			goto out;
		}
	}
	o->app.alerts_pane = &pane_alerts_ops;
	o->app.alerts_triage = pane_alerts_triage;
	o->app.trends_source = &trends_prom_source;
	if (app_init(app, &o->app, lp, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		goto out;
	}
	/* Replays are for tests and demos: they must not depend on the caller's kubeconfig. */
	if (!o->replay)
		fill_status(app, g);
	else
		app->status.read_only = g->read_only;
	if (o->replay && g->context)
		snprintf(app->status.context, sizeof(app->status.context), "%s", g->context);
	if (o->replay && g->all_namespaces)
		snprintf(app->status.namespace_, sizeof(app->status.namespace_), "*");
	else if (o->replay && g->namespace_)
		snprintf(app->status.namespace_, sizeof(app->status.namespace_), "%s", g->namespace_);
	if (replay) {
		app_set_pod_source(app, podview_array_source(replay));
		snprintf(app->status.source, sizeof(app->status.source), "replay");
	} else if (o->app.headless || o->offline) {
		attach_history(app, g, &history);
	} else if (start_live(app, o, g, &live) != 0) {
		app_fini(app);
		goto out;
	}
	code = EXIT_OK;
	if (o->app.headless) {
		if (headless_run(app, o->script, o->dump_dir ? o->dump_dir : ".", &e) != OD_OK) {
			app_fini(app);
			fprintf(stderr, "error: %s\n", e.msg);
			code = EXIT_USAGE;
			goto out;
		}
	} else {
		app_update(app);
		if (loop_run(lp, &e) != OD_OK)
			code = 1;
	}
	if (app->exit_code)
		code = app->exit_code;
	live_free(&live);
	app_fini(app);
out:
	podview_array_free(&replay);
	history_free(&history);
	loop_free(&lp);
	free(app);
	return code;
}

int ui_dashboard_main(const struct global_opts *g, int argc, char **argv)
{
	struct dash_opts o = { 0 };
	const char *nc = getenv("NO_COLOR");

	o.app.cols = 120;
	o.app.rows = 40;
	if (parse_flags(&o, argc, argv) != 0)
		return EXIT_USAGE;
	o.app.no_color = nc && *nc;
	o.app.kubeconfig = g->kubeconfig;
	o.app.db_path = g->db_path;
	o.app.headless = o.script != NULL;
	if (!o.app.headless && o.dump_dir) {
		fprintf(stderr, "error: --screen-dump needs --headless-script\n");
		return EXIT_USAGE;
	}
	return run(&o, g);
}
