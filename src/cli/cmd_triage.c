/*
 * cmd_triage.c: `opsdeck triage [-A] [-o table|json]` — everything unhealthy
 * in the namespace in effect (every namespace with -A), worst first: pods
 * crashlooping, OOMKilled, failing to pull, unschedulable, evicted or not
 * Ready; Deployments and StatefulSets with unavailable replicas or a stuck
 * rollout; bursts of Warning events; failing items of the latest checklist
 * runs in the store; PVCs over their profile's thresholds (usage from the
 * store). The namespaces watched are the one in effect plus those of the
 * profile that loads for it. Each row says why and since when. Exit 0 whenever the
 * pods could be read, findings or not; 1 when the cluster could not be read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/buf.h"
#include "opsdeck/clikube.h"
#include "opsdeck/clistore.h"
#include "opsdeck/duration.h"
#include "opsdeck/profile.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_series.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/timeutil.h"

int cmd_triage(const struct global_opts *g, int argc, char **argv);

/* Worst first: the order rows are printed in. */
enum triage_rank {
	TRIAGE_CRITICAL,   /* crashloop, OOMKilled, workload with nothing available */
	TRIAGE_HIGH,       /* image pull, unschedulable, evicted, replicas unavailable */
	TRIAGE_MEDIUM,     /* not Ready, Warning bursts, failing checks */
	TRIAGE_LOW,        /* checklist warnings */
};

/* A Warning event burst: this many in the window. */
#define TRIAGE_BURST_COUNT 5
#define TRIAGE_BURST_WINDOW_S (15 * 60)
#define TRIAGE_MAX 4096

struct triage_finding {
	enum triage_rank rank;
	char kind[32];
	char namespace_[256];
	char name[256];
	char why[512];
	int64_t since;             /* seconds; 0 when unknown */
};

#define TRIAGE_NS_MAX 32

struct triage {
	struct triage_finding *f;  /* owned */
	size_t n;
	int64_t now;               /* the API server's clock */
	const char *ns[TRIAGE_NS_MAX];  /* borrowed; the namespaces watched (none with -A) */
	size_t nns;
	struct profile_catalog *catalog;    /* owned */
	const struct profile *profile;      /* borrowed from catalog; NULL when none loads */
};

