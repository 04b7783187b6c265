/*
 * report.c: Markdown and JSON reports of checklist runs and the weekly
 * health report, laid out like the runbooks' templates (see
 * runbook_report.h). Everything comes from the store, except the weekly
 * report's live sections, which reuse the check kinds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "opsdeck/duration.h"
#include "opsdeck/quantity.h"
#include "opsdeck/runbook_report.h"
#include "opsdeck/runbook_run.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/store_series.h"

#define DAY_S INT64_C(86400)
#define WEEK_S (7 * DAY_S)

/* "2026-11-22 08:12 UTC" */
static void fmt_utc(int64_t t, char *out, size_t n)
{
	time_t ts = (time_t)t;
	struct tm tm;

	gmtime_r(&ts, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm);
}

static void fmt_date(int64_t t, char *out, size_t n)
{
	time_t ts = (time_t)t;
	struct tm tm;

	gmtime_r(&ts, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* ---- one run ---- */

struct run_copy {
	int64_t id, started_at, finished_at;
	char *profile, *checklist, *context, *operator_name, *issues, *notes;
};

struct item_copy {
	char *item, *value, *threshold, *source, *evidence, *note;
	enum store_check_result result;
	int position;
	int64_t decided_at;
	bool used;
};

struct items {
	struct item_copy *v;
	size_t n, cap;
};

static char *dupz(const char *s)
{
	return strdup(s ? s : "");
}

static int run_copy_fn(void *arg, const struct store_run *r)
{
	struct run_copy *c = arg;

	c->id = r->id;
	c->started_at = r->started_at;
	c->finished_at = r->finished_at;
	c->profile = dupz(r->profile);
	c->checklist = dupz(r->checklist);
	c->context = dupz(r->context);
	c->operator_name = dupz(r->operator_name);
	c->issues = dupz(r->issues);
	c->notes = dupz(r->notes);
	return 0;
}

static void run_copy_free(struct run_copy *c)
{
	free(c->profile);
	free(c->checklist);
	free(c->context);
	free(c->operator_name);
	free(c->issues);
	free(c->notes);
}

static int item_copy_fn(void *arg, const struct store_run_item *it)
{
	struct items *l = arg;
	struct item_copy *c;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct item_copy *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	c->item = dupz(it->item);
	c->value = dupz(it->value);
	c->threshold = dupz(it->threshold);
	c->source = dupz(it->source);
	c->evidence = dupz(it->evidence);
	c->note = dupz(it->note);
	c->result = it->result;
	c->position = it->position;
	c->decided_at = it->decided_at;
	return 0;
}

static void items_free(struct items *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].item);
		free(l->v[i].value);
		free(l->v[i].threshold);
		free(l->v[i].source);
		free(l->v[i].evidence);
		free(l->v[i].note);
	}
	free(l->v);
}

static struct item_copy *items_find(struct items *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].item, id) == 0)
			return &l->v[i];
	return NULL;
}

/* Fills the template's blank ("___m", "__%") with value; false when there is none. */
static bool fill_blank(const char *tmpl, const char *value, char *out, size_t n)
{
	const char *u = strstr(tmpl, "__"), *end;

	if (!u || !value || !value[0])
		return false;
	end = u;
	while (*end == '_')
		end++;
	while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') || *end == '%')
		end++;
	snprintf(out, n, "%.*s%s%s", (int)(u - tmpl), tmpl, value, end);
	return true;
}

/* Kinds whose value says it all ("1/1 Running and Ready", "Bound"). */
static bool label_is_boolean(enum check_kind k)
{
	return k == CHECK_PODS_READY || k == CHECK_PVC_BOUND || k == CHECK_ROLLOUT_COMPLETE ||
	       k == CHECK_NODES_READY;
}

void report_item_label(const struct checklist_item *it, const char *value, const char *threshold,
		       char *out, size_t n)
{
	for (size_t i = 0; i < it->source.texts.n; i++)
		if (fill_blank(it->source.texts.v[i], value, out, n))
			return;
	snprintf(out, n, "%s", it->text);
	if (value && value[0]) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, ": %s", value);
	}
	if (threshold && threshold[0] && !strstr(it->text, "target") &&
	    !strstr(it->text, threshold) && !label_is_boolean(it->check.kind)) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, " (%s)", threshold);
	}
}

/* The template heading an item belongs under: "Health Checks" for
 * "Daily Operations Checklist / Health Checks"; NULL when the item comes
 * from elsewhere in the runbook. */
