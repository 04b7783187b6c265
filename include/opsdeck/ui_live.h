/*
 * ui_live.h: the dashboard's live side. It connects to the context the
 * status bar names (kube_conn_open), feeds the Pods pane from an
 * informer-backed pod cache (with CPU and memory from metrics.k8s.io when
 * served), the Events pane from an events watch merged with the store's
 * archive, and the Nodes pane from a node watch; it probes the API once a
 * second for the round-trip time and marks the screen "stale since HH:MM"
 * within 2 s of losing it, keeping the last rows; it saves the last-known
 * pod rows to the store (throttled) and runs the collector in the same loop
 * so history accrues while the dashboard is open; while the Triage view is
 * shown it LISTs Deployments and StatefulSets every TRIAGE_WORKLOADS_POLL_S
 * for it (pane_triage_set_workloads). :ns and :ctx rebuild all
 * of it for the new target, painting that context's last-known rows first.
 */
#ifndef OPSDECK_UI_LIVE_H
#define OPSDECK_UI_LIVE_H

#include <stdbool.h>

#include "opsdeck/err.h"
#include "opsdeck/profile.h"
#include "opsdeck/ui_app.h"

/*
 * The API is probed every LIVE_PROBE_MS (checked every LIVE_TICK_MS, so at
 * most PROBE + TICK apart); stale is declared when nothing answered for
 * LIVE_STALE_MS, so a hung API shows "stale" within STALE + TICK = 2 s of its
 * last answer, and one that refuses or resets at once.
 */
#define LIVE_TICK_MS 250
#define LIVE_PROBE_MS 1000
#define LIVE_STALE_MS 1750
/* Metrics are read this often (kubectl top's data changes every 15 s or so). */
#define LIVE_METRICS_MS 10000
/* Last-known rows are written at most this often, and only when they changed. */
#define LIVE_SAVE_MS 5000

struct live_opts {
	const char *kubeconfig;     /* borrowed: --kubeconfig, NULL for $KUBECONFIG */
	const char *db_path;        /* borrowed: --db, NULL for the default history.db */
	long request_timeout_ms;    /* 0: none */
	bool all_namespaces;        /* -A at start */
	bool collect;               /* run the collector in the loop */
	const char *profile;        /* borrowed: --profile NAME, or NULL to match one */
};

struct ui_live;   /* opaque; owned by whoever called live_new */

/*
 * Paints the last-known state of the app's context at once, then connects.
 * app is borrowed and must outlive the live side; it takes over the app's
 * pod, event and node sources and its switch hook.
 */
enum od_status live_new(struct app *app, const struct live_opts *o, struct ui_live **out,
			struct err *e);
/* Stops every request and timer; sets *l = NULL. */
void live_free(struct ui_live **l);

#endif
