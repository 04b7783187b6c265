/*
 * cmd_logs.c: `opsdeck logs` as kubectl logs: one pod, a label selector, or
 * the pod kubectl would pick for deploy/NAME or sts/NAME; -c, --all-containers,
 * --tail, --since, --since-time, --previous, -f, --prefix, --timestamps and
 * --max-log-requests with kubectl's defaults and wording. Every stream runs in
 * the one event loop and is cut into complete lines (linesplit.h). opsdeck
 * adds --grep RE (POSIX ERE; matches highlighted on a terminal unless
 * NO_COLOR), and following a selector watches pods, so pods that appear later
 * are followed too (as stern does).
 */
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/api.h"
#include "opsdeck/clikube.h"
#include "opsdeck/commands.h"
#include "opsdeck/duration.h"
#include "opsdeck/http.h"
#include "opsdeck/informer.h"
#include "opsdeck/linesplit.h"
#include "opsdeck/pod.h"
#include "opsdeck/printer.h"

int cmd_logs(const struct global_opts *g, int argc, char **argv);

/* kubectl's --max-log-requests default. */
#define LOGS_MAX_REQUESTS_DEFAULT 5
/* Lines longer than this are cut (a container that never prints a newline). */
#define LOGS_LINE_MAX (1u * 1024u * 1024u)

struct logs_opts {
	const char *target;          /* POD, TYPE/NAME */
	const char *selector;        /* -l */
	const char *container;       /* -c */
	bool all_containers;
	long tail;                   /* -1: unset */
	const char *since;           /* --since D */
	const char *since_time;      /* --since-time RFC3339 */
	bool previous;
	bool follow;
	bool prefix;
	bool timestamps;
	const char *grep;
	long max_requests;
	bool ignore_errors;
};

struct logs_run;

/* One container's log stream. */
struct log_stream {
	struct logs_run *run;        /* borrowed */
	char *ns, *pod, *container;  /* owned */
	char prefix[768];            /* "[pod/NAME/CONTAINER] " or "" */
	struct line_splitter ls;
	bool started, finished, last_line;
	struct log_stream *next;     /* owned list in logs_run */
};

struct logs_run {
	struct clikube k;
	struct logs_opts o;
	regex_t re;                  /* valid when o.grep */
	bool color;                  /* highlight --grep matches */
	struct log_stream *streams;  /* owned list, in print order */
	size_t nstreams;
	size_t active;               /* streams in flight */
	bool sequential;             /* not following: one stream after another */
	struct informer *inf;        /* -f -l: pods appearing later (owned) */
	uint64_t start_timer;        /* pending logs_start_new, 0 if none */
	int exit_code;
};

