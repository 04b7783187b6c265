/*
 * actions.h: the guarded-action engine (issue 9).
 *
 * Every action that changes the cluster (restart, delete, scale, snapshot,
 * restore, rollback) is first built into a struct action_plan (see
 * action_build.h) and then driven through the same five steps:
 *
 *   1. plan     what will change (target, before -> after, pods affected,
 *               the equivalent kubectl command), shown through ui->show;
 *   2. dry run  the same request with dryRun=All, so RBAC and validation
 *               errors appear in kubectl's words before anyone confirms;
 *   3. confirm  ui->ask: proceed? (headless: --yes), the object's name typed
 *               out (protected contexts, scaling to 0), a second question for
 *               a forced pod deletion;
 *   4. apply    the real request;
 *   5. follow   polled until done or the timeout: rollout status by
 *               kubectl's rules, replica counts, snapshot readyToUse, PVC
 *               Bound, the deleted pod gone.
 *
 * Read-only (flag or config) refuses before step 1's request. Every step,
 * refusal and result is appended to the store's hash-chained audit log.
 *
 * The engine never prints: a TUI and the headless commands both implement
 * struct action_ui. Steps are also callable one at a time
 * (action_step_dry_run, action_step_apply, action_follow_poll) so a TUI can
 * run them from its own menu and timers.
 */
#ifndef OPSDECK_ACTIONS_H
#define OPSDECK_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/http.h"
#include "opsdeck/store.h"

enum action_kind {
	ACTION_RESTART,
	ACTION_DELETE,
	ACTION_SCALE,
	ACTION_SNAPSHOT,
	ACTION_RESTORE,
	ACTION_ROLLBACK,
	ACTION_KIND_COUNT
};

/* How step 5 watches the change land. */
enum action_follow {
	ACTION_FOLLOW_NONE,
	ACTION_FOLLOW_ROLLOUT,     /* kubectl rollout status of plan->follow_path */
	ACTION_FOLLOW_REPLICAS,    /* ready replicas == follow_target */
	ACTION_FOLLOW_POD_GONE,    /* the pod (follow_uid) is gone or replaced */
	ACTION_FOLLOW_SNAPSHOT,    /* status.readyToUse, or status.error */
	ACTION_FOLLOW_PVC_BOUND    /* status.phase Bound */
};

enum action_question {
	ACTION_ASK_PROCEED,        /* go ahead? */
	ACTION_ASK_TYPE_NAME,      /* type the object's name (answer filled in) */
	ACTION_ASK_FORCE           /* second confirmation of a forced deletion */
};

/* The result of a poll in step 5. */
enum action_progress {
	ACTION_PROGRESS_WAITING,
	ACTION_PROGRESS_DONE,
	ACTION_PROGRESS_FAILED
};

struct action_ctx;

/* A built action; every string is owned by the plan (action_plan_free). */
struct action_plan {
	enum action_kind kind;
	char *context;             /* kubeconfig context */
	char *namespace_;
	char *resource;            /* "deployments.apps", "pods", "volumesnapshots..." */
	char *kind_name;           /* "deployment.apps/web": as kubectl names it */
	char *name;                /* the object's name (what a protected context asks for) */
	char *before;              /* "replicas=3" */
	char *after;               /* "replicas=1" */
	char *pods;                /* the pods affected, one line */
	char *kubectl;             /* the equivalent kubectl command */
	char *notes;               /* suggestions (snapshot first, step-wise), lines; may be NULL */
	char *snapshot_pvcs;       /* "a,b": PVCs to snapshot first (--snapshot-first); may be NULL */
	/* the request of steps 2 and 4; dryRun=All is added to the path in step 2 */
	char *method;
	char *path;
	char *content_type;
	char *body;                /* may be NULL (DELETE) */
	/* step 5 */
	enum action_follow follow;
	char *follow_path;         /* what to GET while following */
	long follow_target;        /* replicas for ACTION_FOLLOW_REPLICAS */
	char *follow_uid;          /* the deleted pod's uid */
	/* step 3 */
	bool type_name;            /* the name must be typed (scale to 0, protected) */
	bool force;                /* ask ACTION_ASK_FORCE too */
	char *done_message;        /* kubectl's line after apply ("deployment.apps/x restarted") */
	/*
	 * Called when the server answers 409 Conflict (the object changed since
	 * the plan read it): re-reads it, re-checks the precondition and rebuilds
	 * body, as kubectl's scaler retries. NULL: a conflict is final.
	 */
	enum od_status (*refresh)(const struct action_ctx *c, struct action_plan *p,
				  struct err *e);
	long precondition;         /* scale --current-replicas, or -1 */
	long target;               /* scale --replicas */
	char *refusal;             /* set: the plan is refused as built (paused Deployment...) */
};

