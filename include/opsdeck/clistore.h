/*
 * clistore.h: what the history commands (collect, history, events) share:
 * the context in effect (from the kubeconfig and --context), the settings
 * of that context, and the history store opened at --db or the default path
 * with the context's retention.
 */
#ifndef OPSDECK_CLISTORE_H
#define OPSDECK_CLISTORE_H

#include <stdio.h>

#include "opsdeck/commands.h"
#include "opsdeck/err.h"
#include "opsdeck/settings.h"
#include "opsdeck/store.h"

struct clistore {
	struct settings *settings;      /* owned */
	struct context_settings cs;     /* strings borrowed from settings */
	char context[256];              /* "" when no kubeconfig resolves */
	char namespace_[256];           /* the namespace in effect, "" when unknown */
	struct store *st;               /* owned */
};

/*
 * Loads the settings, resolves the context (quietly: history works without a
 * kubeconfig) and opens the store. A store notice (file moved aside) goes to
 * stderr. On failure prints "error: ..." and returns the exit code (1, or 2
 * for a configuration error); 0 on success.
 */
int clistore_open(struct clistore *cs, const struct global_opts *g);
void clistore_close(struct clistore *cs);

/* The store settings from a context's retention settings. */
void clistore_store_settings(const struct context_settings *cs, struct store_settings *out);

/*
 * Opens path for writing (truncated), created 0600: reports written by --out
 * hold cluster details and stay private. Returns NULL with errno set.
 * The caller owns the FILE.
 */
FILE *cli_fopen_private(const char *path);

#endif
