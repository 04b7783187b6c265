/*
 * actionmenu.c: the action menu's model (ui_actionmenu.h): the entries for
 * a pod and its workload, why an entry is disabled, the undo count from the
 * audit log, and the checks of what the prompts accept.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_audit.h"
#include "opsdeck/ui_actionmenu.h"

struct workload_kind {
	const char *kind, *ref, *object;
	bool scalable, history;
};

static const struct workload_kind workload_kinds[] = {
	{ "Deployment", "deploy", "deployment.apps", true, true },
	{ "StatefulSet", "sts", "statefulset.apps", true, true },
	{ "DaemonSet", "ds", "daemonset.apps", false, false },
};

static const struct workload_kind *kind_of(const char *kind)
{
	for (size_t i = 0; i < sizeof workload_kinds / sizeof workload_kinds[0]; i++)
		if (strcmp(workload_kinds[i].kind, kind) == 0)
			return &workload_kinds[i];
	return NULL;
}

void actionmenu_target(struct am_target *t, const char *ns, const char *pod, const char *owner)
{
	const char *slash = owner ? strchr(owner, '/') : NULL;
	const struct workload_kind *k;

	memset(t, 0, sizeof *t);
	snprintf(t->ns, sizeof t->ns, "%s", ns ? ns : "");
	snprintf(t->pod, sizeof t->pod, "%s", pod ? pod : "");
	if (!slash || slash == owner || !slash[1])
		return;
	snprintf(t->wkind, sizeof t->wkind, "%.*s", (int)(slash - owner), owner);
	snprintf(t->wname, sizeof t->wname, "%s", slash + 1);
	/* stored rows keep the ReplicaSet: a Deployment's is "<deployment>-<pod-template-hash>" */
	if (strcmp(t->wkind, "ReplicaSet") == 0) {
		char *dash = strrchr(t->wname, '-');

		if (dash && dash != t->wname && dash[1]) {
			*dash = '\0';
			snprintf(t->wkind, sizeof t->wkind, "Deployment");
		}
	}
	k = kind_of(t->wkind);
	if (!k)
		return;
	snprintf(t->ref, sizeof t->ref, "%s/%s", k->ref, t->wname);
	snprintf(t->object, sizeof t->object, "%s/%s", k->object, t->wname);
}

static void entry(struct am_entry *e, enum am_item item, char key, const char *label)
{
	memset(e, 0, sizeof *e);
	e->item = item;
	e->key = key;
	e->enabled = true;
	snprintf(e->label, sizeof e->label, "%s", label);
}

static void disable(struct am_entry *e, const char *why)
{
	if (!e->enabled)
		return;
	e->enabled = false;
	snprintf(e->reason, sizeof e->reason, "%s", why);
}

/* Why the workload cannot take this action, or NULL. */
static const char *workload_reason(const struct am_target *t, bool scale, char *buf, size_t n)
{
	const struct workload_kind *k = kind_of(t->wkind);

	if (!t->wkind[0])
		return "the pod has no workload (no controller owns it)";
	if (!k) {
		snprintf(buf, n, "its owner is a %s, not a Deployment, StatefulSet or DaemonSet",
			 t->wkind);
		return buf;
	}
	if (scale && !k->scalable) {
		snprintf(buf, n, "a %s runs one pod per node: it has no replica count", t->wkind);
		return buf;
	}
	return NULL;
}

