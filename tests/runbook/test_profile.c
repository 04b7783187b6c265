/*
 * test_profile.c: the shipped profiles parse, cover every checklist item of
 * the reference runbooks, and bad profiles fail with "file:line: field:
 * problem"; the catalog's override and auto-loading rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/profile.h"

static const char *srcdir(void)
{
	const char *s = getenv("OPSDECK_SRCDIR");
	return s && *s ? s : OPSDECK_SRCDIR;
}

static struct profile_catalog *load_shipped(void)
{
	char dir[4096];
	struct profile_catalog *c = NULL;
	struct err e;
	snprintf(dir, sizeof(dir), "%s/data/profiles", srcdir());
	assert_int_equal(profile_catalog_load_dirs(dir, NULL, &c, &e), OD_OK);
	return c;
}

static void test_shipped_profiles_parse(void **state)
{
	(void)state;
	struct profile_catalog *c = load_shipped();
	for (size_t i = 0; i < c->problems.n; i++)
		print_message("# %s\n", c->problems.v[i]);
	assert_int_equal(c->problems.n, 0);
	assert_int_equal(c->n, 4);
	static const char *const names[] = { "matter-server", "synapse", "matrixon", "tapio" };
	for (size_t i = 0; i < 4; i++) {
		const struct profile *p = profile_catalog_find(c, names[i]);
		assert_non_null(p);
		/* Every profile has the three scheduled lists and at least one on-demand one. */
		assert_non_null(profile_find_checklist(p, "daily"));
		assert_non_null(profile_find_checklist(p, "weekly"));
		assert_non_null(profile_find_checklist(p, "monthly"));
		assert_true(p->nchecklists > 3);
		assert_string_equal(profile_find_checklist(p, "weekly")->schedule, "weekly");
		const struct named_schedule *w = profile_find_schedule(p, "weekly");
		const struct named_schedule *m = profile_find_schedule(p, "monthly");
		assert_non_null(w);
		assert_non_null(m);
		assert_int_equal(w->sched.kind, SCHEDULE_WEEKLY);
		assert_int_equal(w->sched.weekday, 0);
		assert_int_equal(w->sched.hour, 2);
		assert_int_equal(m->sched.kind, SCHEDULE_MONTHLY_WEEKDAY);
		assert_int_equal(m->sched.nth, 1);
		assert_int_equal(m->sched.weekday, 6);
		assert_int_equal(m->sched.hour, 6);
		/* Each item names its runbook and section; workload checks have a selector. */
		for (size_t j = 0; j < p->nchecklists; j++) {
			const struct checklist *cl = &p->checklists[j];
			for (size_t k = 0; k < cl->nitems; k++) {
				const struct checklist_item *it = &cl->items[k];
				assert_non_null(it->source.runbook);
				assert_non_null(it->source.section);
				if (it->check.workload)
					assert_non_null(it->check.selector);
			}
		}
	}
	profile_catalog_free(&c);
	assert_null(c);
}

/* Every check kind is used by some shipped profile. */
static void test_shipped_profiles_use_every_kind(void **state)
{
	(void)state;
	struct profile_catalog *c = load_shipped();
	bool used[CHECK_KIND_COUNT] = { false };
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->profiles[i]->nchecklists; j++)
			for (size_t k = 0; k < c->profiles[i]->checklists[j].nitems; k++)
				used[c->profiles[i]->checklists[j].items[k].check.kind] = true;
	for (int k = 0; k < CHECK_KIND_COUNT; k++) {
		if (!used[k])
			print_message("# unused kind %s\n", check_kind_name((enum check_kind)k));
		assert_true(used[k]);
	}
	profile_catalog_free(&c);
}

