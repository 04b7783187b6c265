/*
 * podstate.c: pod rows to and from the store's last-known state (ui_podstate.h).
 */
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_state.h"
#include "opsdeck/ui_podstate.h"

enum od_status podstate_save(struct store *st, const char *context, int64_t saved_at,
			     const struct pod_source *src, struct err *e)
{
	size_t n = src->ops ? src->ops->count(src->self) : 0;
	struct store_state_row *rows = NULL;
	char *text = NULL;
	enum od_status rc;

	if (n > STORE_STATE_MAX_ROWS)
		return err_set(e, OD_ELIMIT, "more than %d pods to save", STORE_STATE_MAX_ROWS);
	rows = calloc(n ? n : 1, sizeof(*rows));
	text = malloc((n ? n : 1) * PODVIEW_TSV_MAX);
	if (!rows || !text) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pod_view *v = src->ops->row(src->self, i);
		char *line = text + i * PODVIEW_TSV_MAX;

		podview_format_tsv(v, line, PODVIEW_TSV_MAX);
		rows[i].kind = "pod";
		rows[i].namespace = v->namespace_;
		rows[i].name = v->name;
		rows[i].data = line;
	}
	rc = store_state_save(st, context, saved_at, rows, n, e);
out:
	free(rows);
	free(text);
	return rc;
}

struct load_ctx {
	struct podview_array *pa;
	enum od_status rc;
	struct err *e;
};

static int load_row(void *arg, const struct store_state_row *row)
{
	struct load_ctx *c = arg;
	struct pod_view v;
	struct err ignore;

	if (strcmp(row->kind, "pod") != 0 || !row->data)
		return 0;
	if (podview_parse_tsv(&v, row->data, &ignore) != OD_OK)
		return 0;
	c->rc = podview_array_add(c->pa, &v, c->e);
	return c->rc != OD_OK;
}

enum od_status podstate_load(struct store *st, const char *context, struct podview_array *pa,
			     int64_t *saved_at, struct err *e)
{
	struct load_ctx c = { .pa = pa, .rc = OD_OK, .e = e };
	enum od_status rc = store_state_load(st, context, saved_at, load_row, &c, e);

	return rc != OD_OK ? rc : c.rc;
}
