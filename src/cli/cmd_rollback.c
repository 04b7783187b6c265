/*
 * cmd_rollback.c: `opsdeck rollback deploy/NAME [--to-revision N]`, as
 * `kubectl rollout undo`: the revision's pod template replaces the current
 * one, then the rollout is followed with --wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/actcli.h"

int cmd_rollback(const struct global_opts *g, int argc, char **argv);

int cmd_rollback(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct action_target t;
	struct action_plan *p = NULL;
	struct err e = { 0 };
	const char *ref = NULL, *v = NULL;
	long to = 0;
	int rc, bad = 0;

	argc = actcli_parse_flags(argc, argv, &a.flags);
	if (argc < 0)
		return ACTCLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--to-revision") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--to-revision=", 14) == 0)
			v = argv[i] + 14;
		else if (argv[i][0] != '-' && !ref)
			ref = argv[i];
		else
			bad = 1;
	}
	if (v && (to = actcli_parse_count(v)) < 0)
		bad = 1;
	if (bad || !ref) {
		fprintf(stderr, "error: usage: opsdeck rollback (deploy|sts)/NAME [--to-revision N] "
			"[--dry-run] [--yes] [--wait] [--timeout D]\n");
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	if ((rc = actcli_refuse_read_only(&a, ACTION_ROLLBACK, ref)) != 0)
		goto out;
	actcli_target(&a, ref, NULL, &t);
	if (action_build_rollback(&a.ctx, &t, to, &p, &e) != OD_OK) {
		rc = actcli_plan_failed(&a, ACTION_ROLLBACK, ref, &e);
		goto out;
	}
	rc = actcli_run(&a, &p);
out:
	actcli_close(&a);
	return rc;
}
