/*
 * prom.c: Prometheus text on --metrics-listen (see sim_prom.h). A second
 * libmicrohttpd daemon in external epoll mode, in the same loop as the API
 * server; every body is a pure function of the model at one sim time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "opsdeck/duration.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_metrics.h"
#include "opsdeck/sim_prom.h"

#define PROM_TICK_MS 200
#define PROM_BODY_MAX (64u * 1024 * 1024)

struct sim_prom {
	struct sim *s;                 /* borrowed */
	struct MHD_Daemon *daemon;     /* owned */
	int epoll_fd;                  /* owned by MHD */
	uint64_t tick_timer;
	int64_t backfill_ms;
	char url[128];
};

/* The families of /metrics, in output order. */
enum prom_family {
	FAM_CPU,
	FAM_MEM,
	FAM_WSS,
	FAM_LIMIT,
	FAM_VOL_USED,
	FAM_VOL_CAP,
	FAM_VOL_AVAIL,
	FAM_RESTARTS,
	FAM_READY,
	FAM_N
};

static const struct {
	const char *name, *type, *help;
} families[FAM_N] = {
	{ "container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed in seconds." },
	{ "container_memory_usage_bytes", "gauge", "Current memory usage in bytes, including all memory regardless of when it was accessed" },
	{ "container_memory_working_set_bytes", "gauge", "Current working set in bytes." },
	{ "container_spec_memory_limit_bytes", "gauge", "Memory limit for the container." },
	{ "kubelet_volume_stats_used_bytes", "gauge", "Number of used bytes in the volume" },
	{ "kubelet_volume_stats_capacity_bytes", "gauge", "Capacity in bytes of the volume" },
	{ "kubelet_volume_stats_available_bytes", "gauge", "Number of available bytes in the volume" },
	{ "kube_pod_container_status_restarts_total", "counter", "The number of container restarts per container." },
	{ "kube_pod_status_ready", "gauge", "Describes whether the pod is ready to serve requests." },
};

/* Label values are Kubernetes names and images; escape anyway as the format asks. */
static void esc(const char *in, char *out, size_t n)
{
	size_t j = 0;
	for (; in && *in && j + 3 < n; in++) {
		if (*in == '\\' || *in == '"') {
			out[j++] = '\\';
			out[j++] = *in;
		} else if (*in == '\n') {
			out[j++] = '\\';
			out[j++] = 'n';
		} else {
			out[j++] = *in;
		}
	}
	out[j] = '\0';
}

static void sample(struct buf *b, const char *name, const char *labels, double v, bool with_ts,
		   int64_t t_ms)
{
	if (with_ts)
		buf_printf(b, NULL, "%s{%s} %.17g %lld\n", name, labels, v, (long long)t_ms);
	else
		buf_printf(b, NULL, "%s{%s} %.17g\n", name, labels, v);
}

