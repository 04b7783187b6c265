/*
 * actions.c: the five steps every guarded action goes through (plan, dry
 * run, confirm, apply, follow), the read-only refusal, and the audit rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/action_rollout.h"
#include "opsdeck/actions.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/timeutil.h"

static const char *const kind_names[ACTION_KIND_COUNT] = {
	[ACTION_RESTART] = "restart",
	[ACTION_DELETE] = "delete",
	[ACTION_SCALE] = "scale",
	[ACTION_SNAPSHOT] = "snapshot",
	[ACTION_RESTORE] = "restore",
	[ACTION_ROLLBACK] = "rollback",
};

const char *action_kind_name(enum action_kind k)
{
	return (unsigned)k < ACTION_KIND_COUNT ? kind_names[k] : "?";
}

void action_plan_free(struct action_plan **pp)
{
	struct action_plan *p = pp ? *pp : NULL;

	if (!p)
		return;
	free(p->context);
	free(p->namespace_);
	free(p->resource);
	free(p->kind_name);
	free(p->name);
	free(p->before);
	free(p->after);
	free(p->pods);
	free(p->kubectl);
	free(p->notes);
	free(p->snapshot_pvcs);
	free(p->method);
	free(p->path);
	free(p->content_type);
	free(p->body);
	free(p->follow_path);
	free(p->follow_uid);
	free(p->done_message);
	free(p->refusal);
	free(p);
	*pp = NULL;
}

void action_audit(const struct action_ctx *c, enum action_kind k, const struct action_plan *p,
		  const char *ns, const char *object, const char *step, int http_status, int64_t duration_ms,
		  const char *outcome, const char *message)
{
	struct store_audit_entry a = { 0 };
	struct err e = { 0 };

	if (!c->store)
		return;
	a.action = action_kind_name(k);
	a.step = step;
	a.os_user = c->os_user;
	a.kube_user = c->kube_user;
	a.context = c->context;
	a.namespace = p ? p->namespace_ : ns;
	a.object = p ? p->kind_name : object;
	a.before = p ? p->before : NULL;
	a.after = p ? p->after : NULL;
	a.http_status = http_status;
	a.duration_ms = duration_ms;
	a.outcome = outcome;
	a.message = message;
	if (store_audit_append(c->store, &a, &e) != OD_OK && a.seq == 0) {
		char msg[ERR_MSG_MAX + 64];

		snprintf(msg, sizeof msg, "warning: the audit log could not be written: %s", e.msg);
		/* the dashboard shows it in its status line: stderr would tear the screen */
		if (c->warn)
			c->warn(msg, c->warn_arg);
		else
			fprintf(stderr, "%s\n", msg);
	}
}

enum od_status action_check_writable(const struct action_ctx *c, enum action_kind k,
				     const char *ns, const char *object, struct err *e)
{
	if (!c->read_only)
		return OD_OK;
	err_set(e, OD_EREFUSED,
		"error: context \"%s\" is read-only (--read-only or readOnly in config.yaml): "
		"%s of %s refused", c->context ? c->context : "", action_kind_name(k),
		object ? object : "");
	action_audit(c, k, NULL, ns, object, "refuse", 0, 0, "refused", "read-only");
	return OD_EREFUSED;
}

/* ---- GETs without waiting (c->gets) ---- */

struct gets_answer {
	char *path;                /* owned */
	enum od_status status;
	long code;
	struct err err;            /* when status != OD_OK */
	char *body;                /* owned; may be NULL */
	size_t len;
};

struct action_gets {
	struct gets_answer v[ACTION_GETS_MAX];
	size_t n;
	bool missed;
	char *wanted;              /* owned: the first GET missed, or NULL */
	/* the fetch in flight */
	struct http_client *http;  /* borrowed */
	struct http_call *call;    /* owned by the client until its callback */
	char *fetching;            /* owned: its path */
	void (*done)(void *arg);
	void *arg;
};

enum od_status action_gets_new(struct action_gets **out, struct err *e)
{
	*out = calloc(1, sizeof **out);
	return *out ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

void action_gets_clear(struct action_gets *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].path);
		free(g->v[i].body);
	}
	memset(g->v, 0, sizeof g->v);
	g->n = 0;
	free(g->wanted);
	g->wanted = NULL;
	g->missed = false;
}

void action_gets_cancel(struct action_gets *g)
{
	if (!g)
		return;
	if (g->call)
		http_cancel(g->http, &g->call);
	free(g->fetching);
	g->fetching = NULL;
	g->done = NULL;
	g->arg = NULL;
}

