/*
 * http.c: the libcurl multi handle in the core event loop (http.h).
 *
 * curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION ->
 * loop_fd_*) and when to wake it (CURLMOPT_TIMERFUNCTION -> loop_timer_*);
 * the loop's callbacks call curl_multi_socket_action and then collect
 * finished transfers. A finished transfer is either retried (a loop timer
 * re-adds the same easy handle) or reported through the call's on_done.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "opsdeck/backoff.h"
#include "opsdeck/http.h"
#include "opsdeck/log.h"
#include "opsdeck/timeutil.h"

#define HTTP_URL_MAX 2048
#define HTTP_USER_AGENT "opsdeck/" PACKAGE_VERSION

struct http_call {
	struct http_client *client;   /* borrowed */
	struct http_call *next;       /* the client's list */
	CURL *easy;                   /* owned */
	struct curl_slist *headers;   /* owned */
	struct curl_slist *connect_to;/* owned */
	char *method;                 /* owned */
	char *path;                   /* owned, for messages */
	char *body;                   /* owned copy of the request body */
	size_t body_len;
	char *accept, *content_type;  /* owned */
	long timeout_ms;
	uint64_t deadline_ms;         /* monotonic end of the whole request, retries included; 0: none */
	bool no_retry;
	struct buf resp;              /* the buffered body */
	http_data_cb on_data;
	http_done_cb on_done;
	void *arg;
	/* per attempt */
	long code;                    /* status of the current response, once headers end */
	char retry_after[32];
	char content_type_resp[128];
	bool delivered;               /* on_data has seen bytes: no more retries */
	bool aborted;                 /* on_data or a cap stopped the transfer */
	struct err abort_err;
	char errbuf[CURL_ERROR_SIZE];
	/* across attempts */
	unsigned attempt;
	bool auth_retried;
	uint64_t auth_gen;
	uint64_t retry_timer;         /* loop timer id while waiting for a retry; 0 otherwise */
	bool in_multi;
};

struct http_client {
	struct loop *lp;              /* borrowed */
	struct auth *auth;            /* borrowed; may be NULL */
	CURLM *multi;                 /* owned */
	uint64_t curl_timer;          /* loop timer id for curl's timeout; 0 = none */
	struct http_call *calls;      /* owned list */
	struct api_clock clock;
	char base[HTTP_URL_MAX];      /* scheme://host:port/prefix without trailing '/' */
	char connect_to[HTTP_URL_MAX];
	char hostport[512];
	bool insecure;
	struct curl_blob ca, cert, key;   /* owned copies */
	char *proxy;                  /* owned */
	char *noproxy;                /* owned */
	bool compression;
	long request_timeout_ms;
};

static bool curl_ready;

static enum od_status curl_init_once(struct err *e)
{
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return err_set(e, OD_ENET, "libcurl failed to initialise");
		curl_ready = true;
	}
	return OD_OK;
}

/* ---- loop glue ---- */

static void process_done(struct http_client *c);

static void on_fd(struct loop *lp, int fd, short revents, void *arg)
{
	struct http_client *c = arg;
	int flags = 0, running = 0;

	(void)lp;
	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(c->multi, fd, flags, &running);
	process_done(c);
}

static void on_curl_timer(struct loop *lp, uint64_t id, void *arg)
{
	struct http_client *c = arg;
	int running = 0;

	(void)lp;
	if (c->curl_timer == id)
		c->curl_timer = 0;
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	process_done(c);
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http_client *c = userp;
	short events = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_fd_remove(c->lp, s);
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= POLLIN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= POLLOUT;
	if (loop_fd_modify(c->lp, s, events) == OD_ENOENT &&
	    loop_fd_add(c->lp, s, events, on_fd, c, NULL) != OD_OK)
		return -1;
	return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http_client *c = userp;

	(void)multi;
	if (c->curl_timer) {
		loop_timer_cancel(c->lp, c->curl_timer);
		c->curl_timer = 0;
	}
	if (timeout_ms >= 0) {
		c->curl_timer = loop_timer_add(c->lp, (uint64_t)timeout_ms, 0, on_curl_timer, c);
		if (!c->curl_timer)
			return -1;
	}
	return 0;
}

/* ---- server URL ---- */