static void pod_series(struct sim *s, const cJSON *pod, int64_t t, int64_t origin, bool with_ts,
		       struct buf *fam)
{
	char ns[128], pn[512], cn[512], img[1024], uid[128], lab[2600];
	esc(sim_json_str_or(pod, "metadata.namespace", ""), ns, sizeof(ns));
	esc(sim_json_str_or(pod, "metadata.name", ""), pn, sizeof(pn));
	esc(sim_json_str_or(pod, "metadata.uid", ""), uid, sizeof(uid));
	const cJSON *spec = sim_json_get(pod, "spec.containers");
	const cJSON *sts = sim_json_get(pod, "status.containerStatuses");
	for (const cJSON *c = spec ? spec->child : NULL; c; c = c->next) {
		struct sim_metrics_sample m;
		const char *cname = sim_json_str_or(c, "name", "");
		esc(cname, cn, sizeof(cn));
		esc(sim_json_str_or(c, "image", ""), img, sizeof(img));
		if (sim_metrics_container_hist(s, pod, cname, t, origin, &m)) {
			snprintf(lab, sizeof(lab), "container=\"%s\",cpu=\"total\",image=\"%s\",namespace=\"%s\",pod=\"%s\"",
				 cn, img, ns, pn);
			sample(&fam[FAM_CPU], families[FAM_CPU].name, lab, m.cpu_seconds, with_ts, t);
			snprintf(lab, sizeof(lab), "container=\"%s\",image=\"%s\",namespace=\"%s\",pod=\"%s\"",
				 cn, img, ns, pn);
			sample(&fam[FAM_MEM], families[FAM_MEM].name, lab, floor(m.mem_bytes * 1.1), with_ts, t);
			sample(&fam[FAM_WSS], families[FAM_WSS].name, lab, floor(m.mem_bytes), with_ts, t);
			sample(&fam[FAM_LIMIT], families[FAM_LIMIT].name, lab, m.mem_limit_bytes, with_ts, t);
		}
		for (const cJSON *st = sts ? sts->child : NULL; st; st = st->next) {
			if (strcmp(sim_json_str_or(st, "name", ""), cname) != 0)
				continue;
			snprintf(lab, sizeof(lab), "container=\"%s\",namespace=\"%s\",pod=\"%s\",uid=\"%s\"",
				 cn, ns, pn, uid);
			sample(&fam[FAM_RESTARTS], families[FAM_RESTARTS].name, lab,
			       (double)sim_json_int(st, "restartCount", 0), with_ts, t);
		}
	}
	static const char *const conds[] = { "true", "false", "unknown" };
	bool ready = sim_ctrl_pod_ready(pod);
	for (int i = 0; i < 3; i++) {
		snprintf(lab, sizeof(lab), "condition=\"%s\",namespace=\"%s\",pod=\"%s\",uid=\"%s\"",
			 conds[i], ns, pn, uid);
		sample(&fam[FAM_READY], families[FAM_READY].name, lab,
		       (i == 0 && ready) || (i == 1 && !ready) ? 1 : 0, with_ts, t);
	}
}

static void pvc_series(struct sim *s, const cJSON *pvc, int64_t t, bool with_ts, struct buf *fam)
{
	char ns[128], name[512], lab[800];
	double used, cap;
	if (!sim_metrics_volume(s, pvc, t, &used, &cap))
		return;
	esc(sim_json_str_or(pvc, "metadata.namespace", ""), ns, sizeof(ns));
	esc(sim_json_str_or(pvc, "metadata.name", ""), name, sizeof(name));
	snprintf(lab, sizeof(lab), "namespace=\"%s\",persistentvolumeclaim=\"%s\"", ns, name);
	sample(&fam[FAM_VOL_USED], families[FAM_VOL_USED].name, lab, floor(used), with_ts, t);
	sample(&fam[FAM_VOL_CAP], families[FAM_VOL_CAP].name, lab, floor(cap), with_ts, t);
	sample(&fam[FAM_VOL_AVAIL], families[FAM_VOL_AVAIL].name, lab, floor(cap - used), with_ts, t);
}

/* Appends every family's samples at t to fam[]. */
static void cluster_samples(struct sim *s, int64_t t, int64_t origin, bool with_ts,
			    struct buf *fam)
{
	struct sim_obj **objs;
	size_t n = sim_store_list(s->store, SIM_RES_PODS, NULL, &objs);
	for (size_t i = 0; i < n; i++) {
		const cJSON *pod = objs[i]->json;
		if (strcmp(sim_json_str_or(pod, "status.phase", ""), "Running") == 0 ||
		    strcmp(sim_json_str_or(pod, "status.phase", ""), "Pending") == 0)
			pod_series(s, pod, t, origin, with_ts, fam);
	}
	n = sim_store_list(s->store, SIM_RES_PVCS, NULL, &objs);
	for (size_t i = 0; i < n; i++)
		pvc_series(s, objs[i]->json, t, with_ts, fam);
}

static void fams_init(struct buf *fam, size_t max)
{
	for (int i = 0; i < FAM_N; i++) {
		buf_init(&fam[i], max);
		buf_printf(&fam[i], NULL, "# HELP %s %s\n# TYPE %s %s\n", families[i].name,
			   families[i].help, families[i].name, families[i].type);
	}
}

