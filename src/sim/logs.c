/*
 * logs.c: pods/log. Line i of a container instance (pod uid, container,
 * restart number) has a time and a text that are pure functions of the
 * seed and i: startup lines at start, then periodic lines at the
 * scenario's rate with a little jitter, warnings mixed in at their ratio.
 * Follow mode streams lines as the sim clock reaches them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_logs.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_status.h"

#define LOGS_FOLLOW_MS 200
#define LOGS_BODY_MAX (32u * 1024 * 1024)
#define LOGS_STARTUP_STEP_MS 15
#define LOGS_PERIODIC_START_MS 1000

/* Everything needed to produce one container instance's lines. */
struct log_src {
	struct sim *s;             /* borrowed */
	const cJSON *cfg;          /* borrowed: scenario logs entry for the container, or NULL */
	uint64_t key;              /* hash of seed, pod uid, container, restart */
	char pod[254], ns[64], container[254], version[128];
	int64_t start_ms;
	int64_t end_ms;            /* -1 while running */
	double period_ms;
	size_t nstartup;
	bool json;
};

static const char *const default_startup[] = { "Starting {container} {version}",
					       "Listening on 0.0.0.0:8080" };
static const char *const default_periodic[] = { "GET /healthz 200 {ms:1-20}ms",
						"GET /metrics 200 {ms:2-40}ms" };

static double parse_rate(const char *r)
{
	char *end = NULL;
	double v;
	if (!r)
		return 0.2;
	v = strtod(r, &end);
	if (end == r || v <= 0)
		return 0.2;
	if (strcmp(end, "/m") == 0)
		v /= 60.0;
	else if (strcmp(end, "/h") == 0)
		v /= 3600.0;
	return v > 50 ? 50 : v;
}

static size_t cfg_count(const cJSON *cfg, const char *key, size_t dflt)
{
	const cJSON *a = sim_json_get(cfg, key);
	return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : dflt;
}

static int64_t line_time(const struct log_src *l, uint64_t i)
{
	if (i < l->nstartup)
		return l->start_ms + (int64_t)i * LOGS_STARTUP_STEP_MS;
	uint64_t j = i - l->nstartup;
	uint64_t h = sim_rng_fnv(l->key ^ (j * UINT64_C(0x9e3779b97f4a7c15)), "t");
	double jitter = (double)(h % 1000) / 1000.0 * l->period_ms * 0.5;
	return l->start_ms + LOGS_PERIODIC_START_MS + (int64_t)((double)j * l->period_ms + jitter);
}

/* Number of lines with time <= t. */
static uint64_t lines_upto(const struct log_src *l, int64_t t)
{
	if (t < l->start_ms)
		return 0;
	uint64_t n = 0;
	while (n < l->nstartup && line_time(l, n) <= t)
		n++;
	if (n < l->nstartup || t < l->start_ms + LOGS_PERIODIC_START_MS)
		return n;
	uint64_t j = (uint64_t)((double)(t - l->start_ms - LOGS_PERIODIC_START_MS) / l->period_ms) + 1;
	while (j > 0 && line_time(l, l->nstartup + j - 1) > t)
		j--;
	return l->nstartup + j;
}

/* Index of the first line with time >= t. */
static uint64_t first_from(const struct log_src *l, int64_t t)
{
	return t <= l->start_ms ? 0 : lines_upto(l, t - 1);
}

