/*
 * pod.c: one pod's JSON (cJSON, borrowed) to the compact struct pod.
 *
 * The cache parses a list page by page and drops each cJSON tree at once,
 * so everything kept is copied here, with every string capped.
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "opsdeck/pod.h"
#include "opsdeck/quantity.h"

static const cJSON *child(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static enum od_status type_error(struct err *e, const char *field, const char *want)
{
	return err_set(e, OD_EPARSE, "pod: %s: expected %s", field, want);
}

/* A string field: absent or null leaves *out NULL; longer than the cap is cut. */
static enum od_status get_str(const cJSON *o, const char *key, char **out, struct err *e)
{
	const cJSON *v = child(o, key);
	size_t n;

	if (!v || cJSON_IsNull(v))
		return OD_OK;
	if (!cJSON_IsString(v) || !v->valuestring)
		return type_error(e, key, "a string");
	n = strnlen(v->valuestring, POD_STRING_MAX);
	/* don't cut a UTF-8 sequence in half */
	while (n == POD_STRING_MAX && n > 0 && ((unsigned char)v->valuestring[n] & 0xc0) == 0x80)
		n--;
	*out = strndup(v->valuestring, n);
	return *out ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

static enum od_status get_int32(const cJSON *o, const char *key, int32_t *out, struct err *e)
{
	const cJSON *v = child(o, key);

	if (!v || cJSON_IsNull(v))
		return OD_OK;
	if (!cJSON_IsNumber(v) || v->valuedouble < INT32_MIN || v->valuedouble > INT32_MAX)
		return type_error(e, key, "a 32-bit integer");
	*out = (int32_t)v->valuedouble;
	return OD_OK;
}

static enum od_status get_bool(const cJSON *o, const char *key, bool *out, struct err *e)
{
	const cJSON *v = child(o, key);

	if (!v || cJSON_IsNull(v))
		return OD_OK;
	if (!cJSON_IsBool(v))
		return type_error(e, key, "true or false");
	*out = cJSON_IsTrue(v);
	return OD_OK;
}

static enum od_status get_time(const cJSON *o, const char *key, struct od_time *out, bool *set,
			       struct err *e)
{
	const cJSON *v = child(o, key);
	struct err te = { 0 };

	if (!v || cJSON_IsNull(v))
		return OD_OK;
	if (!cJSON_IsString(v) || time_parse_rfc3339(v->valuestring, out, &te) != OD_OK)
		return type_error(e, key, "an RFC 3339 time");
	if (set)
		*set = true;
	return OD_OK;
}

/* A time only triage reads: one that does not parse is left unset, not an error. */
static void get_time_lenient(const cJSON *o, const char *key, struct od_time *out)
{
	struct err te = { 0 };

	if (get_time(o, key, out, NULL, &te) != OD_OK)
		*out = (struct od_time){ 0 };
}

/* An array field: absent or null gives n = 0; more than POD_LIST_MAX entries is refused. */
static enum od_status get_array(const cJSON *o, const char *key, const cJSON **arr, size_t *n,
				struct err *e)
{
	const cJSON *v = child(o, key);
	int size;

