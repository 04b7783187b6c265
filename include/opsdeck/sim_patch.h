/*
 * sim_patch.h: the three PATCH flavours kubectl sends: JSON merge patch
 * (RFC 7386), JSON patch (RFC 6902) and Kubernetes' strategic merge patch
 * (lists of named things merge by key, $patch directives).
 */
#ifndef OPSDECK_SIM_PATCH_H
#define OPSDECK_SIM_PATCH_H

#include <cjson/cJSON.h>

#include "opsdeck/err.h"

enum sim_patch_type {
	SIM_PATCH_MERGE,       /* application/merge-patch+json */
	SIM_PATCH_JSON,        /* application/json-patch+json */
	SIM_PATCH_STRATEGIC,   /* application/strategic-merge-patch+json */
	SIM_PATCH_APPLY        /* application/apply-patch+yaml (server-side apply, treated as merge) */
};

/* Maps a Content-Type to a patch type; OD_EINVAL for anything else. */
enum od_status sim_patch_type_from_content_type(const char *ct, enum sim_patch_type *out,
						struct err *e);

/*
 * Applies patch to *doc in place (*doc may be replaced). The patch is
 * borrowed. On error *doc is left in an unspecified but valid state, so
 * callers patch a copy.
 */
enum od_status sim_patch_apply(cJSON **doc, const cJSON *patch, enum sim_patch_type type,
			       struct err *e);

#endif
