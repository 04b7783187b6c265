/*
 * store_prom_text.h: one line of the Prometheus text exposition format,
 * `metric{label="value",...} value [timestamp_ms]`, as opsdeck-sim's
 * backfill and Prometheus exports write it. Comments (# HELP, # TYPE) and
 * blank lines are skipped. Every size is capped: a line, a name, a label
 * value, the number of labels.
 */
#ifndef OPSDECK_STORE_PROM_TEXT_H
#define OPSDECK_STORE_PROM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

#define PROM_LINE_MAX 16384
#define PROM_NAME_MAX 255
#define PROM_LABEL_NAME_MAX 127
#define PROM_LABEL_VALUE_MAX 1023
#define PROM_LABELS_MAX 32

struct prom_label {
	char name[PROM_LABEL_NAME_MAX + 1];
	char value[PROM_LABEL_VALUE_MAX + 1];   /* unescaped */
};

struct prom_sample {
	char name[PROM_NAME_MAX + 1];
	struct prom_label labels[PROM_LABELS_MAX];
	size_t nlabels;
	double value;          /* may be NaN or +-Inf */
	bool has_ts;
	int64_t ts_ms;
};

/*
 * Parses line[0..len) (no newline; a trailing '\r' is fine). OD_OK with a
 * sample, OD_ENOENT for a comment or blank line, OD_EPARSE or OD_ELIMIT with
 * a message naming the problem.
 */
enum od_status store_prom_parse_line(const char *line, size_t len, struct prom_sample *out,
				     struct err *e);

/* The value of label name, or NULL. Borrowed from s. */
const char *store_prom_label(const struct prom_sample *s, const char *name);

#endif
