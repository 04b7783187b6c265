/*
 * ui_text.h: display width and cutting of UTF-8 text for the terminal.
 *
 * Everything the dashboard prints passes through text_fit(): it never lets a
 * string run past its box, cuts long text with an ellipsis ("…", or "~" in
 * ASCII mode), and replaces control characters and broken UTF-8 with '?', so
 * a pod name or a log line can never move the cursor or change the terminal.
 */
#ifndef OPSDECK_UI_TEXT_H
#define OPSDECK_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point from s (at most len bytes). Returns the bytes used
 * (>= 1 when len > 0); invalid or truncated sequences yield *cp = 0xFFFD and 1.
 */
size_t text_decode(const char *s, size_t len, uint32_t *cp);

/* Columns one code point takes: 0 (combining), 1 or 2. Control characters count 1 ('?'). */
int text_cp_width(uint32_t cp, bool ascii);

/* Columns s takes on screen, as text_fit would print it. */
int text_width(const char *s, bool ascii);

/*
 * Copies s into out (n bytes, always NUL-terminated), cut to at most width
 * columns. When s is wider, the copy ends with an ellipsis in the last
 * column. In ASCII mode every non-ASCII code point becomes '?'. Returns the
 * columns written.
 */
int text_fit(char *out, size_t n, const char *s, int width, bool ascii);

/* The ellipsis text_fit uses: "…" or "~". */
const char *text_ellipsis(bool ascii);

#endif
