/*
 * sim_router.h: turns a request path and its query parameters into a route
 * (which endpoint, which resource, namespace, name, subresource) and a
 * parsed query. Pure functions of their input: the fuzz target drives them.
 */
#ifndef OPSDECK_SIM_ROUTER_H
#define OPSDECK_SIM_ROUTER_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_resources.h"

enum sim_route_kind {
	SIM_ROUTE_NOT_FOUND,
	SIM_ROUTE_VERSION,
	SIM_ROUTE_HEALTHZ,
	SIM_ROUTE_READYZ,
	SIM_ROUTE_LIVEZ,
	SIM_ROUTE_API,              /* /api */
	SIM_ROUTE_APIS,             /* /apis */
	SIM_ROUTE_GROUP,            /* /apis/GROUP */
	SIM_ROUTE_GROUP_VERSION,    /* /api/v1, /apis/GROUP/VERSION */
	SIM_ROUTE_RESOURCE,         /* a collection, an object or a subresource */
	SIM_ROUTE_OPENAPI_V2,
	SIM_ROUTE_OPENAPI_V3,       /* /openapi/v3 */
	SIM_ROUTE_OPENAPI_V3_GV     /* /openapi/v3/api/v1, /openapi/v3/apis/G/V */
};

#define SIM_ROUTE_NAME_MAX 254
#define SIM_ROUTE_REST_MAX 1024

struct sim_route {
	enum sim_route_kind kind;
	char group[64];
	char version[16];
	char plural[64];                 /* as requested, for NotFound messages */
	const struct sim_resource *res;  /* NULL when the resource is not served */
	char ns[64];                     /* "" when not namespaced in the path */
	bool has_ns;
	char name[SIM_ROUTE_NAME_MAX];   /* "" for collections */
	char sub[32];                    /* "" or "status", "scale", "log", "proxy" */
	char rest[SIM_ROUTE_REST_MAX];   /* the path after .../proxy, with its leading '/' */
};

/* Query parameters the sim understands; strings are owned by the query. */
struct sim_query {
	char *label_selector;
	char *field_selector;
	bool watch;
	char *resource_version;
	int64_t limit;                 /* 0: none */
	char *continue_token;
	int64_t timeout_seconds;       /* -1: not given */
	bool allow_bookmarks;
	bool dry_run;
	int64_t grace_period;          /* -1: not given */
	char *propagation;
	char *field_manager;
	/* pods/log */
	char *container;
	bool follow;
	int64_t tail_lines;            /* -1: all */
	int64_t since_seconds;         /* -1: not given */
	char *since_time;
	bool timestamps;
	bool previous;
	int64_t limit_bytes;           /* -1: none */
	/* Table */
	char *include_object;
};

/*
 * Parses path (without the query string). Unknown paths give
 * SIM_ROUTE_NOT_FOUND; overlong segments give OD_EPARSE.
 */
enum od_status sim_router_parse_path(const char *path, struct sim_route *rt, struct err *e);

void sim_query_init(struct sim_query *q);
void sim_query_free(struct sim_query *q);
/* Records one parameter; OD_EPARSE (with the apiserver's wording) for bad numbers. */
enum od_status sim_query_set(struct sim_query *q, const char *key, const char *value,
			     struct err *e);
/* Splits "a=1&b=2" (percent-decoding) and records each parameter. */
enum od_status sim_query_parse_string(struct sim_query *q, const char *qs, struct err *e);

#endif