enum od_status http_server_split(const char *server, const char *tls_server_name,
				 char *base, size_t nbase, char *connect_to, size_t nconnect,
				 char *hostport, size_t nhostport, struct err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *given_port = NULL;
	enum od_status rc = OD_OK;

	if (!u)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (!server || !server[0] ||
	    curl_url_set(u, CURLUPART_URL, server, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		rc = err_set(e, OD_ECONFIG, "error: invalid server URL \"%s\"", server ? server : "");
		goto out;
	}
	if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0) {
		rc = err_set(e, OD_ECONFIG, "error: unsupported scheme in server URL \"%s\"", server);
		goto out;
	}
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_PORT, &given_port, 0);
	size_t plen = path ? strlen(path) : 0;
	while (plen > 0 && path[plen - 1] == '/')
		plen--;
	const char *name = tls_server_name && tls_server_name[0] ? tls_server_name : host;
	bool v6 = strchr(name, ':') && name[0] != '[';
	snprintf(base, nbase, "%s://%s%s%s:%s%.*s", scheme, v6 ? "[" : "", name, v6 ? "]" : "",
		 port, (int)plen, path ? path : "");
	if (name != host)
		snprintf(connect_to, nconnect, "%s%s%s:%s:%s:%s", v6 ? "[" : "", name, v6 ? "]" : "",
			 port, host, port);
	else if (nconnect)
		connect_to[0] = '\0';
	if (given_port)
		snprintf(hostport, nhostport, "%s:%s", host, given_port);
	else
		snprintf(hostport, nhostport, "%s", host);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(given_port);
	curl_url_cleanup(u);
	return rc;
}

/* ---- client ---- */

static enum od_status blob_copy(struct curl_blob *b, const unsigned char *p, size_t n,
				struct err *e)
{
	b->data = NULL;
	b->len = 0;
	b->flags = CURL_BLOB_NOCOPY;
	if (!p || n == 0)
		return OD_OK;
	b->data = malloc(n);
	if (!b->data)
		return err_set(e, OD_ENOMEM, "out of memory");
	memcpy(b->data, p, n);
	b->len = n;
	return OD_OK;
}

static void blob_free(struct curl_blob *b)
{
	if (b->data)
		memset(b->data, 0, b->len);
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

/* Go's http client never proxies loopback; curl would, so say so. */
static char *make_noproxy(void)
{
	const char *env = getenv("NO_PROXY");
	char *s;

	if (!env || !env[0])
		env = getenv("no_proxy");
	size_t n = (env ? strlen(env) : 0) + 64;
	s = malloc(n);
	if (s)
		snprintf(s, n, "%s%slocalhost,127.0.0.1,::1", env && env[0] ? env : "",
			 env && env[0] ? "," : "");
	return s;
}

static void default_warn(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s\n", msg);
}

enum od_status http_client_new(struct loop *lp, const struct http_conn *conn, struct auth *auth,
			       struct http_client **out, struct err *e)
{
	struct http_client *c = NULL;
	enum od_status rc;

	*out = NULL;
	if ((rc = curl_init_once(e)) != OD_OK)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	c->lp = lp;
	c->auth = auth;
	rc = http_server_split(conn->server, conn->tls_server_name, c->base, sizeof(c->base),
			       c->connect_to, sizeof(c->connect_to), c->hostport,
			       sizeof(c->hostport), e);
	if (rc != OD_OK)
		goto fail;
	if ((rc = blob_copy(&c->ca, conn->ca_data, conn->ca_len, e)) != OD_OK ||
	    (rc = blob_copy(&c->cert, conn->cert_data, conn->cert_len, e)) != OD_OK ||
	    (rc = blob_copy(&c->key, conn->key_data, conn->key_len, e)) != OD_OK)
		goto fail;
	if (conn->proxy_url && conn->proxy_url[0]) {
		size_t n = strlen(conn->proxy_url) + 2;
		c->proxy = malloc(n);
		if (!c->proxy) {
			rc = err_set(e, OD_ENOMEM, "out of memory");
			goto fail;
		}
		/* Go's SOCKS5 dialer lets the proxy resolve names: curl calls that socks5h */
		if (strncasecmp(conn->proxy_url, "socks5://", 9) == 0)
			snprintf(c->proxy, n, "socks5h://%s", conn->proxy_url + 9);
		else
			snprintf(c->proxy, n, "%s", conn->proxy_url);
	} else {
		c->noproxy = make_noproxy();
	}
	c->insecure = conn->insecure;
	c->compression = !conn->disable_compression;
	c->request_timeout_ms = conn->request_timeout_ms;
	c->multi = curl_multi_init();
	if (!c->multi) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto fail;
	}
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	if (conn->insecure) {
		char msg[600];
		snprintf(msg, sizeof(msg),
			 "Warning: insecure-skip-tls-verify is set%s%s%s: the server's certificate is not checked, so this connection can be intercepted",
			 conn->cluster_name ? " for cluster \"" : "",
			 conn->cluster_name ? conn->cluster_name : "",
			 conn->cluster_name ? "\"" : "");
		(conn->warn ? conn->warn : default_warn)(msg, conn->warn_arg);
		LOG_WARN("http", "%s", msg);
	}
	*out = c;
	return OD_OK;
fail:
	http_client_free(&c);
	return rc;
}

