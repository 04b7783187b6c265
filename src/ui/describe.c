/*
 * describe.c: the describe view (ui_describe.h). Formatting is a pure
 * function of the pod, so it is tested without a terminal; the pane only
 * scrolls the lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/podstatus.h"
#include "opsdeck/quantity.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/ui_describe.h"

#define LABEL_W 15

static const char *or_none(const char *s)
{
	return s && *s ? s : "<none>";
}

/* "2026-11-19T14:53:00Z (2d ago)"; "<unknown>" without a time. */
static void when(struct od_time t, int64_t now, char *out, size_t n)
{
	char stamp[TIME_RFC3339_MAX], ago[DURATION_HUMAN_MAX];

	if (t.sec == 0) {
		snprintf(out, n, "<unknown>");
		return;
	}
	time_format_rfc3339(t, stamp, sizeof(stamp));
	duration_format_human((now - t.sec) * NS_PER_SEC, ago, sizeof(ago));
	snprintf(out, n, "%s (%s ago)", stamp, ago);
}

static enum od_status field(struct buf *b, int indent, const char *label, const char *value,
			    struct err *e)
{
	char l[64];

	snprintf(l, sizeof(l), "%s:", label);
	return buf_printf(b, e, "%*s%-*s %s\n", indent, "", LABEL_W - indent, l, value);
}

static enum od_status state_lines(struct buf *b, const char *label,
				  const struct container_state *s, int64_t now, struct err *e)
{
	char t[96], v[256];
	enum od_status rc;

	switch (s->kind) {
	case CONTAINER_STATE_RUNNING:
		when(s->started_at, now, t, sizeof(t));
		snprintf(v, sizeof(v), "Running, started %s", t);
		break;
	case CONTAINER_STATE_WAITING:
		snprintf(v, sizeof(v), "Waiting (%s)", or_none(s->reason));
		break;
	case CONTAINER_STATE_TERMINATED:
		when(s->finished_at, now, t, sizeof(t));
		if (s->signal)
			snprintf(v, sizeof(v), "Terminated (%s), exit code %d, signal %d, finished %s",
				 or_none(s->reason), s->exit_code, s->signal, t);
		else
			snprintf(v, sizeof(v), "Terminated (%s), exit code %d, finished %s",
				 or_none(s->reason), s->exit_code, t);
		break;
	case CONTAINER_STATE_NONE:
	default:
		return OD_OK;
	}
	rc = field(b, 4, label, v, e);
	if (rc == OD_OK && s->message && *s->message)
		rc = field(b, 4, "Message", s->message, e);
	return rc;
}

static void resources(const struct pod_resources *r, char *out, size_t n)
{
	char cpu[32] = "-", mem[32] = "-";

	if (r->cpu_milli >= 0)
		quantity_format_cpu_milli(r->cpu_milli, cpu, sizeof(cpu));
	if (r->memory_bytes >= 0)
		quantity_format_bytes(r->memory_bytes, mem, sizeof(mem));
	snprintf(out, n, "cpu %s, memory %s", cpu, mem);
}

static const struct pod_container_status *find_status(const struct pod *p, const char *name)
{
	for (size_t i = 0; i < p->nstatuses; i++)
		if (p->statuses[i].name && name && strcmp(p->statuses[i].name, name) == 0)
			return &p->statuses[i];
	return NULL;
}

