/*
 * cmdline.c: the line editor (ui_cmdline.h). Keys are curses codes; the
 * text is bytes, edited at the cursor.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/ui_cmdline.h"
#include "opsdeck/ui_keymap.h"

void cmdline_init(struct cmdline *c, const char *prompt)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->prompt, sizeof(c->prompt), "%s", prompt);
}

static void set_text(struct cmdline *c, const char *s)
{
	snprintf(c->text, sizeof(c->text), "%s", s ? s : "");
	c->len = strlen(c->text);
	c->cur = c->len;
}

void cmdline_open(struct cmdline *c, const char *initial)
{
	set_text(c, initial);
	c->hist_pos = c->nhist;
}

void cmdline_history_add(struct cmdline *c)
{
	if (c->len == 0)
		return;
	if (c->nhist && strcmp(c->history[c->nhist - 1], c->text) == 0)
		return;
	if (c->nhist == CMDLINE_HISTORY) {
		memmove(c->history[0], c->history[1], sizeof(c->history[0]) * (CMDLINE_HISTORY - 1));
		c->nhist--;
	}
	snprintf(c->history[c->nhist++], CMDLINE_MAX, "%s", c->text);
	c->hist_pos = c->nhist;
}

static void history_step(struct cmdline *c, int dir)
{
	if (dir < 0) {
		if (c->hist_pos == 0)
			return;
		if (c->hist_pos == c->nhist)
			snprintf(c->saved, sizeof(c->saved), "%s", c->text);
		c->hist_pos--;
		set_text(c, c->history[c->hist_pos]);
	} else {
		if (c->hist_pos >= c->nhist)
			return;
		c->hist_pos++;
		set_text(c, c->hist_pos == c->nhist ? c->saved : c->history[c->hist_pos]);
	}
}

/* Moves left over one UTF-8 character. */
static size_t prev_char(const struct cmdline *c, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)c->text[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const struct cmdline *c, size_t i)
{
	if (i >= c->len)
		return c->len;
	i++;
	while (i < c->len && ((unsigned char)c->text[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static void delete_range(struct cmdline *c, size_t from, size_t to)
{
	memmove(c->text + from, c->text + to, c->len - to + 1);
	c->len -= to - from;
	c->cur = from;
}

static void insert_byte(struct cmdline *c, char ch)
{
	if (c->len + 1 >= CMDLINE_MAX)
		return;
	memmove(c->text + c->cur + 1, c->text + c->cur, c->len - c->cur + 1);
	c->text[c->cur++] = ch;
	c->len++;
}

enum cmdline_result cmdline_key(struct cmdline *c, int key)
{
	key = keymap_key_normalize(key);
	switch (key) {
	case '\n':
		return CMDLINE_ACCEPT;
	case 27:
	case 7: /* C-g */
		return CMDLINE_CANCEL;
	case '\t':
		return CMDLINE_COMPLETE;
	case KEY_BACKSPACE:
		if (c->len == 0)
			return CMDLINE_CANCEL;
		if (c->cur > 0)
			delete_range(c, prev_char(c, c->cur), c->cur);
		return CMDLINE_EDITING;
	case KEY_DC:
	case 4: /* C-d */
		if (c->cur < c->len)
			delete_range(c, c->cur, next_char(c, c->cur));
		return CMDLINE_EDITING;
	case KEY_LEFT:
	case 2: /* C-b */
		c->cur = prev_char(c, c->cur);
		return CMDLINE_EDITING;
	case KEY_RIGHT:
	case 6: /* C-f */
		c->cur = next_char(c, c->cur);
		return CMDLINE_EDITING;
	case KEY_HOME:
	case 1: /* C-a */
		c->cur = 0;
		return CMDLINE_EDITING;
	case KEY_END:
	case 5: /* C-e */
		c->cur = c->len;
		return CMDLINE_EDITING;
	case 21: /* C-u */
		delete_range(c, 0, c->cur);
		return CMDLINE_EDITING;
	case 23: /* C-w: the word before the cursor */
	{
		size_t i = c->cur;

		while (i > 0 && c->text[i - 1] == ' ')
			i--;
		while (i > 0 && c->text[i - 1] != ' ')
			i--;
		delete_range(c, i, c->cur);
		return CMDLINE_EDITING;
	}
	case KEY_UP:
	case 16: /* C-p */
		history_step(c, -1);
		return CMDLINE_EDITING;
	case KEY_DOWN:
	case 14: /* C-n */
		history_step(c, 1);
		return CMDLINE_EDITING;
	default:
		break;
	}
	/* Printable bytes, including the bytes of UTF-8 sequences, are typed as they come. */
	if ((key >= ' ' && key < 127) || (key >= 0x80 && key <= 0xFF))
		insert_byte(c, (char)key);
	return CMDLINE_EDITING;
}

size_t cmdline_word_start(const struct cmdline *c)
{
	size_t i = c->cur;

	while (i > 0 && c->text[i - 1] != ' ')
		i--;
	return i;
}

size_t cmdline_complete(struct cmdline *c, const char *const *cands, size_t n)
{
	size_t ws = cmdline_word_start(c), wl = c->cur - ws, matches = 0, common = 0;
	const char *first = NULL;
	char rest[CMDLINE_MAX];

	for (size_t i = 0; i < n; i++) {
		if (strncmp(cands[i], c->text + ws, wl) != 0)
			continue;
		if (!first) {
			first = cands[i];
			common = strlen(first);
		} else {
			size_t k = 0;

			while (k < common && first[k] == cands[i][k])
				k++;
			common = k;
		}
		matches++;
	}
	if (!first || common < wl)
		return matches;
	/* Replace the word with the common prefix, keeping what follows the cursor. */
	snprintf(rest, sizeof(rest), "%s", c->text + c->cur);
	if (ws + common + (matches == 1) + strlen(rest) >= CMDLINE_MAX)
		return matches;
	memcpy(c->text + ws, first, common);
	c->cur = ws + common;
	if (matches == 1)
		c->text[c->cur++] = ' ';
	memcpy(c->text + c->cur, rest, strlen(rest) + 1);
	c->len = strlen(c->text);
	return matches;
}
