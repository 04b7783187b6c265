/*
 * pb.c: a bounds-checked protobuf wire reader, just enough for the
 * authorization reviews (generated.proto of k8s.io/api/authorization/v1).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_pb.h"

struct pb {
	const unsigned char *p, *end;
};

static bool pb_varint(struct pb *b, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && b->p < b->end; shift += 7) {
		unsigned char c = *b->p++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return true;
	}
	return false;
}

/* Reads the next field; for length-delimited ones *sub is the payload. */
static bool pb_field(struct pb *b, uint32_t *num, struct pb *sub)
{
	uint64_t key, len;
	if (b->p >= b->end || !pb_varint(b, &key))
		return false;
	*num = (uint32_t)(key >> 3);
	switch (key & 7) {
	case 0:
		return pb_varint(b, &len);
	case 1:
		if (b->end - b->p < 8)
			return false;
		b->p += 8;
		sub->p = sub->end = NULL;
		return true;
	case 5:
		if (b->end - b->p < 4)
			return false;
		b->p += 4;
		sub->p = sub->end = NULL;
		return true;
	case 2:
		if (!pb_varint(b, &len) || len > (uint64_t)(b->end - b->p))
			return false;
		sub->p = b->p;
		sub->end = b->p + len;
		b->p += len;
		return true;
	default:
		return false;
	}
}

static void add_string(cJSON *o, const char *key, const struct pb *v)
{
	size_t n = (size_t)(v->end - v->p);
	char buf[512];
	if (!v->p || n >= sizeof(buf))
		return;
	memcpy(buf, v->p, n);
	buf[n] = '\0';
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *decode_resource_attributes(struct pb b)
{
	static const char *const names[] = { NULL, "namespace", "verb", "group", "version",
					     "resource", "subresource", "name" };
	cJSON *ra = cJSON_CreateObject();
	uint32_t num;
	struct pb v;
	while (b.p < b.end && pb_field(&b, &num, &v))
		if (num >= 1 && num <= 7 && v.p)
			add_string(ra, names[num], &v);
	return ra;
}

static cJSON *decode_nonresource_attributes(struct pb b)
{
	cJSON *na = cJSON_CreateObject();
	uint32_t num;
	struct pb v;
	while (b.p < b.end && pb_field(&b, &num, &v))
		if ((num == 1 || num == 2) && v.p)
			add_string(na, num == 1 ? "path" : "verb", &v);
	return na;
}

/* map<string,string> entry {1: key, 2: value}; bytes values are base64-encoded. */
static void decode_map_entry(cJSON *map, struct pb e, bool bytes)
{
	uint32_t num;
	struct pb v, key = { NULL, NULL }, val = { NULL, NULL };
	char k[512];
	while (e.p < e.end && pb_field(&e, &num, &v)) {
		if (num == 1)
			key = v;
		else if (num == 2)
			val = v;
	}
	if (!key.p || (size_t)(key.end - key.p) >= sizeof(k))
		return;
	memcpy(k, key.p, (size_t)(key.end - key.p));
	k[key.end - key.p] = '\0';
	size_t n = val.p ? (size_t)(val.end - val.p) : 0;
	char *out = malloc(bytes ? 4 * ((n + 2) / 3) + 1 : n + 1);
	if (!out)
		return;
	if (bytes) {
		static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		size_t o = 0;
		for (size_t i = 0; i < n; i += 3) {
			uint32_t w = (uint32_t)val.p[i] << 16;
			if (i + 1 < n)
				w |= (uint32_t)val.p[i + 1] << 8;
			if (i + 2 < n)
				w |= val.p[i + 2];
			out[o++] = tbl[(w >> 18) & 63];
			out[o++] = tbl[(w >> 12) & 63];
			out[o++] = i + 1 < n ? tbl[(w >> 6) & 63] : '=';
			out[o++] = i + 2 < n ? tbl[w & 63] : '=';
		}
		out[o] = '\0';
	} else {
		if (n)
			memcpy(out, val.p, n);
		out[n] = '\0';
	}
	if (!cJSON_GetObjectItemCaseSensitive(map, k))
		cJSON_AddStringToObject(map, k, out);
	free(out);
}

/* ObjectMeta: name, generateName, namespace, labels, annotations, finalizers. */
static cJSON *decode_object_meta(struct pb b)
{
	cJSON *m = cJSON_CreateObject();
	uint32_t num;
	struct pb v;
	while (b.p < b.end && pb_field(&b, &num, &v)) {
		if (!v.p)
			continue;
		if (num == 1)
			add_string(m, "name", &v);
		else if (num == 2)
			add_string(m, "generateName", &v);
		else if (num == 3)
			add_string(m, "namespace", &v);
		else if (num == 11 || num == 12) {
			const char *key = num == 11 ? "labels" : "annotations";
			cJSON *map = cJSON_GetObjectItemCaseSensitive(m, key);
			if (!map)
				map = cJSON_AddObjectToObject(m, key);
			decode_map_entry(map, v, false);
		} else if (num == 14) {
			cJSON *f = cJSON_GetObjectItemCaseSensitive(m, "finalizers");
			if (!f)
				f = cJSON_AddArrayToObject(m, "finalizers");
			cJSON *tmp = cJSON_CreateObject();
			add_string(tmp, "v", &v);
			if (cJSON_GetObjectItemCaseSensitive(tmp, "v"))
				cJSON_AddItemToArray(f, cJSON_DetachItemFromObject(tmp, "v"));
			cJSON_Delete(tmp);
		}
	}
	return m;
}

/* Namespace, ConfigMap, Secret and ServiceAccount, which kubectl create sends typed. */
static cJSON *decode_simple_object(const char *kind, struct pb raw)
{
	uint32_t num;
	struct pb v;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "apiVersion", "v1");
	bool cm = strcmp(kind, "ConfigMap") == 0, secret = strcmp(kind, "Secret") == 0;
	while (raw.p < raw.end && pb_field(&raw, &num, &v)) {
		if (!v.p && !(secret && num == 5) && !(cm && num == 4))
			continue;
		if (num == 1) {
			cJSON_AddItemToObject(o, "metadata", decode_object_meta(v));
		} else if ((cm && (num == 2 || num == 3)) || (secret && (num == 2 || num == 4))) {
			const char *key = cm ? (num == 2 ? "data" : "binaryData") : (num == 2 ? "data" : "stringData");
			cJSON *map = cJSON_GetObjectItemCaseSensitive(o, key);
			if (!map)
				map = cJSON_AddObjectToObject(o, key);
			decode_map_entry(map, v, (cm && num == 3) || (secret && num == 2));
		} else if (secret && num == 3) {
			add_string(o, "type", &v);
		}
	}
	if (secret) {
		/* stringData is write-only: it lands in data, base64-encoded */
		cJSON *sd = cJSON_DetachItemFromObject(o, "stringData");
		cJSON *data = cJSON_GetObjectItemCaseSensitive(o, "data");
		for (cJSON *it = sd ? sd->child : NULL; it; it = it->next) {
			if (!data)
				data = cJSON_AddObjectToObject(o, "data");
			struct pb val = { (const unsigned char *)it->valuestring,
					  (const unsigned char *)it->valuestring + strlen(it->valuestring) };
			unsigned char entry[1024];
			size_t kl = strlen(it->string), vl = (size_t)(val.end - val.p);
			if (kl + vl + 8 > sizeof(entry) || kl > 127 || vl > 127)
				continue;
			size_t e = 0;
			entry[e++] = 0x0a;
			entry[e++] = (unsigned char)kl;
			memcpy(entry + e, it->string, kl);
			e += kl;
			entry[e++] = 0x12;
			entry[e++] = (unsigned char)vl;
			memcpy(entry + e, val.p, vl);
			e += vl;
			struct pb ep = { entry, entry + e };
			cJSON_DeleteItemFromObject(data, it->string);
			decode_map_entry(data, ep, true);
		}
		cJSON_Delete(sd);
	}
	return o;
}

