/*
 * commands.h: the table of opsdeck's commands. Each command lives in its own
 * file under src/cli/ and is one row of the table in src/cli/commands.c; the
 * usage text and dispatch are generated from that table.
 */
#ifndef OPSDECK_COMMANDS_H
#define OPSDECK_COMMANDS_H

/* Options every command accepts, before or after the command name. */
struct global_opts {
	const char *kubeconfig;      /* --kubeconfig; borrowed from argv */
	const char *context;         /* --context */
	const char *namespace_;      /* -n/--namespace */
	int all_namespaces;          /* -A/--all-namespaces */
	const char *request_timeout; /* --request-timeout (e.g. "10s"; "0" = none) */
	int read_only;               /* --read-only */
	const char *db_path;         /* --db */
	const char *debug_log;       /* --debug-log */
};

/*
 * A command's entry point: argc/argv are what remains after the global flags
 * were taken out, argv[0] being the command name. Returns the exit code:
 * 0 ok, 1 the request was refused or failed, 2 usage or configuration error.
 */
typedef int (*command_fn)(const struct global_opts *g, int argc, char **argv);

struct command {
	const char *name;
	command_fn run;
	const char *usage;     /* "get TYPE [NAME] [flags]" */
	const char *summary;   /* one line for --help */
};

/* The table, ended by a row whose name is NULL. */
extern const struct command commands_table[];

/* Finds a command by name; NULL if there is none. */
const struct command *commands_find(const char *name);

#endif