static void test_matter_server_values(void **state)
{
	(void)state;
	struct profile_catalog *c = load_shipped();
	const struct profile *p = profile_catalog_match(c, NULL, "home-automation");
	assert_non_null(p);
	assert_string_equal(p->name, "matter-server");
	const struct profile_workload *w = profile_find_workload(p, "deployment/matter-server");
	assert_non_null(w);
	assert_true(w->stateful);
	assert_int_equal(w->cpu.min.value, 50);
	assert_int_equal(w->cpu.max.value, 200);
	assert_int_equal(w->memory.min.value, 128LL << 20);
	assert_int_equal(w->memory.max.value, 512LL << 20);
	assert_int_equal(w->scale_cpu_above.value, 300);
	assert_string_equal(p->pvcs[0].snapshot_class, "longhorn-snapshot-vsc");
	const struct checklist *d = profile_find_checklist(p, "daily");
	const struct checklist_item *cpu = NULL;
	for (size_t i = 0; i < d->nitems; i++)
		if (strcmp(d->items[i].id, "cpu") == 0)
			cpu = &d->items[i];
	assert_non_null(cpu);
	assert_int_equal(cpu->check.kind, CHECK_CPU);
	assert_int_equal(cpu->check.warn_above.value, 200);
	assert_string_equal(cpu->check.selector, "app.kubernetes.io/name=matter-server");
	assert_string_equal(cpu->check.namespace, "home-automation");
	assert_string_equal(cpu->source.texts.v[0], "CPU usage: ___m (target: <200m)");
	assert_string_equal(p->probes[0].path, "/ws");
	assert_int_equal(p->probes[0].status, 101);
	assert_null(profile_catalog_match(c, NULL, "kube-system"));
	assert_string_equal(profile_catalog_match(c, NULL, "matrix")->name, "synapse");
	assert_string_equal(profile_catalog_match(c, "any", "tapio-system")->name, "tapio");
	/* A check on a claim in another namespace runs there. */
	const struct checklist *sw = profile_find_checklist(profile_catalog_find(c, "synapse"), "weekly");
	const struct checklist_item *redis = NULL;
	for (size_t i = 0; i < sw->nitems; i++)
		if (strcmp(sw->items[i].id, "redis-storage") == 0)
			redis = &sw->items[i];
	assert_non_null(redis);
	assert_string_equal(redis->check.namespace, "redis-synapse");
	profile_catalog_free(&c);
}

/* ---- docs ---------------------------------------------------------------- */

/* Same normalisation as the parser: markdown escapes and ** dropped, blanks squeezed. */
static void normalise(char *s)
{
	char *w = s;
	bool space = true;
	for (const char *r = s; *r; r++) {
		if (*r == '\\' && r[1] && strchr("_*[]`", r[1]))
			continue;
		if (r[0] == '*' && r[1] == '*') {
			r++;
			continue;
		}
		if (isspace((unsigned char)*r)) {
			if (!space)
				*w++ = ' ';
			space = true;
			continue;
		}
		*w++ = *r;
		space = false;
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* The commented example in docs/profiles.md is a valid profile. */
static void test_docs_example_parses(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof(path), "%s/docs/profiles.md", srcdir());
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *doc = calloc(1, 256 * 1024);
	assert_non_null(doc);
	size_t n = fread(doc, 1, 256 * 1024 - 1, f);
	fclose(f);
	doc[n] = '\0';
	char *start = strstr(doc, "```yaml\n");
	assert_non_null(start);
	start += 8;
	char *end = strstr(start, "\n```");
	assert_non_null(end);
	struct profile *p = NULL;
	struct err e;
	enum od_status rc = profile_parse(start, (size_t)(end - start) + 1, "docs/profiles.md", &p, &e);
	if (rc != OD_OK)
		print_message("# %s\n", e.msg);
	assert_int_equal(rc, OD_OK);
	assert_int_equal(p->checklists[0].nitems, 2);
	assert_int_equal(p->checklists[0].items[1].check.kind, CHECK_MANUAL);
	assert_int_equal(p->schedules[1].sched.grace_s, 2 * 3600);
	profile_free(&p);
	free(doc);
}

/* docs/profiles.md lists every manual item: template lines, and procedure items by their text. */
static void test_docs_list_manual_items(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof(path), "%s/docs/profiles.md", srcdir());
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *doc = calloc(1, 256 * 1024);
	assert_non_null(doc);
	size_t n = fread(doc, 1, 256 * 1024 - 1, f);
	fclose(f);
	doc[n] = '\0';
	normalise(doc);
	struct profile_catalog *c = load_shipped();
	size_t manual = 0, procedure = 0, missing = 0;
	char quoted[700];
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->profiles[i]->nchecklists; j++) {
			const struct checklist *cl = &c->profiles[i]->checklists[j];
			for (size_t k = 0; k < cl->nitems; k++) {
				if (cl->items[k].check.kind != CHECK_MANUAL)
					continue;
				/* an item from a procedure, not a template line: by its text */
				if (cl->items[k].source.texts.n == 0) {
					char text[600];

					snprintf(text, sizeof(text), "%s", cl->items[k].text);
					normalise(text);
					snprintf(quoted, sizeof(quoted), "\"%s\"", text);
					procedure++;
					if (!strstr(doc, quoted)) {
						print_message("# docs/profiles.md does not list %s\n", quoted);
						missing++;
					}
				}
				for (size_t t = 0; t < cl->items[k].source.texts.n; t++) {
					manual++;
					snprintf(quoted, sizeof(quoted), "\"%s\"", cl->items[k].source.texts.v[t]);
					if (!strstr(doc, quoted)) {
						print_message("# docs/profiles.md does not list %s\n", quoted);
						missing++;
					}
				}
			}
		}
	profile_catalog_free(&c);
	free(doc);
	print_message("# %zu manual runbook items, %zu manual procedure items\n", manual,
		      procedure);
	assert_true(manual > 0);
	assert_int_equal(missing, 0);
}

