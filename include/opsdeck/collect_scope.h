/*
 * collect_scope.h: which namespaces the collector watches — the namespaces
 * of the loaded profiles (those the context's settings name, and the one
 * that matches the current namespace) plus the current namespace; or every
 * namespace with -A.
 */
#ifndef OPSDECK_COLLECT_SCOPE_H
#define OPSDECK_COLLECT_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"
#include "opsdeck/profile.h"
#include "opsdeck/settings.h"

/* Most namespaces collected one by one; a wider scope should use -A. */
#define COLLECT_SCOPE_MAX 64

struct collect_scope {
	bool all;                               /* -A: every namespace */
	char *namespaces[COLLECT_SCOPE_MAX];    /* owned; sorted, unique */
	size_t n;
};

/* Adds ns unless present; OD_ELIMIT past COLLECT_SCOPE_MAX. */
enum od_status collect_scope_add(struct collect_scope *s, const char *ns, struct err *e);

/*
 * Builds the scope for context/current_ns: cs->profiles looked up in cat,
 * plus profile_catalog_match(cat, context, current_ns). cat and cs may be
 * NULL. Names of profiles that are not in the catalog go to *missing (a
 * comma-separated list written to missing, n bytes) so the caller can warn.
 */
enum od_status collect_scope_build(struct collect_scope *s, bool all, const char *context,
				   const char *current_ns, const struct profile_catalog *cat,
				   const struct context_settings *cs, char *missing, size_t n,
				   struct err *e);

/* Frees the names; leaves s empty. */
void collect_scope_clear(struct collect_scope *s);

#endif
