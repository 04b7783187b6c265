/*
 * cmd_triage.c: `opsdeck triage [-A] [-o table|json]` — everything unhealthy
 * in the namespace in effect (every namespace with -A), worst first. The
 * namespaces watched are the one in effect plus those of the profile that
 * loads for it. This file reads the cluster (pods, Deployments,
 * StatefulSets, Warning events), the store (checklist runs, PVC usage) and
 * the context's Alertmanager when one is configured (firing alerts), and
 * prints; the rules are the triage module's (triage.h), which the
 * console's Triage view shares. Exit 0 whenever the pods could be read,
 * findings or not; 1 when the cluster could not be read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/alerts_triage.h"
#include "opsdeck/amclient.h"
#include "opsdeck/buf.h"
#include "opsdeck/clikube.h"
#include "opsdeck/clistore.h"
#include "opsdeck/duration.h"
#include "opsdeck/pod.h"
#include "opsdeck/profile.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/timeutil.h"
#include "opsdeck/triage.h"

int cmd_triage(const struct global_opts *g, int argc, char **argv);

#define TRIAGE_NS_MAX 32

/* What is read: the namespaces and the profile that loads for them. */
struct triage_scope {
	const char *ns[TRIAGE_NS_MAX];  /* borrowed; the namespaces watched (none with -A) */
	size_t nns;
	struct profile_catalog *catalog;    /* owned */
	const struct profile *profile;      /* borrowed from catalog; NULL when none loads */
};