	*arr = NULL;
	*n = 0;
	if (!v || cJSON_IsNull(v))
		return OD_OK;
	if (!cJSON_IsArray(v))
		return type_error(e, key, "a list");
	size = cJSON_GetArraySize(v);
	if (size > POD_LIST_MAX)
		return err_set(e, OD_ELIMIT, "pod: %s: more than %d entries", key, POD_LIST_MAX);
	*arr = v;
	*n = (size_t)size;
	return OD_OK;
}

static void *alloc_array(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static enum od_status parse_state(const cJSON *o, struct container_state *s, struct err *e)
{
	const cJSON *w = child(o, "waiting"), *r = child(o, "running"), *t = child(o, "terminated");
	enum od_status rc = OD_OK;

	if (cJSON_IsObject(w)) {
		s->kind = CONTAINER_STATE_WAITING;
		rc = get_str(w, "reason", &s->reason, e);
		if (rc == OD_OK)
			rc = get_str(w, "message", &s->message, e);
	} else if (cJSON_IsObject(t)) {
		s->kind = CONTAINER_STATE_TERMINATED;
		rc = get_str(t, "reason", &s->reason, e);
		if (rc == OD_OK)
			rc = get_str(t, "message", &s->message, e);
		if (rc == OD_OK)
			rc = get_int32(t, "exitCode", &s->exit_code, e);
		if (rc == OD_OK)
			rc = get_int32(t, "signal", &s->signal, e);
		if (rc == OD_OK)
			rc = get_time(t, "startedAt", &s->started_at, NULL, e);
		if (rc == OD_OK)
			rc = get_time(t, "finishedAt", &s->finished_at, NULL, e);
	} else if (cJSON_IsObject(r)) {
		s->kind = CONTAINER_STATE_RUNNING;
		rc = get_time(r, "startedAt", &s->started_at, NULL, e);
	}
	return rc;
}

static enum od_status parse_status(const cJSON *o, struct pod_container_status *cs,
				   struct err *e)
{
	enum od_status rc = get_str(o, "name", &cs->name, e);

	if (rc == OD_OK)
		rc = get_bool(o, "ready", &cs->ready, e);
	if (rc == OD_OK)
		rc = get_bool(o, "started", &cs->started, e);
	if (rc == OD_OK)
		rc = get_int32(o, "restartCount", &cs->restart_count, e);
	if (rc == OD_OK)
		rc = parse_state(child(o, "state"), &cs->state, e);
	if (rc == OD_OK)
		rc = parse_state(child(o, "lastState"), &cs->last_state, e);
	return rc;
}

static enum od_status parse_statuses(const cJSON *status, const char *key,
				     struct pod_container_status **out, size_t *n, struct err *e)
{
	const cJSON *arr, *it;
	size_t count, i = 0;
	enum od_status rc = get_array(status, key, &arr, &count, e);

	if (rc != OD_OK || count == 0)
		return rc;
	*out = alloc_array(count, sizeof(**out));
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		*n = ++i;
		rc = parse_status(it, &(*out)[i - 1], e);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static void parse_resources(const cJSON *res, const char *key, struct pod_resources *r)
{
	const cJSON *m = child(res, key), *cpu = child(m, "cpu"), *mem = child(m, "memory");

	r->cpu_milli = -1;
	r->memory_bytes = -1;
	/* A quantity the parser refuses is shown as unset rather than failing the pod. */
	if (cJSON_IsString(cpu) && !quantity_parse_milli(cpu->valuestring, &r->cpu_milli))
		r->cpu_milli = -1;
	if (cJSON_IsString(mem) && !quantity_parse_value(mem->valuestring, &r->memory_bytes))
		r->memory_bytes = -1;
}

static enum od_status parse_container(const cJSON *o, struct pod_container *c, struct err *e)
{
	char *policy = NULL;
	enum od_status rc = get_str(o, "name", &c->name, e);

	if (rc == OD_OK)
		rc = get_str(o, "image", &c->image, e);
	if (rc == OD_OK)
		rc = get_str(o, "restartPolicy", &policy, e);
	c->restart_always = policy && strcmp(policy, "Always") == 0;
	free(policy);
	parse_resources(child(o, "resources"), "requests", &c->requests);
	parse_resources(child(o, "resources"), "limits", &c->limits);
	return rc;
}

static enum od_status parse_containers(const cJSON *spec, const char *key,
				       struct pod_container **out, size_t *n, struct err *e)
{
	const cJSON *arr, *it;
	size_t count, i = 0;
	enum od_status rc = get_array(spec, key, &arr, &count, e);

	if (rc != OD_OK || count == 0)
		return rc;
	*out = alloc_array(count, sizeof(**out));
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		*n = ++i;
		rc = parse_container(it, &(*out)[i - 1], e);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static enum od_status parse_conditions(const cJSON *status, struct pod *p, struct err *e)
{
	const cJSON *arr, *it;
	size_t count, i = 0;
	enum od_status rc = get_array(status, "conditions", &arr, &count, e);

	if (rc != OD_OK || count == 0)
		return rc;
	p->conditions = alloc_array(count, sizeof(*p->conditions));
	if (!p->conditions)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		struct pod_condition *c = &p->conditions[i];

		p->nconditions = ++i;
		rc = get_str(it, "type", &c->type, e);
		if (rc == OD_OK)
			rc = get_str(it, "status", &c->status, e);
		if (rc == OD_OK)
			rc = get_str(it, "reason", &c->reason, e);
		if (rc == OD_OK)
			rc = get_str(it, "message", &c->message, e);
		if (rc == OD_OK)
			get_time_lenient(it, "lastTransitionTime", &c->last_transition);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

/* A list of objects each giving one string field: podIPs[].ip, readinessGates[].conditionType. */
static enum od_status parse_strings(const cJSON *o, const char *key, const char *field,
				    char ***out, size_t *n, struct err *e)
{
	const cJSON *arr, *it;
	size_t count;
	enum od_status rc = get_array(o, key, &arr, &count, e);

	if (rc != OD_OK || count == 0)
		return rc;
	*out = alloc_array(count, sizeof(char *));
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		char *s = NULL;

		rc = get_str(it, field, &s, e);
		if (rc != OD_OK)
			return rc;
		if (s)
			(*out)[(*n)++] = s;
	}
	if (*n == 0) {
		/* no element had the field: no array (podIP's fallback allocates its own) */
		free(*out);
		*out = NULL;
	}
	return OD_OK;
}

static enum od_status parse_labels(const cJSON *meta, struct pod *p, struct err *e)
{
	const cJSON *labels = child(meta, "labels"), *it;
	int size;

	if (!labels || cJSON_IsNull(labels))
		return OD_OK;
	if (!cJSON_IsObject(labels))
		return type_error(e, "labels", "a mapping");
	size = cJSON_GetArraySize(labels);
	if (size > POD_LIST_MAX)
		return err_set(e, OD_ELIMIT, "pod: labels: more than %d entries", POD_LIST_MAX);
	p->labels = alloc_array((size_t)size, sizeof(*p->labels));
	if (!p->labels)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, labels) {
		struct pod_label *l = &p->labels[p->nlabels];

		if (!cJSON_IsString(it) || !it->string)
			return type_error(e, "labels", "string values");
		l->key = strndup(it->string, POD_STRING_MAX);
		l->value = strndup(it->valuestring, POD_STRING_MAX);
		p->nlabels++;
		if (!l->key || !l->value)
			return err_set(e, OD_ENOMEM, "out of memory");
	}
	return OD_OK;
}

/* The controller ownerReference if there is one, else the first. */
static enum od_status parse_owner(const cJSON *meta, struct pod *p, struct err *e)
{
	const cJSON *arr, *it, *pick = NULL;
	size_t count;
	enum od_status rc = get_array(meta, "ownerReferences", &arr, &count, e);

	if (rc != OD_OK || count == 0)
		return rc;
	cJSON_ArrayForEach(it, arr) {
		if (!pick)
			pick = it;
		if (cJSON_IsTrue(child(it, "controller"))) {
			pick = it;
			break;
		}
	}
	rc = get_str(pick, "kind", &p->owner_kind, e);
	if (rc == OD_OK)
		rc = get_str(pick, "name", &p->owner_name, e);
	return rc;
}

static enum od_status parse_metadata(const cJSON *meta, struct pod *p, struct err *e)
{
	enum od_status rc;

	if (meta && !cJSON_IsObject(meta))
		return type_error(e, "metadata", "a mapping");
	rc = get_str(meta, "name", &p->name, e);
	if (rc == OD_OK)
		rc = get_str(meta, "namespace", &p->namespace_, e);
	if (rc == OD_OK)
		rc = get_str(meta, "uid", &p->uid, e);
	if (rc == OD_OK)
		rc = get_str(meta, "resourceVersion", &p->resource_version, e);
	if (rc == OD_OK)
		rc = get_time(meta, "creationTimestamp", &p->created, NULL, e);
	if (rc == OD_OK)
		rc = get_time(meta, "deletionTimestamp", &p->deletion, &p->deleting, e);
	if (rc == OD_OK)
		rc = parse_labels(meta, p, e);
	if (rc == OD_OK)
		rc = parse_owner(meta, p, e);
	return rc;
}

/* A volume's kind is its one key besides "name" (the API allows exactly one source). */
static enum od_status parse_volume(const cJSON *o, struct pod_volume *v, struct err *e)
{
	const cJSON *it;
	enum od_status rc = get_str(o, "name", &v->name, e);

	cJSON_ArrayForEach(it, o) {
		if (rc != OD_OK || !it->string || strcmp(it->string, "name") == 0)
			continue;
		v->kind = strndup(it->string, POD_STRING_MAX);
		if (!v->kind)
			return err_set(e, OD_ENOMEM, "out of memory");
		if (strcmp(it->string, "persistentVolumeClaim") == 0)
			rc = get_str(it, "claimName", &v->claim, e);
		break;
	}
	return rc;
}

static enum od_status parse_volumes(const cJSON *spec, struct pod *p, struct err *e)
{
	const cJSON *arr, *it;
	size_t count;
	enum od_status rc = get_array(spec, "volumes", &arr, &count, e);

	if (rc != OD_OK || count == 0)
		return rc;
	p->volumes = alloc_array(count, sizeof(*p->volumes));
	if (!p->volumes)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			return type_error(e, "volumes", "a list of mappings");
		rc = parse_volume(it, &p->volumes[p->nvolumes++], e);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static enum od_status parse_spec(const cJSON *spec, struct pod *p, struct err *e)
{
	enum od_status rc;

	if (spec && !cJSON_IsObject(spec))
		return type_error(e, "spec", "a mapping");
	rc = get_str(spec, "nodeName", &p->node, e);
	if (rc == OD_OK)
		rc = parse_containers(spec, "initContainers", &p->init_containers,
				      &p->ninit_containers, e);
	if (rc == OD_OK)
		rc = parse_containers(spec, "containers", &p->containers, &p->ncontainers, e);
	if (rc == OD_OK)
		rc = parse_strings(spec, "readinessGates", "conditionType", &p->readiness_gates,
				   &p->nreadiness_gates, e);
	if (rc == OD_OK)
		rc = parse_volumes(spec, p, e);
	return rc;
}

static enum od_status parse_pod_status(const cJSON *st, struct pod *p, struct err *e)
{
	enum od_status rc;

	if (st && !cJSON_IsObject(st))
		return type_error(e, "status", "a mapping");
	rc = get_str(st, "phase", &p->phase, e);
	if (rc == OD_OK)
		rc = get_str(st, "reason", &p->reason, e);
	if (rc == OD_OK)
		rc = get_str(st, "message", &p->message, e);
	if (rc == OD_OK)
		rc = get_str(st, "nominatedNodeName", &p->nominated_node, e);
	if (rc == OD_OK)
		get_time_lenient(st, "startTime", &p->start_time);
	if (rc == OD_OK)
		rc = parse_strings(st, "podIPs", "ip", &p->ips, &p->nips, e);
	if (rc == OD_OK && p->nips == 0) {
		char *ip = NULL;

		rc = get_str(st, "podIP", &ip, e);
		if (rc == OD_OK && ip && *ip) {
			p->ips = calloc(1, sizeof(char *));
			if (!p->ips) {
				free(ip);
				return err_set(e, OD_ENOMEM, "out of memory");
			}
			p->ips[p->nips++] = ip;
			ip = NULL;
		}
		free(ip);
	}
	if (rc == OD_OK)
		rc = parse_conditions(st, p, e);
	if (rc == OD_OK)
		rc = parse_statuses(st, "initContainerStatuses", &p->init_statuses,
				    &p->ninit_statuses, e);
	if (rc == OD_OK)
		rc = parse_statuses(st, "containerStatuses", &p->statuses, &p->nstatuses, e);
	return rc;
}

enum od_status pod_from_json(const void *obj, struct pod *p, struct err *e)
{
	const cJSON *o = obj;
	enum od_status rc;

	if (!cJSON_IsObject(o))
		return err_set(e, OD_EPARSE, "pod: expected an object");
	rc = parse_metadata(child(o, "metadata"), p, e);
	if (rc == OD_OK)
		rc = parse_spec(child(o, "spec"), p, e);
	if (rc == OD_OK)
		rc = parse_pod_status(child(o, "status"), p, e);
	if (rc != OD_OK)
		pod_clear(p);
	return rc;
}

static void state_clear(struct container_state *s)
{
	free(s->reason);
	free(s->message);
}

static void statuses_free(struct pod_container_status *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		state_clear(&s[i].state);
		state_clear(&s[i].last_state);
	}
	free(s);
}

static void containers_free(struct pod_container *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].image);
	}
	free(c);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pod_clear(struct pod *p)
{
	free(p->name);
	free(p->namespace_);
	free(p->uid);
	free(p->resource_version);
	free(p->phase);
	free(p->reason);
	free(p->message);
	free(p->node);
	free(p->nominated_node);
	strv_free(p->ips, p->nips);
	strv_free(p->readiness_gates, p->nreadiness_gates);
	for (size_t i = 0; i < p->nconditions; i++) {
		free(p->conditions[i].type);
		free(p->conditions[i].status);
		free(p->conditions[i].reason);
		free(p->conditions[i].message);
	}
	free(p->conditions);
	containers_free(p->init_containers, p->ninit_containers);
	containers_free(p->containers, p->ncontainers);
	statuses_free(p->init_statuses, p->ninit_statuses);
	statuses_free(p->statuses, p->nstatuses);
	for (size_t i = 0; i < p->nvolumes; i++) {
		free(p->volumes[i].name);
		free(p->volumes[i].kind);
		free(p->volumes[i].claim);
	}
	free(p->volumes);
	free(p->owner_kind);
	free(p->owner_name);
	for (size_t i = 0; i < p->nlabels; i++) {
		free(p->labels[i].key);
		free(p->labels[i].value);
	}
	free(p->labels);
	memset(p, 0, sizeof(*p));
}

const struct pod_condition *pod_find_condition(const struct pod *p, const char *type)
{
	for (size_t i = 0; i < p->nconditions; i++)
		if (p->conditions[i].type && strcmp(p->conditions[i].type, type) == 0)
			return &p->conditions[i];
	return NULL;
}

const struct pod_container *pod_find_init_container(const struct pod *p, const char *name)
{
	for (size_t i = 0; name && i < p->ninit_containers; i++)
		if (p->init_containers[i].name && strcmp(p->init_containers[i].name, name) == 0)
			return &p->init_containers[i];
	return NULL;
}

const char *pod_label(const struct pod *p, const char *key)
{
	for (size_t i = 0; i < p->nlabels; i++)
		if (strcmp(p->labels[i].key, key) == 0)
			return p->labels[i].value;
	return NULL;
}