void action_gets_free(struct action_gets **gp)
{
	struct action_gets *g = gp ? *gp : NULL;

	if (!g)
		return;
	action_gets_cancel(g);
	action_gets_clear(g);
	free(g);
	*gp = NULL;
}

bool action_gets_missed(const struct action_gets *g)
{
	return g && g->missed;
}

const char *action_gets_wanted(const struct action_gets *g)
{
	return g ? g->wanted : NULL;
}

bool action_gets_busy(const struct action_gets *g)
{
	return g && g->call;
}

static void gets_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct action_gets *g = arg;
	struct gets_answer *an;
	void (*done)(void *) = g->done;
	void *darg = g->arg;

	(void)call;
	g->call = NULL;
	g->done = NULL;
	g->arg = NULL;
	if (g->n < ACTION_GETS_MAX) {
		an = &g->v[g->n++];
		memset(an, 0, sizeof *an);
		an->path = g->fetching;
		g->fetching = NULL;
		an->status = res->status;
		an->code = res->code;
		if (res->status != OD_OK) {
			if (res->err)
				an->err = *res->err;
			else
				err_set(&an->err, res->status, "%s", od_status_text(res->status));
		}
		if (res->body && res->body->len)
			an->body = buf_detach(res->body, &an->len);
	} else {
		/* held no more: the next run fails with OD_ELIMIT instead of asking again */
		free(g->fetching);
		g->fetching = NULL;
	}
	if (done)
		done(darg);   /* may free g */
}

enum od_status action_gets_fetch(struct action_gets *g, struct http_client *http,
				 void (*done)(void *arg), void *arg, struct err *e)
{
	struct http_request rq = { .method = "GET", .on_done = gets_done, .arg = g };
	enum od_status rc;

	if (g->call)
		return err_set(e, OD_ESTATE, "a GET is already in flight");
	if (!g->wanted)
		return err_set(e, g->missed ? OD_ENOMEM : OD_ESTATE,
			       g->missed ? "out of memory" : "no GET is wanted");
	rq.path = g->wanted;
	rc = http_start(http, &rq, &g->call, e);
	if (rc != OD_OK)
		return rc;
	g->http = http;
	g->fetching = g->wanted;
	g->wanted = NULL;
	g->missed = false;
	g->done = done;
	g->arg = arg;
	return OD_OK;
}

/* action_request with c->gets: the answer held, or OD_EAGAIN and the path wanted. */
static enum od_status gets_answer(struct action_gets *g, const char *method, const char *path,
				  const char *body, long *code, cJSON **out, struct err *e)
{
	const struct gets_answer *an = NULL;

	if (strcmp(method ? method : "GET", "GET") != 0 || body)
		return err_set(e, OD_ESTATE, "internal error: %s %s would wait for the API server",
			       method, path);
	for (size_t i = 0; i < g->n && !an; i++)
		if (strcmp(g->v[i].path, path) == 0)
			an = &g->v[i];
	if (!an) {
		if (g->n + (g->call ? 1 : 0) >= ACTION_GETS_MAX)
			return err_set(e, OD_ELIMIT, "more than %d GETs for one action",
				       ACTION_GETS_MAX);
		if (!g->missed) {
			g->missed = true;
			g->wanted = strdup(path);
		}
		return err_set(e, OD_EAGAIN, "waiting for the API server (GET %s)", path);
	}
	if (code)
		*code = an->code;
	if (an->status != OD_OK) {
		if (e)
			*e = an->err;
		return an->status;
	}
	if (out) {
		*out = cJSON_ParseWithLength(an->body ? an->body : "", an->len);
		if (!*out)
			return status_error_bad_json(path, an->body ? an->body : "", an->len, e);
	}
	return OD_OK;
}

/* A request through http_do (or c->gets); the body parsed when out is non-NULL. */
enum od_status action_request(const struct action_ctx *c, const char *method, const char *path,
			      const char *content_type, const char *body, long *code,
			      cJSON **out, struct err *e)
{
	struct http_request rq = {
		.method = method,
		.path = path,
		.content_type = content_type,
		.body = body,
		.body_len = body ? strlen(body) : 0,
	};
	struct buf b;
	long cd = 0;
	enum od_status rc;

	if (c->gets)
		return gets_answer(c->gets, method, path, body, code, out, e);
	buf_init(&b, HTTP_BODY_MAX);
	rc = http_do(c->http, &rq, &b, &cd, e);
	if (code)
		*code = cd;
	if (rc == OD_OK && out) {
		*out = cJSON_ParseWithLength(buf_cstr(&b), b.len);
		if (!*out)
			rc = status_error_bad_json(path, buf_cstr(&b), b.len, e);
	}
	buf_free(&b);
	return rc;
}