void action_plan_free(struct action_plan **p);

/* The callbacks through which a front end shows and asks; arg is theirs. */
struct action_ui {
	/* Step 1's plan, the dry run's verdict (ok or e), then progress lines. */
	void (*show_plan)(const struct action_plan *p, void *arg);
	void (*show_dry_run)(const struct action_plan *p, enum od_status rc, const struct err *e,
			     void *arg);
	/* Returns true to go on; for ACTION_ASK_TYPE_NAME writes the typed text to answer. */
	bool (*ask)(const struct action_plan *p, enum action_question q, char *answer, size_t n,
		    void *arg);
	void (*show_applied)(const struct action_plan *p, void *arg);
	void (*show_progress)(const struct action_plan *p, const char *line, void *arg);
	void *arg;
};

/* Who and where; everything borrowed and outliving the engine's calls. */
struct action_ctx {
	struct http_client *http;
	struct store *store;       /* NULL: no audit (tests of the pure parts only) */
	const char *context;
	const char *kube_user;     /* the kubeconfig user's name, never a credential */
	const char *os_user;
	bool read_only;            /* --read-only or readOnly in config.yaml */
	bool protected_;           /* protected in config.yaml */
	const struct action_ui *ui;
	/*
	 * NULL: GETs wait in http_do (headless). Set (a front end that must not
	 * block, the TUI): GETs are answered from it and never wait; see
	 * action_gets_new. Borrowed.
	 */
	struct action_gets *gets;
	/* Told when an audit row cannot be written. NULL: printed to stderr. */
	void (*warn)(const char *msg, void *arg);
	void *warn_arg;
};

struct action_run_opts {
	bool dry_run;              /* stop after step 2 */
	bool wait;                 /* step 5 */
	int64_t timeout_ms;        /* step 5's limit; 0: 5 minutes */
	int64_t poll_ms;           /* 0: 500 ms */
};

/* The action's name as audited ("restart", "scale"...). Static. */
const char *action_kind_name(enum action_kind k);

/*
 * Runs the five steps. Returns OD_OK when the action was applied (and, with
 * wait, finished); OD_EREFUSED when read-only, not confirmed or refused as
 * planned; the request's status otherwise, with e in kubectl's words.
 */
enum od_status action_run(const struct action_ctx *c, struct action_plan *p,
			  const struct action_run_opts *o, struct err *e);

/* Refuses any action in a read-only context: the message and an audit row. */
enum od_status action_check_writable(const struct action_ctx *c, enum action_kind k,
				     const char *ns, const char *object, struct err *e);

/* The steps one at a time (action_run uses them). *code receives the HTTP status. */
enum od_status action_step_dry_run(const struct action_ctx *c, struct action_plan *p,
				   long *code, struct err *e);
enum od_status action_step_apply(const struct action_ctx *c, struct action_plan *p,
				 long *code, struct err *e);
/* One poll of step 5: line receives the progress text (kubectl's wording). */
enum action_progress action_follow_poll(const struct action_ctx *c, const struct action_plan *p,
					char *line, size_t n, struct err *e);

