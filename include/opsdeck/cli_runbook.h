/*
 * cli_runbook.h: what `opsdeck check`, `due` and `report` share: the
 * profile (--profile, else the one matching the context's namespace), the
 * history store, config.yaml's per-context settings, the cluster
 * connection when a command needs one, and the check environment wired to
 * them. Output goes to stdout or to --out FILE.
 */
#ifndef OPSDECK_CLI_RUNBOOK_H
#define OPSDECK_CLI_RUNBOOK_H

#include <stdbool.h>

#include "opsdeck/buf.h"
#include "opsdeck/clikube.h"
#include "opsdeck/commands.h"
#include "opsdeck/profile.h"
#include "opsdeck/runbook_checks.h"
#include "opsdeck/settings.h"
#include "opsdeck/store.h"

struct cli_runbook {
	struct profile_catalog *catalog;   /* owned */
	const struct profile *profile;     /* borrowed from catalog; NULL when none was asked */
	struct store *store;               /* owned */
	struct settings *settings;         /* owned */
	struct context_settings ctx;       /* strings borrowed from settings */
	struct kube_target *target;        /* owned when the cluster is not opened; else NULL */
	struct clikube kube;               /* open when connected */
	bool connected;
	const char *context;               /* borrowed: the kube context name, or --context */
	struct check_env env;              /* wired to the above */
	int api_answers, api_failures;     /* responses and transport failures seen */
	char api_last_error[ERR_MSG_MAX];  /* the last transport failure, in kubectl's words */
};

enum cli_runbook_need {
	CLI_RB_PROFILE = 1,        /* a profile must be found */
	CLI_RB_CLUSTER = 2,        /* connect to the cluster */
	CLI_RB_CLUSTER_TRY = 4     /* connect if the kubeconfig allows; go on without */
};

/*
 * Opens what `need` asks for. profile_name may be NULL (the context's
 * namespace picks one). Prints the error and returns an exit code (2) on
 * failure, 0 on success. cli_runbook_close is safe after a failure.
 */
int cli_runbook_open(struct cli_runbook *rb, const struct global_opts *g,
		     const char *profile_name, int need);
void cli_runbook_close(struct cli_runbook *rb);

/* The API server's clock (the local one before any response). */
int64_t cli_runbook_now(void *rb);

/* Writes b to path (atomically, mode 0644) or to stdout when path is NULL. 0 or 2. */
int cli_runbook_write(const char *path, const struct buf *b);

#endif
