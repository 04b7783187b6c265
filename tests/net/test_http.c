/*
 * test_http.c: the transport and the informer against a scripted HTTP server
 * on 127.0.0.1 (fakeserver.c): kubectl's wording for every failure,
 * client-go's retries, 401 with an exec plugin, caps, timeouts, the server
 * clock, streaming, and the informer's LIST/WATCH/resume/relist cycle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fakeserver.h"
#include "opsdeck/auth.h"
#include "opsdeck/http.h"
#include "opsdeck/informer.h"
#include "opsdeck/loop.h"
#include "opsdeck/podcache.h"
#include "opsdeck/timeutil.h"

static char *mk(const char *status, const char *headers, const char *body)
{
	char *s = NULL;

	if (asprintf(&s, "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\n\r\n%s", status, headers,
		     strlen(body), body) < 0)
		abort();
	return s;
}

static char *mk_stream(const char *events)
{
	char *s = NULL;

	if (asprintf(&s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n%s",
		     events) < 0)
		abort();
	return s;
}

struct env {
	struct fake_server srv;
	struct loop *lp;
	struct auth *auth;
	struct http_client *c;
};

static void env_start(struct env *v, const struct fake_response *script, size_t n,
		      const struct auth_config *ac)
{
	char url[64];
	struct err e;

	memset(v, 0, sizeof(*v));
	assert_int_equal(fake_server_start(&v->srv, script, n), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", v->srv.port);
	assert_int_equal(loop_new(&v->lp, &e), OD_OK);
	if (ac)
		assert_int_equal(auth_new(ac, &v->auth, &e), OD_OK);
	struct http_conn hc = { .server = url };
	assert_int_equal(http_client_new(v->lp, &hc, v->auth, &v->c, &e), OD_OK);
}

static void env_stop(struct env *v)
{
	http_client_free(&v->c);
	assert_null(v->c);
	auth_free(&v->auth);
	loop_free(&v->lp);
	fake_server_stop(&v->srv);
}

static const char pod_status_404[] =
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
	"\"message\":\"pods \\\"nope\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"nope\",\"kind\":\"pods\"},\"code\":404}";

static void test_get_ok_and_server_clock(void **state)
{
	struct env v;
	struct buf body;
	struct err e;
	long code = 0;

	(void)state;
	struct fake_response script[] = {
		{ mk("200 OK", "Date: Tue, 01 Jan 2030 00:00:00 GMT\r\nContent-Type: application/json\r\n",
		     "{\"kind\":\"NamespaceList\",\"items\":[]}"), FAKE_KEEP, 0 },
		{ mk("404 Not Found", "Content-Type: application/json\r\n", pod_status_404), FAKE_KEEP,
		  0 },
	};
	struct auth_config ac = { .token = "sekrit" };
	env_start(&v, script, 2, &ac);
	buf_init(&body, 1 << 20);
	struct http_request rq = { .path = "/api/v1/namespaces" };
	assert_int_equal(http_do(v.c, &rq, &body, &code, &e), OD_OK);
	assert_int_equal(code, 200);
	assert_string_equal(buf_cstr(&body), "{\"kind\":\"NamespaceList\",\"items\":[]}");
	/* the API server's clock, not ours */
	const struct api_clock *clk = http_client_clock(v.c);
	assert_true(clk->known);
	int64_t now = api_now(clk).sec;
	assert_true(now >= 1893456000 && now <= 1893456000 + 60);

	rq.path = "/api/v1/namespaces/default/pods/nope";
	assert_int_equal(http_do(v.c, &rq, &body, &code, &e), OD_ENOENT);
	assert_int_equal(code, 404);
	assert_string_equal(e.msg, "Error from server (NotFound): pods \"nope\" not found");

	char *log = fake_server_log(&v.srv);
	assert_string_equal(log, "GET /api/v1/namespaces HTTP/1.1 auth=Bearer sekrit\n"
				 "GET /api/v1/namespaces/default/pods/nope HTTP/1.1 auth=Bearer sekrit\n");
	free(log);
	buf_free(&body);
	env_stop(&v);
	free((char *)script[0].raw);
	free((char *)script[1].raw);
}