enum od_status action_get_json(const struct action_ctx *c, const char *path, cJSON **out,
			       struct err *e)
{
	return action_request(c, "GET", path, NULL, NULL, NULL, out, e);
}

static char *path_with_dry_run(const char *path)
{
	size_t n = strlen(path) + 16;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%cdryRun=All", path, strchr(path, '?') ? '&' : '?');
	return s;
}

/* How often a 409 Conflict is met by re-reading the object (kubectl's scaler retries too). */
#define ACTION_CONFLICT_RETRIES 5

static enum od_status request_retrying(const struct action_ctx *c, struct action_plan *p,
				       bool dry_run, long *code, struct err *e)
{
	enum od_status rc = OD_OK;

	for (int attempt = 0; attempt <= ACTION_CONFLICT_RETRIES; attempt++) {
		char *path = dry_run ? path_with_dry_run(p->path) : strdup(p->path);

		if (!path)
			return err_set(e, OD_ENOMEM, "out of memory");
		rc = action_request(c, p->method, path, p->content_type, p->body, code, NULL, e);
		free(path);
		if (rc == OD_OK || *code != 409 || !p->refresh)
			return rc;
		if (p->refresh(c, p, e) != OD_OK)
			return e->status;
	}
	return rc;
}

enum od_status action_step_dry_run(const struct action_ctx *c, struct action_plan *p,
				   long *code, struct err *e)
{
	long cd = 0;

	return request_retrying(c, p, true, code ? code : &cd, e);
}

enum od_status action_step_apply(const struct action_ctx *c, struct action_plan *p,
				 long *code, struct err *e)
{
	long cd = 0;

	return request_retrying(c, p, false, code ? code : &cd, e);
}

static long json_long(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	return cJSON_IsNumber(x) ? (long)x->valuedouble : 0;
}

static enum action_progress poll_replicas(const cJSON *obj, long want, char *line, size_t n)
{
	long ready = json_long(obj, "status", "readyReplicas");
	long total = json_long(obj, "status", "replicas");
	long gen = json_long(obj, "metadata", "generation");
	long seen = json_long(obj, "status", "observedGeneration");

	snprintf(line, n, "replicas: %ld ready, %ld in total, want %ld", ready, total, want);
	if (seen < gen)
		return ACTION_PROGRESS_WAITING;
	return ready == want && total == want ? ACTION_PROGRESS_DONE : ACTION_PROGRESS_WAITING;
}

static enum action_progress poll_snapshot(const cJSON *obj, char *line, size_t n)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(obj, "status");
	const cJSON *ready = cJSON_GetObjectItemCaseSensitive(st, "readyToUse");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(st, "error");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");

	if (cJSON_IsString(msg)) {
		snprintf(line, n, "snapshot error: %s", msg->valuestring);
		return ACTION_PROGRESS_FAILED;
	}
	if (cJSON_IsTrue(ready)) {
		snprintf(line, n, "readyToUse: true");
		return ACTION_PROGRESS_DONE;
	}
	snprintf(line, n, "readyToUse: false");
	return ACTION_PROGRESS_WAITING;
}

static enum action_progress poll_pvc(const cJSON *obj, char *line, size_t n)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(obj, "status");
	const cJSON *ph = cJSON_GetObjectItemCaseSensitive(st, "phase");
	const char *phase = cJSON_IsString(ph) ? ph->valuestring : "Pending";

	snprintf(line, n, "phase: %s", phase);
	return strcmp(phase, "Bound") == 0 ? ACTION_PROGRESS_DONE : ACTION_PROGRESS_WAITING;
}

static enum action_progress poll_pod_gone(const struct action_plan *p, enum od_status rc,
					  const cJSON *obj, char *line, size_t n)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *uid = cJSON_GetObjectItemCaseSensitive(md, "uid");

	if (rc == OD_ENOENT || (cJSON_IsString(uid) && p->follow_uid &&
				strcmp(uid->valuestring, p->follow_uid) != 0)) {
		snprintf(line, n, "pod \"%s\" is gone", p->name);
		return ACTION_PROGRESS_DONE;
	}
	snprintf(line, n, "pod \"%s\" is terminating", p->name);
	return ACTION_PROGRESS_WAITING;
}

