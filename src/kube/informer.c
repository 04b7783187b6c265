/*
 * informer.c: LIST, then WATCH, resume, relist on 410, back off on failure
 * (informer.h). One request is in flight at a time; between requests a loop
 * timer holds the next step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/backoff.h"
#include "opsdeck/informer.h"
#include "opsdeck/jsonarena.h"
#include "opsdeck/log.h"
#include "opsdeck/timeutil.h"

enum informer_next { NEXT_LIST, NEXT_WATCH };

struct informer {
	struct http_client *http;         /* borrowed */
	const struct api_resource *res;   /* static */
	char *namespace_, *label_selector, *field_selector;   /* owned */
	long page_limit;
	unsigned watch_min_s, watch_max_s;
	const struct informer_ops *ops;   /* borrowed */
	void *arg;                        /* borrowed */
	struct http_call *call;           /* in flight, or NULL */
	uint64_t timer;                   /* pending step, or 0 */
	enum informer_next next;
	struct backoff backoff;
	char *continue_token;             /* owned: the LIST page to fetch next */
	bool listing;                     /* between list_begin and list_end */
	struct watch_splitter splitter;
	bool watch_gone;                  /* the stream said 410 */
	bool watch_failed;                /* the stream was malformed */
	uint64_t watch_started_ms;        /* when the current watch was started */
	uint64_t watch_seen_at_start;     /* events + bookmarks when it started */
	struct err watch_err;
	struct informer_stats st;
	struct json_arena arena;          /* the LIST page being handed over; freed after a LIST */
};

static void run_step(struct informer *inf);

static void report(struct informer *inf, const struct err *e)
{
	inf->st.errors++;
	LOG_WARN("informer", "%s: %s", inf->res->plural, e->msg);
	if (inf->ops->on_error)
		inf->ops->on_error(inf->arg, e);
}

static void on_timer(struct loop *lp, uint64_t id, void *arg)
{
	struct informer *inf = arg;

	(void)lp;
	(void)id;
	inf->timer = 0;
	run_step(inf);
}

static void schedule(struct informer *inf, enum informer_next next, uint64_t delay_ms)
{
	inf->next = next;
	if (inf->timer)
		loop_timer_cancel(http_client_loop(inf->http), inf->timer);
	inf->timer = loop_timer_add(http_client_loop(inf->http), delay_ms, 0, on_timer, inf);
}

static void schedule_backoff(struct informer *inf, enum informer_next next)
{
	uint64_t d = backoff_next(&inf->backoff, time_mono_ms(), backoff_jitter());
	schedule(inf, next, d);
}

static void set_rv(struct informer *inf, const char *rv)
{
	if (rv && rv[0])
		snprintf(inf->st.resource_version, sizeof(inf->st.resource_version), "%s", rv);
}

/* ---- LIST ---- */

static enum od_status handle_page(struct informer *inf, struct buf *body, struct err *e)
{
	cJSON *root = NULL;
	enum od_status rc = OD_OK;
	char what[128];
	struct err pe = { 0 };

	snprintf(what, sizeof(what), "LIST %s", inf->res->plural);
	/* nodes in an arena reused from page to page: no malloc per node (jsonarena.h) */
	json_arena_reset(&inf->arena);
	rc = json_arena_parse(&inf->arena, buf_cstr(body), body->len, NULL, &root, &pe);
	if (rc == OD_ENOMEM) {
		*e = pe;
		return rc;
	}
	if (rc != OD_OK || !cJSON_IsObject(root))
		return status_error_bad_json(what, buf_cstr(body), body->len, e);
	rc = OD_OK;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(root, "metadata");
	if (!cJSON_IsArray(items) && !cJSON_IsNull(items))
		return err_set(e, OD_EPARSE, "error: %s: the response has no items", what);
	/* the tree holds copies: the body is no longer needed while the items are handed over */
	buf_free(body);
	if (!inf->listing) {
		inf->listing = true;
		if (inf->ops->list_begin)
			inf->ops->list_begin(inf->arg);
	}
	const cJSON *item;
	cJSON_ArrayForEach(item, items)
	{
		struct err ie;
		if (inf->ops->on_object(inf->arg, WATCH_ADDED, item, &ie) != OD_OK)
			report(inf, &ie);
	}
	const cJSON *cont = cJSON_GetObjectItemCaseSensitive(md, "continue");
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(md, "resourceVersion");
	free(inf->continue_token);
	inf->continue_token = NULL;
	if (cJSON_IsString(cont) && cont->valuestring[0]) {
		inf->continue_token = strdup(cont->valuestring);
		if (!inf->continue_token)
			rc = err_set(e, OD_ENOMEM, "out of memory");
	} else {
		set_rv(inf, cJSON_IsString(rv) ? rv->valuestring : NULL);
	}
	inf->st.pages++;
	return rc;
}

