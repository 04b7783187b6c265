/*
 * scope.c: the namespaces the collector watches (collect_scope.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/collect_scope.h"

enum od_status collect_scope_add(struct collect_scope *s, const char *ns, struct err *e)
{
	size_t i = 0;

	if (!ns || !*ns)
		return OD_OK;
	while (i < s->n && strcmp(s->namespaces[i], ns) < 0)
		i++;
	if (i < s->n && strcmp(s->namespaces[i], ns) == 0)
		return OD_OK;
	if (s->n >= COLLECT_SCOPE_MAX)
		return err_set(e, OD_ELIMIT, "more than %d namespaces to collect; use -A",
			       COLLECT_SCOPE_MAX);
	char *copy = strdup(ns);
	if (!copy)
		return err_set(e, OD_ENOMEM, "out of memory");
	memmove(&s->namespaces[i + 1], &s->namespaces[i], (s->n - i) * sizeof(char *));
	s->namespaces[i] = copy;
	s->n++;
	return OD_OK;
}

static enum od_status add_profile(struct collect_scope *s, const struct profile *p,
				  struct err *e)
{
	for (size_t i = 0; i < p->namespaces.n; i++) {
		enum od_status rc = collect_scope_add(s, p->namespaces.v[i], e);

		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static void note_missing(char *missing, size_t n, const char *name)
{
	size_t len = strlen(missing);

	if (len + strlen(name) + 3 >= n)
		return;
	snprintf(missing + len, n - len, "%s%s", len ? ", " : "", name);
}

enum od_status collect_scope_build(struct collect_scope *s, bool all, const char *context,
				   const char *current_ns, const struct profile_catalog *cat,
				   const struct context_settings *cs, char *missing, size_t n,
				   struct err *e)
{
	enum od_status rc;

	if (missing && n)
		missing[0] = '\0';
	s->all = all;
	if (all)
		return OD_OK;
	rc = collect_scope_add(s, current_ns, e);
	for (size_t i = 0; rc == OD_OK && cs && i < cs->nprofiles; i++) {
		const struct profile *p = cat ? profile_catalog_find(cat, cs->profiles[i]) : NULL;

		if (p)
			rc = add_profile(s, p, e);
		else if (missing && n)
			note_missing(missing, n, cs->profiles[i]);
	}
	if (rc == OD_OK && cat) {
		const struct profile *p = profile_catalog_match(cat, context, current_ns);

		if (p)
			rc = add_profile(s, p, e);
	}
	return rc;
}

void collect_scope_clear(struct collect_scope *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->namespaces[i]);
	s->n = 0;
	s->all = false;
}
