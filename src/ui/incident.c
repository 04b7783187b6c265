/*
 * incident.c: incident mode in the console (ui_incident.h). The store is
 * opened for each write and closed again (the collector in the same loop
 * keeps its own connection); evidence is a child process whose output is
 * read through the loop, so the screen stays live while it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/incident_timeline.h"
#include "opsdeck/store.h"
#include "opsdeck/store_incidents.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_incident.h"

/* Pods whose limits crossing is remembered (so one crossing is one entry). */
#define OVER_MAX 256
#define CHILD_OUT_MAX 4096
/* How long a write waits for another writer (the collector, a CLI) in the UI loop. */
#define INCIDENT_BUSY_MS 250

struct over {
	char key[320];            /* "mem ns/pod" */
	bool seen;                /* still over at the last look */
};

struct incident_ui {
	struct app *app;          /* borrowed */
	char db_path[1024];       /* "" = the default path */
	int64_t id;               /* the open incident; 0 = none */
	int64_t started_at;
	char severity[4];
	char context[256], namespace_[256];
	char title[512];          /* the title being asked for, between the two prompts */
	struct store *st;         /* owned; opened on first use */
	uint64_t timer;
	struct over over[OVER_MAX];
	size_t nover;
	/* the evidence child */
	pid_t pid;
	int fd;
	char out[CHILD_OUT_MAX];
	size_t nout;
	uint64_t reap_timer;
};

/*
 * The store, opened once and kept (*st is borrowed). No quick_check (it
 * reads the whole file) and a short busy wait: this runs in the UI loop.
 */
static enum od_status open_store(struct incident_ui *iu, bool create, struct store **st,
				 struct err *e)
{
	struct store_settings set;
	char path[1024];
	enum od_status rc;

	if (iu->st) {
		*st = iu->st;
		return OD_OK;
	}
	store_settings_default(&set);
	set.quick_check = false;
	set.busy_timeout_ms = INCIDENT_BUSY_MS;
	if (iu->db_path[0])
		snprintf(path, sizeof(path), "%s", iu->db_path);
	else if (store_default_path(path, sizeof(path), e) != OD_OK)
		return OD_ENOENT;
	if (!create && access(path, F_OK) != 0)
		return err_set(e, OD_ENOENT, "no history store at %s", path);
	rc = store_open(path, &set, &iu->st, e);
	*st = iu->st;
	return rc;
}

/*
 * Now, by this machine's clock as `opsdeck incident` and the audit log write
 * it, so notes and actions keep their order in the timeline (app->now is
 * the API server's, read once per refresh).
 */
static int64_t clock_now(const struct app *app)
{
	return app->opts.fixed_now ? app->opts.fixed_now : (int64_t)time(NULL);
}

static void show_clock(struct incident_ui *iu)
{
	struct status_model *m = &iu->app->status;

	m->incident_start = iu->id ? iu->started_at : 0;
	m->incident_id = iu->id;
	snprintf(m->incident_severity, sizeof(m->incident_severity), "%s",
		 iu->id ? iu->severity : "");
	iu->app->dirty_status = true;
}

static int take_incident(void *arg, const struct store_incident *inc)
{
	struct incident_ui *iu = arg;

	iu->id = inc->id;
	iu->started_at = inc->started_at;
	snprintf(iu->severity, sizeof(iu->severity), "%s", store_severity_name(inc->severity));
	snprintf(iu->context, sizeof(iu->context), "%s", inc->context ? inc->context : "");
	snprintf(iu->namespace_, sizeof(iu->namespace_), "%s", inc->namespace ? inc->namespace : "");
	return 0;
}

/* Picks up an incident left open (by `opsdeck incident start` or an earlier console). */
/* True when the open incident changed (the caller repaints). */
static bool find_open(struct incident_ui *iu)
{
	struct store *st = NULL;
	struct err e = { 0 };
	int64_t id = 0, was = iu->id;

	enum od_status rc;

	if (open_store(iu, false, &st, &e) != OD_OK)
		return false;
	rc = store_incident_find_open(st, &id, &e);
	if (rc == OD_ENOENT)
		iu->id = 0;   /* closed meanwhile; a busy store changes nothing */
	else if (rc == OD_OK && store_incident_get(st, id, take_incident, iu, &e) != OD_OK)
		return false;
	if (iu->id == was)
		return false;
	iu->nover = 0;
	show_clock(iu);
	return true;
}

/* --- threshold crossings: what only the running console sees --- */

