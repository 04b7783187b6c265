/*
 * cmd_top.c: `opsdeck top pods|nodes` from metrics.k8s.io/v1beta1 as kubectl
 * top prints it. Without a metrics API the answer is kubectl's
 * "error: Metrics API not available".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/api.h"
#include "opsdeck/clikube.h"
#include "opsdeck/commands.h"
#include "opsdeck/printer.h"
#include "opsdeck/quantity.h"

int cmd_top(const struct global_opts *g, int argc, char **argv);

#define METRICS_GV "/apis/metrics.k8s.io/v1beta1"

struct top_opts {
	bool nodes;
	const char *label_selector;
	bool containers;
	bool no_headers;
	const char *sort_by;      /* "cpu", "memory" or NULL */
};

struct top_row {
	char ns[256];
	char pod[256];
	char name[256];
	int64_t cpu_milli;
	int64_t mem_bytes;
	int64_t alloc_cpu_milli;   /* nodes: status.allocatable; 0 if unknown */
	int64_t alloc_mem_bytes;
};

static int top_parse(int argc, char **argv, struct top_opts *o)
{
	const char *what = NULL;

	for (int i = 1; i < argc; i++) {
		if (clikube_help(argv[i], "top"))
			return -1;
		int r;
		if ((r = clikube_flag_value(argc, argv, &i, "-l", "--selector",
					    &o->label_selector)) != 0 ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--sort-by", &o->sort_by)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		if (clikube_flag_bool(argv[i], NULL, "--containers", &o->containers) ||
		    clikube_flag_bool(argv[i], NULL, "--no-headers", &o->no_headers))
			continue;
		if (argv[i][0] == '-') {
			fprintf(stderr, "error: unknown flag: %s\n", argv[i]);
			return CLI_EXIT_USAGE;
		}
		if (what) {
			fprintf(stderr, "error: top takes pods or nodes\n");
			return CLI_EXIT_USAGE;
		}
		what = argv[i];
	}
	if (!what || (strcmp(what, "pods") && strcmp(what, "pod") && strcmp(what, "po") &&
		      strcmp(what, "nodes") && strcmp(what, "node") && strcmp(what, "no"))) {
		fprintf(stderr, "Usage: opsdeck top pods|nodes [-l SEL] [--containers] "
				"[--sort-by cpu|memory]\n");
		return CLI_EXIT_USAGE;
	}
	o->nodes = what[0] == 'n';
	if (o->sort_by && strcmp(o->sort_by, "cpu") && strcmp(o->sort_by, "memory")) {
		fprintf(stderr, "error: --sort-by accepts only cpu or memory\n");
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

static const char *top_str(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	const cJSON *y = b ? cJSON_GetObjectItemCaseSensitive(x, b) : x;
	return cJSON_IsString(y) ? y->valuestring : "";
}

static void top_usage(const cJSON *usage, struct top_row *r)
{
	int64_t v = 0;
	r->cpu_milli = quantity_parse_milli(top_str(usage, "cpu", NULL), &v) ? v : 0;
	r->mem_bytes = quantity_parse_value(top_str(usage, "memory", NULL), &v) ? v : 0;
}

/* --sort-by: highest first, as kubectl sorts */
static int top_cmp_cpu(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	return x->cpu_milli == y->cpu_milli ? 0 : x->cpu_milli < y->cpu_milli ? 1 : -1;
}

/* Without --sort-by kubectl sorts by namespace, then name (then container). */
static int top_cmp_name(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	int d = strcmp(x->ns, y->ns);
	if (d == 0)
		d = strcmp(x->pod, y->pod);
	return d ? d : strcmp(x->name, y->name);
}

static int top_cmp_memory(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	return x->mem_bytes == y->mem_bytes ? 0 : x->mem_bytes < y->mem_bytes ? 1 : -1;
}

static enum od_status top_print(const struct top_opts *o, bool with_ns, struct top_row *rows,
				size_t n, struct err *e)
{
	struct buf text, out;
	struct printer_widths wd = { 0 };
	enum od_status rc = OD_OK;

	if (!o->sort_by)
		qsort(rows, n, sizeof(*rows), top_cmp_name);
	else
		qsort(rows, n, sizeof(*rows),
		      strcmp(o->sort_by, "cpu") == 0 ? top_cmp_cpu : top_cmp_memory);
	buf_init(&text, CLIKUBE_LIST_MAX);
	buf_init(&out, CLIKUBE_LIST_MAX);
	if (!o->no_headers) {
		const char *h[8];
		size_t k = 0;
		if (with_ns)
			h[k++] = "NAMESPACE";
		if (o->containers)
			h[k++] = "POD";
		h[k++] = "NAME";
		h[k++] = "CPU(cores)";
		if (o->nodes)
			h[k++] = "CPU(%)";
		h[k++] = "MEMORY(bytes)";
		if (o->nodes)
			h[k++] = "MEMORY(%)";
		h[k++] = "";   /* kubectl ends every cell with a tab, the last one too */
		rc = printer_row_text(h, k, &text, e);
	}
	for (size_t i = 0; i < n && rc == OD_OK; i++) {
		char cpu[QUANTITY_STR_MAX], mem[QUANTITY_STR_MAX], cpup[32], memp[32];
		const char *c[8];
		size_t k = 0;
		quantity_format_cpu_milli(rows[i].cpu_milli, cpu, sizeof(cpu));
		quantity_format_mem_mi(rows[i].mem_bytes, mem, sizeof(mem));
		if (with_ns)
			c[k++] = rows[i].ns;
		if (o->containers)
			c[k++] = rows[i].pod;
		c[k++] = rows[i].name;
		c[k++] = cpu;
		/* kubectl: usage * 100 / allocatable, integer division */
		if (o->nodes) {
			if (rows[i].alloc_cpu_milli > 0)
				snprintf(cpup, sizeof(cpup), "%lld%%",
					 (long long)(rows[i].cpu_milli * 100 / rows[i].alloc_cpu_milli));
			else
				snprintf(cpup, sizeof(cpup), "<unknown>");
			c[k++] = cpup;
		}
		c[k++] = mem;
		if (o->nodes) {
			if (rows[i].alloc_mem_bytes > 0)
				snprintf(memp, sizeof(memp), "%lld%%",
					 (long long)(rows[i].mem_bytes * 100 / rows[i].alloc_mem_bytes));
			else
				snprintf(memp, sizeof(memp), "<unknown>");
			c[k++] = memp;
		}
		c[k++] = "";
		rc = printer_row_text(c, k, &text, e);
	}
	if (rc == OD_OK)
		rc = printer_layout(buf_cstr(&text), text.len, &wd, &out, e);
	if (rc == OD_OK)
		fwrite(buf_cstr(&out), 1, out.len, stdout);
	buf_free(&text);
	buf_free(&out);
	return rc;
}

/* The nodes' allocatable CPU and memory, for CPU(%) and MEMORY(%). */
static enum od_status top_node_allocatable(struct clikube *k, const struct top_opts *o,
					   struct top_row *rows, size_t n, struct err *e)
{
	cJSON *nodes = NULL;
	const cJSON *it;
	enum od_status rc = clikube_list(k, "/api/v1/nodes", o->label_selector, NULL, NULL,
					 &nodes, e);

	if (rc != OD_OK)
		return rc;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(nodes, "items")) {
		const char *name = top_str(it, "metadata", "name");
		const cJSON *alloc = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(it, "status"), "allocatable");
		for (size_t i = 0; i < n; i++) {
			int64_t v = 0;
			if (strcmp(rows[i].name, name) != 0)
				continue;
			if (quantity_parse_milli(top_str(alloc, "cpu", NULL), &v))
				rows[i].alloc_cpu_milli = v;
			if (quantity_parse_value(top_str(alloc, "memory", NULL), &v))
				rows[i].alloc_mem_bytes = v;
		}
	}
	cJSON_Delete(nodes);
	return OD_OK;
}

