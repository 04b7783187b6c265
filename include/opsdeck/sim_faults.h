/*
 * sim_faults.h: faults that strike on cue. Workload faults change the pods
 * of one workload (or a node) the way the kubelet and the controllers would
 * report the failure; API faults change how the server answers. Faults come
 * from --fault, POST /sim/faults and the scenario's timeline, and act at
 * once. The spec syntax is KIND:NAMESPACE/WORKLOAD[:key=value,...] and
 * api:KIND[:key=value,...] (docs/sim-scenarios.md).
 */
#ifndef OPSDECK_SIM_FAULTS_H
#define OPSDECK_SIM_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_api.h"
#include "opsdeck/sim_metrics.h"
#include "opsdeck/sim_sim.h"

#define SIM_FAULTS_MAX 64
#define SIM_FAULT_SPEC_MAX 512
/* Largest POST /sim/faults body. */
#define SIM_FAULTS_BODY_MAX 4096

enum sim_fault_kind {
	SIM_FAULT_CRASHLOOP,
	SIM_FAULT_OOMKILLED,
	SIM_FAULT_IMAGEPULL,
	SIM_FAULT_PENDING,
	SIM_FAULT_NODE_NOTREADY,
	SIM_FAULT_MEMLEAK,
	SIM_FAULT_DISKFILL,
	SIM_FAULT_ERRORBURST,
	SIM_FAULT_UNHEALTHY,
	SIM_FAULT_SNAPSHOT_FAIL,
	SIM_FAULT_API_LATENCY,
	SIM_FAULT_API_5XX,
	SIM_FAULT_API_429,
	SIM_FAULT_API_RESET,
	SIM_FAULT_API_TRUNCATED,
	SIM_FAULT_API_MALFORMED,
	SIM_FAULT_API_DROP_WATCH,
	SIM_FAULT_API_410
};

struct sim_fault {
	enum sim_fault_kind kind;
	char ns[64];            /* workload faults; "" for a node or an API fault */
	char target[254];       /* workload name, or node name for node-notready */
	double ratio;           /* API faults: share of matching requests (default 1) */
	int64_t ms;             /* latency: delay; crashloop/oomkilled: run time before a crash */
	int64_t ramp_ms;        /* memleak, diskfill: time to reach the limit */
	int code;               /* 5xx: status code (default 503) */
	int retry_after;        /* 429/5xx: Retry-After seconds */
	char path[128];         /* API faults: only paths containing this ("" for all) */
	int count;              /* API faults: strike at most this many times (0: no limit) */
	int struck;             /* API faults: times struck so far */
	int64_t since_ms;       /* sim time the fault struck (set when added) */
};

/* What the server must do to one request under API faults. */
struct sim_fault_action {
	int64_t delay_ms;       /* answer this much later (wall clock ms) */
	int code;               /* 0: answer normally; else answer this status */
	int retry_after;
	bool reset;             /* close the connection without an answer */
	bool truncate;          /* cut the JSON body in half */
	bool malformed;         /* replace the body with broken JSON */
	bool drop_watch;        /* end a watch stream soon after it starts */
	bool expire_watch;      /* answer a watch with an ERROR 410 event */
};

/* Parses a spec (pure: the fuzz target drives it). */
enum od_status sim_fault_parse(const char *spec, struct sim_fault *out, struct err *e);
/* Parses a POST /sim/faults body: {"fault": "SPEC"} or {"kind":..,"target":..,"params":{..}}. */
enum od_status sim_fault_parse_json(const char *body, size_t len, struct sim_fault *out,
				    struct err *e);
const char *sim_fault_kind_name(enum sim_fault_kind k);

struct sim_faults;   /* opaque: the active faults and the timeline's progress */

enum od_status sim_faults_new(struct sim_faults **out, struct err *e);
void sim_faults_free(struct sim_faults **f);

/* Adds a fault now (it acts at once); OD_ELIMIT when full. */
enum od_status sim_faults_add(struct sim *s, const struct sim_fault *f, struct err *e);
/* Clears every fault and lets the pods recover. */
void sim_faults_clear(struct sim *s);

/* Called at the top of the kubelet's pod step: true when a fault handled the pod. */
bool sim_faults_pod_step(struct sim *s, struct sim_obj *pod);
/* Called at the top of the snapshot controller's step: true when handled. */
bool sim_faults_snapshot_step(struct sim *s, struct sim_obj *vs);
/* After each reconcile pass: the timeline and node faults. */
void sim_faults_reconcile(struct sim *s);

/* Metric overrides for the usage model. */
void sim_faults_adjust_container(struct sim *s, const cJSON *pod, const char *cname,
				 int64_t t_ms, int64_t started_ms, struct sim_metrics_sample *m);
void sim_faults_adjust_volume(struct sim *s, const cJSON *pvc, int64_t t_ms, double capacity,
			      double *used);
/* Share of log lines that are the scenario's error lines for pod at t_ms (0 normally). */
double sim_faults_error_ratio(struct sim *s, const char *ns, const char *pod, int64_t t_ms);

/* API faults for one request. */
void sim_faults_api_pick(struct sim *s, const char *method, const char *path, bool watch,
			 struct sim_fault_action *a);

/* GET, POST and DELETE /sim/faults; true when req was for it (resp filled). */
bool sim_faults_api_handle(struct sim *s, const struct sim_request *req,
			   struct sim_response *resp);

#endif