static void test_retry_after(void **state)
{
	struct env v;
	struct buf body;
	struct err e;
	long code = 0;

	(void)state;
	struct fake_response script[] = {
		{ mk("503 Service Unavailable", "Retry-After: 0\r\n", "busy"), FAKE_KEEP, 0 },
		{ mk("429 Too Many Requests", "Retry-After: 1\r\n", "slow down"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{}"), FAKE_KEEP, 0 },
		/* no Retry-After: no retry */
		{ mk("503 Service Unavailable", "Content-Type: text/plain\r\n", "busy"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{}"), FAKE_KEEP, 0 },
	};
	env_start(&v, script, 5, NULL);
	buf_init(&body, 1 << 20);
	struct http_request rq = { .path = "/api/v1/pods" };
	uint64_t t0 = time_mono_ms();
	assert_int_equal(http_do(v.c, &rq, &body, &code, &e), OD_OK);
	assert_true(time_mono_ms() - t0 >= 1000);
	assert_int_equal(code, 200);
	assert_int_equal(fake_server_requests(&v.srv), 3);

	rq.method = "POST";
	rq.body = "{}";
	rq.body_len = 2;
	assert_int_equal(http_do(v.c, &rq, &body, &code, &e), OD_EHTTP);
	assert_int_equal(code, 503);
	assert_string_equal(e.msg,
			    "Error from server (ServiceUnavailable): the server is currently unable to handle the request");
	assert_int_equal(fake_server_requests(&v.srv), 4);
	buf_free(&body);
	env_stop(&v);
	for (int i = 0; i < 5; i++)
		free((char *)script[i].raw);
}

/* --request-timeout bounds the retries too: a Retry-After past it is not waited for. */
static void test_retry_within_request_timeout(void **state)
{
	struct env v;
	struct buf body;
	struct err e;

	(void)state;
	struct fake_response script[] = {
		{ mk("429 Too Many Requests", "Retry-After: 0\r\n", "x"), FAKE_KEEP, 0 },
		{ mk("429 Too Many Requests", "Retry-After: 5\r\n", "x"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{}"), FAKE_KEEP, 0 },
	};
	env_start(&v, script, 3, NULL);
	buf_init(&body, 1024);
	struct http_request rq = { .path = "/api/v1/pods", .timeout_ms = 1000 };
	uint64_t t0 = time_mono_ms();
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_EHTTP);
	assert_true(time_mono_ms() - t0 < 1000);
	assert_non_null(strstr(e.msg, "(TooManyRequests)"));
	assert_int_equal(fake_server_requests(&v.srv), 2);
	buf_free(&body);
	env_stop(&v);
	for (int i = 0; i < 3; i++)
		free((char *)script[i].raw);
}

static void test_connection_reset_get_only(void **state)
{
	struct env v;
	struct buf body;
	struct err e;
	long code = 0;

	(void)state;
	struct fake_response script[] = {
		{ NULL, FAKE_CLOSE, 0 },               /* POST: cut off, not retried */
		{ NULL, FAKE_CLOSE, 0 },               /* GET: cut off, retried */
		{ mk("200 OK", "", "{\"ok\":1}"), FAKE_KEEP, 0 },
	};
	env_start(&v, script, 3, NULL);
	buf_init(&body, 1 << 20);
	struct http_request post = { .method = "POST", .path = "/api/v1/namespaces/a/pods",
				     .body = "{}", .body_len = 2 };
	assert_int_equal(http_do(v.c, &post, &body, &code, &e), OD_ENET);
	assert_true(strncmp(e.msg, "Unable to connect to the server: ", 33) == 0);
	assert_int_equal(fake_server_requests(&v.srv), 1);

	struct http_request get = { .path = "/api/v1/pods" };
	assert_int_equal(http_do(v.c, &get, &body, &code, &e), OD_OK);
	assert_string_equal(buf_cstr(&body), "{\"ok\":1}");
	assert_int_equal(fake_server_requests(&v.srv), 3);
	buf_free(&body);
	env_stop(&v);
	free((char *)script[2].raw);
}

static void test_refused_and_timeout(void **state)
{
	struct loop *lp = NULL;
	struct http_client *c = NULL;
	struct buf body;
	struct err e;
	char url[64], want[160];

	(void)state;
	/* a port nobody listens on: bind, note it, close */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	close(fd);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", ntohs(a.sin_port));
	assert_int_equal(loop_new(&lp, &e), OD_OK);
	struct http_conn hc = { .server = url };
	assert_int_equal(http_client_new(lp, &hc, NULL, &c, &e), OD_OK);
	buf_init(&body, 1024);
	struct http_request rq = { .path = "/api/v1/pods" };
	assert_int_equal(http_do(c, &rq, &body, NULL, &e), OD_EREFUSED);
	snprintf(want, sizeof(want),
		 "The connection to the server 127.0.0.1:%d was refused - did you specify the right host or port?",
		 ntohs(a.sin_port));
	assert_string_equal(e.msg, want);
	http_client_free(&c);
	loop_free(&lp);

	/* a server that never answers: the request timeout */
	struct env v;
	struct fake_response script[] = { { "", FAKE_HANG, 0 } };
	env_start(&v, script, 1, NULL);
	rq.timeout_ms = 300;
	uint64_t t0 = time_mono_ms();
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_ETIMEDOUT);
	assert_true(time_mono_ms() - t0 < 3000);
	assert_true(strncmp(e.msg, "Unable to connect to the server: ", 33) == 0);
	buf_free(&body);
	env_stop(&v);
}

static void test_caps_and_truncation(void **state)
{
	struct env v;
	struct buf body;
	struct err e;

	(void)state;
	struct fake_response script[] = {
		{ mk("200 OK", "", "0123456789012345678901234567890123456789"), FAKE_KEEP, 0 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"kind\":\"PodList\",", FAKE_CLOSE, 0 },
	};
	env_start(&v, script, 2, NULL);
	buf_init(&body, 1 << 20);
	struct http_request rq = { .path = "/api/v1/pods", .max_body = 10, .no_retry = true };
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_ELIMIT);
	assert_non_null(strstr(e.msg, "larger than the 10-byte limit"));
	rq.max_body = 0;
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "closed the connection mid-response"));
	buf_free(&body);
	env_stop(&v);
	free((char *)script[0].raw);
}

static void test_401_reruns_exec_plugin(void **state)
{
	struct env v;
	struct buf body;
	struct err e;
	char plugin[512], count[128];
	const char *src = getenv("OPSDECK_SRCDIR");

	(void)state;
	snprintf(plugin, sizeof(plugin), "%s/tests/net/exec-plugin.sh", src ? src : OPSDECK_SRCDIR);
	snprintf(count, sizeof(count), "/tmp/opsdeck-test-http-%d.count", (int)getpid());
	unlink(count);
	const char *names[] = { "PLUGIN_COUNT_FILE" };
	const char *values[] = { count };
	struct exec_plugin_config x = { .command = plugin, .env_names = names, .env_values = values,
					.nenv = 1, .api_version = EXEC_API_V1,
					.interactive_mode = "Never" };
	struct auth_config ac = { .exec = &x };
	const char *unauth =
		"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";
	struct fake_response script[] = {
		{ mk("401 Unauthorized", "Content-Type: application/json\r\n", unauth), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{}"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{}"), FAKE_KEEP, 0 },
		/* twice in a row: retried once, then reported */
		{ mk("401 Unauthorized", "Content-Type: application/json\r\n", unauth), FAKE_KEEP, 0 },
		{ mk("401 Unauthorized", "Content-Type: application/json\r\n", unauth), FAKE_KEEP, 0 },
	};
	env_start(&v, script, 5, &ac);
	buf_init(&body, 1024);
	struct http_request rq = { .path = "/api/v1/pods" };
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_OK);
	assert_int_equal(auth_exec_runs(v.auth), 2);
	/* cached: no new run */
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_OK);
	assert_int_equal(auth_exec_runs(v.auth), 2);
	assert_int_equal(http_do(v.c, &rq, &body, NULL, &e), OD_EPERM);
	assert_string_equal(e.msg, "error: You must be logged in to the server (Unauthorized)");
	assert_int_equal(auth_exec_runs(v.auth), 3);
	/* a plugin that cannot run: kubectl's line, and nothing is sent */
	struct env v2;
	struct exec_plugin_config missing = { .command = "/nonexistent/kubelogin",
					      .api_version = EXEC_API_V1,
					      .interactive_mode = "Never" };
	struct auth_config ac2 = { .exec = &missing };
	env_start(&v2, NULL, 0, &ac2);
	assert_int_equal(http_do(v2.c, &rq, &body, NULL, &e), OD_ECONFIG);
	assert_string_equal(e.msg,
			    "Unable to connect to the server: getting credentials: exec: executable /nonexistent/kubelogin not found");
	assert_int_equal(fake_server_requests(&v2.srv), 0);
	env_stop(&v2);

	char *log = fake_server_log(&v.srv);
	assert_string_equal(log, "GET /api/v1/pods HTTP/1.1 auth=Bearer tok-1\n"
				 "GET /api/v1/pods HTTP/1.1 auth=Bearer tok-2\n"
				 "GET /api/v1/pods HTTP/1.1 auth=Bearer tok-2\n"
				 "GET /api/v1/pods HTTP/1.1 auth=Bearer tok-2\n"
				 "GET /api/v1/pods HTTP/1.1 auth=Bearer tok-3\n");
	free(log);
	buf_free(&body);
	env_stop(&v);
	unlink(count);
	for (int i = 0; i < 5; i++)
		free((char *)script[i].raw);
}

