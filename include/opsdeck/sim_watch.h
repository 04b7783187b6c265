/*
 * sim_watch.h: watch streams. Each watch filters store changes by resource,
 * namespace and selectors, turns an object that starts or stops matching
 * into ADDED or DELETED as the apiserver does, can resume from a
 * resourceVersion within the store's window (ERROR 410 Expired otherwise),
 * sends BOOKMARKs when asked, and ends after timeoutSeconds.
 */
#ifndef OPSDECK_SIM_WATCH_H
#define OPSDECK_SIM_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/selector.h"
#include "opsdeck/sim_sim.h"
#include "opsdeck/sim_stream.h"
#include "opsdeck/sim_table.h"

struct sim_watch_opts {
	const struct sim_resource *res;   /* what the client asked for */
	char ns[64];                      /* "" for all namespaces */
	struct selector *labels;          /* owned by the watch once started */
	struct selector *fields;          /* owned by the watch once started */
	bool from_rv;                     /* resume after rv instead of sending the state */
	uint64_t rv;
	bool bookmarks;
	int64_t timeout_s;                /* <= 0: the server's default */
	bool table;
	enum sim_include_object include;
};

enum od_status sim_watch_hub_new(struct sim *s, struct sim_watch_hub **out, struct err *e);
void sim_watch_hub_free(struct sim_watch_hub **hub);

/* Starts a watch; the returned stream is owned by the caller (freeing it ends the watch). */
struct sim_stream *sim_watch_start(struct sim *s, struct sim_watch_opts *o);

/* Number of open watches (for tests and part 2's benchmarks). */
size_t sim_watch_count(const struct sim_watch_hub *hub);

/* Whether obj (of resource r) matches label and field selectors. */
bool sim_watch_matches(const struct sim_resource *r, const cJSON *obj,
		       const struct selector *labels, const struct selector *fields);

/* Field selector support: true when key can be selected on for r. */
bool sim_watch_field_supported(const struct sim_resource *r, const char *key);

/* events.k8s.io/v1 view of a core/v1 Event (new object, owned by the caller). */
cJSON *sim_watch_event_to_v1(const cJSON *ev);

#endif
