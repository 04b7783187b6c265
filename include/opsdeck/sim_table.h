/*
 * sim_table.h: server-side printing (meta.k8s.io/v1 Table) with the columns
 * and cell rules of the real apiserver's printers, so kubectl get shows what
 * it shows against a real cluster.
 */
#ifndef OPSDECK_SIM_TABLE_H
#define OPSDECK_SIM_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "opsdeck/sim_resources.h"
#include "opsdeck/sim_sim.h"

enum sim_include_object {
	SIM_INCLUDE_METADATA,   /* the default: PartialObjectMetadata */
	SIM_INCLUDE_NONE,
	SIM_INCLUDE_OBJECT
};

enum sim_include_object sim_table_include_from_query(const char *v);

/*
 * Builds a Table of objs (borrowed) for r. columns=false leaves
 * columnDefinitions empty (watch events after the first).
 */
cJSON *sim_table_new(struct sim *s, const struct sim_resource *r, const cJSON *const *objs,
		     size_t n, enum sim_include_object inc, bool columns);

/* The pod STATUS column, after kubectl's printer rules. out gets at most n bytes. */
void sim_table_pod_status(const cJSON *pod, char *out, size_t n);

#endif
