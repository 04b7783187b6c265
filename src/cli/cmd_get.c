/*
 * cmd_get.c: `opsdeck get TYPE [NAME]` as kubectl get prints it. Pods are
 * printed from opsdeck's own printer rules (podstatus.h) with ages on the API
 * server's clock; other types from the server-side Table the API server
 * computes (what kubectl prints too). -o json|yaml|name print the objects;
 * -w streams changes after the first listing, widths remembered.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/api.h"
#include "opsdeck/clikube.h"
#include "opsdeck/commands.h"
#include "opsdeck/http.h"
#include "opsdeck/pod.h"
#include "opsdeck/podstatus.h"
#include "opsdeck/printer.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/watch.h"

int cmd_get(const struct global_opts *g, int argc, char **argv);

/* Most types in one "get TYPE,TYPE,...". */
#define GET_MAX_TYPES 16

#define TABLE_ACCEPT "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

enum get_output { GET_OUT_TABLE, GET_OUT_WIDE, GET_OUT_JSON, GET_OUT_YAML, GET_OUT_NAME };

struct get_opts {
	const char *type;
	const char *name;             /* NULL: the collection */
	const char *label_selector;
	const char *field_selector;
	enum get_output output;
	bool watch;
	bool no_headers;
	char type_buf[256];           /* TYPE of a TYPE/NAME argument */
};

struct get_collect;

/* State of one `get` run: the connection, what to print and the -w stream. */
struct get_run {
	struct clikube k;
	struct get_opts o;
	const struct api_resource *res;
	const char *ns;               /* borrowed: NULL for all namespaces or cluster types */
	bool with_namespace;          /* -A on a namespaced type */
	bool multi;                   /* several types: names carry "kind.group/" */
	unsigned long printed;        /* -w -o json|yaml: objects printed so far */
	struct get_collect *stream;   /* borrowed: get_stream_pods' output while it lists */
	struct printer_widths widths;
	/* -w */
	struct watch_splitter ws;
	char rv[64];                  /* last resourceVersion seen */
	cJSON *columns;               /* owned: the first Table's columnDefinitions */
	int exit_code;
};

static int get_usage(const char *msg)
{
	fprintf(stderr, "error: %s\n", msg);
	fprintf(stderr, "Usage: opsdeck get TYPE [NAME] [-l SEL] [--field-selector SEL] "
			"[-o wide|json|yaml|name] [-w] [--no-headers]\n");
	return CLI_EXIT_USAGE;
}

static int get_parse(int argc, char **argv, struct get_opts *o)
{
	const char *out = NULL;

	for (int i = 1; i < argc; i++) {
		if (clikube_help(argv[i], "get"))
			return -1;
		const char *a = argv[i];
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, "-l", "--selector",
					    &o->label_selector)) != 0 ||
		    (r = clikube_flag_value(argc, argv, &i, NULL, "--field-selector",
					    &o->field_selector)) != 0 ||
		    (r = clikube_flag_value(argc, argv, &i, "-o", "--output", &out)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		if (clikube_flag_bool(a, "-w", "--watch", &o->watch) ||
		    clikube_flag_bool(a, NULL, "--no-headers", &o->no_headers))
			continue;
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "error: unknown flag: %s\n", a);
			return CLI_EXIT_USAGE;
		}
		if (!o->type) {
			o->type = a;
		} else if (!o->name) {
			o->name = a;
		} else {
			return get_usage("opsdeck get takes one TYPE and at most one NAME");
		}
	}
	if (!o->type) {
		fprintf(stderr, "You must specify the type of resource to get. Use \"opsdeck --help\" "
				"for the types.\nerror: Required resource not specified.\n");
		return CLI_EXIT_USAGE;
	}
	/* TYPE/NAME */
	const char *slash = strchr(o->type, '/');
	if (slash && !o->name) {
		size_t n = (size_t)(slash - o->type);
		if (n >= sizeof(o->type_buf))
			return get_usage("resource type too long");
		memcpy(o->type_buf, o->type, n);
		o->type_buf[n] = '\0';
		o->name = slash + 1;
		o->type = o->type_buf;
	}
	if (!out || strcmp(out, "") == 0)
		o->output = GET_OUT_TABLE;
	else if (strcmp(out, "wide") == 0)
		o->output = GET_OUT_WIDE;
	else if (strcmp(out, "json") == 0)
		o->output = GET_OUT_JSON;
	else if (strcmp(out, "yaml") == 0)
		o->output = GET_OUT_YAML;
	else if (strcmp(out, "name") == 0)
		o->output = GET_OUT_NAME;
	else {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
				"\"%s\", allowed formats are: json,name,wide,yaml\n", out);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

