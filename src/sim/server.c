/*
 * server.c: libmicrohttpd glue. MHD runs in external mode with
 * MHD_USE_EPOLL: its one epoll fd sits in the core loop, and long-lived
 * bodies (watches, logs -f) are callback responses that suspend their
 * connection while there is nothing to send and are resumed by the
 * producer. No threads.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "opsdeck/buf.h"
#include "opsdeck/log.h"
#include "opsdeck/sim_api.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_server.h"
#include "opsdeck/sim_status.h"

#define SERVER_TICK_MS 200

struct sim_server {
	struct sim *s;                  /* borrowed */
	struct MHD_Daemon *daemon;      /* owned */
	int listen_fd;                  /* owned by MHD once started */
	int epoll_fd;                   /* owned by MHD */
	uint64_t tick_timer;
	uint64_t kick_timer;
	bool tls;
	const struct sim_auth *auth;    /* borrowed */
	struct stream_ctx *streams;     /* live streaming responses (borrowed from MHD) */
	struct req_ctx *delayed;        /* requests parked by api:latency (borrowed) */
	char url[128];
};

/* Per-request state: from the first callback to MHD's completion notice. */
struct req_ctx {
	struct buf body;
	bool too_large;
	/* API faults (sim_faults.h): picked once, then a delayed answer is resumed by a timer */
	bool fault_picked;
	struct sim_fault_action fa;
	struct sim_server *srv;         /* borrowed, while delay_timer runs */
	struct MHD_Connection *conn;    /* borrowed, while delay_timer runs */
	uint64_t delay_timer;
	struct req_ctx *next_delayed;   /* in srv->delayed while parked */
};

/* The state behind a streaming response. */
struct stream_ctx {
	struct sim_server *srv;         /* borrowed */
	struct MHD_Connection *conn;    /* borrowed */
	struct sim_stream *stream;      /* owned */
	bool suspended;
	struct stream_ctx *next;        /* in srv->streams */
};

static void server_run(struct sim_server *srv);

static void server_kick_cb(struct loop *lp, uint64_t id, void *arg)
{
	struct sim_server *srv = arg;
	(void)lp;
	(void)id;
	srv->kick_timer = 0;
	server_run(srv);
}

/* Schedules an MHD_run soon (after a resume, or when MHD has work buffered). */
static void server_kick(struct sim_server *srv)
{
	if (!srv->kick_timer)
		srv->kick_timer = loop_timer_add(srv->s->loop, 0, 0, server_kick_cb, srv);
}

static void server_run(struct sim_server *srv)
{
	MHD_UNSIGNED_LONG_LONG t = 0;
	MHD_run(srv->daemon);
	if (MHD_get_timeout(srv->daemon, &t) == MHD_YES && t == 0)
		server_kick(srv);
}

static void server_fd_cb(struct loop *lp, int fd, short revents, void *arg)
{
	(void)lp;
	(void)fd;
	(void)revents;
	server_run(arg);
}

static void server_tick_cb(struct loop *lp, uint64_t id, void *arg)
{
	(void)lp;
	(void)id;
	server_run(arg);
}

static void stream_wake(void *arg)
{
	struct stream_ctx *sc = arg;
	if (sc->suspended) {
		sc->suspended = false;
		MHD_resume_connection(sc->conn);
		server_kick(sc->srv);
	}
}

static ssize_t stream_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream_ctx *sc = cls;
	struct sim_stream *st = sc->stream;
	(void)pos;
	if (st->out.len > 0) {
		size_t n = st->out.len < max ? st->out.len : max;
		memcpy(out, st->out.data, n);
		buf_consume(&st->out, n);
		return (ssize_t)n;
	}
	if (st->finished)
		return MHD_CONTENT_READER_END_OF_STREAM;
	/* Nothing to send: park the connection until the producer writes. */
	sc->suspended = true;
	MHD_suspend_connection(sc->conn);
	return 0;
}

static void stream_free_cb(void *cls)
{
	struct stream_ctx *sc = cls;
	struct stream_ctx **pp = &sc->srv->streams;
	while (*pp && *pp != sc)
		pp = &(*pp)->next;
	if (*pp)
		*pp = sc->next;
	sim_stream_free(&sc->stream);
	free(sc);
}

