/*
 * profile.h: runbook profiles (data/profiles/NAME.yaml) and their checklists.
 *
 * A profile describes one service stack the way its runbook does: where it
 * runs (context, namespaces), what it is made of (workloads, PVCs, the
 * snapshot class), what normal looks like (resource ranges, scaling
 * thresholds, log patterns, HTTP probes, certificates), when its checklists
 * are due, and the checklists themselves. Each checklist item names the
 * runbook file and section it comes from and, where the cluster can answer
 * it, a typed check for the check runner.
 *
 * Parsing is separate from acting: nothing here talks to a cluster. The
 * format is documented in docs/profiles.md.
 */
#ifndef OPSDECK_PROFILE_H
#define OPSDECK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/schedule.h"

/* Hard caps: a profile is a small hand-written file. */
#define PROFILE_MAX_BYTES (1024 * 1024)
#define PROFILE_MAX_DEPTH 16
#define PROFILE_MAX_NODES 50000
#define PROFILE_MAX_SCALAR 4096

/* A list of owned strings. */
struct strv {
	char **v;      /* owned array of owned strings */
	size_t n;
};

/* The check kinds of issue 10 ("Checks"); CHECK_MANUAL asks the operator. */
enum check_kind {
	CHECK_PODS_READY,
	CHECK_RESTARTS,
	CHECK_CPU,
	CHECK_MEMORY,
	CHECK_PVC_USAGE,
	CHECK_PVC_BOUND,
	CHECK_STORAGE_GROWTH,
	CHECK_NO_WARNING_EVENTS,
	CHECK_LOG_PATTERNS,
	CHECK_SNAPSHOT_RECENT,
	CHECK_BACKUP_JOB,
	CHECK_ROLLOUT_COMPLETE,
	CHECK_HTTP_PROBE,
	CHECK_TLS_CERT,
	CHECK_PROMETHEUS_QUERY,
	CHECK_NO_FIRING_ALERTS,
	CHECK_NODES_READY,
	CHECK_MANUAL,
	CHECK_KIND_COUNT
};

/* cpu and memory: the current sample or the average over the last 7 days. */
enum check_stat {
	CHECK_STAT_NOW,
	CHECK_STAT_WEEKLY_AVG
};

/*
 * A threshold in the unit of its check kind: millicores (cpu), bytes
 * (memory, storage_growth per day), hundredths of a percent (pvc_usage),
 * thousandths (prometheus_query), a count (restarts, events, log lines).
 */
struct threshold {
	bool set;
	int64_t value;
};

/*
 * One check's typed parameters. Only the fields of its kind are set (the
 * table in profile.c and docs/profiles.md list them); strings are owned and
 * NULL when absent, durations are ns and 0 when absent, counts are -1 when
 * absent. References (workload, pvc, probe, certificate, patterns) name
 * entries of the same profile and were checked at parse time.
 */
struct check_spec {
	enum check_kind kind;
	char *workload;            /* "deployment/matter-server" (a profile workload) */
	char *selector;            /* label selector; defaults to the workload's */
	char *namespace;           /* defaults to the workload's, else the profile's first */
	char *container;
	char *pvc;                 /* a profile PVC */
	char *probe;               /* a profile probe (http_probe) */
	char *certificate;         /* a profile certificate (tls_cert) */
	char *job;                 /* "cronjob/NAME" or "job/NAME" (backup_job) */
	char *query;               /* PromQL (prometheus_query) */
	char *prompt;              /* manual: what to record ("Device count") */
	struct strv patterns;      /* log pattern names (log_patterns) */
	struct strv matchers;      /* alert label matchers (no_firing_alerts) */
	struct strv reasons;       /* event reasons to look for (no_warning_events) */
	struct strv choices;       /* manual: allowed recorded values */
	enum check_stat stat;
	struct threshold warn_above, fail_above, warn_below, fail_below;
	int64_t max;               /* most allowed (restarts, events, log lines); -1 */
	int64_t min;               /* fewest expected matching log lines; -1 */
	int64_t tail;              /* log lines to read; -1 */
	int64_t top;               /* repeated lines to report; -1 */
	int64_t window_ns;         /* look-back window; 0 = since the last run */
	int64_t max_age_ns;        /* snapshot_recent, backup_job */
	int64_t warn_within_ns;    /* tls_cert: WARN when it expires sooner */
	int64_t fail_within_ns;    /* tls_cert: FAIL when it expires sooner */
	int64_t min_days_to_full;  /* storage_growth: WARN below; -1 */
};

/* Where an item comes from in the reference runbooks. */
struct item_source {
	char *runbook;             /* "matter-server-operations.md" */
	char *section;             /* "Operational Checklist Templates / Daily Operations Checklist / Health Checks" */
	struct strv texts;         /* normalised "- [ ]" texts this item covers (runbook_text) */
};

struct checklist_item {
	char *id;                  /* unique in its checklist */
	char *text;                /* what the operator sees */
	struct item_source source;
	struct check_spec check;
	int line;                  /* line in the profile file, for messages */
};

