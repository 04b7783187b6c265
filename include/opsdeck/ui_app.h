/*
 * ui_app.h: the dashboard's state, passed to everything as struct app *.
 *
 * The app owns the terminal, the theme, the keymap, the panes and the status
 * model; it runs inside the one event loop (terminal input is an fd, signals
 * arrive as loop callbacks, the refresh is a timer). app_update() is the one
 * place that recalculates what changed and repaints what is dirty.
 */
#ifndef OPSDECK_UI_APP_H
#define OPSDECK_UI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/loop.h"
#include "opsdeck/ui_cmdline.h"
#include "opsdeck/ui_events.h"
#include "opsdeck/ui_keymap.h"
#include "opsdeck/ui_layout.h"
#include "opsdeck/ui_nodes.h"
#include "opsdeck/ui_palette.h"
#include "opsdeck/ui_pane.h"
#include "opsdeck/ui_podmodel.h"
#include "opsdeck/ui_statusbar.h"
#include "opsdeck/ui_term.h"
#include "opsdeck/ui_theme.h"

#define APP_MESSAGE_MAX 256
#define APP_REFRESH_MS 2000

struct trends_source_ops;
struct triage;

struct app_opts {
	const char *theme;         /* NULL: "default", or "monochrome" under NO_COLOR */
	bool ascii;                /* ASCII line drawing even in a UTF-8 locale */
	bool mouse;
	bool no_color;
	bool headless;             /* virtual screen of cols x rows, keys from a script */
	int cols, rows;
	int64_t fixed_now;         /* Unix seconds; 0 = the real clock (tests pin it) */
	const char *kubeconfig;    /* --kubeconfig (borrowed; NULL: $KUBECONFIG, ~/.kube/config) */
	const char *operator_name; /* --operator: who completes checklist runs (borrowed; NULL: $USER) */
	/* The 'A' overlay (ui_pane_alerts.h), given by the program so that the UI
	 * library does not pull in the Alertmanager client; NULL: none. Borrowed. */
	const struct pane_ops *alerts_pane;
	/* Adds the firing alerts that pane holds to the Triage view's findings
	 * (silenced ones left out), given with alerts_pane; NULL: none. */
	void (*alerts_triage)(struct pane *alerts, struct triage *t);
	/* The Trends pane's other history source (Prometheus, ui_pane_trends.h),
	 * given by the program likewise; NULL: the store only. Borrowed. */
	const struct trends_source_ops *trends_source;
	bool trends_remote;        /* --source prometheus: Trends starts on trends_source */
	const char *db_path;       /* --db (borrowed; NULL: the default history.db): the audit log */
};

enum app_input { APP_INPUT_NORMAL, APP_INPUT_COMMAND, APP_INPUT_FILTER, APP_INPUT_PROMPT };

struct incident_ui;

/* What a prompt does with the line typed (Enter); not called on Esc. */
typedef void (*app_prompt_fn)(struct app *app, const char *text, void *arg);

struct app {
	struct app_opts opts;
	struct loop *loop;                 /* borrowed: the caller's loop */
	struct ui_term *term;                 /* owned */
	struct theme theme;
	struct palette palette;
	struct keymap keymap;
	struct pane panes[LAYOUT_PANES];
	struct pane help;                  /* the '?' overlay */
	struct pane describe;              /* the Enter overlay */
	struct pane action;                /* the 'a' overlay: action menu and progress */
	int focus;
	bool zoomed, help_open, describe_shown, action_shown;
	struct layout layout;
	struct status_model status;
	struct pod_source pods;            /* borrowed; ops NULL until a source is attached */
	struct event_source events;        /* borrowed; likewise */
	struct node_source nodes;          /* borrowed; likewise */
	/*
	 * :ctx and :ns changed status.context or status.namespace_: whoever
	 * owns the connection rebuilds it (the live side). May be NULL.
	 */
	void (*on_target)(void *arg, bool context_changed);
	void *target_arg;                  /* borrowed */
	enum app_input input;
	struct cmdline cmd, filter;
	struct cmdline prompt;             /* app_prompt: a line asked for on the bottom line */
	char prompt_text[96];
	app_prompt_fn prompt_done;
	void *prompt_arg;                  /* borrowed */
	struct pane triage;                /* the '!' overlay (ui_pane_triage.h) */
	bool triage_shown;
	struct pane alerts;                /* the 'A' overlay; ops NULL without opts.alerts_pane */
	bool alerts_shown;
	struct incident_ui *incident;      /* owned: incident mode (ui_incident.h) */
	char message[APP_MESSAGE_MAX];
	bool message_error;
	bool ascii;
	bool need_layout, dirty_status, dirty_bottom, dirty_tabs, full_redraw;
	char status_drawn[512];            /* what the bar shows now, to skip repaints */
	int64_t now;                       /* Unix seconds, read once per tick */
	int64_t clock_skew_s;              /* the API server's clock minus ours (ages are the server's) */
	bool cursor_on;                    /* what curs_set last said */
	uint64_t refresh_timer;
	bool quit;
	int exit_code;
};

/* Sets up everything but the terminal contents; lp is borrowed. */
enum od_status app_init(struct app *app, const struct app_opts *o, struct loop *lp,
			struct err *e);
void app_fini(struct app *app);

/* Attaches the model of the Pods pane (borrowed; may be replaced later). */
void app_set_pod_source(struct app *app, struct pod_source src);

/* Attaches the model of the Events pane (borrowed). */
void app_set_event_source(struct app *app, struct event_source src);

/* Handles one key as typed. */
void app_handle_key(struct app *app, int key);
/* Recalculates what changed and repaints what is dirty; writes to the terminal once. */
void app_update(struct app *app);
/* The terminal changed size (SIGWINCH), or headless resize to cols x rows. */
void app_resize(struct app *app, int cols, int rows);

/*
 * The kube context to name to another kubeconfig load or child command
 * (--context): the status bar's context, or NULL when it is empty or the
 * in-cluster config ("in-cluster" is a label, not a context name). Borrowed.
 */
const char *app_context_flag(const struct app *app);

/* Shows a message on the bottom line (error colours when is_error). */
void app_message(struct app *app, bool is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Switches theme by name; the old one stays on error. */
enum od_status app_set_theme(struct app *app, const char *name, struct err *e);
/* Focus a pane by index (0-based). */
void app_focus(struct app *app, int index);

/* Shows text over the panes, scrollable, until Esc (the describe view). */
enum od_status app_open_describe(struct app *app, const char *title, const char *text,
				 struct err *e);

/*
 * Asks for a line on the bottom line after prompt (copied); done gets the
 * text on Enter, nothing happens on Esc. done may ask again.
 */
void app_prompt(struct app *app, const char *prompt, app_prompt_fn done, void *arg);

/* Marks everything for repaint (theme change, resize, C-l). */
void app_mark_all(struct app *app);

#endif
