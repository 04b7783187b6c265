/*
 * app.c: the dashboard's life cycle, key dispatch and the update cycle
 * (ui_app.h). Nothing here draws pane contents: panes paint themselves when
 * dirty, and app_update() writes to the terminal once per round, so an idle
 * dashboard sends next to nothing.
 */
#include <curses.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "opsdeck/ui_app.h"
#include "opsdeck/ui_command.h"
#include "opsdeck/ui_describe.h"
#include "opsdeck/ui_help.h"
#include "opsdeck/ui_incident.h"
#include "opsdeck/ui_pane_action.h"
#include "opsdeck/ui_pane_events.h"
#include "opsdeck/ui_pane_logs.h"
#include "opsdeck/ui_pane_checklist.h"
#include "opsdeck/ui_pane_nodes.h"
#include "opsdeck/ui_pane_pods.h"
#include "opsdeck/ui_pane_trends.h"
#include "opsdeck/ui_pane_triage.h"
#include "opsdeck/ui_text.h"

static const struct pane_ops *const pane_table[LAYOUT_PANES] = {
	&pane_pods_ops, &trends_pane_ops, &logs_pane_ops,
	&pane_checklist_ops, &pane_events_ops, &pane_nodes_ops,
};

static int64_t app_clock(const struct app *app)
{
	return app->opts.fixed_now ? app->opts.fixed_now : (int64_t)time(NULL) + app->clock_skew_s;
}

void app_mark_all(struct app *app)
{
	app->full_redraw = true;
}

const char *app_context_flag(const struct app *app)
{
	const char *c = app->status.context;

	return c[0] && strcmp(c, "in-cluster") != 0 ? c : NULL;
}

void app_message(struct app *app, bool is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof(app->message), fmt, ap);
	va_end(ap);
	app->message_error = is_error;
	app->dirty_bottom = true;
}

static void app_build_palette(struct app *app)
{
	palette_build(&app->palette, &app->theme, term_colors(app->term),
		      term_default_colors(app->term));
}

enum od_status app_set_theme(struct app *app, const char *name, struct err *e)
{
	enum od_status rc = theme_load(&app->theme, name, e);

	if (rc != OD_OK)
		return rc;
	if (app->term)
		app_build_palette(app);
	app_mark_all(app);
	return OD_OK;
}

void app_focus(struct app *app, int index)
{
	if (index < 0 || index >= LAYOUT_PANES || index == app->focus)
		return;
	app->focus = index;
	/* In single-pane and zoom modes the layout itself depends on the focus. */
	app->need_layout = true;
}

void app_set_event_source(struct app *app, struct event_source src)
{
	app->events = src;
	app->panes[4].dirty = true;
}

void app_set_pod_source(struct app *app, struct pod_source src)
{
	app->pods = src;
	app->panes[0].dirty = true;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* --- signals, input and the refresh timer: all arrive through the loop --- */

static void on_signal(struct loop *lp, int signo, void *arg)
{
	struct app *app = arg;

	switch (signo) {
	case SIGWINCH:
		app_resize(app, 0, 0);
		break;
	case SIGTSTP:
		term_suspend(app->term);
		app_resize(app, 0, 0);
		app_mark_all(app);
		break;
	case SIGCONT:
		/* Stopped by SIGSTOP, or resumed after a suspend: the screen may be anything. */
		clearok(curscr, TRUE);
		app_resize(app, 0, 0);
		break;
	default: /* SIGTERM, SIGINT, SIGHUP: leave now, restoring the terminal on the way */
		app->quit = true;
		app->exit_code = signo == SIGINT ? 130 : 128 + signo;
		loop_stop(lp);
		return;
	}
	app_update(app);
}

static bool input_closed(int fd, short revents)
{
	int avail = 0;

	if (revents & (POLLERR | POLLNVAL))
		return true;
	if (revents & POLLHUP)
		return true;
	/* Readable with nothing to read is end of file: the terminal went away. */
	return ioctl(fd, FIONREAD, &avail) == 0 && avail == 0;
}

static void on_input(struct loop *lp, int fd, short revents, void *arg)
{
	struct app *app = arg;
	int key;

	if (input_closed(fd, revents)) {
		app->quit = true;
		app->exit_code = 1;
		loop_stop(lp);
		return;
	}
	while (!app->quit && (key = wgetch(stdscr)) != ERR)
		app_handle_key(app, key);
	if (app->quit) {
		loop_stop(lp);
		return;
	}
	app_update(app);
}

static void on_refresh(struct loop *lp, uint64_t id, void *arg)
{
	struct app *app = arg;

	(void)lp;
	(void)id;
	app->now = app_clock(app);
	/* Ages and clocks move; ncurses sends only the cells that changed. */
	app->panes[0].dirty = true;
	app->dirty_status = true;
	app_update(app);
}

static enum od_status watch_signals(struct app *app, struct err *e)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGTSTP, SIGCONT };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		enum od_status rc = loop_signal_watch(app->loop, sigs[i], on_signal, app, e);

		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

