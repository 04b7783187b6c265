/*
 * sim_sim.h: the simulator as a whole (struct sim): the loop, the clock, the
 * seeded generator, the store and the parts that hang off it. Every module
 * receives a struct sim * instead of reaching for globals.
 */
#ifndef OPSDECK_SIM_SIM_H
#define OPSDECK_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/loop.h"
#include "opsdeck/sim_clock.h"
#include "opsdeck/sim_rng.h"
#include "opsdeck/sim_store.h"

struct sim_ctrl;
struct sim_watch_hub;
struct sim_server;
struct sim_certs;
struct sim_faults;

/* How far before --start-time the scenario's objects were created ("steady for a day"). */
#define SIM_SCENARIO_AGE_MS (INT64_C(24) * 3600 * 1000)

struct sim {
	struct loop *loop;              /* owned */
	struct sim_clock clock;
	struct sim_rng rng;
	uint64_t seed;
	struct sim_store *store;        /* owned */
	cJSON *scenarios;               /* owned: array of Scenario documents (spec kept whole) */
	char main_ns[64];               /* first scenario's mainNamespace, "default" otherwise */
	struct sim_ctrl *ctrl;          /* owned */
	struct sim_watch_hub *watches;  /* owned */
	struct sim_certs *certs;        /* owned; NULL without --tls */
	struct sim_server *server;      /* owned */
	bool building;                  /* true while scenarios are loaded in steady state */
	uint32_t next_ip;               /* pod IP allocator */
	uint32_t next_svc_ip;           /* service ClusterIP allocator */
	cJSON *verbatim;                /* owned: uids of --manifests objects controllers leave alone */
	struct sim_faults *faults;       /* owned: active faults (sim_faults.h) */
};

/* Creates the loop, store and controllers; seeds the generator. */
enum od_status sim_new(struct sim **out, uint64_t seed, struct od_time start, struct err *e);
void sim_free(struct sim **s);

/* Finds the Scenario workload entry for "ns/Kind/name"; NULL when none. Borrowed. */
const cJSON *sim_workload_config(const struct sim *s, const char *ns, const char *kind,
				 const char *name);
/* The defaults block merged over the built-in defaults: the value of key in ms. */
int64_t sim_default_delay_ms(const struct sim *s, const char *key, int64_t dflt);

/* Whether obj was loaded with --manifests (kept verbatim, never reconciled). */
bool sim_is_verbatim(const struct sim *s, const cJSON *obj);

/* Allocates the next pod IP (10.244.x.y) into out. */
void sim_alloc_pod_ip(struct sim *s, char *out, size_t n);
void sim_alloc_service_ip(struct sim *s, char *out, size_t n);

#endif
