/*
 * sim_storage.h: storage controllers: PVC binding (with PersistentVolumes,
 * and restores from a VolumeSnapshot dataSource) and VolumeSnapshot
 * readiness (restoreSize, or status.error for an unknown PVC or class).
 */
#ifndef OPSDECK_SIM_STORAGE_H
#define OPSDECK_SIM_STORAGE_H

#include "opsdeck/sim_sim.h"

void sim_storage_reconcile(struct sim *s);

#endif
