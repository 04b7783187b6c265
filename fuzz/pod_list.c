/*
 * fuzz/pod_list.c: the list path of get pods and the informer, from a LIST
 * body down to the printed row: the body parsed as JSON, every element of
 * "items" (or the object itself, as a GET or watch event carries it) read
 * by pod_from_json and turned into kubectl's columns by podstatus_compute.
 * Nothing may crash, leak or read out of bounds whatever the types, sizes
 * and nesting; a pod read twice gives the same row.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/pod.h"
#include "opsdeck/podstatus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const cJSON *obj)
{
	struct pod p, q;
	struct pod_row r1, r2;
	struct err e = { 0 };
	const struct od_time now = { .sec = 1768046400, .nsec = 0 };

	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	if (pod_from_json(obj, &p, &e) != OD_OK)
		return;
	if (pod_from_json(obj, &q, &e) != OD_OK)
		abort(); /* the same object must read the same way twice */
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	podstatus_compute(&p, now, &r1);
	podstatus_compute(&q, now, &r2);
	if (memcmp(&r1, &r2, sizeof(r1)) != 0)
		abort();
	pod_clear(&p);
	pod_clear(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *root = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *items, *it;

	if (!root)
		return 0;
	items = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (cJSON_IsArray(items)) {
		cJSON_ArrayForEach(it, items)
			one(it);
	} else {
		one(root);
	}
	cJSON_Delete(root);
	return 0;
}