enum od_status app_init(struct app *app, const struct app_opts *o, struct loop *lp,
			struct err *e)
{
	struct term_opts to = { 0 };
	const char *theme = o->theme;
	enum od_status rc;

	memset(app, 0, sizeof(*app));
	app->opts = *o;
	app->loop = lp;
	app->now = app_clock(app);
	app->ascii = o->ascii || !locale_is_utf8();
	status_model_init(&app->status);
	cmdline_init(&app->cmd, ":");
	cmdline_init(&app->filter, "/");
	cmdline_init(&app->prompt, "");
	/* Files first: a broken keymap or theme is reported before the screen changes. */
	rc = keymap_load_default(&app->keymap, e);
	if (rc != OD_OK)
		return rc;
	if (!theme)
		theme = o->no_color ? "monochrome" : "default";
	rc = theme_load(&app->theme, theme, e);
	if (rc != OD_OK)
		return rc;
	for (int i = 0; i < LAYOUT_PANES; i++) {
		rc = pane_init(&app->panes[i], pane_table[i], app, i, e);
		if (rc != OD_OK)
			goto fail;
	}
	rc = pane_init(&app->help, &pane_help_ops, app, -1, e);
	if (rc != OD_OK)
		goto fail;
	rc = pane_init(&app->describe, &pane_describe_ops, app, -1, e);
	if (rc != OD_OK)
		goto fail;
	rc = pane_init(&app->triage, &pane_triage_ops, app, -1, e);
	if (rc != OD_OK)
		goto fail;
	if (o->alerts_pane) {
		rc = pane_init(&app->alerts, o->alerts_pane, app, -1, e);
		if (rc != OD_OK)
			goto fail;
	}
	rc = pane_init(&app->action, &pane_action_ops, app, -1, e);
	if (rc != OD_OK)
		goto fail;
	/* The loop's handlers go in before curses starts, so curses leaves these signals alone. */
	if (!o->headless) {
		rc = watch_signals(app, e);
		if (rc != OD_OK)
			goto fail;
	}
	to.headless = o->headless;
	to.cols = o->cols;
	to.rows = o->rows;
	to.no_color = o->no_color;
	to.mouse = o->mouse;
	rc = term_open(&app->term, &to, e);
	if (rc != OD_OK)
		goto fail;
	app_build_palette(app);
	if (!o->headless) {
		rc = loop_fd_add(lp, term_input_fd(app->term), POLLIN, on_input, app, e);
		if (rc != OD_OK)
			goto fail;
		app->refresh_timer = loop_timer_add(lp, APP_REFRESH_MS, APP_REFRESH_MS, on_refresh,
						    app);
	}
	rc = incident_ui_new(app, o->db_path, &app->incident, e);
	if (rc != OD_OK)
		goto fail;
	if (term_fell_back(app->term))
		app_message(app, false, "unknown TERM; using %s", term_name(app->term));
	app->need_layout = true;
	return OD_OK;
fail:
	app_fini(app);
	return rc;
}

void app_fini(struct app *app)
{
	if (app->loop && app->term && !app->opts.headless)
		loop_fd_remove(app->loop, term_input_fd(app->term));
	if (app->loop && app->refresh_timer)
		loop_timer_cancel(app->loop, app->refresh_timer);
	app->refresh_timer = 0;
	term_close(&app->term);
	for (int i = 0; i < LAYOUT_PANES; i++)
		pane_fini(&app->panes[i]);
	pane_fini(&app->help);
	pane_fini(&app->describe);
	pane_fini(&app->triage);
	pane_fini(&app->alerts);
	incident_ui_free(&app->incident);
	pane_fini(&app->action);
}

enum od_status app_open_describe(struct app *app, const char *title, const char *text,
				 struct err *e)
{
	enum od_status rc = describe_open(&app->describe, title, text, e);