struct stream_sink {
	struct buf got;
	bool done;
	enum od_status status;
	long code;
	char msg[ERR_MSG_MAX];
};

static enum od_status sink_data(const char *p, size_t n, void *arg, struct err *e)
{
	struct stream_sink *s = arg;
	return buf_append(&s->got, p, n, e);
}

static void sink_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct stream_sink *s = arg;

	(void)call;
	s->done = true;
	s->status = res->status;
	s->code = res->code;
	snprintf(s->msg, sizeof(s->msg), "%s", res->err ? res->err->msg : "");
}

static void test_streaming(void **state)
{
	struct env v;
	struct err e;
	struct stream_sink s = { 0 };

	(void)state;
	struct fake_response script[] = {
		{ mk_stream("{\"type\":\"ADDED\"}\n{\"type\":"), FAKE_CLOSE, 0 },
		{ mk("410 Gone", "Content-Type: application/json\r\n",
		     "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"too old resource version: 1 (9)\",\"reason\":\"Expired\",\"code\":410}"),
		  FAKE_KEEP, 0 },
	};
	env_start(&v, script, 2, NULL);
	buf_init(&s.got, 1 << 20);
	struct http_request rq = { .path = "/api/v1/pods?watch=true", .on_data = sink_data,
				   .on_done = sink_done, .arg = &s };
	assert_int_equal(http_start(v.c, &rq, NULL, &e), OD_OK);
	assert_int_equal(http_client_pending(v.c), 1);
	while (!s.done)
		assert_int_equal(loop_run_once(v.lp, 1000, &e), OD_OK);
	assert_int_equal(s.status, OD_OK);
	assert_string_equal(buf_cstr(&s.got), "{\"type\":\"ADDED\"}\n{\"type\":");
	assert_int_equal(http_client_pending(v.c), 0);

	/* an error status is never streamed: it is a Status for the message */
	buf_reset(&s.got);
	s.done = false;
	assert_int_equal(http_start(v.c, &rq, NULL, &e), OD_OK);
	while (!s.done)
		assert_int_equal(loop_run_once(v.lp, 1000, &e), OD_OK);
	assert_int_equal(s.code, 410);
	assert_int_equal(s.got.len, 0);
	assert_string_equal(s.msg, "Error from server (Expired): too old resource version: 1 (9)");
	buf_free(&s.got);
	env_stop(&v);
	free((char *)script[0].raw);
	free((char *)script[1].raw);
}

