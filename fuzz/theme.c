/*
 * fuzz/theme.c: any theme file parses or fails with a "FILE:LINE: problem"
 * message, never crashes, and every style it leaves is in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	struct err e = { 0 };
	enum od_status rc;

	theme_init(&t, "fuzz");
	rc = theme_parse(&t, (const char *)data, size, "fuzz.theme", &e);
	if (rc != OD_OK && strncmp(e.msg, "fuzz.theme:", 11) != 0)
		abort(); /* every error names the file and line */
	for (int el = 0; el < THEME_ELEMENT_COUNT; el++) {
		struct theme_style s = theme_style(&t, (enum theme_element)el);

		if (s.fg < THEME_COLOR_DEFAULT || s.fg > THEME_COLOR_MAX ||
		    s.bg < THEME_COLOR_DEFAULT || s.bg > THEME_COLOR_MAX)
			abort();
	}
	return 0;
}
