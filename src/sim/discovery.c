/*
 * discovery.c: /version, /api, /apis, resource lists and minimal OpenAPI v3.
 *
 * kubectl 1.32 first asks for aggregated discovery
 * (application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList) and
 * falls back to the per-group documents when the answer is plain
 * application/json, which is what the sim serves.
 *
 * The OpenAPI v3 documents only list each resource's PATCH operation with
 * its fieldValidation parameter: that is what kubectl apply checks to leave
 * validation to the server, and it needs nothing else from them.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/sim_discovery.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_server.h"
#include "opsdeck/sim_status.h"

static const char *const groups[] = { "apps", "batch", "events.k8s.io", "networking.k8s.io",
				      "snapshot.storage.k8s.io", "authorization.k8s.io",
				      "autoscaling", NULL };

static void resp_set(struct sim_response *resp, int code, cJSON *j)
{
	resp->code = code;
	resp->json = j;
	resp->content_type = "application/json";
}

static bool group_served(const char *g)
{
	for (size_t i = 0; groups[i]; i++)
		if (strcmp(groups[i], g) == 0)
			return true;
	return false;
}

static const char *group_version(const char *g)
{
	return strcmp(g, "autoscaling") == 0 ? "v1" : "v1";
}

static cJSON *group_object(const char *g)
{
	char gv[128];
	cJSON *o = cJSON_CreateObject();
	snprintf(gv, sizeof(gv), "%s/%s", g, group_version(g));
	cJSON_AddStringToObject(o, "name", g);
	cJSON *vs = cJSON_AddArrayToObject(o, "versions");
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "groupVersion", gv);
	cJSON_AddStringToObject(v, "version", group_version(g));
	cJSON_AddItemToArray(vs, v);
	cJSON *pv = cJSON_AddObjectToObject(o, "preferredVersion");
	cJSON_AddStringToObject(pv, "groupVersion", gv);
	cJSON_AddStringToObject(pv, "version", group_version(g));
	return o;
}

static void add_strings(cJSON *o, const char *key, const char *const *v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	for (size_t i = 0; i < n && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
}

static cJSON *sub_entry(const struct sim_resource *r, const char *sub)
{
	static const char *const gpu[] = { "get", "patch", "update", NULL };
	static const char *const get_only[] = { "get", NULL };
	static const char *const proxy[] = { "create", "delete", "get", "patch", "update", NULL };
	char name[128];
	cJSON *o = cJSON_CreateObject();
	snprintf(name, sizeof(name), "%s/%s", r->plural, sub);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "singularName", "");
	cJSON_AddBoolToObject(o, "namespaced", r->namespaced);
	if (strcmp(sub, "scale") == 0) {
		cJSON_AddStringToObject(o, "group", "autoscaling");
		cJSON_AddStringToObject(o, "version", "v1");
		cJSON_AddStringToObject(o, "kind", "Scale");
		add_strings(o, "verbs", gpu, 3);
	} else if (strcmp(sub, "log") == 0) {
		cJSON_AddStringToObject(o, "kind", "Pod");
		add_strings(o, "verbs", get_only, 1);
	} else if (strcmp(sub, "proxy") == 0) {
		cJSON_AddStringToObject(o, "kind", r->id == SIM_RES_NODES ? "NodeProxyOptions" :
						    "ServiceProxyOptions");
		add_strings(o, "verbs", proxy, 5);
	} else {
		cJSON_AddStringToObject(o, "kind", r->kind);
		add_strings(o, "verbs", gpu, 3);
	}
	return o;
}

static cJSON *resource_list(const char *group, const char *version)
{
	char gv[128];
	cJSON *l = cJSON_CreateObject();
	if (*group)
		snprintf(gv, sizeof(gv), "%s/%s", group, version);
	else
		snprintf(gv, sizeof(gv), "%s", version);
	cJSON_AddStringToObject(l, "kind", "APIResourceList");
	cJSON_AddStringToObject(l, "apiVersion", "v1");
	cJSON_AddStringToObject(l, "groupVersion", gv);
	cJSON *rs = cJSON_AddArrayToObject(l, "resources");
	for (int i = 0; i < SIM_RES_COUNT; i++) {
		const struct sim_resource *r = sim_resources_get((enum sim_res_id)i);
		if (strcmp(r->group, group) != 0 || strcmp(r->version, version) != 0)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", r->plural);
		cJSON_AddStringToObject(o, "singularName", r->singular);
		cJSON_AddBoolToObject(o, "namespaced", r->namespaced);
		cJSON_AddStringToObject(o, "kind", r->kind);
		const char *const *verbs = sim_resources_verbs(r->verbs);
		size_t nv = 0;
		while (verbs[nv])
			nv++;
		add_strings(o, "verbs", verbs, nv);
		if (r->short_names[0])
			add_strings(o, "shortNames", r->short_names, 3);
		if (r->categories[0])
			add_strings(o, "categories", r->categories, 2);
		cJSON_AddItemToArray(rs, o);
		for (size_t k = 0; k < 3 && r->subresources[k]; k++)
			cJSON_AddItemToArray(rs, sub_entry(r, r->subresources[k]));
	}
	return l;
}

static cJSON *version_doc(void)
{
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "major", "1");
	cJSON_AddStringToObject(v, "minor", "32");
	cJSON_AddStringToObject(v, "emulationMajor", "1");
	cJSON_AddStringToObject(v, "emulationMinor", "32");
	cJSON_AddStringToObject(v, "gitVersion", "v1.32.0-opsdeck-sim");
	cJSON_AddStringToObject(v, "gitCommit", "0000000000000000000000000000000000000000");
	cJSON_AddStringToObject(v, "gitTreeState", "clean");
	cJSON_AddStringToObject(v, "buildDate", "2026-01-01T00:00:00Z");
	cJSON_AddStringToObject(v, "goVersion", "go1.23.4");
	cJSON_AddStringToObject(v, "compiler", "gc");
	cJSON_AddStringToObject(v, "platform", "linux/amd64");
	return v;
}

static cJSON *openapi_root(void)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *paths = cJSON_AddObjectToObject(root, "paths");
	cJSON *core = cJSON_AddObjectToObject(paths, "api/v1");
	cJSON_AddStringToObject(core, "serverRelativeURL", "/openapi/v3/api/v1?hash=sim1");
	for (size_t i = 0; groups[i]; i++) {
		char key[128], url[192];
		snprintf(key, sizeof(key), "apis/%s/%s", groups[i], group_version(groups[i]));
		snprintf(url, sizeof(url), "/openapi/v3/%s?hash=sim1", key);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(paths, key), "serverRelativeURL", url);
	}
	return root;
}

static cJSON *openapi_gv(const char *group, const char *version)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "openapi", "3.0.0");
	cJSON *info = cJSON_AddObjectToObject(doc, "info");
	cJSON_AddStringToObject(info, "title", "Kubernetes");
	cJSON_AddStringToObject(info, "version", "v1.32.0");
	cJSON *paths = cJSON_AddObjectToObject(doc, "paths");
	for (int i = 0; i < SIM_RES_COUNT; i++) {
		const struct sim_resource *r = sim_resources_get((enum sim_res_id)i);
		char path[256];
		if (strcmp(r->group, group) != 0 || strcmp(r->version, version) != 0 ||
		    r->verbs == SIM_VERBS_CREATE)
			continue;
		if (*group)
			snprintf(path, sizeof(path), "/apis/%s/%s/%s%s/{name}", group, version,
				 r->namespaced ? "namespaces/{namespace}/" : "", r->plural);
		else
			snprintf(path, sizeof(path), "/api/%s/%s%s/{name}", version,
				 r->namespaced ? "namespaces/{namespace}/" : "", r->plural);
		cJSON *p = cJSON_AddObjectToObject(paths, path);
		cJSON *patch = cJSON_AddObjectToObject(p, "patch");
		cJSON_AddStringToObject(patch, "x-kubernetes-action", "patch");
		cJSON *gvk = cJSON_AddObjectToObject(patch, "x-kubernetes-group-version-kind");
		cJSON_AddStringToObject(gvk, "group", group);
		cJSON_AddStringToObject(gvk, "version", version);
		cJSON_AddStringToObject(gvk, "kind", r->kind);
		cJSON *params = cJSON_AddArrayToObject(patch, "parameters");
		static const char *const names[] = { "dryRun", "fieldManager", "fieldValidation", "force" };
		for (size_t k = 0; k < 4; k++) {
			cJSON *pa = cJSON_CreateObject();
			cJSON_AddStringToObject(pa, "name", names[k]);
			cJSON_AddStringToObject(pa, "in", "query");
			cJSON_AddStringToObject(cJSON_AddObjectToObject(pa, "schema"), "type",
						k == 3 ? "boolean" : "string");
			cJSON_AddItemToArray(params, pa);
		}
	}
	cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "components"), "schemas");
	return doc;
}

void sim_discovery_handle(struct sim *s, const struct sim_request *req,
			  struct sim_response *resp)
{
	const struct sim_route *rt = &req->rt;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		resp_set(resp, 405, sim_status_method_not_allowed());
		return;
	}
	switch (rt->kind) {
	case SIM_ROUTE_VERSION:
		resp_set(resp, 200, version_doc());
		return;
	case SIM_ROUTE_API: {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", "APIVersions");
		cJSON *vs = cJSON_AddArrayToObject(o, "versions");
		cJSON_AddItemToArray(vs, cJSON_CreateString("v1"));
		cJSON *sa = cJSON_AddArrayToObject(o, "serverAddressByClientCIDRs");
		cJSON *e = cJSON_CreateObject();
		const char *url = s->server ? sim_server_url(s->server) : "http://127.0.0.1:0";
		const char *hp = strstr(url, "://");
		cJSON_AddStringToObject(e, "clientCIDR", "0.0.0.0/0");
		cJSON_AddStringToObject(e, "serverAddress", hp ? hp + 3 : url);
		cJSON_AddItemToArray(sa, e);
		resp_set(resp, 200, o);
		return;
	}
	case SIM_ROUTE_APIS: {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", "APIGroupList");
		cJSON_AddStringToObject(o, "apiVersion", "v1");
		cJSON *gs = cJSON_AddArrayToObject(o, "groups");
		for (size_t i = 0; groups[i]; i++)
			cJSON_AddItemToArray(gs, group_object(groups[i]));
		resp_set(resp, 200, o);
		return;
	}
	case SIM_ROUTE_GROUP:
		if (!group_served(rt->group))
			break;
		{
			cJSON *o = group_object(rt->group);
			cJSON_AddStringToObject(o, "kind", "APIGroup");
			cJSON_AddStringToObject(o, "apiVersion", "v1");
			resp_set(resp, 200, o);
		}
		return;
	case SIM_ROUTE_GROUP_VERSION:
		if ((rt->group[0] && !group_served(rt->group)) || strcmp(rt->version, "v1") != 0)
			break;
		resp_set(resp, 200, resource_list(rt->group, rt->version));
		return;
	case SIM_ROUTE_OPENAPI_V3:
		resp_set(resp, 200, openapi_root());
		return;
	case SIM_ROUTE_OPENAPI_V3_GV:
		if ((rt->group[0] && !group_served(rt->group)) || strcmp(rt->version, "v1") != 0)
			break;
		resp_set(resp, 200, openapi_gv(rt->group, rt->version));
		return;
	default:
		break;
	}
	resp_set(resp, 404, sim_status_path_not_found());
}
