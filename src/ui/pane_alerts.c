/*
 * pane_alerts.c: the Alerts view (ui_pane_alerts.h), an overlay like
 * Triage. The Alertmanager URL comes from config.yaml for the context the
 * status bar shows; the answer arrives through the loop (amclient.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/alerts_triage.h"
#include "opsdeck/amclient.h"
#include "opsdeck/duration.h"
#include "opsdeck/settings.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_pane_alerts.h"

/* Rows kept below the list for the selected alert's details. */
#define DETAIL_ROWS 6

struct alerts_state {
	struct am_alerts a;            /* owned: the last answer */
	struct am_client *am;          /* owned; NULL when none is configured */
	char context[128];             /* the context the client is for */
	char url[1024];                /* "" when none is configured */
	char error[512];               /* the last fetch's failure, "" after a success */
	int64_t fetched_at;            /* app->now of the last answer; 0 = none yet */
	int64_t asked_at;              /* app->now of the last request */
	bool have;                     /* a's content came from an answer */
	size_t sel, top;
	char sel_key[160];             /* fingerprint of the selected alert */
};

static enum od_status alerts_pane_init(struct pane *p, struct err *e)
{
	struct alerts_state *s = calloc(1, sizeof(*s));

	if (!s)
		return err_set(e, OD_ENOMEM, "out of memory");
	p->state = s;
	return OD_OK;
}

static void alerts_pane_fini(struct pane *p)
{
	struct alerts_state *s = p->state;

	if (!s)
		return;
	am_client_free(&s->am);
	am_alerts_clear(&s->a);
	free(s);
	p->state = NULL;
}

/* The context's Alertmanager from config.yaml; a new client when it changed. */
static void pick_url(struct pane *p, struct alerts_state *s)
{
	const char *ctx = p->app->status.context;
	struct settings *set = NULL;
	struct context_settings cs = { 0 };
	struct err e = { 0 };
	char url[sizeof(s->url)] = "";

	if (s->context[0] && strcmp(s->context, ctx) == 0)
		return;
	snprintf(s->context, sizeof(s->context), "%s", ctx);
	if (settings_load(NULL, &set, &e) == OD_OK) {
		settings_for_context(set, ctx, &cs);
		if (cs.alertmanager_url)
			snprintf(url, sizeof(url), "%s", cs.alertmanager_url);
	}
	settings_free(&set);
	if (strcmp(url, s->url) == 0 && (s->am || !url[0]))
		return;
	am_client_free(&s->am);
	am_alerts_clear(&s->a);
	s->have = false;
	s->fetched_at = 0;
	s->asked_at = 0;
	s->error[0] = '\0';
	snprintf(s->url, sizeof(s->url), "%s", url);
	if (url[0] && p->app->loop && am_client_new(p->app->loop, url, 15000, &s->am, &e) != OD_OK)
		snprintf(s->error, sizeof(s->error), "%s", e.msg);
}

static void keep_selection(struct alerts_state *s)
{
	s->sel = 0;
	for (size_t i = 0; s->sel_key[0] && i < s->a.nalerts; i++)
		if (strcmp(s->a.alerts[i].fingerprint, s->sel_key) == 0) {
			s->sel = i;
			break;
		}
}

static void fetched(enum od_status st, struct am_alerts *alerts, const struct err *e, void *arg)
{
	struct pane *p = arg;
	struct alerts_state *s = p->state;

	s->fetched_at = p->app->now ? p->app->now : 1;
	if (st == OD_OK) {
		am_alerts_clear(&s->a);
		s->a = *alerts;
		memset(alerts, 0, sizeof(*alerts));
		s->have = true;
		s->error[0] = '\0';
		keep_selection(s);
	} else {
		snprintf(s->error, sizeof(s->error), "%s", e ? e->msg : "the fetch failed");
	}
	p->dirty = true;
	p->app->dirty_bottom = true;
}

static bool alerts_pane_needs_recalc(struct pane *p)
{
	struct alerts_state *s = p->state;
	const struct app *app = p->app;

	if (strcmp(s->context, app->status.context) != 0)
		return true;
	if (!s->am || am_fetch_busy(s->am))
		return false;
	return s->asked_at == 0 || app->now - s->asked_at >= ALERTS_POLL_S;
}

static enum od_status alerts_pane_recalc(struct pane *p, struct err *e)
{
	struct alerts_state *s = p->state;

