/*
 * catalog.c: finding profiles on disk and picking the one for a namespace.
 *
 * Shipped profiles live in the data directory (data/profiles/), the user's in
 * $XDG_CONFIG_HOME/opsdeck/profiles/. A user file replaces the shipped file of
 * the same name; a broken file is reported and skipped, never fatal, so one
 * typo in a user profile cannot take the console down.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/paths.h"
#include "opsdeck/profile.h"

/* At most this many profile files per directory. */
#define CATALOG_MAX_FILES 256

static bool is_profile_file(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum od_status add_problem(struct profile_catalog *c, const char *msg, struct err *e)
{
	char **v = realloc(c->problems.v, (c->problems.n + 1) * sizeof(*v));
	if (!v)
		return err_set(e, OD_ENOMEM, "out of memory");
	c->problems.v = v;
	if (!(v[c->problems.n] = strdup(msg)))
		return err_set(e, OD_ENOMEM, "out of memory");
	c->problems.n++;
	return OD_OK;
}

/* The index of the profile loaded from a file with this base name, or -1. */
static long find_by_file(const struct profile_catalog *c, const char *base)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *slash = strrchr(c->profiles[i]->path, '/');
		const char *b = slash ? slash + 1 : c->profiles[i]->path;
		if (strcmp(b, base) == 0)
			return (long)i;
	}
	return -1;
}

/* Loads one file; a parse failure becomes a problem, a mismatched name too. */
static enum od_status load_one(struct profile_catalog *c, const char *dir, const char *base,
			       bool user, struct err *e)
{
	char path[PATHS_MAX];
	struct profile *p = NULL;
	struct err pe;
	enum od_status rc;

	if (paths_join(path, sizeof(path), dir, base, &pe) != OD_OK)
		return add_problem(c, pe.msg, e);
	if (profile_load_file(path, &p, &pe) != OD_OK)
		return pe.status == OD_ENOMEM ? err_set(e, OD_ENOMEM, "out of memory") : add_problem(c, pe.msg, e);
	size_t stem = strlen(base) - 5;
	if (strlen(p->name) != stem || strncmp(p->name, base, stem) != 0) {
		snprintf(pe.msg, sizeof(pe.msg), "%.300s:1: name: \"%.64s\" does not match the file name",
			 path, p->name);
		profile_free(&p);
		return add_problem(c, pe.msg, e);
	}
	long at = find_by_file(c, base);
	if (at >= 0 && user) {
		profile_free(&c->profiles[at]);
		c->profiles[at] = p;
		return OD_OK;
	}
	struct profile **v = realloc(c->profiles, (c->n + 1) * sizeof(*v));
	if (!v) {
		profile_free(&p);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	c->profiles = v;
	/* User profiles go first so that auto-loading prefers them. */
	if (user) {
		memmove(v + 1, v, c->n * sizeof(*v));
		v[0] = p;
	} else {
		v[c->n] = p;
	}
	c->n++;
	rc = OD_OK;
	return rc;
}

/* Loads every *.yaml of dir in name order; a missing dir is fine. */
static enum od_status load_dir(struct profile_catalog *c, const char *dir, bool user, struct err *e)
{
	char *names[CATALOG_MAX_FILES];
	size_t n = 0;
	enum od_status rc = OD_OK;
	DIR *d;

	if (!dir || !(d = opendir(dir)))
		return OD_OK;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < CATALOG_MAX_FILES) {
		if (!is_profile_file(de->d_name))
			continue;
		if (!(names[n] = strdup(de->d_name))) {
			rc = err_set(e, OD_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (rc == OD_OK)
			rc = load_one(c, dir, names[i], user, e);
		free(names[i]);
	}
	return rc;
}

enum od_status profile_catalog_load_dirs(const char *data_dir, const char *user_dir,
					 struct profile_catalog **out, struct err *e)
{
	struct profile_catalog *c = calloc(1, sizeof(*c));
	enum od_status rc;

	*out = NULL;
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	if ((rc = load_dir(c, data_dir, false, e)) != OD_OK ||
	    (rc = load_dir(c, user_dir, true, e)) != OD_OK) {
		profile_catalog_free(&c);
		return rc;
	}
	*out = c;
	return OD_OK;
}

enum od_status profile_catalog_load(struct profile_catalog **out, struct err *e)
{
	char data_dir[PATHS_MAX], user_dir[PATHS_MAX];
	bool have_user = paths_xdg(XDG_CONFIG, "profiles", user_dir, sizeof(user_dir), NULL) == OD_OK;
	enum od_status rc = paths_data_file("data/profiles", data_dir, sizeof(data_dir), e);

	if (rc != OD_OK)
		return rc;
	return profile_catalog_load_dirs(data_dir, have_user ? user_dir : NULL, out, e);
}

void profile_catalog_free(struct profile_catalog **cp)
{
	struct profile_catalog *c = cp ? *cp : NULL;
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		profile_free(&c->profiles[i]);
	free(c->profiles);
	for (size_t i = 0; i < c->problems.n; i++)
		free(c->problems.v[i]);
	free(c->problems.v);
	free(c);
	*cp = NULL;
}

const struct profile *profile_catalog_find(const struct profile_catalog *c, const char *name)
{
	for (size_t i = 0; c && name && i < c->n; i++)
		if (strcmp(c->profiles[i]->name, name) == 0)
			return c->profiles[i];
	return NULL;
}

const struct profile *profile_catalog_match(const struct profile_catalog *c,
					    const char *context, const char *ns)
{
	const struct profile *any = NULL;
	for (size_t i = 0; c && ns && i < c->n; i++) {
		const struct profile *p = c->profiles[i];
		if (!profile_has_namespace(p, ns))
			continue;
		if (p->context && context && strcmp(p->context, context) == 0)
			return p;
		if (!p->context && !any)
			any = p;
	}
	return any;
}
