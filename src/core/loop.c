/*
 * loop.c: poll() over fds, timers on the monotonic clock, and signals through
 * a self-pipe. Watchers and timers live in small arrays; dispatch works from a
 * snapshot of (fd, generation) and timer ids, so callbacks may add or remove
 * anything, themselves included, without invalidating the iteration.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/loop.h"
#include "opsdeck/timeutil.h"

#define LOOP_NSIG 65

struct fd_watch {
	int fd;
	short events;
	uint64_t gen;        /* distinguishes a re-added fd number from the one it replaced */
	loop_fd_cb cb;
	void *arg;           /* borrowed */
};

struct timer {
	uint64_t id;
	uint64_t due_ms;
	uint64_t interval_ms;
	loop_timer_cb cb;
	void *arg;           /* borrowed */
};

struct sig_watch {
	loop_signal_cb cb;
	void *arg;           /* borrowed */
	struct sigaction old;
	bool installed;
};

struct loop {
	struct fd_watch *fds;
	size_t nfds, capfds;
	struct timer *timers;
	size_t ntimers, captimers;
	uint64_t next_id;
	uint64_t next_gen;
	uint64_t now_ms;
	bool stopped;
	int sigpipe[2];
	struct sig_watch sigs[LOOP_NSIG];
};

/* Signal handlers may only touch these: a flag per signal and the pipe's write end. */
static volatile sig_atomic_t sig_pending[LOOP_NSIG];
static volatile sig_atomic_t sig_write_fd = -1;

static void loop_on_signal(int signo)
{
	int saved = errno;

	if (signo > 0 && signo < LOOP_NSIG)
		sig_pending[signo] = 1;
	if (sig_write_fd >= 0) {
		char c = 0;
		ssize_t w = write(sig_write_fd, &c, 1);
		(void)w; /* a full pipe already guarantees a wake-up */
	}
	errno = saved;
}

enum od_status loop_new(struct loop **out, struct err *e)
{
	struct loop *lp = calloc(1, sizeof(*lp));

