/*
 * sim_discovery.h: /api, /apis, group-version resource lists, /version and
 * the minimal OpenAPI v3 documents kubectl reads to learn that the server
 * validates fields itself.
 */
#ifndef OPSDECK_SIM_DISCOVERY_H
#define OPSDECK_SIM_DISCOVERY_H

#include "opsdeck/sim_api.h"

/* Fills resp for the discovery, version and OpenAPI routes. */
void sim_discovery_handle(struct sim *s, const struct sim_request *req,
			  struct sim_response *resp);

#endif
