/*
 * patch.c: merge patch, JSON patch and strategic merge patch.
 *
 * Strategic merge patch would need the OpenAPI schema for its merge keys;
 * the sim knows the lists that matter for the objects it serves (containers,
 * env, volumes, ports, conditions...) by field name, which is what kubectl's
 * set image, rollout restart and apply produce for them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_patch.h"

#define PATCH_DEPTH_MAX 64

enum od_status sim_patch_type_from_content_type(const char *ct, enum sim_patch_type *out,
						struct err *e)
{
	size_t n;
	if (!ct)
		ct = "";
	n = strcspn(ct, ";");
	if (n == strlen("application/merge-patch+json") &&
	    strncmp(ct, "application/merge-patch+json", n) == 0)
		*out = SIM_PATCH_MERGE;
	else if (n == strlen("application/json-patch+json") &&
		 strncmp(ct, "application/json-patch+json", n) == 0)
		*out = SIM_PATCH_JSON;
	else if (n == strlen("application/strategic-merge-patch+json") &&
		 strncmp(ct, "application/strategic-merge-patch+json", n) == 0)
		*out = SIM_PATCH_STRATEGIC;
	else if (n == strlen("application/apply-patch+yaml") &&
		 strncmp(ct, "application/apply-patch+yaml", n) == 0)
		*out = SIM_PATCH_APPLY;
	else
		return err_set(e, OD_EINVAL, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
	return OD_OK;
}

/* RFC 7386 */
static cJSON *merge_patch(cJSON *target, const cJSON *patch, int depth)
{
	if (!cJSON_IsObject(patch) || depth > PATCH_DEPTH_MAX) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, 1);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
	}
	for (const cJSON *p = patch->child; p; p = p->next) {
		if (!p->string)
			continue;
		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
			continue;
		}
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, p->string);
		cJSON *merged = merge_patch(cur ? cJSON_Duplicate(cur, 1) : NULL, p, depth + 1);
		/* replacing in place keeps the members' order */
		if (merged && cur)
			cJSON_ReplaceItemInObjectCaseSensitive(target, p->string, merged);
		else if (merged)
			cJSON_AddItemToObject(target, p->string, merged);
	}
	return target;
}

/* The merge key for a list field, or NULL for lists that are replaced. */
static const char *smp_merge_key(const char *field, const cJSON *sample)
{
	static const struct {
		const char *field, *key;
	} keys[] = {
		{ "containers", "name" }, { "initContainers", "name" },
		{ "ephemeralContainers", "name" }, { "env", "name" }, { "volumes", "name" },
		{ "volumeMounts", "mountPath" }, { "volumeDevices", "devicePath" },
		{ "imagePullSecrets", "name" }, { "conditions", "type" },
		{ "ownerReferences", "uid" }, { "hostAliases", "ip" },
		{ "topologySpreadConstraints", "topologyKey" }, { "envFrom", NULL },
	};
	if (!field)
		return NULL;
	if (strcmp(field, "ports") == 0) {
		if (cJSON_IsObject(sample) && cJSON_GetObjectItemCaseSensitive(sample, "containerPort"))
			return "containerPort";
		return "port";
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].field, field) == 0)
			return keys[i].key;
	return NULL;
}

static bool is_primitive_merge_list(const char *field)
{
	return field && strcmp(field, "finalizers") == 0;
}

static cJSON *smp_merge(cJSON *target, const cJSON *patch, const char *field, int depth);

static cJSON *find_by_key(cJSON *list, const char *key, const cJSON *val)
{
	for (cJSON *it = list->child; it; it = it->next) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, key);
		if (v && cJSON_Compare(v, val, 1))
			return it;
	}
	return NULL;
}

static cJSON *smp_merge_list(cJSON *target, const cJSON *patch, const char *field, int depth)
{
	const char *key = smp_merge_key(field, patch->child);
	if (is_primitive_merge_list(field) && cJSON_IsArray(target)) {
		for (const cJSON *p = patch->child; p; p = p->next) {
			bool found = false;
			for (cJSON *t = target->child; t; t = t->next)
				found = found || cJSON_Compare(t, p, 1);
			if (!found)
				cJSON_AddItemToArray(target, cJSON_Duplicate(p, 1));
		}
		return target;
	}
	if (!key || !cJSON_IsArray(target)) {
		/* replace, dropping directive elements */
		cJSON_Delete(target);
		cJSON *out = cJSON_CreateArray();
		for (const cJSON *p = patch->child; p; p = p->next) {
			if (cJSON_IsObject(p) && cJSON_GetObjectItemCaseSensitive(p, "$patch"))
				continue;
			cJSON_AddItemToArray(out, cJSON_Duplicate(p, 1));
		}
		return out;
	}
	for (const cJSON *p = patch->child; p; p = p->next) {
		if (!cJSON_IsObject(p))
			continue;
		const cJSON *kv = cJSON_GetObjectItemCaseSensitive(p, key);
		const char *directive = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "$patch"));
		if (directive && strcmp(directive, "replace") == 0 && !kv) {
			/* the whole list is replaced by the other elements */
			cJSON_Delete(target);
			target = cJSON_CreateArray();
			for (const cJSON *q = patch->child; q; q = q->next)
				if (q != p)
					cJSON_AddItemToArray(target, cJSON_Duplicate(q, 1));
			return target;
		}
		if (!kv)
			continue;
		cJSON *existing = find_by_key(target, key, kv);
		if (directive && strcmp(directive, "delete") == 0) {
			if (existing)
				cJSON_Delete(cJSON_DetachItemViaPointer(target, existing));
			continue;
		}
		if (existing) {
			cJSON *copy = cJSON_Duplicate(existing, 1);
			cJSON *merged = smp_merge(copy, p, NULL, depth + 1);
			cJSON_ReplaceItemViaPointer(target, existing, merged);
		} else {
			cJSON_AddItemToArray(target, smp_merge(NULL, p, NULL, depth + 1));
		}
	}
	return target;
}

