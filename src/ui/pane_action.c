/*
 * pane_action.c: the action overlay (ui_pane_action.h). One session at a
 * time: the menu for the selected pod, the prompts an action needs, then
 * the engine's steps on the dashboard's loop (action_step_start): plan,
 * dry run, confirm, apply, follow. The builders (step 1) never wait: their
 * GETs are answered from the session's action_gets; one it does not hold is
 * fetched on the loop (action_gets_fetch) while the overlay says what it is
 * waiting for, and the builder runs again when the answer is in. Keys, the
 * watches and signals go on meanwhile, and Esc cancels the GET. Every step
 * leaves its audit row as the headless commands do.
 */
#include <curses.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/action_build.h"
#include "opsdeck/actions.h"
#include "opsdeck/apiclock.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/profile.h"
#include "opsdeck/settings.h"
#include "opsdeck/store.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_pane_action.h"
#include "opsdeck/ui_progress.h"

enum act_state {
	ACT_CLOSED,
	ACT_MENU,       /* choosing an entry */
	ACT_INPUT,      /* a prompt: replicas, grace period, PVC, revision, names */
	ACT_BUSY,       /* a request in flight (dry run, apply) */
	ACT_CONFIRM,    /* the plan and the dry run shown: y/Enter, s (snapshot first), Esc */
	ACT_TYPE,       /* the object's name typed out */
	ACT_FORCE,      /* the second question of a forced deletion */
	ACT_FOLLOW,     /* polling, with the progress bar */
	ACT_DONE        /* finished, failed, refused or timed out: Esc closes */
};

enum act_prompt {
	PROMPT_REPLICAS, PROMPT_GRACE, PROMPT_PVC, PROMPT_SNAPSHOT_NAME, PROMPT_RESTORE_FROM,
	PROMPT_RESTORE_TO, PROMPT_REVISION
};

#define ACT_TEXT_MAX 4096

/* What runs again when a GET it wanted has come in (action_gets). */
enum act_job {
	JOB_NONE,
	JOB_PLAN,        /* step 1 for the chosen item */
	JOB_SNAPSHOT,    /* step 1 of a snapshot taken first */
	JOB_REFRESH,     /* plan->refresh after a 409 Conflict */
	JOB_REVISIONS,   /* the rollout history above the revision prompt */
	JOB_SNAPSHOTS    /* the snapshots above the restore prompt */
};

struct act {
	struct app *app;                  /* borrowed */
	enum act_state state;
	struct actionmenu menu;
	enum am_item item;

	/* the connection and the settings: opened per session */
	struct kube_target *target;       /* owned */
	struct kube_conn *conn;           /* owned; borrows the app's loop */
	struct store *st;                 /* owned: the audit log; NULL when it cannot open */
	struct settings *settings;        /* owned */
	struct context_settings cs;       /* borrows settings */
	struct profile_catalog *cat;      /* owned; may be NULL */
	const struct profile *profile;    /* borrowed from cat */
	char os_user[64];
	struct action_ctx ctx;            /* borrows the above */
	bool read_only;
	struct action_gets *gets;         /* owned: the builders' GETs, fetched on the loop */
	enum act_job job;                 /* what runs again when a fetched GET is in */

	/* the action under way */
	struct action_plan *plan;         /* owned: the action chosen */
	struct action_plan *snap;         /* owned: a snapshot taken first, while it runs */
	struct action_plan *cur;          /* borrowed: plan or snap, what the steps run */
	bool snapshot_first;
	size_t snap_next;                 /* the next PVC of plan->snapshot_pvcs */
	struct action_step_call *call;    /* owned by the engine until its callback */
	uint64_t timer;                   /* the next poll */
	uint64_t follow_t0;
	int conflicts;

	/* prompts */
	enum act_prompt prompt;
	char prompt_text[256];
	char input[256];
	char choices[ACT_TEXT_MAX];       /* lines shown above a prompt (revisions, snapshots) */
	char restore_from[AM_NAME_MAX];
	char snap_pvc[AM_NAME_MAX];       /* the PVC of the snapshot being built */
	long replicas, grace;
	bool force;
	int64_t revision;

	/* what the overlay shows */
	char dry[ERR_MSG_MAX + 64];
	bool dry_ok;
	char applied[512];
	char line[ERR_MSG_MAX];
	double frac;
	char result[ERR_MSG_MAX + 128];
	bool failed;
	char note[512];                   /* a one-line remark under the menu */
};

static void changed(struct act *a)
{
	struct pane *p = &a->app->action;

	p->dirty = true;
	a->app->dirty_bottom = true;
}

/* Repaints now: called from loop callbacks (step results, timers). */
static void repaint_now(struct act *a)
{
	changed(a);
	app_update(a->app);
}

/* ---- the session's connection ---- */

static void conn_warn(const char *msg, void *arg)
{
	struct act *a = arg;

	app_message(a->app, false, "%s", msg);
}

/* The engine's warnings (an audit row that cannot be written): the status line, not stderr. */
static void engine_warn(const char *msg, void *arg)
{
	struct act *a = arg;

	app_message(a->app, true, "%s", msg);
}

static void session_close(struct act *a)
{
	if (a->call)
		action_step_cancel(&a->call);
	/* before the connection: a GET in flight is the client's */
	action_gets_free(&a->gets);
	a->ctx.gets = NULL;
	a->job = JOB_NONE;
	if (a->timer)
		loop_timer_cancel(a->app->loop, a->timer);
	a->timer = 0;
	action_plan_free(&a->snap);
	action_plan_free(&a->plan);
	a->cur = NULL;
	kube_conn_free(&a->conn);
	kube_target_free(&a->target);
	store_close(&a->st);
	profile_catalog_free(&a->cat);
	a->profile = NULL;
	settings_free(&a->settings);
	a->state = ACT_CLOSED;
}

static void os_user(char *out, size_t n)
{
	struct passwd *pw = getpwuid(getuid());
	const char *u = pw && pw->pw_name ? pw->pw_name : getenv("USER");

	snprintf(out, n, "%s", u ? u : "?");
}

/* Settings, the audit log and the kubeconfig target; the connection comes later. */
static enum od_status session_open(struct act *a, struct err *e)
{
	struct app *app = a->app;
	struct kubeconfig_source src;
	struct store_settings ss;
	enum od_status rc;

