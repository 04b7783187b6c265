/*
 * cmd_check.c: `opsdeck check NAME --profile P [-o md|json] [--operator NAME]
 * [--out FILE] [--resume | --new] [--set ITEM=VALUE] [--note ITEM=TEXT]
 * [--issues TEXT] [--notes TEXT]`: runs a checklist's automated items,
 * records every result in the history store as soon as it is known, records
 * the manual items answered with --set (the others are not done), and
 * prints the run's report. Exit status: 0 no WARN or FAIL, 1 some WARN or
 * FAIL, 2 the check could not run (usage, profile, store, or a cluster that
 * never answered). Made for cron.
 *
 * --progress-fd N (the dashboard's Checklist pane runs this as its child):
 * one line per committed item on descriptor N, "I ITEM RESULT[ kept]", then
 * "D RUN_ID" when the automated items are done, or "E MESSAGE" when the
 * check could not run; the run is left open (the console walks the manual
 * items and finishes it) and no report is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/cli_runbook.h"
#include "opsdeck/runbook_report.h"
#include "opsdeck/runbook_run.h"

static const char check_usage[] =
	"usage: opsdeck check NAME [--profile P] [-o md|json] [--operator NAME] [--out FILE]\n"
	"                     [--resume | --new] [--set ITEM=VALUE]... [--note ITEM=TEXT]...\n"
	"                     [--issues TEXT] [--notes TEXT] [--source store|prometheus]\n"
	"                     [--progress-fd N]\n"
	"--source prometheus: restarts and cpu/memory weekly averages from the context's\n"
	"Prometheus (prometheus: in config.yaml) instead of the history store.\n"
	"--progress-fd N: a line per committed item on descriptor N (\"I ITEM RESULT\"),\n"
	"then \"D RUN_ID\" or \"E MESSAGE\"; the run is left open and no report is printed\n"
	"(the dashboard's Checklist pane uses it).\n";

#define CHECK_MAX_ANSWERS 64

struct check_args {
	const char *name;
	const char *profile;
	const char *output;
	const char *operator_name;
	const char *out;
	const char *issues;
	const char *notes;
	enum run_resume resume;
	bool prometheus;                       /* --source prometheus */
	int progress_fd;                       /* --progress-fd; -1 none */
	struct run_manual answers[CHECK_MAX_ANSWERS];
	char *answer_ids[CHECK_MAX_ANSWERS];   /* owned copies of the ITEM parts */
	size_t nanswers;
};

/* The answer for item id, added when absent; NULL when the table is full. */
static struct run_manual *check_answer(struct check_args *a, const char *id, size_t idlen)
{
	for (size_t i = 0; i < a->nanswers; i++)
		if (strlen(a->answers[i].id) == idlen && strncmp(a->answers[i].id, id, idlen) == 0)
			return &a->answers[i];
	if (a->nanswers == CHECK_MAX_ANSWERS)
		return NULL;
	a->answer_ids[a->nanswers] = strndup(id, idlen);
	if (!a->answer_ids[a->nanswers])
		return NULL;
	a->answers[a->nanswers].id = a->answer_ids[a->nanswers];
	return &a->answers[a->nanswers++];
}

/* --set ITEM=VALUE and --note ITEM=TEXT. */
static int check_take_answer(struct check_args *a, const char *flag, const char *arg, bool note)
{
	const char *eq = strchr(arg, '=');
	struct run_manual *m;

	if (!eq || eq == arg) {
		fprintf(stderr, "error: %s takes ITEM=%s, not \"%s\"\n", flag, note ? "TEXT" : "VALUE",
			arg);
		return CLI_EXIT_USAGE;
	}
	m = check_answer(a, arg, (size_t)(eq - arg));
	if (!m) {
		fprintf(stderr, "error: too many --set/--note flags\n");
		return CLI_EXIT_USAGE;
	}
	if (note)
		m->note = eq + 1;
	else
		m->value = eq + 1;
	return CLI_EXIT_OK;
}

static void check_args_free(struct check_args *a)
{
	for (size_t i = 0; i < a->nanswers; i++)
		free(a->answer_ids[i]);
}

