/*
 * pane_triage.c: the Triage view (ui_pane_triage.h), an overlay like the
 * help and describe views. The findings come from the triage module's rules
 * over the dashboard's own model: the pods of the pod source (when it keeps
 * full pods, as the live cache does), the event source's Warning bursts, the
 * newest checklist runs in the history store, the workloads the live side
 * LISTs while the view is shown (pane_triage_set_workloads), and the firing
 * alerts of the Alerts view's client (app_opts.alerts_triage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "opsdeck/duration.h"
#include "opsdeck/profile.h"
#include "opsdeck/store.h"
#include "opsdeck/triage.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_pane_events.h"
#include "opsdeck/ui_pane_logs.h"
#include "opsdeck/ui_pane_pods.h"
#include "opsdeck/ui_pane_trends.h"
#include "opsdeck/ui_pane_triage.h"

/* Events held for the burst rule: the newest this many of the source. */
#define TRIAGE_EVENTS_MAX 4096

struct triage_state {
	struct triage t;              /* owned: the findings shown, sorted */
	struct triage checks;         /* owned: the store's rows, kept between store reads */
	struct triage workloads;      /* owned: from the last LIST of each workload kind */
	uint64_t workloads_gen, workloads_seen;
	size_t sel, top;
	uint64_t pods_gen, events_gen;
	const void *pods_seen, *events_seen;
	int64_t store_read_at;        /* app->now of the last store read; 0 = never */
	int64_t calc_now;             /* app->now of the last recalc: ages move with the clock */
	bool pods_detailed;           /* the pod source kept full pods */
	char db_path[1024];           /* "" = the default path */
	struct profile_catalog *catalog;   /* owned; loaded on the first store read */
	bool catalog_tried;
	char sel_key[1024];           /* the selected finding, kept through recalcs */
};

static void finding_key(const struct triage_finding *f, char *out, size_t n)
{
	snprintf(out, n, "%.31s|%.255s|%.255s|%.8s", f->kind, f->namespace_, f->name,
		 triage_rank_name(f->rank));
}

static enum od_status triage_pane_init(struct pane *p, struct err *e)
{
	struct triage_state *s = calloc(1, sizeof(*s));
	enum od_status rc;

	if (!s)
		return err_set(e, OD_ENOMEM, "out of memory");
	rc = triage_init(&s->t, 0, e);
	if (rc == OD_OK)
		rc = triage_init(&s->checks, 0, e);
	if (rc == OD_OK)
		rc = triage_init(&s->workloads, 0, e);
	if (rc != OD_OK) {
		triage_fini(&s->t);
		triage_fini(&s->checks);
		free(s);
		return rc;
	}
	p->state = s;
	return OD_OK;
}

static void triage_pane_fini(struct pane *p)
{
	struct triage_state *s = p->state;

	if (!s)
		return;
	triage_fini(&s->t);
	triage_fini(&s->checks);
	triage_fini(&s->workloads);
	profile_catalog_free(&s->catalog);
	free(s);
	p->state = NULL;
}

static uint64_t pods_generation(const struct app *app)
{
	return app->pods.ops ? app->pods.ops->generation(app->pods.self) : 0;
}

static uint64_t events_generation(const struct app *app)
{
	return app->events.ops ? app->events.ops->generation(app->events.self) : 0;
}

/* The Alerts view's client keeps asking while Triage is shown (it fetches in the loop). */
static bool alerts_need_recalc(struct app *app)
{
	struct pane *a = &app->alerts;

	return app->opts.alerts_triage && a->ops && a->ops->needs_recalc && a->ops->needs_recalc(a);
}

static bool triage_pane_needs_recalc(struct pane *p)
{
	struct triage_state *s = p->state;
	struct app *app = p->app;

	return s->calc_now != app->now || s->workloads_seen != s->workloads_gen ||
	       alerts_need_recalc(app) || s->pods_seen != app->pods.self ||
	       s->events_seen != app->events.self ||
	       pods_generation(app) != s->pods_gen || events_generation(app) != s->events_gen ||
	       s->store_read_at == 0 || app->now - s->store_read_at >= TRIAGE_STORE_POLL_S;
}

/* The profile shown in the status bar (else the one matching the target); NULL when none. */
static const struct profile *shown_profile(struct pane *p, struct triage_state *s)
{
	const struct status_model *m = &p->app->status;
	struct err e = { 0 };

	if (!s->catalog_tried) {
		s->catalog_tried = true;
		if (profile_catalog_load(&s->catalog, &e) != OD_OK)
			profile_catalog_free(&s->catalog);
	}
	if (!s->catalog)
		return NULL;
	if (m->profile[0])
		return profile_catalog_find(s->catalog, m->profile);
	return profile_catalog_match(s->catalog, m->context, m->namespace_);
}