	rc = settings_load(NULL, &a->settings, e);
	if (rc != OD_OK)
		return rc;
	kubeconfig_source_from_env(&src, app->opts.kubeconfig);
	rc = kube_target_load(&src, app_context_flag(app), a->menu.t.ns, &a->target, e);
	if (rc != OD_OK)
		return rc;
	settings_for_context(a->settings, a->target->context, &a->cs);
	/* the dashboard's own store checked the file at start: no quick_check mid-write */
	store_settings_default(&ss);
	ss.quick_check = false;
	rc = store_open(app->opts.db_path, &ss, &a->st, e);
	if (rc != OD_OK)
		return err_prefix(e, "the audit log cannot be opened"), rc;
	if (profile_catalog_load(&a->cat, e) == OD_OK)
		a->profile = profile_catalog_match(a->cat, a->target->context, a->target->namespace_);
	err_clear(e);
	rc = action_gets_new(&a->gets, e);
	if (rc != OD_OK)
		return rc;
	os_user(a->os_user, sizeof a->os_user);
	a->read_only = app->status.read_only || a->cs.read_only;
	a->ctx = (struct action_ctx){
		.store = a->st,
		.context = a->target->context ? a->target->context : "in-cluster",
		.kube_user = a->target->user ? a->target->user : "",
		.os_user = a->os_user,
		.read_only = a->read_only,
		.protected_ = a->cs.protected_,
		.gets = a->gets,
		.warn = engine_warn,
		.warn_arg = a,
	};
	return OD_OK;
}

static enum od_status session_connect(struct act *a, struct err *e)
{
	/* a hung API must not leave the overlay waiting for ever (Esc stops it sooner) */
	struct kube_conn_opts o = { .request_timeout_ms = 30000, .warn = conn_warn,
				    .warn_arg = a };
	enum od_status rc;

	if (a->conn)
		return OD_OK;
	rc = kube_conn_open(a->app->loop, a->target, &o, &a->conn, e);
	if (rc == OD_OK)
		a->ctx.http = a->conn->http;
	return rc;
}

/* The builders' target, with the profile's hints (as the headless commands fill it). */
static void fill_target(struct act *a, const char *type, const char *name,
			struct action_target *t)
{
	const struct profile_workload *w = NULL;