static void list_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct informer *inf = arg;
	struct err e;

	(void)call;
	inf->call = NULL;
	if (res->status != OD_OK) {
		report(inf, res->err);
		free(inf->continue_token);
		inf->continue_token = NULL;
		schedule_backoff(inf, NEXT_LIST);
		return;
	}
	enum od_status prc = handle_page(inf, res->body, &e);
	if (prc != OD_OK || !inf->continue_token)
		json_arena_free(&inf->arena);   /* between LISTs the arena holds no memory */
	if (prc != OD_OK) {
		report(inf, &e);
		free(inf->continue_token);
		inf->continue_token = NULL;
		schedule_backoff(inf, NEXT_LIST);
		return;
	}
	if (inf->continue_token) {
		schedule(inf, NEXT_LIST, 0);
		return;
	}
	inf->listing = false;
	inf->st.lists++;
	inf->st.synced = true;
	if (inf->ops->list_end)
		inf->ops->list_end(inf->arg);
	schedule(inf, NEXT_WATCH, 0);
}

static enum od_status start_list(struct informer *inf, struct err *e)
{
	struct api_target t = { inf->res, inf->namespace_, NULL, NULL };
	struct api_query q = { .label_selector = inf->label_selector,
			       .field_selector = inf->field_selector,
			       .limit = inf->page_limit,
			       .continue_token = inf->continue_token };
	struct buf path;
	enum od_status rc;

	if (!inf->continue_token)
		inf->listing = false;   /* a fresh LIST: list_begin comes with its first page */
	buf_init(&path, 8192);
	rc = api_build_path(&t, &q, &path, e);
	if (rc == OD_OK) {
		struct http_request rq = { .path = buf_cstr(&path), .on_done = list_done,
					   .arg = inf };
		rc = http_start(inf->http, &rq, &inf->call, e);
	}
	buf_free(&path);
	return rc;
}

/* ---- WATCH ---- */

static enum od_status on_watch_object(const char *text, size_t len, void *arg, struct err *e)
{
	struct informer *inf = arg;
	struct watch_event ev;
	enum od_status rc = watch_event_parse(text, len, &ev, e);

	if (rc != OD_OK)
		return rc;
	switch (ev.type) {
	case WATCH_BOOKMARK:
		inf->st.bookmarks++;
		set_rv(inf, ev.resource_version);
		break;
	case WATCH_ERROR:
		if (ev.gone) {
			inf->watch_gone = true;
			rc = err_set(e, OD_EAGAIN, "Error from server (%s): %s",
				     ev.reason[0] ? ev.reason : "Expired", ev.message);
		} else {
			rc = err_set(e, OD_EHTTP, "Error from server (%s): %s",
				     ev.reason[0] ? ev.reason : "Unknown", ev.message);
		}
		break;
	default: {
		struct err oe;
		inf->st.events++;
		if (inf->ops->on_object(inf->arg, ev.type, ev.object, &oe) != OD_OK)
			report(inf, &oe);
		set_rv(inf, ev.resource_version);
		break;
	}
	}
	watch_event_clear(&ev);
	return rc;
}

static enum od_status watch_data(const char *p, size_t n, void *arg, struct err *e)
{
	struct informer *inf = arg;

	return watch_splitter_feed(&inf->splitter, p, n, on_watch_object, inf, e);
}

static void watch_done(struct http_call *call, const struct http_result *res, void *arg)
{
	struct informer *inf = arg;
	struct err e;

	(void)call;
	inf->call = NULL;
	bool gone = inf->watch_gone || res->code == 410;
	if (gone) {
		/* the resourceVersion is too old: only a LIST can catch up */
		inf->st.expired++;
		LOG_INFO("informer", "%s: watch expired (410), relisting", inf->res->plural);
		inf->st.resource_version[0] = '\0';
		schedule_backoff(inf, NEXT_LIST);
		return;
	}
	if (res->status == OD_OK && watch_splitter_finish(&inf->splitter, &e) == OD_OK) {
		inf->st.rewatches++;
		/*
		 * As client-go's reflector does: a watch that ends within a second
		 * having delivered nothing is a failure, or a server (or proxy) that
		 * drops watches at once would be hammered in a tight loop.
		 */
		if (time_mono_ms() - inf->watch_started_ms < 1000 &&
		    inf->st.events + inf->st.bookmarks == inf->watch_seen_at_start) {
			LOG_WARN("informer", "%s: very short watch: it lasted less than a second "
				 "and delivered nothing", inf->res->plural);
			schedule_backoff(inf, NEXT_WATCH);
			return;
		}
		/* the server closed the watch (timeoutSeconds): carry on from where it stopped */
		schedule(inf, NEXT_WATCH, 0);
		return;
	}
	report(inf, res->status != OD_OK ? res->err : &e);
	inf->st.rewatches++;
	schedule_backoff(inf, inf->st.resource_version[0] ? NEXT_WATCH : NEXT_LIST);
}

