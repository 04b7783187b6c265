/*
 * amclient.c: Alertmanager API v2 through http.h (see amclient.h).
 */
#include <stdlib.h>
#include <string.h>

#include "opsdeck/amclient.h"
#include "opsdeck/http.h"

struct am_client {
	struct loop *lp;            /* borrowed */
	struct http_client *http;   /* owned */
	char *url;                  /* owned */
	char shown[1024];           /* url without user:password@, for messages */
	struct http_call *call;     /* in flight, owned by http */
	struct am_alerts got;       /* owned: filled during a fetch */
	am_done_cb done;
	void *arg;                  /* borrowed */
	bool busy;
};

enum od_status am_client_new(struct loop *lp, const char *url, long timeout_ms,
			     struct am_client **out, struct err *e)
{
	struct am_client *c = calloc(1, sizeof(*c));
	struct http_conn conn = { 0 };
	enum od_status rc;

	*out = NULL;
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	c->lp = lp;
	c->url = strdup(url);
	if (!c->url) {
		free(c);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	/* The base without a trailing slash: request paths start with one. */
	while (strlen(c->url) > 1 && c->url[strlen(c->url) - 1] == '/')
		c->url[strlen(c->url) - 1] = '\0';
	am_url_display(c->url, c->shown, sizeof(c->shown));
	conn.server = c->url;
	conn.cluster_name = "alertmanager";
	conn.request_timeout_ms = timeout_ms;
	rc = http_client_new(lp, &conn, NULL, &c->http, e);
	if (rc != OD_OK) {
		err_prefix(e, "alertmanager %s: ", c->shown);
		free(c->url);
		free(c);
		return rc;
	}
	*out = c;
	return OD_OK;
}

void am_client_free(struct am_client **cp)
{
	struct am_client *c = *cp;

	if (!c)
		return;
	http_client_free(&c->http);
	am_alerts_clear(&c->got);
	free(c->url);
	free(c);
	*cp = NULL;
}

const char *am_client_url(const struct am_client *c)
{
	return c->shown;
}

bool am_fetch_busy(const struct am_client *c)
{
	return c->busy;
}

static void finish(struct am_client *c, enum od_status st, const struct err *e)
{
	am_done_cb done = c->done;
	void *arg = c->arg;

	c->busy = false;
	c->call = NULL;
	done(st, &c->got, e, arg);
	am_alerts_clear(&c->got);
}

static enum od_status get(struct am_client *c, const char *path, http_done_cb cb, struct err *e)
{
	struct http_request rq = {
		.path = path,
		.max_body = AM_BODY_MAX,
		.on_done = cb,
		.arg = c,
	};

	return http_start(c->http, &rq, &c->call, e);
}

/* A failed answer: say which URL, with the body's first words for non-2xx. */
static bool failed(struct am_client *c, const char *path, const struct http_result *res)
{
	struct err e = { 0 };

	if (res->status == OD_OK)
		return false;
	if (res->code)
		err_set(&e, res->status, "Alertmanager %s%s: HTTP %ld: %.200s", c->shown, path,
			res->code, res->body ? buf_cstr(res->body) : "");
	else
		err_set(&e, res->status, "Alertmanager %s%s: %s", c->shown, path,
			res->err ? res->err->msg : "no answer");
	finish(c, res->status, &e);
	return true;
}

static void silences_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct am_client *c = arg;
	struct err e = { 0 };
	enum od_status rc;

	(void)call;
	c->call = NULL;
	if (failed(c, "/api/v2/silences", res))
		return;
	rc = am_silences_parse(buf_cstr(res->body), res->body->len, &c->got, &e);
	finish(c, rc, &e);
}

static void alerts_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct am_client *c = arg;
	struct err e = { 0 };
	enum od_status rc;

	(void)call;
	c->call = NULL;
	if (failed(c, "/api/v2/alerts", res))
		return;
	rc = am_alerts_parse(buf_cstr(res->body), res->body->len, &c->got, &e);
	if (rc == OD_OK)
		rc = get(c, "/api/v2/silences", silences_done, &e);
	if (rc != OD_OK)
		finish(c, rc, &e);
}

enum od_status am_fetch_start(struct am_client *c, am_done_cb done, void *arg, struct err *e)
{
	enum od_status rc;

	if (c->busy)
		return err_set(e, OD_ESTATE, "an Alertmanager fetch is already running");
	am_alerts_clear(&c->got);
	c->done = done;
	c->arg = arg;
	rc = get(c, "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true",
		 alerts_done, e);
	if (rc == OD_OK)
		c->busy = true;
	return rc;
}

struct sync_fetch {
	bool done;
	enum od_status st;
	struct err err;
	struct am_alerts *out;
};

static void sync_done(enum od_status st, struct am_alerts *alerts, const struct err *e, void *arg)
{
	struct sync_fetch *s = arg;

	s->done = true;
	s->st = st;
	if (st == OD_OK) {
		am_alerts_clear(s->out);
		*s->out = *alerts;
		memset(alerts, 0, sizeof(*alerts));
	} else if (e) {
		s->err = *e;
	}
}

enum od_status am_fetch(struct am_client *c, struct am_alerts *out, struct err *e)
{
	struct sync_fetch s = { .out = out };
	enum od_status rc = am_fetch_start(c, sync_done, &s, e);

	while (rc == OD_OK && !s.done)
		rc = loop_run_once(c->lp, -1, e);
	if (rc != OD_OK)
		return rc;
	if (s.st != OD_OK && e)
		*e = s.err;
	return s.st;
}