static void call_free(struct http_call **p)
{
	struct http_call *call = *p;

	if (!call)
		return;
	if (call->retry_timer)
		loop_timer_cancel(call->client->lp, call->retry_timer);
	if (call->in_multi)
		curl_multi_remove_handle(call->client->multi, call->easy);
	curl_easy_cleanup(call->easy);
	curl_slist_free_all(call->headers); /* holds the bearer token: */
	curl_slist_free_all(call->connect_to);
	free(call->method);
	free(call->path);
	if (call->body)
		memset(call->body, 0, call->body_len);
	free(call->body);
	free(call->accept);
	free(call->content_type);
	buf_free(&call->resp);
	free(call);
	*p = NULL;
}

static void call_unlink(struct http_call *call)
{
	struct http_call **pp = &call->client->calls;

	while (*pp && *pp != call)
		pp = &(*pp)->next;
	if (*pp)
		*pp = call->next;
}

void http_client_free(struct http_client **p)
{
	struct http_client *c = *p;

	if (!c)
		return;
	while (c->calls) {
		struct http_call *call = c->calls;
		c->calls = call->next;
		call_free(&call);
	}
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->curl_timer)
		loop_timer_cancel(c->lp, c->curl_timer);
	blob_free(&c->ca);
	blob_free(&c->cert);
	blob_free(&c->key);
	free(c->proxy);
	free(c->noproxy);
	free(c);
	*p = NULL;
}

const struct api_clock *http_client_clock(const struct http_client *c)
{
	return &c->clock;
}

struct loop *http_client_loop(const struct http_client *c)
{
	return c->lp;
}

const char *http_client_hostport(const struct http_client *c)
{
	return c->hostport;
}

size_t http_client_pending(const struct http_client *c)
{
	size_t n = 0;

	for (const struct http_call *call = c->calls; call; call = call->next)
		n++;
	return n;
}

/* ---- per-request callbacks ---- */

static bool header_is(const char *line, size_t n, const char *name, const char **value,
		      size_t *vlen)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return false;
	const char *v = line + k + 1;
	const char *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	*value = v;
	*vlen = (size_t)(end - v);
	return true;
}

static size_t header_cb(char *p, size_t size, size_t nmemb, void *userp)
{
	struct http_call *call = userp;
	size_t n = size * nmemb;
	const char *v;
	size_t vlen;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new response (after a 100 Continue, say): forget the last one's headers */
		call->retry_after[0] = '\0';
		call->content_type_resp[0] = '\0';
	} else if (header_is(p, n, "Retry-After", &v, &vlen)) {
		snprintf(call->retry_after, sizeof(call->retry_after), "%.*s", (int)vlen, v);
	} else if (header_is(p, n, "Content-Type", &v, &vlen)) {
		snprintf(call->content_type_resp, sizeof(call->content_type_resp), "%.*s",
			 (int)vlen, v);
	} else if (header_is(p, n, "Date", &v, &vlen)) {
		char date[64];
		struct od_time t;
		snprintf(date, sizeof(date), "%.*s", (int)vlen, v);
		if (time_parse_http_date(date, &t, NULL) == OD_OK)
			api_clock_observe(&call->client->clock, t, time_now());
	} else if (n <= 2) {
		long code = 0;
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200)
			call->code = code;
	}
	return n;
}

