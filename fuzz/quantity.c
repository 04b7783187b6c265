/*
 * fuzz/quantity.c: quantities and time stamps from the API never crash the
 * parsers, and whatever parses prints and re-parses to the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/quantity.h"
#include "opsdeck/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct quantity q, back;
	struct od_time t;
	char out[QUANTITY_STR_MAX];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (quantity_parse(s, &q, NULL) == OD_OK) {
		int64_t v = quantity_value(&q), m = quantity_milli(&q);
		quantity_format_canonical(&q, out, sizeof(out));
		if (quantity_parse(out, &back, NULL) != OD_OK)
			abort(); /* the canonical form must parse */
		if (m != INT64_MAX && m != -INT64_MAX && quantity_milli(&back) != m &&
		    quantity_value(&back) != v)
			abort();
	}
	if (time_parse_rfc3339(s, &t, NULL) == OD_OK)
		time_format_rfc3339(t, out, sizeof(out));
	(void)time_parse_http_date(s, &t, NULL);
	free(s);
	return 0;
}
