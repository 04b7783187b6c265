/*
 * cmd_restart.c: `opsdeck restart deploy/NAME` (kubectl rollout restart of a
 * Deployment, StatefulSet or DaemonSet) through the five action steps.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/actcli.h"

int cmd_restart(const struct global_opts *g, int argc, char **argv);

int cmd_restart(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct action_target t;
	struct action_plan *p = NULL;
	struct err e = { 0 };
	int rc;

	argc = actcli_parse_flags(argc, argv, &a.flags);
	if (argc < 0)
		return ACTCLI_EXIT_USAGE;
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "error: usage: opsdeck restart (deploy|sts|ds)/NAME [--dry-run] "
			"[--yes] [--confirm NAME] [--wait] [--timeout D] [--snapshot-first]\n");
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	if ((rc = actcli_refuse_read_only(&a, ACTION_RESTART, argv[1])) != 0)
		goto out;
	actcli_target(&a, argv[1], NULL, &t);
	if (action_build_restart(&a.ctx, &t, &p, &e) != OD_OK) {
		rc = actcli_plan_failed(&a, ACTION_RESTART, argv[1], &e);
		goto out;
	}
	rc = actcli_run(&a, &p);
out:
	actcli_close(&a);
	return rc;
}
