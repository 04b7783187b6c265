/*
 * pane_checklist.c: the Checklist pane (ui_pane_checklist.h): the profile's
 * due checklist with each item's state and evidence, runs that check
 * themselves in a child process, the guided walk through manual items,
 * overrides with a note, the finish, and the status bar's due badges.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "opsdeck/log.h"
#include "opsdeck/runbook_run.h"
#include "opsdeck/settings.h"
#include "opsdeck/store.h"
#include "opsdeck/ui_app.h"
#include "opsdeck/ui_pane_checklist.h"

/* The store's busy timeout in the UI loop (the checking child may be writing). */
#define CK_BUSY_MS 250

/* Badges are recomputed this often (and after every run). */
#define CK_BADGE_EVERY_S 30

/* One item's row of the shown run; strings owned. */
struct ck_row {
	bool have;                       /* the run has a result for it */
	enum store_check_result result;
	char *value, *threshold, *source, *evidence, *note;
	bool overridden;
};

enum ck_step {
	CK_IDLE,
	CK_RUNNING,          /* the child measures */
	CK_MANUAL_VALUE,     /* prompt: the recorded value of walk_item */
	CK_MANUAL_NOTE,      /* prompt: its note */
	CK_OVERRIDE_RESULT,  /* prompt: pass/warn/fail/unknown for the selected item */
	CK_OVERRIDE_NOTE,    /* prompt: why (required) */
	CK_ISSUES,           /* prompt: "Issues identified" */
	CK_NOTES,            /* prompt: "Notes" */
	CK_OPERATOR          /* prompt: who finishes the run */
};

struct ck {
	struct app *app;                 /* borrowed */
	struct pane *pane;               /* borrowed back pointer */
	struct profile_catalog *cat;     /* owned */
	bool cat_tried;
	const struct profile *prof;      /* borrowed from cat */
	char prof_name[64];              /* the status bar's profile it was loaded for */
	const struct checklist *cl;      /* borrowed from prof */
	char db_path[1024];              /* "" = the default */
	struct store *st;                /* owned */
	bool db_tried;

	int64_t run_id;                  /* the shown run; 0 none */
	bool run_open;
	int64_t run_started, run_finished;
	char run_operator[128];
	char issues[CMDLINE_MAX], notes[CMDLINE_MAX];
	struct ck_row *rows;             /* owned, cl->nitems */
	size_t nrows;
	char badge[96];                  /* this checklist's due badge */

	int sel, top;
	enum ck_step step;
	bool walk;                       /* a guided walk is going on (Enter) */
	size_t walk_item;
	char pending_value[CMDLINE_MAX];
	bool pending_has_value;
	enum store_check_result ovr_result;
	struct cmdline prompt;
	char msg[256];
	bool msg_error;

	pid_t child;                     /* the measuring child; 0 none */
	int child_fd;                    /* its pipe; -1 none */
	uint64_t reap_timer;             /* reaps the child after the pipe's end; 0 none */
	char rbuf[1024];
	size_t rlen;
	char child_error[256];
	bool stopping;                   /* Esc stopped the child */

	int64_t badges_at;
	bool changed;                    /* the model changed since the last recalc */
};

/* ---- small helpers ---- */

static void ck_msg(struct ck *ck, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ck_msg(struct ck *ck, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ck->msg, sizeof(ck->msg), fmt, ap);
	va_end(ap);
	ck->msg_error = error;
	ck->pane->dirty = true;
}

static void rows_clear(struct ck *ck)
{
	for (size_t i = 0; i < ck->nrows; i++) {
		struct ck_row *r = &ck->rows[i];

		free(r->value);
		free(r->threshold);
		free(r->source);
		free(r->evidence);
		free(r->note);
		memset(r, 0, sizeof(*r));
	}
}

static void rows_free(struct ck *ck)
{
	rows_clear(ck);
	free(ck->rows);
	ck->rows = NULL;
	ck->nrows = 0;
}