static const char *item_heading(const struct checklist *cl, const struct checklist_item *it,
				char *buf, size_t n)
{
	const char *sec = it->source.section ? it->source.section : "";
	const char *last = cl->section ? strrchr(cl->section, '/') : NULL;
	size_t ln, seg = strcspn(sec, ";");
	const char *rest;

	last = last ? last + 1 : cl->section;
	while (last && *last == ' ')
		last++;
	if (!last || !*last)
		return NULL;
	ln = strlen(last);
	if (seg <= ln + 3 || strncmp(sec, last, ln) != 0 || strncmp(sec + ln, " / ", 3) != 0)
		return NULL;
	rest = sec + ln + 3;
	snprintf(buf, n, "%.*s", (int)(seg - ln - 3), rest);
	return buf;
}

static const char *result_tag(enum store_check_result r)
{
	switch (r) {
	case STORE_CHECK_PASS:
	case STORE_CHECK_MANUAL_DONE:
		return "";
	case STORE_CHECK_WARN:
		return " — **WARN**";
	case STORE_CHECK_FAIL:
		return " — **FAIL**";
	case STORE_CHECK_MANUAL_SKIPPED:
		return " — not done (manual)";
	case STORE_CHECK_PENDING:
		return " — pending";
	default:
		return " — UNKNOWN";
	}
}

static enum od_status md_evidence(struct buf *out, const struct item_copy *c, struct err *e)
{
	const char *ev = c->evidence, *nl;
	enum od_status rc = OD_OK;

	if (!c->source[0] && !ev[0])
		return OD_OK;
	if (c->result == STORE_CHECK_MANUAL_SKIPPED)
		return OD_OK;
	nl = strchr(ev, '\n');
	if (ev[0])
		rc = buf_printf(out, e, "  - %.*s (source: %s)\n",
				(int)(nl ? nl - ev : (long)strlen(ev)), ev, c->source);
	else
		rc = buf_printf(out, e, "  - source: %s\n", c->source);
	while (rc == OD_OK && nl) {
		const char *next = strchr(nl + 1, '\n');

		rc = buf_printf(out, e, "    - `%.*s`\n",
				(int)(next ? next - nl - 1 : (long)strlen(nl + 1)), nl + 1);
		nl = next;
	}
	return rc;
}

static enum od_status md_item(struct buf *out, const struct checklist_item *it,
			      const struct item_copy *c, struct err *e)
{
	char label[1024];
	bool ok = c && (c->result == STORE_CHECK_PASS || c->result == STORE_CHECK_MANUAL_DONE);
	enum od_status rc;

	if (it)
		report_item_label(it, c ? c->value : NULL, c ? c->threshold : NULL, label,
				  sizeof(label));
	else
		snprintf(label, sizeof(label), "%s: %s", c->item, c->value);
	rc = buf_printf(out, e, "- [%c] %s%s\n", ok ? 'x' : ' ', label,
			c ? result_tag(c->result) : " — not run");
	if (rc == OD_OK && c && c->note[0])
		rc = buf_printf(out, e, "  - note: %s\n", c->note);
	if (rc == OD_OK && c)
		rc = md_evidence(out, c, e);
	return rc;
}

