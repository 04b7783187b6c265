/*
 * api.c: the REST verbs over the store, with the apiserver's semantics for
 * selectors, paging, subresources (status, scale), graceful deletion, dry
 * run and errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "opsdeck/selector.h"
#include "opsdeck/sim_api.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_discovery.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_logs.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_patch.h"
#include "opsdeck/sim_pb.h"
#include "opsdeck/sim_proxy.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_metrics.h"
#include "opsdeck/sim_status.h"
#include "opsdeck/sim_table.h"
#include "opsdeck/sim_watch.h"

/* The sim keeps pod termination short: well-behaved apps exit at once on SIGTERM. */
#define API_TERMINATION_MAX_S 2

static void resp_json(struct sim_response *resp, int code, cJSON *json)
{
	cJSON_Delete(resp->json);
	resp->code = code;
	resp->json = json;
	resp->content_type = "application/json";
}

static void resp_status(struct sim_response *resp, cJSON *status)
{
	int code = (int)sim_json_num(status, "code", 500);
	resp_json(resp, code, status);
}

void sim_response_free(struct sim_response *resp)
{
	cJSON_Delete(resp->json);
	free(resp->text);
	sim_stream_free(&resp->stream);
	memset(resp, 0, sizeof(*resp));
}

bool sim_api_wants_table(const char *accept)
{
	return accept && strstr(accept, "as=Table") && strstr(accept, "g=meta.k8s.io");
}

/* The verb RBAC sees for a request. */
static const char *request_verb(const struct sim_request *req)
{
	const char *m = req->method;
	bool item = req->rt.name[0] != '\0';
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return req->q.watch ? "watch" : item ? "get" : "list";
	if (strcmp(m, "POST") == 0)
		return "create";
	if (strcmp(m, "PUT") == 0)
		return "update";
	if (strcmp(m, "PATCH") == 0)
		return "patch";
	if (strcmp(m, "DELETE") == 0)
		return item ? "delete" : "deletecollection";
	return "";
}

static cJSON *parse_body(const struct sim_request *req, cJSON **status)
{
	cJSON *j;
	*status = NULL;
	if (!req->body || req->body_len == 0) {
		*status = sim_status_bad_request("the body of the request was empty");
		return NULL;
	}
	j = cJSON_ParseWithLength(req->body, req->body_len);
	if (!j && req->content_type && strstr(req->content_type, "protobuf")) {
		j = sim_pb_decode_object((const unsigned char *)req->body, req->body_len);
		if (!j) {
			*status = sim_status_new(415, "UnsupportedMediaType",
						 "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
						 NULL);
			return NULL;
		}
	}
	if (!j) {
		*status = sim_status_bad_request("the object provided is unrecognized (must be of type JSON): invalid character in body");
		return NULL;
	}
	return j;
}

/* Selectors of a list/watch request; a Status on parse failure. */
static cJSON *parse_selectors(const struct sim_request *req, struct selector **labels,
			      struct selector **fields)
{
	struct err e;
	char msg[700];
	*labels = NULL;
	*fields = NULL;
	if (selector_parse(req->q.label_selector, labels, &e) != OD_OK) {
		snprintf(msg, sizeof(msg), "unable to parse requirement: %s", e.msg);
		return sim_status_bad_request(e.msg);
	}
	if (selector_parse_fields(req->q.field_selector, fields, &e) != OD_OK) {
		selector_free(labels);
		return sim_status_bad_request(e.msg);
	}
	for (size_t i = 0; i < (*fields)->n; i++) {
		if (!sim_watch_field_supported(req->rt.res, (*fields)->reqs[i].key)) {
			snprintf(msg, sizeof(msg), "field label not supported: %s",
				 (*fields)->reqs[i].key);
			selector_free(labels);
			selector_free(fields);
			return sim_status_bad_request(msg);
		}
	}
	return NULL;
}

static enum sim_res_id store_res(const struct sim_resource *r)
{
	return r->id == SIM_RES_EVENTS_V1 ? SIM_RES_EVENTS : r->id;
}

/* Continue tokens: base64 of "rv/namespace/name" of the last item returned. */
static char *continue_encode(uint64_t rv, const char *ns, const char *name)
{
	char raw[600];
	int n = snprintf(raw, sizeof(raw), "%llu/%s/%s", (unsigned long long)rv, ns, name);
	char *out = malloc(4 * ((size_t)n + 2) / 3 + 4);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, (unsigned char *)raw, n);
	return out;
}

