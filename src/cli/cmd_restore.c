/*
 * cmd_restore.c: `opsdeck restore SNAPSHOT --to NEW_PVC`: a new PVC whose
 * dataSource is the snapshot (the runbooks' recovery procedure), sized from
 * restoreSize, in the source PVC's storage class; --wait follows it to Bound.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/actcli.h"

int cmd_restore(const struct global_opts *g, int argc, char **argv);

int cmd_restore(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct action_target t;
	struct action_plan *p = NULL;
	struct err e = { 0 };
	const char *snap = NULL, *to = NULL;
	int rc, bad = 0;

	argc = actcli_parse_flags(argc, argv, &a.flags);
	if (argc < 0)
		return ACTCLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strncmp(argv[i], "--to=", 5) == 0)
			to = argv[i] + 5;
		else if (argv[i][0] != '-' && !snap)
			snap = argv[i];
		else
			bad = 1;
	}
	if (snap && strncmp(snap, "volumesnapshot/", 15) == 0)
		snap += 15;
	if (bad || !snap || !*snap || !to || !*to) {
		fprintf(stderr, "error: usage: opsdeck restore SNAPSHOT --to NEW_PVC [--dry-run] "
			"[--yes] [--wait] [--timeout D]\n");
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	{
		char obj[300];

		snprintf(obj, sizeof obj, "persistentvolumeclaim/%s", to);
		if ((rc = actcli_refuse_read_only(&a, ACTION_RESTORE, obj)) != 0)
			goto out;
	}
	actcli_target(&a, "volumesnapshot", snap, &t);
	if (action_build_restore(&a.ctx, &t, to, &p, &e) != OD_OK) {
		rc = actcli_plan_failed(&a, ACTION_RESTORE, snap, &e);
		goto out;
	}
	rc = actcli_run(&a, &p);
out:
	actcli_close(&a);
	return rc;
}
