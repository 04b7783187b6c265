/*
 * ui_headless.h: the dashboard without a terminal, for screen tests (as tig
 * does with TIG_SCRIPT). The real UI runs on a virtual curses screen of a
 * fixed size; keys come from a script; the screen is written out as text.
 *
 * Script lines ('#' starts a comment line):
 *   key NAME...     press keys by keymap name (j, Down, Tab, S-Tab, Enter, Esc, C-l, ':')
 *   type TEXT       type the rest of the line, character by character
 *   resize COLSxROWS
 *   dump NAME       write the screen to DIR/NAME.txt
 * The format is described in docs/ui.md.
 */
#ifndef OPSDECK_UI_HEADLESS_H
#define OPSDECK_UI_HEADLESS_H

#include <stdio.h>

#include "opsdeck/err.h"

struct app;

/* Runs the script at path against app, writing dumps into dir. Stops early on quit. */
enum od_status headless_run(struct app *app, const char *path, const char *dir, struct err *e);

/* Writes the current screen as UTF-8 text, one line per row, trailing blanks trimmed. */
void headless_write_screen(FILE *f);

/* Parses "120x40"; false when it is not two positive numbers up to 1000. */
int headless_parse_size(const char *s, int *cols, int *rows);

#endif