	memset(t, 0, sizeof *t);
	t->namespace_ = a->menu.t.ns;
	t->type = type;
	t->name = name;
	t->now = a->conn ? api_now(http_client_clock(a->conn->http)) : time_now();
	if (!a->profile)
		return;
	t->profile_snapshot_class = a->profile->snapshot_class;
	if (a->menu.t.wkind[0] && strchr(type, '/')) {
		char ref[AM_NAME_MAX + 32];
		char kind[32];

		snprintf(kind, sizeof kind, "%s", a->menu.t.wkind);
		for (char *c = kind; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		snprintf(ref, sizeof ref, "%s/%s", kind, a->menu.t.wname);
		w = profile_find_workload(a->profile, ref);
	}
	t->profile_stateful = w && w->stateful;
	for (size_t i = 0; name && i < a->profile->npvcs; i++)
		if (strcmp(a->profile->pvcs[i].name, name) == 0 && a->profile->pvcs[i].snapshot_class)
			t->profile_snapshot_class = a->profile->pvcs[i].snapshot_class;
}

/* ---- outcomes ---- */

static void finish(struct act *a, bool failed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void finish(struct act *a, bool failed, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->result, sizeof a->result, fmt, ap);
	va_end(ap);
	a->failed = failed;
	a->state = ACT_DONE;
	changed(a);
}

static void audit_refuse(struct act *a, const struct action_plan *p, const char *why)
{
	action_audit(&a->ctx, p->kind, p, NULL, NULL, "refuse", 0, 0, "refused", why);
}

/* ---- GETs on the loop ---- */

static void job_run(struct act *a);

static void fetched(void *arg)
{
	struct act *a = arg;

	job_run(a);
	repaint_now(a);
}

/*
 * After a builder ran with job set: when it wanted a GET not held yet, starts
 * it (the builder runs again from fetched) and returns true; the overlay
 * says what it waits for.
 */
static bool need_get(struct act *a, enum act_job job)
{
	struct err e = { 0 };
	const char *path = action_gets_wanted(a->gets);

	if (!action_gets_missed(a->gets))
		return false;
	a->job = job;
	a->state = ACT_BUSY;
	snprintf(a->line, sizeof a->line, "loading... (waiting for the API server: GET %.400s)",
		 path ? path : "?");
	if (action_gets_fetch(a->gets, a->conn->http, fetched, a, &e) != OD_OK) {
		a->job = JOB_NONE;
		finish(a, true, "%s", e.msg);
	}
	changed(a);
	return true;
}

/* ---- steps ---- */

static void on_step(const struct action_step_result *r, void *arg);

static void start_step(struct act *a, enum action_step step)
{
	struct err e = { 0 };

	a->call = NULL;
	if (action_step_start(&a->ctx, a->cur, step, on_step, a, &a->call, &e) != OD_OK)
		finish(a, true, "%s", e.msg);
}

static void poll_tick(struct loop *lp, uint64_t id, void *arg)
{
	struct act *a = arg;

	(void)lp;
	(void)id;
	a->timer = 0;
	start_step(a, ACTION_STEP_POLL);
	repaint_now(a);
}

static void apply_now(struct act *a)
{
	a->state = ACT_BUSY;
	a->conflicts = 0;
	snprintf(a->line, sizeof a->line, "applying %s...", a->cur->kind_name);
	start_step(a, ACTION_STEP_APPLY);
	changed(a);
}

static void snapshot_next(struct act *a);

/* The current plan finished following (or had nothing to follow). */
static void followed(struct act *a, int64_t ms)
{
	if (a->cur == a->snap && a->snap) {
		action_audit(&a->ctx, a->snap->kind, a->snap, NULL, NULL, "result", 0, ms, "ok",
			     a->line);
		action_plan_free(&a->snap);
		a->cur = NULL;
		snapshot_next(a);
		return;
	}
	action_audit(&a->ctx, a->plan->kind, a->plan, NULL, NULL, "result", 0, ms, "ok", a->line);
	a->frac = 1.0;
	finish(a, false, "done: %s", a->line[0] ? a->line : a->plan->done_message);
}

static void snapshot_failed(struct act *a, const char *why)
{
	char pvc[AM_NAME_MAX] = "";

	if (a->snap)
		snprintf(pvc, sizeof pvc, "%s", a->snap->name);
	finish(a, true, "the snapshot %s failed; %s was not started: %s", pvc,
	       a->plan->kind_name, why);
}

/* plan->refresh after a 409, then the apply again (JOB_REFRESH). */
static void refresh_run(struct act *a)
{
	struct err e = { 0 };
	enum od_status rc;

	a->job = JOB_NONE;
	rc = (*a->cur->refresh)(&a->ctx, a->cur, &e);
	if (need_get(a, JOB_REFRESH))
		return;
	if (rc == OD_OK) {
		snprintf(a->line, sizeof a->line, "applying %s...", a->cur->kind_name);
		start_step(a, ACTION_STEP_APPLY);
		return;
	}
	finish(a, true, "%s", e.msg);
}

static void on_step(const struct action_step_result *r, void *arg)
{
	struct act *a = arg;
	struct action_plan *p = a->cur;

	a->call = NULL;
	if (!p)
		return;
	switch (r->step) {
	case ACTION_STEP_DRY_RUN:
		a->dry_ok = r->status == OD_OK;
		if (p == a->snap) {
			if (!a->dry_ok) {
				snapshot_failed(a, r->err ? r->err->msg : "dry run refused");
				break;
			}
			action_audit(&a->ctx, p->kind, p, NULL, NULL, "confirm", 0, 0, "ok",
				     "snapshot first, confirmed with the action it comes before");
			apply_now(a);
			break;
		}
		if (a->dry_ok) {
			snprintf(a->dry, sizeof a->dry, "Dry run (server, dryRun=All): accepted");
			a->state = ACT_CONFIRM;
		} else {
			snprintf(a->dry, sizeof a->dry, "Dry run (server, dryRun=All): refused");
			finish(a, true, "%s", r->err && r->err->msg[0] ? r->err->msg
								       : od_status_text(r->status));
		}
		break;
	case ACTION_STEP_APPLY:
		if (r->status != OD_OK && r->http_code == 409 && p->refresh && a->conflicts < 5) {
			/* kubectl's scaler reads the Scale again and retries */
			a->conflicts++;
			action_gets_clear(a->gets);
			refresh_run(a);
			break;
		}
		if (r->status != OD_OK) {
			const char *m = r->err && r->err->msg[0] ? r->err->msg
								 : od_status_text(r->status);

			if (p == a->snap)
				snapshot_failed(a, m);
			else
				finish(a, true, "%s", m);
			break;
		}
		if (p == a->plan)
			snprintf(a->applied, sizeof a->applied, "%s", p->done_message);
		a->state = ACT_FOLLOW;
		a->frac = 0;
		a->follow_t0 = time_mono_ms();
		snprintf(a->line, sizeof a->line, "%s", p->done_message);
		if (p->follow == ACTION_FOLLOW_NONE) {
			followed(a, 0);
			break;
		}
		start_step(a, ACTION_STEP_POLL);
		break;
	case ACTION_STEP_POLL: {
		int64_t ms = (int64_t)(time_mono_ms() - a->follow_t0);

		snprintf(a->line, sizeof a->line, "%s", r->line ? r->line : "");
		a->frac = progress_fraction(a->line, r->progress == ACTION_PROGRESS_DONE);
		if (r->progress == ACTION_PROGRESS_DONE) {
			followed(a, ms);
		} else if (r->progress == ACTION_PROGRESS_FAILED) {
			action_audit(&a->ctx, p->kind, p, NULL, NULL, "result", 0, ms, "failed",
				     a->line);
			if (p == a->snap)
				snapshot_failed(a, a->line);
			else
				finish(a, true, "failed: %s", a->line);
		} else if (ms >= PANE_ACTION_TIMEOUT_MS) {
			action_audit(&a->ctx, p->kind, p, NULL, NULL, "result", 0, ms, "timeout",
				     a->line);
			finish(a, true, "timed out waiting for the condition (%s); the change "
			       "stays applied", a->line);
		} else {
			a->timer = loop_timer_add(a->app->loop, PANE_ACTION_POLL_MS, 0, poll_tick, a);
		}
		break;
	}
	}
	repaint_now(a);
}

/* --snapshot-first in the overlay: each PVC's snapshot through the steps, then the action. */
static void snapshot_build(struct act *a);

static void snapshot_next(struct act *a)
{
	if (!a->plan->snapshot_pvcs ||
	    !actionmenu_list_item(a->plan->snapshot_pvcs, a->snap_next, a->snap_pvc,
				  sizeof a->snap_pvc)) {
		a->cur = a->plan;
		apply_now(a);
		return;
	}
	a->snap_next++;
	a->cur = NULL;   /* nothing in flight while the snapshot is planned */
	a->state = ACT_BUSY;
	snprintf(a->line, sizeof a->line, "snapshot first: planning pvc/%s...", a->snap_pvc);
	action_gets_clear(a->gets);
	snapshot_build(a);
}

/* Step 1 of the snapshot of a->snap_pvc (JOB_SNAPSHOT), then its dry run. */
static void snapshot_build(struct act *a)
{
	const char *pvc = a->snap_pvc;
	struct action_target t;
	struct action_snapshot_opts so = { 0 };
	struct err e = { 0 };
	enum od_status rc;

	a->job = JOB_NONE;
	action_plan_free(&a->snap);
	fill_target(a, "pvc", pvc, &t);
	rc = action_build_snapshot(&a->ctx, &t, &so, &a->snap, &e);
	if (need_get(a, JOB_SNAPSHOT)) {
		action_plan_free(&a->snap);
		return;
	}
	if (rc != OD_OK) {
		action_audit(&a->ctx, ACTION_SNAPSHOT, NULL, a->menu.t.ns, pvc, "plan", 0, 0,
			     "failed", e.msg);
		finish(a, true, "the snapshot of pvc/%s failed; %s was not started: %s", pvc,
		       a->plan->kind_name, e.msg);
		return;
	}
	action_audit(&a->ctx, ACTION_SNAPSHOT, a->snap, NULL, NULL, "plan", 0, 0, "ok", NULL);
	a->cur = a->snap;
	a->state = ACT_BUSY;
	snprintf(a->line, sizeof a->line, "snapshot first: %s", a->snap->kind_name);
	start_step(a, ACTION_STEP_DRY_RUN);
	changed(a);
}

/* The user said yes (and typed what was asked): audit, then snapshots or apply. */
static void confirmed(struct act *a)
{
	action_audit(&a->ctx, a->plan->kind, a->plan, NULL, NULL, "confirm", 0, 0, "ok", NULL);
	if (a->snapshot_first) {
		a->snap_next = 0;
		snapshot_next(a);
		return;
	}
	a->cur = a->plan;
	apply_now(a);
}

static void after_proceed(struct act *a)
{
	if (a->plan->type_name || a->ctx.protected_) {
		a->state = ACT_TYPE;
		a->input[0] = '\0';
		changed(a);
		return;
	}
	if (a->plan->force) {
		a->state = ACT_FORCE;
		changed(a);
		return;
	}
	confirmed(a);
}

static void plan_build(struct act *a);

/* Step 1 for the chosen item with what the prompts gathered, then the dry run. */
static void plan_and_check(struct act *a)
{
	action_plan_free(&a->plan);
	a->state = ACT_BUSY;
	a->dry[0] = a->applied[0] = a->result[0] = a->line[0] = '\0';
	snprintf(a->line, sizeof a->line, "planning...");
	action_gets_clear(a->gets);   /* read afresh: the prompts may have taken a while */
	plan_build(a);
	changed(a);
}

/* The builder (JOB_PLAN): run again from the start each time a GET it wanted is in. */
static void plan_build(struct act *a)
{
	struct action_target t;
	struct err e = { 0 };
	enum od_status rc = OD_OK;
	enum action_kind kind = ACTION_RESTART;
	const char *object = a->menu.t.object;
	struct am_target *mt = &a->menu.t;
	char pvc[AM_NAME_MAX];

	a->job = JOB_NONE;
	action_plan_free(&a->plan);
	switch (a->item) {
	case AM_RESTART:
		fill_target(a, mt->ref, NULL, &t);
		rc = action_build_restart(&a->ctx, &t, &a->plan, &e);
		break;
	case AM_DELETE: {
		struct action_delete_opts o = { .grace_period = a->grace, .force = a->force };

		kind = ACTION_DELETE;
		object = mt->pod;
		fill_target(a, "pod", mt->pod, &t);
		rc = action_build_delete(&a->ctx, &t, &o, &a->plan, &e);
		break;
	}
	case AM_SCALE:
	case AM_UNDO_SCALE: {
		struct action_scale_opts o = { .replicas = a->replicas, .current_replicas = -1 };
		long before, after;

		kind = ACTION_SCALE;
		if (a->item == AM_UNDO_SCALE) {
			if (!actionmenu_find_undo(a->st, a->ctx.context, mt->ns, mt->object, &before,
						  &after, &e)) {
				finish(a, true, "error: no earlier scale of %s in namespace %s in the "
				       "audit log: nothing to undo", mt->object, mt->ns);
				break;
			}
			o.replicas = before;
			o.current_replicas = after;
		}
		fill_target(a, mt->ref, NULL, &t);
		rc = action_build_scale(&a->ctx, &t, &o, &a->plan, &e);
		break;
	}
	case AM_SNAPSHOT: {
		struct action_snapshot_opts o = { .name = a->input[0] ? a->input : NULL };

		kind = ACTION_SNAPSHOT;
		snprintf(pvc, sizeof pvc, "%s", a->restore_from);
		object = pvc;
		fill_target(a, "pvc", pvc, &t);
		rc = action_build_snapshot(&a->ctx, &t, &o, &a->plan, &e);
		break;
	}
	case AM_RESTORE:
		kind = ACTION_RESTORE;
		object = a->restore_from;
		fill_target(a, "volumesnapshot", a->restore_from, &t);
		rc = action_build_restore(&a->ctx, &t, a->input, &a->plan, &e);
		break;
	case AM_ROLLBACK:
		kind = ACTION_ROLLBACK;
		fill_target(a, mt->ref, NULL, &t);
		rc = action_build_rollback(&a->ctx, &t, a->revision, &a->plan, &e);
		break;
	case AM_ITEM_COUNT:
		break;
	}
	if (a->state != ACT_BUSY)
		return;   /* the undo found nothing: already finished */
	if (need_get(a, JOB_PLAN)) {
		action_plan_free(&a->plan);   /* built on missing answers: built again */
		return;
	}
	if (rc != OD_OK) {
		action_audit(&a->ctx, kind, NULL, mt->ns, object, "plan", 0, 0, "failed", e.msg);
		finish(a, true, "%s", e.msg);
		return;
	}
	action_audit(&a->ctx, a->plan->kind, a->plan, NULL, NULL, "plan", 0, 0,
		     a->plan->refusal ? "refused" : "ok", a->plan->refusal);
	if (a->plan->refusal) {
		finish(a, true, "%s", a->plan->refusal);
		return;
	}
	a->cur = a->plan;
	snprintf(a->line, sizeof a->line, "dry run (dryRun=All) in flight...");
	start_step(a, ACTION_STEP_DRY_RUN);
	changed(a);
}

/* ---- prompts ---- */

static void ask(struct act *a, enum act_prompt pr, const char *text, const char *prefill)
{
	a->state = ACT_INPUT;
	a->prompt = pr;
	snprintf(a->prompt_text, sizeof a->prompt_text, "%s", text);
	snprintf(a->input, sizeof a->input, "%.250s", prefill ? prefill : "");
	a->note[0] = '\0';
	changed(a);
}

static void add_choice(struct act *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_choice(struct act *a, const char *fmt, ...)
{
	size_t len = strlen(a->choices);
	va_list ap;

	if (len + 2 >= sizeof a->choices)
		return;
	va_start(ap, fmt);
	vsnprintf(a->choices + len, sizeof a->choices - len, fmt, ap);
	va_end(ap);
	len = strlen(a->choices);
	if (len + 1 < sizeof a->choices) {
		a->choices[len] = '\n';
		a->choices[len + 1] = '\0';
	}
}

/* The rollout history shown above the revision prompt. */
static void list_revisions(struct act *a)
{
	cJSON *w = NULL;
	struct rollout_history h = { 0 };
	struct err e = { 0 };

	if (action_load_history(&a->ctx, a->menu.t.ns, a->menu.t.ref, &w, &h, &e) != OD_OK) {
		add_choice(a, "(the history cannot be read: %s)", e.msg);
		return;
	}
	add_choice(a, "REVISION  IMAGES");
	for (size_t i = 0; i < h.n; i++)
		add_choice(a, "%-8lld  %s%s", (long long)h.v[i].revision, h.v[i].images,
			   i + 1 == h.n ? "  (current)" : "");
	rollout_history_free(&h);
	cJSON_Delete(w);
}

/* The snapshots of the pod's PVCs, newest last; prefill receives the newest ready one. */
static void list_snapshots(struct act *a, char *prefill, size_t n)
{
	char path[512];
	cJSON *list = NULL, *it;
	struct err e = { 0 };

	prefill[0] = '\0';
	snprintf(path, sizeof path,
		 "/apis/snapshot.storage.k8s.io/v1/namespaces/%s/volumesnapshots", a->menu.t.ns);
	if (action_get_json(&a->ctx, path, &list, &e) != OD_OK) {
		add_choice(a, "(the snapshots cannot be listed: %s)", e.msg);
		return;
	}
	add_choice(a, "SNAPSHOT  (PVC, readyToUse)");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(it, "metadata");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(it, "spec"), "source");
		const cJSON *pvc = cJSON_GetObjectItemCaseSensitive(src, "persistentVolumeClaimName");
		const cJSON *rdy = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(it, "status"), "readyToUse");
		char want[AM_PVCS_MAX + 2], one[AM_NAME_MAX + 2];

