/*
 * pane_events.c: the Events pane (ui_pane_events.h). Like the Pods pane it
 * adapts a source to the table widget; its "trouble first" order is Warning
 * first, then the newest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/duration.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_pane_events.h"
#include "opsdeck/ui_table.h"

enum ev_col { EV_COL_LAST, EV_COL_TYPE, EV_COL_REASON, EV_COL_OBJECT, EV_COL_COUNT,
	      EV_COL_MESSAGE, EV_COL_NAMESPACE, EV_COL_COUNT_ };

static const struct table_column ev_columns[EV_COL_COUNT_] = {
	[EV_COL_LAST] = { .title = "LAST SEEN", .min_w = 9, .max_w = 9, .right = true },
	[EV_COL_TYPE] = { .title = "TYPE", .min_w = 7, .max_w = 7, .drop = 2 },
	[EV_COL_REASON] = { .title = "REASON", .min_w = 8, .max_w = 24 },
	[EV_COL_OBJECT] = { .title = "OBJECT", .min_w = 10, .max_w = 48, .drop = 1, .flex = true },
	[EV_COL_COUNT] = { .title = "COUNT", .min_w = 5, .max_w = 6, .right = true, .drop = 3 },
	[EV_COL_MESSAGE] = { .title = "MESSAGE", .min_w = 10, .max_w = 400, .flex = true },
	[EV_COL_NAMESPACE] = { .title = "NAMESPACE", .min_w = 9, .max_w = 20, .drop = 4 },
};

struct events_state {
	struct table table;
	uint64_t gen_seen;
	const void *source_seen;
	bool stale;
};

static const struct event_view *row_at(struct pane *p, size_t i)
{
	const struct event_source *s = &p->app->events;

	return s->ops ? s->ops->row(s->self, i) : NULL;
}

static size_t model_count(void *m)
{
	struct pane *p = m;
	const struct event_source *s = &p->app->events;

	return s->ops ? s->ops->count(s->self) : 0;
}

static void model_cell(void *m, size_t row, int col, char *out, size_t n)
{
	struct pane *p = m;
	const struct event_view *v = row_at(p, row);

	out[0] = '\0';
	if (!v)
		return;
	switch ((enum ev_col)col) {
	case EV_COL_LAST:
		duration_format_human((p->app->now - v->last_seen) * NS_PER_SEC, out, n);
		break;
	case EV_COL_TYPE: snprintf(out, n, "%s", v->type); break;
	case EV_COL_REASON: snprintf(out, n, "%s", v->reason); break;
	case EV_COL_OBJECT: snprintf(out, n, "%s", v->object); break;
	case EV_COL_COUNT: snprintf(out, n, "%lld", (long long)v->count); break;
	case EV_COL_MESSAGE: snprintf(out, n, "%s", v->message); break;
	case EV_COL_NAMESPACE: snprintf(out, n, "%s", v->namespace_); break;
	case EV_COL_COUNT_: break;
	}
}

static bool is_warning(const struct event_view *v)
{
	return strcmp(v->type, "Normal") != 0;
}

static int model_style(void *m, size_t row, int col)
{
	const struct event_view *v = row_at(m, row);

	if (v && is_warning(v) && (col == EV_COL_TYPE || col == EV_COL_REASON))
		return THEME_LOG_WARNING;
	return THEME_NORMAL;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int model_compare(void *m, size_t ia, size_t ib, int key)
{
	const struct event_view *a = row_at(m, ia), *b = row_at(m, ib);

	switch (key) {
	case TABLE_SORT_TROUBLE: {
		/* Warning first, then the newest. */
		int c = (int)is_warning(b) - (int)is_warning(a);

		return c ? c : cmp_i64(b->last_seen, a->last_seen);
	}
	case EV_COL_LAST: return cmp_i64(b->last_seen, a->last_seen);
	case EV_COL_TYPE: return strcmp(a->type, b->type);
	case EV_COL_REASON: return strcmp(a->reason, b->reason);
	case EV_COL_OBJECT: return strcmp(a->object, b->object);
	case EV_COL_COUNT: return cmp_i64(a->count, b->count);
	case EV_COL_MESSAGE: return strcmp(a->message, b->message);
	case EV_COL_NAMESPACE: return strcmp(a->namespace_, b->namespace_);
	default: return 0;
	}
}

static bool model_match(void *m, size_t row, const char *filter)
{
	struct pane *p = m;
	const struct event_view *v = row_at(p, row);
	const char *ns = p->app->status.namespace_;

	if (!v)
		return false;
	if (ns[0] && strcmp(ns, "*") != 0 && strcmp(ns, v->namespace_) != 0)
		return false;
	if (!filter[0])
		return true;
	return strcasestr(v->type, filter) || strcasestr(v->reason, filter) ||
	       strcasestr(v->object, filter) || strcasestr(v->message, filter);
}