	if (rc == OD_OK) {
		app->describe_shown = true;
		app->need_layout = true;
	}
	return rc;
}

void app_resize(struct app *app, int cols, int rows)
{
	if (app->term)
		term_resize(app->term, cols, rows);
	app->need_layout = true;
}

void app_prompt(struct app *app, const char *prompt, app_prompt_fn done, void *arg)
{
	snprintf(app->prompt_text, sizeof(app->prompt_text), "%s", prompt);
	app->prompt_done = done;
	app->prompt_arg = arg;
	cmdline_open(&app->prompt, NULL);
	app->input = APP_INPUT_PROMPT;
	app->message[0] = '\0';
	app->dirty_bottom = true;
}

/* --- keys --- */

static struct pane *focused(struct app *app)
{
	return &app->panes[app->focus];
}

static void apply_filter(struct app *app)
{
	struct pane *p = focused(app);

	if (p->ops->filter)
		p->ops->filter(p, app->filter.text);
}

static void filter_key(struct app *app, int key)
{
	switch (cmdline_key(&app->filter, key)) {
	case CMDLINE_ACCEPT:
		cmdline_history_add(&app->filter);
		app->input = APP_INPUT_NORMAL;
		break;
	case CMDLINE_CANCEL:
		cmdline_open(&app->filter, NULL);
		apply_filter(app);
		app->input = APP_INPUT_NORMAL;
		break;
	case CMDLINE_COMPLETE:
		break;
	case CMDLINE_EDITING:
		/* Filter as the user types: the table narrows with every key. */
		apply_filter(app);
		break;
	}
	app->dirty_bottom = true;
}

static void prompt_key(struct app *app, int key)
{
	switch (cmdline_key(&app->prompt, key)) {
	case CMDLINE_ACCEPT:
		app->input = APP_INPUT_NORMAL;
		/* done may open another prompt: it runs last. */
		if (app->prompt_done)
			app->prompt_done(app, app->prompt.text, app->prompt_arg);
		break;
	case CMDLINE_CANCEL:
		app->input = APP_INPUT_NORMAL;
		app_message(app, false, "cancelled");
		break;
	case CMDLINE_COMPLETE:
	case CMDLINE_EDITING:
		break;
	}
	app->dirty_bottom = true;
}

static void complete_command(struct app *app)
{
	char *cands[128];
	size_t n = ui_command_candidates(app, app->cmd.text, cands, 128);
	size_t matches = cmdline_complete(&app->cmd, (const char *const *)cands, n);

	if (matches > 1) {
		/* Several fit: list them on the message line, as a shell would. */
		char list[APP_MESSAGE_MAX] = "";
		size_t ws = cmdline_word_start(&app->cmd), o = 0;

		for (size_t i = 0; i < n && o < sizeof(list); i++) {
			if (strncmp(cands[i], app->cmd.text + ws, app->cmd.cur - ws) != 0)
				continue;
			int w = snprintf(list + o, sizeof(list) - o, "%s%s", o ? "  " : "", cands[i]);

			if (w < 0)
				break;
			o += (size_t)w;
		}
		app_message(app, false, "%s", list);
	}
	ui_command_free_candidates(cands, n);
}

static void command_key(struct app *app, int key)
{
	struct err e = { 0 };

	switch (cmdline_key(&app->cmd, key)) {
	case CMDLINE_ACCEPT:
		cmdline_history_add(&app->cmd);
		app->input = APP_INPUT_NORMAL;
		app->message[0] = '\0';
		if (ui_command_run(app, app->cmd.text, &e) != OD_OK)
			app_message(app, true, "%s", e.msg);
		break;
	case CMDLINE_CANCEL:
		app->input = APP_INPUT_NORMAL;
		app->message[0] = '\0';
		break;
	case CMDLINE_COMPLETE:
		app->message[0] = '\0';
		complete_command(app);
		break;
	case CMDLINE_EDITING:
		app->message[0] = '\0';
		break;
	}
	app->dirty_bottom = true;
}

static void mouse_event(struct app *app)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		app_handle_key(app, KEY_UP);
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		app_handle_key(app, KEY_DOWN);
		return;
	}
	for (int i = 0; i < LAYOUT_PANES; i++) {
		struct rect r = app->layout.pane[i];

		if (!rect_is_empty(r) && ev.y >= r.y && ev.y < r.y + r.h && ev.x >= r.x &&
		    ev.x < r.x + r.w)
			app_focus(app, i);
	}
}

