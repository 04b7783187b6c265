/*
 * build.c: step 1 of every action. Each builder reads the object (and what
 * the plan must show: its pods, its Scale, its PVCs, the snapshot class) and
 * fills a struct action_plan: the request of steps 2 and 4, what to follow
 * in step 5, and the refusals kubectl would give (paused Deployment, stale
 * --current-replicas).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/action_build.h"
#include "opsdeck/action_rollout.h"

#define REV_ANN "deployment.kubernetes.io/revision"
#define RESTART_ANN "kubectl.kubernetes.io/restartedAt"
#define DEFAULT_CLASS_ANN "snapshot.storage.kubernetes.io/is-default-class"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *x = get(o, k);

	return cJSON_IsString(x) ? x->valuestring : NULL;
}

static long num(const cJSON *o, const char *k, long dflt)
{
	const cJSON *x = get(o, k);

	return cJSON_IsNumber(x) ? (long)x->valuedouble : dflt;
}

/* A formatted, owned string (NULL only when out of memory). */
static char *xfmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *xfmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

enum od_status action_parse_ref(const char *ref, const char *const *allowed,
				const struct api_resource **res, const char **name,
				struct err *e)
{
	const char *slash = strchr(ref, '/');
	char type[128];

	if (!slash || slash == ref || !slash[1] || (size_t)(slash - ref) >= sizeof type)
		return err_set(e, OD_EUSAGE, "error: expected TYPE/NAME (e.g. deploy/web), got \"%s\"",
			       ref);
	memcpy(type, ref, (size_t)(slash - ref));
	type[slash - ref] = '\0';
	*res = api_resource_lookup(type, e);
	if (!*res)
		return OD_EUSAGE;
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(allowed[i], (*res)->plural) == 0) {
			*name = slash + 1;
			return OD_OK;
		}
	{
		char kinds[256] = "";
		size_t len = 0;

		for (size_t i = 0; allowed[i] && len < sizeof kinds; i++)
			len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s",
						i ? ", " : "", allowed[i]);
		return err_set(e, OD_EUSAGE, "error: %s \"%s\": this action works on %s only",
			       (*res)->plural, slash + 1, kinds);
	}
}

void action_snapshot_default_name(const char *pvc, struct od_time t, char *out, size_t n)
{
	int64_t days = t.sec >= 0 ? t.sec / 86400 : (t.sec - 86399) / 86400;
	int64_t rem = t.sec - days * 86400, y;
	unsigned m, d;
	char suffix[128];
	size_t keep, max = n < 254 ? n - 1 : 253;

	time_civil_from_days(days, &y, &m, &d);
	snprintf(suffix, sizeof suffix, "-manual-%04lld%02u%02u-%02lld%02lld%02lld", (long long)y,
		 m, d, (long long)(rem / 3600), (long long)(rem / 60 % 60), (long long)(rem % 60));
	keep = strlen(pvc);
	if (keep + strlen(suffix) > max)
		keep = max > strlen(suffix) ? max - strlen(suffix) : 0;
	snprintf(out, n, "%.*s%s", (int)keep, pvc, suffix);
}

bool action_scale_steps(long cur, long want, char *out, size_t n)
{
	size_t len;

	if (n)
		out[0] = '\0';
	if (want <= 0 || cur - want <= 2)
		return false;
	len = (size_t)snprintf(out, n, "%ld", cur);
	for (long r = cur - 2; len < n; r -= 2) {
		if (r < want)
			r = want;
		len += (size_t)snprintf(out + len, n - len, " -> %ld", r);
		if (r == want)
			break;
	}
	return true;
}

void action_restart_patch(struct od_time t, char *out, size_t n)
{
	char ts[40];

	time_format_rfc3339(t, ts, sizeof ts);
	snprintf(out, n, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
		 RESTART_ANN "\":\"%s\"}}}}}", ts);
}

