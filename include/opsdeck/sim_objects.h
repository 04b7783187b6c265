/*
 * sim_objects.h: what the apiserver does to an object before it is stored:
 * defaulting (the fields kubectl and clients expect to find) and validation
 * (the Invalid errors the real server gives for the cases that matter).
 */
#ifndef OPSDECK_SIM_OBJECTS_H
#define OPSDECK_SIM_OBJECTS_H

#include <cjson/cJSON.h>

#include "opsdeck/sim_resources.h"
#include "opsdeck/sim_sim.h"

/* Fills defaults in obj (in place) for resource r. */
void sim_objects_default(struct sim *s, const struct sim_resource *r, cJSON *obj);

/*
 * Validates obj for r. Returns NULL when valid, else an owned Status (Invalid,
 * BadRequest). old is the stored object for updates, NULL on create.
 */
cJSON *sim_objects_validate(struct sim *s, const struct sim_resource *r, const cJSON *obj,
			    const cJSON *old);

/* The pod template hash input: a stable print of the template without pod-template-hash. */
char *sim_objects_template_key(const cJSON *template_);

#endif