/* Actions that belong to the whole screen rather than to the focused pane. */
static bool global_action(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_QUIT:
		app->quit = true;
		return true;
	case ACTION_HELP:
		app->help_open = !app->help_open;
		app->need_layout = true;
		return true;
	case ACTION_NEXT_PANE:
		app_focus(app, (app->focus + 1) % LAYOUT_PANES);
		return true;
	case ACTION_PREV_PANE:
		app_focus(app, (app->focus + LAYOUT_PANES - 1) % LAYOUT_PANES);
		return true;
	case ACTION_PANE_1: case ACTION_PANE_2: case ACTION_PANE_3:
	case ACTION_PANE_4: case ACTION_PANE_5: case ACTION_PANE_6:
		app_focus(app, (int)(a - ACTION_PANE_1));
		return true;
	case ACTION_ZOOM:
		app->zoomed = !app->zoomed;
		app->need_layout = true;
		return true;
	case ACTION_FILTER:
		if (!focused(app)->ops->filter) {
			app_message(app, false, "%s cannot be filtered", focused(app)->ops->title);
			return true;
		}
		app->input = APP_INPUT_FILTER;
		cmdline_open(&app->filter, NULL);
		apply_filter(app);
		app->dirty_bottom = true;
		return true;
	case ACTION_COMMAND:
		app->input = APP_INPUT_COMMAND;
		cmdline_open(&app->cmd, NULL);
		app->dirty_bottom = true;
		return true;
	case ACTION_ACTION_MENU:
	case ACTION_ACTION_RESTART:
		pane_action_open(&app->action, a == ACTION_ACTION_MENU ? AM_ITEM_COUNT : AM_RESTART);
		return true;
	case ACTION_TRIAGE:
		app->triage_shown = !app->triage_shown;
		app->alerts_shown = false;
		app->need_layout = true;
		return true;
	case ACTION_ALERTS:
		if (!app->alerts.ops) {
			app_message(app, true, "no Alerts view in this build");
			return true;
		}
		app->alerts_shown = !app->alerts_shown;
		app->triage_shown = false;
		app->need_layout = true;
		return true;
	case ACTION_INCIDENT_START:
	case ACTION_INCIDENT_NOTE:
	case ACTION_INCIDENT_EVIDENCE:
		return app->incident && incident_ui_action(app->incident, a);
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		app_mark_all(app);
		return true;
	default:
		return false;
	}
}

static void cancel_action(struct app *app)
{
	if (app->filter.len) {
		cmdline_open(&app->filter, NULL);
		apply_filter(app);
		app->dirty_bottom = true;
	} else if (app->zoomed) {
		app->zoomed = false;
		app->need_layout = true;
	}
	app->message[0] = '\0';
	app->dirty_bottom = true;
}

