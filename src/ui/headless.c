/*
 * headless.c: scripted runs and screen dumps (ui_headless.h). The screen is
 * read back from stdscr, which holds exactly what the panes painted.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "opsdeck/paths.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_headless.h"
#include "opsdeck/ui_keymap.h"

#define SCRIPT_LINE_MAX 1024

int headless_parse_size(const char *s, int *cols, int *rows)
{
	char *end;
	long c, r;

	errno = 0;
	c = strtol(s, &end, 10);
	if (errno || end == s || *end != 'x')
		return 0;
	s = end + 1;
	r = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return 0;
	if (c < 1 || r < 1 || c > 1000 || r > 1000)
		return 0;
	*cols = (int)c;
	*rows = (int)r;
	return 1;
}

/* UTF-8 for one code point; returns the bytes written (0 for invalid ones). */
static size_t utf8_encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

void headless_write_screen(FILE *f)
{
	char line[4096 * 4];

	for (int y = 0; y < LINES; y++) {
		size_t o = 0, keep = 0;

		for (int x = 0; x < COLS && o + 16 < sizeof(line); x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1] = { 0 };
			attr_t attrs;
			short pair;
			int w;

			if (mvwin_wch(stdscr, y, x, &cc) == ERR ||
			    getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || wch[0] == 0)
				wch[0] = L' ';
			for (int k = 0; k < CCHARW_MAX && wch[k]; k++)
				o += utf8_encode((unsigned long)wch[k], line + o);
			if (wch[0] != L' ')
				keep = o;
			/* A wide character fills two cells; the second holds no text of its own. */
			w = wcwidth(wch[0]);
			if (w == 2)
				x++;
		}
		fprintf(f, "%.*s\n", (int)keep, line);
	}
}

static enum od_status dump(const char *dir, const char *name, struct err *e)
{
	char file[300], path[PATHS_MAX];
	FILE *f;

	if (!*name || strchr(name, '/') || strlen(name) > 200)
		return err_set(e, OD_EINVAL, "bad dump name \"%.64s\"", name);
	snprintf(file, sizeof(file), "%s.txt", name);
	if (paths_join(path, sizeof(path), dir, file, e) != OD_OK)
		return e->status;
	f = fopen(path, "w");
	if (!f)
		return err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
	headless_write_screen(f);
	if (fclose(f) != 0)
		return err_set(e, OD_EIO, "%s: write error", path);
	return OD_OK;
}

static enum od_status press_keys(struct app *app, char *names, const char *path, size_t lineno,
				 struct err *e)
{
	char *save = NULL;

	for (char *tok = strtok_r(names, " \t", &save); tok && !app->quit;
	     tok = strtok_r(NULL, " \t", &save)) {
		int key = keymap_key_parse(tok);

		if (key < 0)
			return err_set(e, OD_EPARSE, "%s:%zu: unknown key \"%.32s\"", path, lineno,
				       tok);
		app_handle_key(app, key);
		app_update(app);
	}
	return OD_OK;
}

static enum od_status run_line(struct app *app, char *line, const char *path, size_t lineno,
			       const char *dir, struct err *e)
{
	char *arg = line;
	int cols, rows;

	while (*arg && *arg != ' ')
		arg++;
	if (*arg)
		*arg++ = '\0';
	if (strcmp(line, "key") == 0)
		return press_keys(app, arg, path, lineno, e);
	if (strcmp(line, "type") == 0) {
		for (const char *p = arg; *p && !app->quit; p++) {
			app_handle_key(app, (unsigned char)*p);
			app_update(app);
		}
		return OD_OK;
	}
	if (strcmp(line, "resize") == 0) {
		if (!headless_parse_size(arg, &cols, &rows))
			return err_set(e, OD_EPARSE, "%s:%zu: resize needs COLSxROWS", path, lineno);
		app_resize(app, cols, rows);
		app_update(app);
		return OD_OK;
	}
	if (strcmp(line, "dump") == 0) {
		if (dump(dir, arg, e) != OD_OK)
			return err_prefix(e, "%s:%zu: ", path, lineno);
		return OD_OK;
	}
	return err_set(e, OD_EPARSE, "%s:%zu: unknown script command \"%.32s\"", path, lineno,
		       line);
}

enum od_status headless_run(struct app *app, const char *path, const char *dir, struct err *e)
{
	FILE *f = fopen(path, "r");
	char line[SCRIPT_LINE_MAX];
	size_t lineno = 0;
	enum od_status rc = OD_OK;

	if (!f)
		return err_set(e, OD_ENOENT, "%s: %s", path, strerror(errno));
	app_update(app);
	while (!app->quit && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		rc = run_line(app, line, path, lineno, dir, e);
		if (rc != OD_OK)
			break;
	}
	fclose(f);
	return rc;
}