/* "pod" or "deployment.apps": what -o name puts before the slash. */
static void get_kind_prefix(const struct api_resource *r, char *out, size_t n)
{
	size_t i = 0;
	for (const char *k = r->kind; *k && i + 1 < n; k++)
		out[i++] = (char)((*k >= 'A' && *k <= 'Z') ? *k - 'A' + 'a' : *k);
	out[i] = '\0';
	if (r->group[0])
		snprintf(out + i, n - i, ".%s", r->group);
}

/* ---- pods: opsdeck's printer rules ---- */

static enum od_status pod_row_text(struct get_run *gr, const cJSON *obj, struct buf *text,
				   struct err *e)
{
	struct pod p = { 0 };
	struct pod_row row;
	enum od_status rc = pod_from_json(obj, &p, e);

	if (rc != OD_OK)
		return rc;
	podstatus_compute(&p, clikube_now(&gr->k), &row);
	const char *cells[10];
	size_t n = 0;
	if (gr->with_namespace)
		cells[n++] = p.namespace_ ? p.namespace_ : "";
	char name[PODSTATUS_NAME_MAX + 8];
	snprintf(name, sizeof(name), "%s%s", gr->multi ? "pod/" : "", p.name ? p.name : "");
	cells[n++] = name;
	cells[n++] = row.ready;
	cells[n++] = row.status;
	cells[n++] = row.restarts;
	cells[n++] = row.age;
	if (gr->o.output == GET_OUT_WIDE) {
		cells[n++] = row.ip;
		cells[n++] = row.node;
		cells[n++] = row.nominated_node;
		cells[n++] = row.readiness_gates;
	}
	rc = printer_row_text(cells, n, text, e);
	pod_clear(&p);
	return rc;
}

static enum od_status pod_header_text(const struct get_run *gr, struct buf *text, struct err *e)
{
	const char *cells[10];
	size_t n = 0;

	if (gr->with_namespace)
		cells[n++] = "NAMESPACE";
	cells[n++] = "NAME";
	cells[n++] = "READY";
	cells[n++] = "STATUS";
	cells[n++] = "RESTARTS";
	cells[n++] = "AGE";
	if (gr->o.output == GET_OUT_WIDE) {
		cells[n++] = "IP";
		cells[n++] = "NODE";
		cells[n++] = "NOMINATED NODE";
		cells[n++] = "READINESS GATES";
	}
	return printer_row_text(cells, n, text, e);
}

static bool get_is_pods(const struct get_run *gr)
{
	return gr->res->group[0] == '\0' && strcmp(gr->res->plural, "pods") == 0;
}

static enum od_status get_path(const struct get_run *gr, const char *name, struct buf *out,
			       struct err *e)
{
	struct api_target t = { .res = gr->res, .namespace_ = gr->ns, .name = name };
	return api_build_path(&t, NULL, out, e);
}

/* Writes laid-out text to stdout. */
static enum od_status get_emit(struct get_run *gr, const struct buf *text, struct err *e)
{
	struct buf out;
	enum od_status rc;

	buf_init(&out, CLIKUBE_LIST_MAX);
	rc = printer_layout(buf_cstr(text), text->len, &gr->widths, &out, e);
	if (rc == OD_OK) {
		fwrite(buf_cstr(&out), 1, out.len, stdout);
		fflush(stdout);
	}
	buf_free(&out);
	return rc;
}

/* The resourceVersion of a list or object, for -w. */
static void get_remember_rv(struct get_run *gr, const cJSON *obj)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(md, "resourceVersion");
	if (cJSON_IsString(rv))
		snprintf(gr->rv, sizeof(gr->rv), "%s", rv->valuestring);
}

/*
 * What one type contributes to the output: table text (rows counted), names,
 * or items gathered for one -o json|yaml document.
 */