static bool continue_decode(const char *tok, char *ns, size_t nsn, char *name, size_t namen)
{
	unsigned char raw[700];
	size_t len = strlen(tok);
	if (len == 0 || len > 900 || len % 4)
		return false;
	int n = EVP_DecodeBlock(raw, (const unsigned char *)tok, (int)len);
	if (n <= 0)
		return false;
	raw[n] = '\0';
	char *s1 = strchr((char *)raw, '/');
	char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	if (!s1 || !s2)
		return false;
	*s2 = '\0';
	snprintf(ns, nsn, "%s", s1 + 1);
	snprintf(name, namen, "%s", s2 + 1);
	return true;
}

static cJSON *list_kind_object(const struct sim_resource *r)
{
	char av[96], kind[96];
	cJSON *l = cJSON_CreateObject();
	sim_resources_api_version(r, av, sizeof(av));
	snprintf(kind, sizeof(kind), "%sList", r->kind);
	cJSON_AddStringToObject(l, "kind", kind);
	cJSON_AddStringToObject(l, "apiVersion", av);
	cJSON_AddItemToObject(l, "metadata", cJSON_CreateObject());
	return l;
}

static cJSON *view_object(const struct sim_resource *r, const cJSON *obj)
{
	if (r->id == SIM_RES_EVENTS_V1)
		return sim_watch_event_to_v1(obj);
	return cJSON_Duplicate(obj, 1);
}

static void handle_watch(struct sim *s, struct sim_request *req, struct sim_response *resp,
			 struct selector *labels, struct selector *fields)
{
	struct sim_watch_opts o = { .res = req->rt.res, .labels = labels, .fields = fields };
	const char *rv = req->q.resource_version;
	snprintf(o.ns, sizeof(o.ns), "%s", req->rt.has_ns ? req->rt.ns : "");
	if (rv && *rv && strcmp(rv, "0") != 0) {
		char *end = NULL;
		unsigned long long v = strtoull(rv, &end, 10);
		if (*end) {
			selector_free(&o.labels);
			selector_free(&o.fields);
			resp_status(resp, sim_status_bad_request("invalid resource version"));
			return;
		}
		o.from_rv = true;
		o.rv = v;
	}
	o.bookmarks = req->q.allow_bookmarks;
	o.timeout_s = req->q.timeout_seconds;
	o.table = sim_api_wants_table(req->accept);
	o.include = sim_table_include_from_query(req->q.include_object);
	resp->stream = sim_watch_start(s, &o);
	if (!resp->stream) {
		resp_status(resp, sim_status_internal("cannot start watch"));
		return;
	}
	resp->code = 200;
	resp->content_type = "application/json";
}

