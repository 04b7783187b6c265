/*
 * metrics.c: parsing what the collector reads (collect_metrics.h) — metrics
 * lists, the kubelet's stats summary and Event objects — into plain values.
 */
#include <string.h>

#include "opsdeck/collect_metrics.h"
#include "opsdeck/duration.h"
#include "opsdeck/quantity.h"
#include "opsdeck/timeutil.h"

static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *json_array(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

/* An RFC 3339 field as seconds; 0 when absent or malformed. */
static int64_t json_time(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);
	struct od_time t;

	if (!s || !*s || time_parse_rfc3339(s, &t, NULL) != OD_OK)
		return 0;
	return t.sec;
}

/* An integer field (JSON number); -1 when absent. */
static int64_t json_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	/* NaN, negative and out-of-range numbers are not amounts (and must not be cast). */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble >= 9.2e18)
		return -1;
	return (int64_t)v->valuedouble;
}

static enum od_status parse_list(const char *body, size_t len, const char *what, cJSON **root,
				 const cJSON **items, struct err *e)
{
	*root = cJSON_ParseWithLength(body, len);
	if (!*root)
		return err_set(e, OD_EPARSE, "%s: malformed JSON from the server", what);
	*items = cJSON_GetObjectItemCaseSensitive(*root, "items");
	if (*items && !cJSON_IsArray(*items)) {
		cJSON_Delete(*root);
		*root = NULL;
		return err_set(e, OD_EPARSE, "%s: items is not a list", what);
	}
	return OD_OK;
}

/* usage.cpu and usage.memory of a metrics entry. */
static void usage_values(const cJSON *usage, struct collect_usage *u)
{
	const char *cpu = json_str(usage, "cpu");
	const char *mem = json_str(usage, "memory");

	u->cpu_milli = -1;
	u->memory_bytes = -1;
	/* A negative usage is not a usage: unknown, like a malformed one. */
	if (cpu && (!quantity_parse_milli(cpu, &u->cpu_milli) || u->cpu_milli < 0))
		u->cpu_milli = -1;
	if (mem && (!quantity_parse_value(mem, &u->memory_bytes) || u->memory_bytes < 0))
		u->memory_bytes = -1;
}

static void usage_header(const cJSON *item, struct collect_usage *u)
{
	const cJSON *md = json_obj(item, "metadata");
	const char *win = json_str(item, "window");
	int64_t ns = 0;

	u->name = md ? json_str(md, "name") : NULL;
	u->namespace_ = md ? json_str(md, "namespace") : NULL;
	u->ts = json_time(item, "timestamp");
	u->window_s = 0;
	if (win && duration_parse(win, &ns, NULL) == OD_OK)
		u->window_s = ns / 1000000000;
}

enum od_status collect_parse_pod_metrics(const char *body, size_t len, collect_usage_fn fn,
					 void *arg, struct err *e)
{
	cJSON *root = NULL;
	const cJSON *items, *item;
	enum od_status rc = parse_list(body, len, "PodMetrics", &root, &items, e);

	if (rc != OD_OK)
		return rc;
	cJSON_ArrayForEach(item, items) {
		struct collect_usage u = { 0 };
		const cJSON *cs = cJSON_GetObjectItemCaseSensitive(item, "containers"), *c;

		usage_header(item, &u);
		if (!u.name || !u.namespace_ || u.ts <= 0 || !cJSON_IsArray(cs))
			continue;
		cJSON_ArrayForEach(c, cs) {
			u.container = json_str(c, "name");
			if (!u.container)
				continue;
			usage_values(json_obj(c, "usage"), &u);
			rc = fn(arg, &u, e);
			if (rc != OD_OK)
				goto out;
		}
	}
out:
	cJSON_Delete(root);
	return rc;
}

enum od_status collect_parse_node_metrics(const char *body, size_t len, collect_usage_fn fn,
					  void *arg, struct err *e)
{
	cJSON *root = NULL;
	const cJSON *items, *item;
	enum od_status rc = parse_list(body, len, "NodeMetrics", &root, &items, e);

	if (rc != OD_OK)
		return rc;
	cJSON_ArrayForEach(item, items) {
		struct collect_usage u = { 0 };

		usage_header(item, &u);
		u.namespace_ = NULL;
		if (!u.name || u.ts <= 0)
			continue;
		usage_values(json_obj(item, "usage"), &u);
		rc = fn(arg, &u, e);
		if (rc != OD_OK)
			break;
	}
	cJSON_Delete(root);
	return rc;
}