static struct over *over_find(struct incident_ui *iu, const char *key)
{
	for (size_t i = 0; i < iu->nover; i++)
		if (strcmp(iu->over[i].key, key) == 0)
			return &iu->over[i];
	return NULL;
}

static void crossing(struct incident_ui *iu, struct store *st, const char *what,
		     const struct pod_view *v, int64_t used, int64_t limit, const char *unit)
{
	char key[320], ref[400], text[600];
	struct over *o;
	int pct = podview_pct(used, limit);
	struct err e = { 0 };

	snprintf(key, sizeof(key), "%s %.150s/%.150s", what, v->namespace_, v->name);
	o = over_find(iu, key);
	if (pct < INCIDENT_THRESHOLD_PCT) {
		return;
	}
	if (o) {
		o->seen = true;
		return;
	}
	if (iu->nover < OVER_MAX) {
		o = &iu->over[iu->nover++];
		snprintf(o->key, sizeof(o->key), "%s", key);
		o->seen = true;
	}
	snprintf(ref, sizeof(ref), "%s@%" PRId64, key, iu->app->now);
	snprintf(text, sizeof(text), "pod %s/%s: %s at %d%% of its limit (%" PRId64 "%s of %"
		 PRId64 "%s), over %d%%", v->namespace_, v->name, what, pct,
		 strcmp(unit, "Mi") == 0 ? used / (1024 * 1024) : used, unit,
		 strcmp(unit, "Mi") == 0 ? limit / (1024 * 1024) : limit, unit,
		 INCIDENT_THRESHOLD_PCT);
	struct store_timeline_entry t = { .incident_id = iu->id, .ts = iu->app->now,
					  .kind = STORE_TL_THRESHOLD, .ref = ref, .text = text };

	store_incident_timeline_add(st, &t, NULL, &e);
}

static bool in_scope(const struct incident_ui *iu, const struct pod_view *v)
{
	return !iu->namespace_[0] || strcmp(iu->namespace_, v->namespace_) == 0;
}

static void record_thresholds(struct incident_ui *iu, struct store *st)
{
	const struct pod_source *ps = &iu->app->pods;
	size_t n = ps->ops ? ps->ops->count(ps->self) : 0;
	size_t k = 0;

	for (size_t i = 0; i < iu->nover; i++)
		iu->over[i].seen = false;
	for (size_t i = 0; i < n; i++) {
		const struct pod_view *v = ps->ops->row(ps->self, i);

		if (!v || !in_scope(iu, v))
			continue;
		crossing(iu, st, "memory", v, v->mem_b, v->mem_lim_b, "Mi");
		crossing(iu, st, "cpu", v, v->cpu_m, v->cpu_lim_m, "m");
	}
	/* Back under: forgotten, so the next crossing is recorded again. */
	for (size_t i = 0; i < iu->nover; i++)
		if (iu->over[i].seen)
			iu->over[k++] = iu->over[i];
	iu->nover = k;
}

void incident_ui_record(struct incident_ui *iu)
{
	struct store *st = NULL;
	struct err e = { 0 };
	struct incident_window w = { .id = iu->id, .context = iu->context,
				     .namespace_ = iu->namespace_, .started_at = iu->started_at };

	if (!iu->id || open_store(iu, false, &st, &e) != OD_OK)
		return;
	/* Busy (the collector or a command writing): the next round catches up. */
	if (incident_timeline_rebuild(st, &w, &e) != OD_OK && e.status != OD_EAGAIN)
		app_message(iu->app, true, "incident timeline: %s", e.msg);
	record_thresholds(iu, st);
}

static void on_record(struct loop *lp, uint64_t id, void *arg)
{
	struct incident_ui *iu = arg;

	(void)lp;
	(void)id;
	/* Started or closed from the command line meanwhile: the clock follows. */
	if (find_open(iu))
		app_update(iu->app);
	incident_ui_record(iu);
}

/* --- start and notes --- */

