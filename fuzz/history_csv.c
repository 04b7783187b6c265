/*
 * fuzz/history_csv.c: libFuzzer target for the runbooks' `date,cpu,memory`
 * CSV parser, fed line by line with its carried state, as the importer does.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "opsdeck/store_history_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history_csv_state state = { 0 };
	struct history_csv_row row;
	struct err e = { 0 };
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		(void)store_history_csv_parse_line(p, len, &state, &row, &e);
		p += len + (nl ? 1 : 0);
	}
	return 0;
}