static void handle_list(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	struct selector *labels = NULL, *fields = NULL;
	struct sim_obj **objs;
	cJSON *st = parse_selectors(req, &labels, &fields);
	char cns[256] = "", cname[256] = "", rvbuf[32];
	size_t n, start = 0, count = 0, remaining = 0;
	const cJSON **picked = NULL;

	if (st) {
		resp_status(resp, st);
		return;
	}
	if (req->q.watch) {
		handle_watch(s, req, resp, labels, fields);
		return;
	}
	if (req->q.continue_token && *req->q.continue_token &&
	    !continue_decode(req->q.continue_token, cns, sizeof(cns), cname, sizeof(cname))) {
		resp_status(resp, sim_status_bad_request("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
		goto out;
	}
	n = sim_store_list(s->store, store_res(req->rt.res), req->rt.has_ns ? req->rt.ns : NULL,
			   &objs);
	picked = calloc(n ? n : 1, sizeof(*picked));
	if (!picked) {
		resp_status(resp, sim_status_internal("out of memory"));
		goto out;
	}
	if (cname[0]) {
		while (start < n) {
			int c = strcmp(objs[start]->ns, cns);
			if (c > 0 || (c == 0 && strcmp(objs[start]->name, cname) > 0))
				break;
			start++;
		}
	}
	const struct sim_obj *last = NULL;
	for (size_t i = start; i < n; i++) {
		if (!sim_watch_matches(req->rt.res, objs[i]->json, labels, fields))
			continue;
		if (req->q.limit > 0 && count == (size_t)req->q.limit) {
			remaining++;
			continue;
		}
		picked[count++] = objs[i]->json;
		last = objs[i];
	}
	snprintf(rvbuf, sizeof(rvbuf), "%llu", (unsigned long long)sim_store_rv(s->store));
	cJSON *body;
	if (sim_api_wants_table(req->accept)) {
		body = sim_table_new(s, req->rt.res, picked, count,
				     sim_table_include_from_query(req->q.include_object), true);
	} else {
		body = list_kind_object(req->rt.res);
		cJSON *items = cJSON_AddArrayToObject(body, "items");
		/*
		 * The list is printed before the store can change, so items may
		 * reference the stored objects: no copy of 10,000 pods (--pods).
		 */
		for (size_t i = 0; i < count; i++)
			cJSON_AddItemToArray(items, req->rt.res->id == SIM_RES_EVENTS_V1 ?
						    view_object(req->rt.res, picked[i]) :
						    cJSON_CreateObjectReference(picked[i]->child));
	}
	cJSON *meta = cJSON_GetObjectItemCaseSensitive(body, "metadata");
	if (!meta) {
		meta = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "metadata", meta);
	}
	cJSON_AddStringToObject(meta, "resourceVersion", rvbuf);
	if (remaining && last) {
		char *tok = continue_encode(sim_store_rv(s->store), last->ns, last->name);
		if (tok)
			cJSON_AddStringToObject(meta, "continue", tok);
		free(tok);
		cJSON_AddNumberToObject(meta, "remainingItemCount", (double)remaining);
	}
	resp_json(resp, 200, body);
out:
	free(picked);
	selector_free(&labels);
	selector_free(&fields);
}

static struct sim_obj *lookup(struct sim *s, const struct sim_request *req)
{
	return sim_store_get(s->store, store_res(req->rt.res), req->rt.ns, req->rt.name);
}

/* A label selector string from a LabelSelector's matchLabels/matchExpressions. */
static void selector_string(const cJSON *sel, char *out, size_t n)
{
	size_t len = 0;
	const cJSON *ml = sim_json_get(sel, "matchLabels");
	out[0] = '\0';
	for (const cJSON *it = ml ? ml->child : NULL; it; it = it->next)
		if (cJSON_IsString(it) && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s=%s", len ? "," : "",
						it->string, it->valuestring);
	const cJSON *me = sim_json_get(sel, "matchExpressions");
	for (const cJSON *it = me ? me->child : NULL; it && len < n; it = it->next) {
		const char *k = sim_json_str(it, "key"), *op = sim_json_str(it, "operator");
		if (!k || !op)
			continue;
		if (strcmp(op, "Exists") == 0) {
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", k);
		} else if (strcmp(op, "DoesNotExist") == 0) {
			len += (size_t)snprintf(out + len, n - len, "%s!%s", len ? "," : "", k);
		} else {
			len += (size_t)snprintf(out + len, n - len, "%s%s %s (", len ? "," : "", k,
						strcmp(op, "In") == 0 ? "in" : "notin");
			const cJSON *vals = sim_json_get(it, "values");
			int first = 1;
			for (const cJSON *v = vals ? vals->child : NULL; v && len < n; v = v->next) {
				len += (size_t)snprintf(out + len, n - len, "%s%s", first ? "" : ",",
							cJSON_GetStringValue(v) ? v->valuestring : "");
				first = 0;
			}
			if (len < n)
				len += (size_t)snprintf(out + len, n - len, ")");
		}
	}
}

static cJSON *scale_of(const cJSON *obj)
{
	char sel[1024];
	cJSON *sc = cJSON_CreateObject();
	cJSON *meta = cJSON_AddObjectToObject(sc, "metadata");
	static const char *const keep[] = { "name", "namespace", "uid", "resourceVersion",
					    "creationTimestamp" };
	cJSON_AddStringToObject(sc, "kind", "Scale");
	cJSON_AddStringToObject(sc, "apiVersion", "autoscaling/v1");
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(sim_json_get(obj, "metadata"), keep[i]);
		if (v)
			cJSON_AddItemToObject(meta, keep[i], cJSON_Duplicate(v, 1));
	}
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(sc, "spec"), "replicas",
				sim_json_num(obj, "spec.replicas", 1));
	cJSON *status = cJSON_AddObjectToObject(sc, "status");
	cJSON_AddNumberToObject(status, "replicas", sim_json_num(obj, "status.replicas", 0));
	selector_string(sim_json_get(obj, "spec.selector"), sel, sizeof(sel));
	cJSON_AddStringToObject(status, "selector", sel);
	return sc;
}

static void handle_get(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	struct sim_obj *o = lookup(s, req);
	if (!o) {
		resp_status(resp, sim_status_not_found(req->rt.res, req->rt.name));
		return;
	}
	if (strcmp(req->rt.sub, "log") == 0) {
		sim_logs_handle(s, o, &req->q, resp);
		return;
	}
	if (strcmp(req->rt.sub, "scale") == 0) {
		resp_json(resp, 200, scale_of(o->json));
		return;
	}
	if (sim_api_wants_table(req->accept)) {
		const cJSON *one = o->json;
		resp_json(resp, 200, sim_table_new(s, req->rt.res, &one, 1,
						   sim_table_include_from_query(req->q.include_object),
						   true));
		return;
	}
	resp_json(resp, 200, view_object(req->rt.res, o->json));
}

