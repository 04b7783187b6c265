/*
 * incident_evidence.h: `opsdeck incident evidence` — what the runbooks'
 * "Collect Evidence" step collects, into a timestamped directory (0700, files
 * 0600) and a .tar.gz of it, with a MANIFEST and SHA256SUMS (sha256sum -c
 * verifies it from inside the directory). Secret data and tokens are never
 * written: Secrets are not fetched, manifests are redacted, and every file is
 * checked for the kubeconfig's credentials before it is kept.
 */
#ifndef OPSDECK_INCIDENT_EVIDENCE_H
#define OPSDECK_INCIDENT_EVIDENCE_H

#include <stdint.h>

#include "opsdeck/commands.h"
#include "opsdeck/store.h"

/* Strings borrowed. */
struct incident_evidence_req {
	int64_t incident_id;
	const char *context;
	const char *namespace_;     /* the incident's namespace; "" for the context's */
	const char *selector;       /* the affected pods; NULL: the unhealthy ones (else all) */
	int64_t started_at;
	const char *dir;            /* parent directory ("." by default) */
	struct store *st;           /* borrowed: the metrics window comes from it */
};

/* Collects; prints the directory and the tarball on stdout. Returns an exit code. */
int incident_evidence_collect(const struct global_opts *g, const struct incident_evidence_req *rq);

/*
 * Writes a ustar archive of the regular files under dir (paths relative to
 * dir's parent, so the archive unpacks to one directory), gzip-compressed,
 * to out (created 0600). Returns 0, or -1 with a message in err.
 */
int incident_evidence_tar_gz(const char *dir, const char *out, char *err, size_t errn);

#endif