static void expand(const struct log_src *l, const char *tmpl, struct sim_rng *r, char *out,
		   size_t n)
{
	size_t len = 0;
	for (const char *p = tmpl; *p && len + 1 < n;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *inner = *p == '{' ? strchr(p + 1, '{') : NULL;
		/* "{@user{int:1-9}:x}": the outer brace is text, the inner one a placeholder */
		if (!close || (inner && inner < close)) {
			out[len++] = *p++;
			continue;
		}
		char ph[256];
		size_t pl = (size_t)(close - p - 1);
		if (pl >= sizeof(ph))
			pl = sizeof(ph) - 1;
		memcpy(ph, p + 1, pl);
		ph[pl] = '\0';
		char val[256] = "";
		long a, b;
		if (sscanf(ph, "int:%ld-%ld", &a, &b) == 2)
			snprintf(val, sizeof(val), "%lld", (long long)sim_rng_range(r, a, b));
		else if (sscanf(ph, "ms:%ld-%ld", &a, &b) == 2)
			snprintf(val, sizeof(val), "%lld", (long long)sim_rng_range(r, a, b));
		else if (sscanf(ph, "hex:%ld", &a) == 1) {
			for (long k = 0; k < a && k < 64; k++)
				val[k] = "0123456789abcdef"[sim_rng_next(r) % 16];
			val[a < 64 ? a : 64] = '\0';
		} else if (strcmp(ph, "uuid") == 0) {
			sim_rng_uuid(r, val);
		} else if (strcmp(ph, "ip") == 0) {
			snprintf(val, sizeof(val), "10.%d.%d.%d", (int)sim_rng_range(r, 0, 255),
				 (int)sim_rng_range(r, 0, 255), (int)sim_rng_range(r, 1, 254));
		} else if (strcmp(ph, "version") == 0) {
			snprintf(val, sizeof(val), "%s", l->version);
		} else if (strcmp(ph, "pod") == 0) {
			snprintf(val, sizeof(val), "%s", l->pod);
		} else if (strcmp(ph, "ns") == 0) {
			snprintf(val, sizeof(val), "%s", l->ns);
		} else if (strcmp(ph, "container") == 0) {
			snprintf(val, sizeof(val), "%s", l->container);
		} else if (strncmp(ph, "choice:", 7) == 0) {
			int count = 1;
			for (const char *c = ph + 7; *c; c++)
				count += *c == '|';
			int pick = (int)sim_rng_range(r, 0, count - 1);
			const char *c = ph + 7;
			for (int k = 0; k < pick; k++)
				c = strchr(c, '|') + 1;
			size_t cl = strcspn(c, "|");
			snprintf(val, sizeof(val), "%.*s", (int)cl, c);
		} else {
			snprintf(val, sizeof(val), "{%.200s}", ph);
		}
		len += (size_t)snprintf(out + len, n - len, "%s", val);
		if (len >= n)
			len = n - 1;
		p = close + 1;
	}
	out[len] = '\0';
}

static const char *pick(const cJSON *cfg, const char *key, const char *const *dflt, size_t ndflt,
			uint64_t idx)
{
	const cJSON *a = sim_json_get(cfg, key);
	if (cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0) {
		const cJSON *it = cJSON_GetArrayItem(a, (int)(idx % (uint64_t)cJSON_GetArraySize(a)));
		return cJSON_IsString(it) ? it->valuestring : "";
	}
	return dflt ? dflt[idx % ndflt] : "";
}

/* Appends line i (with its timestamp when asked) to b. */
static bool line_append(const struct log_src *l, uint64_t i, bool timestamps, struct buf *b)
{
	struct sim_rng r;
	char text[2048], ts[TIME_RFC3339_MAX];
	int64_t t = line_time(l, i);
	bool warn = false, error = false;
	sim_rng_seed(&r, l->key ^ (i * UINT64_C(0xd1b54a32d192ed03)));
	const char *tmpl;
	double burst = i < l->nstartup ? 0 : sim_faults_error_ratio(l->s, l->ns, l->pod, t);
	if (i < l->nstartup) {
		tmpl = pick(l->cfg, "startup", default_startup, 2, i);
	} else if (burst > 0 && sim_rng_unit(&r) < burst) {
		/* errorburst: the scenario's error lines, reserved for faults */
		static const char *const default_errors[] = { "ERROR {container}: upstream request failed: connection refused" };
		tmpl = pick(l->cfg, "errors", default_errors, 1, sim_rng_next(&r));
		error = true;
	} else {
		double ratio = sim_json_num(l->cfg, "warnings.ratio", 0);
		if (ratio > 0 && sim_rng_unit(&r) < ratio && cfg_count(l->cfg, "warnings.lines", 0) > 0) {
			tmpl = pick(l->cfg, "warnings.lines", NULL, 0, sim_rng_next(&r));
			warn = true;
		} else {
			tmpl = pick(l->cfg, "periodic", default_periodic, 2, sim_rng_next(&r));
		}
	}
	expand(l, tmpl, &r, text, sizeof(text));
	struct od_time ot = { .sec = t / 1000, .nsec = (int32_t)((t % 1000) * 1000000 +
								   (int64_t)(sim_rng_next(&r) % 1000000)) };
	if (timestamps) {
		time_format_rfc3339_nano(ot, ts, sizeof(ts));
		if (buf_printf(b, NULL, "%s ", ts) != OD_OK)
			return false;
	}
	if (l->json && text[0] != '{') {
		char iso[TIME_RFC3339_MAX];
		time_format_rfc3339_micro(ot, iso, sizeof(iso));
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "time", iso);
		cJSON_AddStringToObject(j, "level", error ? "error" : warn ? "warning" : "info");
		cJSON_AddStringToObject(j, "msg", text);
		char *p = cJSON_PrintUnformatted(j);
		cJSON_Delete(j);
		enum od_status rc = buf_printf(b, NULL, "%s\n", p ? p : "{}");
		free(p);
		return rc == OD_OK;
	}
	return buf_printf(b, NULL, "%s\n", text) == OD_OK;
}