static size_t write_cb(char *p, size_t size, size_t nmemb, void *userp)
{
	struct http_call *call = userp;
	size_t n = size * nmemb;

	if (!call->code)
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &call->code);
	if (call->on_data && call->code >= 200 && call->code < 300) {
		call->delivered = true;
		if (call->on_data(p, n, call->arg, &call->abort_err) != OD_OK) {
			call->aborted = true;
			return 0;
		}
		return n;
	}
	if (buf_append(&call->resp, p, n, NULL) != OD_OK) {
		call->aborted = true;
		err_set(&call->abort_err, OD_ELIMIT,
			"error: %s %s: the response is larger than the %zu-byte limit",
			call->method, call->path, call->resp.max);
		return 0;
	}
	return n;
}

/* ---- building a request ---- */

static enum od_status apply_auth(struct http_call *call, struct err *e)
{
	struct http_client *c = call->client;
	struct auth_cred cred;
	enum od_status rc;

	curl_slist_free_all(call->headers);
	call->headers = NULL;
	size_t alen = strlen(call->accept) + 16;
	char *accept = malloc(alen);
	if (!accept)
		return err_set(e, OD_ENOMEM, "out of memory");
	snprintf(accept, alen, "Accept: %s", call->accept);
	call->headers = curl_slist_append(call->headers, accept);
	free(accept);
	call->headers = curl_slist_append(call->headers, "Expect:");
	if (call->body) {
		size_t clen = strlen(call->content_type) + 16;
		char *ct = malloc(clen);
		if (!ct)
			return err_set(e, OD_ENOMEM, "out of memory");
		snprintf(ct, clen, "Content-Type: %s", call->content_type);
		call->headers = curl_slist_append(call->headers, ct);
		free(ct);
	}
	if (!call->headers)
		return err_set(e, OD_ENOMEM, "out of memory");

	curl_easy_setopt(call->easy, CURLOPT_SSLCERT_BLOB, c->cert.data ? &c->cert : NULL);
	curl_easy_setopt(call->easy, CURLOPT_SSLKEY_BLOB, c->key.data ? &c->key : NULL);
	if (!c->auth)
		goto done;
	rc = auth_get(c->auth, &cred, e);
	if (rc != OD_OK) {
		/* kubectl: "Unable to connect to the server: getting credentials: exec: ..." */
		char detail[ERR_MSG_MAX];
		snprintf(detail, sizeof(detail), "%s", e ? e->msg : "getting credentials failed");
		return status_error_unreachable(rc, detail, e);
	}
	call->auth_gen = cred.generation;
	if (cred.token) {
		size_t tlen = strlen(cred.token) + 32;
		char *hdr = malloc(tlen);
		if (!hdr)
			return err_set(e, OD_ENOMEM, "out of memory");
		snprintf(hdr, tlen, "Authorization: Bearer %s", cred.token);
		call->headers = curl_slist_append(call->headers, hdr);
		memset(hdr, 0, tlen);
		free(hdr);
	} else if (cred.username) {
		curl_easy_setopt(call->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(call->easy, CURLOPT_USERNAME, cred.username);
		curl_easy_setopt(call->easy, CURLOPT_PASSWORD, cred.password);
	}
	if (cred.cert_pem && cred.key_pem) {
		/* a plugin's certificate replaces the kubeconfig's; curl copies the blobs */
		struct curl_blob cb = { (void *)cred.cert_pem, cred.cert_len, CURL_BLOB_COPY };
		struct curl_blob kb = { (void *)cred.key_pem, cred.key_len, CURL_BLOB_COPY };
		curl_easy_setopt(call->easy, CURLOPT_SSLCERT_BLOB, &cb);
		curl_easy_setopt(call->easy, CURLOPT_SSLKEY_BLOB, &kb);
	}
done:
	if (!call->headers)
		return err_set(e, OD_ENOMEM, "out of memory");
	curl_easy_setopt(call->easy, CURLOPT_HTTPHEADER, call->headers);
	return OD_OK;
}

static enum od_status setup_easy(struct http_call *call, struct err *e)
{
	struct http_client *c = call->client;
	char url[HTTP_URL_MAX + 4096];
	CURL *h = call->easy;

