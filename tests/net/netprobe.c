/*
 * netprobe.c: drives the transport, auth and informer from the shell, for the
 * integration tests against opsdeck-sim (tests/net/sim_*.sh).
 *
 *   netprobe [--kubeconfig F] [--context C] [-n NS] [--timeout S] [--lists L]
 *            [--fail-fast] [--until EVENT] COMMAND
 *     get PATH            GET PATH; the body on stdout, kubectl's error on stderr
 *     list TYPE           informer until synced: "items=N lists=L"
 *     watch TYPE N        informer until synced, then until N watch events:
 *                         one "TYPE ns/name" line per event, then the stats
 *     clock               GET /version; "skew_ms=X known=Y"
 *     pods                the pod cache (compact structs) until synced:
 *                         "pods=N rss_kb=R cpu_ms=C list_cpu_ms=L"
 *
 * --until "TYPE ns/name": watch ends at that event line instead of after N events.
 * --lists L: list and watch also wait until the informer has LISTed L times
 * (a relist after a 410). --fail-fast: the informer's first error ends the
 * run with exit 1 (instead of backing off and trying again).
 * OPSDECK_DEBUG_LOG=FILE: the client's log (retries, relists) goes to FILE.
 *
 * Exit: 0 ok, 1 request failed, 2 usage or configuration, 3 timed out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cjson/cJSON.h>

#include "opsdeck/api.h"
#include "opsdeck/http.h"
#include "opsdeck/informer.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/log.h"
#include "opsdeck/loop.h"
#include "opsdeck/podcache.h"
#include "opsdeck/timeutil.h"

struct probe {
	unsigned items;
	unsigned events;
	unsigned errors;
	bool in_list;
	bool fail_fast;
	bool failed;
	const char *until;  /* an event line that ends the watch */
	bool until_seen;
};

static void p_begin(void *arg)
{
	struct probe *p = arg;
	p->items = 0;
	p->in_list = true;
}

static enum od_status p_object(void *arg, enum watch_type type, const cJSON *obj, struct err *e)
{
	struct probe *p = arg;
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(md, "name");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");

	(void)e;
	if (p->in_list) {
		p->items++;
		return OD_OK;
	}
	p->events++;
	char line[600];
	snprintf(line, sizeof(line), "%s %s/%s", watch_type_name(type),
		 cJSON_IsString(ns) ? ns->valuestring : "",
		 cJSON_IsString(name) ? name->valuestring : "?");
	printf("%s\n", line);
	fflush(stdout);
	if (p->until && strcmp(line, p->until) == 0)
		p->until_seen = true;
	return OD_OK;
}

static void p_end(void *arg)
{
	struct probe *p = arg;
	p->in_list = false;
}

static void p_error(void *arg, const struct err *e)
{
	struct probe *p = arg;
	p->errors++;
	if (p->fail_fast)
		p->failed = true;
	fprintf(stderr, "%s\n", e->msg);
}

static long cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000L +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000L;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* The pod cache for benchmarks: how much memory and CPU a synced cache costs. */
static int run_pods(struct kube_conn *kc, struct loop *lp, const char *ns, long timeout_s)
{
	struct err e;
	struct podcache *pc = NULL;
	struct podcache_config cfg = { .namespace_ = ns, .backoff_base_ms = 100 };
	long cpu0 = cpu_ms();
	int rc = 0;

	if (podcache_new(kc->http, &cfg, &pc, &e) != OD_OK || podcache_start(pc, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		podcache_free(&pc);
		return 1;
	}
	uint64_t deadline = time_mono_ms() + (uint64_t)timeout_s * 1000;
	while (!(podcache_stats(pc)->synced && podcache_stats(pc)->watches >= 1)) {
		if (time_mono_ms() >= deadline) {
			fprintf(stderr, "netprobe: timed out\n");
			rc = 3;
			break;
		}
		if (loop_run_once(lp, 100, &e) != OD_OK) {
			fprintf(stderr, "%s\n", e.msg);
			rc = 1;
			break;
		}
	}
	printf("pods=%zu rss_kb=%ld cpu_ms=%ld list_cpu_ms=%ld\n", podcache_count(pc), rss_kb(),
	       cpu_ms(), cpu_ms() - cpu0);
	podcache_free(&pc);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: netprobe [--kubeconfig F] [--context C] [-n NS] [--timeout S] "
			"[--lists L] [--fail-fast] [--until EVENT] get PATH | list TYPE | watch TYPE N | clock | pods\n");
	return 2;
}

