/*
 * sim_workloads.h: the workload controllers: Deployment (ReplicaSets,
 * rolling updates, revisions), ReplicaSet, StatefulSet (ordinal pods,
 * claims, ControllerRevisions), DaemonSet, Job and CronJob.
 */
#ifndef OPSDECK_SIM_WORKLOADS_H
#define OPSDECK_SIM_WORKLOADS_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/sim_sim.h"

void sim_workloads_reconcile(struct sim *s);

/*
 * Parses a 5-field cron schedule (or @hourly, @daily, ...) and tells whether
 * minute-aligned time t (seconds since the epoch, UTC) matches it.
 */
bool sim_workloads_cron_matches(const char *schedule, int64_t t, bool *valid);

#endif