static void model_id(void *m, size_t row, char *out, size_t n)
{
	const struct event_view *v = row_at(m, row);

	snprintf(out, n, "%s|%s|%s|%lld", v ? v->namespace_ : "", v ? v->object : "",
		 v ? v->reason : "", v ? (long long)v->last_seen : 0LL);
}

static const struct table_model_ops events_model = {
	.count = model_count,
	.cell = model_cell,
	.style = model_style,
	.compare = model_compare,
	.match = model_match,
	.id = model_id,
};

static enum od_status events_init(struct pane *p, struct err *e)
{
	struct events_state *st = calloc(1, sizeof(*st));

	if (!st)
		return err_set(e, OD_ENOMEM, "out of memory");
	table_init(&st->table, ev_columns, EV_COL_COUNT_, &events_model, p);
	table_set_sort(&st->table, TABLE_SORT_TROUBLE, false);
	st->stale = true;
	p->state = st;
	return OD_OK;
}

static void events_fini(struct pane *p)
{
	struct events_state *st = p->state;

	if (!st)
		return;
	table_free(&st->table);
	free(st);
	p->state = NULL;
}

static bool events_needs_recalc(struct pane *p)
{
	struct events_state *st = p->state;
	const struct event_source *s = &p->app->events;

	if (st->stale || s->self != st->source_seen)
		return true;
	return s->ops && s->ops->generation(s->self) != st->gen_seen;
}

static enum od_status events_recalc(struct pane *p, struct err *e)
{
	struct events_state *st = p->state;
	const struct event_source *s = &p->app->events;

	st->stale = false;
	st->table.hidden[EV_COL_NAMESPACE] = p->app->status.namespace_[0] &&
					     strcmp(p->app->status.namespace_, "*") != 0;
	st->source_seen = s->self;
	st->gen_seen = s->ops ? s->ops->generation(s->self) : 0;
	return table_recalc(&st->table, e);
}

static void events_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct events_state *st = p->state;

	if (!p->app->events.ops) {
		draw_text(c, 0, 1, "Cluster events for the namespace, Warning first.", 0,
			  canvas_attr(c, THEME_PANE_HINT));
		draw_text(c, 1, 1, "They appear from the live watch, or from the history "
				   "store's events archive.", 0, canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	table_draw(&st->table, c, focused);
	if (st->table.nview == 0 && c->r.h > 1)
		draw_text(c, 1, 1, st->table.filter[0] ? "No events match the filter."
						       : "No events.",
			  0, canvas_attr(c, THEME_PANE_HINT));
}

static bool events_action(struct pane *p, enum action a)
{
	struct events_state *st = p->state;
	struct table *t = &st->table;

	switch (table_handle_action(t, a)) {
	case TABLE_ACTION_RESORTED:
		st->stale = true;
		p->dirty = true;
		return true;
	case TABLE_ACTION_MOVED:
		p->dirty = true;
		return true;
	case TABLE_ACTION_NONE:
		break;
	}
	return false;
}

static void events_filter(struct pane *p, const char *text)
{
	struct events_state *st = p->state;

	table_set_filter(&st->table, text);
	st->stale = true;
	p->dirty = true;
}

static void events_title_info(struct pane *p, char *out, size_t n)
{
	struct events_state *st = p->state;
	size_t total = model_count(p);
	const char *key = st->table.sort_key == TABLE_SORT_TROUBLE
				  ? "Warning first"
				  : ev_columns[st->table.sort_key].title;

	out[0] = '\0';
	if (!p->app->events.ops)
		return;
	if (st->table.nview != total)
		snprintf(out, n, "%zu/%zu, %s%s%s", st->table.nview, total, key,
			 st->table.filter[0] ? " /" : "", st->table.filter);
	else
		snprintf(out, n, "%zu, %s", total, key);
}

static void events_selection(struct pane *p, char *out, size_t n)
{
	struct events_state *st = p->state;
	const struct event_view *v;
	size_t row;

	out[0] = '\0';
	if (!p->app->events.ops || !table_selected(&st->table, &row) || !(v = row_at(p, row)))
		return;
	snprintf(out, n, "%s %s: %s", v->object, v->reason, v->message);
}

const struct pane_ops pane_events_ops = {
	.name = "events",
	.title = "Events",
	.init = events_init,
	.fini = events_fini,
	.needs_recalc = events_needs_recalc,
	.recalc = events_recalc,
	.draw = events_draw,
	.action = events_action,
	.filter = events_filter,
	.title_info = events_title_info,
	.selection = events_selection,
};