static void add_common_headers(struct sim_server *srv, struct MHD_Response *r,
			       const char *content_type)
{
	char date[64];
	time_format_http_date(sim_clock_now(&srv->s->clock), date, sizeof(date));
	MHD_add_response_header(r, MHD_HTTP_HEADER_DATE, date);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				content_type ? content_type : "application/json");
	MHD_add_response_header(r, "Cache-Control", "no-cache, private");
	MHD_add_response_header(r, "X-Kubernetes-Pf-Flowschema-Uid", "sim");
}

static enum MHD_Result queue_response(struct sim_server *srv, struct MHD_Connection *conn,
				      struct sim_response *resp)
{
	struct MHD_Response *r = NULL;
	enum MHD_Result ret;

	if (resp->stream) {
		struct stream_ctx *sc = calloc(1, sizeof(*sc));
		if (!sc)
			return MHD_NO;
		sc->srv = srv;
		sc->conn = conn;
		sc->stream = resp->stream;
		resp->stream = NULL;
		sc->stream->wake = stream_wake;
		sc->stream->wake_arg = sc;
		sc->next = srv->streams;
		srv->streams = sc;
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_reader, sc,
						      stream_free_cb);
		if (!r) {
			stream_free_cb(sc);
			return MHD_NO;
		}
	} else {
		char *body = NULL;
		size_t len = 0;
		if (resp->json) {
			body = cJSON_PrintUnformatted(resp->json);
			len = body ? strlen(body) : 0;
		} else if (resp->text) {
			body = resp->text;
			len = resp->text_len;
			resp->text = NULL;
		}
		r = MHD_create_response_from_buffer(len, body ? body : (char *)"",
						    body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		if (!r) {
			free(body);
			return MHD_NO;
		}
	}
	add_common_headers(srv, r, resp->content_type);
	if (resp->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%d", resp->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	ret = MHD_queue_response(conn, (unsigned)(resp->code ? resp->code : 500), r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct sim_request *req = cls;
	struct err e;
	(void)kind;
	if (req->rt.kind == SIM_ROUTE_NOT_FOUND && req->path == NULL)
		return MHD_YES;
	if (sim_query_set(&req->q, key, value, &e) != OD_OK) {
		/* remember the first bad parameter; the handler answers 400 */
		req->path = NULL;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Reads the CN and O of a verified client certificate. */
static bool client_cert_user(struct MHD_Connection *conn, struct sim_user *u)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_session_t sess;
	unsigned int status = 0, n = 0;
	const gnutls_datum_t *peers;
	gnutls_x509_crt_t crt;
	char cn[128] = "", org[128] = "";
	size_t cnlen = sizeof(cn), orglen = sizeof(org);
	bool ok = false;

	if (!ci || !ci->tls_session)
		return false;
	sess = (gnutls_session_t)ci->tls_session;
	peers = gnutls_certificate_get_peers(sess, &n);
	if (!peers || n == 0)
		return false;
	if (gnutls_certificate_verify_peers2(sess, &status) != 0 || status != 0)
		return false;
	if (gnutls_x509_crt_init(&crt) != 0)
		return false;
	if (gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) == 0 &&
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &cnlen) == 0) {
		if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, 0, org,
						  &orglen) != 0)
			org[0] = '\0';
		ok = sim_auth_from_cert(cn, org, u);
	}
	gnutls_x509_crt_deinit(crt);
	return ok;
}

static bool route_is_public(const struct sim_route *rt)
{
	return rt->kind == SIM_ROUTE_VERSION || rt->kind == SIM_ROUTE_HEALTHZ ||
	       rt->kind == SIM_ROUTE_READYZ || rt->kind == SIM_ROUTE_LIVEZ;
}

static enum MHD_Result answer_status(struct sim_server *srv, struct MHD_Connection *conn,
				     cJSON *status)
{
	struct sim_response resp = { 0 };
	resp.code = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(status, "code"));
	resp.json = status;
	resp.content_type = "application/json";
	enum MHD_Result ret = queue_response(srv, conn, &resp);
	sim_response_free(&resp);
	return ret;
}