/* Checks apiVersion/kind/namespace of a body against the request. */
static cJSON *check_body_identity(const struct sim_request *req, cJSON *obj)
{
	char av[96], msg[512];
	const char *bav = sim_json_str(obj, "apiVersion");
	const char *bkind = sim_json_str(obj, "kind");
	const struct sim_resource *r = req->rt.res;
	if (!cJSON_IsObject(obj))
		return sim_status_bad_request("the object provided is unrecognized (must be of type object)");
	sim_resources_api_version(r, av, sizeof(av));
	if ((bav && strcmp(bav, av) != 0) || (bkind && strcmp(bkind, r->kind) != 0)) {
		snprintf(msg, sizeof(msg),
			 "the API version in the data (%s) does not match the expected API version (%s)",
			 bav ? bav : "", av);
		if (bkind && strcmp(bkind, r->kind) != 0 && bav && strcmp(bav, av) == 0)
			snprintf(msg, sizeof(msg), "%s in version \"%s\" cannot be handled as a %s: no kind \"%s\" is registered for version \"%s\" in scheme",
				 bkind, r->version, r->kind, bkind, av);
		return sim_status_bad_request(msg);
	}
	const char *bns = sim_json_str(obj, "metadata.namespace");
	if (r->namespaced && req->rt.has_ns) {
		if (bns && *bns && strcmp(bns, req->rt.ns) != 0)
			return sim_status_bad_request("the namespace of the provided object does not match the namespace sent on the request");
		sim_json_set_str(obj, "metadata.namespace", req->rt.ns);
	}
	if (req->rt.name[0]) {
		const char *bname = sim_json_str(obj, "metadata.name");
		if (bname && strcmp(bname, req->rt.name) != 0)
			return sim_status_bad_request("the name of the object does not match the name on the URL");
		if (!bname)
			sim_json_set_str(obj, "metadata.name", req->rt.name);
	}
	return NULL;
}

static void respond_object(struct sim *s, struct sim_request *req, struct sim_response *resp,
			   int code, const cJSON *obj)
{
	(void)s;
	if (sim_api_wants_table(req->accept)) {
		resp_json(resp, code, sim_table_new(s, req->rt.res, &obj, 1, SIM_INCLUDE_METADATA, true));
		return;
	}
	resp_json(resp, code, cJSON_Duplicate(obj, 1));
}

static void handle_review(struct sim *s, struct sim_request *req, struct sim_response *resp,
			  cJSON *body);

static void handle_create(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	cJSON *st = NULL, *obj = parse_body(req, &st);
	struct sim_obj *created = NULL;
	struct err e;

	if (!obj) {
		resp_status(resp, st);
		return;
	}
	if (req->rt.res->id == SIM_RES_SSAR || req->rt.res->id == SIM_RES_SSRR) {
		handle_review(s, req, resp, obj);
		return;
	}
	if (req->rt.res->id == SIM_RES_EVENTS_V1 || req->rt.name[0]) {
		cJSON_Delete(obj);
		resp_status(resp, sim_status_method_not_allowed());
		return;
	}
	st = check_body_identity(req, obj);
	if (!st) {
		sim_objects_default(s, req->rt.res, obj);
		st = sim_objects_validate(s, req->rt.res, obj, NULL);
	}
	if (st) {
		cJSON_Delete(obj);
		resp_status(resp, st);
		return;
	}
	const char *ns = sim_json_str(obj, "metadata.namespace");
	if (req->rt.res->namespaced && ns && !sim_store_get(s->store, SIM_RES_NAMESPACES, NULL, ns)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "namespaces \"%s\" not found", ns);
		cJSON_Delete(obj);
		resp_status(resp, sim_status_new(404, "NotFound", msg, NULL));
		return;
	}
	const char *name = sim_json_str(obj, "metadata.name");
	if (name && sim_store_get(s->store, req->rt.res->id, ns, name)) {
		char n2[256];
		snprintf(n2, sizeof(n2), "%s", name);
		cJSON_Delete(obj);
		resp_status(resp, sim_status_already_exists(req->rt.res, n2));
		return;
	}
	if (req->q.dry_run) {
		respond_object(s, req, resp, 201, obj);
		cJSON_Delete(obj);
		return;
	}
	sim_json_remove(obj, "metadata.resourceVersion");
	sim_json_remove(obj, "metadata.uid");
	sim_json_remove(obj, "metadata.creationTimestamp");
	sim_json_remove(obj, "metadata.deletionTimestamp");
	if (sim_store_create(s->store, req->rt.res->id, obj, &created, &e) != OD_OK) {
		resp_status(resp, e.status == OD_EEXIST ? sim_status_already_exists(req->rt.res, e.msg)
							: sim_status_bad_request(e.msg));
		return;
	}
	respond_object(s, req, resp, 201, created->json);
}