	if (snprintf(url, sizeof(url), "%s%s", c->base, call->path) >= (int)sizeof(url))
		return err_set(e, OD_EINVAL, "error: request path too long");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	/*
	 * Waiting to share a connection pays only where ALPN can offer HTTP/2.
	 * Over plain http (opsdeck-sim, kubectl proxy) libcurl 7.88 holds a
	 * second request behind a busy HTTP/1.1 connection until it is free,
	 * so a second log stream or watch would never start.
	 */
	curl_easy_setopt(h, CURLOPT_PIPEWAIT, strncmp(c->base, "https:", 6) == 0 ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	if (c->compression)
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, call->errbuf);
	curl_easy_setopt(h, CURLOPT_PRIVATE, call);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, call);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, call);
	long connect_ms = HTTP_CONNECT_TIMEOUT_MS;
	if (call->deadline_ms) {
		/* --request-timeout bounds the whole request, retries included, as a Go context does */
		uint64_t now = time_mono_ms();
		long left = call->deadline_ms > now ? (long)(call->deadline_ms - now) : 1;
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, left);
		if (left < connect_ms)
			connect_ms = left;
	}
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	if (strcmp(call->method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call->method);
	if (call->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, call->body);
	}
	if (c->ca.data)
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &c->ca);
	if (c->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->connect_to[0]) {
		/* setup runs again for every retry */
		curl_slist_free_all(call->connect_to);
		call->connect_to = curl_slist_append(NULL, c->connect_to);
		if (!call->connect_to)
			return err_set(e, OD_ENOMEM, "out of memory");
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, call->connect_to);
	}
	if (c->proxy)
		curl_easy_setopt(h, CURLOPT_PROXY, c->proxy);
	else if (c->noproxy)
		curl_easy_setopt(h, CURLOPT_NOPROXY, c->noproxy);
	return apply_auth(call, e);
}

static char *dup_or(const char *s, const char *dflt)
{
	return strdup(s ? s : dflt);
}

static enum od_status call_add(struct http_call *call, struct err *e)
{
	call->code = 0;
	call->retry_after[0] = '\0';
	call->content_type_resp[0] = '\0';
	call->errbuf[0] = '\0';
	call->aborted = false;
	buf_reset(&call->resp);
	if (curl_multi_add_handle(call->client->multi, call->easy) != CURLM_OK)
		return err_set(e, OD_ENET, "error: could not start the request");
	call->in_multi = true;
	return OD_OK;
}

enum od_status http_start(struct http_client *c, const struct http_request *rq,
			  struct http_call **out, struct err *e)
{
	struct http_call *call;
	enum od_status rc;

	if (out)
		*out = NULL;
	if (!rq->path || rq->path[0] != '/' || !rq->on_done)
		return err_set(e, OD_EINVAL, "error: bad request (path must start with /)");
	call = calloc(1, sizeof(*call));
	if (!call)
		return err_set(e, OD_ENOMEM, "out of memory");
	call->client = c;
	call->easy = curl_easy_init();
	call->method = dup_or(rq->method, "GET");
	call->path = strdup(rq->path);
	call->accept = dup_or(rq->accept, "application/json");
	call->content_type = dup_or(rq->content_type, "application/json");
	if (rq->body) {
		call->body = malloc(rq->body_len + 1);
		if (call->body) {
			memcpy(call->body, rq->body, rq->body_len);
			call->body[rq->body_len] = '\0';
			call->body_len = rq->body_len;
		}
	}
	if (!call->easy || !call->method || !call->path || !call->accept || !call->content_type ||
	    (rq->body && !call->body)) {
		call_free(&call);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	call->timeout_ms = rq->timeout_ms == 0 ? (rq->on_data ? 0 : c->request_timeout_ms)
					       : (rq->timeout_ms < 0 ? 0 : rq->timeout_ms);
	if (call->timeout_ms > 0)
		call->deadline_ms = time_mono_ms() + (uint64_t)call->timeout_ms;
	call->no_retry = rq->no_retry;
	buf_init(&call->resp, rq->on_data ? HTTP_ERROR_BODY_MAX
					  : (rq->max_body ? rq->max_body : HTTP_BODY_MAX));
	call->on_data = rq->on_data;
	call->on_done = rq->on_done;
	call->arg = rq->arg;
	rc = setup_easy(call, e);
	if (rc == OD_OK)
		rc = call_add(call, e);
	if (rc != OD_OK) {
		call_free(&call);
		return rc;
	}
	call->next = c->calls;
	c->calls = call;
	if (out)
		*out = call;
	return OD_OK;
}

void http_cancel(struct http_client *c, struct http_call **call)
{
	(void)c;
	if (!*call)
		return;
	call_unlink(*call);
	call_free(call);
}

/* ---- completion ---- */

/*
 * client-go retries GETs on "connection reset", probable EOF and a lost HTTP/2
 * connection; not on refusal, and not on TLS failures (a recv error that is a
 * TLS alert is not a reset).
 */
static bool is_conn_reset(CURL *easy, CURLcode cc)
{
	long oserr = 0;

	curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &oserr);
	switch (cc) {
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return oserr == ECONNRESET || oserr == EPIPE || oserr == ECONNABORTED;
	default:
		return false;
	}
}

