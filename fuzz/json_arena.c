/*
 * fuzz/json_arena.c: the arena parser (jsonarena.h) never crashes and reads
 * any input exactly as cJSON_ParseWithLength does: both accept or both
 * refuse, and accepted documents compare equal. With a skip list it accepts
 * the same inputs and leaves no skipped key in the tree. The arena is reset
 * and reused between parses, as for the pages of a LIST.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/jsonarena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const skip_keys[] = { "a", "env", "metadata", "items", "x", NULL };

static int is_skipped(const char *k)
{
	for (size_t i = 0; skip_keys[i]; i++) {
		if (strcmp(k, skip_keys[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * The same tree, member by member in order (cJSON_Compare looks members up
 * by key, so it calls a tree with a repeated key different from itself).
 */
static int same_tree(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xFF) != (b->type & 0xFF) || a->valueint != b->valueint ||
	    !(a->valuedouble == b->valuedouble || (a->valuedouble != a->valuedouble &&
						   b->valuedouble != b->valuedouble)))
		return 0;
	if (!a->string != !b->string || (a->string && strcmp(a->string, b->string) != 0))
		return 0;
	if (!a->valuestring != !b->valuestring ||
	    (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0))
		return 0;
	const cJSON *x = a->child, *y = b->child;
	for (; x && y; x = x->next, y = y->next) {
		if (!same_tree(x, y))
			return 0;
	}
	return !x && !y;
}

/* No member anywhere under v has a skipped key. */
static void check_skipped(const cJSON *v, int depth)
{
	if (depth > JSON_ARENA_DEPTH_MAX + 1)
		abort();
	for (const cJSON *c = v ? v->child : NULL; c; c = c->next) {
		if (cJSON_IsObject(v) && (!c->string || is_skipped(c->string)))
			abort();
		check_skipped(c, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_arena arena;   /* reused across inputs, like pages */
	struct json_arena_skip skip;
	cJSON *ours = NULL, *skipped = NULL;
	struct err e;
	enum od_status rc, rcs;

	/* a copy with no NUL after it, so reads past the end are caught */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	cJSON *ref = size ? cJSON_ParseWithLength(text, size) : NULL;

	json_arena_reset(&arena);
	rc = json_arena_parse(&arena, text, size, NULL, &ours, &e);
	if ((rc == OD_OK) != (ref != NULL))
		abort();
	if (rc == OD_OK && !same_tree(ref, ours))
		abort();
	if (rc != OD_OK && ours)
		abort();

	json_arena_skip_init(&skip, skip_keys);
	rcs = json_arena_parse(&arena, text, size, &skip, &skipped, &e);
	if ((rcs == OD_OK) != (rc == OD_OK))
		abort();
	if (rcs == OD_OK)
		check_skipped(skipped, 0);
	/* the first tree is still intact after a second parse into the same arena */
	if (rc == OD_OK && !same_tree(ref, ours))
		abort();
	cJSON_Delete(ref);
	free(text);
	if (size > 4096)
		json_arena_free(&arena);   /* now and then: start from no chunk again */
	return 0;
}