struct get_collect {
	struct buf text;        /* table text of this type */
	size_t rows;
	cJSON *items;           /* owned: -o json|yaml items of every type */
	cJSON *single;          /* owned: the one object of `get TYPE NAME` */
};

static enum od_status get_collect_objects(struct get_run *gr, cJSON *doc, bool is_list,
					  struct get_collect *c, struct err *e)
{
	enum od_status rc = OD_OK;
	const cJSON *items = is_list ? cJSON_GetObjectItemCaseSensitive(doc, "items") : NULL;
	char gv[64], prefix[128];
	const cJSON *it;

	api_resource_group_version(gr->res, gv, sizeof(gv));
	if (gr->o.output == GET_OUT_JSON || gr->o.output == GET_OUT_YAML) {
		if (!is_list && !gr->multi) {
			c->single = cJSON_Duplicate(doc, 1);
			return c->single ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
		}
		cJSON *w = is_list ? printer_list_wrap(doc, gv, gr->res->kind) : NULL;
		cJSON *src = w ? cJSON_GetObjectItemCaseSensitive(w, "items") : NULL;
		if (!is_list)
			cJSON_AddItemToArray(c->items, cJSON_Duplicate(doc, 1));
		while (src && src->child)
			cJSON_AddItemToArray(c->items, cJSON_DetachItemViaPointer(src, src->child));
		cJSON_Delete(w);
		return OD_OK;
	}
	if (gr->o.output == GET_OUT_NAME) {
		get_kind_prefix(gr->res, prefix, sizeof(prefix));
		if (!is_list) {
			const cJSON *md = cJSON_GetObjectItemCaseSensitive(doc, "metadata");
			const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
			rc = buf_printf(&c->text, e, "%s/%s\n", prefix,
					cJSON_IsString(nm) ? nm->valuestring : "");
			c->rows++;
		}
		cJSON_ArrayForEach(it, items) {
			const cJSON *md = cJSON_GetObjectItemCaseSensitive(it, "metadata");
			const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
			if (rc == OD_OK)
				rc = buf_printf(&c->text, e, "%s/%s\n", prefix,
						cJSON_IsString(nm) ? nm->valuestring : "");
			c->rows++;
		}
		return rc;
	}
	/* pods as a table */
	size_t n = is_list ? (size_t)cJSON_GetArraySize(items) : 1;
	if (n == 0)
		return OD_OK;
	if (!gr->o.no_headers)
		rc = pod_header_text(gr, &c->text, e);
	if (!is_list) {
		if (rc == OD_OK)
			rc = pod_row_text(gr, doc, &c->text, e);
	} else {
		cJSON_ArrayForEach(it, items) {
			if (rc != OD_OK)
				break;
			rc = pod_row_text(gr, it, &c->text, e);
		}
	}
	c->rows += n;
	return rc;
}

static enum od_status get_collect_table(struct get_run *gr, const cJSON *table,
					struct get_collect *c, struct err *e)
{
	char prefix[160] = "";
	struct printer_table_opts po = { .wide = gr->o.output == GET_OUT_WIDE,
					 .with_namespace = gr->with_namespace,
					 .no_headers = gr->o.no_headers };
	struct buf text;
	size_t nrows = 0;
	enum od_status rc;

	if (gr->multi) {
		get_kind_prefix(gr->res, prefix, sizeof(prefix) - 1);
		strcat(prefix, "/");
		po.name_prefix = prefix;
	}
	buf_init(&text, CLIKUBE_LIST_MAX);
	rc = printer_table_text(table, &po, &text, &nrows, e);
	if (rc == OD_OK && nrows > 0)
		rc = buf_append(&c->text, buf_cstr(&text), text.len, e);
	c->rows += nrows;
	buf_free(&text);
	return rc;
}

/* ---- -w ---- */

/* One object of a -w stream in json/yaml: kubectl prints each on its own, YAML ones after "---". */
static enum od_status get_write_one(struct get_run *gr, const cJSON *obj, struct err *e)
{
	struct buf text;
	enum od_status rc = OD_OK;

