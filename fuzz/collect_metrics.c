/*
 * fuzz/collect_metrics.c: what the collector reads from the network —
 * PodMetrics and NodeMetrics lists, the kubelet stats summary, Event
 * objects — never crashes the parsers, and every value handed over is
 * sane (names present, timestamps set, amounts not below -1).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/collect_metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum od_status on_usage(void *arg, const struct collect_usage *u, struct err *e)
{
	(void)arg;
	(void)e;
	if (!u->name || u->ts <= 0 || u->cpu_milli < -1 || u->memory_bytes < -1)
		abort();
	return OD_OK;
}

static enum od_status on_volume(void *arg, const struct collect_volume *v, struct err *e)
{
	(void)arg;
	(void)e;
	if (!v->pvc || !v->namespace_ || v->ts <= 0 || v->used_bytes < -1 ||
	    v->capacity_bytes < -1 || v->available_bytes < -1)
		abort();
	return OD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct err e = { 0 };
	cJSON *obj;

	collect_parse_pod_metrics(p, size, on_usage, NULL, &e);
	collect_parse_node_metrics(p, size, on_usage, NULL, &e);
	collect_parse_stats_summary(p, size, on_volume, NULL, &e);
	obj = cJSON_ParseWithLength(p, size);
	if (obj) {
		struct store_event ev;

		if (collect_event_from_json(obj, &ev, &e) == OD_OK &&
		    (!ev.uid || ev.first_seen <= 0 || ev.last_seen < ev.first_seen || ev.count < 1))
			abort();
		cJSON_Delete(obj);
	}
	return 0;
}