static int run_informer(struct kube_conn *kc, struct loop *lp, const char *type, const char *ns,
			long want_events, long timeout_s, long want_lists, bool fail_fast,
			const char *until)
{
	struct err e;
	struct probe p = { .fail_fast = fail_fast, .until = until };
	struct informer *inf = NULL;
	const struct api_resource *res = api_resource_lookup(type, &e);
	int rc = 0;

	if (!res) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	struct informer_config cfg = { .res = res, .namespace_ = ns, .backoff_base_ms = 100 };
	struct informer_ops ops = { .list_begin = p_begin, .on_object = p_object,
				    .list_end = p_end, .on_error = p_error };
	if (informer_new(kc->http, &cfg, &ops, &p, &inf, &e) != OD_OK ||
	    informer_start(inf, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		informer_free(&inf);
		return 1;
	}
	const struct informer_stats *st = informer_stats(inf);
	uint64_t deadline = time_mono_ms() + (uint64_t)timeout_s * 1000;
	bool synced_printed = false;
	for (;;) {
		if (st->synced && !synced_printed) {
			printf("synced items=%u\n", p.items);
			fflush(stdout);
			synced_printed = true;
		}
		/* done once the WATCH that follows the LIST has been sent, and enough events came */
		if (st->synced && st->watches >= 1 && (long)p.events >= want_events &&
		    (long)st->lists >= want_lists && (!until || p.until_seen))
			break;
		if (p.failed) {
			rc = 1;
			break;
		}
		if (time_mono_ms() >= deadline) {
			fprintf(stderr, "netprobe: timed out\n");
			rc = 3;
			break;
		}
		if (loop_run_once(lp, 100, &e) != OD_OK) {
			fprintf(stderr, "%s\n", e.msg);
			rc = 1;
			break;
		}
	}
	printf("items=%u lists=%u pages=%u watches=%u rewatches=%u expired=%u events=%u errors=%u\n",
	       p.items, st->lists, st->pages, st->watches, st->rewatches, st->expired, st->events,
	       st->errors);
	informer_free(&inf);
	return rc;
}

int main(int argc, char **argv)
{
	const char *kubeconfig = NULL, *context = NULL, *ns = NULL;
	long timeout_s = 20, want_lists = 1;
	const char *until = NULL;
	bool fail_fast = false;
	struct kubeconfig_source src;
	struct kube_target *t = NULL;
	struct kube_conn *kc = NULL;
	struct loop *lp = NULL;
	struct err e;
	int i = 1, rc = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--fail-fast") == 0) {
			fail_fast = true;
			continue;
		}
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--kubeconfig") == 0)
			kubeconfig = argv[++i];
		else if (strcmp(argv[i], "--context") == 0)
			context = argv[++i];
		else if (strcmp(argv[i], "-n") == 0)
			ns = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0)
			timeout_s = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--until") == 0)
			until = argv[++i];
		else if (strcmp(argv[i], "--lists") == 0)
			want_lists = strtol(argv[++i], NULL, 10);
		else
			return usage();
	}
	if (i >= argc)
		return usage();
	const char *cmd = argv[i++];
	if (getenv("OPSDECK_DEBUG_LOG") &&
	    log_open(getenv("OPSDECK_DEBUG_LOG"), LOG_LEVEL_DEBUG, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}

	kubeconfig_source_from_env(&src, kubeconfig);
	if (kube_target_load(&src, context, ns, &t, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	struct kube_conn_opts o = { .request_timeout_ms = timeout_s * 1000 };
	if (loop_new(&lp, &e) != OD_OK || kube_conn_open(lp, t, &o, &kc, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		rc = 2;
		goto out;
	}
	if (strcmp(cmd, "get") == 0 || strcmp(cmd, "clock") == 0) {
		struct buf body;
		long code = 0;
		if (strcmp(cmd, "get") == 0 && i >= argc) {
			rc = usage();
			goto out;
		}
		struct http_request rq = { .path = strcmp(cmd, "get") == 0 ? argv[i] : "/version" };
		buf_init(&body, HTTP_BODY_MAX);
		if (http_do(kc->http, &rq, &body, &code, &e) != OD_OK) {
			fprintf(stderr, "%s\n", e.msg);
			rc = 1;
		} else if (strcmp(cmd, "get") == 0) {
			fwrite(buf_cstr(&body), 1, body.len, stdout);
			printf("\n");
		} else {
			const struct api_clock *clk = http_client_clock(kc->http);
			printf("skew_ms=%lld known=%d\n", (long long)clk->skew_ms, clk->known);
		}
		buf_free(&body);
	} else if (strcmp(cmd, "pods") == 0) {
		rc = run_pods(kc, lp, ns ? t->namespace_ : NULL, timeout_s);
	} else if (strcmp(cmd, "list") == 0 && i < argc) {
		rc = run_informer(kc, lp, argv[i], t->namespace_, 0, timeout_s, want_lists, fail_fast,
				  until);
	} else if (strcmp(cmd, "watch") == 0 && i + 1 < argc) {
		rc = run_informer(kc, lp, argv[i], t->namespace_, strtol(argv[i + 1], NULL, 10),
				  timeout_s, want_lists, fail_fast, until);
	} else {
		rc = usage();
	}
out:
	kube_conn_free(&kc);
	loop_free(&lp);
	kube_target_free(&t);
	log_close();
	return rc;
}