	if (!lp)
		return err_set(e, OD_ENOMEM, "out of memory creating the event loop");
	if (pipe2(lp->sigpipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(lp);
		return err_set(e, OD_EIO, "cannot create the signal pipe: %s", strerror(errno));
	}
	lp->next_id = 1;
	lp->next_gen = 1;
	lp->now_ms = time_mono_ms();
	*out = lp;
	return OD_OK;
}

void loop_free(struct loop **lpp)
{
	struct loop *lp = lpp ? *lpp : NULL;

	if (!lp)
		return;
	for (int s = 1; s < LOOP_NSIG; s++) {
		if (lp->sigs[s].installed) {
			sigaction(s, &lp->sigs[s].old, NULL);
			sig_pending[s] = 0;
		}
	}
	if (sig_write_fd == lp->sigpipe[1])
		sig_write_fd = -1;
	close(lp->sigpipe[0]);
	close(lp->sigpipe[1]);
	free(lp->fds);
	free(lp->timers);
	free(lp);
	*lpp = NULL;
}

static struct fd_watch *find_fd(struct loop *lp, int fd)
{
	for (size_t i = 0; i < lp->nfds; i++)
		if (lp->fds[i].fd == fd)
			return &lp->fds[i];
	return NULL;
}

enum od_status loop_fd_add(struct loop *lp, int fd, short events, loop_fd_cb cb, void *arg,
			   struct err *e)
{
	if (fd < 0 || !cb)
		return err_set(e, OD_EINVAL, "bad file descriptor %d", fd);
	if (find_fd(lp, fd))
		return err_set(e, OD_EEXIST, "file descriptor %d is already watched", fd);
	if (lp->nfds == lp->capfds) {
		size_t ncap = lp->capfds ? lp->capfds * 2 : 16;
		struct fd_watch *p = realloc(lp->fds, ncap * sizeof(*p));
		if (!p)
			return err_set(e, OD_ENOMEM, "out of memory watching fd %d", fd);
		lp->fds = p;
		lp->capfds = ncap;
	}
	lp->fds[lp->nfds++] = (struct fd_watch){
		.fd = fd, .events = events, .gen = lp->next_gen++, .cb = cb, .arg = arg
	};
	return OD_OK;
}

enum od_status loop_fd_modify(struct loop *lp, int fd, short events)
{
	struct fd_watch *w = find_fd(lp, fd);
	if (!w)
		return OD_ENOENT;
	w->events = events;
	return OD_OK;
}

void loop_fd_remove(struct loop *lp, int fd)
{
	struct fd_watch *w = find_fd(lp, fd);
	if (!w)
		return;
	size_t i = (size_t)(w - lp->fds);
	memmove(&lp->fds[i], &lp->fds[i + 1], (lp->nfds - i - 1) * sizeof(*w));
	lp->nfds--;
}

uint64_t loop_timer_add(struct loop *lp, uint64_t delay_ms, uint64_t interval_ms,
			loop_timer_cb cb, void *arg)
{
	if (!cb)
		return 0;
	if (lp->ntimers == lp->captimers) {
		size_t ncap = lp->captimers ? lp->captimers * 2 : 16;
		struct timer *p = realloc(lp->timers, ncap * sizeof(*p));
		if (!p)
			return 0;
		lp->timers = p;
		lp->captimers = ncap;
	}
	uint64_t id = lp->next_id++;
	lp->timers[lp->ntimers++] = (struct timer){
		.id = id, .due_ms = time_mono_ms() + delay_ms, .interval_ms = interval_ms,
		.cb = cb, .arg = arg
	};
	return id;
}

static struct timer *find_timer(struct loop *lp, uint64_t id)
{
	for (size_t i = 0; i < lp->ntimers; i++)
		if (lp->timers[i].id == id)
			return &lp->timers[i];
	return NULL;
}

void loop_timer_cancel(struct loop *lp, uint64_t id)
{
	struct timer *t = find_timer(lp, id);
	if (!t)
		return;
	size_t i = (size_t)(t - lp->timers);
	memmove(&lp->timers[i], &lp->timers[i + 1], (lp->ntimers - i - 1) * sizeof(*t));
	lp->ntimers--;
}

enum od_status loop_signal_watch(struct loop *lp, int signo, loop_signal_cb cb, void *arg,
				 struct err *e)
{
	struct sigaction sa;

