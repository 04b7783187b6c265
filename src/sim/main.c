/*
 * main.c: opsdeck-sim, a simulated Kubernetes API server that kubectl and
 * opsdeck accept as real. Parses the command line, builds the cluster from
 * the scenarios, serves it, writes the kubeconfig and announces the URL.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "opsdeck/log.h"
#include "opsdeck/paths.h"
#include "opsdeck/sim_auth.h"
#include "opsdeck/sim_certs.h"
#include "opsdeck/duration.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_prom.h"
#include "opsdeck/sim_scale.h"
#include "opsdeck/sim_kubeconfig_out.h"
#include "opsdeck/sim_scenario.h"
#include "opsdeck/sim_server.h"
#include "opsdeck/sim_sim.h"

#define OPTS_LIST_MAX 64

struct opts {
	char *scenarios[OPTS_LIST_MAX];
	size_t nscenarios;
	char *manifests[OPTS_LIST_MAX];
	size_t nmanifests;
	const char *listen;
	bool tls;
	const char *tls_cert, *tls_key, *client_ca;
	const char *auth;              /* "cert" or "token": how sim-admin authenticates */
	const char *kubeconfig_out;
	uint64_t seed;
	const char *start_time;
	/* part 2: metrics, faults, scale */
	double speed;
	char *faults[OPTS_LIST_MAX];
	size_t nfaults;
	const char *metrics_listen;
	int64_t backfill_ms;
	long pods;
};

static const char usage_text[] =
	"Usage: opsdeck-sim [OPTION]...\n"
	"A simulated Kubernetes API server with controllers, for opsdeck's demo, drills and tests.\n"
	"\n"
	"  --scenario FILE        load a scenario (repeatable; a bare name such as 'demo'\n"
	"                         loads data/sim/NAME.yaml); without any, data/sim/demo.yaml\n"
	"  --manifests PATH       load objects verbatim from a file or directory of YAML/JSON\n"
	"                         (Lists or single objects; repeatable)\n"
	"  --listen ADDR:PORT     listen address (default 127.0.0.1:0; port 0 picks a free port)\n"
	"  --tls                  serve HTTPS with a generated CA and server certificate\n"
	"  --tls-cert FILE        server certificate (PEM) instead of a generated one\n"
	"  --tls-key FILE         its key (PEM)\n"
	"  --client-ca FILE       CA that signs client certificates (PEM)\n"
	"  --auth cert|token      how the admin user authenticates in the kubeconfig with --tls\n"
	"                         (default cert; sim-edit and sim-view always use tokens)\n"
	"  --kubeconfig-out FILE  write a kubeconfig with contexts sim, sim-edit and sim-view\n"
	"  --seed N               seed for names, uids, IPs and logs (default 1)\n"
	"  --start-time RFC3339   the simulated clock's start (default: now)\n"
	"  --speed N              run the simulated clock N times faster (ages, metrics,\n"
	"                         logs, the Date header and back-off timing follow it)\n"
	"  --fault SPEC           inject a fault at once (repeatable): KIND:NAMESPACE/WORKLOAD\n"
	"                         [:key=value,...] with KIND crashloop, oomkilled, imagepull,\n"
	"                         pending, node-notready, memleak, diskfill, errorburst,\n"
	"                         unhealthy, snapshot-fail; or api:KIND[:key=value,...] with\n"
	"                         KIND latency, 5xx, 429, reset, truncated, malformed,\n"
	"                         drop-watch, 410 (keys: ratio, ms, code, retryAfter, path,\n"
	"                         count, run, ramp). POST /sim/faults adds one, DELETE clears all.\n"
	"  --metrics-listen ADDR:PORT  serve Prometheus text (/metrics, /metrics/NS/WORKLOAD);\n"
	"                         prints 'opsdeck-sim: metrics URL' before the serving line\n"
	"  --backfill DURATION    serve that much past data at /metrics/history?start=&end=&step=\n"
	"  --pods N               add generated namespaces holding N pods in all\n"
	"  --help                 show this help\n"
	"  --version              show the version\n"
	"\n"
	"Once listening it writes the kubeconfig and prints 'opsdeck-sim: serving URL'.\n"
	"SIGTERM or SIGINT stop it.\n";