		if (!cJSON_IsString(nm) || !cJSON_IsString(pvc))
			continue;
		snprintf(want, sizeof want, ",%s,", a->menu.t.pvcs);
		snprintf(one, sizeof one, ",%s,", pvc->valuestring);
		if (!strstr(want, one))
			continue;
		add_choice(a, "%s  (%s, %s)", nm->valuestring, pvc->valuestring,
			   cJSON_IsTrue(rdy) ? "true" : "false");
		if (cJSON_IsTrue(rdy))
			snprintf(prefill, n, "%s", nm->valuestring);
	}
	cJSON_Delete(list);
}

/* Enter on a prompt: check what was typed, then the next prompt or the plan. */
static void prompt_done(struct act *a)
{
	char pvc[AM_NAME_MAX];

	switch (a->prompt) {
	case PROMPT_REPLICAS:
		a->replicas = actionmenu_parse_count(a->input);
		if (a->replicas < 0) {
			snprintf(a->note, sizeof a->note, "a replica count, 0 or more");
			changed(a);
			return;
		}
		break;
	case PROMPT_GRACE:
		if (!actionmenu_parse_grace(a->input, &a->grace, &a->force)) {
			snprintf(a->note, sizeof a->note, "Enter, seconds, or f to force");
			changed(a);
			return;
		}
		break;
	case PROMPT_PVC:
		if (!actionmenu_valid_name(a->input)) {
			snprintf(a->note, sizeof a->note, "a PVC name");
			changed(a);
			return;
		}
		snprintf(a->restore_from, sizeof a->restore_from, "%s", a->input);
		ask(a, PROMPT_SNAPSHOT_NAME, "Snapshot name (Enter: <pvc>-manual-YYYYMMDD-HHMMSS):",
		    "");
		return;
	case PROMPT_SNAPSHOT_NAME:
		if (a->input[0] && !actionmenu_valid_name(a->input)) {
			snprintf(a->note, sizeof a->note, "a DNS-1123 name (lower case, digits, '-', '.')");
			changed(a);
			return;
		}
		break;
	case PROMPT_RESTORE_FROM:
		if (!actionmenu_valid_name(a->input)) {
			snprintf(a->note, sizeof a->note, "the name of a VolumeSnapshot");
			changed(a);
			return;
		}
		snprintf(a->restore_from, sizeof a->restore_from, "%s", a->input);
		actionmenu_list_item(a->menu.t.pvcs, 0, pvc, sizeof pvc);
		{
			char def[AM_NAME_MAX + 16];

			snprintf(def, sizeof def, "%.200s-restore", pvc);
			a->choices[0] = '\0';
			ask(a, PROMPT_RESTORE_TO, "New PVC name:", def);
		}
		return;
	case PROMPT_RESTORE_TO:
		if (!actionmenu_valid_name(a->input)) {
			snprintf(a->note, sizeof a->note, "a DNS-1123 name for the new PVC");
			changed(a);
			return;
		}
		break;
	case PROMPT_REVISION:
		if (!a->input[0]) {
			a->revision = 0;
		} else {
			long v = actionmenu_parse_count(a->input);

			if (v <= 0) {
				snprintf(a->note, sizeof a->note, "a revision number, or Enter");
				changed(a);
				return;
			}
			a->revision = v;
		}
		break;
	}
	a->choices[0] = '\0';
	plan_and_check(a);
}