static const char *rank_name(enum triage_rank r)
{
	static const char *const names[] = { "critical", "high", "medium", "low" };

	return names[r];
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *jobj(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int64_t jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static int64_t jtime(const cJSON *o, const char *key)
{
	const char *s = jstr(o, key);
	struct od_time t = { 0 };
	struct err e = { 0 };

	if (!s || time_parse_rfc3339(s, &t, &e) != OD_OK)
		return 0;
	return t.sec;
}

static void triage_add(struct triage *t, enum triage_rank rank, const char *kind,
		       const cJSON *meta, const char *why, int64_t since)
{
	struct triage_finding *f;

	if (t->n >= TRIAGE_MAX)
		return;
	f = &t->f[t->n++];
	f->rank = rank;
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	snprintf(f->namespace_, sizeof(f->namespace_), "%s",
		 jstr(meta, "namespace") ? jstr(meta, "namespace") : "");
	snprintf(f->name, sizeof(f->name), "%s", jstr(meta, "name") ? jstr(meta, "name") : "");
	snprintf(f->why, sizeof(f->why), "%s", why);
	for (char *p = f->why; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	f->since = since;
}

/* The condition of type `type` in status.conditions, or NULL. */
static const cJSON *find_condition(const cJSON *status, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, jobj(status, "conditions"))
		if (jstr(c, "type") && strcmp(jstr(c, "type"), type) == 0)
			return c;
	return NULL;
}

/* A container's worst problem; true when it had one (why/since/rank filled). */
static bool triage_container(const cJSON *cs, char *why, size_t n, int64_t *since,
			     enum triage_rank *rank)
{
	const char *name = jstr(cs, "name") ? jstr(cs, "name") : "";
	const cJSON *waiting = jobj(jobj(cs, "state"), "waiting");
	const cJSON *term = jobj(jobj(cs, "state"), "terminated");
	const cJSON *last = jobj(jobj(cs, "lastState"), "terminated");
	const char *wr = waiting ? jstr(waiting, "reason") : NULL;
	const char *lr = last ? jstr(last, "reason") : NULL;
	int64_t restarts = jnum(cs, "restartCount");

	if ((term && jstr(term, "reason") && strcmp(jstr(term, "reason"), "OOMKilled") == 0) ||
	    (lr && strcmp(lr, "OOMKilled") == 0 && (!wr || strcmp(wr, "CrashLoopBackOff") == 0))) {
		const cJSON *t = term ? term : last;

		snprintf(why, n, "OOMKilled: container %s (restarts %" PRId64 ")%s", name,
			 restarts, wr ? ", now CrashLoopBackOff" : "");
		*since = jtime(t, "finishedAt");
		*rank = TRIAGE_CRITICAL;
		return true;
	}
	if (wr && strcmp(wr, "CrashLoopBackOff") == 0) {
		snprintf(why, n, "CrashLoopBackOff: container %s restarted %" PRId64 " times%s%s",
			 name, restarts, lr ? ", last exit " : "", lr ? lr : "");
		*since = last ? jtime(last, "startedAt") : 0;
		*rank = TRIAGE_CRITICAL;
		return true;
	}
	if (wr && (strcmp(wr, "ImagePullBackOff") == 0 || strcmp(wr, "ErrImagePull") == 0 ||
		   strcmp(wr, "CreateContainerConfigError") == 0 ||
		   strcmp(wr, "InvalidImageName") == 0)) {
		snprintf(why, n, "%s: container %s%s%s", wr, name,
			 jstr(waiting, "message") ? ": " : "",
			 jstr(waiting, "message") ? jstr(waiting, "message") : "");
		*since = 0;
		*rank = TRIAGE_HIGH;
		return true;
	}
	return false;
}

static void triage_pod(struct triage *t, const cJSON *pod)
{
	const cJSON *meta = jobj(pod, "metadata"), *status = jobj(pod, "status"), *cs;
	const char *phase = jstr(status, "phase") ? jstr(status, "phase") : "";
	const char *reason = jstr(status, "reason");
	const cJSON *ready = find_condition(status, "Ready");
	const cJSON *sched = find_condition(status, "PodScheduled");
	char why[512];
	int64_t since = 0;
	enum triage_rank rank = TRIAGE_MEDIUM;
	bool found = false;

	if (strcmp(phase, "Succeeded") == 0)
		return;
	if (reason && strcmp(reason, "Evicted") == 0) {
		snprintf(why, sizeof(why), "Evicted: %s",
			 jstr(status, "message") ? jstr(status, "message") : "");
		triage_add(t, TRIAGE_HIGH, "Pod", meta, why,
			   ready ? jtime(ready, "lastTransitionTime") : jtime(status, "startTime"));
		return;
	}
	cJSON_ArrayForEach(cs, jobj(status, "containerStatuses")) {
		char w[512];
		int64_t s = 0;
		enum triage_rank r = TRIAGE_MEDIUM;

		if (triage_container(cs, w, sizeof(w), &s, &r) && (!found || r < rank)) {
			found = true;
			rank = r;
			since = s;
			snprintf(why, sizeof(why), "%s", w);
		}
	}
	if (found) {
		/* Since it stopped being Ready: the container's own times restart with it. */
		if (ready && jstr(ready, "status") && strcmp(jstr(ready, "status"), "False") == 0)
			since = jtime(ready, "lastTransitionTime");
		if (since == 0)
			since = jtime(meta, "creationTimestamp");
		triage_add(t, rank, "Pod", meta, why, since);
		return;
	}
	if (sched && jstr(sched, "status") && strcmp(jstr(sched, "status"), "False") == 0) {
		snprintf(why, sizeof(why), "Pending %s: %s",
			 jstr(sched, "reason") ? jstr(sched, "reason") : "Unschedulable",
			 jstr(sched, "message") ? jstr(sched, "message") : "");
		triage_add(t, TRIAGE_HIGH, "Pod", meta, why, jtime(sched, "lastTransitionTime"));
		return;
	}
	if (strcmp(phase, "Pending") == 0) {
		triage_add(t, TRIAGE_MEDIUM, "Pod", meta, "Pending", jtime(meta, "creationTimestamp"));
		return;
	}
	if (strcmp(phase, "Failed") == 0) {
		snprintf(why, sizeof(why), "Failed%s%s", reason ? ": " : "", reason ? reason : "");
		triage_add(t, TRIAGE_HIGH, "Pod", meta, why, jtime(status, "startTime"));
		return;
	}
	if (ready && jstr(ready, "status") && strcmp(jstr(ready, "status"), "True") != 0) {
		snprintf(why, sizeof(why), "not Ready%s%s",
			 jstr(ready, "reason") ? ": " : "",
			 jstr(ready, "reason") ? jstr(ready, "reason") : "");
		triage_add(t, TRIAGE_MEDIUM, "Pod", meta, why, jtime(ready, "lastTransitionTime"));
	}
}

static void triage_workload(struct triage *t, const cJSON *obj, const char *kind)
{
	const cJSON *meta = jobj(obj, "metadata"), *spec = jobj(obj, "spec");
	const cJSON *status = jobj(obj, "status");
	const cJSON *rep = jobj(spec, "replicas");
	int64_t want = cJSON_IsNumber(rep) ? (int64_t)rep->valuedouble : 1;
	int64_t avail = strcmp(kind, "StatefulSet") == 0 ? jnum(status, "readyReplicas")
							  : jnum(status, "availableReplicas");
	const cJSON *prog = find_condition(status, "Progressing");
	const cJSON *av = find_condition(status, "Available");
	char why[512];
	int64_t since = av ? jtime(av, "lastTransitionTime") : 0;

	if (prog && jstr(prog, "reason") &&
	    strcmp(jstr(prog, "reason"), "ProgressDeadlineExceeded") == 0) {
		snprintf(why, sizeof(why), "rollout stuck: %s",
			 jstr(prog, "message") ? jstr(prog, "message") : "ProgressDeadlineExceeded");
		triage_add(t, TRIAGE_CRITICAL, kind, meta, why, jtime(prog, "lastTransitionTime"));
		return;
	}
	if (want > 0 && avail < want) {
		snprintf(why, sizeof(why), "%" PRId64 "/%" PRId64 " replicas available", avail, want);
		triage_add(t, avail == 0 ? TRIAGE_CRITICAL : TRIAGE_HIGH, kind, meta, why, since);
	}
}

/* Warning events per object, summed over the burst window. */
static void triage_events(struct triage *t, const cJSON *items)
{
	const cJSON *ev, *other;

	cJSON_ArrayForEach(ev, items) {
		const cJSON *io = jobj(ev, "involvedObject");
		int64_t sum = 0, first = 0;
		bool earlier = false;

		if (!jstr(ev, "type") || strcmp(jstr(ev, "type"), "Warning") != 0)
			continue;
		/* One row per object: the first Warning event about it sums the others. */
		cJSON_ArrayForEach(other, items) {
			const cJSON *oo = jobj(other, "involvedObject");

			if (other == ev)
				break;
			if (jstr(other, "type") && strcmp(jstr(other, "type"), "Warning") == 0 &&
			    jstr(oo, "uid") && jstr(io, "uid") &&
			    strcmp(jstr(oo, "uid"), jstr(io, "uid")) == 0)
				earlier = true;
		}
		if (earlier)
			continue;
		cJSON_ArrayForEach(other, items) {
			const cJSON *oo = jobj(other, "involvedObject");
			int64_t last = jtime(other, "lastTimestamp");
			int64_t ft = jtime(other, "firstTimestamp");

			if (!jstr(other, "type") || strcmp(jstr(other, "type"), "Warning") != 0 ||
			    !jstr(oo, "uid") || !jstr(io, "uid") ||
			    strcmp(jstr(oo, "uid"), jstr(io, "uid")) != 0 ||
			    (last && last < t->now - TRIAGE_BURST_WINDOW_S))
				continue;
			sum += jnum(other, "count") > 0 ? jnum(other, "count") : 1;
			if (ft && (!first || ft < first))
				first = ft;
		}
		if (sum >= TRIAGE_BURST_COUNT) {
			char why[512], kind[32];
			cJSON *meta = cJSON_CreateObject();

			snprintf(why, sizeof(why), "%" PRId64 " Warning events in 15m, latest %s: %.300s",
				 sum, jstr(ev, "reason") ? jstr(ev, "reason") : "",
				 jstr(ev, "message") ? jstr(ev, "message") : "");
			snprintf(kind, sizeof(kind), "%s", jstr(io, "kind") ? jstr(io, "kind") : "Object");
			if (meta) {
				cJSON_AddStringToObject(meta, "namespace",
							jstr(io, "namespace") ? jstr(io, "namespace") : "");
				cJSON_AddStringToObject(meta, "name", jstr(io, "name") ? jstr(io, "name") : "");
			}
			triage_add(t, TRIAGE_MEDIUM, kind, meta, why, first);
			cJSON_Delete(meta);
		}
	}
}

/* Failing items of the newest run of each checklist. */
struct check_scan {
	struct triage *t;
	int64_t ids[64];
	char names[64][256];
	char seen[64][256];
	size_t n;
};

static int check_run(void *arg, const struct store_run *run)
{
	struct check_scan *c = arg;
	char key[256];

	snprintf(key, sizeof(key), "%s/%s", run->profile ? run->profile : "",
		 run->checklist ? run->checklist : "");
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->seen[i], key) == 0)
			return 0;   /* newest first: an older run of a checklist already seen */
	if (c->n >= 64)
		return 1;
	snprintf(c->seen[c->n], sizeof(c->seen[0]), "%s", key);
	snprintf(c->names[c->n], sizeof(c->names[0]), "%s", key);
	c->ids[c->n++] = run->id;
	return 0;
}