/*
 * Failing checklist items and the profile's PVCs over their thresholds (the
 * store's usage), from the store; a missing database is not created.
 */
static void read_store(struct pane *p, struct triage_state *s)
{
	char path[1024];
	struct store *st = NULL;
	struct store_settings set;
	struct err e = { 0 };

	triage_reset(&s->checks, p->app->now);
	s->store_read_at = p->app->now ? p->app->now : 1;
	if (s->db_path[0])
		snprintf(path, sizeof(path), "%s", s->db_path);
	else if (store_default_path(path, sizeof(path), &e) != OD_OK)
		return;
	/* No quick_check (it reads the whole file) and a short busy wait: this is the UI loop. */
	store_settings_default(&set);
	set.quick_check = false;
	set.busy_timeout_ms = 250;
	if (access(path, F_OK) != 0 || store_open(path, &set, &st, &e) != OD_OK)
		return;
	triage_add_pvcs(&s->checks, st, p->app->status.context, shown_profile(p, s));
	triage_add_checks(&s->checks, st);
	store_close(&st);
}

/* "Pod/web-1" -> kind "Pod", name "web-1". */
static void split_object(const char *obj, char *kind, size_t kn, const char **name)
{
	const char *slash = strchr(obj, '/');

	if (!slash) {
		snprintf(kind, kn, "Object");
		*name = obj;
		return;
	}
	snprintf(kind, kn, "%.*s", (int)(slash - obj), obj);
	*name = slash + 1;
}

/* The event source's rows through the burst rule (keys: namespace and object). */
static void add_events(struct pane *p, struct triage *t)
{
	const struct event_source *src = &p->app->events;
	size_t n = src->ops ? src->ops->count(src->self) : 0;
	struct triage_event *ev;
	char (*kinds)[64], (*keys)[256];
	size_t k = 0;

	if (n == 0)
		return;
	if (n > TRIAGE_EVENTS_MAX)
		n = TRIAGE_EVENTS_MAX;
	ev = calloc(n, sizeof(*ev));
	kinds = calloc(n, sizeof(*kinds));
	keys = calloc(n, sizeof(*keys));
	if (!ev || !kinds || !keys)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct event_view *v = src->ops->row(src->self, i);

		if (!v || strcmp(v->type, "Warning") != 0)
			continue;
		split_object(v->object, kinds[k], sizeof(kinds[k]), &ev[k].object_name);
		snprintf(keys[k], sizeof(keys[k]), "%s/%s", v->namespace_, v->object);
		ev[k].type = v->type;
		ev[k].reason = v->reason;
		ev[k].message = v->message;
		ev[k].object_kind = kinds[k];
		ev[k].object_namespace = v->namespace_;
		ev[k].object_key = keys[k];
		ev[k].count = v->count;
		ev[k].first = v->last_seen;   /* the rows keep the last time only */
		ev[k].last = v->last_seen;
		k++;
	}
	triage_add_events(t, ev, k);
out:
	free(ev);
	free(kinds);
	free(keys);
}

static enum od_status triage_pane_recalc(struct pane *p, struct err *e)
{
	struct triage_state *s = p->state;
	struct app *app = p->app;
	const struct pod_source *ps = &app->pods;
	size_t n = ps->ops ? ps->ops->count(ps->self) : 0;

	(void)e;
	s->calc_now = app->now;
	if (s->store_read_at == 0 || app->now - s->store_read_at >= TRIAGE_STORE_POLL_S)
		read_store(p, s);
	s->pods_seen = ps->self;
	s->events_seen = app->events.self;
	s->pods_gen = pods_generation(app);
	s->events_gen = events_generation(app);
	triage_reset(&s->t, app->now);
	s->pods_detailed = ps->ops && ps->ops->pod;
	for (size_t i = 0; s->pods_detailed && i < n; i++) {
		const struct pod *pod = ps->ops->pod(ps->self, i);

		if (pod)
			triage_add_pod(&s->t, pod);
	}
	add_events(p, &s->t);
	for (size_t i = 0; i < s->checks.n && s->t.n < TRIAGE_MAX; i++)
		s->t.f[s->t.n++] = s->checks.f[i];
	s->workloads_seen = s->workloads_gen;
	for (size_t i = 0; i < s->workloads.n && s->t.n < TRIAGE_MAX; i++)
		s->t.f[s->t.n++] = s->workloads.f[i];
	if (app->opts.alerts_triage && app->alerts.ops) {
		struct err ae = { 0 };

		if (alerts_need_recalc(app) && app->alerts.ops->recalc)
			(void)app->alerts.ops->recalc(&app->alerts, &ae);
		app->opts.alerts_triage(&app->alerts, &s->t);
	}
	triage_sort(&s->t);
	/* The selection stays on its finding when it is still there. */
	s->sel = 0;
	for (size_t i = 0; s->sel_key[0] && i < s->t.n; i++) {
		char key[sizeof(s->sel_key)];

		finding_key(&s->t.f[i], key, sizeof(key));
		if (strcmp(key, s->sel_key) == 0) {
			s->sel = i;
			break;
		}
	}
	p->dirty = true;
	return OD_OK;
}

