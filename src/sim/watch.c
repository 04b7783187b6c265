/*
 * watch.c: watch streams fed by store changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_json.h"
#include "opsdeck/sim_status.h"
#include "opsdeck/sim_watch.h"

/* kube-apiserver ends watches after a random 30-60 min when no timeout is given. */
#define WATCH_DEFAULT_TIMEOUT_S 1800
#define WATCH_BOOKMARK_MS 10000

struct watch {
	struct sim *s;                    /* borrowed */
	struct sim_watch_hub *hub;        /* borrowed */
	struct sim_watch_opts o;          /* selectors owned */
	struct sim_stream *stream;        /* borrowed: the stream owns this watch */
	uint64_t timeout_timer;
	uint64_t bookmark_timer;
	bool sent_columns;
	struct watch *next;
};

struct sim_watch_hub {
	struct sim *s;
	struct watch *head;
	size_t count;
};

static void hub_listener(void *arg, enum sim_change type, const struct sim_resource *res,
			 const cJSON *old, const cJSON *cur, uint64_t rv);

enum od_status sim_watch_hub_new(struct sim *s, struct sim_watch_hub **out, struct err *e)
{
	struct sim_watch_hub *hub = calloc(1, sizeof(*hub));
	if (!hub)
		return err_set(e, OD_ENOMEM, "out of memory");
	hub->s = s;
	enum od_status rc = sim_store_listen(s->store, hub_listener, hub, e);
	if (rc != OD_OK) {
		free(hub);
		return rc;
	}
	*out = hub;
	return OD_OK;
}

void sim_watch_hub_free(struct sim_watch_hub **phub)
{
	struct sim_watch_hub *hub = phub ? *phub : NULL;
	if (!hub)
		return;
	/* Remaining watches belong to their streams; detach them from the hub. */
	for (struct watch *w = hub->head; w; w = w->next)
		w->hub = NULL;
	free(hub);
	*phub = NULL;
}

size_t sim_watch_count(const struct sim_watch_hub *hub)
{
	return hub ? hub->count : 0;
}

struct field_ctx {
	const struct sim_resource *r;
	const cJSON *obj;
	char buf[64];
};

static const char *const pod_fields[] = { "spec.nodeName", "spec.restartPolicy",
	"spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
	"status.podIP", "status.nominatedNodeName", NULL };
static const char *const event_fields[] = { "involvedObject.kind",
	"involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
	"involvedObject.apiVersion", "involvedObject.resourceVersion",
	"involvedObject.fieldPath", "reason", "reportingComponent", "source", "type", NULL };

static bool in_list(const char *const *l, const char *key)
{
	for (; *l; l++)
		if (strcmp(*l, key) == 0)
			return true;
	return false;
}

bool sim_watch_field_supported(const struct sim_resource *r, const char *key)
{
	if (strcmp(key, "metadata.name") == 0 || strcmp(key, "metadata.namespace") == 0)
		return true;
	switch (r->id) {
	case SIM_RES_PODS: return in_list(pod_fields, key);
	case SIM_RES_EVENTS:
	case SIM_RES_EVENTS_V1: return in_list(event_fields, key);
	case SIM_RES_SECRETS: return strcmp(key, "type") == 0;
	case SIM_RES_NAMESPACES: return strcmp(key, "status.phase") == 0;
	case SIM_RES_NODES: return strcmp(key, "spec.unschedulable") == 0;
	case SIM_RES_JOBS: return strcmp(key, "status.successful") == 0;
	case SIM_RES_REPLICASETS: return strcmp(key, "status.replicas") == 0;
	default: return false;
	}
}

static const char *field_lookup(void *arg, const char *key)
{
	struct field_ctx *c = arg;
	const cJSON *v;
	if (strcmp(key, "metadata.namespace") == 0 && !c->r->namespaced)
		return "";
	if (strcmp(key, "source") == 0)
		key = "source.component";
	else if (strcmp(key, "status.successful") == 0)
		key = "status.succeeded";
	v = sim_json_get(c->obj, key);
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		snprintf(c->buf, sizeof(c->buf), "%lld", (long long)v->valuedouble);
		return c->buf;
	}
	if (strcmp(key, "spec.hostNetwork") == 0 || strcmp(key, "spec.unschedulable") == 0)
		return "false";
	/* Missing fields select as the empty string, as the apiserver's field sets do. */
	return "";
}

static const char *label_lookup(void *arg, const char *key)
{
	return sim_json_label(arg, key);
}