cJSON *sim_pb_decode_object(const unsigned char *data, size_t len)
{
	struct pb b = { data, data + len }, v, raw = { NULL, NULL }, type = { NULL, NULL };
	uint32_t num;
	char kind[64] = "";
	if (len < 4 || memcmp(data, "k8s\0", 4) != 0)
		return NULL;
	b.p += 4;
	while (b.p < b.end) {
		if (!pb_field(&b, &num, &v))
			return NULL;
		if (num == 1)
			type = v;
		else if (num == 2)
			raw = v;
	}
	while (type.p && type.p < type.end) {
		struct pb f;
		if (!pb_field(&type, &num, &f))
			return NULL;
		if (num == 2 && f.p && (size_t)(f.end - f.p) < sizeof(kind)) {
			memcpy(kind, f.p, (size_t)(f.end - f.p));
			kind[f.end - f.p] = '\0';
		}
	}
	if (strcmp(kind, "SelfSubjectAccessReview") == 0 || strcmp(kind, "SelfSubjectRulesReview") == 0)
		return sim_pb_decode_review(data, len);
	if (strcmp(kind, "Namespace") == 0 || strcmp(kind, "ConfigMap") == 0 ||
	    strcmp(kind, "Secret") == 0 || strcmp(kind, "ServiceAccount") == 0)
		return raw.p ? decode_simple_object(kind, raw) : NULL;
	return NULL;
}

cJSON *sim_pb_decode_review(const unsigned char *data, size_t len)
{
	struct pb b = { data, data + len }, v, raw = { NULL, NULL }, type = { NULL, NULL };
	uint32_t num;
	char kind[64] = "";

	if (len < 4 || memcmp(data, "k8s\0", 4) != 0)
		return NULL;
	b.p += 4;
	while (b.p < b.end) {
		if (!pb_field(&b, &num, &v))
			return NULL;
		if (num == 1)
			type = v;
		else if (num == 2)
			raw = v;
	}
	while (type.p && type.p < type.end) {
		struct pb f;
		if (!pb_field(&type, &num, &f))
			return NULL;
		if (num == 2 && f.p && (size_t)(f.end - f.p) < sizeof(kind)) {
			memcpy(kind, f.p, (size_t)(f.end - f.p));
			kind[f.end - f.p] = '\0';
		}
	}
	bool rules = strcmp(kind, "SelfSubjectRulesReview") == 0;
	if (!rules && strcmp(kind, "SelfSubjectAccessReview") != 0)
		return NULL;
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "kind", kind);
	cJSON_AddStringToObject(out, "apiVersion", "authorization.k8s.io/v1");
	cJSON_AddObjectToObject(out, "metadata");
	cJSON *spec = cJSON_AddObjectToObject(out, "spec");
	while (raw.p && raw.p < raw.end) {
		struct pb f;
		if (!pb_field(&raw, &num, &f)) {
			cJSON_Delete(out);
			return NULL;
		}
		if (num != 2 || !f.p)
			continue;
		while (f.p < f.end) {
			struct pb g;
			uint32_t n2;
			if (!pb_field(&f, &n2, &g))
				break;
			if (!g.p)
				continue;
			if (rules && n2 == 1)
				add_string(spec, "namespace", &g);
			else if (!rules && n2 == 1)
				cJSON_AddItemToObject(spec, "resourceAttributes", decode_resource_attributes(g));
			else if (!rules && n2 == 2)
				cJSON_AddItemToObject(spec, "nonResourceAttributes", decode_nonresource_attributes(g));
		}
	}
	return out;
}