static int logs_parse(int argc, char **argv, struct logs_opts *o)
{
	const char *tail = NULL, *maxr = NULL;

	o->tail = -1;
	o->max_requests = LOGS_MAX_REQUESTS_DEFAULT;
	for (int i = 1; i < argc; i++) {
		if (clikube_help(argv[i], "logs"))
			return -1;
		const char *a = argv[i];
		int r;
		if ((r = clikube_flag_value(argc, argv, &i, "-l", "--selector", &o->selector)) ||
		    (r = clikube_flag_value(argc, argv, &i, "-c", "--container", &o->container)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--tail", &tail)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--since-time", &o->since_time)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--since", &o->since)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--grep", &o->grep)) ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--max-log-requests", &maxr))) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		if (clikube_flag_bool(a, NULL, "--all-containers", &o->all_containers) ||
		    clikube_flag_bool(a, "-p", "--previous", &o->previous) ||
		    clikube_flag_bool(a, "-f", "--follow", &o->follow) ||
		    clikube_flag_bool(a, NULL, "--prefix", &o->prefix) ||
		    clikube_flag_bool(a, NULL, "--timestamps", &o->timestamps) ||
		    clikube_flag_bool(a, NULL, "--ignore-errors", &o->ignore_errors))
			continue;
		if (a[0] == '-' && a[1]) {
			fprintf(stderr, "error: unknown flag: %s\n", a);
			return CLI_EXIT_USAGE;
		}
		if (!o->target) {
			o->target = a;
		} else if (!o->container) {
			o->container = a;   /* kubectl logs POD CONTAINER */
		} else {
			fprintf(stderr, "error: expected POD_NAME or TYPE/NAME [CONTAINER]\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (tail) {
		char *end;
		o->tail = strtol(tail, &end, 10);
		if (*end || !*tail) {
			fprintf(stderr, "error: invalid argument \"%s\" for \"--tail\" flag\n", tail);
			return CLI_EXIT_USAGE;
		}
	}
	if (maxr) {
		char *end;
		o->max_requests = strtol(maxr, &end, 10);
		if (*end || !*maxr) {
			fprintf(stderr, "error: invalid argument \"%s\" for \"--max-log-requests\" "
					"flag\n", maxr);
			return CLI_EXIT_USAGE;
		}
	}
	if (!o->target && !o->selector) {
		fprintf(stderr, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
				"POD or TYPE/NAME is a required argument for the logs command\n"
				"See 'opsdeck logs -h' for help and examples\n");
		return CLI_EXIT_USAGE;
	}
	if (o->target && o->selector) {
		fprintf(stderr, "error: only a selector (-l) or a POD name is allowed\n");
		return CLI_EXIT_USAGE;
	}
	if (o->since && o->since_time) {
		fprintf(stderr, "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n");
		return CLI_EXIT_USAGE;
	}
	if (o->all_containers && o->container) {
		fprintf(stderr, "error: --container cannot be used with --all-containers\n");
		return CLI_EXIT_USAGE;
	}
	if (o->max_requests <= 0) {
		fprintf(stderr, "error: --max-log-requests must be greater than 0\n");
		return CLI_EXIT_USAGE;
	}
	/* kubectl shows the last 10 lines per pod for a selector unless told otherwise */
	if (o->selector && o->tail == -1)
		o->tail = 10;
	return CLI_EXIT_OK;
}

/* ---- output ---- */

static void logs_write_line(struct logs_run *r, const char *text, size_t len)
{
	regmatch_t m;
	size_t off = 0;

	if (!r->color) {
		fwrite(text, 1, len, stdout);
		return;
	}
	/* highlight every match; the line is NUL-terminated by the splitter */
	while (off <= len && regexec(&r->re, text + off, 1, &m, off ? REG_NOTBOL : 0) == 0) {
		if (m.rm_eo == m.rm_so) {
			if (off + (size_t)m.rm_so >= len)
				break;
			fwrite(text + off, 1, (size_t)m.rm_so + 1, stdout);
			off += (size_t)m.rm_so + 1;
			continue;
		}
		fwrite(text + off, 1, (size_t)m.rm_so, stdout);
		fputs("\033[1;31m", stdout);
		fwrite(text + off + m.rm_so, 1, (size_t)(m.rm_eo - m.rm_so), stdout);
		fputs("\033[0m", stdout);
		off += (size_t)m.rm_eo;
	}
	if (off < len)
		fwrite(text + off, 1, len - off, stdout);
}

static enum od_status logs_on_line(const char *text, size_t len, bool truncated, void *arg,
				   struct err *e)
{
	struct log_stream *s = arg;
	struct logs_run *r = s->run;

	(void)truncated;
	(void)e;
	if (r->o.grep && regexec(&r->re, text, 0, NULL, 0) != 0)
		return OD_OK;
	fputs(s->prefix, stdout);
	logs_write_line(r, text, len);
	/* a last line without a newline stays without one, as kubectl copies the bytes */
	if (!s->last_line)
		fputc('\n', stdout);
	if (r->o.follow)
		fflush(stdout);
	return OD_OK;
}

