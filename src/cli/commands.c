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
int cmd_restart(const struct global_opts *g, int argc, char **argv);
int cmd_delete(const struct global_opts *g, int argc, char **argv);
int cmd_scale(const struct global_opts *g, int argc, char **argv);
int cmd_snapshot(const struct global_opts *g, int argc, char **argv);
int cmd_snapshots(const struct global_opts *g, int argc, char **argv);
int cmd_restore(const struct global_opts *g, int argc, char **argv);
int cmd_rollback(const struct global_opts *g, int argc, char **argv);
int cmd_revisions(const struct global_opts *g, int argc, char **argv);
int cmd_audit(const struct global_opts *g, int argc, char **argv);
int cmd_collect(const struct global_opts *g, int argc, char **argv);
int cmd_history(const struct global_opts *g, int argc, char **argv);
int cmd_events(const struct global_opts *g, int argc, char **argv);
int cmd_check(const struct global_opts *g, int argc, char **argv);
int cmd_due(const struct global_opts *g, int argc, char **argv);
int cmd_report(const struct global_opts *g, int argc, char **argv);
int cmd_triage(const struct global_opts *g, int argc, char **argv);
int cmd_incident(const struct global_opts *g, int argc, char **argv);
int cmd_handoff(const struct global_opts *g, int argc, char **argv);
int cmd_alerts(const struct global_opts *g, int argc, char **argv);

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
	{ .name = "restart", .run = cmd_restart, .usage = "restart (deploy|sts|ds)/NAME",
	  .summary = "rollout restart, planned, dry-run, confirmed (--yes), audited (--wait)" },
	{ .name = "delete", .run = cmd_delete, .usage = "delete pod NAME [--grace-period N]",
	  .summary = "delete one pod; --force also needs --confirm-force" },
	{ .name = "scale", .run = cmd_scale,
	  .usage = "scale (deploy|sts)/NAME --replicas N",
	  .summary = "scale via /scale ([--current-replicas M], --undo); 0 needs --confirm NAME" },
	{ .name = "snapshot", .run = cmd_snapshot, .usage = "snapshot pvc/NAME [--class C] [--name N]",
	  .summary = "VolumeSnapshot of a PVC, followed to readyToUse with --wait" },
	{ .name = "snapshots", .run = cmd_snapshots, .usage = "snapshots [--pvc NAME]",
	  .summary = "snapshots per PVC: readyToUse, restoreSize, class, age, error" },
	{ .name = "restore", .run = cmd_restore, .usage = "restore SNAPSHOT --to NEW_PVC",
	  .summary = "a new PVC from a snapshot (dataSource), followed to Bound with --wait" },
	{ .name = "rollback", .run = cmd_rollback, .usage = "rollback (deploy|sts)/NAME [--to-revision N]",
	  .summary = "rollout undo to the previous or a chosen revision" },
	{ .name = "revisions", .run = cmd_revisions, .usage = "revisions (deploy|sts)/NAME",
	  .summary = "rollout history with each revision's images and age" },
	{ .name = "audit", .run = cmd_audit, .usage = "audit [--since D] [-o table|json] [--verify]",
	  .summary = "the action audit log; --verify checks its hash chain" },
	{ .name = "collect", .run = cmd_collect, .usage = "collect [--interval 15s] [--once]",
	  .summary = "collect history (metrics, pod state, PVC usage, events) in the foreground" },
	{ .name = "history", .run = cmd_history,
	  .usage = "history METRIC TARGET [--since D]",
	  .summary = "cpu|memory|restarts|storage|ready over time from the store; import FILE" },
	{ .name = "events", .run = cmd_events, .usage = "events [--since D] [--type T]",
	  .summary = "events from the archive (-l SEL), kept after the API server drops them" },
	{ .name = "check", .run = cmd_check,
	  .usage = "check NAME [--profile P] [-o md|json] [--operator N] [--out FILE]",
	  .summary = "run a checklist's automated items, recorded; exit 1 on WARN/FAIL (cron)" },
	{ .name = "due", .run = cmd_due, .usage = "due [--profile P]",
	  .summary = "which checklists are done, due or overdue (\"weekly due\")" },
	{ .name = "report", .run = cmd_report,
	  .usage = "report run ID | report weekly [--profile P] [--out FILE]",
	  .summary = "a checklist run or the weekly health report, as runbook Markdown" },
	{ .name = "triage", .run = cmd_triage, .usage = "triage [-A] [-o table|json]",
	  .summary = "everything unhealthy, worst first, with why and since when" },
	{ .name = "alerts", .run = cmd_alerts, .usage = "alerts [-o table|json] [--alertmanager URL]",
	  .summary = "firing alerts from the context's Alertmanager, with labels, age and silences" },
	{ .name = "incident", .run = cmd_incident,
	  .usage = "incident start|note|close|list|export|evidence",
	  .summary = "incidents: open, notes, close, list; post-mortem export; evidence bundle" },
	{ .name = "handoff", .run = cmd_handoff, .usage = "handoff [--since 12h] [--out FILE]",
	  .summary = "for the next shift: incidents, restarts, Warning events, actions, checklists" },
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