/* The API path of an object (or collection when name is NULL), owned. */
static char *obj_path(const struct api_resource *r, const char *ns, const char *name,
		      const char *sub, const char *label_selector, struct err *e)
{
	struct api_target t = { .res = r, .namespace_ = ns, .name = name, .subresource = sub };
	struct api_query q = { .label_selector = label_selector };
	struct buf b;

	buf_init(&b, 8192);
	if (api_build_path(&t, label_selector ? &q : NULL, &b, e) != OD_OK) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* "deployment.apps/web", as kubectl names an object. */
static char *kind_name(const struct api_resource *r, const char *name)
{
	return *r->group ? xfmt("%s.%s/%s", r->singular, r->group, name)
			 : xfmt("%s/%s", r->singular, name);
}

static struct action_plan *plan_new(enum action_kind k, const struct action_ctx *c,
				    const struct api_resource *r, const char *ns, const char *name)
{
	struct action_plan *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->kind = k;
	p->context = strdup(c->context ? c->context : "");
	p->namespace_ = strdup(ns);
	p->resource = *r->group ? xfmt("%s.%s", r->plural, r->group) : strdup(r->plural);
	p->kind_name = kind_name(r, name);
	p->name = strdup(name);
	return p;
}

/* "k=v,k2=v2" from spec.selector.matchLabels; "" when there is none. */
static void match_labels(const cJSON *selector, char *out, size_t n)
{
	const cJSON *l;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(l, get(selector, "matchLabels")) {
		if (!cJSON_IsString(l))
			continue;
		len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s%s=%s", len ? "," : "",
					l->string, l->valuestring);
		if (len >= n)
			break;
	}
}

/* "3 pods: a, b, c" for the pods a selector picks. */
static char *pods_line(const struct action_ctx *c, const char *ns, const char *selector)
{
	const struct api_resource *pods = api_resource_lookup("pods", NULL);
	struct err e = { 0 };
	char *path = obj_path(pods, ns, NULL, NULL, selector, &e);
	cJSON *list = NULL;
	const cJSON *it;
	char names[1024] = "";
	size_t len = 0, count = 0;

	if (!path || !selector || !*selector || action_get_json(c, path, &list, &e) != OD_OK) {
		free(path);
		return strdup(e.msg[0] ? e.msg : "unknown");
	}
	free(path);
	cJSON_ArrayForEach(it, get(list, "items")) {
		const char *nm = str(get(it, "metadata"), "name");

		count++;
		if (nm && len < sizeof names - 1)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
						nm);
	}
	cJSON_Delete(list);
	return count ? xfmt("%zu pod%s: %s", count, count == 1 ? "" : "s", names)
		     : strdup("no pods");
}

size_t action_workload_pvcs(const cJSON *workload, char *out, size_t n)
{
	const cJSON *sp = get(workload, "spec"), *v;
	const char *name = str(get(workload, "metadata"), "name");
	size_t len = 0, count = 0;
	long replicas = num(sp, "replicas", 1);

	out[0] = '\0';
	cJSON_ArrayForEach(v, get(sp, "volumeClaimTemplates")) {
		const char *t = str(get(v, "metadata"), "name");

		for (long i = 0; t && name && i < replicas && len < n; i++, count++)
			len += (size_t)snprintf(out + len, n - len, "%s%s-%s-%ld", len ? "," : "", t,
						name, i);
	}
	cJSON_ArrayForEach(v, get(get(get(sp, "template"), "spec"), "volumes")) {
		const char *claim = str(get(v, "persistentVolumeClaim"), "claimName");

		if (claim && len < n) {
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", claim);
			count++;
		}
	}
	if (len >= n && n)
		out[n - 1] = '\0';
	return count;
}

/* The snapshot-first suggestion: one `opsdeck snapshot` command per PVC. */
static char *snapshot_note(const char *why, const char *ns, const char *pvcs)
{
	struct buf b;
	char one[256];
	const char *s = pvcs;

	buf_init(&b, 16384);
	buf_printf(&b, NULL, "%s: take a snapshot first (or pass --snapshot-first):", why);
	while (*s) {
		size_t k = strcspn(s, ",");

		snprintf(one, sizeof one, "%.*s", (int)k, s);
		buf_printf(&b, NULL, "\n  opsdeck snapshot pvc/%s -n %s", one, ns);
		s += k;
		if (*s == ',')
			s++;
	}
	return buf_detach(&b, NULL);
}

static enum od_status oom(struct err *e)
{
	return err_set(e, OD_ENOMEM, "out of memory");
}

static bool plan_complete(const struct action_plan *p)
{
	return p->context && p->namespace_ && p->resource && p->kind_name && p->name &&
	       p->before && p->after && p->pods && p->kubectl && p->method && p->path &&
	       p->done_message;
}

/* ---- restart ---- */

static const char *const restartable[] = { "deployments", "statefulsets", "daemonsets", NULL };