/*
 * Stores next as the new state of o for a write to the main resource or to
 * a subresource; dry runs answer without storing. next is taken.
 */
static void commit_update(struct sim *s, struct sim_request *req, struct sim_response *resp,
			  struct sim_obj *o, cJSON *next)
{
	const char *sub = req->rt.sub;
	cJSON *st;
	struct err e;

	if (strcmp(sub, "status") == 0) {
		/* Only status changes through /status. */
		cJSON *merged = cJSON_Duplicate(o->json, 1);
		cJSON *stat = cJSON_DetachItemFromObjectCaseSensitive(next, "status");
		if (stat)
			sim_json_put(merged, "status", stat);
		cJSON_Delete(next);
		next = merged;
	} else if (sim_resources_has_sub(o->res, "status") && o->res->id != SIM_RES_NAMESPACES) {
		/* Writes to the main resource leave status alone. */
		const cJSON *old_status = sim_json_get(o->json, "status");
		sim_json_remove(next, "status");
		if (old_status)
			sim_json_put(next, "status", cJSON_Duplicate(old_status, 1));
	}
	sim_objects_default(s, o->res, next);
	st = sim_objects_validate(s, o->res, next, o->json);
	if (st) {
		cJSON_Delete(next);
		resp_status(resp, st);
		return;
	}
	if (req->q.dry_run) {
		respond_object(s, req, resp, 200, next);
		cJSON_Delete(next);
		return;
	}
	if (sim_store_update(s->store, o, next, &e) != OD_OK) {
		resp_status(resp, sim_status_internal(e.msg));
		return;
	}
	if (strcmp(sub, "scale") == 0) {
		resp_json(resp, 200, scale_of(o->json));
		return;
	}
	respond_object(s, req, resp, 200, o->json);
}

static bool rv_conflicts(const cJSON *body, const cJSON *cur)
{
	const char *want = sim_json_str(body, "metadata.resourceVersion");
	const char *have = sim_json_str(cur, "metadata.resourceVersion");
	return want && *want && have && strcmp(want, have) != 0;
}

/* Applies a Scale body to a copy of the scaled object. */
static cJSON *apply_scale(const cJSON *cur, const cJSON *scale, cJSON **status,
			  const struct sim_resource *r)
{
	const cJSON *rep = sim_json_get(scale, "spec.replicas");
	cJSON *next = cJSON_Duplicate(cur, 1);
	*status = NULL;
	if (rep && (!cJSON_IsNumber(rep) || rep->valuedouble < 0)) {
		*status = sim_status_invalid(r, sim_json_str(cur, "metadata.name"), "spec.replicas",
					     "Invalid value: must be greater than or equal to 0");
		cJSON_Delete(next);
		return NULL;
	}
	if (rep)
		sim_json_set_num(next, "spec.replicas", rep->valuedouble);
	return next;
}

static void handle_update(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	cJSON *st = NULL, *body = parse_body(req, &st);
	struct sim_obj *o;

	if (!body) {
		resp_status(resp, st);
		return;
	}
	o = lookup(s, req);
	if (!o) {
		cJSON_Delete(body);
		resp_status(resp, sim_status_not_found(req->rt.res, req->rt.name));
		return;
	}
	if (rv_conflicts(body, o->json)) {
		cJSON_Delete(body);
		resp_status(resp, sim_status_conflict(req->rt.res, req->rt.name));
		return;
	}
	if (strcmp(req->rt.sub, "scale") == 0) {
		cJSON *next = apply_scale(o->json, body, &st, req->rt.res);
		cJSON_Delete(body);
		if (!next) {
			resp_status(resp, st);
			return;
		}
		commit_update(s, req, resp, o, next);
		return;
	}
	st = check_body_identity(req, body);
	if (st) {
		cJSON_Delete(body);
		resp_status(resp, st);
		return;
	}
	commit_update(s, req, resp, o, body);
}