/* Every answer names a manual item of the checklist, with one of its choices. */
static int check_answers_valid(const struct check_args *a, const struct checklist *cl)
{
	for (size_t i = 0; i < a->nanswers; i++) {
		const struct run_manual *m = &a->answers[i];
		const struct checklist_item *it = NULL;

		for (size_t j = 0; j < cl->nitems; j++)
			if (strcmp(cl->items[j].id, m->id) == 0)
				it = &cl->items[j];
		if (!it || it->check.kind != CHECK_MANUAL) {
			fprintf(stderr, "error: checklist %s has no manual item \"%s\"\n", cl->name,
				m->id);
			return CLI_EXIT_USAGE;
		}
		if (m->value && it->check.choices.n) {
			bool found = false;

			for (size_t j = 0; j < it->check.choices.n; j++)
				found |= strcmp(it->check.choices.v[j], m->value) == 0;
			if (!found) {
				fprintf(stderr, "error: item %s: \"%s\" is not one of its choices\n",
					m->id, m->value);
				return CLI_EXIT_USAGE;
			}
		}
	}
	return CLI_EXIT_OK;
}

static int check_parse(int argc, char **argv, struct check_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		bool b = false;
		int r;

		if ((r = clikube_flag_value(argc, argv, &i, NULL, "--profile", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			a->profile = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, "-o", "--output", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			a->output = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--operator", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			a->operator_name = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--out", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			a->out = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--set", &v)) != 0) {
			if (r < 0 || check_take_answer(a, "--set", v, false) != CLI_EXIT_OK)
				return CLI_EXIT_USAGE;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--note", &v)) != 0) {
			if (r < 0 || check_take_answer(a, "--note", v, true) != CLI_EXIT_OK)
				return CLI_EXIT_USAGE;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--issues", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			a->issues = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--notes", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			a->notes = v;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--source", &v)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			if (strcmp(v, "store") != 0 && strcmp(v, "prometheus") != 0) {
				fprintf(stderr, "error: --source takes store or prometheus, not \"%s\"\n",
					v);
				return CLI_EXIT_USAGE;
			}
			a->prometheus = strcmp(v, "prometheus") == 0;
		} else if ((r = clikube_flag_value(argc, argv, &i, NULL, "--progress-fd", &v)) != 0) {
			char *end;
			long n;

			if (r < 0)
				return CLI_EXIT_USAGE;
			errno = 0;
			n = strtol(v, &end, 10);
			if (errno || end == v || *end || n < 0 || n > 65535 ||
			    fcntl((int)n, F_GETFD) < 0) {
				fprintf(stderr, "error: --progress-fd takes an open descriptor, not "
					"\"%s\"\n", v);
				return CLI_EXIT_USAGE;
			}
			a->progress_fd = (int)n;
		} else if (clikube_flag_bool(argv[i], NULL, "--resume", &b)) {
			if (b)
				a->resume = RUN_RESUME_ALWAYS;
		} else if (clikube_flag_bool(argv[i], NULL, "--new", &b)) {
			if (b)
				a->resume = RUN_RESUME_NEVER;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(check_usage, stdout);
			exit(0);
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "error: unknown flag: %s\n%s", argv[i], check_usage);
			return CLI_EXIT_USAGE;
		} else if (!a->name) {
			a->name = argv[i];
		} else {
			fprintf(stderr, "error: check takes one checklist name\n%s", check_usage);
			return CLI_EXIT_USAGE;
		}
	}
	if (!a->name) {
		fprintf(stderr, "error: which checklist? (daily, weekly, monthly or any in the "
			"profile)\n%s", check_usage);
		return CLI_EXIT_USAGE;
	}
	if (a->output && strcmp(a->output, "md") != 0 && strcmp(a->output, "json") != 0) {
		fprintf(stderr, "error: -o takes md or json, not \"%s\"\n", a->output);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

/* --operator, else the login name: a cron job records who owns it. */
static const char *check_operator(const char *given)
{
	const struct passwd *pw;
	const char *u;

	if (given && *given)
		return given;
	u = getenv("USER");
	if (u && *u)
		return u;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

/* One line per item on stderr when it is a terminal: progress for a person. */
static void check_progress(void *arg, const struct checklist_item *it,
			   const struct store_run_item *res, bool kept)
{
	(void)arg;
	fprintf(stderr, "%-8s %s%s%s%s\n", store_check_result_name(res->result), it->text,
		res->value && res->value[0] ? ": " : "", res->value ? res->value : "",
		kept ? " (kept from the interrupted run)" : "");
}

static void progress_write(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One protocol line on fd, cut to 600 bytes; a vanished reader is ignored. */
static void progress_write(int fd, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	size_t off = 0, n;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	n = (size_t)w < sizeof(line) ? (size_t)w : sizeof(line) - 1;
	if (n && line[n - 1] != '\n')
		line[n - 1] = '\n';
	while (off < n) {
		ssize_t k = write(fd, line + off, n - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		off += (size_t)k;
	}
}

/* --progress-fd: "I ITEM RESULT[ kept]" per committed item. */
static void check_progress_fd(void *arg, const struct checklist_item *it,
			      const struct store_run_item *res, bool kept)
{
	const struct check_args *a = arg;

	progress_write(a->progress_fd, "I %s %s%s\n", it->id, store_check_result_name(res->result),
		       kept ? " kept" : "");
}

int cmd_check(const struct global_opts *g, int argc, char **argv)
{
	struct check_args a = { .resume = RUN_RESUME_AUTO, .progress_fd = -1 };
	struct cli_runbook rb;
	/* finished below, once the cluster is known to have answered */
	struct run_opts o = { .finish = false };
	struct run_summary sum;
	const struct checklist *cl;
	struct buf out;
	struct err e = { 0 };
	int rc = check_parse(argc, argv, &a);

	if (rc != CLI_EXIT_OK) {
		check_args_free(&a);
		return rc;
	}
	if (a.progress_fd >= 0)
		signal(SIGPIPE, SIG_IGN);   /* a console that went away: writes fail, the run goes on */
	rc = cli_runbook_open(&rb, g, a.profile, CLI_RB_PROFILE | CLI_RB_CLUSTER);
	if (rc != CLI_EXIT_OK) {
		/* the reason is on stderr (the console's debug log, or its own stderr) */
		if (a.progress_fd >= 0)
			progress_write(a.progress_fd, "E the profile, the history store or the "
				       "cluster could not be opened\n");
		cli_runbook_close(&rb);
		check_args_free(&a);
		return CLI_EXIT_USAGE;
	}
	buf_init(&out, 64u * 1024u * 1024u);
	cl = profile_find_checklist(rb.profile, a.name);
	if (!cl) {
		fprintf(stderr, "error: profile %s has no checklist \"%s\"\n", rb.profile->name, a.name);
		if (a.progress_fd >= 0)
			progress_write(a.progress_fd, "E profile %s has no checklist \"%s\"\n",
				       rb.profile->name, a.name);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	rc = check_answers_valid(&a, cl);
	if (rc != CLI_EXIT_OK)
		goto out;
	rb.env.history_from_prometheus = a.prometheus;
	o.operator_name = check_operator(a.operator_name);
	o.resume = a.resume;
	o.manual = a.answers;
	o.nmanual = a.nanswers;
	if (run_checklist(rb.store, &rb.env, cl, &o, cli_runbook_now, &rb,
			  a.progress_fd >= 0 ? check_progress_fd
					     : (isatty(STDERR_FILENO) ? check_progress : NULL),
			  &a, &sum, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		if (a.progress_fd >= 0)
			progress_write(a.progress_fd, "E %s\n",
				       e.msg[0] ? e.msg : "the checks could not run");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (a.progress_fd >= 0) {
		/* the console walks the manual items and finishes the run */
		progress_write(a.progress_fd, "D %lld\n", (long long)sum.run_id);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (sum.resumed)
		fprintf(stderr, "opsdeck: resumed run %lld: %d of %zu items kept from before\n",
			(long long)sum.run_id, sum.kept, cl->nitems);
	if (rb.api_failures > 0 && rb.api_answers == 0) {
		/* left open: it is not done, and the next check resumes it */
		fprintf(stderr, "%s\nerror: the cluster did not answer; run %lld is left unfinished\n",
			rb.api_last_error, (long long)sum.run_id);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (run_finish(rb.store, sum.run_id, o.operator_name, cli_runbook_now(&rb), a.issues,
		       a.notes, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (report_run(rb.store, rb.profile, sum.run_id,
		       a.output && strcmp(a.output, "json") == 0 ? REPORT_JSON : REPORT_MD, &out,
		       &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	rc = cli_runbook_write(a.out, &out);
	if (rc == CLI_EXIT_OK && (sum.warn || sum.fail))
		rc = CLI_EXIT_FAILED;
out:
	buf_free(&out);
	cli_runbook_close(&rb);
	check_args_free(&a);
	return rc;
}
