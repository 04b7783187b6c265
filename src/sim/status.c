/*
 * status.c: Status objects. The wording follows apimachinery's
 * k8s.io/apimachinery/pkg/api/errors so that kubectl prints what it prints
 * against a real cluster ("Error from server (NotFound): pods \"x\" not found").
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/sim_status.h"

cJSON *sim_status_new(int code, const char *reason, const char *message, cJSON *details)
{
	cJSON *s = cJSON_CreateObject();
	if (!s) {
		cJSON_Delete(details);
		return NULL;
	}
	cJSON_AddStringToObject(s, "kind", "Status");
	cJSON_AddStringToObject(s, "apiVersion", "v1");
	cJSON_AddItemToObject(s, "metadata", cJSON_CreateObject());
	cJSON_AddStringToObject(s, "status", "Failure");
	cJSON_AddStringToObject(s, "message", message);
	if (reason && *reason)
		cJSON_AddStringToObject(s, "reason", reason);
	if (details)
		cJSON_AddItemToObject(s, "details", details);
	cJSON_AddNumberToObject(s, "code", code);
	return s;
}

static cJSON *details_new(const struct sim_resource *r, const char *name)
{
	cJSON *d = cJSON_CreateObject();
	if (!d)
		return NULL;
	if (name && *name)
		cJSON_AddStringToObject(d, "name", name);
	if (r) {
		if (r->group[0])
			cJSON_AddStringToObject(d, "group", r->group);
		cJSON_AddStringToObject(d, "kind", r->plural);
	}
	return d;
}

cJSON *sim_status_success(const struct sim_resource *r, const char *name, const char *uid)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *d = details_new(r, name);
	cJSON_AddStringToObject(s, "kind", "Status");
	cJSON_AddStringToObject(s, "apiVersion", "v1");
	cJSON_AddItemToObject(s, "metadata", cJSON_CreateObject());
	cJSON_AddStringToObject(s, "status", "Success");
	if (d && uid)
		cJSON_AddStringToObject(d, "uid", uid);
	cJSON_AddItemToObject(s, "details", d);
	return s;
}

cJSON *sim_status_not_found(const struct sim_resource *r, const char *name)
{
	char q[160], msg[512];
	sim_resources_qualified(r, q, sizeof(q));
	snprintf(msg, sizeof(msg), "%s \"%s\" not found", q, name);
	return sim_status_new(404, "NotFound", msg, details_new(r, name));
}

cJSON *sim_status_already_exists(const struct sim_resource *r, const char *name)
{
	char q[160], msg[512];
	sim_resources_qualified(r, q, sizeof(q));
	snprintf(msg, sizeof(msg), "%s \"%s\" already exists", q, name);
	return sim_status_new(409, "AlreadyExists", msg, details_new(r, name));
}

cJSON *sim_status_conflict(const struct sim_resource *r, const char *name)
{
	char q[160], msg[640];
	sim_resources_qualified(r, q, sizeof(q));
	snprintf(msg, sizeof(msg),
		 "Operation cannot be fulfilled on %s \"%s\": the object has been modified; "
		 "please apply your changes to the latest version and try again", q, name);
	return sim_status_new(409, "Conflict", msg, details_new(r, name));
}

cJSON *sim_status_invalid(const struct sim_resource *r, const char *name, const char *field,
			  const char *detail)
{
	char kind[160], msg[1024];
	cJSON *d = cJSON_CreateObject(), *causes = cJSON_CreateArray(), *c = cJSON_CreateObject();
	if (r->group[0])
		snprintf(kind, sizeof(kind), "%s.%s", r->kind, r->group);
	else
		snprintf(kind, sizeof(kind), "%s", r->kind);
	snprintf(msg, sizeof(msg), "%s \"%s\" is invalid: %s: %s", kind, name ? name : "", field,
		 detail);
	cJSON_AddStringToObject(c, "reason", "FieldValueInvalid");
	cJSON_AddStringToObject(c, "message", detail);
	cJSON_AddStringToObject(c, "field", field);
	cJSON_AddItemToArray(causes, c);
	if (name && *name)
		cJSON_AddStringToObject(d, "name", name);
	if (r->group[0])
		cJSON_AddStringToObject(d, "group", r->group);
	cJSON_AddStringToObject(d, "kind", r->kind);
	cJSON_AddItemToObject(d, "causes", causes);
	return sim_status_new(422, "Invalid", msg, d);
}

cJSON *sim_status_bad_request(const char *message)
{
	return sim_status_new(400, "BadRequest", message, NULL);
}

cJSON *sim_status_forbidden(const struct sim_resource *r, const char *sub, const char *name,
			    const char *user, const char *verb, const char *ns)
{
	char q[160], res[160], msg[1024], where[200];
	sim_resources_qualified(r, q, sizeof(q));
	if (sub && *sub)
		snprintf(res, sizeof(res), "%s/%s", r->plural, sub);
	else
		snprintf(res, sizeof(res), "%s", r->plural);
	if (r->namespaced && ns && *ns)
		snprintf(where, sizeof(where), "in the namespace \"%s\"", ns);
	else
		snprintf(where, sizeof(where), "at the cluster scope");
	if (name && *name)
		snprintf(msg, sizeof(msg),
			 "%s \"%s\" is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\" %s",
			 q, name, user, verb, res, r->group, where);
	else
		snprintf(msg, sizeof(msg),
			 "%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\" %s",
			 q, user, verb, res, r->group, where);
	return sim_status_new(403, "Forbidden", msg, details_new(r, name));
}

cJSON *sim_status_unauthorized(void)
{
	return sim_status_new(401, "Unauthorized", "Unauthorized", NULL);
}

cJSON *sim_status_expired(unsigned long long requested, unsigned long long current)
{
	char msg[128];
	snprintf(msg, sizeof(msg), "too old resource version: %llu (%llu)", requested, current);
	return sim_status_new(410, "Expired", msg, NULL);
}

cJSON *sim_status_path_not_found(void)
{
	return sim_status_new(404, "NotFound", "the server could not find the requested resource",
			      cJSON_CreateObject());
}

cJSON *sim_status_method_not_allowed(void)
{
	return sim_status_new(405, "MethodNotAllowed",
			      "the server does not allow this method on the requested resource",
			      cJSON_CreateObject());
}

cJSON *sim_status_internal(const char *message)
{
	return sim_status_new(500, "InternalError", message, NULL);
}
