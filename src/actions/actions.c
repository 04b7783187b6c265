/*
 * actions.c: the five steps every guarded action goes through (plan, dry
 * run, confirm, apply, follow), the read-only refusal, and the audit rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	if (store_audit_append(c->store, &a, &e) != OD_OK && a.seq == 0)
		fprintf(stderr, "warning: the audit log could not be written: %s\n", e.msg);
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

/* A request through http_do; the body parsed when out is non-NULL. */
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

enum od_status action_step_dry_run(const struct action_ctx *c, const struct action_plan *p,
				   long *code, struct err *e)
{
	char *path = path_with_dry_run(p->path);
	enum od_status rc;

	if (!path)
		return err_set(e, OD_ENOMEM, "out of memory");
	rc = action_request(c, p->method, path, p->content_type, p->body, code, NULL, e);
	free(path);
	return rc;
}

enum od_status action_step_apply(const struct action_ctx *c, const struct action_plan *p,
				 long *code, struct err *e)
{
	return action_request(c, p->method, p->path, p->content_type, p->body, code, NULL, e);
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

enum action_progress action_follow_poll(const struct action_ctx *c, const struct action_plan *p,
					char *line, size_t n, struct err *e)
{
	cJSON *obj = NULL;
	enum od_status rc;
	enum action_progress pr = ACTION_PROGRESS_DONE;

	snprintf(line, n, "done");
	if (p->follow == ACTION_FOLLOW_NONE)
		return ACTION_PROGRESS_DONE;
	rc = action_get_json(c, p->follow_path, &obj, e);
	if (rc != OD_OK && !(rc == OD_ENOENT && p->follow == ACTION_FOLLOW_POD_GONE)) {
		snprintf(line, n, "%s", e->msg);
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
	cJSON_Delete(obj);
	if (pr == ACTION_PROGRESS_FAILED)
		err_set(e, OD_EHTTP, "error: %s", line);
	return pr;
}

static int64_t mono_since(uint64_t t0)
{
	return (int64_t)(time_mono_ms() - t0);
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void show_progress(const struct action_ctx *c, const struct action_plan *p,
			  const char *line)
{
	if (c->ui && c->ui->show_progress)
		c->ui->show_progress(p, line, c->ui->arg);
}

/* Step 5: polls until done, failed or the timeout; prints each new line once. */
static enum od_status step_follow(const struct action_ctx *c, const struct action_plan *p,
				  const struct action_run_opts *o, struct err *e)
{
	int64_t timeout = o->timeout_ms > 0 ? o->timeout_ms : 5 * 60 * 1000;
	int64_t poll = o->poll_ms > 0 ? o->poll_ms : 500;
	uint64_t t0 = time_mono_ms();
	char line[ERR_MSG_MAX], last[ERR_MSG_MAX] = "";

	for (;;) {
		struct err pe = { 0 };
		enum action_progress pr = action_follow_poll(c, p, line, sizeof line, &pe);

		if (strcmp(line, last) != 0) {
			show_progress(c, p, line);
			snprintf(last, sizeof last, "%s", line);
		}
		if (pr == ACTION_PROGRESS_DONE) {
			action_audit(c, p->kind, p, NULL, NULL, "result", 0, mono_since(t0), "ok", line);
			return OD_OK;
		}
		if (pr == ACTION_PROGRESS_FAILED) {
			*e = pe;
			action_audit(c, p->kind, p, NULL, NULL, "result", 0, mono_since(t0), "failed", line);
			return e->status ? e->status : OD_EHTTP;
		}
		if (mono_since(t0) >= timeout) {
			action_audit(c, p->kind, p, NULL, NULL, "result", 0, mono_since(t0), "timeout", line);
			return err_set(e, OD_ETIMEDOUT, "error: timed out waiting for the condition (%s)",
				       line);
		}
		sleep_ms(poll);
	}
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
