/*
 * theme.c: the theme file parser and theme lookup (ui_theme.h).
 *
 * A theme file is lines of "ELEMENT FOREGROUND [BACKGROUND] [ATTRIBUTE...]";
 * '#' starts a comment. Every problem is reported as "FILE:LINE: problem"
 * and nothing in the input can crash the parser: it works on bounded copies.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/paths.h"
#include "opsdeck/textfile.h"
#include "opsdeck/ui_theme.h"

#define THEME_ELEMENT_NAME_(id, name) name,
static const char *const element_names[THEME_ELEMENT_COUNT] = {
	THEME_ELEMENT_LIST(THEME_ELEMENT_NAME_)
};
#undef THEME_ELEMENT_NAME_

static const char *const basic_colors[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_ATTR_BOLD },
	{ "dim", THEME_ATTR_DIM },
	{ "underline", THEME_ATTR_UNDERLINE },
	{ "reverse", THEME_ATTR_REVERSE },
	{ "italic", THEME_ATTR_ITALIC },
	{ "normal", 0 },
};

#define LINE_MAX_LEN 512
#define TOKENS_MAX 8

const char *theme_element_name(enum theme_element el)
{
	if ((int)el < 0 || el >= THEME_ELEMENT_COUNT)
		return NULL;
	return element_names[el];
}

int theme_element_find(const char *name)
{
	for (int i = 0; i < THEME_ELEMENT_COUNT; i++)
		if (strcmp(element_names[i], name) == 0)
			return i;
	return -1;
}

void theme_init(struct theme *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "");
	for (int i = 0; i < THEME_ELEMENT_COUNT; i++) {
		t->styles[i].fg = THEME_COLOR_DEFAULT;
		t->styles[i].bg = THEME_COLOR_DEFAULT;
	}
}

/* "default", a basic name, "bright-NAME" or "colorN"; returns false otherwise. */
static bool parse_color(const char *s, short *out)
{
	if (strcmp(s, "default") == 0) {
		*out = THEME_COLOR_DEFAULT;
		return true;
	}
	for (int i = 0; i < 8; i++) {
		if (strcmp(s, basic_colors[i]) == 0) {
			*out = (short)i;
			return true;
		}
		if (strncmp(s, "bright-", 7) == 0 && strcmp(s + 7, basic_colors[i]) == 0) {
			*out = (short)(i + 8);
			return true;
		}
	}
	if (strncmp(s, "color", 5) == 0 && s[5] >= '0' && s[5] <= '9') {
		char *end;
		long v;

		errno = 0;
		v = strtol(s + 5, &end, 10);
		if (errno || *end || v < 0 || v > THEME_COLOR_MAX)
			return false;
		*out = (short)v;
		return true;
	}
	return false;
}

static bool parse_attr(const char *s, unsigned *bits)
{
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
		if (strcmp(s, attr_names[i].name) == 0) {
			*bits |= attr_names[i].bit;
			return true;
		}
	}
	return false;
}

