/*
 * cmd_delete.c: `opsdeck delete pod NAME [--grace-period N] [--force]`. A
 * forced deletion (grace period 0) needs a second confirmation: headless,
 * --confirm-force on top of --yes.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/actcli.h"

int cmd_delete(const struct global_opts *g, int argc, char **argv);

static int usage(void)
{
	fprintf(stderr, "error: usage: opsdeck delete pod NAME [--grace-period N] "
		"[--force --confirm-force] [--dry-run] [--yes] [--wait] [--timeout D]\n");
	return ACTCLI_EXIT_USAGE;
}

int cmd_delete(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct action_delete_opts o = { .grace_period = -1 };
	struct action_target t;
	struct action_plan *p = NULL;
	struct err e = { 0 };
	const char *pos[3] = { 0 };
	int npos = 0, rc;

	argc = actcli_parse_flags(argc, argv, &a.flags);
	if (argc < 0)
		return ACTCLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "--force=true") == 0)
			o.force = true;
		else if (strcmp(argv[i], "--grace-period") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--grace-period=", 15) == 0)
			v = argv[i] + 15;
		else if (argv[i][0] == '-' || npos == 2)
			return usage();
		else
			pos[npos++] = argv[i];
		if (v && (o.grace_period = actcli_parse_count(v)) < 0) {
			fprintf(stderr, "error: invalid --grace-period \"%s\"\n", v);
			return ACTCLI_EXIT_USAGE;
		}
	}
	if (npos != 2)
		return usage();
	if (strcmp(pos[0], "pod") != 0 && strcmp(pos[0], "pods") != 0 && strcmp(pos[0], "po") != 0) {
		fprintf(stderr, "error: only single pods can be deleted: opsdeck delete pod NAME\n");
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	{
		char obj[300];

		snprintf(obj, sizeof obj, "pod/%s", pos[1]);
		if ((rc = actcli_refuse_read_only(&a, ACTION_DELETE, obj)) != 0)
			goto out;
	}
	actcli_target(&a, "pod", pos[1], &t);
	if (action_build_delete(&a.ctx, &t, &o, &p, &e) != OD_OK) {
		rc = actcli_plan_failed(&a, ACTION_DELETE, pos[1], &e);
		goto out;
	}
	rc = actcli_run(&a, &p);
out:
	actcli_close(&a);
	return rc;
}
