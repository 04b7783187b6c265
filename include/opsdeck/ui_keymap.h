/*
 * ui_keymap.h: actions, their help text and the keys bound to them.
 *
 * The action list below is the one table of what the dashboard can do and
 * how the help screen describes it; data/keymap binds keys to those actions,
 * and $XDG_CONFIG_HOME/opsdeck/keymap, read by the same parser on top of it,
 * changes what the user wants. The `?` screen is generated from both.
 * The format is described in docs/keymap.md.
 */
#ifndef OPSDECK_UI_KEYMAP_H
#define OPSDECK_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"

/* X(ENUM, name in keymap files, help text; NULL hides it from the help screen) */
#define KEYMAP_ACTION_LIST(X)                                                     \
	X(ACTION_NONE, "none", NULL)                                              \
	X(ACTION_QUIT, "quit", "Quit opsdeck")                                    \
	X(ACTION_HELP, "help", "Show or hide this help")                         \
	X(ACTION_MOVE_UP, "move-up", "Select the previous row")                  \
	X(ACTION_MOVE_DOWN, "move-down", "Select the next row")                  \
	X(ACTION_PAGE_UP, "page-up", "Up one page")                              \
	X(ACTION_PAGE_DOWN, "page-down", "Down one page")                        \
	X(ACTION_FIRST, "first", "Go to the first row")                          \
	X(ACTION_LAST, "last", "Go to the last row")                             \
	X(ACTION_SCROLL_LEFT, "scroll-left", "Scroll the columns left")          \
	X(ACTION_SCROLL_RIGHT, "scroll-right", "Scroll the columns right")       \
	X(ACTION_NEXT_PANE, "next-pane", "Focus the next pane")                  \
	X(ACTION_PREV_PANE, "prev-pane", "Focus the previous pane")              \
	X(ACTION_PANE_1, "pane-1", "Jump to pane 1 (Pods)")                      \
	X(ACTION_PANE_2, "pane-2", "Jump to pane 2 (Trends)")                    \
	X(ACTION_PANE_3, "pane-3", "Jump to pane 3 (Logs)")                      \
	X(ACTION_PANE_4, "pane-4", "Jump to pane 4 (Checklist)")                 \
	X(ACTION_PANE_5, "pane-5", "Jump to pane 5 (Events)")                    \
	X(ACTION_PANE_6, "pane-6", "Jump to pane 6 (Nodes)")                     \
	X(ACTION_ZOOM, "zoom", "Zoom the focused pane, or go back to the layout") \
	X(ACTION_FILTER, "filter", "Filter rows by name, label or status")       \
	X(ACTION_COMMAND, "command", "Open the command line (:theme, :sort, ...)") \
	X(ACTION_SORT_NEXT, "sort-next", "Sort by the next column")              \
	X(ACTION_SORT_PREV, "sort-prev", "Sort by the previous column")          \
	X(ACTION_SORT_REVERSE, "sort-reverse", "Reverse the sort order")         \
	X(ACTION_SORT_TROUBLE, "sort-trouble", "Sort trouble first")             \
	X(ACTION_OPEN, "open", "Open the selected row")                          \
	X(ACTION_REDRAW, "redraw", "Redraw the whole screen")                    \
	X(ACTION_CANCEL, "cancel", "Clear the filter, leave zoom or help")          \
	X(ACTION_WINDOW_NEXT, "window-next", "Trends: a longer window (1h 6h 24h 7d 30d)") \
	X(ACTION_WINDOW_PREV, "window-prev", "Trends: a shorter window")          \
	X(ACTION_HISTORY_BACK, "history-back", "Trends: move the window back by half its length") \
	X(ACTION_HISTORY_FORWARD, "history-forward", "Trends: move the window forward, up to now (live)") \
	X(ACTION_TARGET_NEXT, "target-next", "Trends/Logs: the pod, its workload, or its PVC") \
	X(ACTION_LOG_PAUSE, "log-pause", "Logs: pause, or follow again")           \
	X(ACTION_LOG_WRAP, "log-wrap", "Logs: wrap long lines, or cut them")       \
	X(ACTION_LOG_JSON, "log-json", "Logs: pretty-print JSON lines, or not")    \
	X(ACTION_LOG_ERRORS, "log-errors", "Logs: error summary (similar lines counted)") \
	X(ACTION_LOG_PREVIOUS, "log-previous", "Logs: the previous container, or the current") \
	X(ACTION_LOG_SINCE, "log-since", "Logs: since 5m, 1h, 24h, or all")        \
	X(ACTION_LOG_SAVE, "log-save", "Logs: save the buffer to a file (0600)")     \
	X(ACTION_ACTION_MENU, "action-menu", "Actions on the selected pod and its workload (restart, delete, scale, snapshot, restore, rollback, undo)") \
	X(ACTION_ACTION_RESTART, "action-restart", "Restart the selected pod's workload (rollout restart, confirmed first)")     \
	X(ACTION_CHECK_OVERRIDE, "check-override", "Checklist: override the selected result (a note is required)") \
	X(ACTION_CHECKLIST_NEXT, "checklist-next", "Checklist: show the profile's next checklist") \
	X(ACTION_TRIAGE, "triage", "Triage: everything unhealthy, worst first (Enter focuses the dashboard on it)") \
	X(ACTION_ALERTS, "alerts", "Alerts: the firing alerts of the context's Alertmanager, with labels and silences") \
	X(ACTION_INCIDENT_START, "incident-start", "Open an incident (title, severity P0-P3)") \
	X(ACTION_INCIDENT_NOTE, "incident-note", "Add a note to the open incident's timeline") \
	X(ACTION_INCIDENT_EVIDENCE, "incident-evidence", "Collect the open incident's evidence (logs, manifests, events, metrics)")