/* Splits line in place on blanks, dropping a '#' comment. Returns the token count or -1. */
static int split_tokens(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static enum od_status parse_line(struct theme *t, char *line, const char *fname, size_t lineno,
				 struct err *e)
{
	char *tok[TOKENS_MAX];
	int n = split_tokens(line, tok, TOKENS_MAX);
	struct theme_style st = { .fg = THEME_COLOR_DEFAULT, .bg = THEME_COLOR_DEFAULT, .set = true };
	int el, i = 2;

	if (n == 0)
		return OD_OK;
	if (n < 0)
		return err_set(e, OD_EPARSE, "%s:%zu: too many words (at most %d)", fname, lineno,
			       TOKENS_MAX);
	el = theme_element_find(tok[0]);
	if (el < 0)
		return err_set(e, OD_EPARSE, "%s:%zu: unknown element \"%.64s\"", fname, lineno,
			       tok[0]);
	if (n < 2)
		return err_set(e, OD_EPARSE, "%s:%zu: %s needs a foreground colour", fname,
			       lineno, tok[0]);
	if (!parse_color(tok[1], &st.fg))
		return err_set(e, OD_EPARSE, "%s:%zu: unknown colour \"%.64s\"", fname, lineno,
			       tok[1]);
	if (n > 2 && parse_color(tok[2], &st.bg))
		i = 3;
	for (; i < n; i++)
		if (!parse_attr(tok[i], &st.attrs))
			return err_set(e, OD_EPARSE,
				       "%s:%zu: unknown colour or attribute \"%.64s\"", fname,
				       lineno, tok[i]);
	t->styles[el] = st;
	return OD_OK;
}

struct theme_parse_ctx {
	struct theme *t;   /* borrowed */
	const char *fname;
};

static enum od_status theme_line(void *arg, char *line, size_t lineno, struct err *e)
{
	struct theme_parse_ctx *c = arg;

	return parse_line(c->t, line, c->fname, lineno, e);
}

enum od_status theme_parse(struct theme *t, const char *text, size_t len, const char *fname,
			   struct err *e)
{
	struct theme_parse_ctx c = { .t = t, .fname = fname };

	return textfile_each_line(text, len, LINE_MAX_LEN, fname, theme_line, &c, e);
}

enum od_status theme_load_file(struct theme *t, const char *path, struct err *e)
{
	char *data = NULL;
	size_t len = 0;
	enum od_status rc = textfile_read(path, THEME_FILE_MAX, &data, &len, e);

	if (rc != OD_OK)
		return rc;
	rc = theme_parse(t, data, len, path, e);
	free(data);
	return rc;
}

static bool name_is_plain(const char *name)
{
	if (!*name || strlen(name) >= THEME_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

enum od_status theme_load(struct theme *t, const char *name, struct err *e)
{
	char rel[THEME_NAME_MAX + 32], path[PATHS_MAX];
	struct theme *tmp;
	struct err ignore;
	enum od_status rc;

	if (!name_is_plain(name))
		return err_set(e, OD_EINVAL, "invalid theme name \"%.64s\"", name);
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return err_set(e, OD_ENOMEM, "out of memory");
	theme_init(tmp, name);
	snprintf(rel, sizeof(rel), "themes/%s.theme", name);
	/* The user's file wins; a missing user directory is not an error. */
	rc = paths_xdg(XDG_CONFIG, rel, path, sizeof(path), &ignore);
	if (rc == OD_OK) {
		rc = theme_load_file(tmp, path, e);
		if (rc != OD_ENOENT)
			goto out;
	}
	rc = paths_data_file(rel, path, sizeof(path), e);
	if (rc != OD_OK)
		goto out;
	rc = theme_load_file(tmp, path, e);
	if (rc == OD_ENOENT)
		rc = err_set(e, OD_ENOENT, "no theme called \"%s\"", name);
out:
	if (rc == OD_OK)
		*t = *tmp;
	free(tmp);
	return rc;
}

struct theme_style theme_style(const struct theme *t, enum theme_element el)
{
	char name[64];

	if ((int)el < 0 || el >= THEME_ELEMENT_COUNT)
		el = THEME_NORMAL;
	if (t->styles[el].set)
		return t->styles[el];
	snprintf(name, sizeof(name), "%s", element_names[el]);
	for (char *dot = strrchr(name, '.'); dot; dot = strrchr(name, '.')) {
		int parent;

		*dot = '\0';
		parent = theme_element_find(name);
		if (parent >= 0 && t->styles[parent].set)
			return t->styles[parent];
	}
	return t->styles[THEME_NORMAL];
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the *.theme names of dir to names (no duplicates). */
static void list_dir(const char *dir, char **names, size_t max, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) && *n < max) {
		size_t len = strlen(de->d_name);
		char base[THEME_NAME_MAX];
		bool dup = false;

		if (len <= 6 || strcmp(de->d_name + len - 6, ".theme") != 0 ||
		    len - 6 >= sizeof(base))
			continue;
		memcpy(base, de->d_name, len - 6);
		base[len - 6] = '\0';
		if (!name_is_plain(base))
			continue;
		for (size_t i = 0; i < *n; i++)
			dup = dup || strcmp(names[i], base) == 0;
		if (!dup && (names[*n] = strdup(base)))
			(*n)++;
	}
	closedir(d);
}

size_t theme_list_names(char **names, size_t max)
{
	char path[PATHS_MAX];
	struct err ignore;
	size_t n = 0;

	if (paths_xdg(XDG_CONFIG, "themes", path, sizeof(path), &ignore) == OD_OK)
		list_dir(path, names, max, &n);
	if (paths_data_file("themes", path, sizeof(path), &ignore) == OD_OK)
		list_dir(path, names, max, &n);
	qsort(names, n, sizeof(*names), cmp_names);
	return n;
}

void theme_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		names[i] = NULL;
	}
}