enum od_status action_build_restart(const struct action_ctx *c, const struct action_target *t,
				    struct action_plan **out, struct err *e)
{
	const struct api_resource *r;
	const char *name;
	cJSON *obj = NULL;
	struct action_plan *p = NULL;
	char patch[256], sel[1024], pvcs[2048], ts[40];
	const char *old;
	enum od_status rc;

	*out = NULL;
	if ((rc = action_parse_ref(t->type, restartable, &r, &name, e)) != OD_OK)
		return rc;
	p = plan_new(ACTION_RESTART, c, r, t->namespace_, name);
	if (!p)
		return oom(e);
	p->path = obj_path(r, t->namespace_, name, NULL, NULL, e);
	if (!p->path || (rc = action_get_json(c, p->path, &obj, e)) != OD_OK) {
		rc = p->path ? rc : OD_EINVAL;
		goto out;
	}
	old = str(get(get(get(get(obj, "spec"), "template"), "metadata"), "annotations"),
		  RESTART_ANN);
	time_format_rfc3339(t->now, ts, sizeof ts);
	action_restart_patch(t->now, patch, sizeof patch);
	match_labels(get(get(obj, "spec"), "selector"), sel, sizeof sel);
	p->before = xfmt("restartedAt=%s", old ? old : "<none>");
	p->after = xfmt("restartedAt=%s", ts);
	p->pods = pods_line(c, t->namespace_, sel);
	p->kubectl = xfmt("kubectl rollout restart %s -n %s", p->kind_name, t->namespace_);
	p->method = strdup("PATCH");
	p->content_type = strdup("application/strategic-merge-patch+json");
	p->body = strdup(patch);
	p->follow = ACTION_FOLLOW_ROLLOUT;
	p->follow_path = strdup(p->path);
	p->done_message = xfmt("%s restarted", p->kind_name);
	if (cJSON_IsTrue(get(get(obj, "spec"), "paused")))
		p->refusal = xfmt("error: %s \"%s\" can't restart paused deployment (run rollout "
				  "resume first)", p->resource, name);
	if (t->profile_stateful && action_workload_pvcs(obj, pvcs, sizeof pvcs) > 0) {
		p->notes = snapshot_note("the profile marks this workload stateful",
					 t->namespace_, pvcs);
		p->snapshot_pvcs = strdup(pvcs);
	}
	rc = plan_complete(p) ? OD_OK : oom(e);
out:
	cJSON_Delete(obj);
	if (rc == OD_OK)
		*out = p;
	else
		action_plan_free(&p);
	return rc;
}

/* ---- delete pod ---- */

enum od_status action_build_delete(const struct action_ctx *c, const struct action_target *t,
				   const struct action_delete_opts *o, struct action_plan **out,
				   struct err *e)
{
	const struct api_resource *r = api_resource_lookup("pods", NULL);
	cJSON *obj = NULL;
	struct action_plan *p;
	const cJSON *md, *owner;
	long grace = o->force ? 0 : o->grace_period;
	char *base = NULL;
	enum od_status rc;

	*out = NULL;
	p = plan_new(ACTION_DELETE, c, r, t->namespace_, t->name);
	if (!p)
		return oom(e);
	base = obj_path(r, t->namespace_, t->name, NULL, NULL, e);
	if (!base) {
		rc = OD_EINVAL;
		goto out;
	}
	if ((rc = action_get_json(c, base, &obj, e)) != OD_OK)
		goto out;
	md = get(obj, "metadata");
	owner = cJSON_GetArrayItem(get(md, "ownerReferences"), 0);
	p->follow_uid = strdup(str(md, "uid") ? str(md, "uid") : "");
	p->before = xfmt("phase=%s", str(get(obj, "status"), "phase") ? str(get(obj, "status"),
									       "phase") : "Unknown");
	p->after = grace >= 0 ? xfmt("deleted (grace period %lds%s)", grace,
				     o->force ? ", forced" : "")
			      : strdup("deleted (the pod's own grace period)");
	p->pods = owner ? xfmt("pod %s; its controller %s/%s creates a replacement", t->name,
			       str(owner, "kind") ? str(owner, "kind") : "?",
			       str(owner, "name") ? str(owner, "name") : "?")
			: xfmt("pod %s; it has no controller: it will NOT come back", t->name);
	if (o->force)
		p->kubectl = xfmt("kubectl delete pod %s -n %s --grace-period=0 --force", t->name,
				  t->namespace_);
	else if (grace >= 0)
		p->kubectl = xfmt("kubectl delete pod %s -n %s --grace-period=%ld", t->name,
				  t->namespace_, grace);
	else
		p->kubectl = xfmt("kubectl delete pod %s -n %s", t->name, t->namespace_);
	p->method = strdup("DELETE");
	p->path = grace >= 0 ? xfmt("%s?gracePeriodSeconds=%ld", base, grace) : strdup(base);
	p->follow = ACTION_FOLLOW_POD_GONE;
	p->follow_path = strdup(base);
	p->force = o->force;
	p->done_message = xfmt("pod \"%s\" deleted", t->name);
	rc = plan_complete(p) ? OD_OK : oom(e);
out:
	free(base);
	cJSON_Delete(obj);
	if (rc == OD_OK)
		*out = p;
	else
		action_plan_free(&p);
	return rc;
}