static void handle_patch(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	enum sim_patch_type type;
	struct err e;
	cJSON *st = NULL, *patch, *doc;
	struct sim_obj *o;

	if (sim_patch_type_from_content_type(req->content_type, &type, &e) != OD_OK) {
		resp_status(resp, sim_status_new(415, "UnsupportedMediaType", e.msg, NULL));
		return;
	}
	patch = parse_body(req, &st);
	if (!patch) {
		resp_status(resp, st);
		return;
	}
	o = lookup(s, req);
	if (!o) {
		cJSON_Delete(patch);
		resp_status(resp, sim_status_not_found(req->rt.res, req->rt.name));
		return;
	}
	bool scale = strcmp(req->rt.sub, "scale") == 0;
	doc = scale ? scale_of(o->json) : cJSON_Duplicate(o->json, 1);
	if (sim_patch_apply(&doc, patch, type, &e) != OD_OK) {
		cJSON_Delete(patch);
		cJSON_Delete(doc);
		resp_status(resp, sim_status_new(type == SIM_PATCH_JSON ? 422 : 400,
						 type == SIM_PATCH_JSON ? "Invalid" : "BadRequest",
						 e.msg, NULL));
		return;
	}
	cJSON_Delete(patch);
	if (rv_conflicts(doc, o->json)) {
		cJSON_Delete(doc);
		resp_status(resp, sim_status_conflict(req->rt.res, req->rt.name));
		return;
	}
	if (scale) {
		cJSON *next = apply_scale(o->json, doc, &st, req->rt.res);
		cJSON_Delete(doc);
		if (!next) {
			resp_status(resp, st);
			return;
		}
		commit_update(s, req, resp, o, next);
		return;
	}
	st = check_body_identity(req, doc);
	if (st) {
		cJSON_Delete(doc);
		resp_status(resp, st);
		return;
	}
	commit_update(s, req, resp, o, doc);
}

/* gracePeriodSeconds from the query or a DeleteOptions body; -1 when not given. */
static int64_t delete_grace(const struct sim_request *req)
{
	if (req->q.grace_period >= 0)
		return req->q.grace_period;
	if (req->body && req->body_len) {
		cJSON *opts = cJSON_ParseWithLength(req->body, req->body_len);
		int64_t g = sim_json_int(opts, "gracePeriodSeconds", -1);
		cJSON_Delete(opts);
		return g;
	}
	return -1;
}

static bool delete_dry_run(const struct sim_request *req)
{
	bool dry = req->q.dry_run;
	if (!dry && req->body && req->body_len) {
		cJSON *opts = cJSON_ParseWithLength(req->body, req->body_len);
		const cJSON *d = sim_json_get(opts, "dryRun");
		dry = cJSON_IsArray(d) && cJSON_GetArraySize(d) > 0;
		cJSON_Delete(opts);
	}
	return dry;
}

static const char *delete_propagation(const struct sim_request *req, char *buf, size_t n)
{
	if (req->q.propagation)
		return req->q.propagation;
	buf[0] = '\0';
	if (req->body && req->body_len) {
		cJSON *opts = cJSON_ParseWithLength(req->body, req->body_len);
		snprintf(buf, n, "%s", sim_json_str_or(opts, "propagationPolicy", ""));
		cJSON_Delete(opts);
	}
	return buf;
}

/*
 * Deletes o: pods and namespaces go through graceful termination (the
 * object shows deletionTimestamp first); everything else goes at once.
 * Returns what the DELETE answers with (owned).
 */
static cJSON *delete_object(struct sim *s, const struct sim_request *req, struct sim_obj *o)
{
	char ts[TIME_RFC3339_MAX], prop[32];
	int64_t grace = delete_grace(req);
	const struct sim_resource *r = o->res;

	if (strcmp(delete_propagation(req, prop, sizeof(prop)), "Orphan") == 0)
		sim_ctrl_orphan_dependents(s, o);
	if (r->id == SIM_RES_PODS) {
		if (grace < 0)
			grace = sim_json_int(o->json, "spec.terminationGracePeriodSeconds", 30);
		bool scheduled = sim_json_str(o->json, "spec.nodeName") != NULL;
		if (grace > 0 && scheduled) {
			if (sim_json_get(o->json, "metadata.deletionTimestamp"))
				return cJSON_Duplicate(o->json, 1);
			cJSON *next = cJSON_Duplicate(o->json, 1);
			int64_t wait_s = grace < API_TERMINATION_MAX_S ? grace : API_TERMINATION_MAX_S;
			time_format_rfc3339(sim_clock_add_ms(sim_clock_now(&s->clock), grace * 1000),
					    ts, sizeof(ts));
			sim_json_set_str(next, "metadata.deletionTimestamp", ts);
			sim_json_set_num(next, "metadata.deletionGracePeriodSeconds", (double)grace);
			sim_store_update(s->store, o, next, NULL);
			sim_ctrl_pod_terminating(s, o, wait_s * 1000);
			return cJSON_Duplicate(o->json, 1);
		}
		cJSON *copy = cJSON_Duplicate(o->json, 1);
		sim_store_delete(s->store, o);
		return copy;
	}
	if (r->id == SIM_RES_NAMESPACES) {
		cJSON *next = cJSON_Duplicate(o->json, 1);
		sim_clock_rfc3339(&s->clock, ts, sizeof(ts));
		sim_json_set_str(next, "metadata.deletionTimestamp", ts);
		sim_json_set_str(next, "status.phase", "Terminating");
		sim_store_update(s->store, o, next, NULL);
		sim_ctrl_kick(s);
		return cJSON_Duplicate(o->json, 1);
	}
	const char *uid = sim_json_str(o->json, "metadata.uid");
	cJSON *status = sim_status_success(r, o->name, uid);
	cJSON *copy_for_events = NULL;
	(void)copy_for_events;
	sim_store_delete(s->store, o);
	sim_ctrl_kick(s);
	return status;
}

