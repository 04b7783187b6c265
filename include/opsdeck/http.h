/*
 * http.h: HTTP(S) to one API server through a libcurl multi handle driven by
 * the core event loop (no threads; curl_multi_socket_action runs from loop
 * fd and timer callbacks).
 *
 * One client per cluster: connections are reused and HTTP/2 is used where
 * the server offers it, so watches and lists share a connection. TLS comes
 * from the kubeconfig (CA, client certificate and key in memory,
 * tls-server-name, insecure-skip-tls-verify with a warning), plus proxy-url,
 * gzip, per-request timeouts and bearer/basic/exec-plugin credentials.
 *
 * Requests are retried by client-go's rules (backoff.h); a 401 with
 * credentials that can change (exec plugin, token file) refreshes them and
 * retries once. Failures are reported in kubectl's words (status.h). Every
 * response's Date header updates the client's api_clock.
 *
 * Ownership: the client borrows the loop and the auth, which must outlive it;
 * free the client before the loop.
 */
#ifndef OPSDECK_HTTP_H
#define OPSDECK_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/apiclock.h"
#include "opsdeck/auth.h"
#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/loop.h"
#include "opsdeck/status.h"

/* Cap on a buffered response body (a LIST page of 500 large objects fits). */
#define HTTP_BODY_MAX (64u * 1024u * 1024u)
/* Cap on the error body of a streaming request. */
#define HTTP_ERROR_BODY_MAX (1u * 1024u * 1024u)
/* kubectl's dial timeout. */
#define HTTP_CONNECT_TIMEOUT_MS 30000L

/* Where and how to connect. Borrowed by http_client_new, which copies it. */
struct http_conn {
	const char *server;                 /* "https://host:port[/prefix]" */
	const char *tls_server_name;        /* SNI and certificate name, or NULL */
	bool insecure;                      /* insecure-skip-tls-verify */
	const unsigned char *ca_data;       /* PEM, or NULL for the system roots */
	size_t ca_len;
	const unsigned char *cert_data;     /* client certificate PEM, or NULL */
	size_t cert_len;
	const unsigned char *key_data;      /* client key PEM */
	size_t key_len;
	const char *proxy_url;              /* http://, https:// or socks5://, or NULL */
	bool disable_compression;
	const char *cluster_name;           /* for messages only; may be NULL */
	long request_timeout_ms;            /* --request-timeout for non-streaming requests; 0: none */
	/* Told once, at creation, when TLS verification is off. NULL: printed to stderr. */
	void (*warn)(const char *msg, void *arg);
	void *warn_arg;
};

struct http_client;   /* opaque */
struct http_call;     /* one request in flight; owned by the client */

struct http_result {
	enum od_status status;       /* OD_OK for a 2xx response */
	const struct err *err;       /* the message (kubectl's wording) when status != OD_OK */
	long code;                   /* HTTP status, 0 if none arrived */
	struct buf *body;            /* buffered body (may be stolen with buf_detach) */
	const struct kube_status *api_status;   /* the Status of an error response, or NULL */
	unsigned retries;            /* how many times the request was sent again */
};

/*
 * Streaming: called with each piece of a 2xx body as it arrives (never for
 * error bodies, which are buffered for the Status). Returning non-OK aborts
 * the request, which then completes with that status and e. Do not call
 * http_* functions from here.
 */
typedef enum od_status (*http_data_cb)(const char *p, size_t n, void *arg, struct err *e);
/* Completion; the call is freed when this returns. May start new requests. */
typedef void (*http_done_cb)(struct http_call *call, const struct http_result *res, void *arg);

struct http_request {
	const char *method;          /* NULL: "GET" */
	const char *path;            /* "/api/v1/pods?limit=500"; copied */
	const char *accept;          /* NULL: "application/json" */
	const char *content_type;    /* for a body; NULL: "application/json" */
	const char *body;            /* copied; NULL for none */
	size_t body_len;
	long timeout_ms;             /* 0: the client's request timeout; -1: none */
	size_t max_body;             /* 0: HTTP_BODY_MAX */
	bool no_retry;               /* never retry (for tests and for callers with their own) */
	http_data_cb on_data;        /* non-NULL: a streaming request */
	http_done_cb on_done;        /* required */
	void *arg;                   /* borrowed; passed to the callbacks */
};

/* auth may be NULL (no credentials). Both lp and auth are borrowed. */
enum od_status http_client_new(struct loop *lp, const struct http_conn *conn, struct auth *auth,
			       struct http_client **out, struct err *e);

/* Cancels every call (no callbacks), closes connections, sets *c = NULL. */
void http_client_free(struct http_client **c);

/* Starts a request; *out (may be NULL) names it for http_cancel until on_done. */
enum od_status http_start(struct http_client *c, const struct http_request *rq,
			  struct http_call **out, struct err *e);

/* Stops a call without calling on_done and sets *call = NULL. Not from on_data. */
void http_cancel(struct http_client *c, struct http_call **call);

/*
 * Runs the loop until this one request completes (for headless commands).
 * rq->on_data/on_done/arg are ignored. The body goes to *body (caller's
 * buffer, replaced), the HTTP status to *code (may be NULL).
 */
enum od_status http_do(struct http_client *c, const struct http_request *rq, struct buf *body,
		       long *code, struct err *e);

/* The server's clock as seen so far (borrowed; lives as long as the client). */
const struct api_clock *http_client_clock(const struct http_client *c);

/* The loop the client runs in (borrowed). */
struct loop *http_client_loop(const struct http_client *c);

/* Requests in flight or waiting for a retry. */
size_t http_client_pending(const struct http_client *c);

/* "host:port" of the server as written in the kubeconfig (for messages). */
const char *http_client_hostport(const struct http_client *c);

/* ---- building blocks, exposed for tests ---- */

/* Splits a server URL: base ("scheme://host:port/prefix" with the host replaced
 * by tls_server_name when given), connect_to (CURLOPT_CONNECT_TO entry or ""),
 * and hostport as written. */
enum od_status http_server_split(const char *server, const char *tls_server_name,
				 char *base, size_t nbase, char *connect_to, size_t nconnect,
				 char *hostport, size_t nhostport, struct err *e);

#endif