	(void)e;
	pick_url(p, s);
	if (s->am && !am_fetch_busy(s->am) &&
	    (s->asked_at == 0 || p->app->now - s->asked_at >= ALERTS_POLL_S)) {
		struct err fe = { 0 };

		s->asked_at = p->app->now ? p->app->now : 1;
		if (am_fetch_start(s->am, fetched, p, &fe) != OD_OK)
			snprintf(s->error, sizeof(s->error), "%s", fe.msg);
	}
	p->dirty = true;
	return OD_OK;
}

static int severity_attr(const struct canvas *c, const char *sev, bool suppressed)
{
	if (suppressed)
		return canvas_attr(c, THEME_STATUS_UNKNOWN);
	if (strcmp(sev, "critical") == 0)
		return canvas_attr(c, THEME_STATUS_FAILED);
	if (strcmp(sev, "warning") == 0)
		return canvas_attr(c, THEME_CHECK_WARN);
	return canvas_attr(c, THEME_NORMAL);
}

static void age_text(int64_t now, int64_t since, char *out, size_t n)
{
	if (!since || now < since) {
		snprintf(out, n, "-");
		return;
	}
	duration_format_human((now - since) * NS_PER_SEC, out, n);
}

static void draw_details(struct pane *p, const struct canvas *c, int y0)
{
	struct alerts_state *s = p->state;
	const struct am_alert *al = pane_alerts_selected(p);
	int norm = canvas_attr(c, THEME_NORMAL), head = canvas_attr(c, THEME_TABLE_HEADER);
	char line[2304], text[2048];

	if (!al)
		return;
	draw_fill_row(c, y0, head);
	snprintf(line, sizeof(line), "%s (%s)", al->name, al->fingerprint);
	draw_text(c, y0, 0, line, c->r.w, head);
	am_alert_labels_text(al, text, sizeof(text));
	snprintf(line, sizeof(line), "labels: %s", text[0] ? text : "-");
	draw_text(c, y0 + 1, 1, line, c->r.w - 1, norm);
	snprintf(line, sizeof(line), "summary: %s", al->summary[0] ? al->summary : "-");
	draw_text(c, y0 + 2, 1, line, c->r.w - 1, norm);
	snprintf(line, sizeof(line), "description: %s",
		 al->description[0] ? al->description : "-");
	draw_text(c, y0 + 3, 1, line, c->r.w - 1, norm);
	am_alert_silences_text(&s->a, al, text, sizeof(text));
	snprintf(line, sizeof(line), "silenced by: %s", text[0] ? text : "-");
	draw_text(c, y0 + 4, 1, line, c->r.w - 1, norm);
}

static void alerts_pane_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct alerts_state *s = p->state;
	int w = c->r.w, norm = canvas_attr(c, THEME_NORMAL);
	int head = canvas_attr(c, THEME_TABLE_HEADER);
	int sev_w = 10, state_w = 12, age_w = 8, name_w = 12, sum_x, rows;
	bool details = c->r.h >= DETAIL_ROWS + 4;
	char msg[1200];

	(void)focused;
	if (!s->url[0]) {
		snprintf(msg, sizeof(msg), "No Alertmanager configured: set alertmanager for "
			 "context %s in config.yaml.", s->context[0] ? s->context : "(none)");
		draw_text(c, 1, 1, msg, w - 2, norm);
		return;
	}
	for (size_t i = 0; i < s->a.nalerts; i++)
		if ((int)strlen(s->a.alerts[i].name) + 2 > name_w)
			name_w = (int)strlen(s->a.alerts[i].name) + 2;
	if (name_w > w / 3)
		name_w = w / 3;
	sum_x = sev_w + name_w + state_w + age_w;
	draw_fill_row(c, 0, head);
	draw_text(c, 0, 0, "SEVERITY", sev_w, head);
	draw_text(c, 0, sev_w, "NAME", name_w, head);
	draw_text(c, 0, sev_w + name_w, "STATE", state_w, head);
	draw_text(c, 0, sev_w + name_w + state_w, "AGE", age_w, head);
	if (w > sum_x)
		draw_text(c, 0, sum_x, "SUMMARY", w - sum_x, head);
	rows = c->r.h - 1 - (details ? DETAIL_ROWS : 0) - (s->error[0] ? 1 : 0);
	if (s->error[0]) {
		snprintf(msg, sizeof(msg), "%s%s", s->have ? "stale: " : "", s->error);
		draw_text(c, c->r.h - 1, 0, msg, w, canvas_attr(c, THEME_CHECK_FAIL));
	}
	if (!s->have) {
		if (!s->error[0])
			draw_text(c, 2, 1, "Asking the Alertmanager...", w - 2, norm);
		return;
	}
	if (s->a.nalerts == 0) {
		draw_text(c, 2, 1, "No firing alerts.", w - 2, norm);
		return;
	}
	if (rows < 1)
		return;
	if (s->sel >= s->a.nalerts)
		s->sel = s->a.nalerts - 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)rows)
		s->top = s->sel - (size_t)rows + 1;
	for (int y = 0; y < rows && s->top + (size_t)y < s->a.nalerts; y++) {
		const struct am_alert *al = &s->a.alerts[s->top + (size_t)y];
		bool sel = s->top + (size_t)y == s->sel;
		bool sup = strcmp(al->state, "suppressed") == 0;
		int attr = sel ? canvas_attr(c, THEME_TABLE_SELECTED) : norm;
		char age[DURATION_HUMAN_MAX + 8];

		age_text(p->app->now, al->starts_at, age, sizeof(age));
		draw_fill_row(c, y + 1, attr);
		draw_text(c, y + 1, 0, al->severity[0] ? al->severity : "-", sev_w - 1,
			  sel ? attr : severity_attr(c, al->severity, sup));
		draw_text(c, y + 1, sev_w, al->name, name_w - 1, attr);
		draw_text(c, y + 1, sev_w + name_w, al->state, state_w - 1, attr);
		draw_text(c, y + 1, sev_w + name_w + state_w, age, age_w - 1, attr);
		if (w > sum_x)
			draw_text(c, y + 1, sum_x, al->summary[0] ? al->summary : al->description,
				  w - sum_x, attr);
	}
	if (details)
		draw_details(p, c, c->r.h - DETAIL_ROWS - (s->error[0] ? 1 : 0));
}