static enum od_status container_lines(struct buf *b, const struct pod *p,
				      const struct pod_container *c, int64_t now, struct err *e)
{
	const struct pod_container_status *s = find_status(p, c->name);
	char v[128];
	enum od_status rc;

	rc = buf_printf(b, e, "  %s:\n", or_none(c->name));
	if (rc == OD_OK)
		rc = field(b, 4, "Image", or_none(c->image), e);
	if (rc == OD_OK && s)
		rc = state_lines(b, "State", &s->state, now, e);
	if (rc == OD_OK && s && s->last_state.kind != CONTAINER_STATE_NONE)
		rc = state_lines(b, "Last State", &s->last_state, now, e);
	if (rc == OD_OK && s)
		rc = field(b, 4, "Ready", s->ready ? "True" : "False", e);
	if (rc == OD_OK && s) {
		snprintf(v, sizeof(v), "%d", s->restart_count);
		rc = field(b, 4, "Restarts", v, e);
	}
	if (rc == OD_OK) {
		resources(&c->requests, v, sizeof(v));
		rc = field(b, 4, "Requests", v, e);
	}
	if (rc == OD_OK) {
		resources(&c->limits, v, sizeof(v));
		rc = field(b, 4, "Limits", v, e);
	}
	return rc;
}

static enum od_status header_lines(struct buf *b, const struct pod *p, int64_t now,
				   struct err *e)
{
	struct pod_row *row = calloc(1, sizeof(*row));
	struct od_time t = { .sec = now, .nsec = 0 };
	char v[256];
	enum od_status rc;

	if (!row)
		return err_set(e, OD_ENOMEM, "out of memory");
	podstatus_compute(p, t, row);
	rc = field(b, 0, "Name", or_none(p->name), e);
	if (rc == OD_OK)
		rc = field(b, 0, "Namespace", or_none(p->namespace_), e);
	if (rc == OD_OK)
		rc = field(b, 0, "Node", or_none(p->node), e);
	if (rc == OD_OK) {
		when(p->created, now, v, sizeof(v));
		rc = field(b, 0, "Start Time", v, e);
	}
	if (rc == OD_OK)
		rc = field(b, 0, "Status", row->status, e);
	if (rc == OD_OK)
		rc = field(b, 0, "Ready", row->ready, e);
	if (rc == OD_OK)
		rc = field(b, 0, "IP", p->nips ? p->ips[0] : "<none>", e);
	if (rc == OD_OK) {
		if (p->owner_kind && p->owner_name)
			snprintf(v, sizeof(v), "%s/%s", p->owner_kind, p->owner_name);
		else
			snprintf(v, sizeof(v), "<none>");
		rc = field(b, 0, "Controlled By", v, e);
	}
	free(row);
	return rc;
}

static enum od_status label_lines(struct buf *b, const struct pod *p, struct err *e)
{
	enum od_status rc = OD_OK;

	if (p->nlabels == 0)
		return field(b, 0, "Labels", "<none>", e);
	for (size_t i = 0; i < p->nlabels && rc == OD_OK; i++) {
		char kv[512];

		snprintf(kv, sizeof(kv), "%s=%s", or_none(p->labels[i].key),
			 p->labels[i].value ? p->labels[i].value : "");
		rc = i == 0 ? field(b, 0, "Labels", kv, e)
			    : buf_printf(b, e, "%*s %s\n", LABEL_W, "", kv);
	}
	return rc;
}

enum od_status describe_pod(const struct pod *p, int64_t now, struct buf *out, struct err *e)
{
	enum od_status rc = header_lines(out, p, now, e);

	if (rc == OD_OK)
		rc = label_lines(out, p, e);
	if (rc == OD_OK)
		rc = buf_append_str(out, "Containers:\n", e);
	for (size_t i = 0; i < p->ncontainers && rc == OD_OK; i++)
		rc = container_lines(out, p, &p->containers[i], now, e);
	if (rc == OD_OK && p->ncontainers == 0)
		rc = buf_append_str(out, "  <none>\n", e);
	if (rc == OD_OK)
		rc = buf_append_str(out, "Conditions:\n", e);
	for (size_t i = 0; i < p->nconditions && rc == OD_OK; i++)
		rc = buf_printf(out, e, "  %-22s %-8s %s\n", or_none(p->conditions[i].type),
				or_none(p->conditions[i].status),
				p->conditions[i].reason ? p->conditions[i].reason : "");
	if (rc == OD_OK)
		rc = buf_append_str(out, "Volumes and PVCs: not kept by the client yet\n", e);
	return rc;
}

#define DESCRIBE_EVENTS_MAX 200