static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_SCENARIO = 1, O_MANIFESTS, O_LISTEN, O_TLS, O_TLS_CERT, O_TLS_KEY, O_CLIENT_CA,
	       O_AUTH, O_KUBECONFIG, O_SEED, O_START, O_HELP, O_VERSION,
	       O_SPEED, O_FAULT, O_METRICS_LISTEN, O_BACKFILL, O_PODS };
	static const struct option longopts[] = {
		{ "scenario", required_argument, NULL, O_SCENARIO },
		{ "manifests", required_argument, NULL, O_MANIFESTS },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "tls", no_argument, NULL, O_TLS },
		{ "tls-cert", required_argument, NULL, O_TLS_CERT },
		{ "tls-key", required_argument, NULL, O_TLS_KEY },
		{ "client-ca", required_argument, NULL, O_CLIENT_CA },
		{ "auth", required_argument, NULL, O_AUTH },
		{ "kubeconfig-out", required_argument, NULL, O_KUBECONFIG },
		{ "seed", required_argument, NULL, O_SEED },
		{ "start-time", required_argument, NULL, O_START },
		{ "speed", required_argument, NULL, O_SPEED },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "metrics-listen", required_argument, NULL, O_METRICS_LISTEN },
		{ "backfill", required_argument, NULL, O_BACKFILL },
		{ "pods", required_argument, NULL, O_PODS },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 } };
	int c;
	char *end;

	memset(o, 0, sizeof(*o));
	o->listen = "127.0.0.1:0";
	o->seed = 1;
	o->auth = "cert";
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_SCENARIO:
			if (o->nscenarios == OPTS_LIST_MAX)
				goto too_many;
			o->scenarios[o->nscenarios++] = optarg;
			break;
		case O_MANIFESTS:
			if (o->nmanifests == OPTS_LIST_MAX)
				goto too_many;
			o->manifests[o->nmanifests++] = optarg;
			break;
		case O_LISTEN: o->listen = optarg; break;
		case O_TLS: o->tls = true; break;
		case O_TLS_CERT: o->tls_cert = optarg; o->tls = true; break;
		case O_TLS_KEY: o->tls_key = optarg; o->tls = true; break;
		case O_CLIENT_CA: o->client_ca = optarg; o->tls = true; break;
		case O_AUTH:
			if (strcmp(optarg, "cert") != 0 && strcmp(optarg, "token") != 0) {
				fprintf(stderr, "opsdeck-sim: --auth must be cert or token\n");
				return 2;
			}
			o->auth = optarg;
			break;
		case O_KUBECONFIG: o->kubeconfig_out = optarg; break;
		case O_SEED:
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg) {
				fprintf(stderr, "opsdeck-sim: --seed %s: not a number\n", optarg);
				return 2;
			}
			break;
		case O_START: o->start_time = optarg; break;
		case O_SPEED:
			o->speed = strtod(optarg, &end);
			if (*end || !(o->speed > 0 && o->speed <= 100000)) {
				fprintf(stderr, "opsdeck-sim: --speed %s: expected a number in (0, 100000]\n", optarg);
				return 2;
			}
			break;
		case O_FAULT:
			if (o->nfaults == OPTS_LIST_MAX)
				goto too_many;
			o->faults[o->nfaults++] = optarg;
			break;
		case O_METRICS_LISTEN: o->metrics_listen = optarg; break;
		case O_BACKFILL: {
			int64_t ns;
			if (duration_parse(optarg, &ns, NULL) != OD_OK || ns <= 0) {
				fprintf(stderr, "opsdeck-sim: --backfill %s: not a duration\n", optarg);
				return 2;
			}
			o->backfill_ms = ns / 1000000;
			break;
		}
		case O_PODS:
			errno = 0;
			o->pods = strtol(optarg, &end, 10);
			if (errno || *end || o->pods < 0 || o->pods > SIM_SCALE_PODS_MAX) {
				fprintf(stderr, "opsdeck-sim: --pods %s: expected 0 to %d\n", optarg,
					SIM_SCALE_PODS_MAX);
				return 2;
			}
			break;
		case O_HELP: fputs(usage_text, stdout); return 1;
		case O_VERSION: printf("opsdeck-sim %s\n", PACKAGE_VERSION); return 1;
		default:
			fputs("Try 'opsdeck-sim --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "opsdeck-sim: unexpected argument '%s'\nTry 'opsdeck-sim --help'.\n",
			argv[optind]);
		return 2;
	}
	if ((o->tls_cert != NULL) != (o->tls_key != NULL)) {
		fprintf(stderr, "opsdeck-sim: --tls-cert and --tls-key go together\n");
		return 2;
	}
	return 0;