	buf_init(&text, HTTP_BODY_MAX);
	if (gr->o.output == GET_OUT_YAML && gr->printed > 0)
		rc = buf_append_str(&text, "---\n", e);
	if (rc == OD_OK)
		rc = gr->o.output == GET_OUT_JSON ? printer_json(obj, &text, e)
						   : printer_yaml(obj, &text, e);
	if (rc == OD_OK) {
		fwrite(buf_cstr(&text), 1, text.len, stdout);
		fflush(stdout);
		gr->printed++;
	}
	buf_free(&text);
	return rc;
}

static enum od_status get_watch_object(const char *p, size_t n, void *arg, struct err *e)
{
	struct get_run *gr = arg;
	struct watch_event ev = { 0 };
	struct buf text;
	enum od_status rc = watch_event_parse(p, n, &ev, e);

	if (rc != OD_OK)
		return rc;
	buf_init(&text, HTTP_BODY_MAX);
	if (ev.type == WATCH_ERROR) {
		rc = err_set(e, ev.gone ? OD_EAGAIN : OD_EHTTP, "Error from server (%s): %s",
			     ev.reason, ev.message);
		goto out;
	}
	if (ev.resource_version[0])
		snprintf(gr->rv, sizeof(gr->rv), "%s", ev.resource_version);
	if (ev.type == WATCH_BOOKMARK)
		goto out;
	if (gr->o.output == GET_OUT_JSON || gr->o.output == GET_OUT_YAML) {
		rc = get_write_one(gr, ev.object, e);
	} else if (gr->o.output == GET_OUT_NAME) {
		char prefix[128];
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(ev.object, "metadata");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
		get_kind_prefix(gr->res, prefix, sizeof(prefix));
		printf("%s/%s\n", prefix, cJSON_IsString(nm) ? nm->valuestring : "");
		fflush(stdout);
	} else if (get_is_pods(gr)) {
		rc = pod_row_text(gr, ev.object, &text, e);
		if (rc == OD_OK)
			rc = get_emit(gr, &text, e);
	} else {
		struct printer_table_opts po = { .wide = gr->o.output == GET_OUT_WIDE,
						 .with_namespace = gr->with_namespace,
						 .no_headers = true, .columns = gr->columns };
		size_t nrows = 0;
		rc = printer_table_text(ev.object, &po, &text, &nrows, e);
		if (rc == OD_OK)
			rc = get_emit(gr, &text, e);
	}
out:
	buf_free(&text);
	watch_event_clear(&ev);
	return rc;
}

static enum od_status get_watch_data(const char *p, size_t n, void *arg, struct err *e)
{
	struct get_run *gr = arg;
	return watch_splitter_feed(&gr->ws, p, n, get_watch_object, gr, e);
}

static enum od_status get_watch_start(struct get_run *gr, struct err *e);

static void get_watch_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct get_run *gr = arg;
	struct err e = { 0 };

	(void)call;
	if (res->status != OD_OK) {
		gr->exit_code = clikube_fail(res->status, res->err);
		loop_stop(gr->k.loop);
		return;
	}
	/* the server ended the watch (timeout): go on from the last version seen */
	watch_splitter_free(&gr->ws);
	if (get_watch_start(gr, &e) != OD_OK) {
		gr->exit_code = clikube_fail(e.status, &e);
		loop_stop(gr->k.loop);
	}
}

static enum od_status get_watch_start(struct get_run *gr, struct err *e)
{
	struct api_target t = { .res = gr->res, .namespace_ = gr->ns };
	struct api_query q = { .label_selector = gr->o.label_selector,
			       .field_selector = gr->o.field_selector,
			       .resource_version = gr->rv, .watch = true };
	char fs[512];
	struct buf path;
	enum od_status rc;
	bool table = !get_is_pods(gr) &&
		     (gr->o.output == GET_OUT_TABLE || gr->o.output == GET_OUT_WIDE);

	if (gr->o.name) {
		snprintf(fs, sizeof(fs), "metadata.name=%s", gr->o.name);
		q.field_selector = fs;
	}
	watch_splitter_init(&gr->ws, 0);
	buf_init(&path, 8192);
	rc = api_build_path(&t, &q, &path, e);
	if (rc == OD_OK) {
		struct http_request rq = { .path = buf_cstr(&path), .timeout_ms = -1,
					   .accept = table ? TABLE_ACCEPT : NULL,
					   .on_data = get_watch_data, .on_done = get_watch_done,
					   .arg = gr };
		rc = http_start(gr->k.conn->http, &rq, NULL, e);
	}
	buf_free(&path);
	return rc;
}

