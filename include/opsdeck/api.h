/*
 * api.h: typed Kubernetes API requests: resource types and their aliases,
 * request paths and query strings built the way client-go builds them.
 *
 * A resource type is looked up as kubectl accepts it: plural, singular,
 * short name or kind, any case, optionally qualified by group
 * ("deployments.apps", "deploy.apps"). Paths are
 *   /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]                 (core group)
 *   /apis/GROUP/VERSION[/namespaces/NS]/PLURAL[/NAME[/SUB]]     (named groups)
 * and query parameters are sorted by key and escaped as Go's url.Values.
 */
#ifndef OPSDECK_API_H
#define OPSDECK_API_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

/* A resource type the API serves. Static data: never freed. */
struct api_resource {
	const char *group;        /* "" for the core group */
	const char *version;      /* "v1" */
	const char *plural;       /* "deployments" */
	const char *singular;     /* "deployment" */
	const char *kind;         /* "Deployment" */
	const char *shorts[3];    /* "deploy"; NULL-terminated */
	bool namespaced;
};

/*
 * Finds a type by any name kubectl accepts (see the file comment). Returns a
 * static entry, or NULL with e filled in kubectl's words:
 *   error: the server doesn't have a resource type "foo"
 */
const struct api_resource *api_resource_lookup(const char *name, struct err *e);

/* All known types, for help texts and completion; *n receives the count. */
const struct api_resource *api_resources(size_t *n);

/* "apps/v1" or "v1" into out. */
void api_resource_group_version(const struct api_resource *r, char *out, size_t n);

/* Query parameters of a request; unset fields are left out. Strings are borrowed. */
struct api_query {
	const char *label_selector;
	const char *field_selector;
	long limit;                   /* 0: unset */
	const char *continue_token;
	const char *resource_version; /* NULL: unset; "" is also unset */
	const char *resource_version_match;
	bool watch;
	bool allow_watch_bookmarks;
	long timeout_seconds;         /* 0: unset */
	/* further parameters (logs: container, follow, tailLines...), name/value pairs */
	const char *extra[16][2];
	size_t nextra;
};

/* Where a request goes. Strings are borrowed. */
struct api_target {
	const struct api_resource *res;
	const char *namespace_;       /* NULL or "": all namespaces (ignored for cluster types) */
	const char *name;             /* NULL: the collection */
	const char *subresource;      /* "log", "scale", "status" or NULL */
};

/*
 * Appends the path and (when q is non-NULL and sets anything) "?query" to
 * out. Names and namespaces are path-escaped; an empty name or a name with
 * "/" is OD_EINVAL, as the API would refuse it.
 */
enum od_status api_build_path(const struct api_target *t, const struct api_query *q,
			      struct buf *out, struct err *e);

/* Appends q's encoded query (no '?') to out: keys sorted, values escaped like Go's QueryEscape. */
enum od_status api_query_encode(const struct api_query *q, struct buf *out, struct err *e);

/* Appends s escaped like Go's url.QueryEscape (space -> '+'). */
enum od_status api_query_escape(const char *s, struct buf *out, struct err *e);

/* Appends s escaped like Go's url.PathEscape. */
enum od_status api_path_escape(const char *s, struct buf *out, struct err *e);

#endif