static enum od_status start_watch(struct informer *inf, struct err *e)
{
	struct api_target t = { inf->res, inf->namespace_, NULL, NULL };
	unsigned span = inf->watch_max_s > inf->watch_min_s ? inf->watch_max_s - inf->watch_min_s : 0;
	long timeout = (long)inf->watch_min_s + (long)(backoff_jitter() * span);
	struct api_query q = { .label_selector = inf->label_selector,
			       .field_selector = inf->field_selector,
			       .resource_version = inf->st.resource_version,
			       .watch = true,
			       .allow_watch_bookmarks = true,
			       .timeout_seconds = timeout };
	struct buf path;
	enum od_status rc;

	watch_splitter_free(&inf->splitter);
	watch_splitter_init(&inf->splitter, WATCH_EVENT_MAX);
	inf->watch_gone = false;
	buf_init(&path, 8192);
	rc = api_build_path(&t, &q, &path, e);
	if (rc == OD_OK) {
		/* the server ends the watch; the client gives it a minute more before calling it dead */
		struct http_request rq = { .path = buf_cstr(&path), .on_data = watch_data,
					   .on_done = watch_done, .arg = inf,
					   .timeout_ms = (timeout + 60) * 1000 };
		rc = http_start(inf->http, &rq, &inf->call, e);
	}
	buf_free(&path);
	if (rc == OD_OK) {
		inf->st.watches++;
		inf->watch_started_ms = time_mono_ms();
		inf->watch_seen_at_start = inf->st.events + inf->st.bookmarks;
	}
	return rc;
}

static void run_step(struct informer *inf)
{
	struct err e;
	enum od_status rc;

	rc = inf->next == NEXT_LIST ? start_list(inf, &e) : start_watch(inf, &e);
	if (rc != OD_OK) {
		report(inf, &e);
		schedule_backoff(inf, inf->next);
	}
}

/* ---- lifecycle ---- */

static char *dup_opt(const char *s, bool *oom)
{
	char *d;

	if (!s || !s[0])
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

enum od_status informer_new(struct http_client *http, const struct informer_config *cfg,
			    const struct informer_ops *ops, void *arg, struct informer **out,
			    struct err *e)
{
	struct informer *inf;
	bool oom = false;

	*out = NULL;
	if (!cfg->res || !ops || !ops->on_object)
		return err_set(e, OD_EINVAL, "informer: a resource type and on_object are required");
	inf = calloc(1, sizeof(*inf));
	if (!inf)
		return err_set(e, OD_ENOMEM, "out of memory");
	inf->http = http;
	inf->res = cfg->res;
	inf->namespace_ = dup_opt(cfg->namespace_, &oom);
	inf->label_selector = dup_opt(cfg->label_selector, &oom);
	inf->field_selector = dup_opt(cfg->field_selector, &oom);
	inf->page_limit = cfg->page_limit > 0 ? cfg->page_limit : INFORMER_PAGE_LIMIT;
	inf->watch_min_s = cfg->watch_min_s ? cfg->watch_min_s : INFORMER_WATCH_MIN_S;
	inf->watch_max_s = cfg->watch_max_s ? cfg->watch_max_s : INFORMER_WATCH_MAX_S;
	inf->ops = ops;
	inf->arg = arg;
	backoff_init(&inf->backoff);
	if (cfg->backoff_base_ms)
		inf->backoff.base_ms = cfg->backoff_base_ms;
	watch_splitter_init(&inf->splitter, WATCH_EVENT_MAX);
	if (oom) {
		informer_free(&inf);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	*out = inf;
	return OD_OK;
}

enum od_status informer_start(struct informer *inf, struct err *e)
{
	(void)e;
	schedule(inf, NEXT_LIST, 0);
	return inf->timer ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

void informer_free(struct informer **p)
{
	struct informer *inf = *p;

	if (!inf)
		return;
	if (inf->call)
		http_cancel(inf->http, &inf->call);
	if (inf->timer)
		loop_timer_cancel(http_client_loop(inf->http), inf->timer);
	watch_splitter_free(&inf->splitter);
	json_arena_free(&inf->arena);
	free(inf->continue_token);
	free(inf->namespace_);
	free(inf->label_selector);
	free(inf->field_selector);
	free(inf);
	*p = NULL;
}

const struct informer_stats *informer_stats(const struct informer *inf)
{
	return &inf->st;
}