static char *dupz(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* --operator, else the login name. */
static const char *operator_default(const struct app *app)
{
	const char *u = getenv("USER");
	const struct passwd *pw;

	if (app->opts.operator_name && *app->opts.operator_name)
		return app->opts.operator_name;
	if (u && *u)
		return u;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

static enum od_status open_store(struct ck *ck, struct err *e)
{
	struct store_settings set;
	char path[1024];

	if (ck->st)
		return OD_OK;
	if (ck->db_tried)
		return err_set(e, OD_ENOENT, "no history store");
	ck->db_tried = true;
	if (ck->db_path[0])
		snprintf(path, sizeof(path), "%s", ck->db_path);
	else if (store_default_path(path, sizeof(path), e) != OD_OK)
		return e->status;
	/* the dashboard's own store checked the file at start; a busy store fails fast */
	store_settings_default(&set);
	set.quick_check = false;
	set.busy_timeout_ms = CK_BUSY_MS;
	return store_open(path, &set, &ck->st, e);
}

/* ---- the shown run, from the store ---- */

static int take_run(void *arg, const struct store_run *r)
{
	struct ck *ck = arg;

	ck->run_open = r->finished_at <= 0;
	ck->run_started = r->started_at;
	ck->run_finished = r->finished_at;
	snprintf(ck->run_operator, sizeof(ck->run_operator), "%s",
		 r->operator_name ? r->operator_name : "");
	snprintf(ck->issues, sizeof(ck->issues), "%s", r->issues ? r->issues : "");
	snprintf(ck->notes, sizeof(ck->notes), "%s", r->notes ? r->notes : "");
	return 0;
}

static int take_item(void *arg, const struct store_run_item *it)
{
	struct ck *ck = arg;

	for (size_t i = 0; i < ck->cl->nitems && i < ck->nrows; i++) {
		struct ck_row *r = &ck->rows[i];

		if (strcmp(ck->cl->items[i].id, it->item) != 0)
			continue;
		free(r->value);
		free(r->threshold);
		free(r->source);
		free(r->evidence);
		free(r->note);
		r->have = true;
		r->result = it->result;
		r->value = dupz(it->value);
		r->threshold = dupz(it->threshold);
		r->source = dupz(it->source);
		r->evidence = dupz(it->evidence);
		r->note = dupz(it->note);
		r->overridden = it->overridden;
		break;
	}
	return 0;
}

/* Reads run ck->run_id (0: none) into the rows. */
static void load_run(struct ck *ck)
{
	struct err e = { 0 };

	rows_clear(ck);
	ck->run_open = false;
	ck->run_started = ck->run_finished = 0;
	ck->run_operator[0] = ck->issues[0] = ck->notes[0] = '\0';
	if (!ck->run_id || !ck->st)
		goto out;
	if (store_run_get(ck->st, ck->run_id, take_run, ck, &e) != OD_OK ||
	    store_run_items_list(ck->st, ck->run_id, take_item, ck, &e) != OD_OK)
		ck_msg(ck, true, "run %lld: %s", (long long)ck->run_id, e.msg);
out:
	ck->changed = true;
	ck->pane->dirty = true;
}

/*
 * The run to show for the checklist: an unfinished one within the resume
 * window (it is continued), else the newest finished one.
 */
static void pick_run(struct ck *ck)
{
	struct run_last last;
	struct err e = { 0 };
	int64_t id = 0;

	ck->run_id = 0;
	if (ck->cl && open_store(ck, &e) == OD_OK) {
		if (store_run_find_open(ck->st, ck->prof->name, ck->cl->name, &id, &e) == OD_OK) {
			ck->run_id = id;
			load_run(ck);
			if (ck->app->now - ck->run_started < RUN_RESUME_WINDOW_S)
				return;
			ck->run_id = 0;
		}
		if (run_last_finished(ck->st, ck->prof->name, ck->cl->name, &last, &e) == OD_OK &&
		    last.found)
			ck->run_id = last.id;
	}
	load_run(ck);
}

static void set_checklist(struct ck *ck, const struct checklist *cl)
{
	ck->cl = cl;
	rows_free(ck);
	ck->sel = ck->top = 0;
	if (cl && cl->nitems) {
		ck->rows = calloc(cl->nitems, sizeof(*ck->rows));
		ck->nrows = ck->rows ? cl->nitems : 0;
	}
	pick_run(ck);
}

/* ---- due badges ---- */

static void update_badges(struct ck *ck)
{
	char all[sizeof(ck->app->status.checklist_badges)] = "";
	size_t o = 0;
	struct err e = { 0 };

	ck->badges_at = ck->app->now;
	ck->badge[0] = '\0';
	if (ck->prof && open_store(ck, &e) == OD_OK) {
		for (size_t i = 0; i < ck->prof->nchecklists; i++) {
			const struct checklist *cl = &ck->prof->checklists[i];
			char b[96];
			struct due d;

			if (!cl->schedule ||
			    run_due(ck->st, ck->prof, cl, ck->app->now, &d, b, sizeof(b), &e) != OD_OK)
				continue;
			if (cl == ck->cl)
				snprintf(ck->badge, sizeof(ck->badge), "%s", b);
			if (o < sizeof(all)) {
				int w = snprintf(all + o, sizeof(all) - o, "%s%s", o ? "  " : "", b);

				o += w > 0 ? (size_t)w : 0;
			}
		}
	}
	if (strcmp(all, ck->app->status.checklist_badges) != 0) {
		snprintf(ck->app->status.checklist_badges,
			 sizeof(ck->app->status.checklist_badges), "%s", all);
		ck->app->dirty_status = true;
	}
	ck->pane->dirty = true;
}

/* The checklist to show first: one with an unfinished run, else overdue, due, then the first. */
static const struct checklist *due_checklist(struct ck *ck)
{
	const struct checklist *first = NULL, *due = NULL, *overdue = NULL;
	struct err e = { 0 };

	for (size_t i = 0; i < ck->prof->nchecklists; i++) {
		const struct checklist *cl = &ck->prof->checklists[i];
		struct due d;
		int64_t id;

		if (!cl->schedule)
			continue;
		if (!first)
			first = cl;
		if (open_store(ck, &e) != OD_OK)
			continue;
		if (store_run_find_open(ck->st, ck->prof->name, cl->name, &id, &e) == OD_OK)
			return cl;
		if (run_due(ck->st, ck->prof, cl, ck->app->now, &d, NULL, 0, &e) != OD_OK)
			continue;
		if (d.state == DUE_OVERDUE && !overdue)
			overdue = cl;
		if (d.state == DUE_DUE && !due)
			due = cl;
	}
	if (overdue)
		return overdue;
	if (due)
		return due;
	if (first)
		return first;
	return ck->prof->nchecklists ? &ck->prof->checklists[0] : NULL;
}

/* Follows the status bar's profile (the live side picks it from the namespace). */
static void follow_profile(struct ck *ck)
{
	struct err e = { 0 };

	if (strcmp(ck->prof_name, ck->app->status.profile) == 0)
		return;
	if (ck->step != CK_IDLE && ck->step != CK_RUNNING)
		return;
	if (ck->child)
		return;
	snprintf(ck->prof_name, sizeof(ck->prof_name), "%s", ck->app->status.profile);
	ck->prof = NULL;
	if (ck->prof_name[0] && !ck->cat && !ck->cat_tried) {
		ck->cat_tried = true;
		if (profile_catalog_load(&ck->cat, &e) != OD_OK)
			ck_msg(ck, true, "profiles: %s", e.msg);
	}
	if (ck->cat && ck->prof_name[0])
		ck->prof = profile_catalog_find(ck->cat, ck->prof_name);
	set_checklist(ck, ck->prof ? due_checklist(ck) : NULL);
	update_badges(ck);
}

/* ---- the measuring child ---- */

/* The child's progress pipe, as descriptor 3 of `opsdeck check --progress-fd 3`. */
#define CK_PROGRESS_FD 3
/* The reap timer's period once the pipe is closed. */
#define CK_REAP_MS 50

/*
 * Between fork and exec: descriptors 0 and 1 on /dev/null, stderr to the
 * debug log if there is one, else kept unless it is the terminal (curses
 * owns it; a redirected stderr shows sanitizer reports), the pipe on 3 and
 * nothing else; the child dies with the console (PR_SET_PDEATHSIG survives
 * exec); then exec's this program's own `check` (signal handlers reset).
 */
static void child_exec(struct ck *ck, int fd, pid_t parent, const char *exe, bool resume)
{
	const struct app *app = ck->app;
	const char *argv[32];
	int k = 0, null, logfd = log_fd();
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* an SSH drop takes the dashboard, and this with it: the run resumes later */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	if (logfd >= 0)
		dup2(logfd, STDERR_FILENO);
	else if (isatty(STDERR_FILENO) && null >= 0)
		dup2(null, STDERR_FILENO);
	if (fd == CK_PROGRESS_FD)
		fcntl(fd, F_SETFD, 0);   /* dup2 onto itself would keep O_CLOEXEC */
	else if (dup2(fd, CK_PROGRESS_FD) < 0)
		_exit(127);
	/* the console's curl sockets, store and self-pipe stay behind */
	for (int i = CK_PROGRESS_FD + 1; i < 1024; i++)
		close(i);
	argv[k++] = exe;
	if (app->opts.kubeconfig) {
		argv[k++] = "--kubeconfig";
		argv[k++] = app->opts.kubeconfig;
	}
	if (app_context_flag(app)) {
		argv[k++] = "--context";
		argv[k++] = app_context_flag(app);
	}
	if (ck->db_path[0]) {
		argv[k++] = "--db";
		argv[k++] = ck->db_path;
	}
	argv[k++] = "check";
	argv[k++] = ck->cl->name;
	argv[k++] = "--profile";
	argv[k++] = ck->prof->name;
	argv[k++] = "--operator";
	argv[k++] = operator_default(app);
	argv[k++] = resume ? "--resume" : "--new";
	argv[k++] = "--progress-fd";
	argv[k++] = "3";
	argv[k] = NULL;
	execv(exe, (char *const *)argv);
	_exit(127);
}

static void walk_next(struct ck *ck);

static void child_line(struct ck *ck, char *line)
{
	struct err e = { 0 };
	int64_t id = 0;

	if (line[0] == 'E' && line[1] == ' ') {
		snprintf(ck->child_error, sizeof(ck->child_error), "%s", line + 2);
		return;
	}
	if (line[0] == 'D' && line[1] == ' ')
		id = strtoll(line + 2, NULL, 10);
	else if (!ck->run_id || !ck->run_open)
		store_run_find_open(ck->st, ck->prof->name, ck->cl->name, &id, &e);
	if (id)
		ck->run_id = id;
	load_run(ck);
	/* follow the measuring: the newest result stays in view */
	if (line[0] == 'I' && line[1] == ' ')
		for (size_t i = 0; i < ck->cl->nitems; i++)
			if (strncmp(line + 2, ck->cl->items[i].id, strlen(ck->cl->items[i].id)) == 0 &&
			    line[2 + strlen(ck->cl->items[i].id)] == ' ')
				ck->sel = (int)i;
}

static void child_done(struct ck *ck, int status)
{
	ck->child = 0;
	ck->step = CK_IDLE;
	load_run(ck);
	update_badges(ck);
	if (ck->stopping) {
		ck->stopping = false;
		ck->walk = false;
		ck_msg(ck, false, "checks stopped; what was measured is kept: Enter continues");
		return;
	}
	if (ck->child_error[0] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (ck->child_error[0])
			ck_msg(ck, true, "checks: %s", ck->child_error);
		else if (WIFEXITED(status))
			ck_msg(ck, true, "checks: the checking process exited with %d",
			       WEXITSTATUS(status));
		else
			ck_msg(ck, true, "checks: the checking process died (signal %d)",
			       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		ck->walk = false;
		return;
	}
	ck_msg(ck, false, "automated items done");
	ck->walk_item = 0;
	walk_next(ck);
}

/* After the pipe's end: the child is reaped without blocking the loop. */
static void on_reap(struct loop *lp, uint64_t id, void *arg)
{
	struct ck *ck = arg;
	int status = 0;
	pid_t r = waitpid(ck->child, &status, WNOHANG);

	(void)id;
	if (r == 0 || (r < 0 && errno == EINTR))
		return;   /* the timer repeats until it has exited */
	loop_timer_cancel(lp, ck->reap_timer);
	ck->reap_timer = 0;
	child_done(ck, r < 0 ? 0 : status);
	ck->pane->dirty = true;
	app_update(ck->app);
}

static void on_child(struct loop *lp, int fd, short revents, void *arg)
{
	struct ck *ck = arg;
	bool eof = false;

	(void)revents;
	for (;;) {
		ssize_t n = read(fd, ck->rbuf + ck->rlen, sizeof(ck->rbuf) - 1 - ck->rlen);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno != EAGAIN))
			eof = true;
		if (n <= 0)
			break;
		ck->rlen += (size_t)n;
		ck->rbuf[ck->rlen] = '\0';
		while ((nl = strchr(ck->rbuf, '\n')) != NULL) {
			*nl = '\0';
			child_line(ck, ck->rbuf);
			memmove(ck->rbuf, nl + 1, ck->rlen - (size_t)(nl + 1 - ck->rbuf) + 1);
			ck->rlen -= (size_t)(nl + 1 - ck->rbuf);
		}
		if (ck->rlen == sizeof(ck->rbuf) - 1)
			ck->rlen = 0;   /* an overlong line: dropped */
	}
	if (eof) {
		loop_fd_remove(lp, fd);
		close(fd);
		ck->child_fd = -1;
		ck->reap_timer = loop_timer_add(lp, 0, CK_REAP_MS, on_reap, ck);
	}
	ck->pane->dirty = true;
	app_update(ck->app);
}

static void start_run(struct ck *ck)
{
	bool resume = ck->run_id && ck->run_open;
	struct err e = { 0 };
	char exe[1024];
	ssize_t n;
	int fds[2];
	pid_t parent = getpid(), pid;

	if (ck->app->opts.headless) {
		ck_msg(ck, true, "checks run in the interactive dashboard or with `opsdeck check`");
		return;
	}
	if (ck->reap_timer) {
		ck_msg(ck, false, "the last checks are ending...");
		return;
	}
	if (open_store(ck, &e) != OD_OK) {
		ck_msg(ck, true, "history: %s", e.msg);
		return;
	}
	/* this very program, as incident evidence runs it: `opsdeck check --progress-fd 3` */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(exe) - 1) {
		ck_msg(ck, true, "checks: cannot find this program (/proc/self/exe)");
		return;
	}
	exe[n] = '\0';
	if (pipe2(fds, O_CLOEXEC) != 0) {
		ck_msg(ck, true, "pipe: %s", strerror(errno));
		return;
	}
	log_fd();   /* flushed: the child writes to the same log */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ck_msg(ck, true, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0)
		child_exec(ck, fds[1], parent, exe, resume);   /* never returns */
	close(fds[1]);
	if (fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK) != 0 ||
	    loop_fd_add(ck->app->loop, fds[0], POLLIN, on_child, ck, &e) != OD_OK) {
		close(fds[0]);
		kill(pid, SIGKILL);
		/* killed; not waited for in the UI loop (init reaps it after the console) */
		waitpid(pid, NULL, WNOHANG);
		ck_msg(ck, true, "checks: %s", e.msg[0] ? e.msg : strerror(errno));
		return;
	}
	ck->child = pid;
	ck->child_fd = fds[0];
	ck->rlen = 0;
	ck->child_error[0] = '\0';
	ck->step = CK_RUNNING;
	ck->walk = true;
	if (!resume) {
		ck->run_id = 0;
		load_run(ck);
	}
	ck_msg(ck, false, "checking %s...", ck->cl->name);
}