/* ---- malformed profiles -------------------------------------------------- */

#define HEAD                                         \
	"apiVersion: opsdeck.io/v1\n"                   \
	"kind: Profile\n"                               \
	"name: t\n"                                     \
	"namespaces: [ns]\n"                            \
	"runbooks: [r.md]\n"                            \
	"pvcs: [{name: data}]\n"                        \
	"workloads:\n"                                  \
	"  - {ref: deployment/w, selector: app=w, pvcs: [data]}\n"
/* Line 9 on: */
#define LISTS "checklists:\n  - name: daily\n    runbook: r.md\n    section: S\n    items:\n"
/* Items start on line 14. */

struct bad_case {
	const char *name;
	const char *yaml;
	const char *want;   /* the whole message */
};

static const struct bad_case bad_cases[] = {
	{ "valid baseline", HEAD LISTS "      - text: x\n", NULL },
	{ "unknown top-level key", HEAD "bogus: 1\n" LISTS "      - text: x\n",
	  "t.yaml:9: profile: unknown key \"bogus\" in a profile" },
	{ "wrong type", "apiVersion: opsdeck.io/v1\nkind: Profile\nname: t\nnamespaces: {a: b}\n",
	  "t.yaml:4: namespaces: expected a list of strings, found a mapping" },
	{ "wrong apiVersion", "apiVersion: v2\nkind: Profile\n",
	  "t.yaml:1: apiVersion: expected opsdeck.io/v1, found \"v2\"" },
	{ "unknown check kind", HEAD LISTS "      - text: x\n        check: pods_redy\n",
	  "t.yaml:15: checklists[0].items[0].check: unknown check kind \"pods_redy\" (see docs/profiles.md)" },
	{ "unknown item key", HEAD LISTS "      - text: x\n        colour: red\n",
	  "t.yaml:15: checklists[0].items[0]: unknown key \"colour\" in a checklist item" },
	{ "key of another kind", HEAD LISTS "      - {text: x, check: pods_ready, workload: deployment/w, max_age: 1h}\n",
	  "t.yaml:14: checklists[0].items[0]: unknown key \"max_age\" in a checklist item "
	  "(a pods_ready check takes: workload, selector, namespace)" },
	{ "bad cpu quantity", HEAD LISTS "      - {text: x, check: cpu, workload: deployment/w, warn_above: 12Q}\n",
	  "t.yaml:14: checklists[0].items[0].warn_above: invalid quantity \"12Q\": want a number with an optional "
	  "suffix, like 250m, 1.5, 512Mi or 2Gi" },
	{ "percent without %", HEAD LISTS "      - {text: x, check: pvc_usage, pvc: data, warn_above: 80}\n",
	  "t.yaml:14: checklists[0].items[0].warn_above: expected a percentage like \"80%\", found \"80\"" },
	{ "percent over 100", HEAD LISTS "      - {text: x, check: pvc_usage, pvc: data, warn_above: 180%}\n",
	  "t.yaml:14: checklists[0].items[0].warn_above: 180% is more than 100%" },
	{ "bad duration", HEAD LISTS "      - {text: x, check: snapshot_recent, pvc: data, max_age: 5x}\n",
	  NULL },
	{ "missing required parameter", HEAD LISTS "      - {text: x, check: snapshot_recent, max_age: 1h}\n",
	  "t.yaml:14: checklists[0].items[0].pvc: required" },
	{ "unknown pvc", HEAD LISTS "      - {text: x, check: pvc_bound, pvc: nope}\n",
	  "t.yaml:14: checklists[0].items[0].pvc: no PVC \"nope\" in this profile's pvcs" },
	{ "unknown workload", HEAD LISTS "      - {text: x, check: pods_ready, workload: deployment/x}\n",
	  "t.yaml:14: checklists[0].items[0].workload: no workload \"deployment/x\" in this profile's workloads" },
	{ "bad selector", HEAD LISTS "      - {text: x, check: pods_ready, selector: \"app==,\"}\n",
	  "t.yaml:14: checklists[0].items[0].selector: invalid label selector \"app==,\": invalid label key" },
	{ "bad selector key", HEAD LISTS "      - {text: x, check: pods_ready, selector: \"-app=x\"}\n",
	  "t.yaml:14: checklists[0].items[0].selector: invalid label selector \"-app=x\": invalid label key" },
	{ "warn above fail", HEAD LISTS "      - {text: x, check: memory, workload: deployment/w, warn_above: 1Gi, fail_above: 1Mi}\n",
	  "t.yaml:14: checklists[0].items[0]: warn_above is greater than fail_above" },
	{ "threshold missing", HEAD LISTS "      - {text: x, check: cpu, workload: deployment/w}\n",
	  "t.yaml:14: checklists[0].items[0]: a cpu check needs warn_above or fail_above" },
	{ "count not a number", HEAD LISTS "      - {text: x, check: restarts, workload: deployment/w, max: many}\n",
	  "t.yaml:14: checklists[0].items[0].max: expected a whole number, found \"many\"" },
	{ "bad stat", HEAD LISTS "      - {text: x, check: cpu, workload: deployment/w, warn_above: 1, stat: daily}\n",
	  "t.yaml:14: checklists[0].items[0].stat: expected now or weekly_avg, found \"daily\"" },
	{ "duplicate checklist", HEAD LISTS "      - text: x\n  - name: daily\n    runbook: r.md\n    section: S\n    items: [{text: y}]\n",
	  "t.yaml:15: checklists[1]: duplicate checklist name \"daily\"" },
	{ "duplicate item id", HEAD LISTS "      - {id: a, text: x}\n      - {id: a, text: y}\n",
	  "t.yaml:15: checklists[0].items[1]: duplicate item id \"a\" in checklist \"daily\"" },
	{ "duplicate key", HEAD "name: u\n" LISTS "      - text: x\n",
	  "t.yaml:9: yaml: duplicate key \"name\"" },
	{ "anchor", HEAD LISTS "      - &a {text: x}\n", "t.yaml:14: yaml: anchors (&a) are not allowed in profiles" },
	{ "alias", HEAD "title: &t x\n" LISTS "      - text: *t\n",
	  "t.yaml:9: yaml: anchors (&t) are not allowed in profiles" },
	{ "alias alone", "a: *x\n", "t.yaml:1: yaml: aliases (*x) are not allowed in profiles" },
	{ "second document", HEAD "---\na: 1\n", "t.yaml:9: yaml: a profile is one YAML document; found a second" },
	{ "syntax error", "a: [1, 2\n", NULL },
	{ "empty", "", "t.yaml:1: yaml: the file is empty" },
	{ "not a mapping", "- a\n- b\n", "t.yaml:1: profile: expected a mapping (a profile), found a list" },
	{ "unknown schedule", HEAD LISTS "      - text: x\n    schedule: hourly\n",
	  "t.yaml:15: checklists[0].schedule: no schedule \"hourly\" in this profile's schedules (or use on-demand)" },
	{ "bad schedule", HEAD "schedules: {weekly: \"weekly someday 02:00\"}\n" LISTS "      - text: x\n",
	  "t.yaml:9: schedules.weekly: invalid weekday \"someday\" in schedule \"weekly someday 02:00\"" },
	{ "bad time", HEAD "schedules: {daily: \"daily 25:00\"}\n" LISTS "      - text: x\n",
	  "t.yaml:9: schedules.daily: invalid time \"25:00\" in schedule \"daily 25:00\": expected HH:MM (UTC)" },
	{ "unknown runbook", HEAD LISTS "      - {text: x, runbook: other.md}\n",
	  "t.yaml:14: checklists[0].items[0]: runbook \"other.md\" is not in this profile's runbooks" },
	{ "missing section", HEAD "checklists:\n  - name: daily\n    runbook: r.md\n    items: [{text: x}]\n",
	  "t.yaml:12: checklists[0].items[0].section: required" },
	{ "bad regex", HEAD "log_patterns: [{name: e, regex: \"(a\"}]\n" LISTS "      - text: x\n", NULL },
	{ "bad port", HEAD "probes: [{name: p, service: s, port: 70000, path: /}]\n" LISTS "      - text: x\n",
	  "t.yaml:9: probes[0].port: 70000 is out of range (1-65535)" },
	{ "bad workload kind", "apiVersion: opsdeck.io/v1\nkind: Profile\nname: t\nnamespaces: [ns]\nrunbooks: [r.md]\n"
	  "workloads: [{ref: pod/x, selector: a=b}]\n",
	  "t.yaml:6: workloads[0].ref: expected KIND/NAME with KIND deployment, statefulset, daemonset, cronjob "
	  "or job, found \"pod/x\"" },
	{ "bad namespace", "apiVersion: opsdeck.io/v1\nkind: Profile\nname: t\nnamespaces: [Bad_NS]\nrunbooks: [r.md]\n",
	  "t.yaml:4: namespaces: invalid namespace \"Bad_NS\"" },
	{ "bad bool", HEAD "log_patterns: [{name: e, regex: x, ignore_case: yes}]\n" LISTS "      - text: x\n",
	  "t.yaml:9: log_patterns[0].ignore_case: expected true or false, found \"yes\"" },
	{ "null string", HEAD "title: ~\n" LISTS "      - text: x\n", "t.yaml:9: title: expected a string, found null" },
	{ "non-scalar key", "? [a]\n: b\n", "t.yaml:1: yaml: mapping keys must be plain strings" },
	{ "unsupported tag", "a: !!binary aGk=\n", "t.yaml:1: yaml: unsupported tag tag:yaml.org,2002:binary" },
	{ "tls windows", HEAD "certificates: [{name: c, secret: s}]\n" LISTS
	  "      - {text: x, check: tls_cert, certificate: c, warn_within: 1d, fail_within: 30d}\n",
	  "t.yaml:15: checklists[0].items[0]: fail_within is longer than warn_within" },
	{ "bad job ref", HEAD LISTS "      - {text: x, check: backup_job, job: backup, max_age: 1d}\n",
	  "t.yaml:14: checklists[0].items[0].job: expected cronjob/NAME or job/NAME, found \"backup\"" },
	{ "tail and window", HEAD "log_patterns: [{name: e, regex: x}]\n" LISTS
	  "      - {text: x, check: log_patterns, workload: deployment/w, patterns: [e], tail: 5, window: 1h}\n",
	  "t.yaml:15: checklists[0].items[0]: give tail or window, not both" },
	{ "stateful without pvcs", "apiVersion: opsdeck.io/v1\nkind: Profile\nname: t\nnamespaces: [ns]\nrunbooks: [r.md]\n"
	  "workloads: [{ref: deployment/x, selector: a=b, stateful: true}]\n",
	  "t.yaml:6: workloads[0]: a stateful workload names the pvcs to snapshot" },
	{ "below thresholds reversed", HEAD LISTS "      - {text: x, check: prometheus_query, query: up, warn_below: 1, fail_below: 2}\n",
	  "t.yaml:14: checklists[0].items[0]: warn_below is less than fail_below" },
	{ "log min over max", HEAD "log_patterns: [{name: e, regex: x}]\n" LISTS
	  "      - {text: x, check: log_patterns, selector: a=b, patterns: [e], min: 5, max: 1}\n",
	  "t.yaml:15: checklists[0].items[0]: min is greater than max" },
	{ "unknown log pattern", HEAD LISTS "      - {text: x, check: log_patterns, selector: a=b, patterns: [nope]}\n",
	  "t.yaml:14: checklists[0].items[0].patterns: no log pattern \"nope\" in this profile's log_patterns" },
	{ "check kind not a string", HEAD LISTS "      - {text: x, check: [cpu]}\n",
	  "t.yaml:14: checklists[0].items[0].check: expected a check kind, found a list" },
	{ "no items", HEAD "checklists: [{name: d, runbook: r.md, section: S, items: []}]\n",
	  "t.yaml:9: checklists[0].items: the list is empty" },
};

