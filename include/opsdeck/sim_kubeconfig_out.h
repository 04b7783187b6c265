/*
 * sim_kubeconfig_out.h: writes the kubeconfig for the running sim: one
 * cluster, users sim-admin, sim-edit and sim-view, and the contexts sim
 * (current), sim-edit and sim-view in the main namespace.
 */
#ifndef OPSDECK_SIM_KUBECONFIG_OUT_H
#define OPSDECK_SIM_KUBECONFIG_OUT_H

#include "opsdeck/err.h"
#include "opsdeck/sim_auth.h"

struct sim_kubeconfig {
	const char *server;          /* URL */
	const char *namespace_;      /* the contexts' namespace */
	const char *ca_pem;          /* NULL without TLS */
	const char *admin_cert_pem;  /* when set, sim-admin authenticates with this certificate */
	const char *admin_key_pem;
	const struct sim_auth *auth; /* tokens */
};

/* Writes path (mode 0600) atomically: a temporary file renamed into place. */
enum od_status sim_kubeconfig_write(const char *path, const struct sim_kubeconfig *k,
				    struct err *e);

#endif
