/*
 * proxy.c: the service proxy subresource, answering the health endpoints
 * the scenario lists (Scenario.spec.workloads[].health) for the service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_proxy.h"
#include "opsdeck/sim_status.h"

static void resp_text(struct sim_response *resp, int code, const char *body, const char *ct)
{
	resp->code = code;
	resp->text = strdup(body ? body : "");
	resp->text_len = strlen(resp->text ? resp->text : "");
	resp->content_type = ct;
}

static bool service_has_ready_endpoint(struct sim *s, const char *ns, const char *name)
{
	struct sim_obj *ep = sim_store_get(s->store, SIM_RES_ENDPOINTS, ns, name);
	const cJSON *subsets = ep ? sim_json_get(ep->json, "subsets") : NULL;
	for (const cJSON *ss = subsets ? subsets->child : NULL; ss; ss = ss->next)
		if (cJSON_GetArraySize(sim_json_get(ss, "addresses")) > 0)
			return true;
	return false;
}

/* Finds the health entry for service:port and path across all scenarios. */
static const cJSON *find_health(struct sim *s, const char *ns, const char *svc, long port,
				const char *path, bool *service_listed)
{
	const cJSON *scn;
	*service_listed = false;
	cJSON_ArrayForEach(scn, s->scenarios) {
		const cJSON *wls = sim_json_get(scn, "spec.workloads");
		const cJSON *wl;
		cJSON_ArrayForEach(wl, wls) {
			const char *ref = sim_json_str_or(wl, "ref", "");
			size_t nl = strlen(ns);
			if (strncmp(ref, ns, nl) != 0 || ref[nl] != '/')
				continue;
			const cJSON *h;
			cJSON_ArrayForEach(h, sim_json_get(wl, "health")) {
				if (strcmp(sim_json_str_or(h, "service", ""), svc) != 0)
					continue;
				if (port > 0 && sim_json_int(h, "port", port) != port)
					continue;
				*service_listed = true;
				if (strcmp(sim_json_str_or(h, "path", "/"), path) == 0)
					return h;
			}
		}
	}
	return NULL;
}

void sim_proxy_handle(struct sim *s, const struct sim_request *req, struct sim_response *resp)
{
	char name[SIM_ROUTE_NAME_MAX], msg[400];
	long port = 0;
	const struct sim_route *rt = &req->rt;

	if (rt->res->id != SIM_RES_SERVICES) {
		resp->code = 404;
		resp->json = sim_status_path_not_found();
		resp->content_type = "application/json";
		return;
	}
	/* NAME, NAME:PORT or SCHEME:NAME:PORT */
	snprintf(name, sizeof(name), "%s", rt->name);
	char *first = strchr(name, ':');
	if (first && (strncmp(name, "http:", 5) == 0 || strncmp(name, "https:", 6) == 0)) {
		memmove(name, first + 1, strlen(first + 1) + 1);
		first = strchr(name, ':');
	}
	if (first) {
		*first = '\0';
		port = strtol(first + 1, NULL, 10);
	}
	struct sim_obj *svc = sim_store_get(s->store, SIM_RES_SERVICES, rt->ns, name);
	if (!svc) {
		resp->json = sim_status_not_found(rt->res, name);
		resp->code = 404;
		resp->content_type = "application/json";
		return;
	}
	if (!service_has_ready_endpoint(s, rt->ns, name)) {
		snprintf(msg, sizeof(msg), "no endpoints available for service \"%s\"", name);
		resp->json = sim_status_new(503, "ServiceUnavailable", msg, NULL);
		resp->code = 503;
		resp->content_type = "application/json";
		return;
	}
	bool listed;
	const cJSON *h = find_health(s, rt->ns, name, port, rt->rest, &listed);
	if (!h) {
		if (listed)
			resp_text(resp, 404, "404: Not Found", "text/plain; charset=utf-8");
		else
			resp_text(resp, 200, "ok", "text/plain; charset=utf-8");
		return;
	}
	int code = (int)sim_json_int(h, "status", 200);
	/* A plain HTTP request cannot be switched to a WebSocket: a healthy 101 answers 200. */
	if (code < 200)
		code = 200;
	const char *body = sim_json_str_or(h, "body", "");
	resp_text(resp, code, body, body[0] == '{' ? "application/json" : "text/plain; charset=utf-8");
}
