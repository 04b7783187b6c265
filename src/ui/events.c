/*
 * events.c: event rows and the in-memory event source (ui_events.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_events.h"
#include "opsdeck/ui_events.h"

#define EVENTVIEW_ARRAY_MAX 200000

struct eventview_array {
	struct event_view *rows;  /* owned */
	size_t n, cap;
	uint64_t gen;
};

enum od_status eventview_array_new(struct eventview_array **out, struct err *e)
{
	*out = calloc(1, sizeof(**out));
	return *out ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

void eventview_array_free(struct eventview_array **ea)
{
	if (!ea || !*ea)
		return;
	free((*ea)->rows);
	free(*ea);
	*ea = NULL;
}

enum od_status eventview_array_add(struct eventview_array *ea, const struct event_view *v,
				   struct err *e)
{
	if (ea->n == ea->cap) {
		size_t cap = ea->cap ? ea->cap * 2 : 64;
		struct event_view *rows;

		if (ea->n >= EVENTVIEW_ARRAY_MAX)
			return err_set(e, OD_ELIMIT, "more than %d events", EVENTVIEW_ARRAY_MAX);
		rows = realloc(ea->rows, cap * sizeof(*rows));
		if (!rows)
			return err_set(e, OD_ENOMEM, "out of memory");
		ea->rows = rows;
		ea->cap = cap;
	}
	ea->rows[ea->n++] = *v;
	ea->gen++;
	return OD_OK;
}

static size_t array_count(void *self)
{
	return ((struct eventview_array *)self)->n;
}

static const struct event_view *array_row(void *self, size_t i)
{
	struct eventview_array *ea = self;

	return i < ea->n ? &ea->rows[i] : NULL;
}

static uint64_t array_generation(void *self)
{
	return ((struct eventview_array *)self)->gen;
}

static const struct event_source_ops array_ops = {
	.kind = "store",
	.count = array_count,
	.row = array_row,
	.generation = array_generation,
};

struct event_source eventview_array_source(struct eventview_array *ea)
{
	struct event_source s = { .ops = &array_ops, .self = ea };

	return s;
}

struct load_ctx {
	struct eventview_array *ea;
	enum od_status rc;
	struct err *e;
};

static const char *str(const char *s)
{
	return s ? s : "";
}

static int load_one(void *arg, const struct store_event *ev)
{
	struct load_ctx *c = arg;
	struct event_view v;

	memset(&v, 0, sizeof(v));
	snprintf(v.namespace_, sizeof(v.namespace_), "%s", str(ev->namespace));
	snprintf(v.type, sizeof(v.type), "%s", str(ev->type));
	snprintf(v.reason, sizeof(v.reason), "%s", str(ev->reason));
	snprintf(v.object, sizeof(v.object), "%s/%s", str(ev->obj_kind), str(ev->obj_name));
	snprintf(v.message, sizeof(v.message), "%s", str(ev->message));
	v.count = ev->count;
	v.last_seen = ev->last_seen;
	c->rc = eventview_array_add(c->ea, &v, c->e);
	return c->rc != OD_OK;
}

enum od_status eventview_load_store(struct eventview_array *ea, struct store *st,
				    const char *context, int64_t since, struct err *e)
{
	struct store_event_filter f = { .context = context, .since = since };
	struct load_ctx c = { .ea = ea, .rc = OD_OK, .e = e };
	enum od_status rc = store_events_list(st, &f, load_one, &c, e);

	return rc != OD_OK ? rc : c.rc;
}