struct check_item_arg {
	struct triage *t;
	const char *name;
};

static int check_item(void *arg, const struct store_run_item *it)
{
	struct check_item_arg *a = arg;
	char why[512];

	if (it->result != STORE_CHECK_FAIL && it->result != STORE_CHECK_WARN)
		return 0;
	snprintf(why, sizeof(why), "checklist %s: %s %s%s%s", a->name, it->item ? it->item : "",
		 store_check_result_name(it->result), it->value && it->value[0] ? " " : "",
		 it->value ? it->value : "");
	if (a->t->n < TRIAGE_MAX) {
		struct triage_finding *f = &a->t->f[a->t->n++];

		memset(f, 0, sizeof(*f));
		f->rank = it->result == STORE_CHECK_FAIL ? TRIAGE_MEDIUM : TRIAGE_LOW;
		snprintf(f->kind, sizeof(f->kind), "Check");
		snprintf(f->name, sizeof(f->name), "%s", it->item ? it->item : "");
		snprintf(f->why, sizeof(f->why), "%s", why);
		f->since = it->decided_at;
	}
	return 0;
}

static void triage_pvcs(struct triage *t, struct clistore *cs);

static void triage_checks(struct triage *t, const struct global_opts *g)
{
	struct clistore cs;
	struct check_scan *c;
	struct err e = { 0 };

	/* The store is optional for triage: without it, no checklist rows. */
	if (clistore_open(&cs, g) != 0)
		return;
	triage_pvcs(t, &cs);
	c = calloc(1, sizeof(*c));
	if (c && store_runs_list(cs.st, NULL, NULL, 0, check_run, c, &e) == OD_OK)
		for (size_t i = 0; i < c->n; i++) {
			struct check_item_arg a = { .t = t, .name = c->names[i] };

			store_run_items_list(cs.st, c->ids[i], check_item, &a, &e);
		}
	free(c);
	clistore_close(&cs);
}