/* ---- the guided walk ---- */

static void prompt_open(struct ck *ck, enum ck_step step, const char *initial)
{
	ck->step = step;
	cmdline_init(&ck->prompt, "> ");
	cmdline_open(&ck->prompt, initial);
	ck->pane->dirty = true;
}

/* The next manual item not done from walk_item, then the free sections and the finish. */
static void walk_next(struct ck *ck)
{
	for (; ck->walk_item < ck->cl->nitems; ck->walk_item++) {
		const struct checklist_item *it = &ck->cl->items[ck->walk_item];
		const struct ck_row *r = &ck->rows[ck->walk_item];

		if (it->check.kind != CHECK_MANUAL || (r->have && r->result == STORE_CHECK_MANUAL_DONE))
			continue;
		ck->sel = (int)ck->walk_item;
		prompt_open(ck, CK_MANUAL_VALUE, NULL);
		return;
	}
	prompt_open(ck, CK_ISSUES, ck->issues);
}

static enum store_check_result result_from_word(const char *w, bool *ok)
{
	static const struct {
		const char *w;
		enum store_check_result r;
	} t[] = { { "pass", STORE_CHECK_PASS }, { "warn", STORE_CHECK_WARN },
		  { "fail", STORE_CHECK_FAIL }, { "unknown", STORE_CHECK_UNKNOWN } };

