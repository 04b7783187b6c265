/*
 * statusbar.c: the status bar (ui_statusbar.h). Badges (stale, READ-ONLY,
 * due, incident) get their own theme elements so they stand out; the plain
 * fields share the bar's colours.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "opsdeck/ui_statusbar.h"
#include "opsdeck/ui_text.h"

enum seg_kind { SEG_PLAIN, SEG_STALE, SEG_READONLY, SEG_DUE, SEG_INCIDENT };

struct seg {
	enum seg_kind kind;
	char text[160];
};

#define SEGS_MAX 10

void status_model_init(struct status_model *m)
{
	memset(m, 0, sizeof(*m));
	m->rtt_ms = -1;
}

static void hhmm(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm)) {
		snprintf(out, n, "?");
		return;
	}
	strftime(out, n, "%H:%M", &tm);
}

static void add_seg(struct seg *s, size_t *n, enum seg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_seg(struct seg *s, size_t *n, enum seg_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (*n >= SEGS_MAX)
		return;
	s[*n].kind = kind;
	va_start(ap, fmt);
	vsnprintf(s[*n].text, sizeof(s[*n].text), fmt, ap);
	va_end(ap);
	(*n)++;
}

/* The bar's segments in order; unknown fields are left out. */
static size_t build_segments(const struct status_model *m, int64_t now, struct seg *s)
{
	size_t n = 0;

	if (m->context[0])
		add_seg(s, &n, SEG_PLAIN, "ctx %s", m->context);
	if (m->namespace_[0])
		add_seg(s, &n, SEG_PLAIN, "ns %s", m->namespace_);
	if (m->profile[0])
		add_seg(s, &n, SEG_PLAIN, "profile %s", m->profile);
	if (m->stale_since > 0) {
		char t[16];

		hhmm(m->stale_since, t, sizeof(t));
		add_seg(s, &n, SEG_STALE, "stale since %s", t);
	} else if (m->rtt_ms >= 0) {
		add_seg(s, &n, SEG_PLAIN, "api %dms", m->rtt_ms);
	}
	if (m->source[0])
		add_seg(s, &n, SEG_PLAIN, "[%s]", m->source);
	if (m->read_only)
		add_seg(s, &n, SEG_READONLY, "READ-ONLY");
	/* During an incident its clock goes first: a narrow bar cuts the badges, not it. */
	if (m->incident_start > 0) {
		int64_t d = now > m->incident_start ? now - m->incident_start : 0;

		if (m->incident_id > 0)
			add_seg(s, &n, SEG_INCIDENT, "INC#%lld%s%s %02lld:%02lld:%02lld",
				(long long)m->incident_id, m->incident_severity[0] ? " " : "",
				m->incident_severity, (long long)(d / 3600),
				(long long)(d / 60 % 60), (long long)(d % 60));
		else
			add_seg(s, &n, SEG_INCIDENT, "INCIDENT %02lld:%02lld:%02lld",
				(long long)(d / 3600), (long long)(d / 60 % 60), (long long)(d % 60));
	}
	if (m->checks_overdue > 0)
		add_seg(s, &n, SEG_DUE, "%d overdue", m->checks_overdue);
	if (m->checks_due > 0)
		add_seg(s, &n, SEG_DUE, "%d due", m->checks_due);
	if (m->checklist_badges[0])
		add_seg(s, &n, SEG_DUE, "%s", m->checklist_badges);
	return n;
}

void statusbar_format(const struct status_model *m, int64_t now, char *out, size_t n)
{
	struct seg s[SEGS_MAX];
	size_t k = build_segments(m, now, s), o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < k && o < n; i++) {
		int w = snprintf(out + o, n - o, "%s%s", i ? "  " : "", s[i].text);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static enum theme_element seg_element(enum seg_kind k)
{
	switch (k) {
	case SEG_STALE:
		return THEME_STATUSBAR_STALE;
	case SEG_READONLY:
		return THEME_STATUSBAR_READONLY;
	case SEG_DUE:
		return THEME_STATUSBAR_DUE;
	case SEG_INCIDENT:
		return THEME_STATUSBAR_INCIDENT;
	case SEG_PLAIN:
		break;
	}
	return THEME_STATUSBAR;
}

void statusbar_draw(const struct status_model *m, int64_t now, const struct canvas *c)
{
	struct seg s[SEGS_MAX];
	size_t k = build_segments(m, now, s);
	int bar = canvas_attr(c, THEME_STATUSBAR), x = 0;

	draw_fill_row(c, 0, bar);
	x += draw_text(c, 0, x, " opsdeck ", 0, bar | A_BOLD);
	for (size_t i = 0; i < k && x < c->r.w; i++) {
		char t[170];

		snprintf(t, sizeof(t), " %s ", s[i].text);
		x += draw_text(c, 0, x, t, 0, canvas_attr(c, seg_element(s[i].kind)));
		if (x < c->r.w)
			x += draw_text(c, 0, x, " ", 1, bar);
	}
}