static enum od_status logs_on_data(const char *p, size_t n, void *arg, struct err *e)
{
	struct log_stream *s = arg;

	/* the plain case is copied byte for byte */
	if (!s->run->o.grep && !s->prefix[0]) {
		fwrite(p, 1, n, stdout);
		if (s->run->o.follow)
			fflush(stdout);
		return OD_OK;
	}
	return line_splitter_feed(&s->ls, p, n, logs_on_line, s, e);
}

static void logs_start_next(struct logs_run *r);

static void logs_on_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct log_stream *s = arg;
	struct logs_run *r = s->run;
	struct err e = { 0 };

	(void)call;
	s->last_line = true;
	line_splitter_finish(&s->ls, logs_on_line, s, &e);
	fflush(stdout);
	s->finished = true;
	r->active--;
	if (res->status != OD_OK && r->o.ignore_errors) {
		/* kubectl reports the bare message on stdout and goes on, exit status untouched */
		fprintf(stdout, "error: %s\n", res->api_status && res->api_status->message[0]
						 ? res->api_status->message : res->err->msg);
	} else if (res->status != OD_OK) {
		r->exit_code = clikube_fail(res->status, res->err);
		if (r->sequential) {
			loop_stop(r->k.loop);
			return;
		}
	}
	if (r->sequential)
		logs_start_next(r);
	else if (r->active == 0 && !r->inf)
		loop_stop(r->k.loop);
}

static enum od_status logs_request(struct logs_run *r, struct log_stream *s, struct err *e)
{
	struct api_resource pods = { .group = "", .version = "v1", .plural = "pods",
				     .singular = "pod", .kind = "Pod", .namespaced = true };
	struct api_target t = { .res = &pods, .namespace_ = s->ns, .name = s->pod,
				.subresource = "log" };
	struct api_query q = { 0 };
	char tail[32], since[32];
	struct buf path;
	enum od_status rc;

	q.extra[q.nextra][0] = "container";
	q.extra[q.nextra++][1] = s->container;
	if (r->o.follow) {
		q.extra[q.nextra][0] = "follow";
		q.extra[q.nextra++][1] = "true";
	}
	if (r->o.previous) {
		q.extra[q.nextra][0] = "previous";
		q.extra[q.nextra++][1] = "true";
	}
	if (r->o.timestamps) {
		q.extra[q.nextra][0] = "timestamps";
		q.extra[q.nextra++][1] = "true";
	}
	if (r->o.tail >= 0) {
		snprintf(tail, sizeof(tail), "%ld", r->o.tail);
		q.extra[q.nextra][0] = "tailLines";
		q.extra[q.nextra++][1] = tail;
	}
	if (r->o.since) {
		int64_t ns = 0;
		if (duration_parse(r->o.since, &ns, e) != OD_OK)
			return err_set(e, OD_EUSAGE, "invalid argument \"%s\" for \"--since\" flag",
				       r->o.since);
		/* client-go rounds up to whole seconds */
		snprintf(since, sizeof(since), "%lld",
			 (long long)((ns + NS_PER_SEC - 1) / NS_PER_SEC));
		q.extra[q.nextra][0] = "sinceSeconds";
		q.extra[q.nextra++][1] = since;
	}
	if (r->o.since_time) {
		q.extra[q.nextra][0] = "sinceTime";
		q.extra[q.nextra++][1] = r->o.since_time;
	}
	buf_init(&path, 8192);
	rc = api_build_path(&t, &q, &path, e);
	if (rc == OD_OK) {
		struct http_request rq = { .path = buf_cstr(&path), .accept = "*/*",
					   .timeout_ms = r->o.follow ? -1 : 0,
					   .on_data = logs_on_data, .on_done = logs_on_done,
					   .arg = s };
		rc = http_start(r->k.conn->http, &rq, NULL, e);
	}
	buf_free(&path);
	if (rc == OD_OK) {
		s->started = true;
		r->active++;
	}
	return rc;
}