static int rank_attr(const struct canvas *c, enum triage_rank r)
{
	switch (r) {
	case TRIAGE_CRITICAL: return canvas_attr(c, THEME_STATUS_FAILED);
	case TRIAGE_HIGH: return canvas_attr(c, THEME_CHECK_FAIL);
	case TRIAGE_MEDIUM: return canvas_attr(c, THEME_CHECK_WARN);
	case TRIAGE_LOW: break;
	}
	return canvas_attr(c, THEME_NORMAL);
}

/* "14:02:31, 5m ago" (the date too when it is not today's). */
static void since_text(int64_t since, int64_t now, char *out, size_t n)
{
	char age[DURATION_HUMAN_MAX], ts[32];
	time_t t = (time_t)since;
	struct tm tm;

	if (since <= 0) {
		snprintf(out, n, "-");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), now - since < 86400 ? "%H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
	duration_format_human((now > since ? now - since : 0) * NS_PER_SEC, age, sizeof(age));
	snprintf(out, n, "%s, %s ago", ts, age);
}

static void triage_pane_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct triage_state *s = p->state;
	int rows = c->r.h - 1, w = c->r.w;
	int sev_w = 9, since_w = 21, obj_w;
	int why_x, why_w;
	int norm = canvas_attr(c, THEME_NORMAL), head = canvas_attr(c, THEME_TABLE_HEADER);

	(void)focused;
	/* OBJECT as wide as its longest cell (up to a third): WHY gets the rest. */
	obj_w = 8;
	for (size_t i = 0; i < s->t.n; i++) {
		const struct triage_finding *f = &s->t.f[i];
		int cw = (int)(strlen(f->namespace_) + strlen(f->kind) + strlen(f->name)) + 3;

		if (cw > obj_w)
			obj_w = cw;
	}
	if (obj_w > w / 3)
		obj_w = w / 3;
	if (w < 80)
		since_w = 0;   /* narrow: the age goes into the bottom line's selection */
	why_x = sev_w + obj_w + 1;
	why_w = w - why_x - (since_w ? since_w + 1 : 0);
	if (why_w < 10)
		why_w = 10;
	draw_fill_row(c, 0, head);
	draw_text(c, 0, 0, "SEVERITY", sev_w, head);
	draw_text(c, 0, sev_w, "OBJECT", obj_w, head);
	draw_text(c, 0, why_x, "WHY", why_w, head);
	if (since_w)
		draw_text(c, 0, w - since_w, "SINCE", since_w, head);
	if (s->t.n == 0) {
		draw_text(c, 2, 1, s->pods_detailed || !p->app->pods.ops
				   ? "No problems found."
				   : "No problems found in what is shown (the pod rows are not "
				     "live: pod details come with the live connection).", 0, norm);
		return;
	}
	if (rows < 1)
		return;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)rows)
		s->top = s->sel - (size_t)rows + 1;
	for (int y = 0; y < rows && s->top + (size_t)y < s->t.n; y++) {
		const struct triage_finding *f = &s->t.f[s->top + (size_t)y];
		bool sel = s->top + (size_t)y == s->sel;
		int attr = sel ? canvas_attr(c, THEME_TABLE_SELECTED) : norm;
		char obj[600], since[64];

		snprintf(obj, sizeof(obj), "%s%s%s/%s", f->namespace_,
			 f->namespace_[0] ? " " : "", f->kind, f->name);
		draw_fill_row(c, y + 1, attr);
		draw_text(c, y + 1, 0, triage_rank_name(f->rank), sev_w, sel ? attr
									      : rank_attr(c, f->rank));
		draw_text(c, y + 1, sev_w, obj, obj_w - 1, attr);
		draw_text(c, y + 1, why_x, f->why, why_w, attr);
		if (since_w) {
			since_text(f->since, p->app->now, since, sizeof(since));
			draw_text(c, y + 1, w - since_w, since, since_w, attr);
		}
	}
}

static void remember_selection(struct triage_state *s)
{
	if (s->sel < s->t.n)
		finding_key(&s->t.f[s->sel], s->sel_key, sizeof(s->sel_key));
}

static bool triage_pane_action(struct pane *p, enum action a)
{
	struct triage_state *s = p->state;
	size_t page = 10;

	if (s->t.n == 0)
		return false;
	switch (a) {
	case ACTION_MOVE_UP: if (s->sel > 0) s->sel--; break;
	case ACTION_MOVE_DOWN: if (s->sel + 1 < s->t.n) s->sel++; break;
	case ACTION_PAGE_UP: s->sel = s->sel > page ? s->sel - page : 0; break;
	case ACTION_PAGE_DOWN: s->sel = s->sel + page < s->t.n ? s->sel + page : s->t.n - 1; break;
	case ACTION_FIRST: s->sel = 0; break;
	case ACTION_LAST: s->sel = s->t.n - 1; break;
	default: return false;
	}
	remember_selection(s);
	p->dirty = true;
	return true;
}

