/*
 * ui_logtext.h: what the Logs pane does to the text of a line: masking the
 * parts that differ between otherwise identical lines (numbers, ids,
 * timestamps, UUIDs, IP addresses) so they group, the error summary built
 * on that (grep | sort | uniq -c | sort -nr), and pretty-printing JSON.
 */
#ifndef OPSDECK_UI_LOGTEXT_H
#define OPSDECK_UI_LOGTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

/* Masked lines are cut to this many bytes (with the NUL) before grouping. */
#define LOGTEXT_MASK_MAX 512
/* The summary keeps at most this many distinct groups; later new ones count as "other". */
#define LOGTEXT_GROUPS_MAX 4096

/*
 * Writes line with <ts>, <uuid>, <ip>, <id> (hex runs of 8+ with a digit)
 * and <n> (other digit runs) in place of what they hide. Always
 * NUL-terminates out (n > 0).
 */
void logtext_mask(const char *line, size_t len, char *out, size_t n);

struct loggroup {
	char *key;           /* owned: the masked text */
	char *example;       /* owned: the first line seen */
	uint64_t count;
};

struct loggroups {
	struct loggroup *g;  /* owned: n groups, sorted by logtext_groups_sort */
	size_t n, cap;
	size_t *slots;       /* owned: open-addressing table of index+1 */
	size_t nslots;
	uint64_t other;      /* lines that would have made a group past the cap */
	uint64_t total;
};

void logtext_groups_init(struct loggroups *gs);
void logtext_groups_fini(struct loggroups *gs);
enum od_status logtext_groups_add(struct loggroups *gs, const char *line, size_t len,
				  struct err *e);
/* Highest count first; equal counts by key, so the order is stable for tests. */
void logtext_groups_sort(struct loggroups *gs);

/*
 * When line is a JSON object, *out receives it indented (owned, free()),
 * and OD_OK; OD_EPARSE when it is not JSON (the caller shows it as is).
 */
enum od_status logtext_json_pretty(const char *line, size_t len, char **out, struct err *e);

#endif
