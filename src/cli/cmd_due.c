/*
 * cmd_due.c: `opsdeck due [--profile P] [--now TIME]`: one badge per
 * scheduled checklist ("daily done 08:12 by alice", "weekly due",
 * "monthly overdue 3d"), from the profile's schedule (UTC) and the finished
 * runs in the history store, shown in the local time zone. Without
 * --profile: the profile matching the context's namespace, else every
 * profile. Exit status 1 when something is overdue, so cron can mail it.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/cli_runbook.h"
#include "opsdeck/runbook_run.h"
#include "opsdeck/timeutil.h"

static const char due_usage[] = "usage: opsdeck due [--profile P] [--now TIME]\n";

static int due_profile(struct store *st, const struct profile *p, int64_t now, bool *overdue)
{
	struct err e = { 0 };

	for (size_t i = 0; i < p->nchecklists; i++) {
		const struct checklist *cl = &p->checklists[i];
		struct due d;
		char badge[160];

		if (!cl->schedule)
			continue;
		if (run_due(st, p, cl, now, &d, badge, sizeof(badge), &e) != OD_OK) {
			fprintf(stderr, "error: %s\n", e.msg);
			return CLI_EXIT_USAGE;
		}
		*overdue |= d.state == DUE_OVERDUE;
		printf("%s: %s\n", p->name, badge);
	}
	return CLI_EXIT_OK;
}

int cmd_due(const struct global_opts *g, int argc, char **argv)
{
	const char *profile = NULL, *at = NULL, *v;
	struct cli_runbook rb;
	bool overdue = false;
	int64_t now;
	int rc;

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--profile", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			profile = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--now", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			at = v;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(due_usage, stdout);
			return CLI_EXIT_OK;
		} else {
			fprintf(stderr, "error: unexpected argument: %s\n%s", argv[i], due_usage);
			return CLI_EXIT_USAGE;
		}
	}
	rc = cli_runbook_open(&rb, g, profile, 0);
	if (rc != CLI_EXIT_OK)
		goto out;
	now = time_now().sec;
	if (at) {
		struct od_time t;
		struct err e = { 0 };

		if (time_parse_rfc3339(at, &t, &e) != OD_OK) {
			fprintf(stderr, "error: --now: %s\n", e.msg);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		now = t.sec;
	}
	if (rb.profile) {
		rc = due_profile(rb.store, rb.profile, now, &overdue);
	} else {
		for (size_t i = 0; rc == CLI_EXIT_OK && i < rb.catalog->n; i++)
			rc = due_profile(rb.store, rb.catalog->profiles[i], now, &overdue);
	}
	if (rc == CLI_EXIT_OK && overdue)
		rc = CLI_EXIT_FAILED;
out:
	cli_runbook_close(&rb);
	return rc;
}
