/*
 * cmd_revisions.c: `opsdeck revisions deploy/NAME`: the rollout history (a
 * Deployment's ReplicaSets by their revision annotation, a StatefulSet's
 * ControllerRevisions) with each revision's images and age.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/actcli.h"
#include "opsdeck/duration.h"
#include "opsdeck/http.h"
#include "opsdeck/tabwriter.h"

int cmd_revisions(const struct global_opts *g, int argc, char **argv);

static void print_history(const struct rollout_history *h, const cJSON *w, struct od_time now)
{
	const cJSON *tpl = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(w, "spec"), "template");
	struct buf b, out;

	buf_init(&b, 16u << 20);
	buf_init(&out, 16u << 20);
	buf_printf(&b, NULL, "REVISION\tAGE\tIMAGES\tCHANGE-CAUSE\n");
	for (size_t i = 0; i < h->n; i++) {
		const struct rollout_revision *r = &h->v[i];
		char age[32] = "<unknown>";
		struct od_time t;
		bool current = cJSON_Compare(tpl, r->template, 1);

		if (r->created && time_parse_rfc3339(r->created, &t, NULL) == OD_OK)
			duration_format_human(time_diff_ns(t, now), age, sizeof age);
		buf_printf(&b, NULL, "%lld%s\t%s\t%s\t%s\n", (long long)r->revision,
			   current ? " (current)" : "", age, r->images,
			   r->change_cause ? r->change_cause : "<none>");
	}
	if (tabwriter_format(b.data, b.len, &TABWRITER_KUBECTL, &out, NULL) == OD_OK)
		fputs(buf_cstr(&out), stdout);
	buf_free(&b);
	buf_free(&out);
}

int cmd_revisions(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct rollout_history h = { 0 };
	cJSON *w = NULL;
	struct err e = { 0 };
	const char *kind;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "error: usage: opsdeck revisions (deploy|sts)/NAME\n");
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	if (action_load_history(&a.ctx, a.target->namespace_, argv[1], &w, &h, &e) != OD_OK) {
		rc = actcli_fail(e.status, &e);
		goto out;
	}
	kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "kind"));
	printf("%s.apps/%s\n", kind && strcmp(kind, "StatefulSet") == 0 ? "statefulset"
									 : "deployment",
	       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		       cJSON_GetObjectItemCaseSensitive(w, "metadata"), "name")));
	if (h.n == 0)
		printf("No rollout history found.\n");
	else
		print_history(&h, w, api_now(http_client_clock(a.conn->http)));
out:
	rollout_history_free(&h);
	cJSON_Delete(w);
	actcli_close(&a);
	return rc;
}