/* ---- scale ---- */

static const char *const scalable[] = { "deployments", "statefulsets", NULL };

/* The body of step 4: a PUT of the Scale read (its resourceVersion is the
 * precondition) or kubectl's merge patch without --current-replicas. */
static enum od_status scale_request(struct action_plan *p, cJSON *scale,
				    const struct action_scale_opts *o, struct err *e)
{
	cJSON *sp = cJSON_GetObjectItemCaseSensitive(scale, "spec");

	if (o->current_replicas < 0) {
		p->method = strdup("PATCH");
		p->content_type = strdup("application/merge-patch+json");
		p->body = xfmt("{\"spec\":{\"replicas\":%ld}}", o->replicas);
		return OD_OK;
	}
	if (!sp)
		sp = cJSON_AddObjectToObject(scale, "spec");
	cJSON_DeleteItemFromObjectCaseSensitive(sp, "replicas");
	if (!sp || !cJSON_AddNumberToObject(sp, "replicas", (double)o->replicas))
		return oom(e);
	p->method = strdup("PUT");
	p->content_type = strdup("application/json");
	p->body = cJSON_PrintUnformatted(scale);
	return OD_OK;
}

/* p->refresh for scale: a new GET of the Scale, the precondition again, a new PUT body. */
static enum od_status scale_refresh(const struct action_ctx *c, struct action_plan *p,
				    struct err *e)
{
	struct action_scale_opts o = { .replicas = p->target, .current_replicas = p->precondition };
	cJSON *scale = NULL;
	long cur;
	enum od_status rc;

	if ((rc = action_get_json(c, p->path, &scale, e)) != OD_OK)
		return rc;
	cur = num(get(scale, "spec"), "replicas", 0);
	if (p->precondition >= 0 && cur != p->precondition) {
		cJSON_Delete(scale);
		return err_set(e, OD_EREFUSED, "error: Expected replicas to be %ld, was %ld",
			       p->precondition, cur);
	}
	free(p->method);
	free(p->content_type);
	free(p->body);
	p->method = p->content_type = p->body = NULL;
	rc = scale_request(p, scale, &o, e);
	cJSON_Delete(scale);
	if (rc == OD_OK && (!p->method || !p->content_type || !p->body))
		rc = oom(e);
	return rc;
}

enum od_status action_build_scale(const struct action_ctx *c, const struct action_target *t,
				  const struct action_scale_opts *o, struct action_plan **out,
				  struct err *e)
{
	const struct api_resource *r;
	const char *name, *sel;
	cJSON *scale = NULL, *obj = NULL;
	struct action_plan *p = NULL;
	char steps[256], pvcs[2048];
	long cur;
	enum od_status rc;

