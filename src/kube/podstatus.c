/*
 * podstatus.c: kubectl's pod printer rules (printPod in kubectl's
 * printers.go), step for step as ../shared/KUBERNETES.md lists them, so
 * opsdeck shows the STATUS an on-call engineer sees in kubectl.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/podstatus.h"

/* What walking the container statuses accumulates. */
struct walk_state {
	char reason[PODSTATUS_STATUS_MAX];
	int ready;
	int total;
	long restarts;
	struct od_time last_restart;            /* sec 0: none */
	long sidecar_restarts;
	struct od_time sidecar_last_restart;
	bool initializing;
};

static bool condition_true(const struct pod *p, const char *type)
{
	const struct pod_condition *c = pod_find_condition(p, type);

	return c && c->status && strcmp(c->status, "True") == 0;
}

static bool is_sidecar(const struct pod *p, const char *name)
{
	const struct pod_container *c = pod_find_init_container(p, name);

	return c && c->restart_always;
}

static bool time_before(struct od_time a, struct od_time b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.nsec < b.nsec);
}

/* Keeps the latest lastState.terminated.finishedAt seen. */
static void track_termination(const struct pod_container_status *cs, struct od_time *latest)
{
	if (cs->last_state.kind == CONTAINER_STATE_TERMINATED &&
	    time_before(*latest, cs->last_state.finished_at))
		*latest = cs->last_state.finished_at;
}

static bool has_text(const char *s)
{
	return s && *s;
}

/* Rule 1: the phase, replaced by status.reason, or SchedulingGated. */
static void initial_reason(const struct pod *p, struct walk_state *w)
{
	snprintf(w->reason, sizeof(w->reason), "%s", has_text(p->reason) ? p->reason
						    : p->phase ? p->phase : "");
	for (size_t i = 0; i < p->nconditions; i++) {
		const struct pod_condition *c = &p->conditions[i];

		if (c->type && strcmp(c->type, "PodScheduled") == 0 && c->reason &&
		    strcmp(c->reason, "SchedulingGated") == 0)
			snprintf(w->reason, sizeof(w->reason), "SchedulingGated");
	}
}

/* Rule 3: the init containers, in status order, until one is still initialising. */
static void walk_init(const struct pod *p, struct walk_state *w)
{
	for (size_t i = 0; i < p->ninit_statuses; i++) {
		const struct pod_container_status *cs = &p->init_statuses[i];
		const struct container_state *st = &cs->state;
		bool sidecar = is_sidecar(p, cs->name);

		w->restarts += cs->restart_count;
		track_termination(cs, &w->last_restart);
		if (sidecar) {
			w->sidecar_restarts += cs->restart_count;
			track_termination(cs, &w->sidecar_last_restart);
		}
		if (st->kind == CONTAINER_STATE_TERMINATED && st->exit_code == 0)
			continue;
		if (sidecar && cs->started) {
			if (cs->ready)
				w->ready++;
			continue;
		}
		if (st->kind == CONTAINER_STATE_TERMINATED) {
			if (has_text(st->reason))
				snprintf(w->reason, sizeof(w->reason), "Init:%s", st->reason);
			else if (st->signal != 0)
				snprintf(w->reason, sizeof(w->reason), "Init:Signal:%d", (int)st->signal);
			else
				snprintf(w->reason, sizeof(w->reason), "Init:ExitCode:%d",
					 (int)st->exit_code);
		} else if (st->kind == CONTAINER_STATE_WAITING && has_text(st->reason) &&
			   strcmp(st->reason, "PodInitializing") != 0) {
			snprintf(w->reason, sizeof(w->reason), "Init:%s", st->reason);
		} else {
			snprintf(w->reason, sizeof(w->reason), "Init:%zu/%zu", i, p->ninit_containers);
		}
		w->initializing = true;
		return;
	}
}

