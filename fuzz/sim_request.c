/*
 * fuzz/sim_request.c: opsdeck-sim's request handling, from the raw request
 * down: path routing, query parameters, label and field selectors, JSON
 * bodies, the three patch flavours and the REST semantics, against a small
 * in-memory cluster. Input: a request line "METHOD /path?query", header
 * lines (Content-Type, Accept), an empty line, then the body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/selector.h"
#include "opsdeck/sim_api.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_patch.h"

#define FUZZ_MAX (64 * 1024)

static struct sim *fuzz_sim;

static const char *const seed_objects[] = {
	"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}",
	"{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\"},"
	"\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}",
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"},"
	"\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
	"{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\"}]}}}}",
	"{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\",\"namespace\":\"ns\"},"
	"\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}",
	NULL
};

static void fuzz_init(void)
{
	struct od_time start = { .sec = 1767225600, .nsec = 0 };
	struct err e;
	if (sim_new(&fuzz_sim, 1, start, &e) != OD_OK)
		abort();
	fuzz_sim->building = true;
	for (size_t i = 0; seed_objects[i]; i++) {
		cJSON *o = cJSON_Parse(seed_objects[i]);
		const struct sim_resource *r = sim_resources_find_kind(sim_json_str(o, "apiVersion"),
								       sim_json_str(o, "kind"));
		sim_objects_default(fuzz_sim, r, o);
		sim_store_create(fuzz_sim->store, r->id, o, NULL, NULL);
	}
	sim_ctrl_settle(fuzz_sim);
	fuzz_sim->building = false;
}

/* Copies the line starting at *p (without its newline) into out; advances *p. */
static size_t next_line(const char **p, const char *end, char *out, size_t n)
{
	size_t len = 0;
	while (*p < end && **p != '\n') {
		if (len + 1 < n)
			out[len++] = **p;
		(*p)++;
	}
	if (*p < end)
		(*p)++;
	if (len && out[len - 1] == '\r')
		len--;
	out[len] = '\0';
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[2048], path[2048], method[16], ctype[256] = "", accept[256] = "";
	const char *p = (const char *)data, *end = p + (size > FUZZ_MAX ? FUZZ_MAX : size);
	struct sim_request req;
	struct sim_response resp;
	struct err e;

	static unsigned runs;
	/* A fresh cluster now and then keeps runs fast and exercises teardown. */
	if (fuzz_sim && ++runs % 256 == 0)
		sim_free(&fuzz_sim);
	if (!fuzz_sim)
		fuzz_init();
	memset(&req, 0, sizeof(req));
	sim_query_init(&req.q);
	next_line(&p, end, line, sizeof(line));
	char *sp = strchr(line, ' ');
	if (!sp || sp - line >= (ptrdiff_t)sizeof(method))
		goto out;
	*sp = '\0';
	snprintf(method, sizeof(method), "%s", line);
	snprintf(path, sizeof(path), "%s", sp + 1);
	while (next_line(&p, end, line, sizeof(line)) > 0) {
		if (strncmp(line, "Content-Type: ", 14) == 0)
			snprintf(ctype, sizeof(ctype), "%s", line + 14);
		else if (strncmp(line, "Accept: ", 8) == 0)
			snprintf(accept, sizeof(accept), "%s", line + 8);
	}
	char *qs = strchr(path, '?');
	if (qs)
		*qs++ = '\0';
	if (sim_router_parse_path(path, &req.rt, &e) != OD_OK)
		goto out;
	if (qs && sim_query_parse_string(&req.q, qs, &e) != OD_OK)
		goto out;
	/* The selectors on their own, as the client also parses them. */
	struct selector *sel = NULL;
	if (selector_parse(req.q.label_selector, &sel, &e) == OD_OK)
		selector_free(&sel);
	if (selector_parse_fields(req.q.field_selector, &sel, &e) == OD_OK)
		selector_free(&sel);
	/* Patches on their own, on a copy of a stored object. */
	enum sim_patch_type pt;
	if (sim_patch_type_from_content_type(ctype, &pt, &e) == OD_OK && end > p) {
		cJSON *patch = cJSON_ParseWithLength(p, (size_t)(end - p));
		struct sim_obj *o = sim_store_get(fuzz_sim->store, SIM_RES_DEPLOYMENTS, "ns", "web");
		if (patch && o) {
			cJSON *doc = cJSON_Duplicate(o->json, 1);
			sim_patch_apply(&doc, patch, pt, &e);
			cJSON_Delete(doc);
		}
		cJSON_Delete(patch);
	}
	req.method = method;
	req.path = path;
	req.accept = accept[0] ? accept : NULL;
	req.content_type = ctype[0] ? ctype : NULL;
	req.body = end > p ? p : NULL;
	req.body_len = end > p ? (size_t)(end - p) : 0;
	req.user.role = SIM_ROLE_ADMIN;
	snprintf(req.user.name, sizeof(req.user.name), "fuzz");
	sim_api_handle(fuzz_sim, &req, &resp);
	sim_response_free(&resp);
	/* Let the controllers react to whatever the request changed. */
	sim_ctrl_reconcile(fuzz_sim);
out:
	sim_query_free(&req.q);
	return 0;
}