/* ---- the menu ---- */

static void choose(struct act *a, const struct am_entry *en)
{
	struct err e = { 0 };
	char pvc[AM_NAME_MAX];

	if (!en->enabled) {
		if (a->read_only) {
			/* blocked, and written down like the headless refusal */
			static const enum action_kind kinds[AM_ITEM_COUNT] = {
				[AM_RESTART] = ACTION_RESTART, [AM_DELETE] = ACTION_DELETE,
				[AM_SCALE] = ACTION_SCALE, [AM_SNAPSHOT] = ACTION_SNAPSHOT,
				[AM_RESTORE] = ACTION_RESTORE, [AM_ROLLBACK] = ACTION_ROLLBACK,
				[AM_UNDO_SCALE] = ACTION_SCALE,
			};
			const char *obj = en->item == AM_DELETE || !a->menu.t.object[0]
						  ? a->menu.t.pod
						  : a->menu.t.object;

			(void)action_check_writable(&a->ctx, kinds[en->item], a->menu.t.ns, obj, &e);
			snprintf(a->note, sizeof a->note, "%s", e.msg[0] ? e.msg : en->reason);
		} else {
			snprintf(a->note, sizeof a->note, "%c: %s", en->key, en->reason);
		}
		changed(a);
		return;
	}
	a->item = en->item;
	a->choices[0] = '\0';
	a->snapshot_first = false;
	a->snap_next = 0;
	a->grace = -1;
	a->force = false;
	a->revision = 0;
	if (session_connect(a, &e) != OD_OK) {
		finish(a, true, "%s", e.msg);
		return;
	}
	switch (en->item) {
	case AM_RESTART:
	case AM_UNDO_SCALE:
		plan_and_check(a);
		break;
	case AM_DELETE:
		ask(a, PROMPT_GRACE,
		    "Grace period: Enter = the pod's own, seconds (e.g. 0, 30), or f = force:", "");
		break;
	case AM_SCALE:
		ask(a, PROMPT_REPLICAS, "Replicas (0 isolates: the name will be asked):", "");
		break;
	case AM_SNAPSHOT:
		actionmenu_list_item(a->menu.t.pvcs, 0, pvc, sizeof pvc);
		if (a->menu.t.pvcs[0])
			add_choice(a, "the pod's PVCs: %s", a->menu.t.pvcs);
		ask(a, PROMPT_PVC, "PVC to snapshot:", pvc);
		break;
	case AM_RESTORE:
	case AM_ROLLBACK:
		a->state = ACT_BUSY;
		snprintf(a->line, sizeof a->line, "%s", en->item == AM_RESTORE
			 ? "listing the snapshots..." : "reading the rollout history...");
		action_gets_clear(a->gets);
		a->job = en->item == AM_RESTORE ? JOB_SNAPSHOTS : JOB_REVISIONS;
		job_run(a);
		changed(a);
		break;
	case AM_ITEM_COUNT:
		break;
	}
}