static void test_bad_profiles(void **state)
{
	(void)state;
	size_t failures = 0;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct profile *p = (struct profile *)(uintptr_t)1;
		struct err e;
		bool valid = strcmp(bc->name, "valid baseline") == 0;
		err_clear(&e);
		enum od_status rc = profile_parse(bc->yaml, strlen(bc->yaml), "t.yaml", &p, &e);
		bool good;
		if (valid)
			good = rc == OD_OK && p != NULL;
		else if (bc->want)
			good = rc != OD_OK && p == NULL && strcmp(e.msg, bc->want) == 0;
		else
			good = rc != OD_OK && p == NULL && strncmp(e.msg, "t.yaml:", 7) == 0 &&
			       strstr(e.msg, ": ") != NULL;
		if (!good) {
			print_message("# case \"%s\": got \"%s\"\n#   want \"%s\"\n", bc->name,
				      rc == OD_OK ? "OK" : e.msg, bc->want ? bc->want : valid ? "OK" : "an error");
			failures++;
		}
		if (rc == OD_OK) {
			profile_free(&p);
			assert_null(p);
		}
	}
	assert_int_equal(failures, 0);
}

static void test_caps(void **state)
{
	(void)state;
	struct profile *p = NULL;
	struct err e;
	/* Deep nesting: [[[[...]]]] past the depth cap. */
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	assert_int_equal(profile_parse(deep, sizeof(deep), "d.yaml", &p, &e), OD_ELIMIT);
	assert_string_equal(e.msg, "d.yaml:1: yaml: nested deeper than 16 levels");
	/* A file over the size cap is refused before parsing. */
	size_t big = PROFILE_MAX_BYTES + 1;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, '#', big);
	assert_int_equal(profile_parse(huge, big, "h.yaml", &p, &e), OD_ELIMIT);
	assert_string_equal(e.msg, "h.yaml:1: profile: larger than 1048576 bytes");
	/* Too many nodes. */
	size_t n = 4 * (PROFILE_MAX_NODES + 10);
	for (size_t i = 0; i < n; i += 4)
		memcpy(huge + i, "- a\n", 4);
	assert_int_equal(profile_parse(huge, n, "n.yaml", &p, &e), OD_ELIMIT);
	assert_non_null(strstr(e.msg, "too many YAML nodes"));
	/* A long string. */
	memcpy(huge, "a: ", 3);
	memset(huge + 3, 'x', PROFILE_MAX_SCALAR + 10);
	assert_int_equal(profile_parse(huge, PROFILE_MAX_SCALAR + 13, "s.yaml", &p, &e), OD_ELIMIT);
	assert_null(p);
	free(huge);
	/* Without a struct err the status still comes back. */
	assert_int_equal(profile_parse("a: *x\n", 6, "x.yaml", &p, NULL), OD_EPARSE);
	assert_int_equal(profile_parse("[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]", 44, NULL, &p, NULL), OD_ELIMIT);
	assert_null(p);
}