static void get_on_signal(struct loop *lp, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_stop(lp);
}

static int get_watch_run(struct get_run *gr)
{
	struct err e = { 0 };

	if (loop_signal_watch(gr->k.loop, SIGINT, get_on_signal, gr, &e) != OD_OK ||
	    get_watch_start(gr, &e) != OD_OK)
		return clikube_fail(e.status, &e);
	if (loop_run(gr->k.loop, &e) != OD_OK)
		return clikube_fail(e.status, &e);
	watch_splitter_free(&gr->ws);
	return gr->exit_code;
}

/* ---- the command ---- */

static bool get_wants_table(const struct get_run *gr)
{
	return !get_is_pods(gr) && (gr->o.output == GET_OUT_TABLE || gr->o.output == GET_OUT_WIDE);
}

/* Fetches gr->res: a LIST (a Table for tables), or the named object. *doc is owned. */
static enum od_status get_fetch_type(struct get_run *gr, cJSON **doc, struct err *e)
{
	struct buf path;
	enum od_status rc;
	const char *accept = get_wants_table(gr) ? TABLE_ACCEPT : NULL;

	*doc = NULL;
	buf_init(&path, 8192);
	rc = get_path(gr, gr->o.name, &path, e);
	if (rc == OD_OK && gr->o.name)
		rc = clikube_get_json(&gr->k, buf_cstr(&path), accept, doc, e);
	else if (rc == OD_OK)
		rc = clikube_list(&gr->k, buf_cstr(&path), gr->o.label_selector,
				  gr->o.field_selector, accept, doc, e);
	buf_free(&path);
	if (rc != OD_OK)
		return rc;
	get_remember_rv(gr, *doc);
	if (get_wants_table(gr) && gr->o.watch) {
		/* watch events carry the column definitions once at most */
		gr->columns = cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(*doc, "columnDefinitions"), 1);
	}
	return OD_OK;
}

static void get_select_type(struct get_run *gr, const struct global_opts *g, const char *type)
{
	gr->res = api_resource_lookup(type, NULL);
	gr->ns = gr->res->namespaced ? clikube_request_namespace(&gr->k) : NULL;
	gr->with_namespace = gr->res->namespaced && g->all_namespaces;
}

/*
 * Keys of a pod that no column of the table reads (nor anything that decides
 * STATUS): left out when a page is parsed for rows, at any depth. Maps with
 * keys of the user's choosing (labels, annotations, nodeSelector) are among
 * them, so no user key can be mistaken for one of these.
 */
static const char *const get_pods_skip_keys[] = {
	"managedFields", "annotations", "labels", "ownerReferences", "finalizers",
	"nodeSelector", "env", "envFrom", "ports", "volumeMounts", "volumeDevices",
	"readinessProbe", "livenessProbe", "startupProbe", "lifecycle", "tolerations",
	"affinity", "securityContext", "args", "command", "image", "imageID", "containerID",
	"imagePullPolicy", "terminationMessagePath", "terminationMessagePolicy", "resources",
	"allocatedResources", "resizePolicy", "volumes", "topologySpreadConstraints",
	"hostIP", "hostIPs", "qosClass", "dnsPolicy", "schedulerName", "serviceAccountName",
	"serviceAccount", "terminationGracePeriodSeconds", "priority", "lastProbeTime",
	NULL
};

/* get pods (one type, a list, as a table): rows made page by page, each page dropped at once. */
static enum od_status get_pods_page(const cJSON *page, void *arg, struct err *e)
{
	struct get_run *gr = arg;
	struct get_collect *c = gr->stream;
	const cJSON *it;
	enum od_status rc = OD_OK;

	get_remember_rv(gr, page);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(page, "items")) {
		if (c->rows == 0 && !gr->o.no_headers)
			rc = pod_header_text(gr, &c->text, e);
		if (rc == OD_OK)
			rc = pod_row_text(gr, it, &c->text, e);
		if (rc != OD_OK)
			return rc;
		c->rows++;
	}
	return OD_OK;
}