/* Runs a->job again (or the first time): the GET it wanted has come in. */
static void job_run(struct act *a)
{
	char prefill[AM_NAME_MAX];
	enum act_job job = a->job;

	a->job = JOB_NONE;
	switch (job) {
	case JOB_PLAN:
		plan_build(a);
		break;
	case JOB_SNAPSHOT:
		snapshot_build(a);
		break;
	case JOB_REFRESH:
		refresh_run(a);
		break;
	case JOB_REVISIONS:
		a->choices[0] = '\0';
		list_revisions(a);
		if (!need_get(a, JOB_REVISIONS))
			ask(a, PROMPT_REVISION, "Revision (Enter: the previous one):", "");
		break;
	case JOB_SNAPSHOTS:
		a->choices[0] = '\0';
		list_snapshots(a, prefill, sizeof prefill);
		if (!need_get(a, JOB_SNAPSHOTS))
			ask(a, PROMPT_RESTORE_FROM, "Snapshot to restore:", prefill);
		break;
	case JOB_NONE:
		break;
	}
}

/* The Pods pane's selected row: "ns/name" from its selection, then the row itself. */
static const struct pod_view *selected_pod(struct app *app, const struct pod **podp)
{
	struct pane *pods = &app->panes[0];
	char id[PODVIEW_NS_MAX + PODVIEW_NAME_MAX + 2] = "";
	const char *slash;
	size_t n;

	*podp = NULL;
	if (!app->pods.ops || !pods->ops->selection)
		return NULL;
	pods->ops->selection(pods, id, sizeof id);
	slash = strchr(id, '/');
	if (!slash)
		return NULL;
	n = app->pods.ops->count(app->pods.self);
	for (size_t i = 0; i < n; i++) {
		const struct pod_view *v = app->pods.ops->row(app->pods.self, i);

		if (v && strncmp(v->namespace_, id, (size_t)(slash - id)) == 0 &&
		    !v->namespace_[slash - id] && strcmp(v->name, slash + 1) == 0) {
			if (app->pods.ops->pod)
				*podp = app->pods.ops->pod(app->pods.self, i);
			return v;
		}
	}
	return NULL;
}

bool pane_action_open(struct pane *p, enum am_item item)
{
	struct act *a = p->state;
	struct app *app = p->app;
	const struct pod *pod = NULL;
	const struct pod_view *v = selected_pod(app, &pod);
	struct am_target t;
	struct am_facts f = { .undo_before = -1, .undo_after = -1 };
	struct err e = { 0 };

	if (a->state != ACT_CLOSED)
		session_close(a);
	if (!v) {
		app_message(app, false, "actions: select a pod in the Pods pane first");
		return false;
	}
	actionmenu_target(&t, v->namespace_, v->name, v->owner);
	if (pod) {
		size_t len = 0;

		t.pvcs_known = true;
		for (size_t i = 0; i < pod->nvolumes; i++)
			if (pod->volumes[i].claim && len + strlen(pod->volumes[i].claim) + 2 < sizeof t.pvcs)
				len += (size_t)snprintf(t.pvcs + len, sizeof t.pvcs - len, "%s%s",
							len ? "," : "", pod->volumes[i].claim);
	}
	a->menu.t = t;
	memset(a->note, 0, sizeof a->note);
	if (session_open(a, &e) != OD_OK) {
		session_close(a);
		app_message(app, true, "actions: %s", e.msg);
		return false;
	}
	f.read_only = a->read_only;
	(void)actionmenu_find_undo(a->st, a->ctx.context, t.ns, t.object, &f.undo_before,
				   &f.undo_after, &e);
	actionmenu_build(&a->menu, &t, &f);
	a->state = ACT_MENU;
	app->action_shown = true;
	app->need_layout = true;
	changed(a);
	if (item < AM_ITEM_COUNT) {
		a->menu.sel = (int)item;
		choose(a, &a->menu.v[item]);
	}
	return true;
}

static void close_overlay(struct act *a, const char *msg)
{
	session_close(a);
	a->app->action_shown = false;
	a->app->need_layout = true;
	if (msg)
		app_message(a->app, false, "%s", msg);
}

/* Esc: what it means depends on the step. */
static void cancel(struct act *a)
{
	char msg[600];

	switch (a->state) {
	case ACT_FOLLOW: {
		struct action_plan *p = a->cur;
		int64_t ms = (int64_t)(time_mono_ms() - a->follow_t0);

		snprintf(msg, sizeof msg, "stopped following %s %s; the change stays applied",
			 action_kind_name(p->kind), p->kind_name);
		action_audit(&a->ctx, p->kind, p, NULL, NULL, "result", 0, ms, "stopped",
			     "stopped following in the dashboard; the change stays applied");
		close_overlay(a, msg);
		return;
	}
	case ACT_CONFIRM:
	case ACT_TYPE:
	case ACT_FORCE:
		audit_refuse(a, a->plan, "not confirmed (Esc in the dashboard)");
		snprintf(msg, sizeof msg, "%s of %s not confirmed: nothing changed",
			 action_kind_name(a->plan->kind), a->plan->kind_name);
		close_overlay(a, msg);
		return;
	case ACT_BUSY:
		if (a->cur && a->dry[0] && a->dry_ok) {
			/* the apply (or a snapshot taken first) is in flight: say so in the log */
			action_audit(&a->ctx, a->cur->kind, a->cur, NULL, NULL, "result", 0, 0,
				     "stopped", "stopped waiting for the API server in the dashboard; "
				     "the request may have been applied");
			snprintf(msg, sizeof msg, "stopped waiting for the API server; the request "
				 "may still have been applied");
			close_overlay(a, msg);
			return;
		}
		if (a->snap_next > 1) {
			snprintf(msg, sizeof msg, "cancelled: %s was not started; the snapshots "
				 "taken so far stay", a->plan ? a->plan->kind_name : "the action");
			close_overlay(a, msg);
			return;
		}
		close_overlay(a, action_gets_busy(a->gets)
					 ? "stopped waiting for the API server: nothing was applied"
					 : "cancelled before anything was applied");
		return;
	default:
		close_overlay(a, NULL);
		return;
	}
}

