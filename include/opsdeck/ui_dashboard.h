/*
 * ui_dashboard.h: the entry point `opsdeck` runs when no command is given.
 */
#ifndef OPSDECK_UI_DASHBOARD_H
#define OPSDECK_UI_DASHBOARD_H

#include <stdbool.h>

#include "opsdeck/commands.h"

/* True when arg is one of the dashboard's own flags (--theme, --headless-script, ...). */
bool ui_dashboard_is_flag(const char *arg);

/*
 * Runs the dashboard. argv[1..] may hold only dashboard flags. Returns the
 * exit code: 0 after quit, 2 for usage or configuration errors, 128+N when
 * ended by signal N, 1 when the terminal went away.
 */
int ui_dashboard_main(const struct global_opts *g, int argc, char **argv);

/* The dashboard's flags for --help, one per line. */
extern const char ui_dashboard_help[];

#endif
