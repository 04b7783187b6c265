/*
 * fuzz/profile.c: any bytes given as a profile either parse into a profile
 * whose references all resolve, or fail with a "file:line: field: problem"
 * message; never a crash, a leak or unbounded work.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p = NULL;
	struct err e;

	if (profile_parse((const char *)data, size, "fuzz.yaml", &p, &e) != OD_OK) {
		if (p || strncmp(e.msg, "fuzz.yaml:", 10) != 0)
			abort(); /* failures leave nothing behind and say where */
		return 0;
	}
	/* What parsed is usable as the check runner will use it. */
	for (size_t i = 0; i < p->nchecklists; i++) {
		const struct checklist *cl = &p->checklists[i];
		if (profile_find_checklist(p, cl->name) != cl)
			abort(); /* names are unique */
		if (cl->schedule && !profile_find_schedule(p, cl->schedule))
			abort();
		for (size_t j = 0; j < cl->nitems; j++) {
			const struct check_spec *cs = &cl->items[j].check;
			if (cs->workload && !profile_find_workload(p, cs->workload))
				abort();
			if (!cl->items[j].text || !cl->items[j].source.runbook || !cl->items[j].source.section)
				abort();
		}
	}
	profile_free(&p);
	if (p)
		abort();
	return 0;
}