/* Step 5's verdict on one GET of the followed object (rc, obj may be NULL). */
static enum action_progress follow_eval(const struct action_plan *p, enum od_status rc,
					const cJSON *obj, const struct err *ge, char *line,
					size_t n, struct err *e)
{
	enum action_progress pr = ACTION_PROGRESS_DONE;

	snprintf(line, n, "done");
	if (p->follow == ACTION_FOLLOW_NONE)
		return ACTION_PROGRESS_DONE;
	if (rc != OD_OK && !(rc == OD_ENOENT && p->follow == ACTION_FOLLOW_POD_GONE)) {
		snprintf(line, n, "%s", ge->msg);
		return ACTION_PROGRESS_WAITING;   /* a blip while following is not a verdict */
	}
	switch (p->follow) {
	case ACTION_FOLLOW_ROLLOUT:
		pr = rollout_status_eval(obj, line, n);
		break;
	case ACTION_FOLLOW_REPLICAS:
		pr = poll_replicas(obj, p->follow_target, line, n);
		break;
	case ACTION_FOLLOW_POD_GONE:
		pr = poll_pod_gone(p, rc, obj, line, n);
		break;
	case ACTION_FOLLOW_SNAPSHOT:
		pr = poll_snapshot(obj, line, n);
		break;
	case ACTION_FOLLOW_PVC_BOUND:
		pr = poll_pvc(obj, line, n);
		break;
	case ACTION_FOLLOW_NONE:
		break;
	}
	if (pr == ACTION_PROGRESS_FAILED)
		err_set(e, OD_EHTTP, "error: %s", line);
	return pr;
}

enum action_progress action_follow_poll(const struct action_ctx *c, const struct action_plan *p,
					char *line, size_t n, struct err *e)
{
	cJSON *obj = NULL;
	struct err ge = { 0 };
	enum od_status rc = OD_OK;
	enum action_progress pr;

	if (p->follow != ACTION_FOLLOW_NONE)
		rc = action_get_json(c, p->follow_path, &obj, &ge);
	pr = follow_eval(p, rc, obj, &ge, line, n, e);
	cJSON_Delete(obj);
	return pr;
}

/* ---- the steps without blocking ---- */

struct action_step_call {
	const struct action_ctx *c;   /* borrowed */
	struct http_call *call;       /* owned by the HTTP client while in flight */
	const struct action_plan *p;  /* borrowed */
	enum action_step step;
	action_step_cb cb;
	void *arg;
	uint64_t t0;
	char *path;                   /* owned: the request's path */
};

static void step_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct action_step_call *sc = arg;
	struct action_step_result r = {
		.step = sc->step,
		.status = res->status,
		.err = res->err,
		.http_code = res->code,
		.duration_ms = (int64_t)(time_mono_ms() - sc->t0),
	};
	struct err e = { 0 };
	char line[ERR_MSG_MAX];

	(void)call;
	if (sc->step == ACTION_STEP_POLL) {
		cJSON *obj = NULL;
		struct err ge = { 0 };

		if (res->status == OD_OK && res->body)
			obj = cJSON_ParseWithLength(buf_cstr(res->body), res->body->len);
		if (res->status != OD_OK && res->err)
			ge = *res->err;
		r.progress = follow_eval(sc->p, res->status == OD_OK && !obj ? OD_EPARSE : res->status,
					 obj, &ge, line, sizeof line, &e);
		r.line = line;
		if (r.progress == ACTION_PROGRESS_FAILED) {
			r.status = e.status;
			r.err = &e;
		} else {
			r.status = OD_OK;
		}
		cJSON_Delete(obj);
	} else {
		const char *what = sc->step == ACTION_STEP_DRY_RUN ? "dry-run" : "apply";
		const char *ok = r.status == OD_OK ? "ok" : sc->step == ACTION_STEP_DRY_RUN ? "refused"
											     : "failed";

		action_audit(sc->c, sc->p->kind, sc->p, NULL, NULL, what, (int)r.http_code,
			     r.duration_ms, ok,
			     r.status == OD_OK ? (sc->step == ACTION_STEP_APPLY ? sc->p->done_message
										 : NULL)
					       : (r.err ? r.err->msg : NULL));
	}
	sc->cb(&r, sc->arg);
	free(sc->path);
	free(sc);
}

void action_step_cancel(struct action_step_call **scp)
{
	struct action_step_call *sc = scp ? *scp : NULL;

	if (!sc)
		return;
	http_cancel(sc->c->http, &sc->call);
	free(sc->path);
	free(sc);
	*scp = NULL;
}