	*out = NULL;
	if ((rc = action_parse_ref(t->type, scalable, &r, &name, e)) != OD_OK)
		return rc;
	if (o->replicas < 0)
		return err_set(e, OD_EUSAGE, "error: The --replicas=COUNT flag is required, and "
			       "COUNT must be greater than or equal to 0");
	p = plan_new(ACTION_SCALE, c, r, t->namespace_, name);
	if (!p)
		return oom(e);
	p->path = obj_path(r, t->namespace_, name, "scale", NULL, e);
	p->follow_path = obj_path(r, t->namespace_, name, NULL, NULL, e);
	if (!p->path || !p->follow_path) {
		rc = OD_EINVAL;
		goto out;
	}
	if ((rc = action_get_json(c, p->path, &scale, e)) != OD_OK ||
	    (rc = action_get_json(c, p->follow_path, &obj, e)) != OD_OK)
		goto out;
	cur = num(get(scale, "spec"), "replicas", 0);
	sel = str(get(scale, "status"), "selector");
	p->before = xfmt("replicas=%ld", cur);
	p->after = xfmt("replicas=%ld", o->replicas);
	p->pods = pods_line(c, t->namespace_, sel ? sel : "");
	p->kubectl = o->current_replicas >= 0
		? xfmt("kubectl scale %s --current-replicas=%ld --replicas=%ld -n %s", p->kind_name,
		       o->current_replicas, o->replicas, t->namespace_)
		: xfmt("kubectl scale %s --replicas=%ld -n %s", p->kind_name, o->replicas,
		       t->namespace_);
	if ((rc = scale_request(p, scale, o, e)) != OD_OK)
		goto out;
	p->follow = ACTION_FOLLOW_REPLICAS;
	p->follow_target = o->replicas;
	p->target = o->replicas;
	p->precondition = o->current_replicas;
	p->refresh = scale_refresh;
	p->type_name = o->replicas == 0;
	p->done_message = xfmt("%s scaled", p->kind_name);
	if (o->current_replicas >= 0 && o->current_replicas != cur)
		p->refusal = xfmt("error: Expected replicas to be %ld, was %ld", o->current_replicas,
				  cur);
	if (action_scale_steps(cur, o->replicas, steps, sizeof steps))
		p->notes = xfmt("a large scale-down: the runbooks go one or two replicas at a time "
				"(%s), checking health between steps", steps);
	else if (o->replicas == 0 && strcmp(r->plural, "statefulsets") == 0 &&
		 action_workload_pvcs(obj, pvcs, sizeof pvcs) > 0) {
		p->notes = snapshot_note("scaling a StatefulSet with PVCs to 0", t->namespace_, pvcs);
		p->snapshot_pvcs = strdup(pvcs);
	}
	rc = plan_complete(p) ? OD_OK : oom(e);
out:
	cJSON_Delete(scale);
	cJSON_Delete(obj);
	if (rc == OD_OK)
		*out = p;
	else
		action_plan_free(&p);
	return rc;
}

/* ---- snapshot ---- */

/* The cluster's default VolumeSnapshotClass (by annotation), owned; NULL if none. */
static char *default_snapshot_class(const struct action_ctx *c)
{
	const struct api_resource *r = api_resource_lookup("volumesnapshotclasses", NULL);
	struct err e = { 0 };
	char *path = obj_path(r, NULL, NULL, NULL, NULL, &e), *found = NULL;
	cJSON *list = NULL;
	const cJSON *it;

	if (!path || action_get_json(c, path, &list, &e) != OD_OK) {
		free(path);
		return NULL;
	}
	cJSON_ArrayForEach(it, get(list, "items")) {
		const cJSON *md = get(it, "metadata");
		const char *d = str(get(md, "annotations"), DEFAULT_CLASS_ANN);

		if (d && strcmp(d, "true") == 0 && str(md, "name")) {
			found = strdup(str(md, "name"));
			break;
		}
	}
	cJSON_Delete(list);
	free(path);
	return found;
}

static char *snapshot_body(const char *ns, const char *name, const char *cls, const char *pvc)
{
	cJSON *o = cJSON_CreateObject(), *md, *sp, *src;
	char *s = NULL;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "apiVersion", "snapshot.storage.k8s.io/v1");
	cJSON_AddStringToObject(o, "kind", "VolumeSnapshot");
	md = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", ns);
	sp = cJSON_AddObjectToObject(o, "spec");
	if (cls)
		cJSON_AddStringToObject(sp, "volumeSnapshotClassName", cls);
	src = cJSON_AddObjectToObject(sp, "source");
	cJSON_AddStringToObject(src, "persistentVolumeClaimName", pvc);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

enum od_status action_build_snapshot(const struct action_ctx *c, const struct action_target *t,
				     const struct action_snapshot_opts *o,
				     struct action_plan **out, struct err *e)
{
	const struct api_resource *r = api_resource_lookup("volumesnapshots", NULL);
	const struct api_resource *pvcr = api_resource_lookup("pvc", NULL);
	struct action_plan *p = NULL;
	char defname[256], *cls = NULL, *pvc_path = NULL, *coll = NULL;
	const char *name, *cls_from;
	cJSON *pvc = NULL;
	struct err pe = { 0 };
	enum od_status rc = OD_OK;

