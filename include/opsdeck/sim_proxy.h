/*
 * sim_proxy.h: the service proxy (/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH)
 * answering the health endpoints that the scenario declares, healthy or
 * failing, and 503 when no pod behind the service is ready.
 */
#ifndef OPSDECK_SIM_PROXY_H
#define OPSDECK_SIM_PROXY_H

#include "opsdeck/sim_api.h"

void sim_proxy_handle(struct sim *s, const struct sim_request *req, struct sim_response *resp);

#endif