static void triage_pane_title_info(struct pane *p, char *out, size_t n)
{
	struct triage_state *s = p->state;
	size_t crit = 0;

	for (size_t i = 0; i < s->t.n; i++)
		crit += s->t.f[i].rank == TRIAGE_CRITICAL;
	snprintf(out, n, "%zu, %zu critical: Enter focuses, Esc closes", s->t.n, crit);
}

static void triage_pane_selection(struct pane *p, char *out, size_t n)
{
	const struct triage_finding *f = pane_triage_selected(p);
	char since[64];

	out[0] = '\0';
	if (!f)
		return;
	since_text(f->since, p->app->now, since, sizeof(since));
	snprintf(out, n, "%s/%s/%s since %s", f->namespace_, f->kind, f->name, since);
}

size_t pane_triage_count(struct pane *p)
{
	return ((struct triage_state *)p->state)->t.n;
}

const struct triage_finding *pane_triage_selected(struct pane *p)
{
	struct triage_state *s = p->state;

	return s->sel < s->t.n ? &s->t.f[s->sel] : NULL;
}

void pane_triage_set_db(struct pane *p, const char *path)
{
	struct triage_state *s = p->state;

	snprintf(s->db_path, sizeof(s->db_path), "%s", path ? path : "");
	s->store_read_at = 0;
}

void pane_triage_set_workloads(struct pane *p, const char *kind, const void *list)
{
	struct triage_state *s = p->state;
	const cJSON *it;
	size_t k = 0;

	/* The kind's findings from the previous LIST go (all of them when kind is NULL). */
	for (size_t i = 0; i < s->workloads.n; i++)
		if (kind && strcmp(s->workloads.f[i].kind, kind) != 0)
			s->workloads.f[k++] = s->workloads.f[i];
	s->workloads.n = k;
	s->workloads_gen++;
	if (!kind || !list)
		return;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive((const cJSON *)list, "items")) {
		struct triage_workload w;

		triage_workload_from_json(it, kind, &w);
		triage_add_workload(&s->workloads, &w);
	}
}

/* Trends: the window (6 h by default) centred on the start, or live when that reaches now. */
static void focus_trends(struct app *app, const struct triage_finding *f, enum trends_mode mode)
{
	struct pane *tr = &app->panes[1];
	const int64_t half = 3 * 3600;

	trends_pane_set_target(tr, mode, f->namespace_, f->name);
	trends_pane_set_time(tr, f->since > 0 && f->since + half < app->now ? f->since + half : 0);
	tr->dirty = true;
}

static void focus_events(struct app *app, const char *name)
{
	struct pane *ev = &app->panes[4];

	if (ev->ops->filter)
		ev->ops->filter(ev, name);
}

bool pane_triage_focus(struct pane *p)
{
	const struct triage_finding *f = pane_triage_selected(p);
	struct app *app = p->app;

	if (!f)
		return false;
	if (strcmp(f->kind, "Pod") == 0) {
		bool previous = f->cause == TRIAGE_CAUSE_CRASHLOOP ||
				f->cause == TRIAGE_CAUSE_OOMKILLED;

		pane_pods_select(&app->panes[0], f->namespace_, f->name);
		logs_pane_set_previous(&app->panes[2], previous);
		focus_events(app, f->name);
		focus_trends(app, f, TRENDS_MODE_POD);
		app_focus(app, 2);
		app_message(app, false, "%s/%s: %s logs, its events in 5, trends around %s",
			    f->namespace_, f->name, previous ? "the previous container's" : "the",
			    f->since > 0 ? "its start" : "now");
	} else if (strcmp(f->kind, "Check") == 0) {
		app_focus(app, 3);
	} else if (strcmp(f->kind, "PersistentVolumeClaim") == 0) {
		focus_trends(app, f, TRENDS_MODE_PVC);
		app_focus(app, 1);
	} else {
		/* A workload or an event burst: its events. */
		focus_events(app, f->name);
		app_focus(app, 4);
	}
	return true;
}

const struct pane_ops pane_triage_ops = {
	.name = "triage",
	.title = "Triage",
	.init = triage_pane_init,
	.fini = triage_pane_fini,
	.needs_recalc = triage_pane_needs_recalc,
	.recalc = triage_pane_recalc,
	.draw = triage_pane_draw,
	.action = triage_pane_action,
	.title_info = triage_pane_title_info,
	.selection = triage_pane_selection,
};