static void start_with_severity(struct app *app, const char *text, void *arg)
{
	struct incident_ui *iu = arg;
	struct store_incident inc = { 0 };
	struct store *st = NULL;
	struct err e = { 0 };
	char sev[8];
	int64_t id = 0;

	snprintf(sev, sizeof(sev), "%s", text[0] ? text : "P2");
	if (sev[0] == 'p')
		sev[0] = 'P';
	if (!store_severity_parse(sev, &inc.severity)) {
		app_message(app, true, "severity \"%.8s\": one of P0, P1, P2, P3", text);
		return;
	}
	inc.title = iu->title;
	inc.context = app->status.context;
	inc.namespace = strcmp(app->status.namespace_, "*") == 0 ? "" : app->status.namespace_;
	inc.started_at = clock_now(app);
	inc.detected_at = inc.started_at;
	if (open_store(iu, true, &st, &e) != OD_OK ||
	    store_incident_start(st, &inc, &id, &e) != OD_OK) {
		app_message(app, true, "incident: %s", e.msg);
		return;
	}
	iu->id = id;
	iu->started_at = inc.started_at;
	snprintf(iu->severity, sizeof(iu->severity), "%s", store_severity_name(inc.severity));
	snprintf(iu->context, sizeof(iu->context), "%s", inc.context);
	snprintf(iu->namespace_, sizeof(iu->namespace_), "%s", inc.namespace);
	iu->nover = 0;
	show_clock(iu);
	incident_ui_record(iu);
	app_message(app, false, "incident %" PRId64 " open (%s): n adds a note, E collects "
		    "evidence", id, iu->severity);
}

static void start_with_title(struct app *app, const char *text, void *arg)
{
	struct incident_ui *iu = arg;

	if (!text[0]) {
		app_message(app, true, "an incident needs a title");
		return;
	}
	snprintf(iu->title, sizeof(iu->title), "%s", text);
	app_prompt(app, "Severity P0 outage, P1 major, P2 degraded, P3 minor [P2]: ",
		   start_with_severity, iu);
}

static void add_note(struct app *app, const char *text, void *arg)
{
	struct incident_ui *iu = arg;
	struct store *st = NULL;
	struct err e = { 0 };
	struct store_timeline_entry t = { .incident_id = iu->id, .ts = clock_now(app),
					  .kind = STORE_TL_NOTE, .ref = "", .text = text };

	if (!text[0])
		return;
	/* What happened before the note comes before it, in the same second too. */
	incident_ui_record(iu);
	if (open_store(iu, false, &st, &e) != OD_OK ||
	    store_incident_timeline_add(st, &t, NULL, &e) != OD_OK)
		app_message(app, true, "note: %s", e.msg);
	else
		app_message(app, false, "note added to incident %" PRId64, iu->id);
}

/* --- evidence: a child process read through the loop --- */

static void child_done(struct incident_ui *iu, int status)
{
	char *dir = iu->out, *nl;

	iu->pid = 0;
	iu->out[iu->nout] = '\0';
	/* Its stdout: the directory, then the tarball; anything else is a message. */
	while ((nl = strrchr(iu->out, '\n')) && nl[1] == '\0')
		*nl = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		nl = strchr(dir, '\n');
		if (nl)
			*nl = '\0';
		app_message(iu->app, false, "evidence: %s%s%s", dir, nl ? "  " : "",
			    nl ? nl + 1 : "");
	} else {
		char *last = strrchr(iu->out, '\n');

		app_message(iu->app, true, "evidence failed (%s %d): %.160s",
			    WIFEXITED(status) ? "exit" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			    last ? last + 1 : iu->out);
	}
	iu->nout = 0;
	app_update(iu->app);
}

static void on_reap(struct loop *lp, uint64_t id, void *arg)
{
	struct incident_ui *iu = arg;
	int status = 0;
	pid_t r = waitpid(iu->pid, &status, WNOHANG);

	(void)id;
	if (r == 0)
		return;   /* the timer repeats until it has exited */
	loop_timer_cancel(lp, iu->reap_timer);
	iu->reap_timer = 0;
	child_done(iu, r < 0 ? 0 : status);
}

static void on_child_out(struct loop *lp, int fd, short revents, void *arg)
{
	struct incident_ui *iu = arg;
	char buf[1024];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)revents;
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0) {
		/* Capped: the tail is what matters (the paths, or the error). */
		for (ssize_t i = 0; i < n; i++) {
			if (iu->nout >= sizeof(iu->out) - 1) {
				memmove(iu->out, iu->out + sizeof(iu->out) / 2,
					iu->nout - sizeof(iu->out) / 2);
				iu->nout -= sizeof(iu->out) / 2;
			}
			iu->out[iu->nout++] = buf[i];
		}
		return;
	}
	loop_fd_remove(lp, fd);
	close(fd);
	iu->fd = -1;
	iu->reap_timer = loop_timer_add(lp, 0, 50, on_reap, iu);
}

