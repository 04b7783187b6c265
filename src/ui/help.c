/*
 * help.c: the '?' screen (ui_help.h). Its lines are generated each time it
 * is drawn from the action table, the keymap in use and the command table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_app.h"
#include "opsdeck/ui_command.h"
#include "opsdeck/ui_help.h"

struct help_state {
	int top;         /* first line shown */
	int lines;       /* lines in the last draw, to clamp scrolling */
	int page;
};

void help_keys_text(const struct keymap *km, enum action a, char *out, size_t n)
{
	int keys[16];
	size_t k = keymap_keys_for(km, a, keys, 16), o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < k && o < n; i++) {
		char name[KEYMAP_KEY_NAME_MAX];
		int w;

		keymap_key_name(keys[i], name, sizeof(name));
		w = snprintf(out + o, n - o, "%s%s", i ? ", " : "", name);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static enum od_status help_init(struct pane *p, struct err *e)
{
	p->state = calloc(1, sizeof(struct help_state));
	return p->state ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

static void help_fini(struct pane *p)
{
	free(p->state);
	p->state = NULL;
}

/* Draws line number i if it is on screen. */
static void put_line(const struct canvas *c, struct help_state *st, int i, int x,
		     const char *text, int attr)
{
	int y = i - st->top;

	if (y >= 0 && y < c->r.h)
		draw_text(c, y, x, text, 0, attr);
}

static void help_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct help_state *st = p->state;
	const struct keymap *km = &p->app->keymap;
	int i = 0, key_w = 18, bold = canvas_attr(c, THEME_PANE_TITLE);
	int keyattr = canvas_attr(c, THEME_HELP_KEY), text = canvas_attr(c, THEME_NORMAL);

	(void)focused;
	put_line(c, st, i++, 1, "Keys", bold);
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		char keys[64];

		if (!keymap_action_help((enum action)a))
			continue;
		help_keys_text(km, (enum action)a, keys, sizeof(keys));
		if (!keys[0])
			continue;
		put_line(c, st, i, 2, keys, keyattr);
		put_line(c, st, i++, 2 + key_w, keymap_action_help((enum action)a), text);
	}
	i++;
	put_line(c, st, i++, 1, "Commands (after ':', Tab completes, Up/Down recall)", bold);
	for (const struct ui_command *cmd = ui_commands; cmd->name; cmd++) {
		char usage[64];

		if (strcmp(cmd->name, "q") == 0)
			continue;
		snprintf(usage, sizeof(usage), ":%s %s", cmd->name, cmd->args);
		put_line(c, st, i, 2, usage, keyattr);
		put_line(c, st, i++, 2 + key_w + 8, cmd->help, text);
	}
	i++;
	put_line(c, st, i++, 1, "Keys come from data/keymap and $XDG_CONFIG_HOME/opsdeck/keymap.",
		 canvas_attr(c, THEME_PANE_HINT));
	st->lines = i;
	st->page = c->r.h;
}

static bool help_action(struct pane *p, enum action a)
{
	struct help_state *st = p->state;
	int max = st->lines > st->page ? st->lines - st->page : 0;

	switch (a) {
	case ACTION_MOVE_UP: st->top--; break;
	case ACTION_MOVE_DOWN: st->top++; break;
	case ACTION_PAGE_UP: st->top -= st->page; break;
	case ACTION_PAGE_DOWN: st->top += st->page; break;
	case ACTION_FIRST: st->top = 0; break;
	case ACTION_LAST: st->top = max; break;
	default: return false;
	}
	if (st->top > max)
		st->top = max;
	if (st->top < 0)
		st->top = 0;
	p->dirty = true;
	return true;
}

const struct pane_ops pane_help_ops = {
	.name = "help",
	.title = "Help: ? or Esc closes",
	.init = help_init,
	.fini = help_fini,
	.draw = help_draw,
	.action = help_action,
};