/* Concatenates fam[] into b and frees them. */
static enum od_status fams_join(struct buf *fam, struct buf *b, struct err *e)
{
	enum od_status rc = OD_OK;
	for (int i = 0; i < FAM_N; i++) {
		if (rc == OD_OK && fam[i].len)
			rc = buf_append(b, fam[i].data, fam[i].len, e);
		buf_free(&fam[i]);
	}
	return rc;
}

enum od_status sim_prom_write_cluster(struct sim *s, int64_t t_ms, int64_t origin_ms,
				      bool with_ts, bool header, struct buf *b, struct err *e)
{
	struct buf fam[FAM_N];
	(void)header;
	fams_init(fam, b->max);
	cluster_samples(s, t_ms, origin_ms, with_ts, fam);
	return fams_join(fam, b, e);
}

/* ---- workload targets ---------------------------------------------------- */

static double norm_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

static double cfg_seconds(const cJSON *h, const char *key, double dflt)
{
	int64_t ns;
	const char *v = sim_json_str(h, key);
	return v && duration_parse(v, &ns, NULL) == OD_OK && ns > 0 ? (double)ns / 1e9 : dflt;
}

/*
 * http_request_duration_seconds as a log-normal fitted to the scenario's
 * p50 and p95, over the requests since the oldest ready pod started.
 */
