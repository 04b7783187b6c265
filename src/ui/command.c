/*
 * command.c: the ':' command table and argument completion (ui_command.h).
 * Commands act through the app's functions; parsing the line is kept apart
 * from acting on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/kubeconfig.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_command.h"
#include "opsdeck/ui_pane_logs.h"
#include "opsdeck/ui_pane_pods.h"
#include "opsdeck/ui_pane_trends.h"

#define ARG_MAX 200

static enum od_status cmd_quit(struct app *app, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	app->quit = true;
	return OD_OK;
}

static enum od_status cmd_help(struct app *app, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	app->help_open = true;
	app->need_layout = true;
	return OD_OK;
}

static enum od_status cmd_theme(struct app *app, const char *arg, struct err *e)
{
	if (!*arg)
		return err_set(e, OD_EUSAGE, "theme: which one? (Tab lists them)");
	if (app_set_theme(app, arg, e) != OD_OK)
		return e->status;
	app_message(app, false, "theme %s", arg);
	return OD_OK;
}

static enum od_status cmd_sort(struct app *app, const char *arg, struct err *e)
{
	struct pane *p = &app->panes[app->focus];

	if (!p->ops->sort_by)
		return err_set(e, OD_EUSAGE, "%s cannot be sorted", p->ops->title);
	if (!*arg)
		return err_set(e, OD_EUSAGE, "sort: by which column? (Tab lists them)");
	return p->ops->sort_by(p, arg, e) ? OD_OK : e->status;
}

static enum od_status cmd_filter(struct app *app, const char *arg, struct err *e)
{
	struct pane *p = &app->panes[app->focus];

	if (!p->ops->filter)
		return err_set(e, OD_EUSAGE, "%s cannot be filtered", p->ops->title);
	cmdline_open(&app->filter, arg);
	p->ops->filter(p, arg);
	return OD_OK;
}

static enum od_status cmd_zoom(struct app *app, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	app->zoomed = !app->zoomed;
	app->need_layout = true;
	return OD_OK;
}

static enum od_status cmd_pane(struct app *app, const char *arg, struct err *e)
{
	for (int i = 0; i < LAYOUT_PANES; i++) {
		char num[4];

		snprintf(num, sizeof(num), "%d", i + 1);
		if (strcmp(arg, app->panes[i].ops->name) == 0 || strcmp(arg, num) == 0) {
			app_focus(app, i);
			return OD_OK;
		}
	}
	return err_set(e, OD_ENOENT, "no pane called \"%.64s\"", arg);
}

static enum od_status cmd_ns(struct app *app, const char *arg, struct err *e)
{
	if (!*arg)
		return err_set(e, OD_EUSAGE, "ns: which namespace? (\"*\" for all)");
	snprintf(app->status.namespace_, sizeof(app->status.namespace_), "%s", arg);
	app->dirty_status = true;
	app->panes[0].dirty = true;
	/* The Pods pane reads the namespace from the status model when it recalculates. */
	if (app->panes[0].ops->filter)
		app->panes[0].ops->filter(&app->panes[0], app->filter.text);
	app_message(app, false, "namespace %s", arg);
	if (app->on_target)
		app->on_target(app->target_arg, false);
	return OD_OK;
}

/* The merged kubeconfig as kubectl would read it; NULL when there is none. */
static struct kubeconfig *load_kubeconfig(const struct app *app)
{
	struct kubeconfig_source src;
	struct kubeconfig *kc = NULL;
	struct err e = { 0 };

	kubeconfig_source_from_env(&src, app->opts.kubeconfig);
	if (kubeconfig_load(&src, &kc, &e) != OD_OK)
		return NULL;
	return kc;
}

static enum od_status cmd_ctx(struct app *app, const char *arg, struct err *e)
{
	struct kubeconfig *kc;
	bool known;

	if (!*arg)
		return err_set(e, OD_EUSAGE, "ctx: which context?");
	/* With a kubeconfig at hand, only its contexts make sense. */
	kc = load_kubeconfig(app);
	if (kc) {
		known = kubeconfig_find_context(kc, arg) != NULL;
		kubeconfig_free(&kc);
		if (!known)
			return err_set(e, OD_ENOENT, "no context named \"%.64s\"", arg);
	}
	snprintf(app->status.context, sizeof(app->status.context), "%s", arg);
	app->dirty_status = true;
	app_message(app, false, "context %s", arg);
	if (app->on_target)
		app->on_target(app->target_arg, true);
	return OD_OK;
}