static cJSON *smp_merge(cJSON *target, const cJSON *patch, const char *field, int depth)
{
	if (depth > PATCH_DEPTH_MAX)
		return target;
	if (cJSON_IsArray(patch))
		return smp_merge_list(target, patch, field, depth);
	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, 1);
	}
	const char *directive = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(patch, "$patch"));
	if (directive && strcmp(directive, "replace") == 0) {
		cJSON_Delete(target);
		target = NULL;
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
	}
	for (const cJSON *p = patch->child; p; p = p->next) {
		if (!p->string || p->string[0] == '$')
			continue;   /* $patch, $retainKeys, $setElementOrder/..., $deleteFromPrimitiveList/... */
		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
			continue;
		}
		if (cJSON_IsObject(p)) {
			const char *d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "$patch"));
			if (d && strcmp(d, "delete") == 0) {
				cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
				continue;
			}
		}
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, p->string);
		cJSON *merged = smp_merge(cur ? cJSON_Duplicate(cur, 1) : NULL, p, p->string, depth + 1);
		if (merged && cur)
			cJSON_ReplaceItemInObjectCaseSensitive(target, p->string, merged);
		else if (merged)
			cJSON_AddItemToObject(target, p->string, merged);
	}
	return target;
}

/* JSON pointer helpers (RFC 6901). */
static bool ptr_next(const char **p, char *tok, size_t n)
{
	size_t j = 0;
	if (**p != '/')
		return false;
	(*p)++;
	while (**p && **p != '/') {
		char c = **p;
		if (c == '~') {
			(*p)++;
			if (**p == '0')
				c = '~';
			else if (**p == '1')
				c = '/';
			else
				return false;
		}
		if (j + 1 >= n)
			return false;
		tok[j++] = c;
		(*p)++;
	}
	tok[j] = '\0';
	return true;
}

static bool parse_index(const char *tok, int size, bool allow_end, int *out)
{
	char *end = NULL;
	long v;
	if (allow_end && strcmp(tok, "-") == 0) {
		*out = size;
		return true;
	}
	if (!*tok || (tok[0] == '0' && tok[1]))
		return false;
	v = strtol(tok, &end, 10);
	if (*end || v < 0 || v > (allow_end ? size : size - 1))
		return false;
	*out = (int)v;
	return true;
}

/* Resolves all but the last token: *parent and the last token. */
static enum od_status ptr_resolve_parent(cJSON *doc, const char *path, cJSON **parent,
					 char *last, size_t n, struct err *e)
{
	char tok[256];
	const char *p = path;
	cJSON *cur = doc;
	if (!*p)
		return err_set(e, OD_EINVAL, "the root cannot be the target here");
	for (;;) {
		if (!ptr_next(&p, tok, sizeof(tok)))
			return err_set(e, OD_EINVAL, "invalid JSON pointer \"%.200s\"", path);
		if (!*p) {
			snprintf(last, n, "%s", tok);
			*parent = cur;
			return OD_OK;
		}
		if (cJSON_IsObject(cur)) {
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
		} else if (cJSON_IsArray(cur)) {
			int i;
			if (!parse_index(tok, cJSON_GetArraySize(cur), false, &i))
				return err_set(e, OD_EINVAL, "invalid index in \"%.200s\"", path);
			cur = cJSON_GetArrayItem(cur, i);
		} else {
			cur = NULL;
		}
		if (!cur)
			return err_set(e, OD_EINVAL,
				       "doc is missing path: \"%.200s\": missing value", path);
	}
}

static cJSON *ptr_get(cJSON *doc, const char *path)
{
	cJSON *parent;
	char last[256];
	if (!*path)
		return doc;
	if (ptr_resolve_parent(doc, path, &parent, last, sizeof(last), NULL) != OD_OK)
		return NULL;
	if (cJSON_IsObject(parent))
		return cJSON_GetObjectItemCaseSensitive(parent, last);
	if (cJSON_IsArray(parent)) {
		int i;
		if (!parse_index(last, cJSON_GetArraySize(parent), false, &i))
			return NULL;
		return cJSON_GetArrayItem(parent, i);
	}
	return NULL;
}