static int finding_cmp(const void *a, const void *b)
{
	const struct triage_finding *x = a, *y = b;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;   /* the oldest problem first */
	c = strcmp(x->namespace_, y->namespace_);
	return c ? c : strcmp(x->name, y->name);
}

static enum od_status triage_list(struct clikube *k, const char *ns, const char *group_path,
				  const char *res, const char *field, cJSON **out, struct err *e)
{
	struct buf path;
	enum od_status rc;

	buf_init(&path, 4096);
	if (ns)
		rc = buf_printf(&path, e, "%s/namespaces/%s/%s", group_path, ns, res);
	else
		rc = buf_printf(&path, e, "%s/%s", group_path, res);
	if (rc == OD_OK)
		rc = clikube_list(k, buf_cstr(&path), NULL, field, NULL, out, e);
	buf_free(&path);
	return rc;
}

static void since_cell(const struct triage *t, int64_t since, char *out, size_t n)
{
	char ts[40], age[DURATION_HUMAN_MAX];
	struct od_time tm = { .sec = since };

	if (since <= 0) {
		snprintf(out, n, "<unknown>");
		return;
	}
	time_format_rfc3339(tm, ts, sizeof(ts));
	duration_format_human((t->now - since) * 1000000000LL, age, sizeof(age));
	snprintf(out, n, "%s (%s ago)", ts, age);
}

