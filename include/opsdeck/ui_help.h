/*
 * ui_help.h: the '?' screen, generated from the action table, the keymap in
 * use and the command table, so it can never disagree with them.
 */
#ifndef OPSDECK_UI_HELP_H
#define OPSDECK_UI_HELP_H

#include <stddef.h>

#include "opsdeck/ui_keymap.h"
#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_help_ops;

/* Writes the keys bound to a ("j, Down") into out; "" when none. */
void help_keys_text(const struct keymap *km, enum action a, char *out, size_t n);

#endif