/* ---- the informer ---- */

struct cache {
	char names[16][32];
	bool seen[16];
	int n;
	int begins, ends, adds, mods, dels, errors;
	char last_error[ERR_MSG_MAX];
};

static int cache_find(struct cache *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->names[i], name) == 0)
			return i;
	return -1;
}

static void cache_begin(void *arg)
{
	struct cache *c = arg;
	c->begins++;
	for (int i = 0; i < c->n; i++)
		c->seen[i] = false;
}

static enum od_status cache_object(void *arg, enum watch_type type, const cJSON *obj,
				   struct err *e)
{
	struct cache *c = arg;
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(md, "name");

	if (!cJSON_IsString(name))
		return err_set(e, OD_EPARSE, "object without a name");
	int i = cache_find(c, name->valuestring);
	if (type == WATCH_DELETED) {
		c->dels++;
		if (i >= 0) {
			c->n--;
			memmove(&c->names[i], &c->names[i + 1], sizeof(c->names[0]) * (size_t)(c->n - i));
			memmove(&c->seen[i], &c->seen[i + 1], sizeof(c->seen[0]) * (size_t)(c->n - i));
		}
		return OD_OK;
	}
	type == WATCH_ADDED ? c->adds++ : c->mods++;
	if (i < 0 && c->n < 16) {
		i = c->n++;
		snprintf(c->names[i], sizeof(c->names[i]), "%s", name->valuestring);
	}
	if (i >= 0)
		c->seen[i] = true;
	return OD_OK;
}