static void on_retry_timer(struct loop *lp, uint64_t id, void *arg)
{
	struct http_call *call = arg;
	struct err e;

	(void)lp;
	(void)id;
	call->retry_timer = 0;
	if (setup_easy(call, &e) != OD_OK || call_add(call, &e) != OD_OK) {
		struct http_result res = { .status = e.status, .err = &e, .body = &call->resp,
					   .retries = call->attempt };
		call_unlink(call);
		call->on_done(call, &res, call->arg);
		call_free(&call);
	}
}

static bool schedule_retry(struct http_call *call, uint64_t delay_ms)
{
	call->attempt++;
	call->retry_timer = loop_timer_add(call->client->lp, delay_ms, 0, on_retry_timer, call);
	return call->retry_timer != 0;
}

/* Fills e for a transfer that curl ended with cc (no complete response). */
static enum od_status transport_error(struct http_call *call, CURLcode cc, struct err *e)
{
	long oserr = 0;
	const char *detail = call->errbuf[0] ? call->errbuf : curl_easy_strerror(cc);

	curl_easy_getinfo(call->easy, CURLINFO_OS_ERRNO, &oserr);
	if (cc == CURLE_COULDNT_CONNECT && oserr == ECONNREFUSED)
		return status_error_refused(call->client->hostport, e);
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		long code = 0;

		/* Go's net/http wording, as kubectl prints it, by how far the exchange got */
		if (strstr(detail, "Connection timed out") || strstr(detail, "Resolving timed out")) {
			char dial[600];

			snprintf(dial, sizeof(dial), "dial tcp %s: i/o timeout", call->client->hostport);
			return status_error_unreachable(OD_ETIMEDOUT, dial, e);
		}
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &code);
		return status_error_unreachable(
			OD_ETIMEDOUT,
			code ? "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
			     : "net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
			e);
	}
	/* a server certificate no trusted CA signed: Go's crypto/tls wording, as kubectl */
	if (cc == CURLE_PEER_FAILED_VERIFICATION &&
	    (strstr(detail, "local issuer certificate") || strstr(detail, "get issuer certificate") ||
	     strstr(detail, "self signed certificate") || strstr(detail, "self-signed certificate")))
		return status_error_unreachable(
			OD_ENET, "tls: failed to verify certificate: x509: certificate signed by unknown authority",
			e);
	if (cc == CURLE_PARTIAL_FILE && call->code)
		return err_set(e, OD_EPARSE,
			       "error: %s %s: the server closed the connection mid-response (%zu bytes received)",
			       call->method, call->path, call->resp.len);
	return status_error_unreachable(OD_ENET, detail, e);
}