static void handle_delete(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	struct sim_obj *o = lookup(s, req);
	if (req->rt.res->id == SIM_RES_EVENTS_V1) {
		resp_status(resp, sim_status_method_not_allowed());
		return;
	}
	if (!o) {
		resp_status(resp, sim_status_not_found(req->rt.res, req->rt.name));
		return;
	}
	if (delete_dry_run(req)) {
		respond_object(s, req, resp, 200, o->json);
		return;
	}
	resp_json(resp, 200, delete_object(s, req, o));
}

static void handle_delete_collection(struct sim *s, struct sim_request *req,
				     struct sim_response *resp)
{
	struct selector *labels = NULL, *fields = NULL;
	cJSON *st = parse_selectors(req, &labels, &fields);
	struct sim_obj **objs;
	char (*names)[2][256] = NULL;
	size_t n, m = 0;

	if (st) {
		resp_status(resp, st);
		return;
	}
	cJSON *body = list_kind_object(req->rt.res);
	cJSON *items = cJSON_AddArrayToObject(body, "items");
	n = sim_store_list(s->store, req->rt.res->id, req->rt.has_ns ? req->rt.ns : NULL, &objs);
	names = calloc(n ? n : 1, sizeof(*names));
	for (size_t i = 0; names && i < n; i++) {
		if (!sim_watch_matches(req->rt.res, objs[i]->json, labels, fields))
			continue;
		snprintf(names[m][0], 256, "%s", objs[i]->ns);
		snprintf(names[m][1], 256, "%s", objs[i]->name);
		m++;
	}
	bool dry = delete_dry_run(req);
	for (size_t i = 0; i < m; i++) {
		struct sim_obj *o = sim_store_get(s->store, req->rt.res->id, names[i][0], names[i][1]);
		if (!o)
			continue;
		cJSON_AddItemToArray(items, cJSON_Duplicate(o->json, 1));
		if (!dry)
			cJSON_Delete(delete_object(s, req, o));
	}
	free(names);
	selector_free(&labels);
	selector_free(&fields);
	resp_json(resp, 200, body);
}

static void handle_review(struct sim *s, struct sim_request *req, struct sim_response *resp,
			  cJSON *body)
{
	(void)s;
	if (req->rt.res->id == SIM_RES_SSAR) {
		const cJSON *ra = sim_json_get(body, "spec.resourceAttributes");
		const char *group = sim_json_str_or(ra, "group", "");
		const char *resource = sim_json_str_or(ra, "resource", "");
		const char *verb = sim_json_str_or(ra, "verb", "");
		const char *sub = sim_json_str_or(ra, "subresource", "");
		const struct sim_resource *r = NULL;
		for (int i = 0; i < SIM_RES_COUNT && !r; i++) {
			const struct sim_resource *c = sim_resources_get((enum sim_res_id)i);
			if (strcmp(c->plural, resource) == 0 &&
			    (strcmp(c->group, group) == 0 || strcmp(group, "*") == 0))
				r = c;
		}
		bool allowed;
		if (!ra)
			allowed = req->user.role == SIM_ROLE_ADMIN;   /* nonResourceAttributes */
		else if (!r)
			allowed = req->user.role == SIM_ROLE_ADMIN ||
				  (req->user.role != SIM_ROLE_NONE && (strcmp(verb, "get") == 0 ||
				   strcmp(verb, "list") == 0 || strcmp(verb, "watch") == 0));
		else
			allowed = sim_auth_allows(&req->user, verb, r, sub);
		cJSON *status = cJSON_CreateObject();
		cJSON_AddBoolToObject(status, "allowed", allowed);
		if (allowed) {
			char reason[600];
			snprintf(reason, sizeof(reason),
				 "RBAC: allowed by ClusterRoleBinding \"%s\" of ClusterRole \"%s\" to Group \"%s\"",
				 req->user.role == SIM_ROLE_ADMIN ? "cluster-admin" : req->user.name,
				 req->user.role == SIM_ROLE_ADMIN ? "cluster-admin" :
				 req->user.role == SIM_ROLE_EDIT ? "edit" : "view", req->user.group);
			cJSON_AddStringToObject(status, "reason", reason);
		}
		sim_json_put(body, "status", status);
		sim_json_set_str(body, "apiVersion", "authorization.k8s.io/v1");
		sim_json_set_str(body, "kind", "SelfSubjectAccessReview");
		resp_json(resp, 201, body);
		return;
	}
	/* SelfSubjectRulesReview: the role's rules, as auth can-i --list prints them. */
	cJSON *status = cJSON_CreateObject();
	cJSON *rules = cJSON_AddArrayToObject(status, "resourceRules");
	cJSON *rule = cJSON_CreateObject();
	cJSON *verbs = cJSON_AddArrayToObject(rule, "verbs");
	if (req->user.role == SIM_ROLE_ADMIN || req->user.role == SIM_ROLE_EDIT) {
		cJSON_AddItemToArray(verbs, cJSON_CreateString("*"));
	} else {
		cJSON_AddItemToArray(verbs, cJSON_CreateString("get"));
		cJSON_AddItemToArray(verbs, cJSON_CreateString("list"));
		cJSON_AddItemToArray(verbs, cJSON_CreateString("watch"));
	}
	cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "apiGroups"), cJSON_CreateString("*"));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(rule, "resources"), cJSON_CreateString("*"));
	cJSON_AddItemToArray(rules, rule);
	cJSON *ssar = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ssar, "verbs"), cJSON_CreateString("create"));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ssar, "apiGroups"),
			     cJSON_CreateString("authorization.k8s.io"));
	cJSON *rs = cJSON_AddArrayToObject(ssar, "resources");
	cJSON_AddItemToArray(rs, cJSON_CreateString("selfsubjectaccessreviews"));
	cJSON_AddItemToArray(rs, cJSON_CreateString("selfsubjectrulesreviews"));
	cJSON_AddItemToArray(rules, ssar);
	cJSON_AddArrayToObject(status, "nonResourceRules");
	cJSON_AddBoolToObject(status, "incomplete", false);
	sim_json_put(body, "status", status);
	sim_json_set_str(body, "apiVersion", "authorization.k8s.io/v1");
	sim_json_set_str(body, "kind", "SelfSubjectRulesReview");
	resp_json(resp, 201, body);
}

