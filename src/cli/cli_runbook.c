/*
 * cli_runbook.c: the setup shared by `opsdeck check`, `due` and `report`
 * (see cli_runbook.h): profile, store, settings, cluster connection, and
 * the check environment's GETs (API server through http_do, Prometheus and
 * Alertmanager through libcurl).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "opsdeck/cli_runbook.h"
#include "opsdeck/http.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/timeutil.h"

/* A check's request may be slow (a week of logs) but never hangs forever. */
#define CLI_RB_REQUEST_TIMEOUT_MS 120000L

static enum od_status rb_api_get(void *arg, const char *path, struct buf *body, long *code,
				 struct err *e)
{
	struct cli_runbook *rb = arg;
	struct http_request rq = { .path = path, .max_body = body->max,
				   .timeout_ms = CLI_RB_REQUEST_TIMEOUT_MS };
	enum od_status rc;

	*code = 0;
	rc = http_do(rb->kube.conn->http, &rq, body, code, e);
	/* any response is an answer for a check; only transport failures are errors */
	if (*code) {
		rb->api_answers++;
		return OD_OK;
	}
	rb->api_failures++;
	snprintf(rb->api_last_error, sizeof(rb->api_last_error), "%s", e->msg);
	return rc;
}

struct curl_sink {
	struct buf *b;
	bool over;
};

static size_t curl_write(char *p, size_t size, size_t n, void *arg)
{
	struct curl_sink *s = arg;

	if (buf_append(s->b, p, size * n, NULL) != OD_OK) {
		s->over = true;
		return 0;
	}
	return size * n;
}

static enum od_status rb_url_get(void *arg, const char *url, struct buf *body, long *code,
				 struct err *e)
{
	CURL *c = curl_easy_init();
	struct curl_sink sink = { .b = body };
	CURLcode cc;

	(void)arg;
	*code = 0;
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, curl_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	curl_easy_cleanup(c);
	if (sink.over)
		return err_set(e, OD_ELIMIT, "GET %s: response larger than %zu bytes", url, body->max);
	if (cc != CURLE_OK)
		return err_set(e, OD_ENET, "GET %s: %s", url, curl_easy_strerror(cc));
	return OD_OK;
}

int64_t cli_runbook_now(void *arg)
{
	struct cli_runbook *rb = arg;

	if (rb->connected)
		return clikube_now(&rb->kube).sec;
	return time_now().sec;
}

/* The kube context without connecting (for history series and settings). */
static void rb_load_target(struct cli_runbook *rb, const struct global_opts *g)
{
	struct kubeconfig_source src;
	struct err e = { 0 };

	kubeconfig_source_from_env(&src, g->kubeconfig);
	if (kube_target_load(&src, g->context, g->namespace_, &rb->target, &e) != OD_OK)
		rb->target = NULL;
}

static int rb_pick_profile(struct cli_runbook *rb, const char *name, const char *ns)
{
	struct err e = { 0 };

	if (profile_catalog_load(&rb->catalog, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < rb->catalog->problems.n; i++)
		fprintf(stderr, "warning: %s\n", rb->catalog->problems.v[i]);
	if (name) {
		rb->profile = profile_catalog_find(rb->catalog, name);
		if (!rb->profile) {
			fprintf(stderr, "error: no profile named \"%s\"\n", name);
			return CLI_EXIT_USAGE;
		}
	} else if (ns) {
		rb->profile = profile_catalog_match(rb->catalog, rb->context, ns);
	}
	return CLI_EXIT_OK;
}

int cli_runbook_open(struct cli_runbook *rb, const struct global_opts *g,
		     const char *profile_name, int need)
{
	struct err e = { 0 };
	const char *ns = NULL;
	int rc;

	memset(rb, 0, sizeof(*rb));
	if (need & CLI_RB_CLUSTER) {
		rc = clikube_open(&rb->kube, g);
		if (rc != CLI_EXIT_OK)
			return rc;
		rb->connected = true;
		rb->context = rb->kube.target->context;
		ns = rb->kube.namespace_;
	} else {
		rb_load_target(rb, g);
		if (rb->target && (need & CLI_RB_CLUSTER_TRY)) {
			if (clikube_open(&rb->kube, g) == CLI_EXIT_OK) {
				rb->connected = true;
				kube_target_free(&rb->target);
			}
		}
		if (rb->connected) {
			rb->context = rb->kube.target->context;
			ns = rb->kube.namespace_;
		} else if (rb->target) {
			rb->context = rb->target->context;
			ns = rb->target->namespace_;
		}
	}
	if (!rb->context)
		rb->context = g->context;
	rc = rb_pick_profile(rb, profile_name, ns);
	if (rc != CLI_EXIT_OK)
		return rc;
	if ((need & CLI_RB_PROFILE) && !rb->profile) {
		fprintf(stderr, "error: no profile matches namespace \"%s\"; pick one with --profile\n",
			ns ? ns : "");
		return CLI_EXIT_USAGE;
	}
	if (settings_load(NULL, &rb->settings, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_USAGE;
	}
	settings_for_context(rb->settings, rb->context, &rb->ctx);
	if (store_open(g->db_path, NULL, &rb->store, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CLI_EXIT_USAGE;
	}
	if (store_notice(rb->store)[0])
		fprintf(stderr, "warning: %s\n", store_notice(rb->store));
	rb->env.api_get = rb->connected ? rb_api_get : NULL;
	rb->env.api_arg = rb;
	rb->env.url_get = rb_url_get;
	rb->env.store = rb->store;
	rb->env.profile = rb->profile;
	rb->env.context = rb->context;
	rb->env.prometheus_url = rb->ctx.prometheus_url;
	rb->env.alertmanager_url = rb->ctx.alertmanager_url;
	rb->env.now = cli_runbook_now(rb);
	return CLI_EXIT_OK;
}

void cli_runbook_close(struct cli_runbook *rb)
{
	store_close(&rb->store);
	settings_free(&rb->settings);
	profile_catalog_free(&rb->catalog);
	if (rb->connected)
		clikube_close(&rb->kube);
	rb->connected = false;
	kube_target_free(&rb->target);
}

int cli_runbook_write(const char *path, const struct buf *b)
{
	char tmp[4096];
	int fd;
	size_t off = 0;

	if (!path) {
		if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
			return CLI_EXIT_USAGE;
		return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= sizeof(tmp)) {
		fprintf(stderr, "error: --out %s: path too long\n", path);
		return CLI_EXIT_USAGE;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600); /* reports stay private */
	if (fd < 0) {
		fprintf(stderr, "error: open %s: %s\n", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "error: write %s: %s\n", path, strerror(errno));
			close(fd);
			unlink(tmp);
			return CLI_EXIT_USAGE;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		fprintf(stderr, "error: write %s: %s\n", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return CLI_EXIT_USAGE;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "error: write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}
