/*
 * sim_auth.h: who is calling and what they may do. Three roles, after the
 * default ClusterRoles: admin (cluster-admin), edit and view. Users come
 * from bearer tokens or from client certificates (CN = user, O = groups).
 */
#ifndef OPSDECK_SIM_AUTH_H
#define OPSDECK_SIM_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/sim_resources.h"

enum sim_role {
	SIM_ROLE_NONE,    /* not authenticated */
	SIM_ROLE_VIEW,
	SIM_ROLE_EDIT,
	SIM_ROLE_ADMIN
};

struct sim_user {
	enum sim_role role;
	char name[128];
	char group[128];   /* the role's group: system:masters, sim:edit, sim:view */
};

#define SIM_AUTH_TOKEN_LEN 48

struct sim_auth {
	char tokens[3][SIM_AUTH_TOKEN_LEN + 1];   /* admin, edit, view */
};

/* User names and groups of the roles. */
#define SIM_USER_ADMIN "sim-admin"
#define SIM_USER_EDIT "sim-edit"
#define SIM_USER_VIEW "sim-view"
#define SIM_GROUP_ADMIN "system:masters"
#define SIM_GROUP_EDIT "sim:edit"
#define SIM_GROUP_VIEW "sim:view"

/* Makes the three tokens from seed (not from the object generator, so names do not shift). */
void sim_auth_init(struct sim_auth *a, uint64_t seed);
const char *sim_auth_token(const struct sim_auth *a, enum sim_role role);

/* Authenticates an Authorization header value; false for unknown tokens. */
bool sim_auth_from_bearer(const struct sim_auth *a, const char *authorization,
			  struct sim_user *u);
/* Authenticates a verified client certificate's subject. */
bool sim_auth_from_cert(const char *cn, const char *org, struct sim_user *u);

/* RBAC decision for verb on resource r (sub may be "" or NULL). */
bool sim_auth_allows(const struct sim_user *u, const char *verb, const struct sim_resource *r,
		     const char *sub);

#endif
