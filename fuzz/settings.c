/*
 * fuzz/settings.c: config.yaml parsing never crashes, whatever the bytes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "opsdeck/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings *s = NULL;
	struct context_settings c;

	if (settings_parse("fuzz.yaml", (const char *)data, size, &s, NULL) == OD_OK) {
		settings_for_context(s, "prod", &c);
		settings_free(&s);
	}
	return 0;
}
