/*
 * cmd_scale.c: `opsdeck scale sts/NAME --replicas N [--current-replicas M]`
 * through /scale, and `--undo` back to the count the audit log recorded
 * before the last scale of that object (its "after" count is then the
 * precondition, so an undo never overrides someone else's change).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/actcli.h"
#include "opsdeck/store_audit.h"

int cmd_scale(const struct global_opts *g, int argc, char **argv);

struct last_scale {
	const char *context, *namespace_, *object;
	long before, after;
	bool found;
};

static int find_last_scale(void *arg, const struct store_audit_entry *r)
{
	struct last_scale *l = arg;

	if (!r->action || strcmp(r->action, "scale") != 0 || !r->step ||
	    strcmp(r->step, "apply") != 0 || !r->outcome || strcmp(r->outcome, "ok") != 0)
		return 0;
	if (!r->context || strcmp(r->context, l->context) != 0 || !r->namespace ||
	    strcmp(r->namespace, l->namespace_) != 0 || !r->object ||
	    strcmp(r->object, l->object) != 0)
		return 0;
	if (!r->before || !r->after || strncmp(r->before, "replicas=", 9) != 0 ||
	    strncmp(r->after, "replicas=", 9) != 0)
		return 0;
	l->before = strtol(r->before + 9, NULL, 10);
	l->after = strtol(r->after + 9, NULL, 10);
	l->found = true;   /* keep going: the newest wins */
	return 0;
}

/* Fills o from the audit log for --undo. */
static int undo_counts(struct actcli *a, const char *ref, struct action_scale_opts *o)
{
	static const char *const kinds[] = { "deployments", "statefulsets", NULL };
	const struct api_resource *r;
	const char *name;
	char object[512];
	struct last_scale l = { 0 };
	struct err e = { 0 };

	if (action_parse_ref(ref, kinds, &r, &name, &e) != OD_OK)
		return actcli_fail(e.status, &e);
	snprintf(object, sizeof object, "%s.%s/%s", r->singular, r->group, name);
	l.context = a->ctx.context;
	l.namespace_ = a->target->namespace_;
	l.object = object;
	if (store_audit_list(a->store, 0, 0, find_last_scale, &l, &e) != OD_OK)
		return actcli_fail(e.status, &e);
	if (!l.found) {
		fprintf(stderr, "error: no earlier scale of %s in namespace %s in the audit log: "
			"nothing to undo\n", object, l.namespace_);
		return ACTCLI_EXIT_FAILED;
	}
	printf("Undo: back to replicas=%ld (recorded before the scale to %ld)\n", l.before,
	       l.after);
	o->replicas = l.before;
	o->current_replicas = l.after;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "error: usage: opsdeck scale (deploy|sts)/NAME --replicas N "
		"[--current-replicas M] | --undo [--snapshot-first] [--dry-run] [--yes] "
		"[--confirm NAME] [--wait] [--timeout D]\n");
	return ACTCLI_EXIT_USAGE;
}

int cmd_scale(const struct global_opts *g, int argc, char **argv)
{
	struct actcli a = { 0 };
	struct action_scale_opts o = { .replicas = -1, .current_replicas = -1 };
	struct action_target t;
	struct action_plan *p = NULL;
	struct err e = { 0 };
	const char *ref = NULL, *rv = NULL, *cv = NULL;
	bool undo = false;
	int rc;

	argc = actcli_parse_flags(argc, argv, &a.flags);
	if (argc < 0)
		return ACTCLI_EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--replicas") == 0 && i + 1 < argc)
			rv = argv[++i];
		else if (strncmp(argv[i], "--replicas=", 11) == 0)
			rv = argv[i] + 11;
		else if (strcmp(argv[i], "--current-replicas") == 0 && i + 1 < argc)
			cv = argv[++i];
		else if (strncmp(argv[i], "--current-replicas=", 19) == 0)
			cv = argv[i] + 19;
		else if (strcmp(argv[i], "--undo") == 0)
			undo = true;
		else if (argv[i][0] != '-' && !ref)
			ref = argv[i];
		else
			return usage();
	}
	if (!ref || (!undo && !rv) || (undo && (rv || cv)))
		return usage();
	if (rv && (o.replicas = actcli_parse_count(rv)) < 0) {
		fprintf(stderr, "error: The --replicas=COUNT flag is required, and COUNT must be "
			"greater than or equal to 0\n");
		return ACTCLI_EXIT_USAGE;
	}
	if (cv && (o.current_replicas = actcli_parse_count(cv)) < 0) {
		fprintf(stderr, "error: invalid --current-replicas \"%s\"\n", cv);
		return ACTCLI_EXIT_USAGE;
	}
	if ((rc = actcli_open(&a, g, true)) != 0)
		goto out;
	if ((rc = actcli_refuse_read_only(&a, ACTION_SCALE, ref)) != 0)
		goto out;
	if (undo && (rc = undo_counts(&a, ref, &o)) != 0)
		goto out;
	actcli_target(&a, ref, NULL, &t);
	if (action_build_scale(&a.ctx, &t, &o, &p, &e) != OD_OK) {
		rc = actcli_plan_failed(&a, ACTION_SCALE, ref, &e);
		goto out;
	}
	rc = actcli_run(&a, &p);
out:
	actcli_close(&a);
	return rc;
}
