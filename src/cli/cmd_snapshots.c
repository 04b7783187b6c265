/*
 * cmd_snapshots.c: `opsdeck snapshots [--pvc NAME]`: the VolumeSnapshots of
 * each PVC in the namespace (or -A) with age, readyToUse, restoreSize and
 * the snapshot controller's error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/actcli.h"
#include "opsdeck/duration.h"
#include "opsdeck/http.h"
#include "opsdeck/tabwriter.h"

int cmd_snapshots(const struct global_opts *g, int argc, char **argv);

static const char *jstr(const cJSON *o, const char *a, const char *b, const char *c)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	if (c)
		x = cJSON_GetObjectItemCaseSensitive(x, c);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

static int by_pvc(const void *x, const void *y)
{
	const cJSON *a = *(const cJSON *const *)x, *b = *(const cJSON *const *)y;
	const char *pa = jstr(a, "spec", "source", "persistentVolumeClaimName");
	const char *pb = jstr(b, "spec", "source", "persistentVolumeClaimName");
	const char *ta = jstr(a, "metadata", "creationTimestamp", NULL);
	const char *tb = jstr(b, "metadata", "creationTimestamp", NULL);
	int c = strcmp(pa ? pa : "", pb ? pb : "");

	return c ? c : strcmp(ta ? ta : "", tb ? tb : "");
}

static void row(struct buf *b, const cJSON *s, struct od_time now, bool all_ns)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(s, "status");
	const cJSON *ready = cJSON_GetObjectItemCaseSensitive(st, "readyToUse");
	const char *ts = jstr(s, "metadata", "creationTimestamp", NULL);
	const char *err = jstr(st, "error", "message", NULL);
	const char *size = jstr(st, "restoreSize", NULL, NULL);
	const char *cls = jstr(s, "spec", "volumeSnapshotClassName", NULL);
	const char *pvc = jstr(s, "spec", "source", "persistentVolumeClaimName");
	char age[32] = "<unknown>";
	struct od_time t;

	if (ts && time_parse_rfc3339(ts, &t, NULL) == OD_OK)
		duration_format_human(time_diff_ns(t, now), age, sizeof age);
	if (all_ns)
		buf_printf(b, NULL, "%s\t", jstr(s, "metadata", "namespace", NULL));
	buf_printf(b, NULL, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", pvc ? pvc : "<none>",
		   jstr(s, "metadata", "name", NULL), cJSON_IsBool(ready) ?
		   (cJSON_IsTrue(ready) ? "true" : "false") : "<unset>", size ? size : "<unset>",
		   cls ? cls : "<unset>", age, err ? err : "<none>");
}

static int print_list(struct actcli *a, const cJSON *list, const char *pvc, bool all_ns)
{
	const cJSON *it;
	const cJSON **v = NULL;
	size_t n = 0, cap = 0;
	struct buf b, out;
	struct od_time now = api_now(http_client_clock(a->conn->http));

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		const char *src = jstr(it, "spec", "source", "persistentVolumeClaimName");

		if (pvc && (!src || strcmp(src, pvc) != 0))
			continue;
		if (n == cap) {
			const cJSON **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);

			if (!nv) {
				free(v);
				return ACTCLI_EXIT_FAILED;
			}
			v = nv;
		}
		v[n++] = it;
	}
	if (n == 0) {
		fprintf(stderr, "No snapshots found%s%s in %s namespace.\n", pvc ? " of pvc " : "",
			pvc ? pvc : "", all_ns ? "any" : a->target->namespace_);
		free(v);
		return ACTCLI_EXIT_OK;
	}
	qsort(v, n, sizeof *v, by_pvc);
	buf_init(&b, 64u << 20);
	buf_init(&out, 64u << 20);
	buf_printf(&b, NULL, "%sPVC\tNAME\tREADYTOUSE\tRESTORESIZE\tCLASS\tAGE\tERROR\n",
		   all_ns ? "NAMESPACE\t" : "");
	for (size_t i = 0; i < n; i++)
		row(&b, v[i], now, all_ns);
	if (tabwriter_format(b.data, b.len, &TABWRITER_KUBECTL, &out, NULL) == OD_OK)
		fputs(buf_cstr(&out), stdout);
	buf_free(&b);
	buf_free(&out);
	free(v);
	return ACTCLI_EXIT_OK;
}

int cmd_snapshots(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	const struct api_resource *r = api_resource_lookup("volumesnapshots", NULL);
	struct api_target t = { .res = r };
	struct buf path;
	cJSON *list = NULL;
	struct err e = { 0 };
	const char *pvc = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pvc") == 0 && i + 1 < argc) {
			pvc = argv[++i];
		} else if (strncmp(argv[i], "--pvc=", 6) == 0) {
			pvc = argv[i] + 6;
		} else {
			fprintf(stderr, "error: usage: opsdeck snapshots [--pvc NAME]\n");
			return ACTCLI_EXIT_USAGE;
		}
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	t.namespace_ = g->all_namespaces ? NULL : a.target->namespace_;
	buf_init(&path, 4096);
	if (api_build_path(&t, NULL, &path, &e) != OD_OK ||
	    action_get_json(&a.ctx, buf_cstr(&path), &list, &e) != OD_OK)
		rc = actcli_fail(e.status, &e);
	else
		rc = print_list(&a, list, pvc, g->all_namespaces);
	buf_free(&path);
	cJSON_Delete(list);
out:
	actcli_close(&a);
	return rc;
}