/* A free-text part of a run ("Issues Identified", "Notes"). */
struct free_section {
	char *title;
	struct item_source source;
};

struct checklist {
	char *name;                /* "daily", "pre-upgrade"; unique in the profile */
	char *title;
	char *schedule;            /* a profile schedule name; NULL = on demand */
	char *runbook;             /* default runbook of the items */
	char *section;             /* the runbook section the list comes from */
	struct checklist_item *items;  /* owned */
	size_t nitems;
	struct free_section *free;     /* owned */
	size_t nfree;
};

struct resource_range {
	struct threshold min, max; /* cpu in millicores, memory in bytes */
};

struct profile_workload {
	char *ref;                 /* "deployment/matter-server": kind/name, lower-case kind */
	char *namespace;           /* NULL = the profile's first namespace */
	char *selector;            /* label selector of its pods (validated) */
	char *container;           /* main container; NULL = all */
	bool stateful;             /* offer a snapshot before risky actions */
	struct strv pvcs;          /* its claims (profile PVC names) */
	struct resource_range cpu, memory;
	struct threshold scale_cpu_above, scale_memory_above;
};

struct profile_pvc {
	char *name;
	char *namespace;           /* NULL = the profile's first namespace */
	char *snapshot_class;      /* NULL = the profile's, else the cluster default */
	struct threshold warn_above, fail_above;  /* usage, hundredths of a percent */
};

struct log_pattern {
	char *name;                /* "error", "connection", "commissioning" */
	char *regex;               /* POSIX extended regex (validated) */
	bool ignore_case;
	char *severity;            /* "error", "warning", "info" */
};

struct http_probe {
	char *name;
	char *namespace;
	char *service;
	int port;
	char *path;
	int status;                /* expected HTTP status */
	char *body_contains;       /* NULL = any body */
};

struct cert_secret {
	char *name;                /* profile-local name */
	char *namespace;
	char *secret;              /* a kubernetes.io/tls Secret */
	int64_t warn_within_ns;
};

struct named_schedule {
	char *name;                /* "daily", "weekly", "monthly" */
	struct schedule sched;
};

struct profile {
	char *path;                /* file it was read from (owned) */
	char *name;                /* equals the file's stem */
	char *title;
	char *description;
	char *context;             /* NULL = any context */
	struct strv namespaces;    /* at least one */
	struct strv runbooks;
	char *snapshot_class;
	struct profile_workload *workloads; size_t nworkloads;
	struct profile_pvc *pvcs; size_t npvcs;
	struct log_pattern *patterns; size_t npatterns;
	struct http_probe *probes; size_t nprobes;
	struct cert_secret *certs; size_t ncerts;
	struct named_schedule *schedules; size_t nschedules;
	struct checklist *checklists; size_t nchecklists;
};

/* The YAML name of a kind ("pods_ready"), and back (false when unknown). */
const char *check_kind_name(enum check_kind k);
bool check_kind_from_name(const char *s, enum check_kind *k);

/*
 * Parses a profile from data (len bytes; need not be NUL-terminated). path
 * names it in messages ("path:line: field: problem") and becomes p->path.
 * On success *out is a new profile the caller frees with profile_free.
 */
enum od_status profile_parse(const char *data, size_t len, const char *path,
			     struct profile **out, struct err *e);

/* Reads and parses a file (at most PROFILE_MAX_BYTES). */
enum od_status profile_load_file(const char *path, struct profile **out, struct err *e);

/* Frees *p and sets it to NULL. */
void profile_free(struct profile **p);

/* Lookups; borrowed results, NULL when absent. */
const struct checklist *profile_find_checklist(const struct profile *p, const char *name);
const struct profile_workload *profile_find_workload(const struct profile *p, const char *ref);
const struct named_schedule *profile_find_schedule(const struct profile *p, const char *name);
bool profile_has_namespace(const struct profile *p, const char *ns);

/* Every profile found on disk, and the files that failed to load. */
struct profile_catalog {
	struct profile **profiles; /* owned; user files first */
	size_t n;
	struct strv problems;      /* "file:line: field: problem", one per bad file */
};

/*
 * Loads *.yaml from data_dir then user_dir (either may be NULL or missing).
 * A user file replaces the data file with the same name; a bad user file is
 * reported in problems and the data one is kept. Fails only on memory.
 */
enum od_status profile_catalog_load_dirs(const char *data_dir, const char *user_dir,
					 struct profile_catalog **out, struct err *e);

/* The same with paths_data_file("data/profiles") and $XDG_CONFIG_HOME/opsdeck/profiles. */
enum od_status profile_catalog_load(struct profile_catalog **out, struct err *e);

void profile_catalog_free(struct profile_catalog **c);

/* By name (--profile); borrowed, NULL when absent. */
const struct profile *profile_catalog_find(const struct profile_catalog *c, const char *name);

/*
 * The profile that loads automatically for a context and namespace: the
 * first whose namespaces include ns and whose context is unset or equal.
 * A profile naming the context wins over one that does not. NULL: none.
 */
const struct profile *profile_catalog_match(const struct profile_catalog *c,
					    const char *context, const char *ns);

#endif