enum od_status describe_pod_events(const struct event_source *src, const char *ns,
				   const char *name, int64_t now, struct buf *out, struct err *e)
{
	const struct event_view *rows[DESCRIBE_EVENTS_MAX];
	char object[PODVIEW_NAME_MAX + 8], age[32];
	size_t n = 0, total = src->ops ? src->ops->count(src->self) : 0;
	enum od_status rc;

	snprintf(object, sizeof(object), "Pod/%s", name);
	for (size_t i = 0; i < total && n < DESCRIBE_EVENTS_MAX; i++) {
		const struct event_view *v = src->ops->row(src->self, i);

		if (v && strcmp(v->namespace_, ns) == 0 && strcmp(v->object, object) == 0)
			rows[n++] = v;
	}
	/* Oldest first, as kubectl describe lists them. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && rows[j - 1]->last_seen > rows[j]->last_seen; j--) {
			const struct event_view *t = rows[j];

			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	rc = buf_append_str(out, n ? "Events:\n  Type     Reason             Age    Message\n"
				   : "Events:  <none>\n", e);
	for (size_t i = 0; i < n && rc == OD_OK; i++) {
		duration_format_human((now - rows[i]->last_seen) * NS_PER_SEC, age, sizeof(age));
		rc = buf_printf(out, e, "  %-8s %-18s %-6s %s\n", rows[i]->type, rows[i]->reason,
				age, rows[i]->message);
	}
	return rc;
}

/* --- the overlay pane --- */

struct describe_state {
	char title[160];
	char *text;      /* owned */
	int top, lines, page;
};

static enum od_status describe_init(struct pane *p, struct err *e)
{
	p->state = calloc(1, sizeof(struct describe_state));
	return p->state ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

static void describe_fini(struct pane *p)
{
	struct describe_state *st = p->state;

	if (st)
		free(st->text);
	free(st);
	p->state = NULL;
}

enum od_status describe_open(struct pane *p, const char *title, const char *text,
			     struct err *e)
{
	struct describe_state *st = p->state;
	char *copy = strdup(text);

	if (!copy)
		return err_set(e, OD_ENOMEM, "out of memory");
	free(st->text);
	st->text = copy;
	st->top = 0;
	snprintf(st->title, sizeof(st->title), "%s", title);
	p->dirty = true;
	return OD_OK;
}

static void describe_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct describe_state *st = p->state;
	const char *line = st->text ? st->text : "";
	int i = 0;

	(void)focused;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[1024];

		if (i >= st->top && i - st->top < c->r.h) {
			snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
			draw_text(c, i - st->top, 1, buf, c->r.w - 1,
				  canvas_attr(c, THEME_NORMAL));
		}
		i++;
		line += len + (end ? 1 : 0);
	}
	st->lines = i;
	st->page = c->r.h;
}

static bool describe_action(struct pane *p, enum action a)
{
	struct describe_state *st = p->state;
	int max = st->lines > st->page ? st->lines - st->page : 0;

	switch (a) {
	case ACTION_MOVE_UP: st->top--; break;
	case ACTION_MOVE_DOWN: st->top++; break;
	case ACTION_PAGE_UP: st->top -= st->page; break;
	case ACTION_PAGE_DOWN: st->top += st->page; break;
	case ACTION_FIRST: st->top = 0; break;
	case ACTION_LAST: st->top = max; break;
	default: return false;
	}
	if (st->top > max)
		st->top = max;
	if (st->top < 0)
		st->top = 0;
	p->dirty = true;
	return true;
}

static void describe_title(struct pane *p, char *out, size_t n)
{
	struct describe_state *st = p->state;

	snprintf(out, n, "%s  (Esc closes)", st->title);
}

const struct pane_ops pane_describe_ops = {
	.name = "describe",
	.title = "Describe",
	.init = describe_init,
	.fini = describe_fini,
	.draw = describe_draw,
	.action = describe_action,
	.title_info = describe_title,
};
