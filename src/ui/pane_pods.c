/*
 * pane_pods.c: the Pods pane (ui_pane_pods.h). It adapts the pod source to
 * the table widget: cell text, colours from the theme by trouble rank,
 * comparisons per column, and the filter (name, labels or status, within
 * the namespace chosen in the status model).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/duration.h"
#include "opsdeck/buf.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_describe.h"
#include "opsdeck/ui_pane_pods.h"
#include "opsdeck/ui_table.h"

enum pod_col {
	POD_COL_NAMESPACE, POD_COL_NAME, POD_COL_READY, POD_COL_STATUS, POD_COL_RESTARTS,
	POD_COL_AGE, POD_COL_CPU, POD_COL_MEM, POD_COL_CPU_R, POD_COL_CPU_L, POD_COL_MEM_R,
	POD_COL_MEM_L, POD_COL_OWNER, POD_COL_COUNT
};

/* drop: which columns give way first on a narrow screen (higher goes first). */
static const struct table_column pod_columns[POD_COL_COUNT] = {
	[POD_COL_NAMESPACE] = { .title = "NAMESPACE", .min_w = 9, .max_w = 20, .drop = 3 },
	[POD_COL_NAME] = { .title = "NAME", .min_w = 16, .max_w = 60, .flex = true },
	[POD_COL_READY] = { .title = "READY", .min_w = 5, .max_w = 7 },
	[POD_COL_STATUS] = { .title = "STATUS", .min_w = 7, .max_w = 26 },
	[POD_COL_RESTARTS] = { .title = "RESTARTS", .min_w = 8, .max_w = 8, .right = true,
			       .drop = 1 },
	[POD_COL_AGE] = { .title = "AGE", .min_w = 4, .max_w = 8, .right = true },
	[POD_COL_CPU] = { .title = "CPU", .min_w = 4, .max_w = 8, .right = true, .drop = 2 },
	[POD_COL_MEM] = { .title = "MEM", .min_w = 4, .max_w = 9, .right = true, .drop = 2 },
	[POD_COL_CPU_R] = { .title = "%CPU/R", .min_w = 6, .max_w = 6, .right = true, .drop = 5 },
	[POD_COL_CPU_L] = { .title = "%CPU/L", .min_w = 6, .max_w = 6, .right = true, .drop = 6 },
	[POD_COL_MEM_R] = { .title = "%MEM/R", .min_w = 6, .max_w = 6, .right = true, .drop = 5 },
	[POD_COL_MEM_L] = { .title = "%MEM/L", .min_w = 6, .max_w = 6, .right = true, .drop = 6 },
	[POD_COL_OWNER] = { .title = "OWNER", .min_w = 5, .max_w = 40, .drop = 4, .flex = true },
};

struct pods_state {
	struct table table;
	uint64_t gen_seen;
	const void *source_seen;  /* a new source means a recalc even at the same generation */
	bool stale;               /* sort or namespace changed */
	bool refilter;            /* the filter changed (table_refilter when nothing else did) */
	char ns_seen[sizeof(((struct app *)0)->status.namespace_)]; /* at the last recalc */
	/*
	 * What the filter searches, lowered once per generation of the rows
	 * (tolower, as strcasestr does): name, status and labels of row i at
	 * keys + key[i].off, each followed by a NUL (a filter has none, so
	 * one search over the three finds only what is inside one field).
	 */
	char *keys;                 /* owned */
	size_t keys_len, keys_cap;
	struct pod_key {
		size_t off;
		size_t len;         /* the three fields and their NULs */
	} *key;                     /* owned, key_rows entries */
	size_t key_rows, key_cap;
	bool keys_ok;               /* keys are of source_keys at gen_keys */
	const void *source_keys;
	uint64_t gen_keys;
	char filter_lc[TABLE_FILTER_MAX]; /* table.filter lowered */
	size_t filter_lc_len;
};

size_t pane_pods_column_names(const char **out, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < POD_COL_COUNT && n < max; i++)
		out[n++] = pod_columns[i].title;
	return n;
}

static const struct pod_view *row_at(struct pane *p, size_t i)
{
	const struct pod_source *s = &p->app->pods;

	return s->ops ? s->ops->row(s->self, i) : NULL;
}

static size_t model_count(void *m)
{
	struct pane *p = m;
	const struct pod_source *s = &p->app->pods;

	return s->ops ? s->ops->count(s->self) : 0;
}

