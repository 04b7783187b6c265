/*
 * json.c: dotted-path access to cJSON trees, used by every part of the sim
 * that reads or edits Kubernetes objects.
 */
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_json.h"

#define PATH_SEG_MAX 128

/* Copies the next segment of *path into seg and advances *path. */
static bool next_seg(const char **path, char *seg)
{
	const char *p = *path;
	const char *dot = strchr(p, '.');
	size_t n = dot ? (size_t)(dot - p) : strlen(p);
	if (n >= PATH_SEG_MAX)
		return false;
	memcpy(seg, p, n);
	seg[n] = '\0';
	*path = dot ? dot + 1 : p + n;
	return true;
}

cJSON *sim_json_get(const cJSON *o, const char *path)
{
	char seg[PATH_SEG_MAX];
	const cJSON *cur = o;

	while (cur && *path) {
		if (!next_seg(&path, seg) || !cJSON_IsObject(cur))
			return NULL;
		cur = cJSON_GetObjectItemCaseSensitive(cur, seg);
	}
	return (cJSON *)cur;
}

const char *sim_json_str(const cJSON *o, const char *path)
{
	const cJSON *it = sim_json_get(o, path);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

const char *sim_json_str_or(const cJSON *o, const char *path, const char *dflt)
{
	const char *s = sim_json_str(o, path);
	return s ? s : dflt;
}

double sim_json_num(const cJSON *o, const char *path, double dflt)
{
	const cJSON *it = sim_json_get(o, path);
	return cJSON_IsNumber(it) ? it->valuedouble : dflt;
}

int64_t sim_json_int(const cJSON *o, const char *path, int64_t dflt)
{
	const cJSON *it = sim_json_get(o, path);
	if (!cJSON_IsNumber(it))
		return dflt;
	double d = it->valuedouble;
	if (d > 9e15 || d < -9e15)
		return dflt;
	return (int64_t)d;
}

bool sim_json_bool(const cJSON *o, const char *path, bool dflt)
{
	const cJSON *it = sim_json_get(o, path);
	if (cJSON_IsTrue(it))
		return true;
	if (cJSON_IsFalse(it))
		return false;
	return dflt;
}

void sim_json_put(cJSON *o, const char *key, cJSON *item)
{
	if (!o || !item) {
		cJSON_Delete(item);
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, item);
	else
		cJSON_AddItemToObject(o, key, item);
}

cJSON *sim_json_ensure(cJSON *o, const char *path)
{
	char seg[PATH_SEG_MAX];
	cJSON *cur = o;

	while (cur && *path) {
		if (!next_seg(&path, seg))
			return NULL;
		cJSON *nx = cJSON_GetObjectItemCaseSensitive(cur, seg);
		if (!cJSON_IsObject(nx)) {
			nx = cJSON_CreateObject();
			if (!nx)
				return NULL;
			sim_json_put(cur, seg, nx);
		}
		cur = nx;
	}
	return cur;
}

bool sim_json_set(cJSON *o, const char *path, cJSON *item)
{
	const char *last = strrchr(path, '.');
	cJSON *parent = o;

	if (!item)
		return false;
	if (last) {
		char pp[512];
		size_t n = (size_t)(last - path);
		if (n >= sizeof(pp)) {
			cJSON_Delete(item);
			return false;
		}
		memcpy(pp, path, n);
		pp[n] = '\0';
		parent = sim_json_ensure(o, pp);
		last++;
	} else {
		last = path;
	}
	if (!parent || !cJSON_IsObject(parent)) {
		cJSON_Delete(item);
		return false;
	}
	sim_json_put(parent, last, item);
	return true;
}

bool sim_json_set_str(cJSON *o, const char *path, const char *v)
{
	return sim_json_set(o, path, cJSON_CreateString(v ? v : ""));
}

bool sim_json_set_num(cJSON *o, const char *path, double v)
{
	return sim_json_set(o, path, cJSON_CreateNumber(v));
}

bool sim_json_set_bool(cJSON *o, const char *path, bool v)
{
	return sim_json_set(o, path, cJSON_CreateBool(v));
}

void sim_json_remove(cJSON *o, const char *path)
{
	const char *last = strrchr(path, '.');
	cJSON *parent = o;

	if (last) {
		char pp[512];
		size_t n = (size_t)(last - path);
		if (n >= sizeof(pp))
			return;
		memcpy(pp, path, n);
		pp[n] = '\0';
		parent = sim_json_get(o, pp);
		last++;
	} else {
		last = path;
	}
	if (cJSON_IsObject(parent))
		cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
}

const char *sim_json_label(const cJSON *obj, const char *key)
{
	const cJSON *l = sim_json_get(obj, "metadata.labels");
	const cJSON *v = cJSON_IsObject(l) ? cJSON_GetObjectItemCaseSensitive(l, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *sim_json_annotation(const cJSON *obj, const char *key)
{
	const cJSON *l = sim_json_get(obj, "metadata.annotations");
	const cJSON *v = cJSON_IsObject(l) ? cJSON_GetObjectItemCaseSensitive(l, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void sim_json_set_annotation(cJSON *obj, const char *key, const char *v)
{
	cJSON *a = sim_json_ensure(obj, "metadata.annotations");
	if (a)
		sim_json_put(a, key, cJSON_CreateString(v));
}

void sim_json_set_label(cJSON *obj, const char *key, const char *v)
{
	cJSON *a = sim_json_ensure(obj, "metadata.labels");
	if (a)
		sim_json_put(a, key, cJSON_CreateString(v));
}

bool sim_json_equal(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	return cJSON_Compare(a, b, 1) != 0;
}

char *sim_json_print(const cJSON *o)
{
	return cJSON_PrintUnformatted(o);
}
