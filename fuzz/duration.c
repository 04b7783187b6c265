/*
 * fuzz/duration.c: duration parsing never crashes or overflows, and every
 * value formats as a HumanDuration.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char out[DURATION_HUMAN_MAX];
	int64_t ns;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (duration_parse(s, &ns, NULL) == OD_OK)
		duration_format_human(ns, out, sizeof(out));
	if (size >= sizeof(int64_t)) {
		memcpy(&ns, data, sizeof(ns));
		duration_format_human(ns, out, sizeof(out));
	}
	free(s);
	return 0;
}