static void fmt_pct(char *out, size_t n, int pct)
{
	if (pct < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%d", pct);
}

static void fmt_cpu(char *out, size_t n, int64_t m)
{
	if (m < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%lldm", (long long)m);
}

static void fmt_mem(char *out, size_t n, int64_t b)
{
	if (b < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%lldMi", (long long)(b / (1024 * 1024)));
}

static void model_cell(void *m, size_t row, int col, char *out, size_t n)
{
	struct pane *p = m;
	const struct pod_view *r = row_at(p, row);

	out[0] = '\0';
	if (!r)
		return;
	switch ((enum pod_col)col) {
	case POD_COL_NAMESPACE: snprintf(out, n, "%s", r->namespace_); break;
	case POD_COL_NAME: snprintf(out, n, "%s", r->name); break;
	case POD_COL_READY: snprintf(out, n, "%d/%d", r->ready, r->containers); break;
	case POD_COL_STATUS: snprintf(out, n, "%s", r->status); break;
	case POD_COL_RESTARTS: snprintf(out, n, "%d", r->restarts); break;
	case POD_COL_AGE:
		if (r->created <= 0)
			snprintf(out, n, "<unknown>");
		else
			duration_format_human((p->app->now - r->created) * NS_PER_SEC, out, n);
		break;
	case POD_COL_CPU: fmt_cpu(out, n, r->cpu_m); break;
	case POD_COL_MEM: fmt_mem(out, n, r->mem_b); break;
	case POD_COL_CPU_R: fmt_pct(out, n, podview_pct(r->cpu_m, r->cpu_req_m)); break;
	case POD_COL_CPU_L: fmt_pct(out, n, podview_pct(r->cpu_m, r->cpu_lim_m)); break;
	case POD_COL_MEM_R: fmt_pct(out, n, podview_pct(r->mem_b, r->mem_req_b)); break;
	case POD_COL_MEM_L: fmt_pct(out, n, podview_pct(r->mem_b, r->mem_lim_b)); break;
	case POD_COL_OWNER: snprintf(out, n, "%s", r->owner[0] ? r->owner : "-"); break;
	case POD_COL_COUNT: break;
	}
}

static enum theme_element status_element(const struct pod_view *r)
{
	switch (podview_trouble(r)) {
	case PODVIEW_TROUBLE_NONE:
		return strcmp(r->status, "Running") == 0 ? THEME_STATUS_RUNNING
							 : THEME_STATUS_SUCCEEDED;
	case PODVIEW_TROUBLE_NOT_READY:
	case PODVIEW_TROUBLE_PENDING:
		return THEME_STATUS_PENDING;
	case PODVIEW_TROUBLE_TERMINATING:
		return THEME_STATUS_TERMINATING;
	case PODVIEW_TROUBLE_UNKNOWN:
		return THEME_STATUS_UNKNOWN;
	case PODVIEW_TROUBLE_FAILED:
		return THEME_STATUS_FAILED;
	}
	return THEME_NORMAL;
}

static int model_style(void *m, size_t row, int col)
{
	const struct pod_view *r = row_at(m, row);

	if (!r)
		return THEME_NORMAL;
	if (col == POD_COL_STATUS || (col == POD_COL_READY && r->ready < r->containers))
		return status_element(r);
	return THEME_NORMAL;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_names(const struct pod_view *a, const struct pod_view *b)
{
	int c = strcmp(a->namespace_, b->namespace_);

	return c ? c : strcmp(a->name, b->name);
}

static int cmp_ready(const struct pod_view *a, const struct pod_view *b)
{
	/* By the share that is ready: 0/3 before 1/2 before 2/2. */
	int64_t l = (int64_t)a->ready * (b->containers ? b->containers : 1);
	int64_t r = (int64_t)b->ready * (a->containers ? a->containers : 1);

	return cmp_i64(l, r);
}

static int cmp_column(const struct pod_view *a, const struct pod_view *b, int key)
{
	switch ((enum pod_col)key) {
	case POD_COL_NAMESPACE: return cmp_names(a, b);
	case POD_COL_NAME: return strcmp(a->name, b->name);
	case POD_COL_READY: return cmp_ready(a, b);
	case POD_COL_STATUS: return strcmp(a->status, b->status);
	case POD_COL_RESTARTS: return cmp_i64(a->restarts, b->restarts);
	/* Youngest first, as AGE grows downwards. */
	case POD_COL_AGE: return cmp_i64(b->created, a->created);
	case POD_COL_CPU: return cmp_i64(a->cpu_m, b->cpu_m);
	case POD_COL_MEM: return cmp_i64(a->mem_b, b->mem_b);
	case POD_COL_CPU_R: return cmp_i64(podview_pct(a->cpu_m, a->cpu_req_m),
					   podview_pct(b->cpu_m, b->cpu_req_m));
	case POD_COL_CPU_L: return cmp_i64(podview_pct(a->cpu_m, a->cpu_lim_m),
					   podview_pct(b->cpu_m, b->cpu_lim_m));
	case POD_COL_MEM_R: return cmp_i64(podview_pct(a->mem_b, a->mem_req_b),
					   podview_pct(b->mem_b, b->mem_req_b));
	case POD_COL_MEM_L: return cmp_i64(podview_pct(a->mem_b, a->mem_lim_b),
					   podview_pct(b->mem_b, b->mem_lim_b));
	case POD_COL_OWNER: return strcmp(a->owner, b->owner);
	case POD_COL_COUNT: break;
	}
	return 0;
}

static int model_compare(void *m, size_t ia, size_t ib, int key)
{
	const struct pod_view *a = row_at(m, ia), *b = row_at(m, ib);
	int c;

	if (key == TABLE_SORT_TROUBLE) {
		/* Worst first, then the most restarts, then by name. */
		c = (int)podview_trouble(b) - (int)podview_trouble(a);
		if (!c)
			c = cmp_i64(b->restarts, a->restarts);
		return c ? c : cmp_names(a, b);
	}
	c = cmp_column(a, b, key);
	return c ? c : cmp_names(a, b);
}

static bool in_namespace(const struct app *app, const struct pod_view *r)
{
	const char *ns = app->status.namespace_;

	return !ns[0] || strcmp(ns, "*") == 0 || strcmp(ns, r->namespace_) == 0;
}

/*
 * memmem for a short haystack: memchr to each place the first byte is, then
 * memcmp (glibc's memmem sets up per call, which costs more than the search
 * over a row's few dozen bytes).
 */
static bool key_has(const char *hay, size_t len, const char *needle, size_t n)
{
	const char *end = hay + len, *p = hay;

	while (n <= (size_t)(end - p) && (p = memchr(p, needle[0], (size_t)(end - p) - n + 1))) {
		if (memcmp(p + 1, needle + 1, n - 1) == 0)
			return true;
		p++;
	}
	return false;
}

static bool model_match(void *m, size_t row, const char *filter)
{
	struct pane *p = m;
	const struct pods_state *st = p->state;
	const struct pod_view *r = row_at(p, row);

	if (!r || !in_namespace(p->app, r))
		return false;
	if (!filter[0])
		return true;
	if (filter == st->table.filter && st->keys_ok && row < st->key_rows) {
		const struct pod_key *k = &st->key[row];

		return key_has(st->keys + k->off, k->len, st->filter_lc, st->filter_lc_len);
	}
	return strcasestr(r->name, filter) || strcasestr(r->status, filter) ||
	       strcasestr(r->labels, filter);
}

/* Appends text (at most max bytes) lowered, and a NUL. */
static bool keys_put(struct pods_state *st, const unsigned char *lower, const char *text,
		     size_t max)
{
	size_t len = strnlen(text, max);
	char *out;

	if (st->keys_len + len + 1 > st->keys_cap) {
		size_t cap = st->keys_cap ? st->keys_cap : 4096;
		char *k;

		while (cap < st->keys_len + len + 1)
			cap *= 2;
		k = realloc(st->keys, cap);
		if (!k)
			return false;
		st->keys = k;
		st->keys_cap = cap;
	}
	out = st->keys + st->keys_len;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)lower[(unsigned char)text[i]];
	out[len] = '\0';
	st->keys_len += len + 1;
	return true;
}

/*
 * Lowers the filter, and the searched fields of every row when the rows
 * changed since. Out of memory leaves keys_ok false: model_match then uses
 * strcasestr on the rows, with the same result.
 */
static void keys_refresh(struct pane *p)
{
	struct pods_state *st = p->state;
	const struct pod_source *s = &p->app->pods;
	size_t n = model_count(p);
	uint64_t gen = s->ops ? s->ops->generation(s->self) : 0;
	unsigned char lower[256];

	st->filter_lc_len = strlen(st->table.filter);
	for (size_t i = 0; i <= st->filter_lc_len; i++)
		st->filter_lc[i] = (char)tolower((unsigned char)st->table.filter[i]);
	if (st->keys_ok && st->source_keys == s->self && st->gen_keys == gen && st->key_rows == n)
		return;
	st->keys_ok = false;
	st->keys_len = 0;
	for (int c = 0; c < 256; c++)
		lower[c] = (unsigned char)tolower(c);
	if (n > st->key_cap) {
		struct pod_key *k = realloc(st->key, n * sizeof(*k));

		if (!k)
			return;
		st->key = k;
		st->key_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pod_view *r = row_at(p, i);
		struct pod_key *k = &st->key[i];

		k->off = st->keys_len;
		if (r && (!keys_put(st, lower, r->name, sizeof(r->name)) ||
			  !keys_put(st, lower, r->status, sizeof(r->status)) ||
			  !keys_put(st, lower, r->labels, sizeof(r->labels))))
			return;
		k->len = st->keys_len - k->off;
	}
	st->key_rows = n;
	st->source_keys = s->self;
	st->gen_keys = gen;
	st->keys_ok = true;
}

static void model_id(void *m, size_t row, char *out, size_t n)
{
	const struct pod_view *r = row_at(m, row);

	snprintf(out, n, "%s/%s", r ? r->namespace_ : "", r ? r->name : "");
}

static const struct table_model_ops pods_model = {
	.count = model_count,
	.cell = model_cell,
	.style = model_style,
	.compare = model_compare,
	.match = model_match,
	.id = model_id,
	.filter_narrows = true, /* substrings: a longer filter matches fewer rows */
};

static enum od_status pods_init(struct pane *p, struct err *e)
{
	struct pods_state *st = calloc(1, sizeof(*st));

	if (!st)
		return err_set(e, OD_ENOMEM, "out of memory");
	table_init(&st->table, pod_columns, POD_COL_COUNT, &pods_model, p);
	table_set_sort(&st->table, POD_COL_NAMESPACE, false);
	st->stale = true;
	p->state = st;
	return OD_OK;
}

static void pods_fini(struct pane *p)
{
	struct pods_state *st = p->state;

	if (!st)
		return;
	table_free(&st->table);
	free(st->keys);
	free(st->key);
	free(st);
	p->state = NULL;
}

static bool pods_needs_recalc(struct pane *p)
{
	struct pods_state *st = p->state;
	const struct pod_source *s = &p->app->pods;

	if (st->stale || st->refilter || s->self != st->source_seen)
		return true;
	return s->ops && s->ops->generation(s->self) != st->gen_seen;
}

static enum od_status pods_recalc(struct pane *p, struct err *e)
{
	struct pods_state *st = p->state;
	const struct pod_source *s = &p->app->pods;
	uint64_t gen = s->ops ? s->ops->generation(s->self) : 0;
	bool only_filter = st->refilter && !st->stale && s->self == st->source_seen &&
			   gen == st->gen_seen &&
			   strcmp(st->ns_seen, p->app->status.namespace_) == 0;

	st->stale = st->refilter = false;
	snprintf(st->ns_seen, sizeof(st->ns_seen), "%s", p->app->status.namespace_);
	/* One namespace on screen: its column would repeat the status bar. */
	st->table.hidden[POD_COL_NAMESPACE] = p->app->status.namespace_[0] &&
					      strcmp(p->app->status.namespace_, "*") != 0;
	st->source_seen = s->self;
	st->gen_seen = gen;
	/* Also when the filter opens (""), so its first key does not pay for the keys. */
	if (st->table.filter[0] || only_filter)
		keys_refresh(p);
	/* The same rows in the same order: only the filter's rows differ. */
	if (only_filter)
		return table_refilter(&st->table, e);
	return table_recalc(&st->table, e);
}

static void pods_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct pods_state *st = p->state;

	if (!p->app->pods.ops) {
		draw_text(c, 0, 1, "No pod data yet.", 0, canvas_attr(c, THEME_PANE_HINT));
		draw_text(c, 1, 1, "Pods appear here from the live watch, or from the last-known "
				   "state in the history store.", 0, canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	table_draw(&st->table, c, focused);
	if (st->table.nview == 0 && c->r.h > 1)
		draw_text(c, 1, 1, st->table.filter[0] ? "No pods match the filter." : "No pods.",
			  0, canvas_attr(c, THEME_PANE_HINT));
}

/* Enter: the describe view of the selected pod, when the source has the full object. */
static void open_describe(struct pane *p)
{
	struct pods_state *st = p->state;
	const struct pod_source *s = &p->app->pods;
	const struct pod *pod = NULL;
	struct buf text;
	struct err e = { 0 };
	char title[TABLE_CELL_MAX];
	size_t row;

	if (!s->ops || !table_selected(&st->table, &row))
		return;
	if (s->ops->pod)
		pod = s->ops->pod(s->self, row);
	if (!pod) {
		app_message(p->app, false, "describe needs the live cluster (this is %s data)",
			    s->ops->kind);
		return;
	}
	buf_init(&text, DESCRIBE_TEXT_MAX);
	model_id(p, row, title, sizeof(title));
	if (describe_pod(pod, p->app->now, &text, &e) != OD_OK ||
	    describe_pod_events(&p->app->events, s->ops->row(s->self, row)->namespace_,
				s->ops->row(s->self, row)->name, p->app->now, &text, &e) != OD_OK ||
	    app_open_describe(p->app, title, buf_cstr(&text), &e) != OD_OK)
		app_message(p->app, true, "describe: %s", e.msg);
	buf_free(&text);
}

static void resort(struct pane *p, int key, bool desc)
{
	struct pods_state *st = p->state;

	table_set_sort(&st->table, key, desc);
	st->stale = true;
	p->dirty = true;
}

static bool pods_action(struct pane *p, enum action a)
{
	struct pods_state *st = p->state;
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
	switch (a) {
	case ACTION_SCROLL_LEFT:
		if (t->hscroll > 0)
			t->hscroll--;
		break;
	case ACTION_SCROLL_RIGHT:
		if (t->hscroll < POD_COL_COUNT - 2)
			t->hscroll++;
		break;
	case ACTION_OPEN:
		open_describe(p);
		break;
	default:
		return false;
	}
	p->dirty = true;
	return true;
}

static void pods_filter(struct pane *p, const char *text)
{
	struct pods_state *st = p->state;

	table_set_filter(&st->table, text);
	st->refilter = true;
	p->dirty = true;
}

static bool pods_sort_by(struct pane *p, const char *column, struct err *e)
{
	char name[32];
	size_t len = strlen(column);
	bool desc = false;

	if (len && column[len - 1] == '-') {
		desc = true;
		len--;
	}
	snprintf(name, sizeof(name), "%.*s", (int)len, column);
	if (strcasecmp(name, "trouble") == 0) {
		resort(p, TABLE_SORT_TROUBLE, desc);
		return true;
	}
	for (int i = 0; i < POD_COL_COUNT; i++) {
		if (strcasecmp(name, pod_columns[i].title) == 0) {
			resort(p, i, desc);
			return true;
		}
	}
	err_set(e, OD_ENOENT, "no column called \"%.32s\"", name);
	return false;
}

static void pods_title_info(struct pane *p, char *out, size_t n)
{
	struct pods_state *st = p->state;
	size_t total = model_count(p);
	const char *key = st->table.sort_key == TABLE_SORT_TROUBLE
				  ? "trouble"
				  : pod_columns[st->table.sort_key].title;

	if (!p->app->pods.ops) {
		out[0] = '\0';
		return;
	}
	if (st->table.nview != total)
		snprintf(out, n, "%zu/%zu by %s%s%s", st->table.nview, total, key,
			 st->table.filter[0] ? " /" : "", st->table.filter);
	else
		snprintf(out, n, "%zu by %s", total, key);
}

static void pods_selection(struct pane *p, char *out, size_t n)
{
	struct pods_state *st = p->state;
	size_t row;

	out[0] = '\0';
	if (p->app->pods.ops && table_selected(&st->table, &row))
		model_id(p, row, out, n);
}

void pane_pods_select(struct pane *p, const char *ns, const char *name)
{
	struct pods_state *st = p->state;
	char want[TABLE_CELL_MAX], id[TABLE_CELL_MAX];
	struct err e = { 0 };

	/* On the rows as they are now; later recalcs keep the selection on it. */
	if (pods_recalc(p, &e) != OD_OK)
		return;
	snprintf(want, sizeof(want), "%s/%s", ns, name);
	for (size_t i = 0; i < st->table.nview; i++) {
		model_id(p, st->table.view[i], id, sizeof(id));
		if (strcmp(id, want) == 0) {
			table_move_to(&st->table, i);
			break;
		}
	}
	p->dirty = true;
}

const struct pane_ops pane_pods_ops = {
	.name = "pods",
	.title = "Pods",
	.init = pods_init,
	.fini = pods_fini,
	.needs_recalc = pods_needs_recalc,
	.recalc = pods_recalc,
	.draw = pods_draw,
	.action = pods_action,
	.filter = pods_filter,
	.sort_by = pods_sort_by,
	.title_info = pods_title_info,
	.selection = pods_selection,
};