static void cache_end(void *arg)
{
	struct cache *c = arg;
	c->ends++;
	for (int i = 0; i < c->n;) {
		if (c->seen[i]) {
			i++;
			continue;
		}
		c->n--;
		memmove(&c->names[i], &c->names[i + 1], sizeof(c->names[0]) * (size_t)(c->n - i));
		memmove(&c->seen[i], &c->seen[i + 1], sizeof(c->seen[0]) * (size_t)(c->n - i));
	}
}

static void cache_error(void *arg, const struct err *e)
{
	struct cache *c = arg;
	c->errors++;
	snprintf(c->last_error, sizeof(c->last_error), "%s", e->msg);
}

#define POD(name, rv) "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"ns\",\"resourceVersion\":\"" rv "\"}}"
#define EV(type, name, rv) "{\"type\":\"" type "\",\"object\":" POD(name, rv) "}\n"

static void test_informer_cycle(void **state)
{
	struct env v;
	struct err e;
	struct informer *inf = NULL;
	struct cache c = { 0 };

	(void)state;
	struct fake_response script[] = {
		/* 1-2: a LIST in two pages */
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"continue\":\"c1\"},\"items\":[" POD("a", "5") "]}"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[" POD("b", "6") "]}"), FAKE_KEEP, 0 },
		/* 3: WATCH from 10: an event and a bookmark, then the server ends it */
		{ mk_stream(EV("ADDED", "c", "11") "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"15\"}}}\r\n"), FAKE_CLOSE, 0 },
		/* 4: resumed from 15 without a LIST; then an in-stream 410 */
		{ mk_stream(EV("MODIFIED", "a", "16") EV("DELETED", "b", "17")
			    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"too old resource version: 17 (40)\",\"reason\":\"Expired\",\"code\":410}}\n"
			    EV("ADDED", "never", "18")), FAKE_CLOSE, 0 },
		/* 5: the relist: b is gone, c stays */
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"20\"},\"items\":[" POD("a", "16") "," POD("c", "11") "]}"), FAKE_KEEP, 0 },
		/* 6: WATCH answered with an HTTP 410 */
		{ mk("410 Gone", "Content-Type: application/json\r\n", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"too old resource version: 20 (50)\",\"reason\":\"Expired\",\"code\":410}"), FAKE_KEEP, 0 },
		/* 7: LIST again */
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"30\"},\"items\":[" POD("a", "16") "]}"), FAKE_KEEP, 0 },
		/* 8: a watch cut mid-event: resume from 31 after a backoff */
		{ mk_stream(EV("ADDED", "d", "31") "{\"type\":\"ADDED\",\"object\":{\"meta"), FAKE_CLOSE, 0 },
		/* 9: the resumed watch goes on */
		{ mk_stream(EV("DELETED", "d", "32")), FAKE_HANG, 0 },
	};
	env_start(&v, script, 9, NULL);
	struct informer_config cfg = { .res = api_resource_lookup("pods", NULL),
				       .namespace_ = "ns", .label_selector = "app=web",
				       .backoff_base_ms = 10 };
	struct informer_ops ops = { .list_begin = cache_begin, .on_object = cache_object,
				    .list_end = cache_end, .on_error = cache_error };
	assert_int_equal(informer_new(v.c, &cfg, &ops, &c, &inf, &e), OD_OK);
	assert_int_equal(informer_start(inf, &e), OD_OK);
	const struct informer_stats *st = informer_stats(inf);
	uint64_t deadline = time_mono_ms() + 10000;
	while (fake_server_requests(&v.srv) < 9 || c.dels < 2) {
		assert_true(time_mono_ms() < deadline);
		assert_int_equal(loop_run_once(v.lp, 50, &e), OD_OK);
	}
	assert_int_equal(st->lists, 3);
	assert_int_equal(st->pages, 4);
	assert_int_equal(st->expired, 2);
	assert_int_equal(st->watches, 5);
	assert_int_equal(st->bookmarks, 1);
	assert_string_equal(st->resource_version, "32");
	assert_true(st->synced);
	assert_int_equal(c.begins, 3);
	assert_int_equal(c.ends, 3);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.names[0], "a");
	assert_int_equal(c.errors, 1);
	assert_non_null(strstr(c.last_error, "truncated event"));

	char *log = fake_server_log(&v.srv);
	const char *want =
		"GET /api/v1/namespaces/ns/pods?labelSelector=app%3Dweb&limit=500 HTTP/1.1 auth=\n"
		"GET /api/v1/namespaces/ns/pods?continue=c1&labelSelector=app%3Dweb&limit=500 HTTP/1.1 auth=\n"
		"GET /api/v1/namespaces/ns/pods?allowWatchBookmarks=true&labelSelector=app%3Dweb&resourceVersion=10&timeoutSeconds=";
	assert_true(strncmp(log, want, strlen(want)) == 0);
	assert_non_null(strstr(log, "&resourceVersion=15&timeoutSeconds="));
	assert_non_null(strstr(log, "&resourceVersion=20&timeoutSeconds="));
	assert_non_null(strstr(log, "&resourceVersion=31&timeoutSeconds="));
	/* the watch after the in-stream 410 is a LIST without resourceVersion */
	assert_non_null(strstr(log, "&watch=true HTTP/1.1 auth=\nGET /api/v1/namespaces/ns/pods?labelSelector=app%3Dweb&limit=500 HTTP"));
	free(log);
	informer_free(&inf);
	assert_null(inf);
	env_stop(&v);
	for (int i = 0; i < 9; i++)
		free((char *)script[i].raw);
}