static enum od_status get_stream_pods(struct get_run *gr, const struct global_opts *g,
				      const char *type, struct err *e)
{
	struct get_collect c = { 0 };
	struct json_arena_skip skip;
	struct buf path;
	enum od_status rc;

	json_arena_skip_init(&skip, get_pods_skip_keys);
	get_select_type(gr, g, type);
	buf_init(&c.text, CLIKUBE_LIST_MAX);
	buf_init(&path, 8192);
	gr->stream = &c;
	rc = get_path(gr, NULL, &path, e);
	if (rc == OD_OK)
		rc = clikube_list_pages_arena(&gr->k, buf_cstr(&path), gr->o.label_selector,
					      gr->o.field_selector, &skip, get_pods_page, gr, e);
	if (rc == OD_OK && c.rows == 0)
		printer_no_resources(gr->ns);
	else if (rc == OD_OK)
		rc = get_emit(gr, &c.text, e);
	gr->stream = NULL;
	buf_free(&path);
	buf_free(&c.text);
	return rc;
}

static enum od_status get_write_document(struct get_run *gr, struct get_collect *c,
					 struct err *e)
{
	struct buf out;
	enum od_status rc;
	const cJSON *v = c->single;
	cJSON *list = NULL;

	if (!v) {
		list = cJSON_CreateObject();
		cJSON *md = cJSON_CreateObject();
		cJSON_AddStringToObject(list, "apiVersion", "v1");
		cJSON_AddItemToObject(list, "items", c->items);
		c->items = NULL;
		cJSON_AddStringToObject(list, "kind", "List");
		cJSON_AddStringToObject(md, "resourceVersion", "");
		cJSON_AddItemToObject(list, "metadata", md);
		v = list;
	}
	buf_init(&out, CLIKUBE_LIST_MAX);
	rc = gr->o.output == GET_OUT_JSON ? printer_json(v, &out, e) : printer_yaml(v, &out, e);
	if (rc == OD_OK)
		fwrite(buf_cstr(&out), 1, out.len, stdout);
	buf_free(&out);
	cJSON_Delete(list);
	return rc;
}

/*
 * Every type of "TYPE[,TYPE...]" in turn, as kubectl prints them: with
 * headers, one table per type (own widths) and a blank line between; without
 * headers, all rows through one layout; json/yaml as one List.
 */
