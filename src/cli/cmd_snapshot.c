/*
 * cmd_snapshot.c: `opsdeck snapshot pvc/NAME [--class C] [--name N]`: a
 * VolumeSnapshot of a PVC, followed to readyToUse with --wait.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/actcli.h"

int cmd_snapshot(const struct global_opts *g, int argc, char **argv);

int cmd_snapshot(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct action_snapshot_opts o = { 0 };
	struct action_target t;
	struct action_plan *p = NULL;
	struct err e = { 0 };
	const char *ref = NULL, *pvc;
	int rc;

	argc = actcli_parse_flags(argc, argv, &a.flags);
	if (argc < 0)
		return ACTCLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--class") == 0 && i + 1 < argc)
			o.cls = argv[++i];
		else if (strncmp(argv[i], "--class=", 8) == 0)
			o.cls = argv[i] + 8;
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			o.name = argv[++i];
		else if (strncmp(argv[i], "--name=", 7) == 0)
			o.name = argv[i] + 7;
		else if (argv[i][0] != '-' && !ref)
			ref = argv[i];
		else
			ref = NULL, i = argc;
	}
	pvc = ref && strncmp(ref, "pvc/", 4) == 0 ? ref + 4
	    : ref && strncmp(ref, "persistentvolumeclaim/", 22) == 0 ? ref + 22 : NULL;
	if (!pvc || !*pvc) {
		fprintf(stderr, "error: usage: opsdeck snapshot pvc/NAME [--class C] [--name N] "
			"[--dry-run] [--yes] [--wait] [--timeout D]\n");
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	if ((rc = actcli_refuse_read_only(&a, ACTION_SNAPSHOT, ref)) != 0)
		goto out;
	actcli_target(&a, "pvc", pvc, &t);
	if (action_build_snapshot(&a.ctx, &t, &o, &p, &e) != OD_OK) {
		rc = actcli_plan_failed(&a, ACTION_SNAPSHOT, ref, &e);
		goto out;
	}
	rc = actcli_run(&a, &p);
out:
	actcli_close(&a);
	return rc;
}