/* Sets up src for pod's container; previous selects the last terminated instance. */
static cJSON *log_src_init(struct sim *s, const struct sim_obj *pod, const char *container,
			   bool previous, struct log_src *l)
{
	char msg[600], kind[64], wname[254];
	const cJSON *spec_cs = sim_json_get(pod->json, "spec.containers");
	const cJSON *spec_c = NULL, *st = NULL;
	int idx = 0;
	memset(l, 0, sizeof(*l));
	l->s = s;
	if (!container || !*container) {
		if (cJSON_GetArraySize(spec_cs) != 1) {
			size_t len = 0;
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
						"a container name must be specified for pod %s, choose one of: [", pod->name);
			for (const cJSON *c = spec_cs ? spec_cs->child : NULL; c && len < sizeof(msg); c = c->next)
				len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", c == spec_cs->child ? "" : " ",
							sim_json_str_or(c, "name", ""));
			if (len < sizeof(msg))
				snprintf(msg + len, sizeof(msg) - len, "]");
			return sim_status_bad_request(msg);
		}
		container = sim_json_str_or(spec_cs->child, "name", "");
	}
	for (const cJSON *c = spec_cs ? spec_cs->child : NULL; c; c = c->next, idx++)
		if (strcmp(sim_json_str_or(c, "name", ""), container) == 0) {
			spec_c = c;
			break;
		}
	if (!spec_c) {
		snprintf(msg, sizeof(msg), "container %s is not valid for pod %s", container, pod->name);
		return sim_status_bad_request(msg);
	}
	const cJSON *sts = sim_json_get(pod->json, "status.containerStatuses");
	for (const cJSON *c = sts ? sts->child : NULL; c; c = c->next)
		if (strcmp(sim_json_str_or(c, "name", ""), container) == 0)
			st = c;
	int64_t restarts = sim_json_int(st, "restartCount", 0);
	if (previous) {
		if (!sim_ctrl_time_ms(st, "lastState.terminated.startedAt", &l->start_ms) ||
		    !sim_ctrl_time_ms(st, "lastState.terminated.finishedAt", &l->end_ms)) {
			snprintf(msg, sizeof(msg), "previous terminated container \"%s\" in pod \"%s\" not found",
				 container, pod->name);
			return sim_status_bad_request(msg);
		}
		restarts = restarts > 0 ? restarts - 1 : 0;
	} else if (sim_ctrl_time_ms(st, "state.running.startedAt", &l->start_ms)) {
		l->end_ms = -1;
	} else if (sim_ctrl_time_ms(st, "state.terminated.startedAt", &l->start_ms) &&
		   sim_ctrl_time_ms(st, "state.terminated.finishedAt", &l->end_ms)) {
		/* a finished container keeps its log */
	} else {
		const char *reason = sim_json_str_or(st, "state.waiting.reason", "ContainerCreating");
		snprintf(msg, sizeof(msg), "container \"%s\" in pod \"%s\" is waiting to start: %s",
			 container, pod->name, reason);
		return sim_status_bad_request(msg);
	}
	snprintf(l->pod, sizeof(l->pod), "%s", pod->name);
	snprintf(l->ns, sizeof(l->ns), "%s", pod->ns);
	snprintf(l->container, sizeof(l->container), "%s", container);
	const char *image = sim_json_str_or(spec_c, "image", "");
	const char *tag = strrchr(image, ':');
	snprintf(l->version, sizeof(l->version), "%s",
		 tag && !strchr(tag, '/') ? tag + 1 : "latest");
	char keybuf[800];
	snprintf(keybuf, sizeof(keybuf), "%llu/%s/%s/%lld", (unsigned long long)s->seed,
		 sim_json_str_or(pod->json, "metadata.uid", pod->name), container, (long long)restarts);
	l->key = sim_rng_fnv(SIM_FNV_INIT, keybuf);
	if (sim_ctrl_pod_workload(s, pod->json, kind, sizeof(kind), wname, sizeof(wname))) {
		const cJSON *wl = sim_workload_config(s, pod->ns, kind, wname);
		const cJSON *logs = sim_json_get(wl, "logs");
		l->cfg = logs ? cJSON_GetObjectItemCaseSensitive(logs, container) : NULL;
	}
	l->json = sim_json_bool(l->cfg, "json", false);
	l->period_ms = 1000.0 / parse_rate(sim_json_str(l->cfg, "rate"));
	l->nstartup = cfg_count(l->cfg, "startup", 2);
	return NULL;
}

struct follower {
	struct log_src src;
	struct sim_stream *stream;    /* borrowed: the stream owns the follower */
	char uid[64];
	uint64_t next;                /* next line index to send */
	bool timestamps;
	int64_t bytes_left;           /* -1: unlimited */
	uint64_t timer;
};