static void logs_start_next(struct logs_run *r)
{
	struct err e = { 0 };

	for (struct log_stream *s = r->streams; s; s = s->next) {
		if (s->started)
			continue;
		if (logs_request(r, s, &e) != OD_OK) {
			r->exit_code = clikube_fail(e.status, &e);
			loop_stop(r->k.loop);
		}
		return;
	}
	loop_stop(r->k.loop);
}

static bool logs_have_stream(const struct logs_run *r, const char *ns, const char *pod,
			     const char *c)
{
	for (const struct log_stream *s = r->streams; s; s = s->next)
		if (!strcmp(s->ns, ns) && !strcmp(s->pod, pod) && !strcmp(s->container, c))
			return true;
	return false;
}

static enum od_status logs_add_stream(struct logs_run *r, const char *ns, const char *pod,
				      const char *c, struct err *e)
{
	struct log_stream *s = calloc(1, sizeof(*s)), **tailp = &r->streams;

	if (!s)
		return err_set(e, OD_ENOMEM, "out of memory");
	s->run = r;
	s->ns = strdup(ns);
	s->pod = strdup(pod);
	s->container = strdup(c);
	if (!s->ns || !s->pod || !s->container) {
		free(s->ns);
		free(s->pod);
		free(s->container);
		free(s);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	if (r->o.prefix)
		snprintf(s->prefix, sizeof(s->prefix), "[pod/%s/%s] ", pod, c);
	line_splitter_init(&s->ls, LOGS_LINE_MAX);
	while (*tailp)
		tailp = &(*tailp)->next;
	*tailp = s;
	r->nstreams++;
	return OD_OK;
}

static void logs_free_streams(struct logs_run *r)
{
	while (r->streams) {
		struct log_stream *s = r->streams;
		r->streams = s->next;
		line_splitter_free(&s->ls);
		free(s->ns);
		free(s->pod);
		free(s->container);
		free(s);
	}
}

/* ---- which containers ---- */

static const char *logs_default_container(const cJSON *pod)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(pod, "metadata");
	const cJSON *an = cJSON_GetObjectItemCaseSensitive(md, "annotations");
	const cJSON *dc = cJSON_GetObjectItemCaseSensitive(an, "kubectl.kubernetes.io/default-container");
	return cJSON_IsString(dc) ? dc->valuestring : NULL;
}

/*
 * The streams of one pod: every container with --all-containers (init
 * containers first), -c's, else the one kubectl defaults to (telling which
 * on stderr when there was a choice, as kubectl does).
 */
static enum od_status logs_pod_streams(struct logs_run *r, const cJSON *obj, bool quiet,
				       struct err *e)
{
	struct pod p = { 0 };
	enum od_status rc = pod_from_json(obj, &p, e);

