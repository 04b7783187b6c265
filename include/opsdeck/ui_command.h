/*
 * ui_command.h: the ':' commands. One table gives each command its name,
 * arguments, help text (listed by '?') and what completes its argument.
 */
#ifndef OPSDECK_UI_COMMAND_H
#define OPSDECK_UI_COMMAND_H

#include <stddef.h>

#include "opsdeck/err.h"

struct app;

enum command_arg { CMDARG_NONE, CMDARG_THEME, CMDARG_COLUMN, CMDARG_NAMESPACE, CMDARG_PANE,
		   CMDARG_CONTEXT, CMDARG_TEXT };

struct ui_command {
	const char *name;
	const char *args;   /* "NAME", "" */
	const char *help;
	enum command_arg arg;
	enum od_status (*run)(struct app *app, const char *arg, struct err *e);
};

/* The table, ended by a row whose name is NULL. */
extern const struct ui_command ui_commands[];

const struct ui_command *ui_command_find(const char *name);

/* Runs a ':' command line ("theme light"); errors name the problem. */
enum od_status ui_command_run(struct app *app, const char *line, struct err *e);

/*
 * Fills cands (at most max, malloc'ed, freed with ui_command_free_candidates)
 * with the completions for the word being typed at the end of line.
 */
size_t ui_command_candidates(struct app *app, const char *line, char **cands, size_t max);
void ui_command_free_candidates(char **cands, size_t n);

#endif