	if (signo <= 0 || signo >= LOOP_NSIG || !cb)
		return err_set(e, OD_EINVAL, "bad signal %d", signo);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = loop_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: poll() must return at once */
	sig_write_fd = lp->sigpipe[1];
	if (sigaction(signo, &sa, lp->sigs[signo].installed ? NULL : &lp->sigs[signo].old) != 0)
		return err_set(e, OD_EIO, "cannot watch signal %d: %s", signo, strerror(errno));
	lp->sigs[signo].installed = true;
	lp->sigs[signo].cb = cb;
	lp->sigs[signo].arg = arg;
	return OD_OK;
}

static int next_timeout(struct loop *lp, int max_wait_ms)
{
	int wait = max_wait_ms;

	for (size_t i = 0; i < lp->ntimers; i++) {
		uint64_t due = lp->timers[i].due_ms;
		int64_t left = due > lp->now_ms ? (int64_t)(due - lp->now_ms) : 0;
		if (left > 0x7fffffff)
			left = 0x7fffffff;
		if (wait < 0 || left < wait)
			wait = (int)left;
	}
	return wait;
}

static void dispatch_signals(struct loop *lp)
{
	char drain[64];

	while (read(lp->sigpipe[0], drain, sizeof(drain)) > 0)
		;
	for (int s = 1; s < LOOP_NSIG; s++) {
		if (!sig_pending[s])
			continue;
		sig_pending[s] = 0;
		if (lp->sigs[s].cb)
			lp->sigs[s].cb(lp, s, lp->sigs[s].arg);
	}
}

struct ready_fd {
	int fd;
	uint64_t gen;
	short revents;
};

static void dispatch_fds(struct loop *lp, const struct ready_fd *ready, size_t n)
{
	for (size_t i = 0; i < n && !lp->stopped; i++) {
		struct fd_watch *w = find_fd(lp, ready[i].fd);
		if (!w || w->gen != ready[i].gen)
			continue; /* removed, or replaced, by an earlier callback */
		w->cb(lp, w->fd, ready[i].revents, w->arg);
	}
}

static int cmp_due(const void *a, const void *b)
{
	const struct timer *x = a, *y = b;
	if (x->due_ms != y->due_ms)
		return x->due_ms < y->due_ms ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static enum od_status dispatch_timers(struct loop *lp, struct err *e)
{
	size_t n = 0;
	struct timer *due;

	for (size_t i = 0; i < lp->ntimers; i++)
		n += lp->timers[i].due_ms <= lp->now_ms;
	if (n == 0)
		return OD_OK;
	due = malloc(n * sizeof(*due));
	if (!due)
		return err_set(e, OD_ENOMEM, "out of memory running timers");
	n = 0;
	for (size_t i = 0; i < lp->ntimers; i++)
		if (lp->timers[i].due_ms <= lp->now_ms)
			due[n++] = lp->timers[i];
	qsort(due, n, sizeof(*due), cmp_due);
	for (size_t i = 0; i < n && !lp->stopped; i++) {
		struct timer *t = find_timer(lp, due[i].id);
		if (!t)
			continue; /* cancelled by an earlier callback */
		if (t->interval_ms) {
			t->due_ms += t->interval_ms;
			if (t->due_ms <= lp->now_ms)
				t->due_ms = lp->now_ms + t->interval_ms;
		} else {
			loop_timer_cancel(lp, t->id);
		}
		due[i].cb(lp, due[i].id, due[i].arg);
	}
	free(due);
	return OD_OK;
}

enum od_status loop_run_once(struct loop *lp, int max_wait_ms, struct err *e)
{
	size_t n = lp->nfds + 1, nready = 0;
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	struct ready_fd *ready = calloc(n, sizeof(*ready));
	uint64_t *gens = calloc(n, sizeof(*gens));
	enum od_status rc = OD_OK;

	if (!pfd || !ready || !gens) {
		rc = err_set(e, OD_ENOMEM, "out of memory in the event loop");
		goto out;
	}
	lp->now_ms = time_mono_ms();
	pfd[0] = (struct pollfd){ .fd = lp->sigpipe[0], .events = POLLIN };
	for (size_t i = 0; i < lp->nfds; i++) {
		pfd[i + 1] = (struct pollfd){ .fd = lp->fds[i].fd, .events = lp->fds[i].events };
		gens[i + 1] = lp->fds[i].gen;
	}
	int r = poll(pfd, (nfds_t)n, next_timeout(lp, max_wait_ms));
	if (r < 0 && errno != EINTR) {
		rc = err_set(e, OD_EIO, "poll failed: %s", strerror(errno));
		goto out;
	}
	lp->now_ms = time_mono_ms();
	dispatch_signals(lp);
	for (size_t i = 1; r > 0 && i < n; i++)
		if (pfd[i].revents)
			ready[nready++] = (struct ready_fd){ pfd[i].fd, gens[i], pfd[i].revents };
	dispatch_fds(lp, ready, nready);
	if (!lp->stopped)
		rc = dispatch_timers(lp, e);
out:
	free(pfd);
	free(ready);
	free(gens);
	return rc;
}

enum od_status loop_run(struct loop *lp, struct err *e)
{
	enum od_status rc = OD_OK;

	lp->stopped = false;
	while (!lp->stopped && rc == OD_OK)
		rc = loop_run_once(lp, -1, e);
	return rc;
}

void loop_stop(struct loop *lp)
{
	lp->stopped = true;
}

bool loop_stopped(const struct loop *lp)
{
	return lp->stopped;
}

uint64_t loop_now_ms(const struct loop *lp)
{
	return lp->now_ms;
}
