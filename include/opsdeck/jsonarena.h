/*
 * jsonarena.h: a JSON parser for big LIST pages that builds its cJSON nodes
 * in an arena instead of one malloc per node and per string.
 *
 * It accepts what cJSON_ParseWithLength accepts and gives the same tree (the
 * fuzz target fuzz/json_arena.c holds it to that), so code that reads cJSON
 * (pod_from_json, cJSON_GetObjectItemCaseSensitive, ...) reads it unchanged.
 * Keys named in a skip list are checked as JSON but left out of the tree
 * with their values: a pod list page read for its rows skips env, probes,
 * managedFields and the like without building them.
 *
 * The nodes belong to the arena: read them, never change them, never pass
 * them to cJSON_Delete, cJSON_Detach* or cJSON_Add*. They are valid until
 * json_arena_reset or json_arena_free. The input text is not changed.
 */
#ifndef OPSDECK_JSONARENA_H
#define OPSDECK_JSONARENA_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"

/* Deepest nesting accepted, as cJSON's CJSON_NESTING_LIMIT. */
#define JSON_ARENA_DEPTH_MAX 1000

struct json_arena_chunk;

struct json_arena {
	struct json_arena_chunk *first;   /* owned: the chain of chunks */
	struct json_arena_chunk *cur;     /* borrowed: the chunk being filled */
	size_t used;                      /* bytes used in cur */
	size_t bytes;                     /* bytes allocated in all chunks */
};

/* Most keys in a skip list; keys past it, or 64 bytes long or more, are kept. */
#define JSON_ARENA_SKIP_MAX 64

/* Keys to leave out of the tree, at any depth; filled by json_arena_skip_init. */
struct json_arena_skip {
	size_t n;
	const char *key[JSON_ARENA_SKIP_MAX];     /* borrowed */
	unsigned char len[JSON_ARENA_SKIP_MAX];
	unsigned long long first[64];  /* first[len]: bit (c & 63) for each key's first byte c */
};

void json_arena_init(struct json_arena *a);

/* Forgets every node and keeps the memory for the next parse. */
void json_arena_reset(struct json_arena *a);

/* Frees all memory; a is left empty and may be used again. */
void json_arena_free(struct json_arena *a);

/* Prepares a skip list from a NULL-terminated list; the strings must outlive s. */
void json_arena_skip_init(struct json_arena_skip *s, const char *const *keys);

/*
 * Parses text[0..len) (not changed, need not be NUL-terminated) into nodes
 * of a; *out is the root (borrowed from a). Like cJSON_ParseWithLength,
 * bytes after the first complete value are ignored. skip may be NULL.
 * OD_EPARSE with the byte offset when the text is not JSON, OD_ELIMIT when
 * nested deeper than JSON_ARENA_DEPTH_MAX, OD_ENOMEM; *out is NULL then.
 */
enum od_status json_arena_parse(struct json_arena *a, const char *text, size_t len,
				const struct json_arena_skip *skip, cJSON **out, struct err *e);

#endif
