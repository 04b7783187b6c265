/*
 * ui_term.h: the terminal, opened safely and always given back.
 *
 * - newterm() rather than initscr(), so an unknown TERM (common over SSH)
 *   falls back to a basic terminal instead of exiting;
 * - the termios and the reset strings (rmcup, cnorm, sgr0, ...) are saved
 *   up front, so a crash handler for SIGSEGV/SIGABRT/SIGBUS/SIGFPE/SIGILL can
 *   restore the terminal with async-signal-safe calls only, then re-raise;
 * - headless mode runs the same curses code against /dev/null at a fixed
 *   size, for screen dumps.
 * Signals other than the crash ones belong to the event loop; register them
 * before term_open so that curses leaves them alone.
 */
#ifndef OPSDECK_UI_TERM_H
#define OPSDECK_UI_TERM_H

#include <stdbool.h>

#include "opsdeck/err.h"

struct term_opts {
	bool headless;        /* /dev/null in and out, size cols x rows */
	int cols, rows;
	bool no_color;        /* NO_COLOR: no colour pairs at all */
	bool mouse;           /* report mouse clicks */
};

struct ui_term;  /* opaque; owned by whoever called term_open */

enum od_status term_open(struct ui_term **out, const struct term_opts *o, struct err *e);
/* Ends curses, restores the saved termios, removes the crash handler; sets *t = NULL. */
void term_close(struct ui_term **t);

/* The input descriptor for the event loop (-1 in headless mode). */
int term_input_fd(const struct ui_term *t);
/* Colours usable: 0 (none), 8, 16 or 256. */
int term_colors(const struct ui_term *t);
bool term_default_colors(const struct ui_term *t);
/* The terminfo entry in use, and whether it is a fallback for an unknown TERM. */
const char *term_name(const struct ui_term *t);
bool term_fell_back(const struct ui_term *t);

/* Leaves curses, stops the process (SIGTSTP), and comes back on SIGCONT. */
void term_suspend(struct ui_term *t);
/* Picks up the window size after SIGWINCH (or sets rows x cols in headless mode). */
void term_resize(struct ui_term *t, int cols, int rows);

/*
 * Writes the saved reset strings and termios back: what the crash handler
 * does, callable from a signal handler. Exposed for tests.
 */
void term_emergency_restore(void);

#endif