void actionmenu_build(struct actionmenu *m, const struct am_target *t, const struct am_facts *f)
{
	char label[AM_PVCS_MAX + 64], why[AM_REASON_MAX];
	const char *r;
	const struct workload_kind *k = kind_of(t->wkind);
	const char *w = t->object[0] ? t->object : "its workload";

	memset(m, 0, sizeof *m);
	m->t = *t;
	snprintf(label, sizeof label, "restart %s (rollout restart)", w);
	entry(&m->v[AM_RESTART], AM_RESTART, 'r', label);
	if ((r = workload_reason(t, false, why, sizeof why)))
		disable(&m->v[AM_RESTART], r);

	snprintf(label, sizeof label, "delete pod %s (grace period, or force)", t->pod);
	entry(&m->v[AM_DELETE], AM_DELETE, 'd', label);

	snprintf(label, sizeof label, "scale %s (replicas)", w);
	entry(&m->v[AM_SCALE], AM_SCALE, 's', label);
	if ((r = workload_reason(t, true, why, sizeof why)))
		disable(&m->v[AM_SCALE], r);

	snprintf(label, sizeof label, "snapshot the pod's PVC%s%s%s", t->pvcs[0] ? " (" : "",
		 t->pvcs, t->pvcs[0] ? ")" : "");
	entry(&m->v[AM_SNAPSHOT], AM_SNAPSHOT, 'n', label);
	entry(&m->v[AM_RESTORE], AM_RESTORE, 'o', "restore a snapshot of the pod's PVC into a new PVC");
	if (t->pvcs_known && !t->pvcs[0]) {
		disable(&m->v[AM_SNAPSHOT], "the pod mounts no PersistentVolumeClaim");
		disable(&m->v[AM_RESTORE], "the pod mounts no PersistentVolumeClaim");
	}

	snprintf(label, sizeof label, "rollback %s (rollout undo)", w);
	entry(&m->v[AM_ROLLBACK], AM_ROLLBACK, 'b', label);
	if ((r = workload_reason(t, false, why, sizeof why)))
		disable(&m->v[AM_ROLLBACK], r);
	else if (k && !k->history)
		disable(&m->v[AM_ROLLBACK], "this menu rolls back Deployments and StatefulSets");

	if (f->undo_before >= 0)
		snprintf(label, sizeof label, "undo the last scale of %.200s (%ld -> %ld)", w,
			 f->undo_after, f->undo_before);
	else
		snprintf(label, sizeof label, "undo the last scale of %s", w);
	entry(&m->v[AM_UNDO_SCALE], AM_UNDO_SCALE, 'u', label);
	if ((r = workload_reason(t, true, why, sizeof why)))
		disable(&m->v[AM_UNDO_SCALE], r);
	else if (f->undo_before < 0)
		disable(&m->v[AM_UNDO_SCALE], "no earlier scale of it in the audit log");

	if (f->read_only)
		for (int i = 0; i < AM_ITEM_COUNT; i++) {
			m->v[i].enabled = true;   /* read-only is the reason shown, above all */
			disable(&m->v[i], AM_READ_ONLY_REASON);
		}
	m->sel = 0;
	for (int i = 0; i < AM_ITEM_COUNT; i++)
		if (m->v[i].enabled) {
			m->sel = i;
			break;
		}
}

const struct am_entry *actionmenu_by_key(const struct actionmenu *m, int key)
{
	for (int i = 0; i < AM_ITEM_COUNT; i++)
		if (m->v[i].key == key)
			return &m->v[i];
	return NULL;
}

void actionmenu_move(struct actionmenu *m, int delta)
{
	m->sel = ((m->sel + delta) % AM_ITEM_COUNT + AM_ITEM_COUNT) % AM_ITEM_COUNT;
}

struct last_scale {
	const char *context, *ns, *object;
	long before, after;
	bool found;
};

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int on_row(void *arg, const struct store_audit_entry *r)
{
	struct last_scale *l = arg;

	if (!same(r->action, "scale") || !same(r->step, "apply") || !same(r->outcome, "ok") ||
	    !same(r->context, l->context) || !same(r->namespace, l->ns) ||
	    !same(r->object, l->object))
		return 0;
	if (!r->before || !r->after || strncmp(r->before, "replicas=", 9) != 0 ||
	    strncmp(r->after, "replicas=", 9) != 0)
		return 0;
	l->before = strtol(r->before + 9, NULL, 10);
	l->after = strtol(r->after + 9, NULL, 10);
	l->found = true;   /* keep going: the newest wins */
	return 0;
}

bool actionmenu_find_undo(struct store *st, const char *context, const char *ns,
			  const char *object, long *before, long *after, struct err *e)
{
	struct last_scale l = { .context = context, .ns = ns, .object = object };

	*before = *after = -1;
	if (!st || !object || !*object || store_audit_list(st, 0, 0, on_row, &l, e) != OD_OK ||
	    !l.found)
		return false;
	*before = l.before;
	*after = l.after;
	return true;
}

long actionmenu_parse_count(const char *s)
{
	char *end;
	long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	return *end || v > 100000 ? -1 : v;
}

bool actionmenu_parse_grace(const char *s, long *grace, bool *force)
{
	*grace = -1;
	*force = false;
	if (!s || !*s)
		return true;
	if (strcmp(s, "f") == 0 || strcmp(s, "force") == 0) {
		*grace = 0;
		*force = true;
		return true;
	}
	*grace = actionmenu_parse_count(s);
	return *grace >= 0;
}

bool actionmenu_valid_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 253 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' ||
		      s[i] == '.'))
			return false;
	return true;
}

bool actionmenu_list_item(const char *list, size_t n, char *out, size_t len)
{
	const char *s = list;

	out[0] = '\0';
	while (s && *s) {
		size_t k = strcspn(s, ",");

		if (n-- == 0) {
			snprintf(out, len, "%.*s", (int)k, s);
			return true;
		}
		s += k;
		if (*s == ',')
			s++;
	}
	return false;
}