const struct ui_command ui_commands[] = {
	{ .name = "quit", .args = "", .help = "Quit opsdeck", .arg = CMDARG_NONE, .run = cmd_quit },
	{ .name = "q", .args = "", .help = "Quit opsdeck", .arg = CMDARG_NONE, .run = cmd_quit },
	{ .name = "help", .args = "", .help = "Show the help screen", .arg = CMDARG_NONE,
	  .run = cmd_help },
	{ .name = "theme", .args = "NAME", .help = "Switch the colour theme", .arg = CMDARG_THEME,
	  .run = cmd_theme },
	{ .name = "sort", .args = "COLUMN[-]|trouble",
	  .help = "Sort by a column (a trailing '-' reverses), or trouble first",
	  .arg = CMDARG_COLUMN, .run = cmd_sort },
	{ .name = "filter", .args = "TEXT", .help = "Filter rows, like '/'", .arg = CMDARG_TEXT,
	  .run = cmd_filter },
	{ .name = "zoom", .args = "", .help = "Zoom the focused pane, or back", .arg = CMDARG_NONE,
	  .run = cmd_zoom },
	{ .name = "pane", .args = "NAME|N", .help = "Focus a pane", .arg = CMDARG_PANE,
	  .run = cmd_pane },
	{ .name = "ns", .args = "NAME|*", .help = "Show one namespace, or all with *",
	  .arg = CMDARG_NAMESPACE, .run = cmd_ns },
	{ .name = "ctx", .args = "NAME", .help = "Switch the kubeconfig context",
	  .arg = CMDARG_CONTEXT, .run = cmd_ctx },
	{ .name = "history", .args = "TIME|-2h|now",
	  .help = "Trends: end the window at TIME (RFC 3339, -2h, -3d), or now",
	  .arg = CMDARG_TEXT, .run = trends_command_history },
	{ .name = "source", .args = "store|prometheus",
	  .help = "Trends: read the charts from the history store or the context's Prometheus",
	  .arg = CMDARG_TEXT, .run = trends_command_source },
	{ .name = "logs", .args = "-l SELECTOR",
	  .help = "Logs: follow every pod matching a label selector; alone, the selected pod",
	  .arg = CMDARG_TEXT, .run = logs_command },
	{ .name = NULL },
};

const struct ui_command *ui_command_find(const char *name)
{
	for (const struct ui_command *c = ui_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Splits "name arg..." into its two parts, trimming blanks. */
static void split_line(const char *line, char *name, size_t nn, char *arg, size_t an)
{
	size_t i = 0, k = 0;

	while (line[i] == ' ')
		i++;
	while (line[i] && line[i] != ' ' && k + 1 < nn)
		name[k++] = line[i++];
	name[k] = '\0';
	while (line[i] == ' ')
		i++;
	snprintf(arg, an, "%s", line + i);
	for (k = strlen(arg); k > 0 && arg[k - 1] == ' '; k--)
		arg[k - 1] = '\0';
}

enum od_status ui_command_run(struct app *app, const char *line, struct err *e)
{
	char name[32], arg[ARG_MAX];
	const struct ui_command *c;

	split_line(line, name, sizeof(name), arg, sizeof(arg));
	if (!name[0])
		return OD_OK;
	c = ui_command_find(name);
	if (!c)
		return err_set(e, OD_ENOENT, "unknown command \"%.32s\" (? lists them)", name);
	return c->run(app, arg, e);
}

static void add(char **cands, size_t max, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(cands[i], s) == 0)
			return;
	if (*n < max && (cands[*n] = strdup(s)))
		(*n)++;
}

static void add_namespaces(struct app *app, char **cands, size_t max, size_t *n)
{
	add(cands, max, n, "*");
	if (!app->pods.ops)
		return;
	for (size_t i = 0, k = app->pods.ops->count(app->pods.self); i < k && *n < max; i++)
		add(cands, max, n, app->pods.ops->row(app->pods.self, i)->namespace_);
}

static void add_contexts(struct app *app, char **cands, size_t max, size_t *n)
{
	struct kubeconfig *kc = load_kubeconfig(app);

	if (!kc)
		return;
	for (size_t i = 0; i < kc->ncontexts; i++)
		if (kc->contexts[i].name)
			add(cands, max, n, kc->contexts[i].name);
	kubeconfig_free(&kc);
}

size_t ui_command_candidates(struct app *app, const char *line, char **cands, size_t max)
{
	char name[32], arg[ARG_MAX];
	const struct ui_command *c;
	const char *cols[32];
	size_t n = 0, k;

	if (!strchr(line, ' ')) {
		for (c = ui_commands; c->name; c++)
			add(cands, max, &n, c->name);
		return n;
	}
	split_line(line, name, sizeof(name), arg, sizeof(arg));
	c = ui_command_find(name);
	if (!c)
		return 0;
	switch (c->arg) {
	case CMDARG_THEME:
		return theme_list_names(cands, max);
	case CMDARG_COLUMN:
		k = pane_pods_column_names(cols, 32);
		for (size_t i = 0; i < k; i++)
			add(cands, max, &n, cols[i]);
		add(cands, max, &n, "trouble");
		return n;
	case CMDARG_PANE:
		for (int i = 0; i < LAYOUT_PANES; i++)
			add(cands, max, &n, app->panes[i].ops->name);
		return n;
	case CMDARG_NAMESPACE:
		add_namespaces(app, cands, max, &n);
		return n;
	case CMDARG_CONTEXT:
		add_contexts(app, cands, max, &n);
		return n;
	case CMDARG_NONE:
	case CMDARG_TEXT:
		break;
	}
	return 0;
}

void ui_command_free_candidates(char **cands, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cands[i]);
		cands[i] = NULL;
	}
}
