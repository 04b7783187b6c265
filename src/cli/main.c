/*
 * main.c: opsdeck's entry point. Takes the global flags out of argv wherever
 * they stand (kubectl allows them before or after the command), then runs the
 * command from the table, or the dashboard when there is none.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "opsdeck/commands.h"
#include "opsdeck/err.h"
#include "opsdeck/log.h"
#include "opsdeck/ui_dashboard.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static void print_help(FILE *f)
{
	fprintf(f,
		"opsdeck %s: a terminal operations console for Kubernetes on-call engineers\n"
		"\n"
		"Usage:\n"
		"  opsdeck [global flags]                 open the dashboard\n"
		"  opsdeck [global flags] COMMAND [args]  run a command headless\n"
		"\n"
		"Commands:\n", PACKAGE_VERSION);
	for (const struct command *c = commands_table; c->name; c++)
		fprintf(f, "  %-34s %s\n", c->usage, c->summary);
	fprintf(f,
		"\n"
		"Global flags (before or after the command):\n"
		"  --kubeconfig FILE        use this kubeconfig only (no KUBECONFIG merging)\n"
		"  --context NAME           kubeconfig context to use\n"
		"  -n, --namespace NS       namespace (default: the context's, else \"default\")\n"
		"  -A, --all-namespaces     every namespace\n"
		"  --request-timeout D      give up on a request after D (e.g. 10s; 0 = never)\n"
		"  --read-only              refuse every action that changes the cluster\n"
		"  --db PATH                history database (default: $XDG_STATE_HOME/opsdeck/history.db)\n"
		"  --debug-log FILE         write a debug log to FILE (never the terminal)\n"
		"  -h, --help               this help\n"
		"  --version                print the version\n"
		"\n"
		"Dashboard flags (without a command; keys: press ? in the dashboard):\n"
		"%s"
		"\n"
		"Exit codes: 0 ok; 1 the request was refused or failed; 2 usage or configuration error.\n"
		"See opsdeck(1) and docs/ for more.\n", ui_dashboard_help);
}

/*
 * Flags that take a value accept "--flag VALUE" and "--flag=VALUE". Returns 1
 * and stores the value if argv[*i] is flag; advances *i past a separate value.
 */
static int take_value(int argc, char **argv, int *i, const char *shortf, const char *longf,
		      const char **out, int *bad)
{
	const char *a = argv[*i];
	size_t ll = strlen(longf);

	if ((shortf && strcmp(a, shortf) == 0) || strcmp(a, longf) == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "error: flag needs an argument: %s\n", a);
			*bad = 1;
			return 1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (strncmp(a, longf, ll) == 0 && a[ll] == '=') {
		*out = a + ll + 1;
		return 1;
	}
	if (shortf && strncmp(a, shortf, strlen(shortf)) == 0 && a[strlen(shortf)] != '\0' &&
	    shortf[1] != '-') {
		/* -nNAMESPACE, as pflag accepts */
		*out = a + strlen(shortf);
		if (**out == '=')
			(*out)++;
		return 1;
	}
	return 0;
}

/* Moves global flags into g and compacts the rest of argv. Returns the new argc or -1. */
static int parse_globals(int argc, char **argv, struct global_opts *g)
{
	int out = 1, bad = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (take_value(argc, argv, &i, NULL, "--kubeconfig", &g->kubeconfig, &bad) ||
		    take_value(argc, argv, &i, NULL, "--context", &g->context, &bad) ||
		    take_value(argc, argv, &i, "-n", "--namespace", &g->namespace_, &bad) ||
		    take_value(argc, argv, &i, NULL, "--request-timeout", &g->request_timeout, &bad) ||
		    take_value(argc, argv, &i, NULL, "--db", &g->db_path, &bad) ||
		    take_value(argc, argv, &i, NULL, "--debug-log", &g->debug_log, &bad)) {
			if (bad)
				return -1;
			continue;
		}
		if (strcmp(a, "-A") == 0 || strcmp(a, "--all-namespaces") == 0 ||
		    strcmp(a, "--all-namespaces=true") == 0) {
			g->all_namespaces = 1;
			continue;
		}
		if (strcmp(a, "--read-only") == 0 || strcmp(a, "--read-only=true") == 0) {
			g->read_only = 1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	struct global_opts g = { 0 };
	const struct command *cmd;
	struct err e = { 0 };

	setlocale(LC_ALL, "");
	argc = parse_globals(argc, argv, &g);
	if (argc < 0)
		return EXIT_USAGE;
	if (!g.debug_log)
		g.debug_log = getenv("OPSDECK_DEBUG_LOG");
	if (g.debug_log && *g.debug_log && log_open(g.debug_log, LOG_LEVEL_DEBUG, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return EXIT_USAGE;
	}

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "help") == 0)) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("opsdeck %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (argc < 2 || ui_dashboard_is_flag(argv[1])) {
		int drc = ui_dashboard_main(&g, argc, argv);

		log_close();
		return drc;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "error: unknown flag: %s\nSee 'opsdeck --help'.\n", argv[1]);
		return EXIT_USAGE;
	}
	cmd = commands_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "error: unknown command \"%s\" for \"opsdeck\"\n"
				"Run 'opsdeck --help' for usage.\n", argv[1]);
		return EXIT_USAGE;
	}
	int rc = cmd->run(&g, argc - 1, argv + 1);
	log_close();
	return rc;
}