static void fault_delay_cb(struct loop *lp, uint64_t id, void *arg)
{
	struct req_ctx *rc = arg;
	(void)lp;
	(void)id;
	rc->delay_timer = 0;
	for (struct req_ctx **pp = &rc->srv->delayed; *pp; pp = &(*pp)->next_delayed)
		if (*pp == rc) {
			*pp = rc->next_delayed;
			break;
		}
	MHD_resume_connection(rc->conn);
	server_kick(rc->srv);
}

/* api:latency: park the connection and answer after the delay (wall time). */
static enum MHD_Result fault_delay(struct sim_server *srv, struct MHD_Connection *conn,
				   struct req_ctx *rc)
{
	rc->srv = srv;
	rc->conn = conn;
	MHD_suspend_connection(conn);
	rc->delay_timer = loop_timer_add(srv->s->loop, (uint64_t)rc->fa.delay_ms, 0, fault_delay_cb, rc);
	rc->next_delayed = srv->delayed;
	srv->delayed = rc;
	return MHD_YES;
}

/* api:5xx, api:429 and api:410 answer instead of the API. */
static bool fault_answer(struct sim *s, const struct sim_request *req,
			 const struct sim_fault_action *fa, struct sim_response *resp)
{
	(void)s;
	memset(resp, 0, sizeof(*resp));
	if (fa->expire_watch && req->q.watch) {
		static const char ev[] =
			"{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
			"\"status\":\"Failure\",\"message\":\"too old resource version: 1 (2)\","
			"\"reason\":\"Expired\",\"code\":410}}\n";
		resp->code = 200;
		resp->text = strdup(ev);
		resp->text_len = resp->text ? strlen(ev) : 0;
		resp->content_type = "application/json";
		return true;
	}
	if (!fa->code)
		return false;
	const char *reason = fa->code == 429 ? "TooManyRequests" :
			     fa->code == 503 ? "ServiceUnavailable" :
			     fa->code == 504 ? "Timeout" : "InternalError";
	const char *msg = fa->code == 429 ? "Too many requests, please try again later." :
			  fa->code == 503 ? "the server is currently unable to handle the request" :
			  "an error on the server (\"\") has prevented the request from succeeding";
	cJSON *details = NULL;
	if (fa->retry_after > 0) {
		details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "retryAfterSeconds", fa->retry_after);
	}
	resp->json = sim_status_new(fa->code, reason, msg, details);
	resp->code = fa->code;
	resp->content_type = "application/json";
	resp->retry_after = fa->retry_after;
	return true;
}

/* api:truncated, api:malformed, api:drop-watch change a normal answer. */
static void fault_mangle(const struct sim_fault_action *fa, struct sim_response *resp)
{
	if (resp->stream && fa->drop_watch) {
		resp->stream->finished = true;   /* what was queued goes out, then the stream ends */
		return;
	}
	if (!resp->json || !(fa->truncate || fa->malformed))
		return;
	char *body = cJSON_PrintUnformatted(resp->json);
	if (!body)
		return;
	cJSON_Delete(resp->json);
	resp->json = NULL;
	size_t len = strlen(body);
	if (fa->malformed) {
		char *colon = strchr(body, ':');
		if (colon)
			*colon = '=';   /* one broken token, the rest intact: a parser must notice */
	}
	if (fa->truncate)
		len /= 2;
	resp->text = body;
	resp->text_len = len;
}

