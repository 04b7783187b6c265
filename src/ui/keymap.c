/*
 * keymap.c: the action table, key names and the keymap file parser
 * (ui_keymap.h). curses.h is used only for its key-code constants.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/paths.h"
#include "opsdeck/textfile.h"
#include "opsdeck/ui_keymap.h"

#define KEYMAP_ACTION_ROW_(id, name, help) { name, help },
static const struct {
	const char *name;
	const char *help;
} actions[ACTION_COUNT] = { KEYMAP_ACTION_LIST(KEYMAP_ACTION_ROW_) };
#undef KEYMAP_ACTION_ROW_

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Up", KEY_UP },         { "Down", KEY_DOWN },     { "Left", KEY_LEFT },
	{ "Right", KEY_RIGHT },   { "PageUp", KEY_PPAGE },  { "PageDown", KEY_NPAGE },
	{ "Home", KEY_HOME },     { "End", KEY_END },       { "Tab", '\t' },
	{ "S-Tab", KEY_BTAB },    { "Enter", '\n' },        { "Esc", 27 },
	{ "Space", ' ' },         { "Backspace", KEY_BACKSPACE }, { "Delete", KEY_DC },
	{ "Insert", KEY_IC },     { "Hash", '#' },
};

#define NAMED_KEYS (sizeof(named_keys) / sizeof(named_keys[0]))
#define LINE_MAX_LEN 256

const char *keymap_action_name(enum action a)
{
	return (int)a >= 0 && a < ACTION_COUNT ? actions[a].name : NULL;
}

const char *keymap_action_help(enum action a)
{
	return (int)a >= 0 && a < ACTION_COUNT ? actions[a].help : NULL;
}

int keymap_action_find(const char *name)
{
	for (int i = 0; i < ACTION_COUNT; i++)
		if (strcmp(actions[i].name, name) == 0)
			return i;
	return -1;
}

int keymap_key_normalize(int key)
{
	if (key == '\r' || key == KEY_ENTER)
		return '\n';
	if (key == 127 || key == 8)
		return KEY_BACKSPACE;
	return key;
}

int keymap_key_parse(const char *name)
{
	size_t len = strlen(name);

	if (len == 1 && name[0] > ' ' && name[0] < 127)
		return name[0];
	for (size_t i = 0; i < NAMED_KEYS; i++)
		if (strcmp(name, named_keys[i].name) == 0)
			return named_keys[i].key;
	if (len == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z')
		return name[2] - 'a' + 1;
	if (len >= 2 && len <= 3 && name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);

		if (n >= 1 && n <= 12 && (len == 2 || (name[2] >= '0' && name[2] <= '9')))
			return KEY_F(n);
	}
	return -1;
}

void keymap_key_name(int key, char *out, size_t n)
{
	for (size_t i = 0; i < NAMED_KEYS; i++) {
		if (named_keys[i].key == key) {
			snprintf(out, n, "%s", named_keys[i].name);
			return;
		}
	}
	if (key > ' ' && key < 127)
		snprintf(out, n, "%c", key);
	else if (key >= 1 && key <= 26)
		snprintf(out, n, "C-%c", 'a' + key - 1);
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(out, n, "F%d", key - KEY_F0);
	else
		snprintf(out, n, "<%d>", key);
}

void keymap_init(struct keymap *km)
{
	memset(km, 0, sizeof(*km));
}

enum od_status keymap_bind(struct keymap *km, int key, enum action a, struct err *e)
{
	key = keymap_key_normalize(key);
	for (size_t i = 0; i < km->n; i++) {
		if (km->bindings[i].key != key)
			continue;
		if (a == ACTION_NONE) {
			memmove(&km->bindings[i], &km->bindings[i + 1],
				(km->n - i - 1) * sizeof(km->bindings[0]));
			km->n--;
		} else {
			km->bindings[i].action = a;
		}
		return OD_OK;
	}
	if (a == ACTION_NONE)
		return OD_OK;
	if (km->n == KEYMAP_MAX)
		return err_set(e, OD_ELIMIT, "more than %d key bindings", KEYMAP_MAX);
	km->bindings[km->n].key = key;
	km->bindings[km->n].action = a;
	km->n++;
	return OD_OK;
}

static enum od_status parse_line(struct keymap *km, char *line, const char *fname,
				 size_t lineno, struct err *e)
{
	char *tok[3];
	int n = 0, key, act;
	char *p = line;
	enum od_status rc;

	while (n < 3) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (n == 0)
		return OD_OK;
	if (n != 2)
		return err_set(e, OD_EPARSE, "%s:%zu: expected \"KEY ACTION\"", fname, lineno);
	key = keymap_key_parse(tok[0]);
	if (key < 0)
		return err_set(e, OD_EPARSE, "%s:%zu: unknown key \"%.32s\"", fname, lineno,
			       tok[0]);
	act = keymap_action_find(tok[1]);
	if (act < 0)
		return err_set(e, OD_EPARSE, "%s:%zu: unknown action \"%.32s\"", fname, lineno,
			       tok[1]);
	rc = keymap_bind(km, key, (enum action)act, e);
	if (rc != OD_OK)
		return err_prefix(e, "%s:%zu: ", fname, lineno);
	return OD_OK;
}

struct keymap_parse_ctx {
	struct keymap *km;   /* borrowed */
	const char *fname;
};

static enum od_status keymap_line(void *arg, char *line, size_t lineno, struct err *e)
{
	struct keymap_parse_ctx *c = arg;

	return parse_line(c->km, line, c->fname, lineno, e);
}

enum od_status keymap_parse(struct keymap *km, const char *text, size_t len, const char *fname,
			    struct err *e)
{
	struct keymap_parse_ctx c = { .km = km, .fname = fname };

	return textfile_each_line(text, len, LINE_MAX_LEN, fname, keymap_line, &c, e);
}

enum od_status keymap_load_file(struct keymap *km, const char *path, struct err *e)
{
	char *data = NULL;
	size_t len = 0;
	enum od_status rc = textfile_read(path, KEYMAP_FILE_MAX, &data, &len, e);

	if (rc != OD_OK)
		return rc;
	rc = keymap_parse(km, data, len, path, e);
	free(data);
	return rc;
}

enum od_status keymap_load_default(struct keymap *km, struct err *e)
{
	char path[PATHS_MAX];
	struct keymap *tmp = malloc(sizeof(*tmp));
	struct err ignore;
	enum od_status rc;

	if (!tmp)
		return err_set(e, OD_ENOMEM, "out of memory");
	keymap_init(tmp);
	rc = paths_data_file("data/keymap", path, sizeof(path), e);
	if (rc == OD_OK)
		rc = keymap_load_file(tmp, path, e);
	if (rc != OD_OK)
		goto out;
	if (paths_xdg(XDG_CONFIG, "keymap", path, sizeof(path), &ignore) == OD_OK) {
		rc = keymap_load_file(tmp, path, e);
		if (rc == OD_ENOENT)
			rc = OD_OK;
	}
out:
	if (rc == OD_OK)
		*km = *tmp;
	free(tmp);
	return rc;
}

enum action keymap_lookup(const struct keymap *km, int key)
{
	key = keymap_key_normalize(key);
	for (size_t i = 0; i < km->n; i++)
		if (km->bindings[i].key == key)
			return km->bindings[i].action;
	return ACTION_NONE;
}

size_t keymap_keys_for(const struct keymap *km, enum action a, int *keys, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < km->n && n < max; i++)
		if (km->bindings[i].action == a)
			keys[n++] = km->bindings[i].key;
	return n;
}