static enum od_status get_run_types(struct get_run *gr, const struct global_opts *g,
				    char **types, size_t ntypes, struct err *e)
{
	struct get_collect c = { .items = cJSON_CreateArray() };
	struct buf all, errors;
	cJSON *docs[GET_MAX_TYPES] = { 0 };   /* owned: each type's response */
	enum od_status failed = OD_OK;
	size_t total = 0, tables = 0;
	enum od_status rc = OD_OK;
	bool document = gr->o.output == GET_OUT_JSON || gr->o.output == GET_OUT_YAML;

	buf_init(&c.text, CLIKUBE_LIST_MAX);
	buf_init(&all, CLIKUBE_LIST_MAX);
	buf_init(&errors, 64u * 1024u);
	/* kubectl resolves every type before it asks for any */
	for (size_t i = 0; i < ntypes; i++) {
		if (!api_resource_lookup(types[i], e)) {
			rc = OD_ENOENT;
			goto out;
		}
	}
	get_select_type(gr, g, types[0]);
	if (ntypes == 1 && get_is_pods(gr) && !gr->o.name &&
	    (gr->o.output == GET_OUT_TABLE || gr->o.output == GET_OUT_WIDE)) {
		/* the common case, kept small: 10k pods are never held at once */
		rc = get_stream_pods(gr, g, types[0], e);
		goto out;
	}
	/* kubectl prefixes names with their kind when several types were fetched */
	size_t kinds = 0;
	for (size_t i = 0; i < ntypes; i++) {
		struct err fe = { 0 };
		enum od_status frc;

		get_select_type(gr, g, types[i]);
		frc = get_fetch_type(gr, &docs[i], &fe);
		if (frc != OD_OK) {
			/* the other types are still printed; the errors come after them */
			failed = failed == OD_OK ? frc : failed;
			if ((rc = buf_printf(&errors, e, "%s\n", fe.msg)) != OD_OK)
				goto out;
			continue;
		}
		kinds++;
	}
	gr->multi = kinds > 1;
	for (size_t i = 0; i < ntypes && rc == OD_OK; i++) {
		if (!docs[i])
			continue;
		get_select_type(gr, g, types[i]);
		buf_reset(&c.text);
		c.rows = 0;
		if (get_wants_table(gr))
			rc = get_collect_table(gr, docs[i], &c, e);
		else
			rc = get_collect_objects(gr, docs[i], gr->o.name == NULL, &c, e);
		if (rc != OD_OK || c.rows == 0)
			continue;
		total += c.rows;
		if (gr->o.output == GET_OUT_NAME) {
			rc = buf_append(&all, buf_cstr(&c.text), c.text.len, e);
			continue;
		}
		if (tables++ > 0 && !gr->o.no_headers)
			fputc('\n', stdout);
		memset(&gr->widths, 0, sizeof(gr->widths));
		rc = get_emit(gr, &c.text, e);
	}
	if (rc != OD_OK)
		goto out;
	if (document && gr->o.watch) {
		const cJSON *it;
		if (c.single)
			rc = get_write_one(gr, c.single, e);
		cJSON_ArrayForEach(it, c.items) {
			if (rc == OD_OK)
				rc = get_write_one(gr, it, e);
		}
	} else if (document) {
		rc = get_write_document(gr, &c, e);
	} else if (gr->o.output == GET_OUT_NAME) {
		fwrite(buf_cstr(&all), 1, all.len, stdout);
	} else if (total == 0 && failed == OD_OK) {
		const struct api_resource *r = gr->res;
		printer_no_resources(r && r->namespaced ? clikube_request_namespace(&gr->k) : NULL);
	}
	fflush(stdout);
	if (rc == OD_OK && failed != OD_OK) {
		/* the last line becomes the returned error; the others are printed here */
		char *msgs = buf_cstr(&errors)[0] ? strdup(buf_cstr(&errors)) : NULL;
		char *last = msgs ? msgs + strlen(msgs) - 1 : NULL;
		if (last && *last == '\n')
			*last = '\0';
		char *nl = msgs ? strrchr(msgs, '\n') : NULL;
		if (nl) {
			*nl = '\0';
			fprintf(stderr, "%s\n", msgs);
		}
		rc = err_set(e, failed, "%s", nl ? nl + 1 : msgs ? msgs : "");
		free(msgs);
	}
out:
	for (size_t i = 0; i < ntypes; i++)
		cJSON_Delete(docs[i]);
	buf_free(&errors);
	cJSON_Delete(c.items);
	cJSON_Delete(c.single);
	buf_free(&c.text);
	buf_free(&all);
	return rc;
}

/* Splits "deploy,sts" in place; at most max types. */
static size_t get_split_types(char *s, char **out, size_t max)
{
	size_t n = 0;
	for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

int cmd_get(const struct global_opts *g, int argc, char **argv)
{
	struct get_run *gr = calloc(1, sizeof(*gr));
	struct err e = { 0 };
	char *types_buf = NULL, *types[GET_MAX_TYPES];
	size_t ntypes;
	int code;

	if (!gr) {
		fprintf(stderr, "error: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	code = get_parse(argc, argv, &gr->o);
	if (code < 0)
		code = CLI_EXIT_OK;   /* --help was printed */
	if (code != CLI_EXIT_OK || !gr->o.type)
		goto done;
	if (gr->o.name && g->all_namespaces) {
		fprintf(stderr, "error: a resource cannot be retrieved by name across all namespaces\n");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	types_buf = strdup(gr->o.type);
	ntypes = types_buf ? get_split_types(types_buf, types, GET_MAX_TYPES) : 0;
	if (ntypes == 0) {
		code = get_usage("no resource type given");
		goto done;
	}
	if (ntypes > 1 && gr->o.watch) {
		fprintf(stderr, "error: you may only specify a single resource type\n");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	code = clikube_open(&gr->k, g);
	if (code != CLI_EXIT_OK)
		goto done;
	enum od_status rc = get_run_types(gr, g, types, ntypes, &e);
	if (rc != OD_OK) {
		code = clikube_fail(rc, &e);
		goto close;
	}
	if (gr->o.watch)
		code = get_watch_run(gr);
close:
	clikube_close(&gr->k);
	cJSON_Delete(gr->columns);
done:
	free(types_buf);
	free(gr);
	return code;
}
