/*
 * ui_theme.h: colour themes as data. A theme gives each semantic element of
 * the screen (status.failed, chart.cpu, ...) a foreground, a background and
 * attributes. The UI never names a colour; it asks for an element.
 *
 * The parser knows nothing of curses (ui_palette.h turns a theme into colour
 * pairs for the terminal at hand), so it can be unit-tested and fuzzed alone.
 * themes/NAME.theme and $XDG_CONFIG_HOME/opsdeck/themes/ go through the same
 * code. The format is described in docs/themes.md.
 */
#ifndef OPSDECK_UI_THEME_H
#define OPSDECK_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"

/* Every element, with the name theme files use. Keep docs/themes.md in step. */
#define THEME_ELEMENT_LIST(X)                              \
	X(THEME_NORMAL, "normal")                          \
	X(THEME_STATUSBAR, "statusbar")                    \
	X(THEME_STATUSBAR_STALE, "statusbar.stale")        \
	X(THEME_STATUSBAR_READONLY, "statusbar.readonly")  \
	X(THEME_STATUSBAR_DUE, "statusbar.due")            \
	X(THEME_STATUSBAR_INCIDENT, "statusbar.incident")  \
	X(THEME_TAB, "tab")                                \
	X(THEME_TAB_ACTIVE, "tab.active")                  \
	X(THEME_PANE_BORDER, "pane.border")                \
	X(THEME_PANE_BORDER_FOCUS, "pane.border.focus")    \
	X(THEME_PANE_TITLE, "pane.title")                  \
	X(THEME_PANE_HINT, "pane.hint")                    \
	X(THEME_TABLE_HEADER, "table.header")              \
	X(THEME_TABLE_SORTED, "table.sorted")              \
	X(THEME_TABLE_SELECTED, "table.selected")          \
	X(THEME_STATUS_RUNNING, "status.running")          \
	X(THEME_STATUS_PENDING, "status.pending")          \
	X(THEME_STATUS_SUCCEEDED, "status.succeeded")      \
	X(THEME_STATUS_FAILED, "status.failed")            \
	X(THEME_STATUS_TERMINATING, "status.terminating")  \
	X(THEME_STATUS_UNKNOWN, "status.unknown")          \
	X(THEME_CHART_CPU, "chart.cpu")                    \
	X(THEME_CHART_MEMORY, "chart.memory")              \
	X(THEME_CHART_STORAGE, "chart.storage")            \
	X(THEME_BAND_EXPECTED, "band.expected")            \
	X(THEME_MARKER_RESTART, "marker.restart")          \
	X(THEME_MARKER_ACTION, "marker.action")            \
	X(THEME_MARKER_EVENT, "marker.event")              \
	X(THEME_LOG_ERROR, "log.error")                    \
	X(THEME_LOG_WARNING, "log.warning")                \
	X(THEME_LOG_MATCH, "log.match")                    \
	X(THEME_CHECK_PASS, "check.pass")                  \
	X(THEME_CHECK_WARN, "check.warn")                  \
	X(THEME_CHECK_FAIL, "check.fail")                  \
	X(THEME_CHECK_UNKNOWN, "check.unknown")            \
	X(THEME_DIALOG, "dialog")                          \
	X(THEME_DIALOG_DANGER, "dialog.danger")            \
	X(THEME_CMDLINE, "cmdline")                        \
	X(THEME_MESSAGE, "message")                        \
	X(THEME_MESSAGE_ERROR, "message.error")            \
	X(THEME_HELP_KEY, "help.key")

#define THEME_ELEMENT_ENUM_(id, name) id,
enum theme_element { THEME_ELEMENT_LIST(THEME_ELEMENT_ENUM_) THEME_ELEMENT_COUNT };
#undef THEME_ELEMENT_ENUM_

/* Colours: THEME_COLOR_DEFAULT is the terminal's own; 0-7 basic, 8-15 bright, 16-255 xterm. */
enum { THEME_COLOR_DEFAULT = -1, THEME_COLOR_MAX = 255 };

/* Attribute bits (not curses' A_*: the parser is curses-free). */
enum theme_attr {
	THEME_ATTR_BOLD = 1 << 0,
	THEME_ATTR_DIM = 1 << 1,
	THEME_ATTR_UNDERLINE = 1 << 2,
	THEME_ATTR_REVERSE = 1 << 3,
	THEME_ATTR_ITALIC = 1 << 4
};

struct theme_style {
	short fg;        /* THEME_COLOR_DEFAULT or 0-255 */
	short bg;
	unsigned attrs;  /* enum theme_attr bits */
	bool set;        /* named by the file; unset elements inherit (see theme_style) */
};

#define THEME_NAME_MAX 64
#define THEME_FILE_MAX (64 * 1024)

struct theme {
	char name[THEME_NAME_MAX];
	struct theme_style styles[THEME_ELEMENT_COUNT];
};

/* Element names as theme files spell them; NULL for an out-of-range value. */
const char *theme_element_name(enum theme_element el);
/* The element called name, or -1. */
int theme_element_find(const char *name);

/* Empties t: every element unset (terminal defaults), name set to name. */
void theme_init(struct theme *t, const char *name);

/*
 * Parses theme text (len bytes, need not be NUL-terminated) into t, on top
 * of what t holds. fname names the input in messages: "FILE:LINE: problem".
 * On error t may be partly filled; callers parse into a scratch theme.
 */
enum od_status theme_parse(struct theme *t, const char *text, size_t len, const char *fname,
			   struct err *e);

/* Reads and parses one file (at most THEME_FILE_MAX bytes). */
enum od_status theme_load_file(struct theme *t, const char *path, struct err *e);

/*
 * Loads the theme called name: $XDG_CONFIG_HOME/opsdeck/themes/NAME.theme if
 * it exists, else themes/NAME.theme in the data directory. Names are plain
 * words (letters, digits, '-', '_'), never paths. t is changed only on success.
 */
enum od_status theme_load(struct theme *t, const char *name, struct err *e);

/*
 * The effective style of el: its own if set, else its parent's ("status.failed"
 * falls back to "status", then "normal").
 */
struct theme_style theme_style(const struct theme *t, enum theme_element el);

/*
 * Lists the theme names found in the user and data directories (sorted, no
 * duplicates) into names[max]; each is malloc'ed and freed by the caller with
 * theme_names_free. Returns how many were written.
 */
size_t theme_list_names(char **names, size_t max);
void theme_names_free(char **names, size_t n);

#endif