	if (rc != OD_OK)
		return rc;
	if (r->o.all_containers) {
		for (size_t i = 0; i < p.ninit_containers && rc == OD_OK; i++)
			if (!logs_have_stream(r, p.namespace_, p.name, p.init_containers[i].name))
				rc = logs_add_stream(r, p.namespace_, p.name,
						     p.init_containers[i].name, e);
		for (size_t i = 0; i < p.ncontainers && rc == OD_OK; i++)
			if (!logs_have_stream(r, p.namespace_, p.name, p.containers[i].name))
				rc = logs_add_stream(r, p.namespace_, p.name, p.containers[i].name,
						     e);
		goto out;
	}
	const char *c = r->o.container;
	if (c) {
		bool found = false;
		for (size_t i = 0; i < p.ncontainers; i++)
			found = found || !strcmp(p.containers[i].name, c);
		for (size_t i = 0; i < p.ninit_containers; i++)
			found = found || !strcmp(p.init_containers[i].name, c);
		if (!found) {
			rc = err_set(e, OD_EINVAL, "error: container %s is not valid for pod %s", c,
				     p.name);
			goto out;
		}
	} else {
		c = logs_default_container(obj);
		if (!c && p.ncontainers > 0)
			c = p.containers[0].name;
		if (!c) {
			rc = err_set(e, OD_EINVAL, "error: pod %s has no containers", p.name);
			goto out;
		}
		if (!quiet && p.ncontainers + p.ninit_containers > 1) {
			fprintf(stderr, "Defaulted container \"%s\" out of: ", c);
			for (size_t i = 0; i < p.ncontainers; i++)
				fprintf(stderr, "%s%s", i ? ", " : "", p.containers[i].name);
			for (size_t i = 0; i < p.ninit_containers; i++)
				fprintf(stderr, ", %s (init)", p.init_containers[i].name);
			fputc('\n', stderr);
		}
	}
	if (!logs_have_stream(r, p.namespace_, p.name, c))
		rc = logs_add_stream(r, p.namespace_, p.name, c, e);
out:
	pod_clear(&p);
	return rc;
}

/* kubectl's podutils.ByLogging, without the ready-time step: the pod logs are read from. */
static int logs_pod_rank_cmp(const cJSON *a, const cJSON *b)
{
	struct pod x = { 0 }, y = { 0 };
	int d = 0;

	if (pod_from_json(a, &x, NULL) != OD_OK || pod_from_json(b, &y, NULL) != OD_OK)
		goto out;
	bool xn = x.node && x.node[0], yn = y.node && y.node[0];
	if (xn != yn) {
		d = xn ? -1 : 1;
		goto out;
	}
	int px = x.phase && !strcmp(x.phase, "Pending") ? 2 : x.phase && !strcmp(x.phase, "Unknown");
	int py = y.phase && !strcmp(y.phase, "Pending") ? 2 : y.phase && !strcmp(y.phase, "Unknown");
	if (px != py) {
		d = px < py ? -1 : 1;
		goto out;
	}
	const struct pod_condition *rx = pod_find_condition(&x, "Ready");
	const struct pod_condition *ry = pod_find_condition(&y, "Ready");
	bool xr = rx && rx->status && !strcmp(rx->status, "True");
	bool yr = ry && ry->status && !strcmp(ry->status, "True");
	if (xr != yr) {
		d = xr ? -1 : 1;
		goto out;
	}
	int32_t mx = 0, my = 0;
	for (size_t i = 0; i < x.nstatuses; i++)
		mx = x.statuses[i].restart_count > mx ? x.statuses[i].restart_count : mx;
	for (size_t i = 0; i < y.nstatuses; i++)
		my = y.statuses[i].restart_count > my ? y.statuses[i].restart_count : my;
	if (mx != my) {
		d = mx > my ? -1 : 1;
		goto out;
	}
	if (x.created.sec != y.created.sec) {
		if (x.created.sec == 0)
			d = 1;
		else if (y.created.sec == 0)
			d = -1;
		else
			d = x.created.sec < y.created.sec ? -1 : 1;
	}
out:
	pod_clear(&x);
	pod_clear(&y);
	return d;
}

