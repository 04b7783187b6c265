/*
 * sim_scenario.h: loads scenario files (docs/sim-scenarios.md) and
 * --manifests into the store, then settles the controllers so the cluster
 * starts in steady state.
 */
#ifndef OPSDECK_SIM_SCENARIO_H
#define OPSDECK_SIM_SCENARIO_H

#include <stddef.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_sim.h"

/*
 * Builds the initial cluster: system namespaces, nodes, every scenario's
 * objects in file order (through the normal create path), then the
 * manifests verbatim. The clock is pinned to start - SIM_SCENARIO_AGE_MS
 * while the scenarios are built.
 */
enum od_status sim_scenario_build(struct sim *s, char *const *scenarios, size_t nscenarios,
				  char *const *manifests, size_t nmanifests, struct err *e);

#endif