static void test_informer_bad_list(void **state)
{
	struct env v;
	struct err e;
	struct informer *inf = NULL;
	struct cache c = { 0 };

	(void)state;
	struct fake_response script[] = {
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"a\"}"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"a\"}}]]]]}"), FAKE_KEEP, 0 },
		{ mk("403 Forbidden", "Content-Type: application/json\r\n", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods is forbidden: User \\\"sim-view\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" at the cluster scope\",\"reason\":\"Forbidden\",\"code\":403}"), FAKE_KEEP, 0 },
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[" POD("a", "2") "]}"), FAKE_KEEP, 0 },
		{ mk_stream(""), FAKE_HANG, 0 },
	};
	env_start(&v, script, 5, NULL);
	struct informer_config cfg = { .res = api_resource_lookup("po", NULL), .backoff_base_ms = 5 };
	struct informer_ops ops = { .on_object = cache_object, .on_error = cache_error };
	assert_int_equal(informer_new(v.c, &cfg, &ops, &c, &inf, &e), OD_OK);
	assert_int_equal(informer_start(inf, &e), OD_OK);
	uint64_t deadline = time_mono_ms() + 10000;
	while (!informer_stats(inf)->synced || c.errors < 3) {
		assert_true(time_mono_ms() < deadline);
		assert_int_equal(loop_run_once(v.lp, 50, &e), OD_OK);
		if (c.errors == 1)
			assert_non_null(strstr(c.last_error, "error: LIST pods: truncated JSON from the server"));
		if (c.errors == 2)
			assert_non_null(strstr(c.last_error, "error: LIST pods: malformed JSON from the server at byte"));
	}
	assert_string_equal(c.last_error,
			    "Error from server (Forbidden): pods is forbidden: User \"sim-view\" cannot list resource \"pods\" in API group \"\" at the cluster scope");
	assert_int_equal(c.n, 1);
	informer_free(&inf);
	env_stop(&v);
	for (int i = 0; i < 5; i++)
		free((char *)script[i].raw);
}

static void check_split(const char *server, const char *sni, const char *base,
			const char *connect_to, const char *hostport)
{
	char b[256], c[256], h[256];
	struct err e;

	assert_int_equal(http_server_split(server, sni, b, sizeof(b), c, sizeof(c), h, sizeof(h), &e),
			 OD_OK);
	assert_string_equal(b, base);
	assert_string_equal(c, connect_to);
	assert_string_equal(h, hostport);
}

