/*
 * sim_api.h: the REST semantics of the apiserver over the store: get, list,
 * watch, create, update, patch, delete, subresources, selectors, paging,
 * dry run and authorization. Transport-independent: server.c feeds it
 * parsed requests and turns its responses into HTTP.
 */
#ifndef OPSDECK_SIM_API_H
#define OPSDECK_SIM_API_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "opsdeck/sim_auth.h"
#include "opsdeck/sim_router.h"
#include "opsdeck/sim_sim.h"
#include "opsdeck/sim_stream.h"

/* Largest request body the sim reads; bigger ones get 413. */
#define SIM_API_BODY_MAX (3u * 1024 * 1024)

struct sim_request {
	const char *method;          /* borrowed */
	const char *path;            /* borrowed, without the query */
	struct sim_route rt;
	struct sim_query q;          /* owned by the request */
	const char *accept;          /* borrowed; may be NULL */
	const char *content_type;    /* borrowed; may be NULL */
	const char *body;            /* borrowed; may be NULL */
	size_t body_len;
	struct sim_user user;
};

struct sim_response {
	int code;
	cJSON *json;                 /* owned: the body, or NULL */
	char *text;                  /* owned: a non-JSON body, or NULL */
	size_t text_len;
	const char *content_type;    /* static string */
	struct sim_stream *stream;   /* owned: a streaming body (watch, logs -f), or NULL */
	int retry_after;             /* seconds for a Retry-After header; 0: none */
};

/* Answers req. resp is filled completely (always a code and a body). */
void sim_api_handle(struct sim *s, struct sim_request *req, struct sim_response *resp);

void sim_response_free(struct sim_response *resp);

/* True when Accept asks for a meta.k8s.io Table. */
bool sim_api_wants_table(const char *accept);

#endif
