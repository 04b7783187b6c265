/*
 * runbook_checks.h: the check runner — measures one checklist item against
 * the cluster, the history store, Prometheus or Alertmanager and judges it
 * (judge.h) into PASS, WARN, FAIL or UNKNOWN with evidence.
 *
 * The runner never opens a connection itself: the caller hands it a
 * struct check_env with a blocking GET on the API server (the headless
 * commands wire it to http_do, tests to anything). So the kinds stay
 * testable and the same code serves the TUI later. A kind that cannot be
 * measured (no metrics.k8s.io, no history, no Prometheus configured) is
 * UNKNOWN with the reason in the evidence, never an error.
 *
 * Secrets: tls_cert reads a Secret's certificate only to take its expiry and
 * subject. The Secret's data never reaches a result, a log or the store.
 */
#ifndef OPSDECK_RUNBOOK_CHECKS_H
#define OPSDECK_RUNBOOK_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"
#include "opsdeck/judge.h"
#include "opsdeck/profile.h"
#include "opsdeck/store.h"

/* Cap on any one response a check reads (logs of a week included). */
#define CHECK_BODY_MAX (32u * 1024u * 1024u)

/*
 * A blocking GET. path is an API path ("/api/v1/...") for api_get, an
 * absolute URL for url_get. Returns OD_OK when a response arrived, whatever
 * its status, with the status in *code and the body (capped at body->max)
 * in *body; a transport failure is non-OK with e in kubectl's words.
 */
typedef enum od_status (*check_get_fn)(void *arg, const char *path, struct buf *body,
				       long *code, struct err *e);

/* What checks run against; everything borrowed. */
struct check_env {
	check_get_fn api_get;          /* required for cluster kinds */
	void *api_arg;
	check_get_fn url_get;          /* Prometheus/Alertmanager; NULL: those are UNKNOWN */
	void *url_arg;
	struct store *store;           /* history; NULL: history kinds are UNKNOWN */
	const struct profile *profile;
	const char *context;           /* the kube context, as history series name it */
	const char *prometheus_url;    /* NULL: not configured */
	const char *alertmanager_url;  /* NULL: not configured */
	/* The history kinds (restarts, cpu/memory weekly averages) ask
	 * prometheus_url instead of the store (`opsdeck check --source prometheus`). */
	bool history_from_prometheus;
	int64_t now;                   /* the API server's clock, epoch seconds */
	int64_t last_run;              /* start of this checklist's previous finished run; 0 never */
};

/* Sizes of the evidence fields; longer text is cut. */
#define CHECK_VALUE_MAX 128
#define CHECK_THRESHOLD_MAX 128
#define CHECK_SOURCE_MAX 512
#define CHECK_EVIDENCE_MAX 4096

struct check_result {
	enum check_status status;
	char value[CHECK_VALUE_MAX];           /* "87m", "1/1 Running and Ready" */
	char threshold[CHECK_THRESHOLD_MAX];   /* "target: <200m" */
	char source[CHECK_SOURCE_MAX];         /* where the value came from */
	char evidence[CHECK_EVIDENCE_MAX];     /* details: why UNKNOWN, top log lines, ... */
};

/*
 * Runs item's check into *out (always filled). Returns OD_OK when a verdict
 * was reached (UNKNOWN included); non-OK only for out-of-memory, with e.
 * Manual items are UNKNOWN with "manual item: not done".
 */
enum od_status check_run(const struct check_env *env, const struct checklist_item *item,
			 struct check_result *out, struct err *e);

/* ---- shared by the per-kind files (checks_*.c) ---- */

/* Resolved names of a spec: explicit value, else the workload's, else the profile's. */
struct check_target {
	const char *namespace;
	const char *selector;      /* NULL when none */
	const char *container;     /* NULL: all containers */
	const char *workload_kind; /* "deployment" (from the ref), NULL when none */
	const char *workload_name;
	char kind_buf[64];
	char name_buf[256];
};

void check_target_resolve(const struct check_env *env, const struct check_spec *cs,
			  struct check_target *t);

/* Sets status UNKNOWN and the evidence (printf). */
void check_result_unknown(struct check_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* printf into a fixed field, cut when long. */
void check_field_set(char *field, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends to a fixed field. */
void check_field_append(char *field, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * GET path and parse the JSON. OD_OK with *json for a 2xx; for another
 * status OD_EHTTP with *code set and e naming the status; transport errors
 * as api_get gave them. *json is owned by the caller (cJSON_Delete).
 */
struct cJSON;
enum od_status check_get_json(const struct check_env *env, const char *path,
			      struct cJSON **json, long *code, struct err *e);

/* Seconds of an RFC 3339 time, -1 when absent or malformed. */
int64_t check_time_parse(const char *s);

/* Judges v, formats value and threshold into r. */
void check_result_judge(struct check_result *r, const struct check_spec *cs, int64_t v);

/* Per-kind entry points (checks_k8s.c, checks_history.c, checks_logs.c, checks_http.c, checks_tls.c). */
void check_pods_ready(const struct check_env *env, const struct check_spec *cs,
		      struct check_result *r);
void check_pvc_bound(const struct check_env *env, const struct check_spec *cs,
		     struct check_result *r);
void check_pvc_usage(const struct check_env *env, const struct check_spec *cs,
		     struct check_result *r);
void check_usage_now(const struct check_env *env, const struct check_spec *cs,
		     struct check_result *r);
void check_snapshot_recent(const struct check_env *env, const struct check_spec *cs,
			   struct check_result *r);
void check_backup_job(const struct check_env *env, const struct check_spec *cs,
		      struct check_result *r);
void check_rollout_complete(const struct check_env *env, const struct check_spec *cs,
			    struct check_result *r);
void check_restarts(const struct check_env *env, const struct check_spec *cs,
		    struct check_result *r);
void check_usage_weekly(const struct check_env *env, const struct check_spec *cs,
			struct check_result *r);
void check_storage_growth(const struct check_env *env, const struct check_spec *cs,
			  struct check_result *r);
void check_warning_events(const struct check_env *env, const struct check_spec *cs,
			  struct check_result *r);
enum od_status check_log_patterns(const struct check_env *env, const struct check_spec *cs,
				  struct check_result *r, struct err *e);
void check_http_probe(const struct check_env *env, const struct check_spec *cs,
		      struct check_result *r);
void check_prometheus_query(const struct check_env *env, const struct check_spec *cs,
			    struct check_result *r);
/*
 * An instant query whose first sample goes to *v; false (and r UNKNOWN with
 * the reason) when Prometheus is not configured, cannot be read, or returns
 * no finite sample.
 */
bool check_prometheus_scalar(const struct check_env *env, const char *expr, double *v,
			     struct check_result *r);
void check_no_firing_alerts(const struct check_env *env, const struct check_spec *cs,
			    struct check_result *r);
void check_tls_cert(const struct check_env *env, const struct check_spec *cs,
		    struct check_result *r);
void check_nodes_ready(const struct check_env *env, const struct check_spec *cs,
		       struct check_result *r);

/*
 * Masks what varies between otherwise repeated log lines, so they group:
 * timestamps -> "<ts>", UUIDs -> "<uuid>", hex ids (8+ hex digits, or 0x..)
 * -> "<hex>", IP addresses -> "<ip>", other numbers -> "<n>". out gets at
 * most n-1 bytes.
 */
void check_log_mask(const char *line, size_t len, char *out, size_t n);

#endif