static enum od_status top_run(struct clikube *k, const struct top_opts *o, bool all_ns,
			      struct err *e)
{
	struct buf path;
	cJSON *doc = NULL;
	struct top_row *rows = NULL;
	size_t n = 0, cap = 0;
	const cJSON *it;
	enum od_status rc;
	const char *ns = all_ns ? NULL : k->namespace_;

	buf_init(&path, 4096);
	/* kubectl asks discovery first; no group means no metrics */
	if (clikube_get_json(k, METRICS_GV, NULL, &doc, e) != OD_OK) {
		rc = err_set(e, OD_ENOENT, "error: Metrics API not available");
		goto out;
	}
	cJSON_Delete(doc);
	doc = NULL;
	if (o->nodes)
		rc = buf_append_str(&path, METRICS_GV "/nodes", e);
	else if (ns)
		rc = buf_printf(&path, e, METRICS_GV "/namespaces/%s/pods", ns);
	else
		rc = buf_append_str(&path, METRICS_GV "/pods", e);
	if (rc == OD_OK)
		rc = clikube_list(k, buf_cstr(&path), o->label_selector, NULL, NULL, &doc, e);
	if (rc != OD_OK)
		goto out;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "items")) {
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(it, "metadata");
		const cJSON *cs = cJSON_GetObjectItemCaseSensitive(it, "containers");
		struct top_row pod = { 0 };
		const cJSON *c;

		snprintf(pod.ns, sizeof(pod.ns), "%s", top_str(md, "namespace", NULL));
		snprintf(pod.name, sizeof(pod.name), "%s", top_str(md, "name", NULL));
		if (o->nodes)
			top_usage(cJSON_GetObjectItemCaseSensitive(it, "usage"), &pod);
		cJSON_ArrayForEach(c, cs) {
			struct top_row cr = { 0 };
			top_usage(cJSON_GetObjectItemCaseSensitive(c, "usage"), &cr);
			pod.cpu_milli += cr.cpu_milli;
			pod.mem_bytes += cr.mem_bytes;
			if (!o->containers)
				continue;
			snprintf(cr.ns, sizeof(cr.ns), "%s", pod.ns);
			snprintf(cr.pod, sizeof(cr.pod), "%s", pod.name);
			snprintf(cr.name, sizeof(cr.name), "%s", top_str(c, "name", NULL));
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct top_row *nr = realloc(rows, cap * sizeof(*rows));
				if (!nr) {
					rc = err_set(e, OD_ENOMEM, "out of memory");
					goto out;
				}
				rows = nr;
			}
			rows[n++] = cr;
		}
		if (o->containers)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct top_row *nr = realloc(rows, cap * sizeof(*rows));
			if (!nr) {
				rc = err_set(e, OD_ENOMEM, "out of memory");
				goto out;
			}
			rows = nr;
		}
		rows[n++] = pod;
	}
	if (n == 0 && !o->nodes) {
		printer_no_resources(ns);
		goto out;
	}
	if (o->nodes && (rc = top_node_allocatable(k, o, rows, n, e)) != OD_OK)
		goto out;
	rc = top_print(o, all_ns && !o->nodes, rows, n, e);
out:
	free(rows);
	cJSON_Delete(doc);
	buf_free(&path);
	return rc;
}

int cmd_top(const struct global_opts *g, int argc, char **argv)
{
	struct top_opts o = { 0 };
	struct clikube k;
	struct err e = { 0 };
	int code = top_parse(argc, argv, &o);

	if (code < 0)
		return CLI_EXIT_OK;   /* --help was printed */
	if (code != CLI_EXIT_OK)
		return code;
	code = clikube_open(&k, g);
	if (code != CLI_EXIT_OK)
		return code;
	enum od_status rc = top_run(&k, &o, g->all_namespaces, &e);
	if (rc != OD_OK)
		code = clikube_fail(rc, &e);
	clikube_close(&k);
	return code;
}