bool sim_watch_matches(const struct sim_resource *r, const cJSON *obj,
		       const struct selector *labels, const struct selector *fields)
{
	struct field_ctx fc = { .r = r, .obj = obj };
	if (!selector_matches(labels, label_lookup, (void *)obj))
		return false;
	return selector_matches(fields, field_lookup, &fc);
}

cJSON *sim_watch_event_to_v1(const cJSON *ev)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", "Event");
	cJSON_AddStringToObject(o, "apiVersion", "events.k8s.io/v1");
	cJSON_AddItemToObject(o, "metadata", cJSON_Duplicate(sim_json_get(ev, "metadata"), 1));
	const char *et = sim_json_str(ev, "eventTime");
	if (et)
		cJSON_AddStringToObject(o, "eventTime", et);
	else
		cJSON_AddNullToObject(o, "eventTime");
	cJSON_AddStringToObject(o, "reportingController", sim_json_str_or(ev, "reportingComponent", sim_json_str_or(ev, "source.component", "")));
	cJSON_AddStringToObject(o, "reportingInstance", sim_json_str_or(ev, "reportingInstance", sim_json_str_or(ev, "source.host", "")));
	cJSON_AddStringToObject(o, "action", sim_json_str_or(ev, "action", ""));
	cJSON_AddStringToObject(o, "reason", sim_json_str_or(ev, "reason", ""));
	cJSON_AddItemToObject(o, "regarding", cJSON_Duplicate(sim_json_get(ev, "involvedObject"), 1));
	cJSON_AddStringToObject(o, "note", sim_json_str_or(ev, "message", ""));
	cJSON_AddStringToObject(o, "type", sim_json_str_or(ev, "type", ""));
	if (sim_json_get(ev, "source"))
		cJSON_AddItemToObject(o, "deprecatedSource", cJSON_Duplicate(sim_json_get(ev, "source"), 1));
	if (sim_json_str(ev, "firstTimestamp"))
		cJSON_AddStringToObject(o, "deprecatedFirstTimestamp", sim_json_str(ev, "firstTimestamp"));
	if (sim_json_str(ev, "lastTimestamp"))
		cJSON_AddStringToObject(o, "deprecatedLastTimestamp", sim_json_str(ev, "lastTimestamp"));
	cJSON_AddNumberToObject(o, "deprecatedCount", sim_json_num(ev, "count", 1));
	return o;
}

static void watch_send(struct watch *w, const char *type, const cJSON *obj)
{
	cJSON *ev = cJSON_CreateObject();
	cJSON *payload;
	cJSON_AddStringToObject(ev, "type", type);
	if (strcmp(type, "BOOKMARK") == 0 || strcmp(type, "ERROR") == 0) {
		payload = cJSON_Duplicate(obj, 1);
	} else if (w->o.table) {
		payload = sim_table_new(w->s, w->o.res, &obj, 1, w->o.include, !w->sent_columns);
		w->sent_columns = true;
	} else if (w->o.res->id == SIM_RES_EVENTS_V1) {
		payload = sim_watch_event_to_v1(obj);
	} else {
		payload = cJSON_Duplicate(obj, 1);
	}
	cJSON_AddItemToObject(ev, "object", payload);
	char *txt = cJSON_PrintUnformatted(ev);
	cJSON_Delete(ev);
	if (!txt)
		return;
	sim_stream_write(w->stream, txt, strlen(txt));
	sim_stream_write(w->stream, "\n", 1);
	free(txt);
}

static enum sim_res_id watch_store_res(const struct watch *w)
{
	return w->o.res->id == SIM_RES_EVENTS_V1 ? SIM_RES_EVENTS : w->o.res->id;
}

static bool watch_ns_ok(const struct watch *w, const cJSON *obj)
{
	if (!w->o.ns[0])
		return true;
	return strcmp(sim_json_str_or(obj, "metadata.namespace", ""), w->o.ns) == 0;
}

static void watch_on_change(struct watch *w, enum sim_change type, const cJSON *old,
			    const cJSON *cur)
{
	bool was = old && watch_ns_ok(w, old) &&
		   sim_watch_matches(w->o.res, old, w->o.labels, w->o.fields);
	bool is = watch_ns_ok(w, cur) && sim_watch_matches(w->o.res, cur, w->o.labels, w->o.fields);
	if (type == SIM_CHANGE_DELETED) {
		if (was || is)
			watch_send(w, "DELETED", cur);
		return;
	}
	if (type == SIM_CHANGE_ADDED) {
		if (is)
			watch_send(w, "ADDED", cur);
		return;
	}
	if (was && is)
		watch_send(w, "MODIFIED", cur);
	else if (is)
		watch_send(w, "ADDED", cur);
	else if (was)
		watch_send(w, "DELETED", cur);
}