	while (*w == ' ')
		w++;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strncasecmp(w, t[i].w, strlen(t[i].w)) == 0 || (w[0] && w[1] == '\0' &&
								   (w[0] | 0x20) == t[i].w[0])) {
			*ok = true;
			return t[i].r;
		}
	*ok = false;
	return STORE_CHECK_UNKNOWN;
}

/* Enter on a prompt. */
static void prompt_accept(struct ck *ck)
{
	const char *text = ck->prompt.text;
	struct err e = { 0 };

	switch (ck->step) {
	case CK_MANUAL_VALUE:
		snprintf(ck->pending_value, sizeof(ck->pending_value), "%s", text);
		ck->pending_has_value = text[0] != '\0';
		if (ck->pending_has_value && ck->cl->items[ck->walk_item].check.choices.n) {
			const struct strv *ch = &ck->cl->items[ck->walk_item].check.choices;
			bool found = false;

			for (size_t i = 0; i < ch->n; i++)
				found |= strcmp(ch->v[i], text) == 0;
			if (!found) {
				ck_msg(ck, true, "\"%s\" is not one of the choices", text);
				return;
			}
		}
		prompt_open(ck, CK_MANUAL_NOTE, NULL);
		return;
	case CK_MANUAL_NOTE:
		if (run_record_answer(ck->st, ck->run_id, &ck->cl->items[ck->walk_item],
				      (int)ck->walk_item, STORE_CHECK_MANUAL_DONE,
				      ck->pending_has_value ? ck->pending_value : NULL,
				      text[0] ? text : NULL, ck->app->now, &e) != OD_OK) {
			ck_msg(ck, true, "%s", e.msg);
			ck->step = CK_IDLE;
			ck->walk = false;
			return;
		}
		ck_msg(ck, false, "recorded: %s", ck->cl->items[ck->walk_item].text);
		load_run(ck);
		if (!ck->walk) {
			ck->step = CK_IDLE;
			return;
		}
		ck->walk_item++;
		walk_next(ck);
		return;
	case CK_OVERRIDE_RESULT: {
		bool ok;

		ck->ovr_result = result_from_word(text, &ok);
		if (!ok) {
			ck_msg(ck, true, "type pass, warn, fail or unknown");
			return;
		}
		prompt_open(ck, CK_OVERRIDE_NOTE, NULL);
		return;
	}
	case CK_OVERRIDE_NOTE: {
		const struct ck_row *r = &ck->rows[ck->sel];
		struct store_run_item measured = { .item = ck->cl->items[ck->sel].id,
						   .position = ck->sel, .result = r->result,
						   .value = r->value, .threshold = r->threshold,
						   .source = r->source, .evidence = r->evidence,
						   .overridden = r->overridden };

		if (run_record_override(ck->st, ck->run_id, &ck->cl->items[ck->sel], ck->sel,
					ck->ovr_result, &measured, text, ck->app->now, &e) != OD_OK) {
			ck_msg(ck, true, "%s", e.msg);
			return;   /* the prompt stays: an override needs its note */
		}
		ck_msg(ck, false, "overridden: %s is %s", ck->cl->items[ck->sel].id,
		       store_check_result_name(ck->ovr_result));
		ck->step = CK_IDLE;
		load_run(ck);
		return;
	}
	case CK_ISSUES:
		snprintf(ck->issues, sizeof(ck->issues), "%s", text);
		prompt_open(ck, CK_NOTES, ck->notes);
		return;
	case CK_NOTES:
		snprintf(ck->notes, sizeof(ck->notes), "%s", text);
		/* who sits at this console now, not who started the run */
		prompt_open(ck, CK_OPERATOR, operator_default(ck->app));
		return;
	case CK_OPERATOR:
		if (!text[0]) {
			ck_msg(ck, true, "who finishes the run?");
			return;
		}
		if (run_finish(ck->st, ck->run_id, text, ck->app->now, ck->issues, ck->notes, &e) !=
		    OD_OK) {
			ck_msg(ck, true, "%s", e.msg);
			return;
		}
		ck->step = CK_IDLE;
		ck->walk = false;
		load_run(ck);
		update_badges(ck);
		ck_msg(ck, false, "run %lld finished by %s", (long long)ck->run_id, text);
		return;
	case CK_IDLE:
	case CK_RUNNING:
		break;
	}
}

