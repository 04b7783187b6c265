/*
 * paths.c: XDG base directories, the data directory, and mkdir -p.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/paths.h"

static const struct {
	const char *env;
	const char *fallback; /* under $HOME */
} xdg_table[] = {
	[XDG_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[XDG_DATA] = { "XDG_DATA_HOME", ".local/share" },
	[XDG_STATE] = { "XDG_STATE_HOME", ".local/state" },
	[XDG_CACHE] = { "XDG_CACHE_HOME", ".cache" },
};

enum od_status paths_join(char *out, size_t n, const char *a, const char *b, struct err *e)
{
	size_t la = strlen(a);
	const char *sep = (la > 0 && a[la - 1] == '/') || !b || !*b ? "" : "/";
	int w = snprintf(out, n, "%s%s%s", a, sep, b ? b : "");
	if (w < 0 || (size_t)w >= n)
		return err_set(e, OD_ELIMIT, "path too long: %.64s/%.64s...", a, b ? b : "");
	return OD_OK;
}

enum od_status paths_xdg_base(enum xdg_kind kind, char *out, size_t n, struct err *e)
{
	const char *v = getenv(xdg_table[kind].env);

	/* The spec: a relative path in these variables is invalid and is ignored. */
	if (v && v[0] == '/')
		return paths_join(out, n, v, "", e);
	const char *home = getenv("HOME");
	if (!home || home[0] != '/')
		return err_set(e, OD_ECONFIG, "cannot find the %s directory: set HOME or %s",
			       xdg_table[kind].fallback, xdg_table[kind].env);
	return paths_join(out, n, home, xdg_table[kind].fallback, e);
}

enum od_status paths_xdg(enum xdg_kind kind, const char *rel, char *out, size_t n,
			 struct err *e)
{
	char base[PATHS_MAX], app[PATHS_MAX];
	enum od_status rc;

	if ((rc = paths_xdg_base(kind, base, sizeof(base), e)) != OD_OK)
		return rc;
	if ((rc = paths_join(app, sizeof(app), base, "opsdeck", e)) != OD_OK)
		return rc;
	return paths_join(out, n, app, rel, e);
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A directory counts as a data root when it holds themes/ and data/. */
static int is_data_root(const char *dir)
{
	char t[PATHS_MAX], d[PATHS_MAX];
	if (paths_join(t, sizeof(t), dir, "themes", NULL) != OD_OK ||
	    paths_join(d, sizeof(d), dir, "data", NULL) != OD_OK)
		return 0;
	return is_dir(t) && is_dir(d);
}

void paths_dirname(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(out, n, ".");
		return;
	}
	if (slash == path) {
		snprintf(out, n, "/");
		return;
	}
	snprintf(out, n, "%.*s", (int)(slash - path), path);
}

enum od_status paths_datadir(char *out, size_t n, struct err *e)
{
	const char *env = getenv("OPSDECK_DATADIR");
	char exe[PATHS_MAX], exedir[PATHS_MAX];
	ssize_t len;

	if (env && *env)
		return paths_join(out, n, env, "", e);
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		paths_dirname(exe, exedir, sizeof(exedir));
		if (is_data_root(exedir))
			return paths_join(out, n, exedir, "", e);
		/* An out-of-tree build: not installed, so the source tree is the data. */
		if (strcmp(exedir, OPSDECK_BINDIR) != 0 && is_data_root(OPSDECK_SRCDIR))
			return paths_join(out, n, OPSDECK_SRCDIR, "", e);
	}
	return paths_join(out, n, OPSDECK_PKGDATADIR, "", e);
}

enum od_status paths_data_file(const char *rel, char *out, size_t n, struct err *e)
{
	char dir[PATHS_MAX];
	enum od_status rc = paths_datadir(dir, sizeof(dir), e);
	if (rc != OD_OK)
		return rc;
	return paths_join(out, n, dir, rel, e);
}

enum od_status paths_mkdir_p(const char *dir, mode_t mode, struct err *e)
{
	char tmp[PATHS_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(tmp))
		return err_set(e, OD_EINVAL, "bad directory name \"%.64s\"", dir);
	memcpy(tmp, dir, len + 1);
	for (char *p = tmp + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(tmp, mode) != 0 && errno != EEXIST)
			return err_set(e, errno == EACCES ? OD_EPERM : OD_EIO,
				       "cannot create directory %s: %s", tmp, strerror(errno));
		if (!is_dir(tmp))
			return err_set(e, OD_EIO, "%s exists and is not a directory", tmp);
		*p = c;
		if (c == '\0')
			break;
	}
	return OD_OK;
}
