/*
 * ui_pane_trends.h: the Trends pane. CPU, memory, restarts and PVC usage of
 * the selected pod, of its workload (sum, with each pod's avg/max), or of a
 * PVC, over 1h, 6h, 24h, 7d or 30d read from the history store (the store
 * picks the tier). The profile's expected range is a band; restarts,
 * actions (audit) and Warning events are marked on the time axis; storage
 * gets a linear forecast. The store is polled every TRENDS_POLL_S seconds
 * while the window ends now, so live ticks appear as the collector writes.
 * With a remote source on (trends_pane_set_remote: Prometheus), the metric
 * charts come from its range queries, run in the loop and asked again every
 * TRENDS_REMOTE_POLL_S while live; markers still come from the store.
 */
#ifndef OPSDECK_UI_PANE_TRENDS_H
#define OPSDECK_UI_PANE_TRENDS_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/loop.h"
#include "opsdeck/store_series.h"
#include "opsdeck/ui_pane.h"

#define TRENDS_POLL_S 2
/* Live windows read from a remote source (Prometheus) again this often. */
#define TRENDS_REMOTE_POLL_S 20

/*
 * Another history source for the pane's metric charts (Prometheus), given
 * by the program (app_opts.trends_source) so that the UI library does not
 * pull in its client. Requests run in the app's loop and never block it;
 * markers (restarts, actions, events) still come from the store.
 */
struct trends_query {               /* borrowed by start, which copies what it keeps */
	enum store_metric metric;       /* CPU, MEMORY, RESTARTS, STORAGE_USED, STORAGE_CAPACITY */
	const char *namespace_;
	const char *pod;                /* one pod, or NULL */
	const char *pod_prefix;         /* a workload's pods: names starting with this, or NULL */
	const char *pvc;                /* a PVC (storage metrics), or NULL */
	int64_t from, to, step;         /* Unix seconds */
	bool step_average;              /* each point averages the step before it (the weekly average) */
};

/* One answer: points summed over the series at each time; owned by the source. */
struct trends_points {
	const int64_t *t;
	const double *v;
	size_t n;
	size_t nseries;
};

/* Called once per started query (never after close); e is set when st != OD_OK. */
typedef void (*trends_done_fn)(void *arg, enum od_status st, const struct trends_points *pts,
			       const struct err *e);

struct trends_source_ops {
	const char *name;               /* "prometheus": the --source value and the header's word */
	/*
	 * The source of context in lp's loop; *out NULL (and OD_OK) when the
	 * context has none configured. where gets its URL for messages, without
	 * any user:password.
	 */
	enum od_status (*open)(struct loop *lp, const char *context, void **out, char *where,
			       size_t nwhere, struct err *e);
	/* Cancels whatever is in flight (no callbacks) and frees; sets *src = NULL. */
	void (*close)(void **src);
	enum od_status (*start)(void *src, const struct trends_query *q, trends_done_fn done,
				void *arg, struct err *e);
};

/* The pane's ops (pane_trends_ops in pane_note.c is the placeholder it replaces). */
extern const struct pane_ops trends_pane_ops;

enum trends_mode { TRENDS_MODE_POD, TRENDS_MODE_WORKLOAD, TRENDS_MODE_PVC, TRENDS_MODE_COUNT };

/* Reads history from path instead of the default database (borrowed, copied). */
void trends_pane_set_db(struct pane *p, const char *path);

/*
 * Shows a target chosen by name rather than the Pods pane's selection:
 * mode, namespace and object (a pod, "Deployment/web", or a PVC name).
 * NULL ns/object go back to following the selection.
 */
void trends_pane_set_target(struct pane *p, enum trends_mode mode, const char *ns,
			    const char *object);

/* The window ends at t (Unix seconds); 0 goes back to live. */
void trends_pane_set_time(struct pane *p, int64_t t);

/*
 * `:history TIME`: TIME is RFC 3339, Unix seconds, "-2h"/"-3d" (ago) or
 * "now". Shaped like a ui_command run function, so the command table can
 * point at it; the Trends pane is app->panes[1].
 */
enum od_status trends_command_history(struct app *app, const char *arg, struct err *e);

/*
 * Reads the metric charts from the store (remote false) or from the
 * app's trends source (app_opts.trends_source). Markers stay the store's.
 */
void trends_pane_set_remote(struct pane *p, bool remote);

/* `:source store|prometheus`, shaped like a ui_command run function. */
enum od_status trends_command_source(struct app *app, const char *arg, struct err *e);

/* Parses a :history TIME relative to now; false when it is not a time. */
bool trends_parse_time(const char *s, int64_t now, int64_t *out);

#endif