/* Esc on a prompt: a manual item stays not done and the walk goes on; otherwise stop. */
static void prompt_cancel(struct ck *ck)
{
	if ((ck->step == CK_MANUAL_VALUE || ck->step == CK_MANUAL_NOTE) && ck->walk) {
		ck->walk_item++;
		walk_next(ck);
		return;
	}
	ck->step = CK_IDLE;
	ck->walk = false;
	ck_msg(ck, false, "run %lld left open: Enter continues it", (long long)ck->run_id);
}

static bool ck_key(struct pane *p, int key)
{
	struct ck *ck = p->state;

	if (ck->step == CK_RUNNING && ck->child && keymap_key_normalize(key) == 27) {
		/* Esc stops the measuring; the pipe's end brings child_done */
		ck->stopping = true;
		kill(ck->child, SIGKILL);
		ck_msg(ck, false, "stopping the checks...");
		return true;
	}
	if (ck->step == CK_IDLE || ck->step == CK_RUNNING)
		return false;
	ck->msg[0] = '\0';
	switch (cmdline_key(&ck->prompt, key)) {
	case CMDLINE_ACCEPT:
		prompt_accept(ck);
		break;
	case CMDLINE_CANCEL:
		prompt_cancel(ck);
		break;
	case CMDLINE_COMPLETE: {
		const struct strv *ch = ck->step == CK_MANUAL_VALUE
						? &ck->cl->items[ck->walk_item].check.choices
						: NULL;

		if (ch && ch->n)
			cmdline_complete(&ck->prompt, (const char *const *)ch->v, ch->n);
		break;
	}
	case CMDLINE_EDITING:
		break;
	}
	p->dirty = true;
	return true;
}

