/*
 * auth.c: tokens, certificate subjects and the three roles.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "opsdeck/sim_auth.h"
#include "opsdeck/sim_rng.h"

static const char *const role_users[] = { "", SIM_USER_VIEW, SIM_USER_EDIT, SIM_USER_ADMIN };
static const char *const role_groups[] = { "", SIM_GROUP_VIEW, SIM_GROUP_EDIT, SIM_GROUP_ADMIN };

void sim_auth_init(struct sim_auth *a, uint64_t seed)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct sim_rng r;
	sim_rng_seed(&r, seed ^ UINT64_C(0x5eed70c3e5a17ed1));
	for (int t = 0; t < 3; t++) {
		int len = snprintf(a->tokens[t], sizeof(a->tokens[t]), "%s.",
				   t == 0 ? "admin" : t == 1 ? "edit" : "view");
		for (int i = len; i < SIM_AUTH_TOKEN_LEN; i++)
			a->tokens[t][i] = alnum[sim_rng_next(&r) % (sizeof(alnum) - 1)];
		a->tokens[t][SIM_AUTH_TOKEN_LEN] = '\0';
	}
}

const char *sim_auth_token(const struct sim_auth *a, enum sim_role role)
{
	switch (role) {
	case SIM_ROLE_ADMIN: return a->tokens[0];
	case SIM_ROLE_EDIT: return a->tokens[1];
	case SIM_ROLE_VIEW: return a->tokens[2];
	case SIM_ROLE_NONE: break;
	}
	return "";
}

static void user_set(struct sim_user *u, enum sim_role role, const char *name)
{
	u->role = role;
	snprintf(u->name, sizeof(u->name), "%s", name ? name : role_users[role]);
	snprintf(u->group, sizeof(u->group), "%s", role_groups[role]);
}

bool sim_auth_from_bearer(const struct sim_auth *a, const char *authorization,
			  struct sim_user *u)
{
	const char *tok;
	if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
		return false;
	tok = authorization + 7;
	while (*tok == ' ')
		tok++;
	for (int t = 0; t < 3; t++) {
		if (strcmp(tok, a->tokens[t]) == 0) {
			user_set(u, t == 0 ? SIM_ROLE_ADMIN : t == 1 ? SIM_ROLE_EDIT : SIM_ROLE_VIEW,
				 NULL);
			return true;
		}
	}
	return false;
}

bool sim_auth_from_cert(const char *cn, const char *org, struct sim_user *u)
{
	enum sim_role role = SIM_ROLE_NONE;
	if (!cn || !*cn)
		return false;
	if (org && strcmp(org, SIM_GROUP_ADMIN) == 0)
		role = SIM_ROLE_ADMIN;
	else if (org && strcmp(org, SIM_GROUP_EDIT) == 0)
		role = SIM_ROLE_EDIT;
	else if (org && strcmp(org, SIM_GROUP_VIEW) == 0)
		role = SIM_ROLE_VIEW;
	else
		role = SIM_ROLE_VIEW;   /* authenticated but in no known group: read-only */
	user_set(u, role, cn);
	return true;
}

static bool verb_is_read(const char *verb)
{
	return strcmp(verb, "get") == 0 || strcmp(verb, "list") == 0 ||
	       strcmp(verb, "watch") == 0;
}

bool sim_auth_allows(const struct sim_user *u, const char *verb, const struct sim_resource *r,
		     const char *sub)
{
	if (u->role == SIM_ROLE_ADMIN)
		return true;
	if (u->role == SIM_ROLE_NONE || !r)
		return false;
	/* Everyone may ask what they may do. */
	if (r->id == SIM_RES_SSAR || r->id == SIM_RES_SSRR)
		return strcmp(verb, "create") == 0;
	if (u->role == SIM_ROLE_VIEW) {
		/* Like the view ClusterRole: read everything but Secrets; no proxying. */
		if (r->id == SIM_RES_SECRETS)
			return false;
		if (sub && strcmp(sub, "proxy") == 0)
			return false;
		return verb_is_read(verb);
	}
	/* edit: namespaced objects only; nodes, namespaces, PVs and classes stay read-only */
	if (!r->namespaced)
		return verb_is_read(verb);
	(void)sub;
	return true;
}