static void test_kind_names(void **state)
{
	(void)state;
	enum check_kind k;
	for (int i = 0; i < CHECK_KIND_COUNT; i++) {
		assert_true(check_kind_from_name(check_kind_name((enum check_kind)i), &k));
		assert_int_equal(k, i);
	}
	assert_false(check_kind_from_name("pods", &k));
}

/* ---- catalog -------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define MINI(name, title, ns, ctx)                                                  \
	"apiVersion: opsdeck.io/v1\nkind: Profile\nname: " name "\ntitle: " title "\n" \
	"namespaces: [" ns "]\nrunbooks: [r.md]\n" ctx                               \
	"workloads: [{ref: deployment/w, selector: app=w}]\n"                         \
	"checklists: [{name: daily, runbook: r.md, section: S, items: [{text: x}]}]\n"

static void test_catalog_override_and_match(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/opsdeck-profiles-XXXXXX";
	char *root = mkdtemp(tmpl);
	assert_non_null(root);
	char data[256], user[256];
	snprintf(data, sizeof(data), "%s/data", root);
	snprintf(user, sizeof(user), "%s/user", root);
	assert_int_equal(mkdir(data, 0700), 0);
	assert_int_equal(mkdir(user, 0700), 0);
	write_file(data, "a.yaml", MINI("a", "shipped", "ns1", ""));
	write_file(data, "b.yaml", MINI("b", "shipped b", "ns2", ""));
	write_file(user, "a.yaml", MINI("a", "mine", "ns1", ""));
	write_file(user, "b.yaml", "apiVersion: opsdeck.io/v1\nkind: Profile\nbogus: 1\n");
	write_file(user, "c.yaml", MINI("c", "ctx", "ns2", "context: prod\n"));
	write_file(user, "d.yaml", MINI("x", "misnamed", "ns3", ""));
	write_file(user, "notes.txt", "not a profile");

	struct profile_catalog *c = NULL;
	struct err e;
	assert_int_equal(profile_catalog_load_dirs(data, user, &c, &e), OD_OK);
	assert_int_equal(c->n, 3);
	assert_string_equal(profile_catalog_find(c, "a")->title, "mine");
	assert_string_equal(profile_catalog_find(c, "b")->title, "shipped b");
	assert_int_equal(c->problems.n, 2);
	assert_non_null(strstr(c->problems.v[0], "/user/b.yaml:3: profile: unknown key \"bogus\""));
	assert_non_null(strstr(c->problems.v[1], "/user/d.yaml:1: name: \"x\" does not match the file name"));
	assert_string_equal(profile_catalog_match(c, "dev", "ns1")->name, "a");
	assert_string_equal(profile_catalog_match(c, "dev", "ns2")->name, "b");
	assert_string_equal(profile_catalog_match(c, "prod", "ns2")->name, "c");
	assert_null(profile_catalog_match(c, "prod", "ns9"));
	assert_null(profile_catalog_match(c, "prod", NULL));
	profile_catalog_free(&c);
	assert_null(c);

	/* Missing directories are fine. */
	assert_int_equal(profile_catalog_load_dirs("/nonexistent", NULL, &c, &e), OD_OK);
	assert_int_equal(c->n, 0);
	profile_catalog_free(&c);

	/* The default locations: $OPSDECK_DATADIR and $XDG_CONFIG_HOME/opsdeck/profiles. */
	char xdg[256], up[300];
	snprintf(xdg, sizeof(xdg), "%s/xdg", root);
	snprintf(up, sizeof(up), "%s/opsdeck", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(up, 0700), 0);
	snprintf(up, sizeof(up), "%s/opsdeck/profiles", xdg);
	assert_int_equal(mkdir(up, 0700), 0);
	write_file(up, "tapio.yaml", MINI("tapio", "my tapio", "tapio-system", ""));
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("OPSDECK_DATADIR", srcdir(), 1);
	assert_int_equal(profile_catalog_load(&c, &e), OD_OK);
	assert_int_equal(c->n, 4);
	assert_string_equal(profile_catalog_match(c, NULL, "tapio-system")->title, "my tapio");
	profile_catalog_free(&c);

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_profiles_parse),
		cmocka_unit_test(test_shipped_profiles_use_every_kind),
		cmocka_unit_test(test_matter_server_values),
		cmocka_unit_test(test_docs_list_manual_items),
		cmocka_unit_test(test_docs_example_parses),
		cmocka_unit_test(test_bad_profiles),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_catalog_override_and_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