#define KEYMAP_ACTION_ENUM_(id, name, help) id,
enum action { KEYMAP_ACTION_LIST(KEYMAP_ACTION_ENUM_) ACTION_COUNT };
#undef KEYMAP_ACTION_ENUM_

#define KEYMAP_MAX 256
#define KEYMAP_FILE_MAX (64 * 1024)
#define KEYMAP_KEY_NAME_MAX 16

struct keymap_binding {
	int key;            /* curses key code (KEY_UP, 'j', 27 for Esc, ...) */
	enum action action;
};

struct keymap {
	struct keymap_binding bindings[KEYMAP_MAX];
	size_t n;
};

const char *keymap_action_name(enum action a);
/* Help text, NULL for actions the help screen does not list. */
const char *keymap_action_help(enum action a);
/* The action called name, or -1. */
int keymap_action_find(const char *name);

/* Key names: one printable character, or Up, Down, PageUp, Tab, S-Tab, Enter, Esc, C-x, F1... */
int keymap_key_parse(const char *name);            /* -1 when unknown */
void keymap_key_name(int key, char *out, size_t n);
/* Folds the codes one key may send into one ('\r' and KEY_ENTER -> '\n', 127 -> Backspace). */
int keymap_key_normalize(int key);

void keymap_init(struct keymap *km);

/* Binds key to a (ACTION_NONE unbinds). OD_ELIMIT when the table is full. */
enum od_status keymap_bind(struct keymap *km, int key, enum action a, struct err *e);

/*
 * Parses keymap text ("KEY ACTION" per line, '#' comments) on top of km.
 * Errors read "FILE:LINE: problem"; on error km may be partly changed.
 */
enum od_status keymap_parse(struct keymap *km, const char *text, size_t len, const char *fname,
			    struct err *e);
enum od_status keymap_load_file(struct keymap *km, const char *path, struct err *e);

/*
 * Loads data/keymap, then $XDG_CONFIG_HOME/opsdeck/keymap if it exists.
 * km is changed only on success.
 */
enum od_status keymap_load_default(struct keymap *km, struct err *e);

/* The action bound to key (ACTION_NONE if none). */
enum action keymap_lookup(const struct keymap *km, int key);

/* Writes the keys bound to a, in binding order, into keys[max]; returns the count. */
size_t keymap_keys_for(const struct keymap *km, enum action a, int *keys, size_t max);

#endif