static void follower_close(void *producer)
{
	struct follower *f = producer;
	if (f->timer)
		loop_timer_cancel(f->src.s->loop, f->timer);
	free(f);
}

static void follower_emit(struct follower *f, uint64_t upto)
{
	struct buf b;
	buf_init(&b, LOGS_BODY_MAX);
	for (; f->next < upto; f->next++)
		if (!line_append(&f->src, f->next, f->timestamps, &b))
			break;
	size_t n = b.len;
	if (f->bytes_left >= 0 && (int64_t)n > f->bytes_left)
		n = (size_t)f->bytes_left;
	if (n)
		sim_stream_write(f->stream, b.data, n);
	if (f->bytes_left >= 0) {
		f->bytes_left -= (int64_t)n;
		if (f->bytes_left <= 0)
			sim_stream_finish(f->stream);
	}
	buf_free(&b);
}

static void follower_tick(struct loop *lp, uint64_t id, void *arg)
{
	struct follower *f = arg;
	struct sim *s = f->src.s;
	(void)lp;
	(void)id;
	if (f->stream->finished)
		return;
	struct sim_obj *pod = sim_store_get(s->store, SIM_RES_PODS, f->src.ns, f->src.pod);
	bool gone = !pod || strcmp(sim_json_str_or(pod->json, "metadata.uid", ""), f->uid) != 0;
	int64_t now = sim_clock_now_ms(&s->clock);
	follower_emit(f, lines_upto(&f->src, now));
	/* The stream ends when the container does: pod gone, terminating or finished. */
	if (gone || sim_ctrl_pod_terminating_p(pod->json) || sim_ctrl_pod_finished(pod->json)) {
		f->timer = 0;
		loop_timer_cancel(lp, id);
		sim_stream_finish(f->stream);
	}
}

void sim_logs_handle(struct sim *s, const struct sim_obj *pod, const struct sim_query *q,
		     struct sim_response *resp)
{
	struct log_src l;
	cJSON *st = log_src_init(s, pod, q->container, q->previous, &l);
	int64_t now = sim_clock_now_ms(&s->clock), since = INT64_MIN;
	struct od_time t;

	if (st) {
		resp->code = (int)sim_json_num(st, "code", 400);
		resp->json = st;
		resp->content_type = "application/json";
		return;
	}
	if (q->since_seconds >= 0)
		since = now - q->since_seconds * 1000;
	if (q->since_time && *q->since_time) {
		if (time_parse_rfc3339(q->since_time, &t, NULL) != OD_OK) {
			resp->json = sim_status_bad_request("sinceTime: invalid value");
			resp->code = 400;
			resp->content_type = "application/json";
			return;
		}
		since = sim_clock_to_ms(t);
	}
	int64_t upto_t = l.end_ms >= 0 && l.end_ms < now ? l.end_ms : now;
	uint64_t end = lines_upto(&l, upto_t);
	uint64_t begin = since == INT64_MIN ? 0 : first_from(&l, since);
	if (q->tail_lines >= 0 && end - (begin < end ? begin : end) > (uint64_t)q->tail_lines)
		begin = end - (uint64_t)q->tail_lines;
	if (begin > end)
		begin = end;
	bool follow = q->follow && l.end_ms < 0 && !q->previous;
	if (follow) {
		struct follower *f = calloc(1, sizeof(*f));
		if (!f) {
			resp->code = 500;
			resp->json = sim_status_internal("out of memory");
			resp->content_type = "application/json";
			return;
		}
		f->src = l;
		f->next = begin;
		f->timestamps = q->timestamps;
		f->bytes_left = q->limit_bytes >= 0 ? q->limit_bytes : -1;
		snprintf(f->uid, sizeof(f->uid), "%s", sim_json_str_or(pod->json, "metadata.uid", ""));
		f->stream = sim_stream_new(f, follower_close);
		if (!f->stream) {
			free(f);
			resp->code = 500;
			resp->json = sim_status_internal("out of memory");
			resp->content_type = "application/json";
			return;
		}
		follower_emit(f, end);
		f->timer = loop_timer_add(s->loop, LOGS_FOLLOW_MS, LOGS_FOLLOW_MS, follower_tick, f);
		resp->code = 200;
		resp->stream = f->stream;
		resp->content_type = "text/plain";
		return;
	}
	struct buf b;
	buf_init(&b, LOGS_BODY_MAX);
	for (uint64_t i = begin; i < end; i++)
		if (!line_append(&l, i, q->timestamps, &b))
			break;
	size_t n = b.len;
	if (q->limit_bytes >= 0 && (int64_t)n > q->limit_bytes)
		n = (size_t)q->limit_bytes;
	resp->code = 200;
	resp->text = buf_detach(&b, NULL);
	resp->text_len = n;
	resp->content_type = "text/plain";
}