enum od_status collect_parse_stats_summary(const char *body, size_t len, collect_volume_fn fn,
					   void *arg, struct err *e)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *pods, *pod, *node;
	int64_t node_ts = 0;
	enum od_status rc = OD_OK;

	if (!root)
		return err_set(e, OD_EPARSE, "stats summary: malformed JSON from the server");
	node = json_obj(root, "node");
	if (node) {
		const cJSON *cpu = json_obj(node, "cpu");

		node_ts = cpu ? json_time(cpu, "time") : 0;
	}
	pods = json_array(root, "pods");
	cJSON_ArrayForEach(pod, pods) {
		const cJSON *ref = json_obj(pod, "podRef");
		const cJSON *vols = json_array(pod, "volume"), *v;

		cJSON_ArrayForEach(v, vols) {
			const cJSON *pvc = json_obj(v, "pvcRef");
			struct collect_volume cv = { 0 };

			if (!pvc || !json_str(pvc, "name"))
				continue;
			cv.pvc = json_str(pvc, "name");
			cv.namespace_ = json_str(pvc, "namespace");
			if (!cv.namespace_ && ref)
				cv.namespace_ = json_str(ref, "namespace");
			cv.pod = ref ? json_str(ref, "name") : NULL;
			cv.ts = json_time(v, "time");
			if (cv.ts <= 0)
				cv.ts = node_ts;
			cv.used_bytes = json_int(v, "usedBytes");
			cv.capacity_bytes = json_int(v, "capacityBytes");
			cv.available_bytes = json_int(v, "availableBytes");
			if (!cv.namespace_ || cv.ts <= 0)
				continue;
			rc = fn(arg, &cv, e);
			if (rc != OD_OK)
				goto out;
		}
	}
out:
	cJSON_Delete(root);
	return rc;
}

enum od_status collect_event_from_json(const cJSON *obj, struct store_event *ev, struct err *e)
{
	const cJSON *md = json_obj(obj, "metadata");
	const cJSON *inv = json_obj(obj, "involvedObject");
	const cJSON *src = json_obj(obj, "source");
	const cJSON *series = json_obj(obj, "series");
	int64_t created, event_time, count;

	memset(ev, 0, sizeof(*ev));
	if (!inv)
		inv = json_obj(obj, "regarding");   /* events.k8s.io/v1 */
	ev->uid = md ? json_str(md, "uid") : NULL;
	if (!ev->uid || !*ev->uid)
		return err_set(e, OD_EPARSE, "event without metadata.uid");
	ev->namespace = json_str(md, "namespace");
	ev->type = json_str(obj, "type");
	ev->reason = json_str(obj, "reason");
	ev->message = json_str(obj, "message");
	if (!ev->message)
		ev->message = json_str(obj, "note");
	ev->obj_kind = inv ? json_str(inv, "kind") : NULL;
	ev->obj_name = inv ? json_str(inv, "name") : NULL;
	ev->source = src ? json_str(src, "component") : NULL;
	if (!ev->source || !*ev->source)
		ev->source = json_str(obj, "reportingComponent");
	if (!ev->source || !*ev->source)
		ev->source = json_str(obj, "reportingController");

	created = json_time(md, "creationTimestamp");
	event_time = json_time(obj, "eventTime");
	ev->first_seen = json_time(obj, "firstTimestamp");
	if (ev->first_seen <= 0)
		ev->first_seen = event_time > 0 ? event_time : created;
	ev->last_seen = json_time(obj, "lastTimestamp");
	if (ev->last_seen <= 0 && series)
		ev->last_seen = json_time(series, "lastObservedTime");
	if (ev->last_seen <= 0)
		ev->last_seen = event_time > 0 ? event_time : ev->first_seen;
	if (ev->first_seen <= 0 || ev->last_seen <= 0)
		return err_set(e, OD_EPARSE, "event %s has no time", ev->uid);
	if (ev->last_seen < ev->first_seen)
		ev->last_seen = ev->first_seen;
	count = json_int(obj, "count");
	if (count <= 0 && series)
		count = json_int(series, "count");
	ev->count = count > 0 ? count : 1;
	return OD_OK;
}