/*
 * The same steps without blocking, for a front end that runs the event loop
 * itself (the TUI): the request is started on c->http and cb is called from
 * the loop when it completes. Dry run and apply append their audit rows as
 * action_run does; a front end appends "confirm"/"refuse" after asking and
 * "result" when it stops following (action_audit). A 409 Conflict is
 * reported as it is: call p->refresh (when set) and start the step again.
 * p must outlive the call. *out (may be NULL) names the step for
 * action_step_cancel until cb has returned (the step is freed then).
 */
enum action_step { ACTION_STEP_DRY_RUN, ACTION_STEP_APPLY, ACTION_STEP_POLL };

struct action_step_result {
	enum action_step step;
	enum od_status status;      /* OD_OK: accepted, applied, or polled */
	const struct err *err;      /* kubectl's words when status != OD_OK */
	long http_code;
	int64_t duration_ms;
	enum action_progress progress;   /* ACTION_STEP_POLL */
	const char *line;                /* ACTION_STEP_POLL: the progress text */
};

typedef void (*action_step_cb)(const struct action_step_result *r, void *arg);

struct action_step_call;   /* opaque; owned by the engine until cb returns */

enum od_status action_step_start(const struct action_ctx *c, const struct action_plan *p,
				 enum action_step step, action_step_cb cb, void *arg,
				 struct action_step_call **out, struct err *e);

/* Stops a step before its callback (no callback), frees it, sets *sc = NULL. */
void action_step_cancel(struct action_step_call **sc);

/* Appends one audit row for p (p NULL: a refusal before planning, of ns/object). */
void action_audit(const struct action_ctx *c, enum action_kind k, const struct action_plan *p,
		  const char *ns, const char *object, const char *step, int http_status, int64_t duration_ms,
		  const char *outcome, const char *message);

/* ---- requests, shared with the builders ---- */

/*
 * GETs without waiting, for a front end that runs the loop itself. With
 * c->gets set, action_request answers a GET from the answers held (errors
 * included, in kubectl's words); a GET not held fails at once with OD_EAGAIN
 * and the first such path is remembered as wanted. The front end fetches it
 * on the loop (action_gets_fetch) and, when its callback says it is held,
 * runs the builder (or plan->refresh, or the history read) again from the
 * start: they only read, so a second run is harmless, and every GET it made
 * before is answered from memory. A request with a body fails with
 * OD_ESTATE. Answers are kept until action_gets_clear.
 */
struct action_gets;   /* opaque; owned by whoever called action_gets_new */

#define ACTION_GETS_MAX 32   /* answers held at once (a builder makes at most a few GETs) */

enum od_status action_gets_new(struct action_gets **out, struct err *e);
/* Cancels a fetch in flight (no callback), frees, sets *g = NULL. */
void action_gets_free(struct action_gets **g);
/* Forgets the answers held (before plan->refresh re-reads); a fetch in flight goes on. */
void action_gets_clear(struct action_gets *g);
/* A GET was wanted and not held since the last fetch started. */
bool action_gets_missed(const struct action_gets *g);
/* The path of that GET (borrowed), or NULL. */
const char *action_gets_wanted(const struct action_gets *g);
/*
 * Starts the wanted GET on http (borrowed; must outlive the fetch) and forgets
 * that it was wanted; done(arg) is called from the loop once its answer (or
 * its error) is held. One fetch at a time: OD_ESTATE while one is in flight.
 */
enum od_status action_gets_fetch(struct action_gets *g, struct http_client *http,
				 void (*done)(void *arg), void *arg, struct err *e);
/* Stops a fetch in flight without its callback; nothing when none is. */
void action_gets_cancel(struct action_gets *g);
/* A fetch is in flight. */
bool action_gets_busy(const struct action_gets *g);

/* GET path and parse; *out owned by the caller. Errors in kubectl's words. */
enum od_status action_get_json(const struct action_ctx *c, const char *path, cJSON **out,
			       struct err *e);

/* A request with a body; the response parsed into *out when out is non-NULL. */
enum od_status action_request(const struct action_ctx *c, const char *method, const char *path,
			      const char *content_type, const char *body, long *code,
			      cJSON **out, struct err *e);

#endif