static void handle_resource(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	const struct sim_route *rt = &req->rt;
	const char *m = req->method;
	const char *verb;

	if (!rt->res || (rt->has_ns && !rt->res->namespaced) ||
	    (rt->sub[0] && !sim_resources_has_sub(rt->res, rt->sub)) ||
	    (rt->sub[0] && !rt->name[0])) {
		resp_status(resp, sim_status_path_not_found());
		return;
	}
	verb = request_verb(req);
	if (!sim_auth_allows(&req->user, verb, rt->res, rt->sub)) {
		resp_status(resp, sim_status_forbidden(rt->res, rt->sub, rt->name, req->user.name,
						       verb, rt->ns));
		return;
	}
	if (strcmp(rt->sub, "proxy") == 0) {
		sim_proxy_handle(s, req, resp);
		return;
	}
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0) {
		if (rt->name[0])
			handle_get(s, req, resp);
		else
			handle_list(s, req, resp);
	} else if (strcmp(m, "POST") == 0) {
		handle_create(s, req, resp);
	} else if (strcmp(m, "PUT") == 0 && rt->name[0]) {
		handle_update(s, req, resp);
	} else if (strcmp(m, "PATCH") == 0 && rt->name[0]) {
		handle_patch(s, req, resp);
	} else if (strcmp(m, "DELETE") == 0) {
		if (rt->name[0])
			handle_delete(s, req, resp);
		else
			handle_delete_collection(s, req, resp);
	} else {
		resp_status(resp, sim_status_method_not_allowed());
	}
}

static void resp_text(struct sim_response *resp, int code, const char *text)
{
	resp->code = code;
	resp->text = strdup(text);
	resp->text_len = strlen(text);
	resp->content_type = "text/plain; charset=utf-8";
}

void sim_api_handle(struct sim *s, struct sim_request *req, struct sim_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	if (sim_faults_api_handle(s, req, resp) || sim_metrics_api_handle(s, req, resp))
		return;
	switch (req->rt.kind) {
	case SIM_ROUTE_HEALTHZ:
	case SIM_ROUTE_READYZ:
	case SIM_ROUTE_LIVEZ:
		resp_text(resp, 200, "ok");
		return;
	case SIM_ROUTE_RESOURCE:
		handle_resource(s, req, resp);
		return;
	case SIM_ROUTE_NOT_FOUND:
		resp_status(resp, sim_status_path_not_found());
		return;
	default:
		sim_discovery_handle(s, req, resp);
		if (req->rt.kind == SIM_ROUTE_APIS)
			sim_metrics_discovery_patch(resp);
		return;
	}
}
