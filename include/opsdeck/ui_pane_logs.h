/*
 * ui_pane_logs.h: the Logs pane. Follows the selected pod, or every pod of
 * its workload (new pods are picked up as they appear), each line with a
 * coloured prefix naming its pod; streams are pods/log requests with
 * follow in the one event loop (no threads). Lines go into a log ring
 * (ui_logring.h), so none is dropped, order per pod is arrival order, and
 * scroll-back is not capped. Pause and scroll, a POSIX ERE filter with
 * highlighting, error and warning lines from the profile's patterns, the
 * previous container, since 5m/1h/24h, wrap, JSON pretty-printing, save to
 * a file (0600), and an error summary grouping similar lines with counts.
 */
#ifndef OPSDECK_UI_PANE_LOGS_H
#define OPSDECK_UI_PANE_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/ui_pane.h"

/* Pods followed at once (a workload with more shows its first LOGS_PODS_MAX). */
#define LOGS_PODS_MAX 64
/* Lines asked for per pod when a stream starts without "since". */
#define LOGS_TAIL_LINES 5000
/* Repaint at most this long after a line arrives. */
#define LOGS_PAINT_MS 100
/* A stream that ended is started again after this long while its pod is followed. */
#define LOGS_RETRY_S 5
#define LOGS_FILTER_MAX 256

/* The pane's ops (pane_logs_ops in pane_note.c is the placeholder it replaces). */
extern const struct pane_ops logs_pane_ops;

/*
 * Appends one line from pod as a stream would (the pod gets a prefix colour
 * on first sight); line is len bytes, not necessarily NUL-terminated. For the
 * replay source, tests and benchmarks.
 */
enum od_status logs_pane_feed(struct pane *p, const char *pod, const char *line, size_t len,
			      struct err *e);

/*
 * Reads a file of "POD<TAB>LINE" lines as if streamed (a line without a tab
 * belongs to pod "-"). OPSDECK_LOGS_REPLAY names one at start-up.
 */
enum od_status logs_pane_load_file(struct pane *p, const char *path, struct err *e);

/* Writes the whole buffer (with pod prefixes, filter ignored) to path, mode 0600, new file. */
enum od_status logs_pane_save(struct pane *p, const char *path, struct err *e);

/* Lines held (memory and spill file), and lines shown under the current filter. */
uint64_t logs_pane_count(struct pane *p);
uint64_t logs_pane_visible(struct pane *p);

/* Brings the filter index and summary up to date (what recalc does), for benchmarks. */
enum od_status logs_pane_sync(struct pane *p, struct err *e);

/* Shows the previous container's logs (true) or the current (false), as P toggles. */
void logs_pane_set_previous(struct pane *p, bool previous);

/*
 * Follows every pod of namespace ns whose labels match the label selector
 * (kubectl's syntax: "app=web,tier!=cache"), new pods as they appear; the
 * Pods pane's selection no longer moves the target. A NULL or "" selector
 * goes back to following the selection.
 */
enum od_status logs_pane_follow_selector(struct pane *p, const char *ns, const char *selector,
					struct err *e);

/* The `:logs -l SELECTOR` command (`:logs` alone: the selection again). */
struct app;
enum od_status logs_command(struct app *app, const char *arg, struct err *e);

#endif