static void http_series(const cJSON *http, const char *ns, const char *name, double secs,
			struct buf *b)
{
	static const double le[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
	double rate = 10, err = sim_json_num(http, "errorRatio", 0.001);
	double p50 = cfg_seconds(http, "p50", 0.01), p95 = cfg_seconds(http, "p95", 0.05);
	if (!sim_metrics_parse_rate(sim_json_str(http, "rate"), &rate))
		rate = 10;
	if (p95 <= p50)
		p95 = p50 * 1.5;
	double mu = log(p50), sigma = log(p95 / p50) / 1.6448536;
	double total = floor(rate * secs);
	double errors = floor(total * err);
	buf_printf(b, NULL, "# HELP http_requests_total Total number of HTTP requests.\n"
		   "# TYPE http_requests_total counter\n");
	buf_printf(b, NULL, "http_requests_total{code=\"200\",job=\"%s\",method=\"GET\",namespace=\"%s\"} %.0f\n",
		   name, ns, total - errors);
	buf_printf(b, NULL, "http_requests_total{code=\"500\",job=\"%s\",method=\"GET\",namespace=\"%s\"} %.0f\n",
		   name, ns, errors);
	buf_printf(b, NULL, "# HELP http_request_duration_seconds HTTP request latency.\n"
		   "# TYPE http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < sizeof(le) / sizeof(le[0]); i++)
		buf_printf(b, NULL, "http_request_duration_seconds_bucket{job=\"%s\",namespace=\"%s\",le=\"%g\"} %.0f\n",
			   name, ns, le[i], floor(total * norm_cdf((log(le[i]) - mu) / sigma)));
	buf_printf(b, NULL, "http_request_duration_seconds_bucket{job=\"%s\",namespace=\"%s\",le=\"+Inf\"} %.0f\n",
		   name, ns, total);
	buf_printf(b, NULL, "http_request_duration_seconds_sum{job=\"%s\",namespace=\"%s\"} %.6f\n", name,
		   ns, total * exp(mu + sigma * sigma / 2));
	buf_printf(b, NULL, "http_request_duration_seconds_count{job=\"%s\",namespace=\"%s\"} %.0f\n",
		   name, ns, total);
}

bool sim_prom_write_workload(struct sim *s, const char *ns, const char *name, int64_t t_ms,
			     struct buf *b)
{
	struct sim_obj **pods;
	char kind[64], wl[254];
	const cJSON *cfg = NULL;
	double cpu = 0, mem = 0;
	bool pg_exporter = false;
	int64_t oldest = INT64_MAX;
	size_t n = sim_store_list(s->store, SIM_RES_PODS, ns, &pods), ready = 0;
	for (size_t i = 0; i < n; i++) {
		const cJSON *pod = pods[i]->json;
		if (!sim_ctrl_pod_workload(s, pod, kind, sizeof(kind), wl, sizeof(wl)) ||
		    strcmp(wl, name) != 0 || !sim_ctrl_pod_ready(pod))
			continue;
		ready++;
		if (!cfg)
			cfg = sim_workload_config(s, ns, kind, wl);
		const cJSON *spec = sim_json_get(pod, "spec.containers");
		for (const cJSON *c = spec ? spec->child : NULL; c; c = c->next) {
			struct sim_metrics_sample m;
			int64_t st;
			if (strcmp(sim_json_str_or(c, "name", ""), "postgres-exporter") == 0)
				pg_exporter = true;
			if (!sim_metrics_container(s, pod, sim_json_str_or(c, "name", ""), t_ms, &m))
				continue;
			cpu += m.cpu_seconds;
			mem += m.mem_bytes;
			const cJSON *cs = sim_json_get(pod, "status.containerStatuses");
			if (cs && sim_ctrl_time_ms(cs->child, "state.running.startedAt", &st) && st < oldest)
				oldest = st;
		}
	}
	if (!ready)
		return false;
	buf_printf(b, NULL, "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
		   "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.3f\n", cpu);
	buf_printf(b, NULL, "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
		   "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %.0f\n", mem);
	const cJSON *http = sim_json_get(cfg, "http");
	if (http && oldest != INT64_MAX)
		http_series(http, ns, name, (double)(t_ms - oldest) / 1000.0, b);
	/*
	 * A postgres-exporter container serves the two series the runbook's
	 * DatabaseConnectionsHigh divides, with the same labels so that its
	 * one-to-one match holds: the workload's `postgres` block gives
	 * maxConnections (default 100) and backends (default 20).
	 */
	if (pg_exporter) {
		const cJSON *pg = sim_json_get(cfg, "postgres");
		buf_printf(b, NULL, "# HELP pg_settings_max_connections Sets the maximum number of concurrent connections.\n"
			   "# TYPE pg_settings_max_connections gauge\npg_settings_max_connections %.0f\n",
			   sim_json_num(pg, "maxConnections", 100));
		buf_printf(b, NULL, "# HELP pg_stat_database_numbackends Number of backends currently connected to this database.\n"
			   "# TYPE pg_stat_database_numbackends gauge\npg_stat_database_numbackends %.0f\n",
			   sim_json_num(pg, "backends", 20));
	}
	return true;
}

/* ---- history ------------------------------------------------------------- */

static bool parse_instant(const char *v, int64_t *ms)
{
	struct od_time t;
	char *end;
	double x;
	if (!v || !*v)
		return false;
	x = strtod(v, &end);
	if (end != v && *end == '\0') {
		*ms = (int64_t)llround(x * 1000);
		return true;
	}
	if (time_parse_rfc3339(v, &t, NULL) != OD_OK)
		return false;
	*ms = sim_clock_to_ms(t);
	return true;
}

enum od_status sim_prom_parse_history(const char *start, const char *end, const char *step,
				      int64_t *start_ms, int64_t *end_ms, int64_t *step_ms,
				      struct err *e)
{
	int64_t ns;
	char *stop;
	if (!parse_instant(start, start_ms) || !parse_instant(end, end_ms))
		return err_set(e, OD_EPARSE, "start and end must be RFC 3339 or Unix seconds");
	if (!step || !*step)
		return err_set(e, OD_EPARSE, "step is required");
	double x = strtod(step, &stop);
	if (stop != step && *stop == '\0')
		*step_ms = (int64_t)llround(x * 1000);
	else if (duration_parse(step, &ns, NULL) == OD_OK)
		*step_ms = ns / 1000000;
	else
		return err_set(e, OD_EPARSE, "step: not a duration");
	if (*step_ms < 1000)
		return err_set(e, OD_ERANGE, "step must be at least 1s");
	if (*end_ms < *start_ms)
		return err_set(e, OD_ERANGE, "end is before start");
	if ((*end_ms - *start_ms) / *step_ms > 100000)
		return err_set(e, OD_ERANGE, "more than 100000 points: raise step");
	return OD_OK;
}

/* ---- HTTP ---------------------------------------------------------------- */

static enum MHD_Result reply(struct sim_prom *p, struct MHD_Connection *conn, int code,
			     const char *ctype, char *body, size_t len)
{
	char date[64];
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;
	if (!r) {
		free(body);
		return MHD_NO;
	}
	time_format_http_date(sim_clock_now(&p->s->clock), date, sizeof(date));
	MHD_add_response_header(r, MHD_HTTP_HEADER_DATE, date);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	ret = MHD_queue_response(conn, (unsigned)code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct sim_prom *p, struct MHD_Connection *conn, int code,
				  const char *msg)
{
	char *body = strdup(msg);
	return reply(p, conn, code, "text/plain; charset=utf-8", body, body ? strlen(body) : 0);
}

#define PROM_CTYPE "text/plain; version=0.0.4; charset=utf-8"

static enum MHD_Result serve_history(struct sim_prom *p, struct MHD_Connection *conn)
{
	int64_t start, end, step, now = sim_clock_now_ms(&p->s->clock);
	struct err e;
	struct buf fam[FAM_N], b;
	char msg[600];
	if (p->backfill_ms <= 0)
		return reply_text(p, conn, 404, "history is off: start the sim with --backfill DURATION\n");
	if (sim_prom_parse_history(MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "start"),
				   MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "end"),
				   MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "step"),
				   &start, &end, &step, &e) != OD_OK) {
		snprintf(msg, sizeof(msg), "%s\n", e.msg);
		return reply_text(p, conn, 400, msg);
	}
	int64_t origin = now - p->backfill_ms;
	if (start < origin)
		start = origin + ((origin - start) % step ? step - (origin - start) % step : 0);
	if (end > now)
		end = now;
	fams_init(fam, SIM_PROM_HISTORY_MAX / FAM_N);
	for (int64_t t = start; t <= end; t += step)
		cluster_samples(p->s, t, origin, true, fam);
	for (int i = 0; i < FAM_N; i++)
		if (fam[i].len + 64 >= fam[i].max) {
			for (int j = 0; j < FAM_N; j++)
				buf_free(&fam[j]);
			return reply_text(p, conn, 400, "answer too large: raise step or narrow start..end\n");
		}
	buf_init(&b, SIM_PROM_HISTORY_MAX);
	if (fams_join(fam, &b, &e) != OD_OK) {
		buf_free(&b);
		return reply_text(p, conn, 400, "answer too large: raise step or narrow start..end\n");
	}
	size_t len = b.len;
	char *body = buf_detach(&b, &len);
	return reply(p, conn, 200, PROM_CTYPE, body ? body : strdup(""), body ? len : 0);
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version,
				 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct sim_prom *p = cls;
	struct buf b;
	struct err e;
	char ns[64], name[254];
	int64_t now = sim_clock_now_ms(&p->s->clock);
	(void)version;
	(void)upload_data;
	if (!*con_cls) {
		*con_cls = p;   /* first call: headers only */
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;   /* bodies are ignored */
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_text(p, conn, 405, "method not allowed\n");
	if (strcmp(url, "/metrics/history") == 0)
		return serve_history(p, conn);
	buf_init(&b, PROM_BODY_MAX);
	if (strcmp(url, "/metrics") == 0) {
		if (sim_prom_write_cluster(p->s, now, INT64_MAX, false, true, &b, &e) != OD_OK) {
			buf_free(&b);
			return reply_text(p, conn, 500, "metrics too large\n");
		}
	} else if (sscanf(url, "/metrics/%63[^/]/%253[^/]", ns, name) == 2 &&
		   strlen(url) == 10 + strlen(ns) + strlen(name)) {
		/* Down like a real target: nothing listens while no pod is Ready. */
		if (!sim_prom_write_workload(p->s, ns, name, now, &b)) {
			buf_free(&b);
			return reply_text(p, conn, 503, "no ready pod behind this target\n");
		}
	} else {
		buf_free(&b);
		return reply_text(p, conn, 404, "404 page not found\n");
	}
	size_t len = b.len;
	char *body = buf_detach(&b, &len);
	return reply(p, conn, 200, PROM_CTYPE, body ? body : strdup(""), body ? len : 0);
}

static void prom_run(struct sim_prom *p)
{
	MHD_UNSIGNED_LONG_LONG t = 1;
	/* a queued answer is sent on the next run: do not wait for the tick */
	for (int i = 0; i < 4; i++) {
		MHD_run(p->daemon);
		if (MHD_get_timeout(p->daemon, &t) != MHD_YES || t != 0)
			break;
	}
}

static void prom_fd_cb(struct loop *lp, int fd, short revents, void *arg)
{
	(void)lp;
	(void)fd;
	(void)revents;
	prom_run(arg);
}

static void prom_tick_cb(struct loop *lp, uint64_t id, void *arg)
{
	(void)lp;
	(void)id;
	prom_run(arg);
}

static enum od_status prom_bind(const char *spec, int *fd_out, unsigned *port_out, char *host,
				size_t hostn, struct err *e)
{
	char addr[64] = "127.0.0.1";
	const char *colon = strrchr(spec, ':');
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	char *end = NULL;
	int one = 1;
	if (!colon || (size_t)(colon - spec) >= sizeof(addr))
		return err_set(e, OD_EUSAGE, "--metrics-listen %s: expected ADDR:PORT", spec);
	if (colon != spec) {
		memcpy(addr, spec, (size_t)(colon - spec));
		addr[colon - spec] = '\0';
	}
	if (strcmp(addr, "localhost") == 0)
		snprintf(addr, sizeof(addr), "127.0.0.1");
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || port > 65535)
		return err_set(e, OD_EUSAGE, "--metrics-listen %s: bad port", spec);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return err_set(e, OD_EUSAGE, "--metrics-listen: %s is not an IPv4 address", addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
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
	*fd_out = fd;
	snprintf(host, hostn, "%s", addr);
	return OD_OK;
}

enum od_status sim_prom_start(struct sim *s, const char *listen, int64_t backfill_ms,
			      struct sim_prom **out, struct err *e)
{
	struct sim_prom *p = calloc(1, sizeof(*p));
	char host[64];
	unsigned port = 0;
	int fd = -1;
	enum od_status rc;
	if (!p)
		return err_set(e, OD_ENOMEM, "out of memory");
	if ((rc = prom_bind(listen, &fd, &port, host, sizeof(host), e)) != OD_OK) {
		free(p);
		return rc;
	}
	p->s = s;
	p->backfill_ms = backfill_ms;
	p->daemon = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, access_cb, p,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
	if (!p->daemon) {
		close(fd);
		free(p);
		return err_set(e, OD_ENET, "libmicrohttpd failed to start the metrics listener");
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(p->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	p->epoll_fd = di ? di->epoll_fd : -1;
	if (p->epoll_fd < 0 || loop_fd_add(s->loop, p->epoll_fd, POLLIN, prom_fd_cb, p, e) != OD_OK) {
		MHD_stop_daemon(p->daemon);
		free(p);
		return e->status != OD_OK ? e->status : err_set(e, OD_ENET, "no epoll fd");
	}
	p->tick_timer = loop_timer_add(s->loop, PROM_TICK_MS, PROM_TICK_MS, prom_tick_cb, p);
	snprintf(p->url, sizeof(p->url), "http://%s:%u", host, port);
	*out = p;
	return OD_OK;
}

const char *sim_prom_url(const struct sim_prom *p)
{
	return p->url;
}

void sim_prom_stop(struct sim_prom **pp)
{
	struct sim_prom *p = pp ? *pp : NULL;
	if (!p)
		return;
	loop_fd_remove(p->s->loop, p->epoll_fd);
	if (p->tick_timer)
		loop_timer_cancel(p->s->loop, p->tick_timer);
	MHD_stop_daemon(p->daemon);
	free(p);
	*pp = NULL;
}
