/*
 * fuzz/prom_text.c: libFuzzer target for the Prometheus text line parser
 * (store_prom_parse_line). Each input is split into lines as the importer
 * does; every line must parse or fail cleanly, within its caps.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "opsdeck/store_prom_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prom_sample s;
	struct err e = { 0 };
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (store_prom_parse_line(p, len, &s, &e) == OD_OK) {
			/* Every label the parser kept is a terminated string within its field. */
			for (size_t i = 0; i < s.nlabels; i++)
				(void)store_prom_label(&s, s.labels[i].name);
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}