too_many:
	fprintf(stderr, "opsdeck-sim: at most %d scenarios and manifests\n", OPTS_LIST_MAX);
	return 2;
}

static char *read_file(const char *path, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;
	if (!f) {
		err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < (1L << 20) &&
	    fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n + 1))) {
		if (fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		} else {
			data[n] = '\0';
		}
	}
	fclose(f);
	if (!data)
		err_set(e, OD_EIO, "%s: cannot read", path);
	return data;
}

static void on_signal(struct loop *lp, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_stop(lp);
}

struct tls_material {
	struct sim_certs *ca;   /* owned */
	char *cert, *key;       /* server, owned */
	char *client_cert, *client_key;
	char *ca_pem_file;      /* owned: --client-ca contents */
};

static void tls_free(struct tls_material *t)
{
	sim_certs_free(&t->ca);
	free(t->cert);
	free(t->key);
	free(t->client_cert);
	free(t->client_key);
	free(t->ca_pem_file);
}

static enum od_status tls_setup(const struct opts *o, const char *host, struct tls_material *t,
				struct err *e)
{
	enum od_status rc;
	int64_t now = time_now().sec;
	memset(t, 0, sizeof(*t));
	if ((rc = sim_certs_new(&t->ca, e)) != OD_OK)
		return rc;
	if (o->tls_cert) {
		if (!(t->cert = read_file(o->tls_cert, e)) || !(t->key = read_file(o->tls_key, e)))
			return e->status;
	} else {
		rc = sim_certs_issue(t->ca, "opsdeck-sim", NULL, "localhost,kubernetes,kubernetes.default",
				     host, now - 3600, now + INT64_C(365) * 86400, true, &t->cert, &t->key, e);
		if (rc != OD_OK)
			return rc;
	}
	if (o->client_ca && !(t->ca_pem_file = read_file(o->client_ca, e)))
		return e->status;
	return sim_certs_issue(t->ca, SIM_USER_ADMIN, SIM_GROUP_ADMIN, NULL, NULL, now - 3600,
			       now + INT64_C(365) * 86400, false, &t->client_cert, &t->client_key, e);
}