static void finish(struct http_call *call, CURLcode cc)
{
	struct http_client *c = call->client;
	struct kube_status st;
	struct err e;
	struct http_result res = { .body = &call->resp };
	bool conn_reset = false;

	curl_multi_remove_handle(c->multi, call->easy);
	call->in_multi = false;
	err_clear(&e);
	if (cc == CURLE_OK)
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &call->code);
	res.code = cc == CURLE_OK ? call->code : 0;
	if (log_enabled(LOG_LEVEL_DEBUG)) {
		/* the path and sizes only: headers (credentials) and bodies never go to the log */
		curl_off_t down = 0, up = 0;
		long hdr = 0, req = 0;

		curl_easy_getinfo(call->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
		curl_easy_getinfo(call->easy, CURLINFO_SIZE_UPLOAD_T, &up);
		curl_easy_getinfo(call->easy, CURLINFO_HEADER_SIZE, &hdr);
		curl_easy_getinfo(call->easy, CURLINFO_REQUEST_SIZE, &req);
		LOG_DEBUG("http", "%s %s -> %ld (curl %d), %lld bytes in, %lld bytes out", call->method,
			  call->path, res.code, (int)cc, (long long)down + hdr, (long long)up + req);
	}

	if (call->aborted) {
		e = call->abort_err;
		if (e.status == OD_OK)
			err_set(&e, OD_EIO, "error: %s %s: aborted", call->method, call->path);
	} else if (cc != CURLE_OK) {
		conn_reset = is_conn_reset(call->easy, cc) && !call->delivered;
		transport_error(call, cc, &e);
	} else if (call->code < 200 || call->code >= 300) {
		status_error_from_response((int)call->code, call->content_type_resp,
					   buf_cstr(&call->resp), call->resp.len, &st, &e);
		res.api_status = &st;
	}

	/* a 401 with credentials that can change: fresh ones, once */
	if (!call->aborted && cc == CURLE_OK && call->code == 401 && c->auth &&
	    !call->auth_retried && auth_unauthorized(c->auth, call->auth_gen)) {
		call->auth_retried = true;
		LOG_INFO("http", "401 for %s %s: refreshing credentials and retrying", call->method,
			 call->path);
		if (schedule_retry(call, 0))
			return;
	}
	if (!call->no_retry && !call->aborted && !call->delivered) {
		struct retry_input in = {
			.method = call->method,
			.http_code = cc == CURLE_OK ? (int)call->code : 0,
			.retry_after = call->retry_after[0] ? call->retry_after : NULL,
			.conn_error = conn_reset,
			.attempt = call->attempt,
			.jitter = backoff_jitter(),
		};
		struct retry_decision d = retry_decide(&in);
		if ((cc == CURLE_OK && call->code >= 200 && call->code < 300))
			d.retry = false;
		if (call->deadline_ms && time_mono_ms() + d.delay_ms >= call->deadline_ms)
			d.retry = false;   /* the answer would come too late anyway */
		if (d.retry) {
			LOG_INFO("http", "retrying %s %s in %llu ms (attempt %u, %s)", call->method,
				 call->path, (unsigned long long)d.delay_ms, call->attempt + 1,
				 cc == CURLE_OK ? "Retry-After" : "connection reset");
			if (schedule_retry(call, d.delay_ms))
				return;
		}
	}
	res.status = e.status;
	res.err = &e;
	res.retries = call->attempt;
	call_unlink(call);
	call->on_done(call, &res, call->arg);
	call_free(&call);
}

static void process_done(struct http_client *c)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(c->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct http_call *call = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
		if (call)
			finish(call, msg->data.result);
	}
}

/* ---- blocking wrapper ---- */

struct sync_state {
	bool done;
	enum od_status status;
	struct err err;
	long code;
	struct buf *body;
};

static void sync_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct sync_state *s = arg;
	size_t len = 0;

	(void)call;
	s->done = true;
	s->status = res->status;
	s->code = res->code;
	if (res->err)
		s->err = *res->err;
	buf_free(s->body);
	s->body->max = res->body->max;
	if (res->body->len) {
		s->body->data = buf_detach(res->body, &len);
		s->body->len = len;
		s->body->cap = len + 1;
	}
}

enum od_status http_do(struct http_client *c, const struct http_request *rq, struct buf *body,
		       long *code, struct err *e)
{
	struct sync_state s = { .body = body };
	struct http_request r = *rq;
	enum od_status rc;

	err_clear(&s.err);
	r.on_data = NULL;
	r.on_done = sync_done;
	r.arg = &s;
	rc = http_start(c, &r, NULL, e);
	if (rc != OD_OK)
		return rc;
	while (!s.done) {
		rc = loop_run_once(c->lp, -1, e);
		if (rc != OD_OK)
			return rc;
	}
	if (code)
		*code = s.code;
	if (s.status != OD_OK && e)
		*e = s.err;
	return s.status;
}