/* ---- keys ---- */

static void next_checklist(struct ck *ck)
{
	size_t i = 0;

	if (!ck->prof || !ck->prof->nchecklists)
		return;
	if (ck->child) {
		ck_msg(ck, true, "wait for the checks to finish");
		return;
	}
	if (ck->cl)
		i = (size_t)(ck->cl - ck->prof->checklists + 1) % ck->prof->nchecklists;
	set_checklist(ck, &ck->prof->checklists[i]);
	update_badges(ck);
}

static void override_selected(struct ck *ck)
{
	const struct checklist_item *it;

	if (!ck->cl || ck->sel < 0 || (size_t)ck->sel >= ck->nrows)
		return;
	it = &ck->cl->items[ck->sel];
	if (ck->child) {
		ck_msg(ck, true, "wait for the checks to finish");
	} else if (!ck->run_id || !ck->run_open) {
		ck_msg(ck, true, "no open run: Enter starts one");
	} else if (it->check.kind == CHECK_MANUAL) {
		ck_msg(ck, true, "a manual item is answered, not overridden: Enter");
	} else if (!ck->rows[ck->sel].have) {
		ck_msg(ck, true, "%s has no result yet", it->id);
	} else {
		ck->walk = false;
		prompt_open(ck, CK_OVERRIDE_RESULT, NULL);
	}
}

static void enter(struct ck *ck)
{
	if (!ck->cl) {
		ck_msg(ck, true, "no profile loaded: pick one with --profile");
		return;
	}
	if (ck->child) {
		ck_msg(ck, false, "checking...");
		return;
	}
	start_run(ck);
}

static bool ck_action(struct pane *p, enum action a)
{
	struct ck *ck = p->state;
	int n = (int)ck->nrows;

	switch (a) {
	case ACTION_MOVE_UP:
		ck->sel = ck->sel > 0 ? ck->sel - 1 : 0;
		break;
	case ACTION_MOVE_DOWN:
		ck->sel = ck->sel + 1 < n ? ck->sel + 1 : ck->sel;
		break;
	case ACTION_FIRST:
		ck->sel = 0;
		break;
	case ACTION_LAST:
		ck->sel = n > 0 ? n - 1 : 0;
		break;
	case ACTION_PAGE_UP:
		ck->sel = ck->sel > 10 ? ck->sel - 10 : 0;
		break;
	case ACTION_PAGE_DOWN:
		ck->sel = ck->sel + 10 < n ? ck->sel + 10 : (n > 0 ? n - 1 : 0);
		break;
	case ACTION_OPEN:
		enter(ck);
		break;
	case ACTION_CHECK_OVERRIDE:
		override_selected(ck);
		break;
	case ACTION_CHECKLIST_NEXT:
		next_checklist(ck);
		break;
	default:
		return false;
	}
	p->dirty = true;
	return true;
}

/* ---- model and drawing ---- */

static bool ck_needs_recalc(struct pane *p)
{
	struct ck *ck = p->state;

	return ck->changed || strcmp(ck->prof_name, ck->app->status.profile) != 0 ||
	       ck->app->now - ck->badges_at >= CK_BADGE_EVERY_S;
}

static enum od_status ck_recalc(struct pane *p, struct err *e)
{
	struct ck *ck = p->state;

	(void)e;
	follow_profile(ck);
	if (ck->app->now - ck->badges_at >= CK_BADGE_EVERY_S)
		update_badges(ck);
	ck->changed = false;
	return OD_OK;
}

/* The state word of an item: PASS, WARN, FAIL, UNKNOWN, DONE, not done, manual, or "-". */
static const char *state_word(const struct checklist_item *it, const struct ck_row *r,
			      enum theme_element *el)
{
	*el = THEME_CHECK_UNKNOWN;
	if (!r->have || r->result == STORE_CHECK_PENDING)
		return it->check.kind == CHECK_MANUAL ? "manual" : "-";
	switch (r->result) {
	case STORE_CHECK_PASS:
		*el = THEME_CHECK_PASS;
		return "PASS";
	case STORE_CHECK_WARN:
		*el = THEME_CHECK_WARN;
		return "WARN";
	case STORE_CHECK_FAIL:
		*el = THEME_CHECK_FAIL;
		return "FAIL";
	case STORE_CHECK_MANUAL_DONE:
		*el = THEME_CHECK_PASS;
		return "DONE";
	case STORE_CHECK_MANUAL_SKIPPED:
		return "not done";
	default:
		return "UNKNOWN";
	}
}

static void hhmm(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		snprintf(out, n, "?");
	else
		strftime(out, n, "%H:%M", &tm);
}