/* A workload's spec.selector as a label selector string (matchLabels and matchExpressions). */
static enum od_status logs_workload_selector(const cJSON *obj, struct buf *sel, struct err *e)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(obj, "spec");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(spec, "selector");
	const cJSON *ml = cJSON_GetObjectItemCaseSensitive(s, "matchLabels");
	const cJSON *me = cJSON_GetObjectItemCaseSensitive(s, "matchExpressions");
	const cJSON *it;
	enum od_status rc = OD_OK;

	if (!s)
		s = cJSON_GetObjectItemCaseSensitive(spec, "selector");
	if (s && !ml && !me && cJSON_IsObject(s) && s->child && cJSON_IsString(s->child))
		ml = s;   /* a ReplicationController or Service: a plain map */
	cJSON_ArrayForEach(it, ml) {
		if (rc == OD_OK && cJSON_IsString(it))
			rc = buf_printf(sel, e, "%s%s=%s", sel->len ? "," : "", it->string,
					it->valuestring);
	}
	cJSON_ArrayForEach(it, me) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "key");
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(it, "operator");
		const cJSON *vals = cJSON_GetObjectItemCaseSensitive(it, "values"), *v;
		if (rc != OD_OK || !cJSON_IsString(k) || !cJSON_IsString(op))
			continue;
		if (!strcmp(op->valuestring, "Exists")) {
			rc = buf_printf(sel, e, "%s%s", sel->len ? "," : "", k->valuestring);
		} else if (!strcmp(op->valuestring, "DoesNotExist")) {
			rc = buf_printf(sel, e, "%s!%s", sel->len ? "," : "", k->valuestring);
		} else {
			rc = buf_printf(sel, e, "%s%s %s (", sel->len ? "," : "", k->valuestring,
					!strcmp(op->valuestring, "In") ? "in" : "notin");
			bool first = true;
			cJSON_ArrayForEach(v, vals) {
				if (rc == OD_OK && cJSON_IsString(v))
					rc = buf_printf(sel, e, "%s%s", first ? "" : ",", v->valuestring);
				first = false;
			}
			if (rc == OD_OK)
				rc = buf_append_str(sel, ")", e);
		}
	}
	return rc;
}

static enum od_status logs_pods_path(struct logs_run *r, const char *ns, struct buf *out,
				     struct err *e)
{
	const struct api_resource *pods = api_resource_lookup("pods", e);
	struct api_target t = { .res = pods, .namespace_ = ns };

	(void)r;
	return pods ? api_build_path(&t, NULL, out, e) : OD_EINVAL;
}

/* TYPE/NAME: the workload's pods, ranked as kubectl ranks them; the first is used. */
static enum od_status logs_resolve_workload(struct logs_run *r, const char *type,
					    const char *name, struct err *e)
{
	const struct api_resource *res = api_resource_lookup(type, e);
	struct api_target t = { .res = res, .namespace_ = r->k.namespace_, .name = name };
	struct buf path, sel;
	cJSON *obj = NULL, *list = NULL;
	enum od_status rc;

	if (!res)
		return OD_ENOENT;
	buf_init(&path, 8192);
	buf_init(&sel, 8192);
	rc = api_build_path(&t, NULL, &path, e);
	if (rc == OD_OK)
		rc = clikube_get_json(&r->k, buf_cstr(&path), NULL, &obj, e);
	if (rc == OD_ENOENT) {
		/* kubectl's builder words a missing object this way for logs */
		err_set(e, rc, "error: error from server (NotFound): %s%s%s \"%s\" not found in "
			"namespace \"%s\"", res->plural, res->group[0] ? "." : "", res->group, name,
			r->k.namespace_);
		goto out;
	}
	if (rc == OD_OK && !strcmp(res->plural, "pods")) {
		rc = logs_pod_streams(r, obj, false, e);
		goto out;
	}
	if (rc == OD_OK)
		rc = logs_workload_selector(obj, &sel, e);
	if (rc != OD_OK)
		goto out;
	buf_reset(&path);
	rc = logs_pods_path(r, r->k.namespace_, &path, e);
	if (rc == OD_OK)
		rc = clikube_list(&r->k, buf_cstr(&path), buf_cstr(&sel), NULL, NULL, &list, e);
	if (rc != OD_OK)
		goto out;
	cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	int n = cJSON_GetArraySize(items);
	if (n == 0) {
		rc = err_set(e, OD_ENOENT, "error: timed out waiting for the condition");
		goto out;
	}
	/* a stable insertion sort, as Go's sort does for short lists */
	const cJSON *best = cJSON_GetArrayItem(items, 0);
	for (int i = 1; i < n; i++) {
		const cJSON *c = cJSON_GetArrayItem(items, i);
		if (logs_pod_rank_cmp(c, best) < 0)
			best = c;
	}
	if (n > 1) {
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(best, "metadata");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
		fprintf(stderr, "Found %d pods, using pod/%s\n", n,
			cJSON_IsString(nm) ? nm->valuestring : "");
	}
	rc = logs_pod_streams(r, best, false, e);
out:
	cJSON_Delete(obj);
	cJSON_Delete(list);
	buf_free(&path);
	buf_free(&sel);
	return rc;
}