enum od_status action_step_start(const struct action_ctx *c, const struct action_plan *p,
				 enum action_step step, action_step_cb cb, void *arg,
				 struct action_step_call **out, struct err *e)
{
	struct action_step_call *sc = calloc(1, sizeof *sc);
	struct http_request rq = { .on_done = step_done };
	enum od_status rc;

	if (!sc)
		return err_set(e, OD_ENOMEM, "out of memory");
	*sc = (struct action_step_call){ .c = c, .p = p, .step = step, .cb = cb, .arg = arg,
				  .t0 = time_mono_ms() };
	if (step == ACTION_STEP_POLL) {
		sc->path = strdup(p->follow_path ? p->follow_path : p->path);
	} else {
		sc->path = step == ACTION_STEP_DRY_RUN ? path_with_dry_run(p->path) : strdup(p->path);
		rq.method = p->method;
		rq.content_type = p->content_type;
		rq.body = p->body;
		rq.body_len = p->body ? strlen(p->body) : 0;
	}
	if (!sc->path) {
		free(sc);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	rq.path = sc->path;
	rq.arg = sc;
	rc = http_start(c->http, &rq, &sc->call, e);
	if (rc != OD_OK) {
		free(sc->path);
		free(sc);
		sc = NULL;
	}
	if (out)
		*out = sc;
	return rc;
}

static int64_t mono_since(uint64_t t0)
{
	return (int64_t)(time_mono_ms() - t0);
}

static void show_progress(const struct action_ctx *c, const struct action_plan *p,
			  const char *line)
{
	if (c->ui && c->ui->show_progress)
		c->ui->show_progress(p, line, c->ui->arg);
}

/* Step 5 as action_run drives it: async polls and a loop timer between them. */
struct follow_state {
	const struct action_ctx *c;
	const struct action_plan *p;
	bool in_flight;
	bool tick;
	enum action_progress pr;
	char line[ERR_MSG_MAX];
	char last[ERR_MSG_MAX];
	struct err e;
};

static void follow_polled(const struct action_step_result *r, void *arg)
{
	struct follow_state *fs = arg;

	fs->in_flight = false;
	fs->pr = r->progress;
	snprintf(fs->line, sizeof fs->line, "%s", r->line ? r->line : "");
	if (r->progress == ACTION_PROGRESS_FAILED && r->err)
		fs->e = *r->err;
	if (strcmp(fs->line, fs->last) != 0) {
		show_progress(fs->c, fs->p, fs->line);
		snprintf(fs->last, sizeof fs->last, "%s", fs->line);
	}
}

static void follow_tick(struct loop *lp, uint64_t id, void *arg)
{
	struct follow_state *fs = arg;

	(void)lp;
	(void)id;
	fs->tick = true;
}

/* Runs the loop until *flag is cleared (want false) or set (want true), or the deadline. */
static bool run_until(struct loop *lp, const bool *flag, bool want, uint64_t deadline,
		      struct err *e)
{
	while (*flag != want) {
		uint64_t now = time_mono_ms();

		if (now >= deadline)
			return false;
		if (loop_run_once(lp, (int)(deadline - now), e) != OD_OK)
			return false;
	}
	return true;
}

/* Step 5: polls until done, failed or the timeout; prints each new line once. */
static enum od_status step_follow(const struct action_ctx *c, const struct action_plan *p,
				  const struct action_run_opts *o, struct err *e)
{
	int64_t timeout = o->timeout_ms > 0 ? o->timeout_ms : 5 * 60 * 1000;
	int64_t poll = o->poll_ms > 0 ? o->poll_ms : 500;
	uint64_t t0 = time_mono_ms(), deadline = t0 + (uint64_t)timeout;
	struct loop *lp = http_client_loop(c->http);
	struct follow_state fs = { .c = c, .p = p, .pr = ACTION_PROGRESS_WAITING };

	for (;;) {
		struct action_step_call *call = NULL;
		struct err le = { 0 };

		fs.in_flight = true;
		if (action_step_start(c, p, ACTION_STEP_POLL, follow_polled, &fs, &call, e) != OD_OK)
			return e->status;
		if (!run_until(lp, &fs.in_flight, false, deadline, &le)) {
			if (fs.in_flight)
				action_step_cancel(&call);
			break;
		}
		if (fs.pr == ACTION_PROGRESS_DONE) {
			action_audit(c, p->kind, p, NULL, NULL, "result", 0, mono_since(t0), "ok",
				     fs.line);
			return OD_OK;
		}
		if (fs.pr == ACTION_PROGRESS_FAILED) {
			*e = fs.e;
			action_audit(c, p->kind, p, NULL, NULL, "result", 0, mono_since(t0), "failed",
				     fs.line);
			return e->status ? e->status : OD_EHTTP;
		}
		fs.tick = false;
		{
			uint64_t id = loop_timer_add(lp, (uint64_t)poll, 0, follow_tick, &fs);

			if (!run_until(lp, &fs.tick, true, deadline, &le)) {
				loop_timer_cancel(lp, id);
				break;
			}
		}
	}
	action_audit(c, p->kind, p, NULL, NULL, "result", 0, mono_since(t0), "timeout", fs.line);
	return err_set(e, OD_ETIMEDOUT, "error: timed out waiting for the condition (%s)",
		       fs.line[0] ? fs.line : "no answer yet");
}

static enum od_status refuse(const struct action_ctx *c, const struct action_plan *p,
			     const char *why, struct err *e)
{
	action_audit(c, p->kind, p, NULL, NULL, "refuse", 0, 0, "refused", why);
	return err_set(e, OD_EREFUSED, "error: %s", why);
}

/* Step 3: every question the plan needs, in order. */
static enum od_status step_confirm(const struct action_ctx *c, const struct action_plan *p,
				   struct err *e)
{
	char answer[256] = "";
	const struct action_ui *ui = c->ui;