static void hub_listener(void *arg, enum sim_change type, const struct sim_resource *res,
			 const cJSON *old, const cJSON *cur, uint64_t rv)
{
	struct sim_watch_hub *hub = arg;
	(void)rv;
	for (struct watch *w = hub->head; w; w = w->next)
		if (!w->stream->finished && watch_store_res(w) == res->id)
			watch_on_change(w, type, old, cur);
}

static void replay_one(void *arg, enum sim_change type, const cJSON *obj, uint64_t rv)
{
	struct watch *w = arg;
	(void)rv;
	if (!watch_ns_ok(w, obj) || !sim_watch_matches(w->o.res, obj, w->o.labels, w->o.fields))
		return;
	watch_send(w, type == SIM_CHANGE_ADDED ? "ADDED" : type == SIM_CHANGE_MODIFIED ?
		   "MODIFIED" : "DELETED", obj);
}

static void watch_bookmark(struct loop *lp, uint64_t id, void *arg)
{
	struct watch *w = arg;
	char rv[32];
	(void)lp;
	(void)id;
	char av[96];
	cJSON *o = cJSON_CreateObject();
	sim_resources_api_version(w->o.res, av, sizeof(av));
	cJSON_AddStringToObject(o, "kind", w->o.res->kind);
	cJSON_AddStringToObject(o, "apiVersion", av);
	snprintf(rv, sizeof(rv), "%llu", (unsigned long long)sim_store_rv(w->s->store));
	cJSON *meta = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(meta, "resourceVersion", rv);
	watch_send(w, "BOOKMARK", o);
	cJSON_Delete(o);
}

static void watch_timeout(struct loop *lp, uint64_t id, void *arg)
{
	struct watch *w = arg;
	(void)lp;
	(void)id;
	w->timeout_timer = 0;
	sim_stream_finish(w->stream);
}

/* Called when the server frees the stream (client gone or stream ended). */
static void watch_close(void *producer)
{
	struct watch *w = producer;
	if (w->hub) {
		struct watch **pp = &w->hub->head;
		while (*pp && *pp != w)
			pp = &(*pp)->next;
		if (*pp)
			*pp = w->next;
		w->hub->count--;
	}
	if (w->timeout_timer)
		loop_timer_cancel(w->s->loop, w->timeout_timer);
	if (w->bookmark_timer)
		loop_timer_cancel(w->s->loop, w->bookmark_timer);
	selector_free(&w->o.labels);
	selector_free(&w->o.fields);
	free(w);
}

static void watch_send_initial(struct watch *w)
{
	struct sim_obj **objs;
	size_t n = sim_store_list(w->s->store, watch_store_res(w), w->o.ns[0] ? w->o.ns : NULL, &objs);
	for (size_t i = 0; i < n; i++)
		if (sim_watch_matches(w->o.res, objs[i]->json, w->o.labels, w->o.fields))
			watch_send(w, "ADDED", objs[i]->json);
}

struct sim_stream *sim_watch_start(struct sim *s, struct sim_watch_opts *o)
{
	struct watch *w = calloc(1, sizeof(*w));
	if (!w) {
		selector_free(&o->labels);
		selector_free(&o->fields);
		return NULL;
	}
	w->s = s;
	w->hub = s->watches;
	w->o = *o;
	o->labels = NULL;
	o->fields = NULL;
	w->stream = sim_stream_new(w, watch_close);
	if (!w->stream) {
		selector_free(&w->o.labels);
		selector_free(&w->o.fields);
		free(w);
		return NULL;
	}
	w->next = w->hub->head;
	w->hub->head = w;
	w->hub->count++;
	if (w->o.from_rv) {
		if (!sim_store_replay(s->store, watch_store_res(w), w->o.rv, replay_one, w)) {
			cJSON *st = sim_status_expired(w->o.rv, sim_store_rv(s->store));
			watch_send(w, "ERROR", st);
			cJSON_Delete(st);
			sim_stream_finish(w->stream);
			return w->stream;
		}
	} else {
		watch_send_initial(w);
	}
	int64_t t = w->o.timeout_s > 0 ? w->o.timeout_s : WATCH_DEFAULT_TIMEOUT_S;
	w->timeout_timer = loop_timer_add(s->loop, (uint64_t)t * 1000, 0, watch_timeout, w);
	if (w->o.bookmarks)
		w->bookmark_timer = loop_timer_add(s->loop, WATCH_BOOKMARK_MS, WATCH_BOOKMARK_MS,
						   watch_bookmark, w);
	return w->stream;
}
