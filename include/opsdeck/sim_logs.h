/*
 * sim_logs.h: container logs, generated from the scenario's templates by a
 * deterministic function of (seed, pod, container, restart, line number),
 * so no log is stored, --previous works after a restart and the same seed
 * gives the same lines.
 */
#ifndef OPSDECK_SIM_LOGS_H
#define OPSDECK_SIM_LOGS_H

#include "opsdeck/sim_api.h"
#include "opsdeck/sim_sim.h"

/* Answers GET pods/NAME/log for pod (borrowed), following if q->follow. */
void sim_logs_handle(struct sim *s, const struct sim_obj *pod, const struct sim_query *q,
		     struct sim_response *resp);

#endif