/* A pod can be streamed once one of its containers has started. */
static bool logs_pod_has_started(const cJSON *obj)
{
	struct pod p = { 0 };
	bool started = false;

	if (pod_from_json(obj, &p, NULL) != OD_OK)
		return false;
	for (size_t i = 0; i < p.nstatuses; i++)
		started = started || p.statuses[i].state.kind == CONTAINER_STATE_RUNNING ||
			  p.statuses[i].state.kind == CONTAINER_STATE_TERMINATED;
	pod_clear(&p);
	return started;
}

/* Starts the streams added since the last call, within --max-log-requests. */
static void logs_start_new(struct loop *lp, uint64_t id, void *arg)
{
	struct logs_run *r = arg;
	struct err e = { 0 };

	(void)lp;
	(void)id;
	r->start_timer = 0;
	for (struct log_stream *s = r->streams; s; s = s->next) {
		if (s->started)
			continue;
		if (r->active >= (size_t)r->o.max_requests) {
			fprintf(stderr, "opsdeck: not following pod/%s/%s: --max-log-requests %ld "
					"reached\n", s->pod, s->container, r->o.max_requests);
			s->started = s->finished = true;
			continue;
		}
		if (logs_request(r, s, &e) != OD_OK) {
			fprintf(stderr, "opsdeck: following pod/%s/%s: %s\n", s->pod, s->container,
				e.msg);
			s->started = s->finished = true;
		}
	}
}

/*
 * -f -l: a pod that appeared (or started) after the first listing. Called
 * from the watch stream, where no request may start: the streams start from
 * a timer on the next loop iteration.
 */
static enum od_status logs_on_pod(void *arg, enum watch_type type, const cJSON *obj,
				  struct err *e)
{
	struct logs_run *r = arg;
	enum od_status rc;

	if (type == WATCH_DELETED || !logs_pod_has_started(obj))
		return OD_OK;
	rc = logs_pod_streams(r, obj, true, e);
	if (rc == OD_OK && !r->start_timer)
		r->start_timer = loop_timer_add(r->k.loop, 0, 0, logs_start_new, r);
	return rc;
}

static void logs_on_watch_error(void *arg, const struct err *e)
{
	(void)arg;
	fprintf(stderr, "opsdeck: watching pods: %s\n", e->msg);
}

static enum od_status logs_resolve_selector(struct logs_run *r, size_t *npods, struct err *e)
{
	struct buf path;
	cJSON *list = NULL;
	const cJSON *it;
	enum od_status rc;

	buf_init(&path, 8192);
	rc = logs_pods_path(r, clikube_request_namespace(&r->k), &path, e);
	if (rc == OD_OK)
		rc = clikube_list(&r->k, buf_cstr(&path), r->o.selector, NULL, NULL, &list, e);
	*npods = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		if (rc != OD_OK)
			break;
		if (r->o.follow && !logs_pod_has_started(it))
			continue;
		rc = logs_pod_streams(r, it, true, e);
		(*npods)++;
	}
	cJSON_Delete(list);
	buf_free(&path);
	return rc;
}

static void logs_on_signal(struct loop *lp, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_stop(lp);
}

static enum od_status logs_run_streams(struct logs_run *r, struct err *e)
{
	enum od_status rc = OD_OK;

