/*
 * actcli.h: what the headless action commands (restart, delete, scale,
 * snapshot, restore, rollback; snapshots, revisions, audit) share: the
 * common flags (--dry-run, --yes, --confirm NAME, --wait, --timeout,
 * --snapshot-first), the context's settings (read-only, protected), the
 * runbook profile that matches the namespace, the audit store, and the
 * struct action_ui that prints the five steps to the terminal.
 */
#ifndef OPSDECK_ACTCLI_H
#define OPSDECK_ACTCLI_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/action_build.h"
#include "opsdeck/actions.h"
#include "opsdeck/commands.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/loop.h"
#include "opsdeck/profile.h"
#include "opsdeck/settings.h"
#include "opsdeck/store.h"

enum { ACTCLI_EXIT_OK = 0, ACTCLI_EXIT_FAILED = 1, ACTCLI_EXIT_USAGE = 2 };

/* The flags every action takes. Strings borrowed from argv. */
struct actcli_flags {
	bool dry_run;
	bool yes;
	bool wait;
	bool snapshot_first;
	bool confirm_force;        /* the second confirmation of delete --force */
	const char *confirm;       /* --confirm NAME: the name typed out */
	const char *parent;        /* set during --snapshot-first: the workload whose
				      --confirm NAME also confirms its snapshots */
	int64_t timeout_ms;        /* --timeout; 0: 5 minutes */
};

struct actcli {
	struct kube_target *target;        /* owned */
	struct loop *loop;                 /* owned */
	struct kube_conn *conn;            /* owned; borrows loop */
	struct store *store;               /* owned; the audit log */
	struct settings *settings;         /* owned */
	struct profile_catalog *profiles;  /* owned; may be NULL */
	const struct profile *profile;     /* borrowed from profiles; may be NULL */
	struct context_settings cs;        /* borrows settings */
	char os_user[64];
	struct actcli_flags flags;
	struct action_ui ui;
	struct action_ctx ctx;             /* borrows everything above */
};

/*
 * Takes the common flags out of argv (compacting it). Returns the new argc,
 * or -1 after printing a usage error. Unknown flags are left for the caller.
 */
int actcli_parse_flags(int argc, char **argv, struct actcli_flags *f);

/*
 * Resolves the kubeconfig, loads config.yaml and the profiles, opens the
 * audit store. With connect, also the cluster connection. Prints the error
 * and returns the exit code on failure (0 on success).
 */
int actcli_open(struct actcli *a, const struct global_opts *g, bool connect);
void actcli_close(struct actcli *a);

/* The builders' common target (namespace, server clock, profile hints). */
void actcli_target(const struct actcli *a, const char *type, const char *name,
		   struct action_target *t);

/*
 * Runs a built plan through the five steps with the flags, then, when the
 * plan suggests snapshots and --snapshot-first was given, takes them first.
 * Prints and returns the exit code. Frees *p.
 */
int actcli_run(struct actcli *a, struct action_plan **p);

/* Refused by read-only? Prints, audits and returns 1; 0 when writable. */
int actcli_refuse_read_only(struct actcli *a, enum action_kind k, const char *object);

/* A builder failed (object not found, forbidden...): audited as a failed plan, printed. */
int actcli_plan_failed(struct actcli *a, enum action_kind k, const char *object,
		       const struct err *e);

/* Prints e (kubectl's words, "error: " added when it has no prefix) and returns the exit code. */
int actcli_fail(enum od_status rc, const struct err *e);

/* Parses a non-negative integer flag value; -1 when invalid. */
long actcli_parse_count(const char *s);

#endif
