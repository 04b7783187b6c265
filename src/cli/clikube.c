/*
 * clikube.c: the cluster connection shared by the headless commands (get,
 * describe, logs, top): kubeconfig from the global flags, one loop, one
 * libcurl client, blocking GETs and paged LISTs, and kubectl's exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "opsdeck/api.h"
#include "opsdeck/clikube.h"
#include "opsdeck/duration.h"
#include "opsdeck/http.h"

int clikube_exit_code(enum od_status rc)
{
	switch (rc) {
	case OD_OK:
		return CLI_EXIT_OK;
	case OD_EUSAGE:
	case OD_ECONFIG:
		return CLI_EXIT_USAGE;
	default:
		return CLI_EXIT_FAILED;
	}
}

/* kubectl's messages carry their own prefix; bare ones get "error: " as kubectl adds it. */
int clikube_fail(enum od_status rc, const struct err *e)
{
	const char *m = e->msg;

	if (strncmp(m, "error: ", 7) == 0 || strncmp(m, "Error ", 6) == 0 ||
	    strncmp(m, "Unable to connect", 17) == 0 || strncmp(m, "The connection", 14) == 0)
		fprintf(stderr, "%s\n", m);
	else
		fprintf(stderr, "error: %s\n", m);
	return clikube_exit_code(rc);
}

int clikube_open(struct clikube *k, const struct global_opts *g)
{
	struct kubeconfig_source src;
	struct kube_conn_opts o = { 0 };
	struct err e = { 0 };
	enum od_status rc;

	memset(k, 0, sizeof(*k));
	k->all_namespaces = g->all_namespaces;
#if defined(__GLIBC__) && defined(M_MXFAST)
	/*
	 * A LIST page parsed by cJSON is ~100k small nodes freed at once, then a
	 * megabyte body buffer is allocated: with fastbins, glibc consolidates
	 * them all on every page. `get pods` tables no longer parse that way (an
	 * arena, clikube_list_pages_arena), and there it makes no difference;
	 * the cJSON paths still gain: `get pods -A -o name` on 10k pods takes
	 * ~380 ms CPU with this, ~610 ms without.
	 */
	mallopt(M_MXFAST, 0);
#endif
	if (g->request_timeout && strcmp(g->request_timeout, "0") != 0) {
		int64_t ns = 0;
		if (duration_parse(g->request_timeout, &ns, &e) != OD_OK) {
			fprintf(stderr, "error: invalid argument \"%s\" for \"--request-timeout\" flag\n",
				g->request_timeout);
			return CLI_EXIT_USAGE;
		}
		o.request_timeout_ms = (long)(ns / 1000000);
	}
	kubeconfig_source_from_env(&src, g->kubeconfig);
	rc = kube_target_load(&src, g->context, g->namespace_, &k->target, &e);
	if (rc == OD_OK)
		rc = loop_new(&k->loop, &e);
	if (rc == OD_OK)
		rc = kube_conn_open(k->loop, k->target, &o, &k->conn, &e);
	if (rc != OD_OK) {
		clikube_close(k);
		clikube_fail(rc, &e);
		return CLI_EXIT_USAGE;
	}
	k->namespace_ = k->target->namespace_;
	return CLI_EXIT_OK;
}

void clikube_close(struct clikube *k)
{
	kube_conn_free(&k->conn);
	loop_free(&k->loop);
	kube_target_free(&k->target);
}

const char *clikube_request_namespace(const struct clikube *k)
{
	return k->all_namespaces ? NULL : k->namespace_;
}

struct od_time clikube_now(const struct clikube *k)
{
	return api_now(http_client_clock(k->conn->http));
}

enum od_status clikube_get(struct clikube *k, const char *path, const char *accept,
			   struct buf *body, struct err *e)
{
	struct http_request rq = { .path = path, .accept = accept };
	long code = 0;

	return http_do(k->conn->http, &rq, body, &code, e);
}

enum od_status clikube_get_json(struct clikube *k, const char *path, const char *accept,
				cJSON **out, struct err *e)
{
	struct buf body;
	enum od_status rc;

	*out = NULL;
	buf_init(&body, HTTP_BODY_MAX);
	rc = clikube_get(k, path, accept, &body, e);
	if (rc != OD_OK)
		goto out;
	*out = cJSON_ParseWithLength(body.data ? body.data : "", body.len);
	if (!*out)
		rc = status_error_bad_json("the server's response", buf_cstr(&body), body.len, e);
out:
	buf_free(&body);
	return rc;
}

static enum od_status list_page_path(const char *path, const char *label_selector,
				     const char *field_selector, const char *cont, struct buf *p,
				     struct err *e);

/* Moves the array key of page into the array of the same name in into. */
static void list_merge_page(cJSON *into, cJSON *page, const char *key)
{
	cJSON *dst = cJSON_GetObjectItemCaseSensitive(into, key);
	cJSON *src = cJSON_GetObjectItemCaseSensitive(page, key);

	if (!cJSON_IsArray(dst) || !cJSON_IsArray(src))
		return;
	while (src->child) {
		cJSON *it = cJSON_DetachItemViaPointer(src, src->child);
		cJSON_AddItemToArray(dst, it);
	}
}

enum od_status clikube_list_pages(struct clikube *k, const char *path,
				  const char *label_selector, const char *field_selector,
				  const char *accept, clikube_page_cb cb, void *arg,
				  struct err *e)
{
	char *cont = NULL;
	struct buf p;
	enum od_status rc = OD_OK;

