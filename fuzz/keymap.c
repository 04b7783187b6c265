/*
 * fuzz/keymap.c: any keymap file parses or fails with a "FILE:LINE: problem"
 * message, never crashes, and the table stays within its bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keymap km;
	struct err e = { 0 };
	enum od_status rc;

	keymap_init(&km);
	rc = keymap_parse(&km, (const char *)data, size, "fuzz.keymap", &e);
	if (rc != OD_OK && strncmp(e.msg, "fuzz.keymap:", 12) != 0)
		abort();
	if (km.n > KEYMAP_MAX)
		abort();
	for (size_t i = 0; i < km.n; i++)
		if ((int)km.bindings[i].action <= ACTION_NONE || km.bindings[i].action >= ACTION_COUNT)
			abort();
	return 0;
}