static void test_server_split(void **state)
{
	char b[256], c[256], h[256];
	struct err e;

	(void)state;
	check_split("https://10.0.0.1:6443", NULL, "https://10.0.0.1:6443", "", "10.0.0.1:6443");
	check_split("https://api.example.org", NULL, "https://api.example.org:443", "",
		    "api.example.org");
	check_split("http://127.0.0.1:8080/", NULL, "http://127.0.0.1:8080", "", "127.0.0.1:8080");
	/* tls-server-name: the URL names it, CONNECT_TO routes it to the real address */
	check_split("https://10.0.0.1:6443/k8s/clusters/c-1/", "kubernetes.default",
		    "https://kubernetes.default:6443/k8s/clusters/c-1",
		    "kubernetes.default:6443:10.0.0.1:6443", "10.0.0.1:6443");
	check_split("https://[::1]:6443", "api.internal", "https://api.internal:6443",
		    "api.internal:6443:[::1]:6443", "[::1]:6443");
	assert_int_equal(http_server_split("ftp://x", NULL, b, sizeof(b), c, sizeof(c), h, sizeof(h),
					   &e),
			 OD_ECONFIG);
	assert_int_equal(http_server_split("", NULL, b, sizeof(b), c, sizeof(c), h, sizeof(h), &e),
			 OD_ECONFIG);
}

#define CPOD(name, rv, phase) \
	"{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"ns\",\"resourceVersion\":\"" rv "\"," \
	"\"creationTimestamp\":\"2026-11-22T10:00:00Z\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}," \
	"\"status\":{\"phase\":\"" phase "\"}}"

static void test_podcache(void **state)
{
	struct env v;
	struct err e;
	struct podcache *pc = NULL;

	(void)state;
	struct fake_response script[] = {
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":["
				  CPOD("web-1", "5", "Pending") "," CPOD("web-0", "6", "Running") "," CPOD("db-0", "7", "Running") "]}"),
		  FAKE_KEEP, 0 },
		{ mk_stream("{\"type\":\"MODIFIED\",\"object\":" CPOD("web-1", "11", "Running") "}\n"
			    "{\"type\":\"DELETED\",\"object\":" CPOD("db-0", "12", "Running") "}\n"
			    "{\"type\":\"ADDED\",\"object\":" CPOD("api-0", "13", "Pending") "}\n"
			    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":\"too old\"}}\n"),
		  FAKE_CLOSE, 0 },
		/* the relist: api-0 is gone, web-0 changed */
		{ mk("200 OK", "", "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"20\"},\"items\":["
				  CPOD("web-1", "11", "Running") "," CPOD("web-0", "19", "Failed") "]}"),
		  FAKE_KEEP, 0 },
		{ mk_stream(""), FAKE_HANG, 0 },
	};
	env_start(&v, script, 4, NULL);
	struct podcache_config cfg = { .namespace_ = "ns", .backoff_base_ms = 5 };
	assert_int_equal(podcache_new(v.c, &cfg, &pc, &e), OD_OK);
	assert_int_equal(podcache_start(pc, &e), OD_OK);
	uint64_t deadline = time_mono_ms() + 10000;
	while (podcache_stats(pc)->lists < 2) {
		assert_true(time_mono_ms() < deadline);
		assert_int_equal(loop_run_once(v.lp, 50, &e), OD_OK);
	}
	assert_int_equal(podcache_count(pc), 2);
	assert_null(podcache_get(pc, "ns", "api-0"));
	assert_null(podcache_get(pc, "ns", "db-0"));
	const struct pod *p = podcache_get(pc, "ns", "web-0");
	assert_non_null(p);
	assert_string_equal(p->phase, "Failed");
	assert_string_equal(p->resource_version, "19");
	assert_int_equal(p->ncontainers, 1);
	assert_true(podcache_generation(pc) >= 8);

	const struct pod **sorted = NULL;
	size_t n = 0;
	assert_int_equal(podcache_sorted(pc, &sorted, &n, &e), OD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(sorted[0]->name, "web-0");
	assert_string_equal(sorted[1]->name, "web-1");
	free(sorted);
	podcache_free(&pc);
	assert_null(pc);
	env_stop(&v);
	for (int i = 0; i < 4; i++)
		free((char *)script[i].raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_split),
		cmocka_unit_test(test_get_ok_and_server_clock),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_retry_within_request_timeout),
		cmocka_unit_test(test_connection_reset_get_only),
		cmocka_unit_test(test_refused_and_timeout),
		cmocka_unit_test(test_caps_and_truncation),
		cmocka_unit_test(test_401_reruns_exec_plugin),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_informer_cycle),
		cmocka_unit_test(test_informer_bad_list),
		cmocka_unit_test(test_podcache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