static bool is_yes(int key)
{
	return key == 'y' || key == 'Y' || key == '\n';
}

static void edit_input(struct act *a, int key)
{
	size_t len = strlen(a->input);

	if (key == KEY_BACKSPACE || key == KEY_DC) {
		if (len)
			a->input[len - 1] = '\0';
	} else if (key == 21) {   /* C-u */
		a->input[0] = '\0';
	} else if (key >= ' ' && key < 127 && len + 1 < sizeof a->input) {
		a->input[len] = (char)key;
		a->input[len + 1] = '\0';
	}
	changed(a);
}

void pane_action_key(struct pane *p, int key)
{
	struct act *a = p->state;

	key = keymap_key_normalize(key);
	if (key == 27) {
		cancel(a);
		return;
	}
	switch (a->state) {
	case ACT_MENU: {
		const struct am_entry *en = actionmenu_by_key(&a->menu, key);

		if (key == KEY_UP || key == 'k') {
			actionmenu_move(&a->menu, -1);
		} else if (key == KEY_DOWN || key == 'j') {
			actionmenu_move(&a->menu, 1);
		} else if (key == '\n') {
			choose(a, &a->menu.v[a->menu.sel]);
		} else if (en) {
			a->menu.sel = (int)en->item;
			choose(a, en);
		} else if (key == 'q') {
			close_overlay(a, NULL);
			return;
		}
		changed(a);
		break;
	}
	case ACT_INPUT:
		if (key == '\n')
			prompt_done(a);
		else
			edit_input(a, key);
		break;
	case ACT_CONFIRM:
		if (is_yes(key)) {
			after_proceed(a);
		} else if ((key == 's' || key == 'S') && a->plan->snapshot_pvcs) {
			a->snapshot_first = true;
			after_proceed(a);
		} else if (key == 'n' || key == 'N' || key == 'q') {
			cancel(a);
		}
		break;
	case ACT_TYPE:
		if (key != '\n') {
			edit_input(a, key);
		} else if (strcmp(a->input, a->plan->name) == 0) {
			if (a->plan->force) {
				a->state = ACT_FORCE;
				changed(a);
			} else {
				confirmed(a);
			}
		} else {
			char why[400];

			snprintf(why, sizeof why, "the name typed does not match \"%s\" (%s)",
				 a->plan->name, a->ctx.protected_ ? "protected context" : "scaling to 0");
			audit_refuse(a, a->plan, why);
			finish(a, true, "error: %s: nothing changed", why);
		}
		break;
	case ACT_FORCE:
		if (key == 'y' || key == 'Y') {
			confirmed(a);
		} else if (key == 'n' || key == 'N' || key == '\n') {
			audit_refuse(a, a->plan, "a forced deletion needs a second confirmation");
			finish(a, true, "a forced deletion needs a second confirmation: nothing "
			       "changed");
		}
		break;
	case ACT_DONE:
		if (key == '\n' || key == 'q')
			close_overlay(a, a->failed ? NULL : a->result);
		break;
	case ACT_BUSY:
	case ACT_FOLLOW:
	case ACT_CLOSED:
		break;   /* Esc only, above */
	}
}

void pane_action_hint(struct pane *p, char *out, size_t n)
{
	struct act *a = p->state;

	switch (a->state) {
	case ACT_MENU:
		snprintf(out, n, "Up/Down, Enter or a letter picks an action  Esc closes");
		break;
	case ACT_INPUT:
		snprintf(out, n, "Enter accepts  Backspace erases  Esc cancels");
		break;
	case ACT_CONFIRM:
		snprintf(out, n, "y/Enter applies%s  Esc/n cancels: nothing changes",
			 a->plan && a->plan->snapshot_pvcs ? "  s snapshots first" : "");
		break;
	case ACT_TYPE:
		snprintf(out, n, "type the name, Enter  Esc cancels");
		break;
	case ACT_FORCE:
		snprintf(out, n, "y forces the deletion  n/Enter/Esc does not");
		break;
	case ACT_FOLLOW:
		snprintf(out, n, "Esc stops following (the change stays applied)");
		break;
	case ACT_BUSY:
		snprintf(out, n, "waiting for the API server  Esc stops waiting");
		break;
	case ACT_DONE:
	case ACT_CLOSED:
		snprintf(out, n, "Enter or Esc closes");
		break;
	}
}

/* ---- drawing ---- */

/* Writes text from row *y, wrapped at the canvas width (minus x), one line per '\n'. */
static void put(const struct canvas *c, int *y, int x, const char *text, int attr)
{
	int w = c->r.w - x - 1;
	const char *s = text;

	if (w < 8)
		w = 8;
	while (*s && *y < c->r.h) {
		size_t nl = strcspn(s, "\n"), k = nl;
		char chunk[1024];

		if ((int)k > w) {
			k = (size_t)w;
			for (size_t i = k; i > (size_t)w / 2; i--)
				if (s[i] == ' ') {
					k = i;
					break;
				}
		}
		snprintf(chunk, sizeof chunk, "%.*s", (int)(k < sizeof chunk ? k : sizeof chunk - 1), s);
		draw_text(c, (*y)++, x, chunk, w, attr);
		s += k;
		while (*s == ' ' && k != nl)
			s++;
		if (*s == '\n')
			s++;
	}
}

static void draw_plan(const struct act *a, const struct action_plan *p, const struct canvas *c,
		      int *y)
{
	char buf[2048];
	int normal = canvas_attr(c, THEME_DIALOG);

	snprintf(buf, sizeof buf, "Plan:    %s %s", action_kind_name(p->kind), p->kind_name);
	put(c, y, 1, buf, normal | A_BOLD);
	snprintf(buf, sizeof buf, "target:  context %s, namespace %s, %s", p->context, p->namespace_,
		 p->kind_name);
	put(c, y, 1, buf, normal);
	snprintf(buf, sizeof buf, "change:  %s -> %s", p->before, p->after);
	put(c, y, 1, buf, normal);
	snprintf(buf, sizeof buf, "pods:    %s", p->pods);
	put(c, y, 1, buf, normal);
	snprintf(buf, sizeof buf, "kubectl: %s", p->kubectl);
	put(c, y, 1, buf, normal);
	if (p->notes) {
		snprintf(buf, sizeof buf, "note:    %s", p->notes);
		put(c, y, 1, buf, canvas_attr(c, THEME_CHECK_WARN));
	}
	if (a->ctx.protected_)
		put(c, y, 1, "context: protected (config.yaml): the name must be typed out", normal);
	if (a->dry[0]) {
		(*y)++;
		put(c, y, 1, a->dry, canvas_attr(c, a->dry_ok ? THEME_CHECK_PASS : THEME_CHECK_FAIL));
	}
}