	buf_init(&p, 64u * 1024u);
	for (;;) {
		cJSON *page = NULL;

		rc = list_page_path(path, label_selector, field_selector, cont, &p, e);
		if (rc != OD_OK)
			break;
		rc = clikube_get_json(k, buf_cstr(&p), accept, &page, e);
		if (rc != OD_OK)
			break;
		free(cont);
		cont = NULL;
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(page, "metadata");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(md, "continue");
		if (cJSON_IsString(c) && c->valuestring[0])
			cont = strdup(c->valuestring);
		rc = cb(&page, arg, e);
		cJSON_Delete(page);
		if (rc != OD_OK || !cont)
			break;
	}
	free(cont);
	buf_free(&p);
	return rc;
}

/* "path?limit=500[&continue=...]" with the selectors, into p. */
static enum od_status list_page_path(const char *path, const char *label_selector,
				     const char *field_selector, const char *cont, struct buf *p,
				     struct err *e)
{
	struct api_query q = { .label_selector = label_selector, .field_selector = field_selector,
			       .limit = 500, .continue_token = cont };
	enum od_status rc;

	buf_reset(p);
	if ((rc = buf_append_str(p, path, e)) == OD_OK && (rc = buf_append_str(p, "?", e)) == OD_OK)
		rc = api_query_encode(&q, p, e);
	return rc;
}

enum od_status clikube_list_pages_arena(struct clikube *k, const char *path,
					const char *label_selector, const char *field_selector,
					const struct json_arena_skip *skip,
					clikube_arena_page_cb cb, void *arg, struct err *e)
{
	struct json_arena arena;
	char *cont = NULL;
	struct buf p, body;
	enum od_status rc;

	json_arena_init(&arena);
	buf_init(&p, 64u * 1024u);
	buf_init(&body, HTTP_BODY_MAX);
	for (;;) {
		cJSON *page = NULL;
		struct err pe = { 0 };

		rc = list_page_path(path, label_selector, field_selector, cont, &p, e);
		if (rc == OD_OK)
			rc = clikube_get(k, buf_cstr(&p), NULL, &body, e);
		if (rc != OD_OK)
			break;
		free(cont);
		cont = NULL;
		json_arena_reset(&arena);
		rc = json_arena_parse(&arena, body.data ? body.data : "", body.len, skip, &page, &pe);
		if (rc == OD_ENOMEM) {
			*e = pe;
			break;
		}
		if (rc != OD_OK || !cJSON_IsObject(page)) {
			/* cJSON's view of the body decides the wording, as for every response */
			rc = status_error_bad_json("the server's response", buf_cstr(&body), body.len, e);
			break;
		}
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(page, "metadata");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(md, "continue");
		if (cJSON_IsString(c) && c->valuestring[0] && !(cont = strdup(c->valuestring))) {
			rc = err_set(e, OD_ENOMEM, "out of memory");
			break;
		}
		rc = cb(page, arg, e);
		if (rc != OD_OK || !cont)
			break;
	}
	free(cont);
	buf_free(&body);
	buf_free(&p);
	json_arena_free(&arena);
	return rc;
}

/* clikube_list's page callback: the first page becomes the list, later ones add their items. */
static enum od_status list_merge_cb(cJSON **page, void *arg, struct err *e)
{
	cJSON **all = arg;

	(void)e;
	if (!*all) {
		*all = *page;
		*page = NULL;
		return OD_OK;
	}
	list_merge_page(*all, *page, "items");
	list_merge_page(*all, *page, "rows");
	return OD_OK;
}

enum od_status clikube_list(struct clikube *k, const char *path, const char *label_selector,
			    const char *field_selector, const char *accept, cJSON **out,
			    struct err *e)
{
	cJSON *all = NULL;
	enum od_status rc = clikube_list_pages(k, path, label_selector, field_selector, accept,
					       list_merge_cb, &all, e);

	if (rc != OD_OK) {
		cJSON_Delete(all);
		all = NULL;
	}
	*out = all;
	return rc;
}

int clikube_flag_value(int argc, char **argv, int *i, const char *shortf, const char *longf,
		       const char **out)
{
	const char *a = argv[*i];
	size_t ll = strlen(longf);

	if ((shortf && strcmp(a, shortf) == 0) || strcmp(a, longf) == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "error: flag needs an argument: %s\n", a);
			return -1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (strncmp(a, longf, ll) == 0 && a[ll] == '=') {
		*out = a + ll + 1;
		return 1;
	}
	if (shortf && strncmp(a, shortf, 2) == 0 && a[2] != '\0') {
		*out = a + 2 + (a[2] == '=');
		return 1;
	}
	return 0;
}

int clikube_flag_bool(const char *arg, const char *shortf, const char *longf, bool *out)
{
	size_t ll = strlen(longf);

	if ((shortf && strcmp(arg, shortf) == 0) || strcmp(arg, longf) == 0) {
		*out = true;
		return 1;
	}
	if (strncmp(arg, longf, ll) == 0 && arg[ll] == '=') {
		*out = strcmp(arg + ll + 1, "false") != 0;
		return 1;
	}
	return 0;
}

bool clikube_help(const char *arg, const char *command)
{
	const struct command *c;

	if (strcmp(arg, "-h") != 0 && strcmp(arg, "--help") != 0)
		return false;
	c = commands_find(command);
	if (c)
		printf("Usage: opsdeck %s\n  %s\nSee opsdeck(1) and docs/commands.md for the flags.\n",
		       c->usage, c->summary);
	return true;
}