static void listen_host(const char *listen, char *out, size_t n)
{
	const char *colon = strrchr(listen, ':');
	size_t len = colon ? (size_t)(colon - listen) : strlen(listen);
	if (len == 0 || (len == 9 && strncmp(listen, "localhost", 9) == 0))
		snprintf(out, n, "127.0.0.1");
	else
		snprintf(out, n, "%.*s", (int)len, listen);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct err e;
	struct sim *s = NULL;
	struct sim_prom *prom = NULL;    /* owned */
	struct sim_auth auth;
	struct tls_material tls;
	struct od_time start;
	char host[64], demo[4096];
	int code = 1;

	memset(&tls, 0, sizeof(tls));
	err_clear(&e);
	int prc = parse_opts(argc, argv, &o);
	if (prc)
		return prc == 1 ? 0 : 2;
	if (getenv("OPSDECK_DEBUG_LOG"))
		log_open(getenv("OPSDECK_DEBUG_LOG"), LOG_LEVEL_DEBUG, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (o.start_time) {
		if (time_parse_rfc3339(o.start_time, &start, &e) != OD_OK) {
			fprintf(stderr, "opsdeck-sim: --start-time: %s\n", e.msg);
			return 2;
		}
	} else {
		start = time_now();
		start.nsec = 0;
	}
	if (o.nscenarios == 0 && o.nmanifests == 0 &&
	    paths_data_file("data/sim/demo.yaml", demo, sizeof(demo), NULL) == OD_OK) {
		FILE *f = fopen(demo, "r");
		if (f) {
			fclose(f);
			o.scenarios[o.nscenarios++] = demo;
		}
	}
	if (sim_new(&s, o.seed, start, &e) != OD_OK)
		goto fail;
	if (o.speed > 0)
		sim_clock_set_speed(&s->clock, o.speed);
	sim_auth_init(&auth, o.seed);
	if (sim_scenario_build(s, o.scenarios, o.nscenarios, o.manifests, o.nmanifests, &e) != OD_OK)
		goto fail;
	if (o.pods > 0 && sim_scale_build(s, (size_t)o.pods, &e) != OD_OK)
		goto fail;
	for (size_t i = 0; i < o.nfaults; i++) {
		struct sim_fault f;
		if (sim_fault_parse(o.faults[i], &f, &e) != OD_OK || sim_faults_add(s, &f, &e) != OD_OK) {
			fprintf(stderr, "opsdeck-sim: --fault %s: %s\n", o.faults[i], e.msg);
			code = 2;
			goto out;
		}
	}
	listen_host(o.listen, host, sizeof(host));
	if (o.tls && tls_setup(&o, host, &tls, &e) != OD_OK)
		goto fail;
	struct sim_server_opts so = {
		.listen = o.listen, .tls = o.tls, .cert_pem = tls.cert, .key_pem = tls.key,
		.ca_pem = o.tls ? (tls.ca_pem_file ? tls.ca_pem_file : sim_certs_ca_pem(tls.ca)) : NULL,
		.auth = &auth,
	};
	if (sim_server_start(s, &so, &s->server, &e) != OD_OK)
		goto fail;
	if (loop_signal_watch(s->loop, SIGTERM, on_signal, NULL, &e) != OD_OK ||
	    loop_signal_watch(s->loop, SIGINT, on_signal, NULL, &e) != OD_OK)
		goto fail;
	if (o.kubeconfig_out) {
		bool cert = o.tls && strcmp(o.auth, "cert") == 0;
		struct sim_kubeconfig k = {
			.server = sim_server_url(s->server), .namespace_ = s->main_ns,
			.ca_pem = o.tls && !o.tls_cert ? sim_certs_ca_pem(tls.ca) : NULL,
			.admin_cert_pem = cert ? tls.client_cert : NULL,
			.admin_key_pem = cert ? tls.client_key : NULL, .auth = &auth,
		};
		if (sim_kubeconfig_write(o.kubeconfig_out, &k, &e) != OD_OK)
			goto fail;
	}
	if (o.metrics_listen) {
		if (sim_prom_start(s, o.metrics_listen, o.backfill_ms, &prom, &e) != OD_OK)
			goto fail;
		printf("opsdeck-sim: metrics %s\n", sim_prom_url(prom));
		fflush(stdout);
	}
	sim_ctrl_start(s);
	printf("opsdeck-sim: serving %s\n", sim_server_url(s->server));
	fflush(stdout);
	if (loop_run(s->loop, &e) != OD_OK)
		goto fail;
	code = 0;
	goto out;
fail:
	fprintf(stderr, "opsdeck-sim: %s\n", e.msg[0] ? e.msg : od_status_text(e.status));
	code = 1;
out:
	sim_prom_stop(&prom);
	if (s)
		sim_server_stop(&s->server);
	sim_free(&s);
	tls_free(&tls);
	log_close();
	return code;
}
