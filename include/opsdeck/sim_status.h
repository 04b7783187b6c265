/*
 * sim_status.h: metav1.Status error objects with the apiserver's reasons,
 * codes and message wording.
 */
#ifndef OPSDECK_SIM_STATUS_H
#define OPSDECK_SIM_STATUS_H

#include <cjson/cJSON.h>

#include "opsdeck/sim_resources.h"

/* A Status with reason, code and message; details may be NULL (ownership taken). */
cJSON *sim_status_new(int code, const char *reason, const char *message, cJSON *details);

/* {"kind":"Status",...,"status":"Success"} as DELETE answers for some objects. */
cJSON *sim_status_success(const struct sim_resource *r, const char *name, const char *uid);

/* `pods "x" not found` */
cJSON *sim_status_not_found(const struct sim_resource *r, const char *name);
/* `pods "x" already exists` */
cJSON *sim_status_already_exists(const struct sim_resource *r, const char *name);
/* The optimistic-concurrency conflict message. */
cJSON *sim_status_conflict(const struct sim_resource *r, const char *name);
/* `Kind.group "name" is invalid: field: Invalid value: ...` with one cause. */
cJSON *sim_status_invalid(const struct sim_resource *r, const char *name, const char *field,
			  const char *detail);
/* 400 BadRequest with message. */
cJSON *sim_status_bad_request(const char *message);
/* 403 for user doing verb on the resource. sub and name may be "". */
cJSON *sim_status_forbidden(const struct sim_resource *r, const char *sub, const char *name,
			    const char *user, const char *verb, const char *ns);
cJSON *sim_status_unauthorized(void);
/* 410 Expired: too old resource version */
cJSON *sim_status_expired(unsigned long long requested, unsigned long long current);
/* 404 for paths that name nothing */
cJSON *sim_status_path_not_found(void);
cJSON *sim_status_method_not_allowed(void);
cJSON *sim_status_internal(const char *message);

#endif
