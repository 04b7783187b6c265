/*
 * ui_cmdline.h: the one-line editor behind ':' (commands) and '/' (filter):
 * editing keys, history (Up/Down) and completion (Tab) of the last word from
 * candidates the caller supplies.
 */
#ifndef OPSDECK_UI_CMDLINE_H
#define OPSDECK_UI_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX 256
#define CMDLINE_HISTORY 50

struct cmdline {
	char prompt[8];                            /* ":" or "/" */
	char text[CMDLINE_MAX];
	size_t len, cur;                           /* bytes; cur is the cursor */
	char history[CMDLINE_HISTORY][CMDLINE_MAX];/* oldest first */
	size_t nhist;
	size_t hist_pos;                           /* == nhist when not browsing */
	char saved[CMDLINE_MAX];                   /* what was typed before browsing */
};

enum cmdline_result {
	CMDLINE_EDITING,   /* the text may have changed; keep going */
	CMDLINE_ACCEPT,    /* Enter */
	CMDLINE_CANCEL,    /* Esc, or Backspace on an empty line */
	CMDLINE_COMPLETE   /* Tab: the caller calls cmdline_complete */
};

void cmdline_init(struct cmdline *c, const char *prompt);
/* Starts editing with initial text (may be NULL). History is kept. */
void cmdline_open(struct cmdline *c, const char *initial);
enum cmdline_result cmdline_key(struct cmdline *c, int key);
/* Adds the current text to the history (not empty lines, not repeats). */
void cmdline_history_add(struct cmdline *c);

/* The start of the word the cursor is at the end of. */
size_t cmdline_word_start(const struct cmdline *c);

/*
 * Completes the last word from cands (n strings): the word grows to the
 * longest common prefix of the candidates it starts; a single match gets a
 * trailing blank. Returns how many candidates matched.
 */
size_t cmdline_complete(struct cmdline *c, const char *const *cands, size_t n);

#endif