/* Rules 4 and 5: the app containers, last to first, so container 0's reason wins. */
static void walk_containers(const struct pod *p, struct walk_state *w)
{
	bool has_running = false;

	w->restarts = w->sidecar_restarts;
	w->last_restart = w->sidecar_last_restart;
	for (size_t i = p->nstatuses; i-- > 0;) {
		const struct pod_container_status *cs = &p->statuses[i];
		const struct container_state *st = &cs->state;

		w->restarts += cs->restart_count;
		track_termination(cs, &w->last_restart);
		if (st->kind == CONTAINER_STATE_WAITING && has_text(st->reason)) {
			snprintf(w->reason, sizeof(w->reason), "%s", st->reason);
		} else if (st->kind == CONTAINER_STATE_TERMINATED && has_text(st->reason)) {
			snprintf(w->reason, sizeof(w->reason), "%s", st->reason);
		} else if (st->kind == CONTAINER_STATE_TERMINATED) {
			if (st->signal != 0)
				snprintf(w->reason, sizeof(w->reason), "Signal:%d", (int)st->signal);
			else
				snprintf(w->reason, sizeof(w->reason), "ExitCode:%d", (int)st->exit_code);
		} else if (cs->ready && st->kind == CONTAINER_STATE_RUNNING) {
			has_running = true;
			w->ready++;
		}
	}
	if (strcmp(w->reason, "Completed") == 0 && has_running)
		snprintf(w->reason, sizeof(w->reason), "%s",
			 condition_true(p, "Ready") ? "Running" : "NotReady");
}

/* Rule 6: deletion. */
static void apply_deletion(const struct pod *p, struct walk_state *w)
{
	bool terminal = p->phase && (strcmp(p->phase, "Succeeded") == 0 ||
				     strcmp(p->phase, "Failed") == 0);

	if (!p->deleting)
		return;
	if (p->reason && strcmp(p->reason, "NodeLost") == 0)
		snprintf(w->reason, sizeof(w->reason), "Unknown");
	else if (!terminal)
		snprintf(w->reason, sizeof(w->reason), "Terminating");
}

/* kubectl's translateTimestampSince: "<unknown>" for a zero time. */
static void format_since(struct od_time t, struct od_time now, char *out, size_t n)
{
	if (t.sec == 0 && t.nsec == 0) {
		snprintf(out, n, "<unknown>");
		return;
	}
	duration_format_human(time_diff_ns(t, now), out, n);
}

static void format_wide(const struct pod *p, struct pod_row *row)
{
	size_t ready = 0;

	snprintf(row->ip, sizeof(row->ip), "%s", p->nips && has_text(p->ips[0]) ? p->ips[0]
										 : "<none>");
	snprintf(row->node, sizeof(row->node), "%s", has_text(p->node) ? p->node : "<none>");
	snprintf(row->nominated_node, sizeof(row->nominated_node), "%s",
		 has_text(p->nominated_node) ? p->nominated_node : "<none>");
	if (p->nreadiness_gates == 0) {
		snprintf(row->readiness_gates, sizeof(row->readiness_gates), "<none>");
		return;
	}
	for (size_t i = 0; i < p->nreadiness_gates; i++)
		if (condition_true(p, p->readiness_gates[i]))
			ready++;
	snprintf(row->readiness_gates, sizeof(row->readiness_gates), "%zu/%zu", ready,
		 p->nreadiness_gates);
}

void podstatus_compute(const struct pod *p, struct od_time now, struct pod_row *row)
{
	struct walk_state w = { .total = (int)p->ncontainers };
	char ago[DURATION_HUMAN_MAX];

	memset(row, 0, sizeof(*row));
	initial_reason(p, &w);
	/* Rule 2: sidecars count towards the total. */
	for (size_t i = 0; i < p->ninit_containers; i++)
		if (p->init_containers[i].restart_always)
			w.total++;
	walk_init(p, &w);
	if (!w.initializing || condition_true(p, "Initialized"))
		walk_containers(p, &w);
	apply_deletion(p, &w);

	snprintf(row->ready, sizeof(row->ready), "%d/%d", w.ready, w.total);
	snprintf(row->status, sizeof(row->status), "%s", w.reason);
	if (w.restarts != 0 && w.last_restart.sec != 0) {
		format_since(w.last_restart, now, ago, sizeof(ago));
		snprintf(row->restarts, sizeof(row->restarts), "%ld (%s ago)", w.restarts, ago);
	} else {
		snprintf(row->restarts, sizeof(row->restarts), "%ld", w.restarts);
	}
	format_since(p->created, now, row->age, sizeof(row->age));
	format_wide(p, row);
	row->ready_count = w.ready;
	row->total_count = w.total;
	row->restart_count = w.restarts;
}