void app_handle_key(struct app *app, int key)
{
	enum action a;

	/* resizeterm() queues KEY_RESIZE after it has already resized: only lay out again. */
	if (key == KEY_RESIZE) {
		app->need_layout = true;
		return;
	}
	if (key == KEY_MOUSE) {
		mouse_event(app);
		return;
	}
	if (app->input == APP_INPUT_FILTER) {
		filter_key(app, key);
		return;
	}
	if (app->input == APP_INPUT_COMMAND) {
		command_key(app, key);
		return;
	}
	if (app->input == APP_INPUT_PROMPT) {
		prompt_key(app, key);
		return;
	}
	/* The action overlay reads raw keys: it has prompts to type into. */
	if (app->action_shown && !app->help_open) {
		pane_action_key(&app->action, key);
		app->dirty_bottom = true;
		return;
	}
	/* A pane editing a prompt of its own (a checklist note) takes the key first. */
	if (!app->describe_shown && !app->help_open && !app->triage_shown && !app->alerts_shown &&
	    focused(app)->ops->key &&
	    focused(app)->ops->key(focused(app), key)) {
		app->dirty_bottom = true;
		return;
	}
	a = keymap_lookup(&app->keymap, key);
	/* A message stays until the next key, like vim's. */
	if (app->message[0] && a != ACTION_NONE) {
		app->message[0] = '\0';
		app->dirty_bottom = true;
	}
	if (app->describe_shown && !app->help_open) {
		if (a == ACTION_CANCEL || a == ACTION_QUIT || a == ACTION_OPEN) {
			app->describe_shown = false;
			app->need_layout = true;
		} else if (a == ACTION_HELP) {
			global_action(app, a);
		} else {
			app->describe.ops->action(&app->describe, a);
		}
		return;
	}
	if (app->alerts_shown && !app->help_open) {
		if (a == ACTION_CANCEL || a == ACTION_QUIT || a == ACTION_ALERTS) {
			app->alerts_shown = false;
			app->need_layout = true;
		} else if (a == ACTION_HELP || a == ACTION_TRIAGE || a == ACTION_INCIDENT_START ||
			   a == ACTION_INCIDENT_NOTE || a == ACTION_INCIDENT_EVIDENCE) {
			global_action(app, a);
		} else if (app->alerts.ops->action && app->alerts.ops->action(&app->alerts, a)) {
			app->dirty_bottom = true;
		}
		return;
	}
	if (app->triage_shown && !app->help_open) {
		if (a == ACTION_CANCEL || a == ACTION_QUIT || a == ACTION_TRIAGE) {
			app->triage_shown = false;
			app->need_layout = true;
		} else if (a == ACTION_OPEN) {
			if (pane_triage_focus(&app->triage)) {
				app->triage_shown = false;
				app->need_layout = true;
			}
		} else if (a == ACTION_HELP || a == ACTION_INCIDENT_START ||
			   a == ACTION_INCIDENT_NOTE || a == ACTION_INCIDENT_EVIDENCE) {
			global_action(app, a);
		} else if (app->triage.ops->action(&app->triage, a)) {
			app->dirty_bottom = true;
		}
		return;
	}
	if (app->help_open) {
		if (a == ACTION_HELP || a == ACTION_CANCEL || a == ACTION_QUIT) {
			app->help_open = false;
			app->need_layout = true;
		} else if (app->help.ops->action) {
			app->help.ops->action(&app->help, a);
		}
		return;
	}
	if (a == ACTION_NONE)
		return;
	if (global_action(app, a))
		return;
	if (a == ACTION_CANCEL) {
		cancel_action(app);
		return;
	}
	if (focused(app)->ops->action && focused(app)->ops->action(focused(app), a))
		app->dirty_bottom = true; /* the selection it shows may have moved */
}

/* --- painting --- */

static struct canvas screen_canvas(struct app *app, struct rect r)
{
	struct canvas c = { .win = stdscr, .r = r, .ascii = app->ascii, .pal = &app->palette };

	return c;
}

static void paint_tabs(struct app *app)
{
	struct canvas c = screen_canvas(app, app->layout.tabs);
	int x = 0;

	draw_fill_row(&c, 0, canvas_attr(&c, THEME_TAB));
	for (int i = 0; i < LAYOUT_PANES && x < c.r.w; i++) {
		char t[64];

		snprintf(t, sizeof(t), " %d %s ", i + 1, app->panes[i].ops->title);
		x += draw_text(&c, 0, x, t, 0,
			       canvas_attr(&c, i == app->focus ? THEME_TAB_ACTIVE : THEME_TAB));
	}
}

/* The first key bound to a, or "" when none is. */
static void first_key(const struct app *app, enum action a, char *out, size_t n)
{
	int key;

	out[0] = '\0';
	if (keymap_keys_for(&app->keymap, a, &key, 1) == 1)
		keymap_key_name(key, out, n);
}

