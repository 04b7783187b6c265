/*
 * pb.c: a bounds-checked protobuf wire reader, just enough for the
 * authorization reviews (generated.proto of k8s.io/api/authorization/v1).
 */
#include <stdbool.h>
#include <stdint.h>
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