static const char *prompt_label(const struct ck *ck, char *buf, size_t n)
{
	const struct checklist_item *it;

	switch (ck->step) {
	case CK_MANUAL_VALUE:
		it = &ck->cl->items[ck->walk_item];
		if (it->check.choices.n) {
			size_t o = 0;

			o += (size_t)snprintf(buf, n, "%s [", it->check.prompt ? it->check.prompt
									       : it->text);
			for (size_t i = 0; i < it->check.choices.n && o < n; i++)
				o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? "/" : "",
						      it->check.choices.v[i]);
			if (o < n)
				snprintf(buf + o, n - o, "] (Enter: none, Esc: not done)");
		} else {
			snprintf(buf, n, "%s: value (Enter: none, Esc: not done)",
				 it->check.prompt ? it->check.prompt : it->text);
		}
		return buf;
	case CK_MANUAL_NOTE:
		return "Note (optional)";
	case CK_OVERRIDE_RESULT:
		snprintf(buf, n, "Override %s: pass, warn, fail or unknown",
			 ck->cl->items[ck->sel].id);
		return buf;
	case CK_OVERRIDE_NOTE:
		return "Why? (a note is required)";
	case CK_ISSUES:
		return "Issues identified (Enter: none)";
	case CK_NOTES:
		return "Notes (Enter: none)";
	case CK_OPERATOR:
		return "Completed by (Enter finishes the run, Esc leaves it open)";
	case CK_IDLE:
	case CK_RUNNING:
		break;
	}
	return "";
}

static void draw_header(struct ck *ck, const struct canvas *c)
{
	char line[512], t1[16], t2[16];

	if (!ck->run_id && ck->child) {
		snprintf(line, sizeof(line), "%s (%s)  new run, checking...  %s",
			 ck->cl->title ? ck->cl->title : ck->cl->name, ck->cl->name, ck->badge);
	} else if (!ck->run_id) {
		snprintf(line, sizeof(line), "%s (%s)  no run yet: Enter runs it  %s",
			 ck->cl->title ? ck->cl->title : ck->cl->name, ck->cl->name, ck->badge);
	} else if (ck->run_open) {
		hhmm(ck->run_started, t1, sizeof(t1));
		snprintf(line, sizeof(line), "%s (%s)  run %lld started %s%s  %s",
			 ck->cl->title ? ck->cl->title : ck->cl->name, ck->cl->name,
			 (long long)ck->run_id, t1, ck->child ? ", checking..." : ", open", ck->badge);
	} else {
		hhmm(ck->run_finished, t2, sizeof(t2));
		snprintf(line, sizeof(line), "%s (%s)  run %lld completed %s by %s  %s",
			 ck->cl->title ? ck->cl->title : ck->cl->name, ck->cl->name,
			 (long long)ck->run_id, t2, ck->run_operator, ck->badge);
	}
	draw_text_pad(c, 0, 1, line, c->r.w - 2, canvas_attr(c, THEME_TABLE_HEADER));
}

static void draw_item(struct ck *ck, const struct canvas *c, int y, size_t i)
{
	const struct checklist_item *it = &ck->cl->items[i];
	const struct ck_row *r = &ck->rows[i];
	enum theme_element el;
	const char *w = state_word(it, r, &el);
	bool sel = (int)i == ck->sel;
	int base = sel ? canvas_attr(c, THEME_TABLE_SELECTED) : canvas_attr(c, THEME_NORMAL);
	char text[512];
	int x = 1;

	draw_fill_row(c, y, base);
	x += draw_text_pad(c, y, x, w, 9, sel ? base : canvas_attr(c, el));
	x += 1;
	snprintf(text, sizeof(text), "%s%s%s%s%s%s", it->text, r->value ? ": " : "",
		 r->value ? r->value : "", r->threshold ? " (" : "",
		 r->threshold ? r->threshold : "", r->threshold ? ")" : "");
	if (r->overridden)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " [overridden]");
	draw_text(c, y, x, text, c->r.w - x - 1, base);
}

/* The selected item in full: evidence, source, the runbook section, the note. */
static int draw_detail(struct ck *ck, const struct canvas *c, int y, int rows)
{
	const struct checklist_item *it;
	const struct ck_row *r;
	int hint = canvas_attr(c, THEME_PANE_HINT), n = 0;
	char line[1024];

	if (ck->sel < 0 || (size_t)ck->sel >= ck->nrows || rows <= 0)
		return 0;
	it = &ck->cl->items[ck->sel];
	r = &ck->rows[ck->sel];
	snprintf(line, sizeof(line), "Evidence: %s%s%s%s%s", r->value ? r->value : "-",
		 r->threshold ? "  threshold " : "", r->threshold ? r->threshold : "",
		 r->source ? "  source " : "", r->source ? r->source : "");
	if (n < rows)
		draw_text_pad(c, y + n++, 1, line, c->r.w - 2, canvas_attr(c, THEME_NORMAL));
	if (n < rows && (r->evidence || r->note)) {
		snprintf(line, sizeof(line), "%s%s%s", r->evidence ? r->evidence : "",
			 r->evidence && r->note ? "  note: " : (r->note ? "note: " : ""),
			 r->note ? r->note : "");
		draw_text_pad(c, y + n++, 1, line, c->r.w - 2, canvas_attr(c, THEME_NORMAL));
	}
	if (n < rows) {
		snprintf(line, sizeof(line), "Runbook: %s §%s",
			 it->source.runbook ? it->source.runbook
					    : (ck->cl->runbook ? ck->cl->runbook : "-"),
			 it->source.section ? it->source.section
					    : (ck->cl->section ? ck->cl->section : "-"));
		draw_text_pad(c, y + n++, 1, line, c->r.w - 2, hint);
	}
	return n;
}