	*out = NULL;
	action_snapshot_default_name(t->name, t->now, defname, sizeof defname);
	name = o->name && *o->name ? o->name : defname;
	if (o->cls && *o->cls) {
		cls = strdup(o->cls);
		cls_from = "--class";
	} else if (t->profile_snapshot_class) {
		cls = strdup(t->profile_snapshot_class);
		cls_from = "the profile";
	} else {
		cls = default_snapshot_class(c);
		cls_from = cls ? "the cluster's default class" : "none: no default class";
	}
	p = plan_new(ACTION_SNAPSHOT, c, r, t->namespace_, name);
	pvc_path = obj_path(pvcr, t->namespace_, t->name, NULL, NULL, e);
	coll = obj_path(r, t->namespace_, NULL, NULL, NULL, e);
	if (!p || !pvc_path || !coll) {
		rc = p ? OD_EINVAL : oom(e);
		goto out;
	}
	/* a missing PVC is not refused here: the snapshot's status.error says it */
	if (action_get_json(c, pvc_path, &pvc, &pe) == OD_OK) {
		const cJSON *st = get(pvc, "status");
		const char *phase = str(st, "phase"), *size = str(get(st, "capacity"), "storage");

		p->before = xfmt("pvc/%s %s, %s", t->name, phase ? phase : "?", size ? size : "?");
	} else {
		p->before = xfmt("pvc/%s: %s", t->name, pe.msg);
	}
	p->after = xfmt("volumesnapshot/%s of pvc/%s, class %s (%s)", name, t->name,
			cls ? cls : "<unset>", cls_from);
	p->pods = strdup("none (a snapshot does not restart anything)");
	p->kubectl = xfmt("kubectl create -f - <<EOF  # VolumeSnapshot %s, "
			  "spec.source.persistentVolumeClaimName: %s%s%s -n %s", name, t->name,
			  cls ? ", volumeSnapshotClassName: " : "", cls ? cls : "", t->namespace_);
	p->method = strdup("POST");
	p->path = strdup(coll);
	p->content_type = strdup("application/json");
	p->body = snapshot_body(t->namespace_, name, cls, t->name);
	p->follow = ACTION_FOLLOW_SNAPSHOT;
	p->follow_path = obj_path(r, t->namespace_, name, NULL, NULL, e);
	p->done_message = xfmt("%s created", p->kind_name);
	rc = plan_complete(p) && p->body && p->follow_path ? OD_OK : oom(e);
out:
	free(cls);
	free(pvc_path);
	free(coll);
	cJSON_Delete(pvc);
	if (rc == OD_OK)
		*out = p;
	else
		action_plan_free(&p);
	return rc;
}

/* ---- restore ---- */

static char *restore_body(const char *ns, const char *to, const char *snap, const char *size,
			  const char *sc, const cJSON *modes)
{
	cJSON *o = cJSON_CreateObject(), *md, *sp, *ds, *req;
	char *s;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "apiVersion", "v1");
	cJSON_AddStringToObject(o, "kind", "PersistentVolumeClaim");
	md = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(md, "name", to);
	cJSON_AddStringToObject(md, "namespace", ns);
	sp = cJSON_AddObjectToObject(o, "spec");
	if (cJSON_IsArray(modes) && cJSON_GetArraySize(modes) > 0) {
		cJSON_AddItemToObject(sp, "accessModes", cJSON_Duplicate(modes, 1));
	} else {
		cJSON *m = cJSON_AddArrayToObject(sp, "accessModes");

		cJSON_AddItemToArray(m, cJSON_CreateString("ReadWriteOnce"));
	}
	if (sc)
		cJSON_AddStringToObject(sp, "storageClassName", sc);
	ds = cJSON_AddObjectToObject(sp, "dataSource");
	cJSON_AddStringToObject(ds, "apiGroup", "snapshot.storage.k8s.io");
	cJSON_AddStringToObject(ds, "kind", "VolumeSnapshot");
	cJSON_AddStringToObject(ds, "name", snap);
	req = cJSON_AddObjectToObject(cJSON_AddObjectToObject(sp, "resources"), "requests");
	cJSON_AddStringToObject(req, "storage", size);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

