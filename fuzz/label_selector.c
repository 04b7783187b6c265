/*
 * fuzz/label_selector.c: label and field selectors from the command line,
 * profiles and the simulator's requests never crash the parser, and a parsed
 * selector evaluates against a fixed label set without reading out of bounds.
 * The first byte picks label or field syntax; the rest is the selector.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[][2] = {
	{ "app", "matter-server" },
	{ "app.kubernetes.io/name", "synapse" },
	{ "component", "main" },
	{ "tier", "" },
};

static const char *lookup(void *arg, const char *key)
{
	(void)arg;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], key) == 0)
			return labels[i][1];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct selector *sel = NULL;
	char *s;
	enum od_status rc;

	if (size == 0)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] & 1)
		rc = selector_parse_fields(s, &sel, NULL);
	else
		rc = selector_parse(s, &sel, NULL);
	if (rc == OD_OK) {
		(void)selector_matches(sel, lookup, NULL);
		(void)selector_is_empty(sel);
		(void)selector_find_eq(sel, "app");
		selector_free(&sel);
		if (sel)
			abort(); /* selector_free must NULL the caller's pointer */
	}
	free(s);
	return 0;
}