static const cJSON *jobj(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static enum od_status triage_list(struct clikube *k, const char *ns, const char *group_path,
				  const char *res, const char *field, cJSON **out, struct err *e)
{
	struct buf path;
	enum od_status rc;

	buf_init(&path, 4096);
	if (ns)
		rc = buf_printf(&path, e, "%s/namespaces/%s/%s", group_path, ns, res);
	else
		rc = buf_printf(&path, e, "%s/%s", group_path, res);
	if (rc == OD_OK)
		rc = clikube_list(k, buf_cstr(&path), NULL, field, NULL, out, e);
	buf_free(&path);
	return rc;
}

static void since_cell(const struct triage *t, int64_t since, char *out, size_t n)
{
	char ts[40], age[DURATION_HUMAN_MAX];
	struct od_time tm = { .sec = since };

	if (since <= 0) {
		snprintf(out, n, "<unknown>");
		return;
	}
	time_format_rfc3339(tm, ts, sizeof(ts));
	duration_format_human((t->now - since) * 1000000000LL, age, sizeof(age));
	snprintf(out, n, "%s (%s ago)", ts, age);
}

static int triage_print(const struct triage *t, bool json, bool all_ns)
{
	struct buf text, out;
	struct err e = { 0 };
	int code = CLI_EXIT_OK;

	if (json) {
		cJSON *arr = cJSON_CreateArray();
		char *s;

		for (size_t i = 0; arr && i < t->n; i++) {
			const struct triage_finding *f = &t->f[i];
			cJSON *o = cJSON_CreateObject();
			char ts[40] = "";
			struct od_time tm = { .sec = f->since };

			if (!o || !cJSON_AddItemToArray(arr, o)) {
				cJSON_Delete(o);
				break;
			}
			if (f->since > 0)
				time_format_rfc3339(tm, ts, sizeof(ts));
			cJSON_AddStringToObject(o, "severity", triage_rank_name(f->rank));
			cJSON_AddStringToObject(o, "namespace", f->namespace_);
			cJSON_AddStringToObject(o, "kind", f->kind);
			cJSON_AddStringToObject(o, "name", f->name);
			cJSON_AddStringToObject(o, "why", f->why);
			cJSON_AddStringToObject(o, "since", ts);
		}
		s = arr ? cJSON_Print(arr) : NULL;
		if (!s) {
			fprintf(stderr, "error: out of memory\n");
			cJSON_Delete(arr);
			return CLI_EXIT_FAILED;
		}
		printf("%s\n", s);
		free(s);
		cJSON_Delete(arr);
		return CLI_EXIT_OK;
	}
	if (t->n == 0) {
		printf("No problems found.\n");
		return CLI_EXIT_OK;
	}
	buf_init(&text, 64u * 1024u * 1024u);
	buf_init(&out, 64u * 1024u * 1024u);
	buf_printf(&text, &e, "SEVERITY\t%sOBJECT\tWHY\tSINCE\n", all_ns ? "NAMESPACE\t" : "");
	for (size_t i = 0; i < t->n; i++) {
		const struct triage_finding *f = &t->f[i];
		char since[96];

		since_cell(t, f->since, since, sizeof(since));
		buf_printf(&text, &e, "%s\t", triage_rank_name(f->rank));
		if (all_ns)
			buf_printf(&text, &e, "%s\t", f->namespace_[0] ? f->namespace_ : "-");
		buf_printf(&text, &e, "%s/%s\t%s\t%s\n", f->kind, f->name, f->why, since);
	}
	if (tabwriter_format(text.data, text.len, &TABWRITER_KUBECTL, &out, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = CLI_EXIT_FAILED;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_free(&text);
	buf_free(&out);
	return code;
}

static void triage_usage(FILE *f)
{
	fprintf(f,
		"Usage: opsdeck triage [-A] [-o table|json]\n"
		"\n"
		"Everything unhealthy in the namespace in effect (-A: every namespace), worst\n"
		"first, each row with why and since when. Exit 0 when the cluster could be\n"
		"read, findings or not; 1 when it could not.\n");
}

/* Reads one namespace (NULL: all) into t; OD_OK when its pods could be read. */
static enum od_status triage_scan_ns(struct clikube *k, const char *ns, struct triage *t,
				     struct err *e)
{
	static const char *const kinds[][3] = {
		{ "/apis/apps/v1", "deployments", "Deployment" },
		{ "/apis/apps/v1", "statefulsets", "StatefulSet" },
	};
	cJSON *list = NULL;
	const cJSON *it;
	struct err we = { 0 };
	enum od_status rc = triage_list(k, ns, "/api/v1", "pods", NULL, &list, e);

	if (rc != OD_OK)
		return rc;
	t->now = clikube_now(k).sec;
	cJSON_ArrayForEach(it, jobj(list, "items")) {
		struct pod p = { 0 };

		if (pod_from_json(it, &p, &we) != OD_OK) {
			fprintf(stderr, "warning: pods: %s\n", we.msg);
			continue;
		}
		triage_add_pod(t, &p);
		pod_clear(&p);
	}
	cJSON_Delete(list);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		list = NULL;
		if (triage_list(k, ns, kinds[i][0], kinds[i][1], NULL, &list, &we) != OD_OK) {
			fprintf(stderr, "warning: %s: %s\n", kinds[i][1], we.msg);
			continue;
		}
		cJSON_ArrayForEach(it, jobj(list, "items")) {
			struct triage_workload w;

			triage_workload_from_json(it, kinds[i][2], &w);
			triage_add_workload(t, &w);
		}
		cJSON_Delete(list);
	}
	list = NULL;
	if (triage_list(k, ns, "/api/v1", "events", "type=Warning", &list, &we) == OD_OK) {
		int n = cJSON_GetArraySize(jobj(list, "items"));
		struct triage_event *ev = n > 0 ? calloc((size_t)n, sizeof(*ev)) : NULL;
		size_t i = 0;

		cJSON_ArrayForEach(it, jobj(list, "items"))
			if (ev)
				triage_event_from_json(it, &ev[i++]);
		if (ev)
			triage_add_events(t, ev, i);
		free(ev);
	} else {
		fprintf(stderr, "warning: events: %s\n", we.msg);
	}
	cJSON_Delete(list);
	return OD_OK;
}

/* The namespace in effect, then the loaded profile's (once each); none with -A. */
static void triage_namespaces(struct triage_scope *sc, const struct clikube *k)
{
	struct err e = { 0 };

	if (k->all_namespaces)
		return;
	sc->ns[sc->nns++] = k->namespace_;
	if (profile_catalog_load(&sc->catalog, &e) != OD_OK)
		return;
	sc->profile = profile_catalog_match(sc->catalog, k->target->context, k->namespace_);
	for (size_t i = 0; sc->profile && i < sc->profile->namespaces.n; i++) {
		const char *ns = sc->profile->namespaces.v[i];
		bool seen = false;

		for (size_t j = 0; j < sc->nns; j++)
			seen = seen || strcmp(sc->ns[j], ns) == 0;
		if (!seen && sc->nns < TRIAGE_NS_MAX)
			sc->ns[sc->nns++] = ns;
	}
}

/* Reads the cluster into t; OD_OK when the pods could be read. */
static enum od_status triage_scan(struct clikube *k, const struct triage_scope *sc,
				  struct triage *t, struct err *e)
{
	enum od_status rc = OD_OK;

	if (sc->nns == 0)
		return triage_scan_ns(k, NULL, t, e);
	for (size_t i = 0; rc == OD_OK && i < sc->nns; i++)
		rc = triage_scan_ns(k, sc->ns[i], t, e);
	return rc;
}

/* The firing alerts of the context's Alertmanager, when one is configured. */
static void triage_alerts(struct triage *t, const char *url)
{
	struct loop *lp = NULL;
	struct am_client *am = NULL;
	struct am_alerts a = { 0 };
	struct err e = { 0 };

	if (loop_new(&lp, &e) != OD_OK || am_client_new(lp, url, 30000, &am, &e) != OD_OK ||
	    am_fetch(am, &a, &e) != OD_OK)
		fprintf(stderr, "warning: alerts: %s\n", e.msg);
	else
		alerts_triage_add(t, &a);
	am_alerts_clear(&a);
	am_client_free(&am);
	loop_free(&lp);
}

/* The store is optional for triage: without it, no PVC or checklist rows. */
static void triage_store(struct triage *t, const struct triage_scope *sc,
			 const struct global_opts *g)
{
	struct clistore cs;

	if (clistore_open(&cs, g) != 0)
		return;
	triage_add_pvcs(t, cs.st, cs.context, sc->profile);
	triage_add_checks(t, cs.st);
	if (cs.cs.alertmanager_url)
		triage_alerts(t, cs.cs.alertmanager_url);
	clistore_close(&cs);
}

int cmd_triage(const struct global_opts *g, int argc, char **argv)
{
	const char *output = "table";
	struct clikube k;
	struct triage t = { 0 };
	struct triage_scope sc = { 0 };
	struct err e = { 0 };
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			triage_usage(stdout);
			return CLI_EXIT_OK;
		}
		if ((r = clikube_flag_value(argc, argv, &i, "-o", "--output", &output)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck triage\"\n"
				"See 'opsdeck triage --help'.\n", argv[i]);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(output, "table") != 0 && strcmp(output, "json") != 0) {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
				"\"%s\", allowed formats are: json,table\n", output);
		return CLI_EXIT_USAGE;
	}
	code = clikube_open(&k, g);
	if (code != 0)
		return code;
	if (triage_init(&t, 0, &e) != OD_OK) {
		clikube_close(&k);
		fprintf(stderr, "error: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	triage_namespaces(&sc, &k);
	if (triage_scan(&k, &sc, &t, &e) != OD_OK) {
		clikube_fail(OD_EIO, &e);
		code = CLI_EXIT_FAILED;   /* could not read the cluster, whatever the cause */
	} else {
		triage_store(&t, &sc, g);
		triage_sort(&t);
		code = triage_print(&t, strcmp(output, "json") == 0, g->all_namespaces);
	}
	triage_fini(&t);
	profile_catalog_free(&sc.catalog);
	clikube_close(&k);
	return code;
}
