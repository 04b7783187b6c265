/*
 * ui_actionmenu.h: the model of the dashboard's action menu (`a` on a row):
 * which guarded actions (actions.h) apply to the selected pod and its
 * workload, which are disabled and why, the letter that picks each, the
 * undo count from the audit log, and the checks of what is typed into the
 * menu's prompts. Nothing here draws or talks to the cluster; pane_action.c
 * draws the menu and drives the engine.
 */
#ifndef OPSDECK_UI_ACTIONMENU_H
#define OPSDECK_UI_ACTIONMENU_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

enum am_item {
	AM_RESTART,
	AM_DELETE,
	AM_SCALE,
	AM_SNAPSHOT,
	AM_RESTORE,
	AM_ROLLBACK,
	AM_UNDO_SCALE,
	AM_ITEM_COUNT
};

#define AM_NAME_MAX 256
#define AM_REASON_MAX 256
#define AM_PVCS_MAX 1024

/* What the menu acts on: a pod and the workload that owns it. */
struct am_target {
	char ns[64];
	char pod[AM_NAME_MAX];
	char wkind[32];             /* "Deployment", "StatefulSet", "DaemonSet", or "" */
	char wname[AM_NAME_MAX];
	char ref[AM_NAME_MAX + 8];   /* "deploy/web" as the builders take it, or "" */
	char object[AM_NAME_MAX + 32]; /* "deployment.apps/web" as audited, or "" */
	char pvcs[AM_PVCS_MAX];     /* the pod's PVCs, comma-separated ("" none) */
	bool pvcs_known;            /* false: the row has no volumes to read (stored rows) */
};

/* What the menu needs to know besides the target. */
struct am_facts {
	bool read_only;             /* --read-only or readOnly in config.yaml */
	long undo_before;           /* the recorded count before the last scale; -1: none */
	long undo_after;            /* that scale's count (the undo's precondition) */
};

struct am_entry {
	enum am_item item;
	char key;                   /* the letter that picks it in the menu */
	char label[AM_PVCS_MAX + 64];
	bool enabled;
	char reason[AM_REASON_MAX]; /* why it is disabled */
};

struct actionmenu {
	struct am_target t;
	struct am_entry v[AM_ITEM_COUNT];
	int sel;                    /* the highlighted entry */
};

#define AM_READ_ONLY_REASON "read-only: actions are disabled"

/*
 * Fills t from a Pods row: namespace, pod name and the owner column
 * ("Deployment/web", "StatefulSet/db", "" for a bare pod; a stored row's
 * "ReplicaSet/web-5d4f8" counts for its Deployment "web").
 */
void actionmenu_target(struct am_target *t, const char *ns, const char *pod, const char *owner);

/* Builds the entries for t under f; the first enabled entry is selected. */
void actionmenu_build(struct actionmenu *m, const struct am_target *t, const struct am_facts *f);

/* The entry picked by letter key, or NULL. */
const struct am_entry *actionmenu_by_key(const struct actionmenu *m, int key);

/* Moves the selection by delta (wrapping). */
void actionmenu_move(struct actionmenu *m, int delta);

/*
 * The newest applied scale of object (as audited, "deployment.apps/web") in
 * context/ns from the audit log: *before and *after, true when there is one.
 */
bool actionmenu_find_undo(struct store *st, const char *context, const char *ns,
			  const char *object, long *before, long *after, struct err *e);

/* A replica count typed into the scale prompt: 0..100000, else -1. */
long actionmenu_parse_count(const char *s);

/*
 * The delete prompt: "" (the pod's own grace period: -1), seconds, or "f"/
 * "force" (grace period 0 and a second confirmation). False when invalid.
 */
bool actionmenu_parse_grace(const char *s, long *grace, bool *force);

/* A DNS-1123 subdomain name (the new PVC of a restore, a snapshot name). */
bool actionmenu_valid_name(const char *s);

/* The n-th (0-based) item of a comma-separated list into out; false past the end. */
bool actionmenu_list_item(const char *list, size_t n, char *out, size_t len);

#endif