enum od_status action_build_restore(const struct action_ctx *c, const struct action_target *t,
				    const char *to, struct action_plan **out, struct err *e)
{
	const struct api_resource *vs = api_resource_lookup("volumesnapshots", NULL);
	const struct api_resource *pvcr = api_resource_lookup("pvc", NULL);
	struct action_plan *p = NULL;
	cJSON *snap = NULL, *src = NULL;
	char *snap_path = NULL, *src_path = NULL;
	const char *size, *src_name, *sc = NULL;
	const cJSON *modes = NULL;
	struct err ie = { 0 };
	enum od_status rc;

	*out = NULL;
	p = plan_new(ACTION_RESTORE, c, pvcr, t->namespace_, to);
	snap_path = obj_path(vs, t->namespace_, t->name, NULL, NULL, e);
	if (!p || !snap_path) {
		rc = p ? OD_EINVAL : oom(e);
		goto out;
	}
	if ((rc = action_get_json(c, snap_path, &snap, e)) != OD_OK)
		goto out;
	size = str(get(snap, "status"), "restoreSize");
	src_name = str(get(get(snap, "spec"), "source"), "persistentVolumeClaimName");
	if (src_name && (src_path = obj_path(pvcr, t->namespace_, src_name, NULL, NULL, &ie)) &&
	    action_get_json(c, src_path, &src, &ie) == OD_OK) {
		sc = str(get(src, "spec"), "storageClassName");
		modes = get(get(src, "spec"), "accessModes");
	}
	p->before = xfmt("volumesnapshot/%s (readyToUse %s, restoreSize %s, from pvc/%s)",
			 t->name, cJSON_IsTrue(get(get(snap, "status"), "readyToUse")) ? "true"
											 : "false",
			 size ? size : "<unset>", src_name ? src_name : "?");
	p->after = xfmt("pvc/%s, %s, storage class %s, dataSource volumesnapshot/%s", to,
			size ? size : "?", sc ? sc : "<default>", t->name);
	p->pods = strdup("none (the new PVC is not mounted by anything yet)");
	p->kubectl = xfmt("kubectl create -f - <<EOF  # PersistentVolumeClaim %s, "
			  "spec.dataSource: {apiGroup: snapshot.storage.k8s.io, kind: "
			  "VolumeSnapshot, name: %s} -n %s", to, t->name, t->namespace_);
	p->method = strdup("POST");
	p->path = obj_path(pvcr, t->namespace_, NULL, NULL, NULL, e);
	p->content_type = strdup("application/json");
	p->body = restore_body(t->namespace_, to, t->name, size ? size : "1Gi", sc, modes);
	p->follow = ACTION_FOLLOW_PVC_BOUND;
	p->follow_path = obj_path(pvcr, t->namespace_, to, NULL, NULL, e);
	p->done_message = xfmt("%s created", p->kind_name);
	if (!size || !cJSON_IsTrue(get(get(snap, "status"), "readyToUse")))
		p->refusal = xfmt("error: volumesnapshot \"%s\" is not readyToUse yet (no "
				  "restoreSize): wait for it, e.g. opsdeck snapshots", t->name);
	rc = plan_complete(p) && p->body && p->follow_path ? OD_OK : oom(e);
out:
	free(snap_path);
	free(src_path);
	cJSON_Delete(snap);
	cJSON_Delete(src);
	if (rc == OD_OK)
		*out = p;
	else
		action_plan_free(&p);
	return rc;
}

/* ---- rollback ---- */

static const char *const rollbackable[] = { "deployments", "statefulsets", NULL };

/* The workload and its history (ReplicaSets or ControllerRevisions it owns). */
enum od_status action_load_history(const struct action_ctx *c, const char *ns, const char *ref,
				   cJSON **workload, struct rollout_history *h, struct err *e)
{
	const struct api_resource *r, *owned;
	const char *name;
	char sel[1024], *path = NULL, *lpath = NULL;
	cJSON *list = NULL;
	enum od_status rc;

	*workload = NULL;
	memset(h, 0, sizeof *h);
	if ((rc = action_parse_ref(ref, rollbackable, &r, &name, e)) != OD_OK)
		return rc;
	owned = api_resource_lookup(strcmp(r->plural, "deployments") == 0 ? "replicasets"
									   : "controllerrevisions",
				    NULL);
	path = obj_path(r, ns, name, NULL, NULL, e);
	if (!path) {
		rc = OD_EINVAL;
		goto out;
	}
	if ((rc = action_get_json(c, path, workload, e)) != OD_OK)
		goto out;
	match_labels(get(get(*workload, "spec"), "selector"), sel, sizeof sel);
	lpath = obj_path(owned, ns, NULL, NULL, *sel ? sel : NULL, e);
	if (!lpath) {
		rc = OD_EINVAL;
		goto out;
	}
	if ((rc = action_get_json(c, lpath, &list, e)) != OD_OK)
		goto out;
	rc = rollout_history_build(*workload, list, h, e);
out:
	free(path);
	free(lpath);
	cJSON_Delete(list);
	if (rc != OD_OK) {
		cJSON_Delete(*workload);
		*workload = NULL;
	}
	return rc;
}

