/*
 * podstatus.h: the columns of `kubectl get pods`, computed by kubectl's
 * printer rules (../shared/KUBERNETES.md, "kubectl get pods columns") from a
 * struct pod: READY, STATUS, RESTARTS with "(Xm ago)", AGE, and the wide
 * columns IP, NODE, NOMINATED NODE and READINESS GATES.
 */
#ifndef OPSDECK_PODSTATUS_H
#define OPSDECK_PODSTATUS_H

#include <stddef.h>

#include "opsdeck/pod.h"
#include "opsdeck/timeutil.h"

/* Column sizes; longer values (reasons come from the API) are cut. */
#define PODSTATUS_READY_MAX 24
#define PODSTATUS_STATUS_MAX 128
#define PODSTATUS_RESTARTS_MAX 48
#define PODSTATUS_AGE_MAX 24
#define PODSTATUS_NAME_MAX 256

struct pod_row {
	char ready[PODSTATUS_READY_MAX];          /* "1/2" */
	char status[PODSTATUS_STATUS_MAX];        /* "Running", "Init:0/2", "CrashLoopBackOff" */
	char restarts[PODSTATUS_RESTARTS_MAX];    /* "0", "3 (5m ago)" */
	char age[PODSTATUS_AGE_MAX];              /* "5d", "<unknown>" without a creation time */
	/* wide */
	char ip[PODSTATUS_NAME_MAX];              /* "<none>" when missing */
	char node[PODSTATUS_NAME_MAX];
	char nominated_node[PODSTATUS_NAME_MAX];
	char readiness_gates[PODSTATUS_READY_MAX];
	/* what the columns were made of, for sorting and colouring */
	int ready_count;
	int total_count;
	long restart_count;
};

/*
 * Computes the row as kubectl prints it at time now (the API server's clock,
 * so ages are right on a laptop with a wrong clock).
 */
void podstatus_compute(const struct pod *p, struct od_time now, struct pod_row *row);

#endif