static void child_exec(struct incident_ui *iu, int out_fd)
{
	const struct app *app = iu->app;
	char exe[1024], id[32], cwd[4096];
	const char *argv[24];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int k = 0, devnull = open("/dev/null", O_RDONLY);

	if (n <= 0)
		_exit(127);
	exe[n] = '\0';
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	snprintf(id, sizeof(id), "%" PRId64, iu->id);
	argv[k++] = exe;
	if (app->opts.kubeconfig) {
		argv[k++] = "--kubeconfig";
		argv[k++] = app->opts.kubeconfig;
	}
	if (app_context_flag(app)) {
		argv[k++] = "--context";
		argv[k++] = app_context_flag(app);
	}
	if (iu->namespace_[0]) {
		argv[k++] = "-n";
		argv[k++] = iu->namespace_;
	}
	if (iu->db_path[0]) {
		argv[k++] = "--db";
		argv[k++] = iu->db_path;
	}
	argv[k++] = "incident";
	argv[k++] = "evidence";
	argv[k++] = "--id";
	argv[k++] = id;
	/* Under the console's directory, named in full so the bottom line says where. */
	if (getcwd(cwd, sizeof(cwd))) {
		argv[k++] = "--dir";
		argv[k++] = cwd;
	}
	argv[k] = NULL;
	execv(exe, (char *const *)argv);
	_exit(127);
}

static void collect_evidence(struct incident_ui *iu)
{
	struct app *app = iu->app;
	struct err e = { 0 };
	int fds[2];
	pid_t pid;

	if (iu->pid) {
		app_message(app, false, "evidence is being collected (pid %d)", (int)iu->pid);
		return;
	}
	if (pipe(fds) != 0) {
		app_message(app, true, "evidence: pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		app_message(app, true, "evidence: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		child_exec(iu, fds[1]);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	if (loop_fd_add(app->loop, fds[0], POLLIN, on_child_out, iu, &e) != OD_OK) {
		app_message(app, true, "evidence: %s", e.msg);
		close(fds[0]);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return;
	}
	iu->pid = pid;
	iu->fd = fds[0];
	iu->nout = 0;
	app_message(app, false, "collecting evidence for incident %" PRId64 " (the last 24 h of "
		    "logs, manifests, events, metrics)...", iu->id);
}

bool incident_ui_action(struct incident_ui *iu, enum action a)
{
	struct app *app = iu->app;

	switch (a) {
	case ACTION_INCIDENT_START:
		if (iu->id) {
			app_message(app, false, "incident %" PRId64 " is open: opsdeck incident "
				    "close --resolution TEXT closes it", iu->id);
			return true;
		}
		app_prompt(app, "Incident title: ", start_with_title, iu);
		return true;
	case ACTION_INCIDENT_NOTE:
		if (!iu->id) {
			app_message(app, false, "no incident is open: I opens one");
			return true;
		}
		app_prompt(app, "Note: ", add_note, iu);
		return true;
	case ACTION_INCIDENT_EVIDENCE:
		if (!iu->id) {
			app_message(app, false, "no incident is open: I opens one");
			return true;
		}
		collect_evidence(iu);
		return true;
	default:
		return false;
	}
}

int64_t incident_ui_open_id(const struct incident_ui *iu)
{
	return iu->id;
}

enum od_status incident_ui_new(struct app *app, const char *db_path, struct incident_ui **out,
			       struct err *e)
{
	struct incident_ui *iu = calloc(1, sizeof(*iu));

	if (!iu)
		return err_set(e, OD_ENOMEM, "out of memory");
	iu->app = app;
	iu->fd = -1;
	snprintf(iu->db_path, sizeof(iu->db_path), "%s", db_path ? db_path : "");
	find_open(iu);
	show_clock(iu);
	if (app->loop && !app->opts.headless)
		iu->timer = loop_timer_add(app->loop, INCIDENT_RECORD_MS, INCIDENT_RECORD_MS,
					   on_record, iu);
	*out = iu;
	return OD_OK;
}

void incident_ui_free(struct incident_ui **p)
{
	struct incident_ui *iu = *p;

	if (!iu)
		return;
	if (iu->app->loop) {
		if (iu->timer)
			loop_timer_cancel(iu->app->loop, iu->timer);
		if (iu->reap_timer)
			loop_timer_cancel(iu->app->loop, iu->reap_timer);
		if (iu->fd >= 0)
			loop_fd_remove(iu->app->loop, iu->fd);
	}
	if (iu->fd >= 0)
		close(iu->fd);
	store_close(&iu->st);
	/* A collection still running finishes on its own; it is reaped here if it is done. */
	if (iu->pid)
		waitpid(iu->pid, NULL, WNOHANG);
	free(iu);
	*p = NULL;
}