static int64_t current_revision(const cJSON *w, const struct rollout_history *h)
{
	const char *rv = str(get(get(w, "metadata"), "annotations"), REV_ANN);

	if (rv)
		return strtoll(rv, NULL, 10);
	return h->n ? h->v[h->n - 1].revision : 0;
}

enum od_status action_build_rollback(const struct action_ctx *c, const struct action_target *t,
				     int64_t to_revision, struct action_plan **out,
				     struct err *e)
{
	const struct api_resource *r;
	const char *name;
	cJSON *w = NULL, *patch = NULL, *op;
	struct rollout_history h = { 0 };
	const struct rollout_revision *rev;
	struct action_plan *p = NULL;
	char cur_images[1024], sel[1024];
	int64_t cur;
	enum od_status rc;

	*out = NULL;
	if ((rc = action_parse_ref(t->type, rollbackable, &r, &name, e)) != OD_OK)
		return rc;
	if ((rc = action_load_history(c, t->namespace_, t->type, &w, &h, e)) != OD_OK)
		return rc;
	rev = rollout_history_pick(&h, to_revision, e);
	if (!rev) {
		rc = e->status;
		goto out;
	}
	p = plan_new(ACTION_ROLLBACK, c, r, t->namespace_, name);
	if (!p) {
		rc = oom(e);
		goto out;
	}
	cur = current_revision(w, &h);
	rollout_template_images(get(get(w, "spec"), "template"), cur_images, sizeof cur_images);
	match_labels(get(get(w, "spec"), "selector"), sel, sizeof sel);
	p->before = xfmt("revision %lld: %s", (long long)cur, cur_images);
	p->after = xfmt("revision %lld: %s", (long long)rev->revision, rev->images);
	p->pods = pods_line(c, t->namespace_, sel);
	p->kubectl = to_revision > 0
		? xfmt("kubectl rollout undo %s --to-revision=%lld -n %s", p->kind_name,
		       (long long)to_revision, t->namespace_)
		: xfmt("kubectl rollout undo %s -n %s", p->kind_name, t->namespace_);
	/* as kubectl's rollbacker: replace the pod template with the revision's */
	patch = cJSON_CreateArray();
	op = cJSON_CreateObject();
	cJSON_AddStringToObject(op, "op", "replace");
	cJSON_AddStringToObject(op, "path", "/spec/template");
	cJSON_AddItemToObject(op, "value", cJSON_Duplicate(rev->template, 1));
	cJSON_AddItemToArray(patch, op);
	p->method = strdup("PATCH");
	p->content_type = strdup("application/json-patch+json");
	p->body = cJSON_PrintUnformatted(patch);
	p->path = obj_path(r, t->namespace_, name, NULL, NULL, e);
	p->follow = ACTION_FOLLOW_ROLLOUT;
	p->follow_path = p->path ? strdup(p->path) : NULL;
	p->done_message = xfmt("%s rolled back", p->kind_name);
	if (cJSON_IsTrue(get(get(w, "spec"), "paused")))
		p->refusal = xfmt("error: you cannot rollback a paused deployment; resume it first "
				  "with 'kubectl rollout resume %s/%s' and try again", r->singular,
				  name);
	else if (cJSON_Compare(get(get(w, "spec"), "template"), rev->template, 1))
		p->refusal = xfmt("%s skipped rollback (current template already matches revision "
				  "%lld)", p->kind_name, (long long)rev->revision);
	rc = plan_complete(p) && p->body && p->follow_path ? OD_OK : oom(e);
out:
	cJSON_Delete(patch);
	cJSON_Delete(w);
	rollout_history_free(&h);
	if (rc == OD_OK)
		*out = p;
	else
		action_plan_free(&p);
	return rc;
}
