/*
 * sim.c: struct sim, the scenario lookups shared by the controllers, logs
 * and proxy, and the address allocators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_sim.h"
#include "opsdeck/sim_watch.h"

enum od_status sim_new(struct sim **out, uint64_t seed, struct od_time start, struct err *e)
{
	struct sim *s = calloc(1, sizeof(*s));
	enum od_status rc;
	if (!s)
		return err_set(e, OD_ENOMEM, "out of memory");
	s->seed = seed;
	sim_rng_seed(&s->rng, seed);
	sim_clock_init(&s->clock, start);
	s->scenarios = cJSON_CreateArray();
	s->verbatim = cJSON_CreateObject();
	if (!s->scenarios || !s->verbatim) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = sim_faults_new(&s->faults, e)) != OD_OK)
		goto fail;
	if ((rc = loop_new(&s->loop, e)) != OD_OK)
		goto fail;
	if ((rc = sim_store_new(&s->store, &s->clock, &s->rng, e)) != OD_OK)
		goto fail;
	if ((rc = sim_watch_hub_new(s, &s->watches, e)) != OD_OK)
		goto fail;
	if ((rc = sim_ctrl_new(s, &s->ctrl, e)) != OD_OK)
		goto fail;
	*out = s;
	return OD_OK;
fail:
	sim_free(&s);
	return rc;
}

void sim_free(struct sim **ps)
{
	struct sim *s = ps ? *ps : NULL;
	if (!s)
		return;
	sim_ctrl_free(&s->ctrl);
	sim_watch_hub_free(&s->watches);
	sim_store_free(&s->store);
	loop_free(&s->loop);
	sim_faults_free(&s->faults);
	cJSON_Delete(s->scenarios);
	cJSON_Delete(s->verbatim);
	free(s);
	*ps = NULL;
}

const cJSON *sim_workload_config(const struct sim *s, const char *ns, const char *kind,
				 const char *name)
{
	char ref[512];
	const cJSON *scn, *wl;
	snprintf(ref, sizeof(ref), "%s/%s/%s", ns, kind, name);
	cJSON_ArrayForEach(scn, s->scenarios) {
		cJSON_ArrayForEach(wl, sim_json_get(scn, "spec.workloads")) {
			if (strcmp(sim_json_str_or(wl, "ref", ""), ref) == 0)
				return wl;
		}
	}
	return NULL;
}

int64_t sim_default_delay_ms(const struct sim *s, const char *key, int64_t dflt)
{
	const cJSON *scn;
	int64_t ns;
	cJSON_ArrayForEach(scn, s->scenarios) {
		const char *v = sim_json_str(sim_json_get(scn, "spec.defaults"), key);
		if (v && duration_parse(v, &ns, NULL) == OD_OK)
			return ns / 1000000;
	}
	return dflt;
}

bool sim_is_verbatim(const struct sim *s, const cJSON *obj)
{
	const char *uid = sim_json_str(obj, "metadata.uid");
	return uid && cJSON_GetObjectItemCaseSensitive(s->verbatim, uid) != NULL;
}

void sim_alloc_pod_ip(struct sim *s, char *out, size_t n)
{
	uint32_t i = s->next_ip++;
	snprintf(out, n, "10.244.%u.%u", 1 + (i / 250) % 250, 2 + i % 250);
}

void sim_alloc_service_ip(struct sim *s, char *out, size_t n)
{
	uint32_t i = s->next_svc_ip++;
	snprintf(out, n, "10.96.%u.%u", (i / 250) % 250, 10 + i % 240);
}
