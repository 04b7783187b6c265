/*
 * sim_store.h: the in-memory object store. One global resourceVersion
 * counter, objects kept sorted by namespace and name per resource (as etcd
 * keys sort), a window of recent changes for watches that resume from a
 * resourceVersion, and listeners (watches, controllers) told of each change.
 */
#ifndef OPSDECK_SIM_STORE_H
#define OPSDECK_SIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_clock.h"
#include "opsdeck/sim_resources.h"
#include "opsdeck/sim_rng.h"

enum sim_change {
	SIM_CHANGE_ADDED,
	SIM_CHANGE_MODIFIED,
	SIM_CHANGE_DELETED
};

struct sim_obj {
	const struct sim_resource *res;  /* borrowed from the resource table */
	cJSON *json;                     /* owned: the whole object */
	const char *ns;                  /* borrowed from json ("" when cluster-scoped) */
	const char *name;                /* borrowed from json */
	uint64_t rv;
};

/*
 * Told of every change after it happened. old is NULL for ADDED, cur is the
 * final state for DELETED. Both are borrowed for the call only.
 */
typedef void (*sim_store_listener_fn)(void *arg, enum sim_change type,
				      const struct sim_resource *res, const cJSON *old,
				      const cJSON *cur, uint64_t rv);

struct sim_store;   /* opaque */

/* clock and rng are borrowed and must outlive the store. */
enum od_status sim_store_new(struct sim_store **out, struct sim_clock *clock,
			     struct sim_rng *rng, struct err *e);
void sim_store_free(struct sim_store **st);

/* Registers a listener; listeners cannot be removed (they live as long as the store). */
enum od_status sim_store_listen(struct sim_store *st, sim_store_listener_fn fn, void *arg,
				struct err *e);

uint64_t sim_store_rv(const struct sim_store *st);

/* Borrowed pointer to the object, or NULL. ns is ignored for cluster-scoped resources. */
struct sim_obj *sim_store_get(struct sim_store *st, enum sim_res_id res, const char *ns,
			      const char *name);

/* Finds by metadata.uid in one resource; NULL when absent. */
struct sim_obj *sim_store_get_uid(struct sim_store *st, enum sim_res_id res, const char *uid);

/* Objects of res in namespace ns (NULL or "" for all), sorted; array borrowed until the next change. */
size_t sim_store_list(struct sim_store *st, enum sim_res_id res, const char *ns,
		      struct sim_obj ***out);

/*
 * Creates obj (ownership taken, freed on failure): fills uid, resourceVersion,
 * creationTimestamp, generation and a generateName suffix. OD_EEXIST when the
 * name is taken. *out (may be NULL) receives the stored object.
 */
enum od_status sim_store_create(struct sim_store *st, enum sim_res_id res, cJSON *obj,
				struct sim_obj **out, struct err *e);

/*
 * Replaces o's JSON with obj (ownership taken). Keeps uid, name, namespace
 * and creationTimestamp, bumps generation when spec changed, and the rv.
 * Nothing happens (no rv bump, no event) when the object did not change.
 */
enum od_status sim_store_update(struct sim_store *st, struct sim_obj *o, cJSON *obj,
				struct err *e);

/* Removes o (freed); listeners see DELETED with a new resourceVersion. */
void sim_store_delete(struct sim_store *st, struct sim_obj *o);

/*
 * Calls fn for each retained change of res with rv > since, oldest first.
 * Returns false (calling nothing) when since is older than the window.
 */
typedef void (*sim_store_replay_fn)(void *arg, enum sim_change type, const cJSON *obj,
				    uint64_t rv);
bool sim_store_replay(struct sim_store *st, enum sim_res_id res, uint64_t since,
		      sim_store_replay_fn fn, void *arg);

/*
 * Forgets the change window (a watch from an older resourceVersion gets 410),
 * after a bulk load whose copies would only take memory (--pods).
 */
void sim_store_history_drop(struct sim_store *st);

/* Whether res has metadata.generation (workloads, jobs, snapshots). */
bool sim_store_has_generation(enum sim_res_id res);

#endif