static bool alerts_pane_action(struct pane *p, enum action a)
{
	struct alerts_state *s = p->state;
	size_t page = 10, n = s->a.nalerts;

	if (n == 0)
		return false;
	switch (a) {
	case ACTION_MOVE_UP: if (s->sel > 0) s->sel--; break;
	case ACTION_MOVE_DOWN: if (s->sel + 1 < n) s->sel++; break;
	case ACTION_PAGE_UP: s->sel = s->sel > page ? s->sel - page : 0; break;
	case ACTION_PAGE_DOWN: s->sel = s->sel + page < n ? s->sel + page : n - 1; break;
	case ACTION_FIRST: s->sel = 0; break;
	case ACTION_LAST: s->sel = n - 1; break;
	default: return false;
	}
	snprintf(s->sel_key, sizeof(s->sel_key), "%s", s->a.alerts[s->sel].fingerprint);
	p->dirty = true;
	return true;
}

static void alerts_pane_title_info(struct pane *p, char *out, size_t n)
{
	struct alerts_state *s = p->state;
	size_t crit = 0, sup = 0;

	for (size_t i = 0; i < s->a.nalerts; i++) {
		crit += strcmp(s->a.alerts[i].severity, "critical") == 0;
		sup += strcmp(s->a.alerts[i].state, "suppressed") == 0;
	}
	if (!s->url[0])
		snprintf(out, n, "not configured: Esc closes");
	else
		snprintf(out, n, "%zu firing, %zu critical, %zu silenced: Esc closes", s->a.nalerts,
			 crit, sup);
}

static void alerts_pane_selection(struct pane *p, char *out, size_t n)
{
	const struct am_alert *al = pane_alerts_selected(p);
	struct alerts_state *s = p->state;
	char age[DURATION_HUMAN_MAX + 8];

	out[0] = '\0';
	if (!al)
		return;
	age_text(p->app->now, al->starts_at, age, sizeof(age));
	snprintf(out, n, "%s %s for %s from %s", al->name, al->state, age,
		 s->am ? am_client_url(s->am) : "");
}

size_t pane_alerts_count(struct pane *p)
{
	return ((struct alerts_state *)p->state)->a.nalerts;
}

const struct am_alert *pane_alerts_selected(struct pane *p)
{
	struct alerts_state *s = p->state;

	return s->sel < s->a.nalerts ? &s->a.alerts[s->sel] : NULL;
}

void pane_alerts_triage(struct pane *p, struct triage *t)
{
	struct alerts_state *s = p->state;

	if (s && s->have)
		alerts_triage_add(t, &s->a);
}

const struct pane_ops pane_alerts_ops = {
	.name = "alerts",
	.title = "Alerts",
	.init = alerts_pane_init,
	.fini = alerts_pane_fini,
	.needs_recalc = alerts_pane_needs_recalc,
	.recalc = alerts_pane_recalc,
	.draw = alerts_pane_draw,
	.action = alerts_pane_action,
	.title_info = alerts_pane_title_info,
	.selection = alerts_pane_selection,
};
