/*
 * nodes.c: a Node object reduced to a row of the Nodes pane (ui_nodes.h),
 * with kubectl's STATUS and ROLES rules.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/quantity.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_nodes.h"

static const char *str_at(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t quantity_of(const cJSON *o, const char *key, bool milli)
{
	const char *s = str_at(o, key);
	struct quantity q;
	struct err e;

	if (!s || quantity_parse(s, &q, &e) != OD_OK)
		return -1;
	return milli ? quantity_milli(&q) : quantity_value(&q);
}

static void append(char *out, size_t n, const char *word)
{
	size_t len = strlen(out);

	snprintf(out + len, n - len, "%s%s", len ? "," : "", word);
}

static void roles_of(struct node_view *v, const cJSON *labels)
{
	static const char prefix[] = "node-role.kubernetes.io/";
	const cJSON *it;

	cJSON_ArrayForEach(it, labels) {
		if (!it->string || strncmp(it->string, prefix, sizeof(prefix) - 1) != 0)
			continue;
		if (it->string[sizeof(prefix) - 1])
			append(v->roles, sizeof(v->roles), it->string + sizeof(prefix) - 1);
	}
	if (!v->roles[0])
		snprintf(v->roles, sizeof(v->roles), "<none>");
}

static void conditions_of(struct node_view *v, const cJSON *conds)
{
	static const struct { const char *type, *word; } pressures[] = {
		{ "MemoryPressure", "Memory" }, { "DiskPressure", "Disk" },
		{ "PIDPressure", "PID" }, { "NetworkUnavailable", "Network" },
	};
	const cJSON *c;

	snprintf(v->status, sizeof(v->status), "Unknown");
	cJSON_ArrayForEach(c, conds) {
		const char *type = str_at(c, "type"), *st = str_at(c, "status");

		if (!type || !st)
			continue;
		if (strcmp(type, "Ready") == 0)
			snprintf(v->status, sizeof(v->status), "%s",
				 strcmp(st, "True") == 0 ? "Ready"
				 : strcmp(st, "False") == 0 ? "NotReady" : "Unknown");
		for (size_t i = 0; i < sizeof(pressures) / sizeof(pressures[0]); i++)
			if (strcmp(type, pressures[i].type) == 0 && strcmp(st, "True") == 0)
				append(v->pressure, sizeof(v->pressure), pressures[i].word);
	}
}

enum od_status nodeview_from_json(struct node_view *v, const cJSON *node, struct err *e)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(node, "metadata");
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(node, "spec");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(node, "status");
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(status, "nodeInfo");
	const cJSON *alloc = cJSON_GetObjectItemCaseSensitive(status, "allocatable");
	const char *name = str_at(meta, "name"), *created = str_at(meta, "creationTimestamp");
	struct od_time t;

	memset(v, 0, sizeof(*v));
	if (!name)
		return err_set(e, OD_EPARSE, "node without metadata.name");
	snprintf(v->name, sizeof(v->name), "%s", name);
	if (created && time_parse_rfc3339(created, &t, e) == OD_OK)
		v->created = t.sec;
	roles_of(v, cJSON_GetObjectItemCaseSensitive(meta, "labels"));
	conditions_of(v, cJSON_GetObjectItemCaseSensitive(status, "conditions"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "unschedulable")))
		append(v->status, sizeof(v->status), "SchedulingDisabled");
	snprintf(v->version, sizeof(v->version), "%s",
		 str_at(info, "kubeletVersion") ? str_at(info, "kubeletVersion") : "");
	v->cpu_alloc_m = quantity_of(alloc, "cpu", true);
	v->mem_alloc_b = quantity_of(alloc, "memory", false);
	return OD_OK;
}