static void draw_menu(const struct act *a, const struct canvas *c, int *y)
{
	char buf[1024];

	snprintf(buf, sizeof buf, "pod %s/%s%s%s%s", a->menu.t.ns, a->menu.t.pod,
		 a->menu.t.wkind[0] ? "  (" : "", a->menu.t.wkind[0] ? a->menu.t.object[0] ? a->menu.t.object : a->menu.t.wkind : "",
		 a->menu.t.wkind[0] ? ")" : "");
	put(c, y, 1, buf, canvas_attr(c, THEME_DIALOG) | A_BOLD);
	(*y)++;
	for (int i = 0; i < AM_ITEM_COUNT && *y < c->r.h; i++) {
		const struct am_entry *en = &a->menu.v[i];
		int attr = canvas_attr(c, en->enabled ? THEME_DIALOG : THEME_PANE_HINT);

		if (i == a->menu.sel)
			attr = canvas_attr(c, THEME_TABLE_SELECTED);
		snprintf(buf, sizeof buf, "%c  %s%s%s%s", en->key, en->label,
			 en->enabled ? "" : "  [disabled: ", en->enabled ? "" : en->reason,
			 en->enabled ? "" : "]");
		put(c, y, 2, buf, attr);
	}
}

static void act_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct act *a = p->state;
	int y = 0, normal = canvas_attr(c, THEME_DIALOG);
	char buf[1024];

	(void)focused;
	draw_clear(c, normal);
	if (a->state == ACT_CLOSED)
		return;
	if (a->state == ACT_MENU) {
		draw_menu(a, c, &y);
	} else {
		if (a->plan)
			draw_plan(a, a->plan, c, &y);
		else
			put(c, &y, 1, a->menu.v[a->item].label, normal | A_BOLD);
		y++;
	}
	switch (a->state) {
	case ACT_INPUT:
		if (a->choices[0])
			put(c, &y, 1, a->choices, normal);
		snprintf(buf, sizeof buf, "%s %s_", a->prompt_text, a->input);
		put(c, &y, 1, buf, normal | A_BOLD);
		break;
	case ACT_CONFIRM:
		if (a->plan->snapshot_pvcs)
			put(c, &y, 1, "s: take the snapshots first, then the action", normal);
		snprintf(buf, sizeof buf, "Proceed with %s of %s? [y/Enter: yes, Esc/n: no]",
			 action_kind_name(a->plan->kind), a->plan->kind_name);
		put(c, &y, 1, buf, canvas_attr(c, THEME_DIALOG_DANGER) | A_BOLD);
		break;
	case ACT_TYPE:
		snprintf(buf, sizeof buf, "Type the name (%s) to confirm: %s_", a->plan->name,
			 a->input);
		put(c, &y, 1, buf, canvas_attr(c, THEME_DIALOG_DANGER) | A_BOLD);
		break;
	case ACT_FORCE:
		put(c, &y, 1, "Force deletion skips the kubelet's graceful shutdown and may leave the "
			      "container running. Really force? [y/N]",
		    canvas_attr(c, THEME_DIALOG_DANGER) | A_BOLD);
		break;
	case ACT_BUSY:
		put(c, &y, 1, a->line, normal);
		break;
	case ACT_FOLLOW:
		if (a->applied[0])
			put(c, &y, 1, a->applied, normal);
		if (a->cur == a->snap && a->snap) {
			snprintf(buf, sizeof buf, "snapshot first: %s", a->snap->kind_name);
			put(c, &y, 1, buf, normal);
		}
		if (y < c->r.h)
			progress_draw(c, y++, 1, c->r.w - 2 > 60 ? 60 : c->r.w - 2, a->frac,
				      canvas_attr(c, THEME_CHECK_PASS));
		put(c, &y, 1, a->line, normal);
		break;
	case ACT_DONE:
		if (a->applied[0])
			put(c, &y, 1, a->applied, normal);
		if (!a->failed && y < c->r.h)
			progress_draw(c, y++, 1, c->r.w - 2 > 60 ? 60 : c->r.w - 2, 1.0,
				      canvas_attr(c, THEME_CHECK_PASS));
		put(c, &y, 1, a->result, canvas_attr(c, a->failed ? THEME_CHECK_FAIL : THEME_CHECK_PASS));
		break;
	case ACT_MENU:
	case ACT_CLOSED:
		break;
	}
	if (a->note[0]) {
		y++;
		put(c, &y, 1, a->note, canvas_attr(c, THEME_CHECK_WARN));
	}
}

static enum od_status act_init(struct pane *p, struct err *e)
{
	struct act *a = calloc(1, sizeof *a);

	if (!a)
		return err_set(e, OD_ENOMEM, "out of memory");
	a->app = p->app;
	a->item = AM_RESTART;
	p->state = a;
	return OD_OK;
}

static void act_fini(struct pane *p)
{
	struct act *a = p->state;

	if (!a)
		return;
	session_close(a);
	free(a);
	p->state = NULL;
}

static void act_title(struct pane *p, char *out, size_t n)
{
	struct act *a = p->state;
	static const char *const names[] = {
		[ACT_CLOSED] = "", [ACT_MENU] = "menu", [ACT_INPUT] = "input",
		[ACT_BUSY] = "working", [ACT_CONFIRM] = "confirm", [ACT_TYPE] = "confirm",
		[ACT_FORCE] = "confirm", [ACT_FOLLOW] = "following", [ACT_DONE] = "finished",
	};

	snprintf(out, n, "%s%s", names[a->state],
		 a->state == ACT_DONE && a->failed ? " (failed)" : "");
}

const struct pane_ops pane_action_ops = {
	.name = "action",
	.title = "Action",
	.init = act_init,
	.fini = act_fini,
	.draw = act_draw,
	.title_info = act_title,
};