static enum od_status op_add(cJSON *doc, const char *path, cJSON *val, struct err *e)
{
	cJSON *parent;
	char last[256];
	enum od_status rc = ptr_resolve_parent(doc, path, &parent, last, sizeof(last), e);
	if (rc != OD_OK) {
		cJSON_Delete(val);
		return rc;
	}
	if (cJSON_IsObject(parent)) {
		if (cJSON_GetObjectItemCaseSensitive(parent, last))
			cJSON_ReplaceItemInObjectCaseSensitive(parent, last, val);
		else
			cJSON_AddItemToObject(parent, last, val);
		return OD_OK;
	}
	if (cJSON_IsArray(parent)) {
		int i, size = cJSON_GetArraySize(parent);
		if (!parse_index(last, size, true, &i)) {
			cJSON_Delete(val);
			return err_set(e, OD_EINVAL, "add operation does not apply: index out of range");
		}
		if (i == size)
			cJSON_AddItemToArray(parent, val);
		else
			cJSON_InsertItemInArray(parent, i, val);
		return OD_OK;
	}
	cJSON_Delete(val);
	return err_set(e, OD_EINVAL, "add operation does not apply: doc is missing path: \"%.200s\"", path);
}

static cJSON *op_detach(cJSON *doc, const char *path, struct err *e, enum od_status *rc)
{
	cJSON *parent, *it = NULL;
	char last[256];
	*rc = ptr_resolve_parent(doc, path, &parent, last, sizeof(last), e);
	if (*rc != OD_OK)
		return NULL;
	if (cJSON_IsObject(parent)) {
		it = cJSON_DetachItemFromObjectCaseSensitive(parent, last);
	} else if (cJSON_IsArray(parent)) {
		int i;
		if (parse_index(last, cJSON_GetArraySize(parent), false, &i))
			it = cJSON_DetachItemFromArray(parent, i);
	}
	if (!it)
		*rc = err_set(e, OD_EINVAL,
			      "remove operation does not apply: doc is missing path: \"%.200s\"", path);
	return it;
}

static enum od_status json_patch(cJSON **doc, const cJSON *patch, struct err *e)
{
	enum od_status rc = OD_OK;
	if (!cJSON_IsArray(patch))
		return err_set(e, OD_EINVAL, "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
	for (const cJSON *op = patch->child; op && rc == OD_OK; op = op->next) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "op"));
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "path"));
		const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "from"));
		const cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
		if (!name || !path)
			return err_set(e, OD_EINVAL, "invalid JSON patch operation");
		if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0) {
			if (!value)
				return err_set(e, OD_EINVAL, "missing value in %s operation", name);
			if (!*path) {
				cJSON_Delete(*doc);
				*doc = cJSON_Duplicate(value, 1);
				continue;
			}
			if (strcmp(name, "replace") == 0) {
				cJSON *old = op_detach(*doc, path, e, &rc);
				if (!old)
					return err_set(e, OD_EINVAL, "replace operation does not apply: doc is missing key: %.200s", path);
				cJSON_Delete(old);
			}
			rc = op_add(*doc, path, cJSON_Duplicate(value, 1), e);
		} else if (strcmp(name, "remove") == 0) {
			cJSON *old = op_detach(*doc, path, e, &rc);
			cJSON_Delete(old);
		} else if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
			if (!from)
				return err_set(e, OD_EINVAL, "missing from in %s operation", name);
			cJSON *src = NULL;
			if (name[0] == 'm') {
				src = op_detach(*doc, from, e, &rc);
			} else {
				cJSON *f = ptr_get(*doc, from);
				src = f ? cJSON_Duplicate(f, 1) : NULL;
				if (!src)
					rc = err_set(e, OD_EINVAL, "copy operation does not apply: doc is missing from path: %.200s", from);
			}
			if (src)
				rc = op_add(*doc, path, src, e);
		} else if (strcmp(name, "test") == 0) {
			cJSON *cur = ptr_get(*doc, path);
			if (!cur || !value || !cJSON_Compare(cur, value, 1))
				return err_set(e, OD_EINVAL, "testing value %.200s failed: test failed", path);
		} else {
			return err_set(e, OD_EINVAL, "Unexpected kind: %.64s", name);
		}
	}
	return rc;
}

enum od_status sim_patch_apply(cJSON **doc, const cJSON *patch, enum sim_patch_type type,
			       struct err *e)
{
	switch (type) {
	case SIM_PATCH_JSON:
		return json_patch(doc, patch, e);
	case SIM_PATCH_MERGE:
	case SIM_PATCH_APPLY:
		if (!cJSON_IsObject(patch))
			return err_set(e, OD_EINVAL, "couldn't get version/kind; json parse error: a merge patch must be an object");
		*doc = merge_patch(*doc, patch, 0);
		return OD_OK;
	case SIM_PATCH_STRATEGIC:
		if (!cJSON_IsObject(patch))
			return err_set(e, OD_EINVAL, "a strategic merge patch must be an object");
		*doc = smp_merge(*doc, patch, NULL, 0);
		return OD_OK;
	}
	return err_set(e, OD_EINVAL, "unknown patch type");
}
