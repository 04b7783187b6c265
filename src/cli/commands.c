/*
 * commands.c: the command table. Adding a command is one row here and one
 * file under src/cli/; --help is generated from these rows.
 */
#include <string.h>

#include "opsdeck/commands.h"

static int cmd_version(const struct global_opts *g, int argc, char **argv);
int cmd_config(const struct global_opts *g, int argc, char **argv);
int cmd_get(const struct global_opts *g, int argc, char **argv);
int cmd_describe(const struct global_opts *g, int argc, char **argv);
int cmd_logs(const struct global_opts *g, int argc, char **argv);
int cmd_top(const struct global_opts *g, int argc, char **argv);

const struct command commands_table[] = {
	{ .name = "version", .run = cmd_version, .usage = "version",
	  .summary = "print the opsdeck version" },
	{ .name = "config", .run = cmd_config,
	  .usage = "config SUBCOMMAND",
	  .summary = "view, get-contexts, current-context, use-context: as kubectl config" },
	{ .name = "get", .run = cmd_get,
	  .usage = "get TYPE [NAME] [flags]",
	  .summary = "list objects as kubectl get (-l, --field-selector, -o wide|json|yaml|name, -w)" },
	{ .name = "describe", .run = cmd_describe, .usage = "describe pod NAME",
	  .summary = "a pod's containers, conditions, volumes and events as kubectl describe" },
	{ .name = "logs", .run = cmd_logs,
	  .usage = "logs (POD | -l SEL | deploy/NAME) [flags]",
	  .summary = "container logs as kubectl logs, several pods at once, plus --grep RE" },
	{ .name = "top", .run = cmd_top, .usage = "top pods|nodes [flags]",
	  .summary = "CPU and memory from metrics.k8s.io as kubectl top" },
	{ .name = NULL },
};

const struct command *commands_find(const char *name)
{
	for (const struct command *c = commands_table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

#include <stdio.h>
#include "config.h"

static int cmd_version(const struct global_opts *g, int argc, char **argv)
{
	(void)g;
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "error: version takes no arguments\n");
		return 2;
	}
	printf("opsdeck %s\n", PACKAGE_VERSION);
	return 0;
}
