/*
 * printer.h: kubectl's output formats for the headless commands:
 *   - JSON as kubectl's printer writes it (Go's json.MarshalIndent of an
 *     unstructured object: keys sorted, 4-space indent, <>& escaped);
 *   - YAML as sigs.k8s.io/yaml writes it (go-yaml v2, which is libyaml's
 *     emitter: sorted keys, indentless sequences, lines folded at 80);
 *   - a server-side Table (meta.k8s.io/v1) printed as kubectl's table
 *     printer does: uppercase headers, priority>0 columns only in wide,
 *     NAMESPACE first with -A, laid out by tabwriter.h;
 *   - rows printed one by one with widths remembered (get -w).
 */
#ifndef OPSDECK_PRINTER_H
#define OPSDECK_PRINTER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

/* Appends v as kubectl -o json prints it, with a final newline. */
enum od_status printer_json(const cJSON *v, struct buf *out, struct err *e);

/* Appends v as kubectl -o yaml prints it. */
enum od_status printer_yaml(const cJSON *v, struct buf *out, struct err *e);

/*
 * Wraps the items of a LIST response (borrowed) as kubectl prints a list:
 * {"apiVersion":"v1","kind":"List","items":[...],"metadata":{"resourceVersion":""}},
 * each item given the apiVersion and kind (item_kind) it lacks. Owned result.
 */
cJSON *printer_list_wrap(const cJSON *list, const char *api_version, const char *item_kind);

struct printer_table_opts {
	bool wide;              /* -o wide: columns of any priority */
	bool with_namespace;    /* -A: a NAMESPACE column first */
	bool no_headers;        /* --no-headers */
	const char *name_prefix;/* "deployment.apps/" before names, or NULL */
	/* columnDefinitions to use when the table has none (watch events after the first) */
	const cJSON *columns;   /* borrowed; may be NULL */
};

/*
 * Appends a server-side Table (borrowed) as tab-separated text (cells end
 * with '\t', rows with '\n', ready for tabwriter_format). *nrows receives
 * the number of rows.
 */
enum od_status printer_table_text(const cJSON *table, const struct printer_table_opts *o,
				  struct buf *text, size_t *nrows, struct err *e);

/* One row of cells, cells[0..n), in tab-separated text form. */
enum od_status printer_row_text(const char *const *cells, size_t n, struct buf *text,
				struct err *e);

/* Widths remembered across rows printed one at a time (kubectl get -w). */
#define PRINTER_MAX_COLUMNS 32
struct printer_widths {
	size_t w[PRINTER_MAX_COLUMNS];   /* cell width plus padding, per column */
};

/*
 * Lays out tab-separated text (one or more lines) with the kubectl tabwriter
 * settings, never letting a column shrink below a width seen before, and
 * records the widths used. Appends to out.
 */
enum od_status printer_layout(const char *text, size_t len, struct printer_widths *wd,
			      struct buf *out, struct err *e);

/* kubectl's "No resources found in NS namespace." (ns NULL: without the namespace). */
void printer_no_resources(const char *ns);

#endif