static int triage_print(const struct triage *t, bool json, bool all_ns)
{
	struct buf text, out;
	struct err e = { 0 };
	int code = CLI_EXIT_OK;

	if (json) {
		cJSON *arr = cJSON_CreateArray();
		char *s;

		for (size_t i = 0; arr && i < t->n; i++) {
			const struct triage_finding *f = &t->f[i];
			cJSON *o = cJSON_CreateObject();
			char ts[40] = "";
			struct od_time tm = { .sec = f->since };

			if (!o || !cJSON_AddItemToArray(arr, o)) {
				cJSON_Delete(o);
				break;
			}
			if (f->since > 0)
				time_format_rfc3339(tm, ts, sizeof(ts));
			cJSON_AddStringToObject(o, "severity", rank_name(f->rank));
			cJSON_AddStringToObject(o, "namespace", f->namespace_);
			cJSON_AddStringToObject(o, "kind", f->kind);
			cJSON_AddStringToObject(o, "name", f->name);
			cJSON_AddStringToObject(o, "why", f->why);
			cJSON_AddStringToObject(o, "since", ts);
		}
		s = arr ? cJSON_Print(arr) : NULL;
		if (!s) {
			fprintf(stderr, "error: out of memory\n");
			cJSON_Delete(arr);
			return CLI_EXIT_FAILED;
		}
		printf("%s\n", s);
		free(s);
		cJSON_Delete(arr);
		return CLI_EXIT_OK;
	}
	if (t->n == 0) {
		printf("No problems found.\n");
		return CLI_EXIT_OK;
	}
	buf_init(&text, 64u * 1024u * 1024u);
	buf_init(&out, 64u * 1024u * 1024u);
	buf_printf(&text, &e, "SEVERITY\t%sOBJECT\tWHY\tSINCE\n", all_ns ? "NAMESPACE\t" : "");
	for (size_t i = 0; i < t->n; i++) {
		const struct triage_finding *f = &t->f[i];
		char since[96];

		since_cell(t, f->since, since, sizeof(since));
		buf_printf(&text, &e, "%s\t", rank_name(f->rank));
		if (all_ns)
			buf_printf(&text, &e, "%s\t", f->namespace_[0] ? f->namespace_ : "-");
		buf_printf(&text, &e, "%s/%s\t%s\t%s\n", f->kind, f->name, f->why, since);
	}
	if (tabwriter_format(text.data, text.len, &TABWRITER_KUBECTL, &out, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = CLI_EXIT_FAILED;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_free(&text);
	buf_free(&out);
	return code;
}

static void triage_usage(FILE *f)
{
	fprintf(f,
		"Usage: opsdeck triage [-A] [-o table|json]\n"
		"\n"
		"Everything unhealthy in the namespace in effect (-A: every namespace), worst\n"
		"first, each row with why and since when. Exit 0 when the cluster could be\n"
		"read, findings or not; 1 when it could not.\n");
}

/* Reads one namespace (NULL: all) into t; OD_OK when its pods could be read. */
static enum od_status triage_scan_ns(struct clikube *k, const char *ns, struct triage *t,
				     struct err *e)
{
	static const char *const kinds[][3] = {
		{ "/apis/apps/v1", "deployments", "Deployment" },
		{ "/apis/apps/v1", "statefulsets", "StatefulSet" },
	};
	cJSON *list = NULL;
	const cJSON *it;
	struct err we = { 0 };
	enum od_status rc = triage_list(k, ns, "/api/v1", "pods", NULL, &list, e);

	if (rc != OD_OK)
		return rc;
	t->now = clikube_now(k).sec;
	cJSON_ArrayForEach(it, jobj(list, "items"))
		triage_pod(t, it);
	cJSON_Delete(list);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		list = NULL;
		if (triage_list(k, ns, kinds[i][0], kinds[i][1], NULL, &list, &we) != OD_OK) {
			fprintf(stderr, "warning: %s: %s\n", kinds[i][1], we.msg);
			continue;
		}
		cJSON_ArrayForEach(it, jobj(list, "items"))
			triage_workload(t, it, kinds[i][2]);
		cJSON_Delete(list);
	}
	list = NULL;
	if (triage_list(k, ns, "/api/v1", "events", "type=Warning", &list, &we) == OD_OK)
		triage_events(t, jobj(list, "items"));
	else
		fprintf(stderr, "warning: events: %s\n", we.msg);
	cJSON_Delete(list);
	return OD_OK;
}

/* The namespace in effect, then the loaded profile's (once each); none with -A. */
static void triage_namespaces(struct triage *t, const struct clikube *k)
{
	struct err e = { 0 };

	if (k->all_namespaces)
		return;
	t->ns[t->nns++] = k->namespace_;
	if (profile_catalog_load(&t->catalog, &e) != OD_OK)
		return;
	t->profile = profile_catalog_match(t->catalog, k->target->context, k->namespace_);
	for (size_t i = 0; t->profile && i < t->profile->namespaces.n; i++) {
		const char *ns = t->profile->namespaces.v[i];
		bool seen = false;

		for (size_t j = 0; j < t->nns; j++)
			seen = seen || strcmp(t->ns[j], ns) == 0;
		if (!seen && t->nns < TRIAGE_NS_MAX)
			t->ns[t->nns++] = ns;
	}
}

/* Reads the cluster into t; OD_OK when the pods could be read. */
static enum od_status triage_scan(struct clikube *k, struct triage *t, struct err *e)
{
	enum od_status rc = OD_OK;

	if (t->nns == 0)
		return triage_scan_ns(k, NULL, t, e);
	for (size_t i = 0; rc == OD_OK && i < t->nns; i++)
		rc = triage_scan_ns(k, t->ns[i], t, e);
	return rc;
}

/* The newest value of a PVC series in the store over the last hour; -1 when none. */
static int64_t pvc_latest(struct store *st, const char *ctx, const char *ns, const char *pvc,
			  enum store_metric m, int64_t now, int64_t *ts)
{
	struct store_series_key key = { .context = ctx, .namespace = ns,
					.kind = STORE_KIND_PVC, .object = pvc, .metric = m };
	struct store_query_result q = { 0 };
	int64_t id, v = -1;

	if (store_series_id(st, &key, false, &id, NULL) != OD_OK)
		return -1;
	if (store_series_query(st, id, now - 3600, now + 1, 0, &q, NULL) == OD_OK && q.n) {
		v = q.points[q.n - 1].max;
		*ts = q.points[q.n - 1].ts;
	}
	store_query_result_free(&q);
	return v;
}

/* The loaded profile's PVCs over their warn/fail thresholds, by the store's usage. */
static void triage_pvcs(struct triage *t, struct clistore *cs)
{
	const struct profile *p = t->profile;

	for (size_t i = 0; p && i < p->npvcs; i++) {
		const struct profile_pvc *pv = &p->pvcs[i];
		const char *ns = pv->namespace ? pv->namespace : p->namespaces.v[0];
		int64_t ts = 0, ts2 = 0, pct;
		int64_t used = pvc_latest(cs->st, cs->context, ns, pv->name,
					  STORE_METRIC_STORAGE_USED, t->now, &ts);
		int64_t cap = pvc_latest(cs->st, cs->context, ns, pv->name,
					 STORE_METRIC_STORAGE_CAPACITY, t->now, &ts2);
		char why[512];
		enum triage_rank rank;

		if (used < 0 || cap <= 0)
			continue;
		pct = (int64_t)((double)used * 10000.0 / (double)cap);   /* hundredths of a % */
		if (pv->fail_above.set && pct > pv->fail_above.value)
			rank = TRIAGE_HIGH;
		else if (pv->warn_above.set && pct > pv->warn_above.value)
			rank = TRIAGE_MEDIUM;
		else
			continue;
		snprintf(why, sizeof(why), "storage %" PRId64 ".%02" PRId64 "%% used, over the "
			 "profile's %s threshold %" PRId64 "%%", pct / 100, pct % 100,
			 rank == TRIAGE_HIGH ? "fail" : "warn",
			 (rank == TRIAGE_HIGH ? pv->fail_above.value : pv->warn_above.value) / 100);
		if (t->n < TRIAGE_MAX) {
			struct triage_finding *f = &t->f[t->n++];

			memset(f, 0, sizeof(*f));
			f->rank = rank;
			snprintf(f->kind, sizeof(f->kind), "PersistentVolumeClaim");
			snprintf(f->namespace_, sizeof(f->namespace_), "%s", ns);
			snprintf(f->name, sizeof(f->name), "%s", pv->name);
			snprintf(f->why, sizeof(f->why), "%s", why);
			f->since = ts;   /* the sample that shows it: the store has no crossing time */
		}
	}
}

int cmd_triage(const struct global_opts *g, int argc, char **argv)
{
	const char *output = "table";
	struct clikube k;
	struct triage t = { 0 };
	struct err e = { 0 };
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			triage_usage(stdout);
			return CLI_EXIT_OK;
		}
		if ((r = clikube_flag_value(argc, argv, &i, "-o", "--output", &output)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck triage\"\n"
				"See 'opsdeck triage --help'.\n", argv[i]);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(output, "table") != 0 && strcmp(output, "json") != 0) {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
				"\"%s\", allowed formats are: json,table\n", output);
		return CLI_EXIT_USAGE;
	}
	code = clikube_open(&k, g);
	if (code != 0)
		return code;
	t.f = calloc(TRIAGE_MAX, sizeof(*t.f));
	if (!t.f) {
		clikube_close(&k);
		fprintf(stderr, "error: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	triage_namespaces(&t, &k);
	if (triage_scan(&k, &t, &e) != OD_OK) {
		clikube_fail(OD_EIO, &e);
		code = CLI_EXIT_FAILED;   /* could not read the cluster, whatever the cause */
	} else {
		triage_checks(&t, g);
		qsort(t.f, t.n, sizeof(*t.f), finding_cmp);
		code = triage_print(&t, strcmp(output, "json") == 0, g->all_namespaces);
	}
	free(t.f);
	profile_catalog_free(&t.catalog);
	clikube_close(&k);
	return code;
}