static void ck_draw(struct pane *p, const struct canvas *c, bool focused)
{
	struct ck *ck = p->state;
	int attr = canvas_attr(c, THEME_NORMAL), y, list_h, bottom;
	char line[CMDLINE_MAX + 256], label[256];

	(void)focused;
	draw_clear(c, attr);
	if (!ck->prof) {
		draw_text(c, 0, 1,
			  ck->prof_name[0] ? "The profile could not be loaded."
					   : "No profile for this namespace: start with --profile NAME.",
			  c->r.w - 2, canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	if (!ck->cl) {
		draw_text(c, 0, 1, "The profile has no checklists.", c->r.w - 2,
			  canvas_attr(c, THEME_PANE_HINT));
		return;
	}
	draw_header(ck, c);
	/* bottom up: the prompt or message, the free sections, the detail */
	bottom = c->r.h;
	if (ck->step != CK_IDLE && ck->step != CK_RUNNING && bottom > 2) {
		snprintf(line, sizeof(line), "> %.*s", (int)ck->prompt.len, ck->prompt.text);
		draw_text_pad(c, --bottom, 1, line, c->r.w - 2, canvas_attr(c, THEME_CMDLINE));
		draw_text_pad(c, --bottom, 1, prompt_label(ck, label, sizeof(label)), c->r.w - 2,
			      canvas_attr(c, THEME_CMDLINE));
	}
	if (ck->msg[0] && bottom > 2)
		draw_text_pad(c, --bottom, 1, ck->msg, c->r.w - 2,
			      canvas_attr(c, ck->msg_error ? THEME_MESSAGE_ERROR : THEME_MESSAGE));
	if (bottom > 8) {
		snprintf(line, sizeof(line), "Notes: %s", ck->notes[0] ? ck->notes : "-");
		draw_text_pad(c, --bottom, 1, line, c->r.w - 2, attr);
		snprintf(line, sizeof(line), "Issues identified: %s",
			 ck->issues[0] ? ck->issues : "-");
		draw_text_pad(c, --bottom, 1, line, c->r.w - 2, attr);
	}
	if (bottom > 6) {
		int want = 3;

		bottom -= want;
		draw_detail(ck, c, bottom, want);
	}
	y = 1;
	list_h = bottom - y;
	if (list_h <= 0)
		return;
	if (ck->sel < ck->top)
		ck->top = ck->sel;
	if (ck->sel >= ck->top + list_h)
		ck->top = ck->sel - list_h + 1;
	for (int k = 0; k < list_h && (size_t)(ck->top + k) < ck->cl->nitems; k++)
		draw_item(ck, c, y + k, (size_t)(ck->top + k));
}

static void ck_title_info(struct pane *p, char *out, size_t n)
{
	struct ck *ck = p->state;
	size_t done = 0;

	out[0] = '\0';
	if (!ck->cl)
		return;
	for (size_t i = 0; i < ck->nrows; i++)
		done += ck->rows[i].have && ck->rows[i].result != STORE_CHECK_PENDING &&
			ck->rows[i].result != STORE_CHECK_MANUAL_SKIPPED;
	snprintf(out, n, "%s %zu/%zu", ck->cl->name, done, ck->cl->nitems);
}

static void ck_selection(struct pane *p, char *out, size_t n)
{
	struct ck *ck = p->state;

	out[0] = '\0';
	if (ck->cl && ck->sel >= 0 && (size_t)ck->sel < ck->nrows)
		snprintf(out, n, "%s/%s", ck->cl->name, ck->cl->items[ck->sel].id);
}

static enum od_status ck_init(struct pane *p, struct err *e)
{
	struct ck *ck = calloc(1, sizeof(*ck));

	if (!ck)
		return err_set(e, OD_ENOMEM, "out of memory");
	ck->app = p->app;
	ck->pane = p;
	ck->child_fd = -1;
	cmdline_init(&ck->prompt, "> ");
	p->state = ck;
	return OD_OK;
}

static void ck_fini(struct pane *p)
{
	struct ck *ck = p->state;

	if (!ck)
		return;
	if (ck->reap_timer)
		loop_timer_cancel(ck->app->loop, ck->reap_timer);
	if (ck->child_fd >= 0) {
		loop_fd_remove(ck->app->loop, ck->child_fd);
		close(ck->child_fd);
	}
	if (ck->child) {
		/* what it measured is committed; the next Enter resumes the rest. Not
		 * waited for: reaped here if it is gone already, else by init once the
		 * console exits. */
		kill(ck->child, SIGKILL);
		waitpid(ck->child, NULL, WNOHANG);
	}
	rows_free(ck);
	store_close(&ck->st);
	profile_catalog_free(&ck->cat);
	free(ck);
	p->state = NULL;
}

void checklist_pane_set_db(struct pane *p, const char *path)
{
	struct ck *ck = p->state;

	snprintf(ck->db_path, sizeof(ck->db_path), "%s", path ? path : "");
	store_close(&ck->st);
	ck->db_tried = false;
	ck->prof_name[0] = '\0';
	ck->prof = NULL;
	ck->changed = true;
}

const struct pane_ops pane_checklist_ops = {
	.name = "checklist",
	.title = "Checklist",
	.init = ck_init,
	.fini = ck_fini,
	.needs_recalc = ck_needs_recalc,
	.recalc = ck_recalc,
	.draw = ck_draw,
	.action = ck_action,
	.key = ck_key,
	.title_info = ck_title_info,
	.selection = ck_selection,
};