	if (!ui || !ui->ask || !ui->ask(p, ACTION_ASK_PROCEED, answer, sizeof answer, ui->arg))
		return refuse(c, p, "not confirmed (headless: pass --yes)", e);
	if (p->type_name || c->protected_) {
		answer[0] = '\0';
		if (!ui->ask(p, ACTION_ASK_TYPE_NAME, answer, sizeof answer, ui->arg) ||
		    strcmp(answer, p->name) != 0) {
			char why[400];

			snprintf(why, sizeof why,
				 "the name typed does not match \"%s\" (%s; headless: --confirm %s)",
				 p->name, c->protected_ ? "protected context" : "scaling to 0", p->name);
			return refuse(c, p, why, e);
		}
	}
	if (p->force && !ui->ask(p, ACTION_ASK_FORCE, answer, sizeof answer, ui->arg))
		return refuse(c, p, "a forced deletion needs a second confirmation "
				 "(headless: --confirm-force)", e);
	action_audit(c, p->kind, p, NULL, NULL, "confirm", 0, 0, "ok", NULL);
	return OD_OK;
}

enum od_status action_run(const struct action_ctx *c, struct action_plan *p,
			  const struct action_run_opts *o, struct err *e)
{
	uint64_t t0;
	long code = 0;
	enum od_status rc;

	rc = action_check_writable(c, p->kind, p->namespace_, p->kind_name, e);
	if (rc != OD_OK)
		return rc;
	/* 1. plan */
	if (c->ui && c->ui->show_plan)
		c->ui->show_plan(p, c->ui->arg);
	action_audit(c, p->kind, p, NULL, NULL, "plan", 0, 0, p->refusal ? "refused" : "ok", p->refusal);
	if (p->refusal)
		return err_set(e, OD_EREFUSED, "%s", p->refusal);
	/* 2. dry run */
	t0 = time_mono_ms();
	rc = action_step_dry_run(c, p, &code, e);
	action_audit(c, p->kind, p, NULL, NULL, "dry-run", (int)code, mono_since(t0),
		     rc == OD_OK ? "ok" : "refused", rc == OD_OK ? NULL : e->msg);
	if (c->ui && c->ui->show_dry_run)
		c->ui->show_dry_run(p, rc, e, c->ui->arg);
	if (rc != OD_OK || o->dry_run)
		return rc;
	/* 3. confirm */
	rc = step_confirm(c, p, e);
	if (rc != OD_OK)
		return rc;
	/* 4. apply */
	t0 = time_mono_ms();
	rc = action_step_apply(c, p, &code, e);
	action_audit(c, p->kind, p, NULL, NULL, "apply", (int)code, mono_since(t0),
		     rc == OD_OK ? "ok" : "failed", rc == OD_OK ? p->done_message : e->msg);
	if (rc != OD_OK)
		return rc;
	if (c->ui && c->ui->show_applied)
		c->ui->show_applied(p, c->ui->arg);
	/* 5. follow */
	if (!o->wait || p->follow == ACTION_FOLLOW_NONE)
		return OD_OK;
	return step_follow(c, p, o, e);
}
