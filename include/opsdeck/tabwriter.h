/*
 * tabwriter.h: columns laid out exactly as kubectl's printers lay them out
 * (Go's text/tabwriter, liggitt's fork with RememberWidths, as
 * printers.GetNewTabWriter configures it). Cells end with '\t', lines with
 * '\n'; the last cell of a line is not part of any column; widths count
 * runes. Every kubectl-compatible table (get-contexts, get pods, ...) should
 * go through here so alignment matches byte for byte.
 */
#ifndef OPSDECK_TABWRITER_H
#define OPSDECK_TABWRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

struct tabwriter_opts {
	size_t minwidth;         /* a column is at least this wide, padding included */
	size_t padding;          /* added to the widest cell of a column */
	bool remember_widths;    /* a column never shrinks below a width it had earlier */
};

/* printers.GetNewTabWriter: minwidth 6, padding 3, pad with spaces, RememberWidths. */
extern const struct tabwriter_opts TABWRITER_KUBECTL;

/* Formats text (len bytes) and appends the result to out. */
enum od_status tabwriter_format(const char *text, size_t len, const struct tabwriter_opts *o,
				struct buf *out, struct err *e);

/* Go's utf8.RuneCount: each valid sequence and each invalid byte counts one. */
size_t tabwriter_rune_count(const char *s, size_t len);

#endif