/* Items of one heading (NULL: items outside the template's headings). */
static enum od_status md_group(struct buf *out, const struct checklist *cl, struct items *l,
			       const char *heading, struct err *e)
{
	char hb[256];
	enum od_status rc = buf_printf(out, e, "## %s\n\n", heading ? heading : "Additional Checks");

	for (size_t i = 0; rc == OD_OK && i < cl->nitems; i++) {
		const char *h = item_heading(cl, &cl->items[i], hb, sizeof(hb));
		struct item_copy *c;

		if ((h == NULL) != (heading == NULL) || (h && strcmp(h, heading) != 0))
			continue;
		c = items_find(l, cl->items[i].id);
		if (c)
			c->used = true;
		rc = md_item(out, &cl->items[i], c, e);
	}
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

static enum od_status md_run(struct buf *out, const struct profile *p, struct run_copy *run,
			     struct items *l, struct err *e)
{
	const struct checklist *cl = p ? profile_find_checklist(p, run->checklist) : NULL;
	char date[32], started[40], fin[40], hb[256];
	const char *heads[64];
	size_t nheads = 0;
	bool any_none = false, issues = false;
	enum od_status rc;

	fmt_date(run->started_at, date, sizeof(date));
	fmt_utc(run->started_at, started, sizeof(started));
	rc = buf_printf(out, e, "# %s - %s\n\nProfile: %s · Context: %s · Run: %lld · Started: %s\n\n",
			cl && cl->title ? cl->title : run->checklist, date, run->profile,
			run->context[0] ? run->context : "(none)", (long long)run->id, started);
	if (rc != OD_OK)
		return rc;
	if (cl) {
		char *hcopy[64];

		for (size_t i = 0; i < cl->nitems; i++) {
			const char *h = item_heading(cl, &cl->items[i], hb, sizeof(hb));
			bool seen = false;

			if (!h) {
				any_none = true;
				continue;
			}
			for (size_t j = 0; j < nheads; j++)
				seen |= strcmp(heads[j], h) == 0;
			if (!seen && nheads < 64) {
				hcopy[nheads] = strdup(h);
				heads[nheads] = hcopy[nheads];
				nheads++;
			}
		}
		for (size_t j = 0; rc == OD_OK && j < nheads; j++)
			rc = md_group(out, cl, l, heads[j], e);
		if (rc == OD_OK && any_none)
			rc = md_group(out, cl, l, NULL, e);
		for (size_t j = 0; j < nheads; j++)
			free(hcopy[j]);
	}
	for (size_t i = 0; rc == OD_OK && i < l->n; i++) {
		if (l->v[i].used)
			continue;
		if (!issues)
			rc = buf_append_str(out, "## Items No Longer In The Profile\n\n", e);
		issues = true;
		if (rc == OD_OK)
			rc = md_item(out, NULL, &l->v[i], e);
	}
	if (rc == OD_OK)
		rc = buf_append_str(out, issues ? "\n## Issues Identified\n\n" : "## Issues Identified\n\n", e);
	issues = false;
	for (size_t i = 0; rc == OD_OK && i < l->n; i++) {
		struct item_copy *c = &l->v[i];
		const struct checklist_item *it = NULL;
		char label[1024];

		if (c->result != STORE_CHECK_WARN && c->result != STORE_CHECK_FAIL)
			continue;
		for (size_t j = 0; cl && j < cl->nitems; j++)
			if (strcmp(cl->items[j].id, c->item) == 0)
				it = &cl->items[j];
		if (it)
			report_item_label(it, c->value, c->threshold, label, sizeof(label));
		else
			snprintf(label, sizeof(label), "%s: %s", c->item, c->value);
		rc = buf_printf(out, e, "- [x] %s: %s%s%.*s\n", store_check_result_name(c->result),
				label, c->evidence[0] ? " — " : "",
				(int)strcspn(c->evidence, "\n"), c->evidence);
		issues = true;
	}
	if (rc == OD_OK && run->issues[0])
		rc = buf_printf(out, e, "- [x] %s\n", run->issues), issues = true;
	if (rc == OD_OK && !issues)
		rc = buf_append_str(out, "- [x] None\n", e);
	if (rc == OD_OK)
		rc = buf_printf(out, e, "\n## Notes\n\n%s\n\n",
				run->notes[0] ? run->notes : "[Add any operational notes or observations]");
	if (rc != OD_OK)
		return rc;
	if (run->finished_at > 0) {
		fmt_utc(run->finished_at, fin, sizeof(fin));
		return buf_printf(out, e, "Completed by: %s\nTime: %s\n",
				  run->operator_name[0] ? run->operator_name : "(unknown)", fin);
	}
	return buf_printf(out, e, "Not finished: resume with `opsdeck check %s --profile %s --resume`\n",
			  run->checklist, run->profile);
}

static enum od_status json_run(struct buf *out, const struct profile *p, struct run_copy *run,
			       struct items *l, struct err *e)
{
	const struct checklist *cl = p ? profile_find_checklist(p, run->checklist) : NULL;
	cJSON *root = cJSON_CreateObject(), *arr;
	char *text = NULL;
	enum od_status rc = OD_OK;

	if (!root)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_AddNumberToObject(root, "run", (double)run->id);
	cJSON_AddStringToObject(root, "profile", run->profile);
	cJSON_AddStringToObject(root, "checklist", run->checklist);
	cJSON_AddStringToObject(root, "title", cl && cl->title ? cl->title : run->checklist);
	cJSON_AddStringToObject(root, "context", run->context);
	cJSON_AddStringToObject(root, "operator", run->operator_name);
	cJSON_AddNumberToObject(root, "started_at", (double)run->started_at);
	cJSON_AddNumberToObject(root, "finished_at", (double)run->finished_at);
	arr = cJSON_AddArrayToObject(root, "items");
	for (size_t i = 0; arr && i < l->n; i++) {
		struct item_copy *c = &l->v[i];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			break;
		cJSON_AddStringToObject(o, "id", c->item);
		for (size_t j = 0; cl && j < cl->nitems; j++) {
			if (strcmp(cl->items[j].id, c->item) != 0)
				continue;
			cJSON_AddStringToObject(o, "text", cl->items[j].text);
			cJSON_AddStringToObject(o, "kind", check_kind_name(cl->items[j].check.kind));
		}
		cJSON_AddStringToObject(o, "result", store_check_result_name(c->result));
		cJSON_AddStringToObject(o, "value", c->value);
		cJSON_AddStringToObject(o, "threshold", c->threshold);
		cJSON_AddStringToObject(o, "source", c->source);
		cJSON_AddStringToObject(o, "evidence", c->evidence);
		if (c->note[0])
			cJSON_AddStringToObject(o, "note", c->note);
		cJSON_AddNumberToObject(o, "decided_at", (double)c->decided_at);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(root);
	if (!text)
		rc = err_set(e, OD_ENOMEM, "out of memory");
	else
		rc = buf_printf(out, e, "%s\n", text);
	free(text);
	cJSON_Delete(root);
	return rc;
}

enum od_status report_run(struct store *st, const struct profile *p, int64_t run_id,
			  enum report_format f, struct buf *out, struct err *e)
{
	struct run_copy run = { 0 };
	struct items l = { 0 };
	enum od_status rc = store_run_get(st, run_id, run_copy_fn, &run, e);

	if (rc != OD_OK)
		goto out;
	if (!run.profile) {
		rc = err_set(e, OD_ENOENT, "no checklist run %lld", (long long)run_id);
		goto out;
	}
	rc = store_run_items_list(st, run_id, item_copy_fn, &l, e);
	if (rc != OD_OK)
		goto out;
	if (p && strcmp(p->name, run.profile) != 0)
		p = NULL;
	rc = f == REPORT_JSON ? json_run(out, p, &run, &l, e) : md_run(out, p, &run, &l, e);
out:
	items_free(&l);
	run_copy_free(&run);
	return rc;
}

/* ---- the weekly report ---- */

struct wsum {
	int64_t count, max, first_v, last_v;
	double sum;
	double first_day, last_day;    /* averages of the first and last day */
	int64_t first_n, last_n;
	int64_t delta;                 /* counter growth */
	size_t series;
};

/* Aggregates pod series of a workload's metric over [from, to). */
static enum od_status wsum_pods(struct store *st, const struct check_env *env,
				const struct profile_workload *w, enum store_metric m, int64_t from,
				int64_t to, struct wsum *s, struct err *e)
{
	const char *slash = strchr(w->ref, '/');
	const char *ns = w->namespace ? w->namespace : env->profile->namespaces.v[0];
	char prefix[300];
	struct store_series_filter f = { .context = env->context, .namespace = ns,
					 .container = m == STORE_METRIC_READY ? NULL : w->container,
					 .kind = STORE_KIND_POD, .metric = (int)m,
					 .object_prefix = prefix };
	int64_t *ids = NULL;
	size_t n = 0;
	enum od_status rc;

	memset(s, 0, sizeof(*s));
	snprintf(prefix, sizeof(prefix), "%s-", slash ? slash + 1 : w->ref);
	rc = store_series_find(st, &f, &ids, &n, e);
	for (size_t i = 0; rc == OD_OK && i < n; i++) {
		struct store_query_result q = { 0 };

		rc = store_series_query(st, ids[i], from, to, 3600, &q, e);
		if (rc == OD_OK && q.n)
			s->series++;
		for (size_t j = 0; rc == OD_OK && j < q.n; j++) {
			const struct store_point *pt = &q.points[j];

			s->count += pt->count;
			s->sum += (double)pt->sum;
			if (pt->max > s->max)
				s->max = pt->max;
			if (pt->ts < from + DAY_S) {
				s->first_day += (double)pt->sum;
				s->first_n += pt->count;
			}
			if (pt->ts >= to - DAY_S) {
				s->last_day += (double)pt->sum;
				s->last_n += pt->count;
			}
			if (j > 0) {
				int64_t d = pt->max - q.points[j - 1].max;

				s->delta += d >= 0 ? d : pt->max;
			} else {
				s->delta += pt->max - pt->min;
			}
		}
		store_query_result_free(&q);
	}
	free(ids);
	return rc;
}

static void fmt_metric(enum store_metric m, int64_t v, char *out, size_t n)
{
	if (m == STORE_METRIC_CPU)
		quantity_format_cpu_milli(v, out, n);
	else
		quantity_format_bytes(v, out, n);
}

static void fmt_trend(const struct wsum *s, char *out, size_t n)
{
	double a, b;

	if (!s->first_n || !s->last_n) {
		snprintf(out, n, "n/a");
		return;
	}
	a = s->first_day / (double)s->first_n;
	b = s->last_day / (double)s->last_n;
	if (a <= 0) {
		snprintf(out, n, "n/a");
		return;
	}
	snprintf(out, n, "%+.0f%%", (b - a) * 100.0 / a);
}

static enum od_status weekly_usage(struct buf *out, struct store *st, const struct check_env *env,
				   int64_t from, int64_t to, struct err *e)
{
	const struct profile *p = env->profile;
	enum od_status rc = buf_append_str(out,
		"## Resource Usage\n\n"
		"| Workload | CPU avg | CPU max | CPU trend | Memory avg | Memory max | Memory trend |\n"
		"| --- | --- | --- | --- | --- | --- | --- |\n", e);
	struct buf checks;

	buf_init(&checks, 1u << 20);
	for (size_t i = 0; rc == OD_OK && i < p->nworkloads; i++) {
		const struct profile_workload *w = &p->workloads[i];
		struct wsum c, m;
		char ca[32] = "n/a", cm[32] = "n/a", ct[16], ma[32] = "n/a", mm[32] = "n/a", mt[16];

		rc = wsum_pods(st, env, w, STORE_METRIC_CPU, from, to, &c, e);
		if (rc == OD_OK)
			rc = wsum_pods(st, env, w, STORE_METRIC_MEMORY, from, to, &m, e);
		if (rc != OD_OK)
			break;
		if (c.count) {
			fmt_metric(STORE_METRIC_CPU, (int64_t)(c.sum / (double)c.count + 0.5), ca,
				   sizeof(ca));
			fmt_metric(STORE_METRIC_CPU, c.max, cm, sizeof(cm));
		}
		if (m.count) {
			fmt_metric(STORE_METRIC_MEMORY, (int64_t)(m.sum / (double)m.count + 0.5), ma,
				   sizeof(ma));
			fmt_metric(STORE_METRIC_MEMORY, m.max, mm, sizeof(mm));
		}
		fmt_trend(&c, ct, sizeof(ct));
		fmt_trend(&m, mt, sizeof(mt));
		rc = buf_printf(out, e, "| %s | %s | %s | %s | %s | %s | %s |\n", w->ref, ca, cm, ct,
				ma, mm, mt);
		if (rc == OD_OK && c.count && w->cpu.max.set) {
			char t[32];

			fmt_metric(STORE_METRIC_CPU, w->cpu.max.value, t, sizeof(t));
			rc = buf_printf(&checks, e, "- [%c] %s CPU weekly average: %s (target: <%s)\n",
					c.sum / (double)c.count <= (double)w->cpu.max.value ? 'x' : ' ',
					w->ref, ca, t);
		}
		if (rc == OD_OK && m.count && w->memory.max.set) {
			char t[32];

			fmt_metric(STORE_METRIC_MEMORY, w->memory.max.value, t, sizeof(t));
			rc = buf_printf(&checks, e,
					"- [%c] %s memory weekly average: %s (target: <%s)\n",
					m.sum / (double)m.count <= (double)w->memory.max.value ? 'x' : ' ',
					w->ref, ma, t);
		}
	}
	if (rc == OD_OK && checks.len)
		rc = buf_printf(out, e, "\n%s", buf_cstr(&checks));
	buf_free(&checks);
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

static enum od_status weekly_pod_health(struct buf *out, struct store *st,
					const struct check_env *env, int64_t from, int64_t to,
					struct err *e)
{
	const struct profile *p = env->profile;
	enum od_status rc = buf_append_str(out, "## Pod Health\n\n", e);

	for (size_t i = 0; rc == OD_OK && i < p->nworkloads; i++) {
		const struct profile_workload *w = &p->workloads[i];
		struct wsum r, k;
		char ready[64] = "readiness: no history", restarts[32] = "no history";

		rc = wsum_pods(st, env, w, STORE_METRIC_READY, from, to, &r, e);
		if (rc == OD_OK)
			rc = wsum_pods(st, env, w, STORE_METRIC_RESTARTS, from, to, &k, e);
		if (rc != OD_OK)
			break;
		if (r.count)
			snprintf(ready, sizeof(ready), "ready %.1f%% of the week",
				 r.sum * 100.0 / (double)r.count);
		if (k.series)
			snprintf(restarts, sizeof(restarts), "%lld", (long long)k.delta);
		if (env->api_get) {
			struct checklist_item it = { .id = "pods", .text = "pods" };
			struct check_result cr;

			it.check.kind = CHECK_PODS_READY;
			it.check.workload = w->ref;
			it.check.max = -1;
			rc = check_run(env, &it, &cr, e);
			if (rc == OD_OK)
				rc = buf_printf(out, e, "- [%c] %s: %s now; %s; restarts this week: %s\n",
						cr.status == CHECK_STATUS_PASS ? 'x' : ' ', w->ref,
						cr.value[0] ? cr.value : cr.evidence, ready, restarts);
		} else {
			rc = buf_printf(out, e, "- [%c] %s: %s; restarts this week: %s\n",
					r.count && r.sum == (double)r.count ? 'x' : ' ', w->ref, ready,
					restarts);
		}
	}
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

static enum od_status weekly_storage(struct buf *out, struct store *st,
				     const struct check_env *env, int64_t from, int64_t to,
				     struct err *e)
{
	const struct profile *p = env->profile;
	enum od_status rc = buf_append_str(out,
		"## Storage Usage\n\n| Claim | Used | Capacity | Usage | Growth/day | Full in |\n"
		"| --- | --- | --- | --- | --- | --- |\n", e);

	for (size_t i = 0; rc == OD_OK && i < p->npvcs; i++) {
		const struct profile_pvc *pv = &p->pvcs[i];
		const char *ns = pv->namespace ? pv->namespace : p->namespaces.v[0];
		struct store_series_key k = { .context = env->context, .namespace = ns,
					      .kind = STORE_KIND_PVC, .object = pv->name };
		struct store_query_result u = { 0 }, c = { 0 };
		int64_t id;
		char used[32] = "n/a", cap[32] = "n/a", pct[16] = "n/a", grow[32] = "n/a",
		     full[32] = "n/a";

		k.metric = STORE_METRIC_STORAGE_USED;
		if (store_series_id(st, &k, false, &id, NULL) == OD_OK)
			store_series_query(st, id, from, to, 3600, &u, NULL);
		k.metric = STORE_METRIC_STORAGE_CAPACITY;
		if (store_series_id(st, &k, false, &id, NULL) == OD_OK)
			store_series_query(st, id, from, to, 3600, &c, NULL);
		if (u.n) {
			int64_t last = u.points[u.n - 1].max;

			quantity_format_bytes(last, used, sizeof(used));
			if (u.n > 1 && u.points[u.n - 1].ts > u.points[0].ts) {
				double per_day = (u.points[u.n - 1].avg - u.points[0].avg) * 86400.0 /
						 (double)(u.points[u.n - 1].ts - u.points[0].ts);

				char b[24];

				quantity_format_bytes((int64_t)per_day, b, sizeof(b));
				snprintf(grow, sizeof(grow), "%s/d", b);
				if (c.n && per_day > 0)
					snprintf(full, sizeof(full), "%lld days",
						 (long long)((double)(c.points[c.n - 1].max - last) /
							     per_day));
				else if (per_day <= 0)
					snprintf(full, sizeof(full), "not filling");
			}
			if (c.n && c.points[c.n - 1].max > 0) {
				quantity_format_bytes(c.points[c.n - 1].max, cap, sizeof(cap));
				snprintf(pct, sizeof(pct), "%.1f%%",
					 (double)last * 100.0 / (double)c.points[c.n - 1].max);
			}
		}
		rc = buf_printf(out, e, "| %s | %s | %s | %s | %s | %s |\n", pv->name, used, cap, pct,
				grow, full);
		store_query_result_free(&u);
		store_query_result_free(&c);
	}
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

/* Runs one synthesized check and writes its value and evidence as a list item. */
static enum od_status weekly_check_line(struct buf *out, const struct check_env *env,
					const struct checklist_item *it, const char *label,
					struct err *e)
{
	struct check_result r;
	enum od_status rc = check_run(env, it, &r, e);
	const char *ev = r.evidence, *nl;

	if (rc != OD_OK)
		return rc;
	nl = strchr(ev, '\n');
	rc = buf_printf(out, e, "- [%c] %s: %s%s%.*s (source: %s)\n",
			r.status == CHECK_STATUS_PASS ? 'x' : ' ', label,
			r.status == CHECK_STATUS_UNKNOWN ? "UNKNOWN" : r.value, ev[0] ? " — " : "",
			(int)(nl ? nl - ev : (long)strlen(ev)), ev, r.source);
	while (rc == OD_OK && nl) {
		const char *next = strchr(nl + 1, '\n');

		rc = buf_printf(out, e, "    - `%.*s`\n",
				(int)(next ? next - nl - 1 : (long)strlen(nl + 1)), nl + 1);
		nl = next;
	}
	return rc;
}

static enum od_status weekly_errors(struct buf *out, const struct check_env *env, struct err *e)
{
	const struct profile *p = env->profile;
	enum od_status rc = buf_append_str(out, "## Recent Errors\n\n", e);
	char *names[32];
	size_t n = 0;

	for (size_t i = 0; i < p->npatterns && n < 32; i++)
		if (p->patterns[i].severity && strcmp(p->patterns[i].severity, "error") == 0)
			names[n++] = p->patterns[i].name;
	for (size_t i = 0; rc == OD_OK && i < p->nworkloads; i++) {
		struct checklist_item it = { .id = "errors", .text = "errors" };
		char label[300];

		if (!env->api_get) {
			rc = buf_printf(out, e, "- [ ] %s: not checked (no cluster connection)\n",
					p->workloads[i].ref);
			continue;
		}
		if (!n)
			break;
		it.check.kind = CHECK_LOG_PATTERNS;
		it.check.workload = p->workloads[i].ref;
		it.check.patterns.v = names;
		it.check.patterns.n = n;
		it.check.window_ns = WEEK_S * NS_PER_SEC;
		it.check.top = 10;
		it.check.max = 0;
		it.check.min = -1;
		it.check.tail = -1;
		snprintf(label, sizeof(label), "%s error lines (7 days)", p->workloads[i].ref);
		rc = weekly_check_line(out, env, &it, label, e);
	}
	if (rc == OD_OK) {
		struct checklist_item it = { .id = "events", .text = "events" };

		it.check.kind = CHECK_NO_WARNING_EVENTS;
		it.check.namespace = p->namespaces.v[0];
		it.check.window_ns = WEEK_S * NS_PER_SEC;
		it.check.max = 0;
		it.check.min = -1;
		if (env->store || env->api_get)
			rc = weekly_check_line(out, env, &it, "Warning events (7 days)", e);
	}
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

static enum od_status weekly_snapshots(struct buf *out, const struct check_env *env,
				       struct err *e)
{
	const struct profile *p = env->profile;
	enum od_status rc = buf_append_str(out, "## Snapshots\n\n", e);

	for (size_t i = 0; rc == OD_OK && i < p->npvcs; i++) {
		struct checklist_item it = { .id = "snap", .text = "snap" };
		char label[300];

		if (!env->api_get) {
			rc = buf_printf(out, e, "- [ ] %s: not checked (no cluster connection)\n",
					p->pvcs[i].name);
			continue;
		}
		it.check.kind = CHECK_SNAPSHOT_RECENT;
		it.check.pvc = p->pvcs[i].name;
		it.check.max_age_ns = 25 * 3600 * NS_PER_SEC;
		snprintf(label, sizeof(label), "%s newest snapshot age (target: <25h)",
			 p->pvcs[i].name);
		rc = weekly_check_line(out, env, &it, label, e);
	}
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

struct audit_walk {
	struct buf *out;
	struct err *e;
	const struct profile *p;
	int n;
	enum od_status rc;
};

static int audit_row(void *arg, const struct store_audit_entry *a)
{
	struct audit_walk *w = arg;
	char when[40];
	bool ours = !a->namespace || !a->namespace[0];

	for (size_t i = 0; !ours && i < w->p->namespaces.n; i++)
		ours = strcmp(a->namespace, w->p->namespaces.v[i]) == 0;
	if (!ours || !a->step || (strcmp(a->step, "result") != 0 && strcmp(a->step, "refuse") != 0))
		return 0;
	fmt_utc(a->ts_ms / 1000, when, sizeof(when));
	w->rc = buf_printf(w->out, w->e, "- %s %s %s: %s%s%s (by %s)\n", when,
			   a->action ? a->action : "?", a->object ? a->object : "?",
			   a->outcome ? a->outcome : "?", a->message && a->message[0] ? " — " : "",
			   a->message ? a->message : "", a->os_user ? a->os_user : "?");
	w->n++;
	return w->rc != OD_OK;
}

static enum od_status weekly_actions(struct buf *out, struct store *st, const struct profile *p,
				     int64_t from, int64_t to, struct err *e)
{
	struct audit_walk w = { .out = out, .e = e, .p = p, .rc = OD_OK };
	enum od_status rc = buf_append_str(out, "## Actions\n\n", e);

	if (rc == OD_OK)
		rc = store_audit_list(st, from * 1000, to * 1000, audit_row, &w, e);
	if (rc == OD_OK)
		rc = w.rc;
	if (rc == OD_OK && !w.n)
		rc = buf_append_str(out, "- None recorded in the audit log\n", e);
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

struct run_count {
	int finished, open;
	int64_t until;
};

static int run_count_fn(void *arg, const struct store_run *r)
{
	struct run_count *c = arg;

	if (r->started_at >= c->until)
		return 0;
	if (r->finished_at > 0)
		c->finished++;
	else
		c->open++;
	return 0;
}

static enum od_status weekly_completion(struct buf *out, struct store *st, const struct profile *p,
					int64_t from, int64_t to, struct err *e)
{
	enum od_status rc = buf_append_str(out,
		"## Checklist Completion\n\n| Checklist | Scheduled | Completed | Unfinished | State |\n"
		"| --- | --- | --- | --- | --- |\n", e);

	for (size_t i = 0; rc == OD_OK && i < p->nchecklists; i++) {
		const struct checklist *cl = &p->checklists[i];
		const struct named_schedule *ns = cl->schedule ? profile_find_schedule(p, cl->schedule)
							       : NULL;
		struct run_count c = { .until = to };
		struct due d;
		char badge[128] = "";
		int slots = 0;

		if (!ns)
			continue;
		for (int64_t t = schedule_next(&ns->sched, from - 1); t < to && slots < 1000;
		     t = schedule_next(&ns->sched, t))
			slots++;
		rc = store_runs_list(st, p->name, cl->name, from, run_count_fn, &c, e);
		if (rc == OD_OK)
			rc = run_due(st, p, cl, to, &d, badge, sizeof(badge), e);
		if (rc == OD_OK)
			rc = buf_printf(out, e, "| %s | %d | %d | %d | %s |\n", cl->name, slots,
					c.finished, c.open, badge);
	}
	return rc == OD_OK ? buf_append_str(out, "\n", e) : rc;
}

static enum od_status weekly_manual(struct buf *out, const struct profile *p, struct err *e)
{
	const struct checklist *cl = profile_find_checklist(p, "weekly");
	enum od_status rc = buf_append_str(out, "## Manual Checks\n\n", e);
	bool any = false;

	for (size_t i = 0; cl && rc == OD_OK && i < cl->nitems; i++) {
		const struct checklist_item *it = &cl->items[i];

		if (it->check.kind != CHECK_MANUAL)
			continue;
		any = true;
		rc = buf_printf(out, e, "- [ ] %s%s%s\n", it->text, it->check.prompt ? ": " : "",
				it->check.prompt ? "Manual check required" : "");
	}
	if (rc == OD_OK && !any)
		rc = buf_append_str(out, "- None\n", e);
	return rc;
}

enum od_status report_weekly(struct store *st, const struct check_env *env_in, int64_t end,
			     struct buf *out, struct err *e)
{
	struct check_env env = *env_in;
	const struct profile *p = env.profile;
	int64_t from = end - WEEK_S;
	char a[40], b[40], d[32];
	enum od_status rc;

	env.now = end;
	env.last_run = 0;
	fmt_utc(from, a, sizeof(a));
	fmt_utc(end, b, sizeof(b));
	fmt_date(end, d, sizeof(d));
	rc = buf_printf(out, e, "# %s Weekly Health Report - %s\n\nProfile: %s · Context: %s · "
			"Week: %s to %s\n\n", p->title ? p->title : p->name, d, p->name,
			env.context ? env.context : "(none)", a, b);
	if (rc == OD_OK)
		rc = weekly_pod_health(out, st, &env, from, end, e);
	if (rc == OD_OK)
		rc = weekly_usage(out, st, &env, from, end, e);
	if (rc == OD_OK)
		rc = weekly_storage(out, st, &env, from, end, e);
	if (rc == OD_OK)
		rc = weekly_errors(out, &env, e);
	if (rc == OD_OK)
		rc = weekly_snapshots(out, &env, e);
	if (rc == OD_OK)
		rc = weekly_actions(out, st, p, from, end, e);
	if (rc == OD_OK)
		rc = weekly_completion(out, st, p, from, end, e);
	if (rc == OD_OK)
		rc = weekly_manual(out, p, e);
	if (rc == OD_OK)
		rc = buf_append_str(out, "\n## Performance Notes\n\n[Add any performance observations]\n", e);
	return rc;
}
