/*
 * pane_nodes.c: the Nodes pane (ui_pane_nodes.h): NAME STATUS ROLES AGE
 * VERSION PRESSURE CPU MEM (allocatable), read through the app's
 * node_source; "trouble first" puts nodes not Ready, then under pressure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/duration.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_pane_nodes.h"
#include "opsdeck/ui_table.h"

enum node_col { ND_COL_NAME, ND_COL_STATUS, ND_COL_ROLES, ND_COL_AGE, ND_COL_VERSION,
		ND_COL_PRESSURE, ND_COL_CPU, ND_COL_MEM, ND_COL_COUNT_ };

static const struct table_column nd_columns[ND_COL_COUNT_] = {
	[ND_COL_NAME] = { .title = "NAME", .min_w = 8, .max_w = 63, .flex = true },
	[ND_COL_STATUS] = { .title = "STATUS", .min_w = 6, .max_w = 32 },
	[ND_COL_ROLES] = { .title = "ROLES", .min_w = 5, .max_w = 32, .drop = 2 },
	[ND_COL_AGE] = { .title = "AGE", .min_w = 3, .max_w = 7, .right = true },
	[ND_COL_VERSION] = { .title = "VERSION", .min_w = 7, .max_w = 20, .drop = 3 },
	[ND_COL_PRESSURE] = { .title = "PRESSURE", .min_w = 8, .max_w = 30, .drop = 1 },
	[ND_COL_CPU] = { .title = "CPU", .min_w = 5, .max_w = 8, .right = true, .drop = 4 },
	[ND_COL_MEM] = { .title = "MEM", .min_w = 5, .max_w = 9, .right = true, .drop = 4 },
};

struct nodes_state {
	struct table table;
	uint64_t gen_seen;
	const void *source_seen;
	bool stale;
};

static const struct node_view *row_at(struct pane *p, size_t i)
{
	const struct node_source *s = &p->app->nodes;

	return s->ops ? s->ops->row(s->self, i) : NULL;
}

static size_t model_count(void *m)
{
	struct pane *p = m;
	const struct node_source *s = &p->app->nodes;

	return s->ops ? s->ops->count(s->self) : 0;
}

static void model_cell(void *m, size_t row, int col, char *out, size_t n)
{
	struct pane *p = m;
	const struct node_view *v = row_at(p, row);

	out[0] = '\0';
	if (!v)
		return;
	switch ((enum node_col)col) {
	case ND_COL_NAME: snprintf(out, n, "%s", v->name); break;
	case ND_COL_STATUS: snprintf(out, n, "%s", v->status); break;
	case ND_COL_ROLES: snprintf(out, n, "%s", v->roles); break;
	case ND_COL_AGE:
		if (v->created)
			duration_format_human((p->app->now - v->created) * NS_PER_SEC, out, n);
		else
			snprintf(out, n, "-");
		break;
	case ND_COL_VERSION: snprintf(out, n, "%s", v->version); break;
	case ND_COL_PRESSURE: snprintf(out, n, "%s", v->pressure[0] ? v->pressure : "-"); break;
	case ND_COL_CPU:
		if (v->cpu_alloc_m < 0)
			snprintf(out, n, "-");
		else
			snprintf(out, n, "%lldm", (long long)v->cpu_alloc_m);
		break;
	case ND_COL_MEM:
		if (v->mem_alloc_b < 0)
			snprintf(out, n, "-");
		else
			snprintf(out, n, "%lldMi", (long long)(v->mem_alloc_b / (1024 * 1024)));
		break;
	case ND_COL_COUNT_: break;
	}
}

static int trouble(const struct node_view *v)
{
	if (strncmp(v->status, "Ready", 5) != 0)
		return 3;
	if (v->pressure[0])
		return 2;
	return strstr(v->status, "SchedulingDisabled") ? 1 : 0;
}

static int model_style(void *m, size_t row, int col)
{
	const struct node_view *v = row_at(m, row);

	if (!v || (col != ND_COL_STATUS && col != ND_COL_PRESSURE))
		return THEME_NORMAL;
	switch (trouble(v)) {
	case 3: return THEME_STATUS_FAILED;
	case 2: return THEME_STATUS_PENDING;
	case 1: return THEME_STATUS_TERMINATING;
	default: return col == ND_COL_STATUS ? THEME_STATUS_RUNNING : THEME_NORMAL;
	}
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int model_compare(void *m, size_t ia, size_t ib, int key)
{
	const struct node_view *a = row_at(m, ia), *b = row_at(m, ib);
	int c;

	switch (key) {
	case TABLE_SORT_TROUBLE:
		c = trouble(b) - trouble(a);
		return c ? c : strcmp(a->name, b->name);
	case ND_COL_NAME: return strcmp(a->name, b->name);
	case ND_COL_STATUS: return strcmp(a->status, b->status);
	case ND_COL_ROLES: return strcmp(a->roles, b->roles);
	case ND_COL_AGE: return cmp_i64(b->created, a->created);
	case ND_COL_VERSION: return strcmp(a->version, b->version);
	case ND_COL_PRESSURE: return strcmp(a->pressure, b->pressure);
	case ND_COL_CPU: return cmp_i64(a->cpu_alloc_m, b->cpu_alloc_m);
	case ND_COL_MEM: return cmp_i64(a->mem_alloc_b, b->mem_alloc_b);
	default: return 0;
	}
}

static bool model_match(void *m, size_t row, const char *filter)
{
	const struct node_view *v = row_at(m, row);

	if (!v)
		return false;
	if (!filter[0])
		return true;
	return strcasestr(v->name, filter) || strcasestr(v->status, filter) ||
	       strcasestr(v->roles, filter) || strcasestr(v->pressure, filter);
}

static void model_id(void *m, size_t row, char *out, size_t n)
{
	const struct node_view *v = row_at(m, row);

	snprintf(out, n, "%s", v ? v->name : "");
}

static const struct table_model_ops nodes_model = {
	.count = model_count,
	.cell = model_cell,
	.style = model_style,
	.compare = model_compare,
	.match = model_match,
	.id = model_id,
};

static enum od_status nodes_init(struct pane *p, struct err *e)
{
	struct nodes_state *st = calloc(1, sizeof(*st));

	if (!st)
		return err_set(e, OD_ENOMEM, "out of memory");
	table_init(&st->table, nd_columns, ND_COL_COUNT_, &nodes_model, p);
	table_set_sort(&st->table, TABLE_SORT_TROUBLE, false);
	st->stale = true;
	p->state = st;
	return OD_OK;
}

static void nodes_fini(struct pane *p)
{
	struct nodes_state *st = p->state;

	if (!st)
		return;
	table_free(&st->table);
	free(st);
	p->state = NULL;
}

static bool nodes_needs_recalc(struct pane *p)
{
	struct nodes_state *st = p->state;
	const struct node_source *s = &p->app->nodes;

	if (st->stale || s->self != st->source_seen)
		return true;
	return s->ops && s->ops->generation(s->self) != st->gen_seen;
}

static enum od_status nodes_recalc(struct pane *p, struct err *e)
{
	struct nodes_state *st = p->state;
	const struct node_source *s = &p->app->nodes;

	st->stale = false;
	st->source_seen = s->self;
	st->gen_seen = s->ops ? s->ops->generation(s->self) : 0;
	return table_recalc(&st->table, e);
}

static void nodes_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct nodes_state *st = p->state;

	if (!p->app->nodes.ops) {
		draw_text(c, 0, 1, "Nodes: status, roles, pressure conditions and allocatable "
				   "resources,", 0, canvas_attr(c, THEME_PANE_HINT));
		draw_text(c, 1, 1, "from the live node watch.", 0, canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	table_draw(&st->table, c, focused);
	if (st->table.nview == 0 && c->r.h > 1)
		draw_text(c, 1, 1, st->table.filter[0] ? "No nodes match the filter."
						       : "No nodes (yet).",
			  0, canvas_attr(c, THEME_PANE_HINT));
}

static bool nodes_action(struct pane *p, enum action a)
{
	struct nodes_state *st = p->state;
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

static void nodes_filter(struct pane *p, const char *text)
{
	struct nodes_state *st = p->state;

	table_set_filter(&st->table, text);
	st->stale = true;
	p->dirty = true;
}

static void nodes_title_info(struct pane *p, char *out, size_t n)
{
	struct nodes_state *st = p->state;
	size_t total = model_count(p);

	out[0] = '\0';
	if (!p->app->nodes.ops)
		return;
	if (st->table.nview != total)
		snprintf(out, n, "%zu/%zu", st->table.nview, total);
	else
		snprintf(out, n, "%zu", total);
}

static void nodes_selection(struct pane *p, char *out, size_t n)
{
	struct nodes_state *st = p->state;
	const struct node_view *v;
	size_t row;

	out[0] = '\0';
	if (!p->app->nodes.ops || !table_selected(&st->table, &row) || !(v = row_at(p, row)))
		return;
	snprintf(out, n, "node/%s %s", v->name, v->status);
}

const struct pane_ops pane_nodes_ops = {
	.name = "nodes",
	.title = "Nodes",
	.init = nodes_init,
	.fini = nodes_fini,
	.needs_recalc = nodes_needs_recalc,
	.recalc = nodes_recalc,
	.draw = nodes_draw,
	.action = nodes_action,
	.filter = nodes_filter,
	.title_info = nodes_title_info,
	.selection = nodes_selection,
};