static enum MHD_Result handle_request(struct sim_server *srv, struct MHD_Connection *conn,
				      const char *url, const char *method, struct req_ctx *rc)
{
	struct sim_request req;
	struct sim_response resp;
	struct err e;
	enum MHD_Result ret;
	const char *authz;

	memset(&req, 0, sizeof(req));
	sim_query_init(&req.q);
	if (rc->too_large)
		return answer_status(srv, conn, sim_status_new(413, "RequestEntityTooLarge",
								"Request entity too large: limit is 3145728", NULL));
	if (sim_router_parse_path(url, &req.rt, &e) != OD_OK)
		return answer_status(srv, conn, sim_status_bad_request(e.msg));
	req.method = method;
	req.path = url;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &req);
	if (!req.path) {
		sim_query_free(&req.q);
		return answer_status(srv, conn, sim_status_bad_request("invalid query parameter"));
	}
	authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		if (!sim_auth_from_bearer(srv->auth, authz, &req.user)) {
			sim_query_free(&req.q);
			return answer_status(srv, conn, sim_status_unauthorized());
		}
	} else if (!srv->tls) {
		/*
		 * kubectl sends no credentials over plain HTTP, so the plain port
		 * behaves like the apiserver's old insecure port: no authentication,
		 * full access. Tokens that are sent are still checked.
		 */
		snprintf(req.user.name, sizeof(req.user.name), "%s", SIM_USER_ADMIN);
		snprintf(req.user.group, sizeof(req.user.group), "%s", SIM_GROUP_ADMIN);
		req.user.role = SIM_ROLE_ADMIN;
	} else if (!client_cert_user(conn, &req.user) && !route_is_public(&req.rt)) {
		sim_query_free(&req.q);
		return answer_status(srv, conn, sim_status_unauthorized());
	}
	req.accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	req.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_TYPE);
	req.body = rc->body.len ? rc->body.data : NULL;
	req.body_len = rc->body.len;
	if (!rc->fault_picked) {
		rc->fault_picked = true;
		sim_faults_api_pick(srv->s, method, url, req.q.watch, &rc->fa);
		if (rc->fa.delay_ms > 0) {
			sim_query_free(&req.q);
			return fault_delay(srv, conn, rc);
		}
	}
	if (rc->fa.reset) {
		/* no answer at all: MHD closes the connection */
		sim_query_free(&req.q);
		return MHD_NO;
	}
	if (fault_answer(srv->s, &req, &rc->fa, &resp)) {
		ret = queue_response(srv, conn, &resp);
		sim_response_free(&resp);
		sim_query_free(&req.q);
		return ret;
	}
	sim_api_handle(srv->s, &req, &resp);
	fault_mangle(&rc->fa, &resp);
	if (log_enabled(LOG_LEVEL_DEBUG))
		LOG_DEBUG("sim", "%s %s %s -> %d", req.user.name, method, url, resp.code);
	ret = queue_response(srv, conn, &resp);
	sim_response_free(&resp);
	sim_query_free(&req.q);
	return ret;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version,
				 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct sim_server *srv = cls;
	struct req_ctx *rc = *con_cls;
	(void)version;

	if (!rc) {
		rc = calloc(1, sizeof(*rc));
		if (!rc)
			return MHD_NO;
		buf_init(&rc->body, SIM_API_BODY_MAX);
		*con_cls = rc;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!rc->too_large &&
		    buf_append(&rc->body, upload_data, *upload_data_size, NULL) != OD_OK) {
			rc->too_large = true;
			buf_free(&rc->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return handle_request(srv, conn, url, method, rc);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *rc = con_cls ? *con_cls : NULL;
	struct sim_server *srv = cls;
	(void)conn;
	(void)toe;
	if (rc) {
		if (rc->delay_timer)
			loop_timer_cancel(srv->s->loop, rc->delay_timer);
		buf_free(&rc->body);
		free(rc);
		*con_cls = NULL;
	}
}

/* Binds addr:port ourselves so port 0 can be read back before MHD starts. */
static enum od_status server_bind(const char *spec, int *fd_out, char *host, size_t hostn,
				  unsigned *port_out, struct err *e)
{
	char addr[64] = "127.0.0.1";
	unsigned long port = 0;
	const char *colon = strrchr(spec ? spec : "", ':');
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int fd = -1, one = 1;

	if (spec && *spec) {
		if (!colon)
			return err_set(e, OD_EUSAGE, "--listen %s: expected ADDR:PORT", spec);
		if ((size_t)(colon - spec) >= sizeof(addr))
			return err_set(e, OD_EUSAGE, "--listen %s: address too long", spec);
		if (colon != spec) {
			memcpy(addr, spec, (size_t)(colon - spec));
			addr[colon - spec] = '\0';
		}
		char *end = NULL;
		port = strtoul(colon + 1, &end, 10);
		if (*end || port > 65535)
			return err_set(e, OD_EUSAGE, "--listen %s: bad port", spec);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (strcmp(addr, "localhost") == 0)
		snprintf(addr, sizeof(addr), "127.0.0.1");
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return err_set(e, OD_EUSAGE, "--listen: %s is not an IPv4 address", addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return err_set(e, OD_ENET, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 128) != 0) {
		int err = errno;
		close(fd);
		return err_set(e, OD_ENET, "cannot listen on %s:%lu: %s", addr, port, strerror(err));
	}
	getsockname(fd, (struct sockaddr *)&sa, &salen);
	*port_out = ntohs(sa.sin_port);
	snprintf(host, hostn, "%s", addr);
	*fd_out = fd;
	return OD_OK;
}

enum od_status sim_server_start(struct sim *s, const struct sim_server_opts *o,
				struct sim_server **out, struct err *e)
{
	struct sim_server *srv = calloc(1, sizeof(*srv));
	char host[64];
	unsigned port = 0;
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	enum od_status rc;

	if (!srv)
		return err_set(e, OD_ENOMEM, "out of memory");
	srv->s = s;
	srv->auth = o->auth;
	srv->tls = o->tls;
	rc = server_bind(o->listen, &srv->listen_fd, host, sizeof(host), &port, e);
	if (rc != OD_OK) {
		free(srv);
		return rc;
	}
	if (o->tls) {
		flags |= MHD_USE_TLS;
		srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, srv,
					       MHD_OPTION_LISTEN_SOCKET, srv->listen_fd,
					       MHD_OPTION_HTTPS_MEM_KEY, o->key_pem,
					       MHD_OPTION_HTTPS_MEM_CERT, o->cert_pem,
					       MHD_OPTION_HTTPS_MEM_TRUST, o->ca_pem,
					       MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
					       MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
					       MHD_OPTION_END);
	} else {
		srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, srv,
					       MHD_OPTION_LISTEN_SOCKET, srv->listen_fd,
					       MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
					       MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
					       MHD_OPTION_END);
	}
	if (!srv->daemon) {
		close(srv->listen_fd);
		free(srv);
		return err_set(e, OD_ENET, "libmicrohttpd failed to start%s",
			       o->tls ? " (TLS)" : "");
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	srv->epoll_fd = di ? di->epoll_fd : -1;
	if (srv->epoll_fd < 0 ||
	    loop_fd_add(s->loop, srv->epoll_fd, POLLIN, server_fd_cb, srv, e) != OD_OK) {
		MHD_stop_daemon(srv->daemon);
		free(srv);
		return e->status != OD_OK ? e->status : err_set(e, OD_ENET, "no epoll fd");
	}
	srv->tick_timer = loop_timer_add(s->loop, SERVER_TICK_MS, SERVER_TICK_MS, server_tick_cb, srv);
	snprintf(srv->url, sizeof(srv->url), "%s://%s:%u", o->tls ? "https" : "http", host, port);
	*out = srv;
	return OD_OK;
}

void sim_server_stop(struct sim_server **psrv)
{
	struct sim_server *srv = psrv ? *psrv : NULL;
	if (!srv)
		return;
	loop_fd_remove(srv->s->loop, srv->epoll_fd);
	/* MHD may only stop once no connection is suspended: end every stream first. */
	for (struct stream_ctx *sc = srv->streams; sc; sc = sc->next) {
		sc->stream->finished = true;
		if (sc->suspended) {
			sc->suspended = false;
			MHD_resume_connection(sc->conn);
		}
	}
	/* nor while api:latency holds requests: answer them now */
	while (srv->delayed) {
		struct req_ctx *rc = srv->delayed;
		srv->delayed = rc->next_delayed;
		loop_timer_cancel(srv->s->loop, rc->delay_timer);
		rc->delay_timer = 0;
		MHD_resume_connection(rc->conn);
	}
	MHD_run(srv->daemon);
	if (srv->tick_timer)
		loop_timer_cancel(srv->s->loop, srv->tick_timer);
	if (srv->kick_timer)
		loop_timer_cancel(srv->s->loop, srv->kick_timer);
	MHD_stop_daemon(srv->daemon);
	free(srv);
	*psrv = NULL;
}

const char *sim_server_url(const struct sim_server *srv)
{
	return srv->url;
}
