/*
 * sim_scale.h: --pods N, a generated set of namespaces holding N pods in
 * all, for benchmarks at scale. The pods look like a real cluster's (two
 * containers, probes, env, volumes, full status: 4 to 6 KB of JSON each),
 * start Running and Ready, and have metrics like every other pod.
 */
#ifndef OPSDECK_SIM_SCALE_H
#define OPSDECK_SIM_SCALE_H

#include <stddef.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_sim.h"

#define SIM_SCALE_PODS_MAX 100000
#define SIM_SCALE_PODS_PER_NS 100

/* Creates the namespaces and pods; call after the scenarios are built. */
enum od_status sim_scale_build(struct sim *s, size_t npods, struct err *e);

#endif
