/*
 * cmd_alerts.c: `opsdeck alerts [-o table|json] [--alertmanager URL]`: the
 * firing alerts of the context's Alertmanager (config.yaml `alertmanager`,
 * API v2), critical first, each with its labels, age, summary, description
 * and the silences that cover it. Exit 0 when the Alertmanager answered
 * (alerts or not), 1 when it could not be read, 2 when none is configured.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/alerts.h"
#include "opsdeck/amclient.h"
#include "opsdeck/clikube.h"
#include "opsdeck/clistore.h"
#include "opsdeck/loop.h"
#include "opsdeck/timeutil.h"

int cmd_alerts(const struct global_opts *g, int argc, char **argv);

static void alerts_usage(FILE *f)
{
	fprintf(f,
		"Usage: opsdeck alerts [-o table|json] [--alertmanager URL]\n"
		"\n"
		"The firing alerts of the context's Alertmanager (alertmanager: in config.yaml,\n"
		"or --alertmanager), critical first: labels, age, summary, description and\n"
		"the silences that cover them. Exit 0 when the Alertmanager answered, 1 when\n"
		"it could not be read, 2 when none is configured.\n");
}

int cmd_alerts(const struct global_opts *g, int argc, char **argv)
{
	const char *output = "table", *url = NULL;
	struct clistore cs;
	struct loop *lp = NULL;
	struct am_client *am = NULL;
	struct am_alerts a = { 0 };
	struct buf out;
	struct err e = { 0 };
	int code;

	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			alerts_usage(stdout);
			return CLI_EXIT_OK;
		}
		if ((r = clikube_flag_value(argc, argv, &i, "-o", "--output", &output)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--alertmanager", &url)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck alerts\"\n"
				"See 'opsdeck alerts --help'.\n", argv[i]);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(output, "table") != 0 && strcmp(output, "json") != 0) {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
				"\"%s\", allowed formats are: json,table\n", output);
		return CLI_EXIT_USAGE;
	}
	code = clistore_open(&cs, g);
	if (code != 0)
		return code;
	if (!url)
		url = cs.cs.alertmanager_url;
	if (!url) {
		fprintf(stderr, "error: Alertmanager not configured: set alertmanager for context "
				"%s in %s\n", cs.context[0] ? cs.context : "(none)",
			settings_path(cs.settings) ? settings_path(cs.settings) : "config.yaml");
		clistore_close(&cs);
		return CLI_EXIT_USAGE;
	}
	buf_init(&out, AM_BODY_MAX * 2);
	code = CLI_EXIT_FAILED;
	if (loop_new(&lp, &e) != OD_OK || am_client_new(lp, url, 30000, &am, &e) != OD_OK ||
	    am_fetch(am, &a, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		goto out;
	}
	if ((strcmp(output, "json") == 0 ? am_alerts_json(&a, time_now().sec, &out, &e)
					 : am_alerts_table(&a, time_now().sec, &out, &e)) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		goto out;
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		goto out;
	code = CLI_EXIT_OK;
out:
	buf_free(&out);
	am_alerts_clear(&a);
	am_client_free(&am);
	loop_free(&lp);
	clistore_close(&cs);
	return code;
}