static void bottom_hint(struct app *app, char *out, size_t n)
{
	char q[KEYMAP_KEY_NAME_MAX], h[KEYMAP_KEY_NAME_MAX], f[KEYMAP_KEY_NAME_MAX];
	char c[KEYMAP_KEY_NAME_MAX], z[KEYMAP_KEY_NAME_MAX], sel[160] = "";
	struct pane *p = focused(app);

	if (app->action_shown && !app->help_open) {
		pane_action_hint(&app->action, out, n);
		return;
	}
	if (app->alerts_shown && !app->help_open) {
		if (app->alerts.ops->selection)
			app->alerts.ops->selection(&app->alerts, sel, sizeof(sel));
		snprintf(out, n, "%s%sEsc closes", sel, sel[0] ? "  " : "");
		return;
	}
	if (app->triage_shown && !app->help_open) {
		if (app->triage.ops->selection)
			app->triage.ops->selection(&app->triage, sel, sizeof(sel));
		snprintf(out, n, "%s%sEnter focuses the dashboard on it  Esc closes", sel,
			 sel[0] ? "  " : "");
		return;
	}
	if (app->help_open || app->describe_shown) {
		first_key(app, ACTION_HELP, h, sizeof(h));
		if (app->describe_shown && !app->help_open) {
			snprintf(out, n, "Up/Down scroll  Esc closes the describe view");
			return;
		}
		snprintf(out, n, "Up/Down scroll  %s or Esc closes the help", h);
		return;
	}
	first_key(app, ACTION_QUIT, q, sizeof(q));
	first_key(app, ACTION_HELP, h, sizeof(h));
	first_key(app, ACTION_FILTER, f, sizeof(f));
	first_key(app, ACTION_COMMAND, c, sizeof(c));
	first_key(app, ACTION_ZOOM, z, sizeof(z));
	if (p->ops->selection)
		p->ops->selection(p, sel, sizeof(sel));
	/* a hint longer than the line is cut, like every line of the screen */
	if (snprintf(out, n, "%s%s%s quit  %s help  %s filter  %s command  %s zoom", sel,
		     sel[0] ? "  " : "", q, h, f, c, z) >= (int)n)
		out[n - 1] = '\0';
}

static void paint_bottom(struct app *app)
{
	struct canvas c = screen_canvas(app, app->layout.bottom);
	const struct cmdline *cl = NULL;
	char hint[APP_MESSAGE_MAX];

	if (app->input == APP_INPUT_PROMPT) {
		char line[CMDLINE_MAX + sizeof(app->prompt_text)];

		snprintf(line, sizeof(line), "%s%s", app->prompt_text, app->prompt.text);
		draw_text_pad(&c, 0, 0, line, 0, canvas_attr(&c, THEME_CMDLINE));
		return;
	}
	if (app->input == APP_INPUT_COMMAND)
		cl = &app->cmd;
	else if (app->input == APP_INPUT_FILTER)
		cl = &app->filter;
	if (cl) {
		char line[CMDLINE_MAX + 8];
		int used;

		snprintf(line, sizeof(line), "%s%.*s", cl->prompt, (int)cl->cur, cl->text);
		draw_text_pad(&c, 0, 0, line, 0, canvas_attr(&c, THEME_CMDLINE));
		used = text_width(line, app->ascii);
		used += draw_text(&c, 0, used, cl->text + cl->cur, 0,
				  canvas_attr(&c, THEME_CMDLINE));
		/* Completions (or an error) show after the text being typed. */
		if (app->message[0])
			draw_text(&c, 0, used + 2, app->message, 0,
				  canvas_attr(&c, app->message_error ? THEME_MESSAGE_ERROR
								     : THEME_MESSAGE));
		return;
	}
	if (app->message[0]) {
		draw_text_pad(&c, 0, 0, app->message, 0,
			      canvas_attr(&c, app->message_error ? THEME_MESSAGE_ERROR
								 : THEME_MESSAGE));
		return;
	}
	bottom_hint(app, hint, sizeof(hint));
	draw_text_pad(&c, 0, 0, hint, 0, canvas_attr(&c, THEME_PANE_HINT));
}

/* Shows or hides the cursor, writing to the terminal only when that changes. */
static void set_cursor(struct app *app, bool on)
{
	if (app->cursor_on == on)
		return;
	curs_set(on ? 1 : 0);
	app->cursor_on = on;
}

static void place_cursor(struct app *app)
{
	const struct cmdline *cl = app->input == APP_INPUT_COMMAND ? &app->cmd
				 : app->input == APP_INPUT_FILTER  ? &app->filter
								   : NULL;
	char line[CMDLINE_MAX + sizeof(app->prompt_text)];
	int x;

	if (app->input == APP_INPUT_PROMPT)
		cl = &app->prompt;
	if (!cl || app->layout.mode == LAYOUT_TOO_SMALL) {
		set_cursor(app, false);
		return;
	}
	snprintf(line, sizeof(line), "%s%.*s", cl == &app->prompt ? app->prompt_text : cl->prompt,
		 (int)cl->cur, cl->text);
	x = text_width(line, app->ascii);
	if (x >= app->layout.bottom.w)
		x = app->layout.bottom.w - 1;
	set_cursor(app, true);
	move(app->layout.bottom.y, x);
}

static void paint_too_small(struct app *app)
{
	struct rect all = { 0, 0, LINES, COLS };
	struct canvas c = screen_canvas(app, all);
	char msg[64];

	erase();
	snprintf(msg, sizeof(msg), "opsdeck: terminal too small (%dx%d)", COLS, LINES);
	draw_text(&c, 0, 0, msg, 0, A_BOLD);
}