	if (r->o.follow && r->nstreams > (size_t)r->o.max_requests)
		return err_set(e, OD_EINVAL, "error: you are attempting to follow %zu log streams, "
			       "but maximum allowed concurrency is %ld, use --max-log-requests to "
			       "increase the limit", r->nstreams, r->o.max_requests);
	if ((rc = loop_signal_watch(r->k.loop, SIGINT, logs_on_signal, r, e)) != OD_OK)
		return rc;
	r->sequential = !r->o.follow;
	if (r->sequential) {
		if (!r->streams)
			return OD_OK;
		logs_start_next(r);
	} else {
		for (struct log_stream *s = r->streams; s && rc == OD_OK; s = s->next)
			rc = logs_request(r, s, e);
		if (rc != OD_OK)
			return rc;
		if (r->o.selector) {
			const struct api_resource *pods = api_resource_lookup("pods", e);
			struct informer_config ic = { .res = pods,
						      .namespace_ = clikube_request_namespace(&r->k),
						      .label_selector = r->o.selector };
			/* the informer borrows its ops for its whole life */
			static const struct informer_ops ops = { .on_object = logs_on_pod,
								 .on_error = logs_on_watch_error };
			if ((rc = informer_new(r->k.conn->http, &ic, &ops, r, &r->inf, e)) != OD_OK ||
			    (rc = informer_start(r->inf, e)) != OD_OK)
				return rc;
		} else if (r->active == 0) {
			return OD_OK;
		}
	}
	return loop_run(r->k.loop, e);
}

static enum od_status logs_main(struct logs_run *r, struct err *e)
{
	enum od_status rc;

	if (r->o.selector) {
		size_t npods = 0;
		rc = logs_resolve_selector(r, &npods, e);
		if (rc != OD_OK)
			return rc;
		if (npods == 0 && !r->o.follow) {
			printer_no_resources(clikube_request_namespace(&r->k));
			return OD_OK;
		}
	} else {
		const char *slash = strchr(r->o.target, '/');
		char type[128] = "pods";
		const char *name = r->o.target;
		if (slash) {
			snprintf(type, sizeof(type), "%.*s", (int)(slash - r->o.target),
				 r->o.target);
			name = slash + 1;
		}
		rc = logs_resolve_workload(r, type, name, e);
		if (rc != OD_OK)
			return rc;
	}
	return logs_run_streams(r, e);
}

int cmd_logs(const struct global_opts *g, int argc, char **argv)
{
	struct logs_run *r = calloc(1, sizeof(*r));
	struct err e = { 0 };
	int code;

	if (!r) {
		fprintf(stderr, "error: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	code = logs_parse(argc, argv, &r->o);
	if (code < 0) {
		code = CLI_EXIT_OK;   /* --help was printed */
		goto done;
	}
	if (code != CLI_EXIT_OK)
		goto done;
	if (r->o.grep) {
		int rr = regcomp(&r->re, r->o.grep, REG_EXTENDED);
		if (rr != 0) {
			char msg[256];
			regerror(rr, &r->re, msg, sizeof(msg));
			fprintf(stderr, "error: invalid --grep expression \"%s\": %s\n", r->o.grep,
				msg);
			code = CLI_EXIT_USAGE;
			goto done;
		}
		const char *nc = getenv("NO_COLOR");
		r->color = isatty(STDOUT_FILENO) && !(nc && *nc);
	}
	code = clikube_open(&r->k, g);
	if (code != CLI_EXIT_OK)
		goto free_re;
	enum od_status rc = logs_main(r, &e);
	if (rc != OD_OK)
		code = clikube_fail(rc, &e);
	else
		code = r->exit_code;
	fflush(stdout);
	informer_free(&r->inf);
	clikube_close(&r->k);
	logs_free_streams(r);
free_re:
	if (r->o.grep)
		regfree(&r->re);
done:
	free(r);
	return code;
}
