/*
 * cmd_report.c: `opsdeck report run ID [-o md|json] [--out FILE]` and
 * `opsdeck report weekly [--profile P] [--end TIME] [--no-cluster]
 * [--out FILE]`: Markdown laid out like the runbooks' templates, from the
 * history store (and, for the weekly report, the cluster's pods, snapshots
 * and logs when it answers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/cli_runbook.h"
#include "opsdeck/runbook_report.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/timeutil.h"

static const char report_usage[] =
	"usage: opsdeck report run ID [-o md|json] [--out FILE]\n"
	"       opsdeck report weekly [--profile P] [--end TIME] [--no-cluster] [--out FILE]\n";

struct report_args {
	const char *what;
	const char *id;
	const char *profile;
	const char *output;
	const char *out;
	const char *end;
	bool no_cluster;
};

static int report_parse(int argc, char **argv, struct report_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--profile", &v)) != 0)
			a->profile = v;
		else if ((r = clikube_flag_value(argc, argv, &i, "-o", "--output", &v)) != 0)
			a->output = v;
		else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--out", &v)) != 0)
			a->out = v;
		else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--end", &v)) != 0)
			a->end = v;
		else if (clikube_flag_bool(argv[i], NULL, "--no-cluster", &a->no_cluster))
			continue;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(report_usage, stdout);
			exit(0);
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "error: unknown flag: %s\n%s", argv[i], report_usage);
			return CLI_EXIT_USAGE;
		} else if (!a->what)
			a->what = argv[i];
		else if (!a->id)
			a->id = argv[i];
		else {
			fprintf(stderr, "error: unexpected argument: %s\n%s", argv[i], report_usage);
			return CLI_EXIT_USAGE;
		}
		if (r < 0)
			return CLI_EXIT_USAGE;
	}
	if (!a->what || (strcmp(a->what, "run") != 0 && strcmp(a->what, "weekly") != 0) ||
	    (strcmp(a->what, "run") == 0 && !a->id)) {
		fputs(report_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (a->output && strcmp(a->output, "md") != 0 && strcmp(a->output, "json") != 0) {
		fprintf(stderr, "error: -o takes md or json, not \"%s\"\n", a->output);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

static int copy_profile_name(void *arg, const struct store_run *run)
{
	snprintf(arg, 256, "%s", run->profile ? run->profile : "");
	return 0;
}

static int report_one_run(const struct global_opts *g, const struct report_args *a,
			  struct buf *out)
{
	struct cli_runbook rb;
	struct err e = { 0 };
	char *end, profile[256] = "";
	long long id = strtoll(a->id, &end, 10);
	enum od_status st;
	int rc;

	if (*end || id <= 0) {
		fprintf(stderr, "error: run ID must be a positive number, not \"%s\"\n", a->id);
		return CLI_EXIT_USAGE;
	}
	rc = cli_runbook_open(&rb, g, a->profile, 0);
	if (rc != CLI_EXIT_OK)
		goto out;
	/* the run names its profile: use it, whatever the context matched */
	st = store_run_get(rb.store, id, copy_profile_name, profile, &e);
	if (st == OD_OK)
		st = report_run(rb.store, profile_catalog_find(rb.catalog, profile), id,
				a->output && strcmp(a->output, "json") == 0 ? REPORT_JSON : REPORT_MD,
				out, &e);
	if (st != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		rc = st == OD_ENOENT ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
out:
	cli_runbook_close(&rb);
	return rc;
}

static int report_week(const struct global_opts *g, const struct report_args *a, struct buf *out)
{
	struct cli_runbook rb;
	struct err e = { 0 };
	int64_t end;
	int rc = cli_runbook_open(&rb, g, a->profile,
				  CLI_RB_PROFILE | (a->no_cluster ? 0 : CLI_RB_CLUSTER_TRY));

	if (rc != CLI_EXIT_OK)
		goto out;
	end = cli_runbook_now(&rb);
	if (a->end) {
		struct od_time t;

		if (time_parse_rfc3339(a->end, &t, &e) != OD_OK) {
			fprintf(stderr, "error: --end: %s\n", e.msg);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		end = t.sec;
	}
	if (report_weekly(rb.store, &rb.env, end, out, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		rc = CLI_EXIT_USAGE;
	}
out:
	cli_runbook_close(&rb);
	return rc;
}

int cmd_report(const struct global_opts *g, int argc, char **argv)
{
	struct report_args a = { 0 };
	struct buf out;
	int rc = report_parse(argc, argv, &a);

	if (rc != CLI_EXIT_OK)
		return rc;
	buf_init(&out, 64u * 1024u * 1024u);
	rc = strcmp(a.what, "run") == 0 ? report_one_run(g, &a, &out) : report_week(g, &a, &out);
	if (rc == CLI_EXIT_OK)
		rc = cli_runbook_write(a.out, &out);
	buf_free(&out);
	return rc;
}