static void recalc_panes(struct app *app)
{
	for (int i = 0; i < LAYOUT_PANES; i++) {
		struct pane *p = &app->panes[i];
		struct err e = { 0 };

		if (!p->ops->needs_recalc || !p->ops->needs_recalc(p))
			continue;
		if (p->ops->recalc && p->ops->recalc(p, &e) != OD_OK)
			app_message(app, true, "%s: %s", p->ops->title, e.msg);
		p->dirty = true;
		if (i == app->focus)
			app->dirty_bottom = true;
	}
}

/* The triage overlay follows the model while it is shown; its ages move with the clock. */
static void recalc_triage(struct app *app)
{
	struct pane *p = &app->triage;
	struct err e = { 0 };

	if (!app->triage_shown || !p->ops->needs_recalc(p))
		return;
	if (p->ops->recalc(p, &e) != OD_OK)
		app_message(app, true, "%s: %s", p->ops->title, e.msg);
	p->dirty = true;
	app->dirty_bottom = true;
}

/* The alerts overlay asks its Alertmanager while it is shown. */
static void recalc_alerts(struct app *app)
{
	struct pane *p = &app->alerts;
	struct err e = { 0 };

	if (!app->alerts_shown || !p->ops || !p->ops->needs_recalc(p))
		return;
	if (p->ops->recalc(p, &e) != OD_OK)
		app_message(app, true, "%s: %s", p->ops->title, e.msg);
	p->dirty = true;
	app->dirty_bottom = true;
}

static bool paint_panes(struct app *app, bool all)
{
	struct canvas scr = screen_canvas(app, app->layout.status);
	bool painted = false;

	if (app->help_open || app->describe_shown || app->action_shown || app->triage_shown ||
	    app->alerts_shown) {
		struct rect body = { 1, 0, LINES - 2, COLS };
		struct pane *over = app->help_open        ? &app->help
				    : app->action_shown ? &app->action
				    : app->describe_shown ? &app->describe
				    : app->alerts_shown   ? &app->alerts
							: &app->triage;

		if (all || over->dirty) {
			pane_paint(over, &scr, body, true);
			painted = true;
		}
		return painted;
	}
	for (int i = 0; i < LAYOUT_PANES; i++) {
		struct pane *p = &app->panes[i];

		if (rect_is_empty(app->layout.pane[i]) || !(all || p->dirty))
			continue;
		pane_paint(p, &scr, app->layout.pane[i], i == app->focus);
		painted = true;
	}
	return painted;
}

void app_update(struct app *app)
{
	bool all = app->full_redraw, painted = false;
	char bar[sizeof(app->status_drawn)];

	if (app->need_layout) {
		layout_compute(&app->layout, COLS, LINES, app->focus, app->zoomed);
		app->need_layout = false;
		all = true;
	}
	recalc_panes(app);
	recalc_triage(app);
	recalc_alerts(app);
	if (app->layout.mode == LAYOUT_TOO_SMALL) {
		if (all) {
			paint_too_small(app);
			wnoutrefresh(stdscr);
			doupdate();
		}
		app->full_redraw = false;
		return;
	}
	if (all)
		erase();
	statusbar_format(&app->status, app->now, bar, sizeof(bar));
	if (all || (app->dirty_status && strcmp(bar, app->status_drawn) != 0)) {
		struct canvas c = screen_canvas(app, app->layout.status);

		statusbar_draw(&app->status, app->now, &c);
		snprintf(app->status_drawn, sizeof(app->status_drawn), "%s", bar);
		painted = true;
	}
	app->dirty_status = false;
	if (!rect_is_empty(app->layout.tabs) && !app->help_open && !app->describe_shown &&
	    !app->action_shown && !app->triage_shown && !app->alerts_shown &&
	    (all || app->dirty_tabs)) {
		paint_tabs(app);
		painted = true;
	}
	app->dirty_tabs = false;
	painted |= paint_panes(app, all);
	if (all || app->dirty_bottom) {
		paint_bottom(app);
		painted = true;
	}
	app->dirty_bottom = false;
	app->full_redraw = false;
	place_cursor(app);
	if (painted || app->input != APP_INPUT_NORMAL) {
		wnoutrefresh(stdscr);
		doupdate();
	}
}
