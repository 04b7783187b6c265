/*
 * loop.h: the single-threaded event loop.
 *
 * poll() over registered file descriptors plus one-shot and repeating timers
 * on the monotonic clock, plus signals delivered through a self-pipe (the
 * handler only sets a flag and writes one byte). libcurl's multi handle plugs
 * in through loop_fd_* and loop_timer_* (CURLMOPT_SOCKETFUNCTION and
 * CURLMOPT_TIMERFUNCTION). There are no threads and no locks.
 *
 * Callbacks may add or remove fds and timers, including their own, and may
 * call loop_stop().
 */
#ifndef OPSDECK_LOOP_H
#define OPSDECK_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/err.h"

struct loop;   /* opaque; owned by whoever called loop_new */

/* revents are poll() bits (POLLIN, POLLOUT, POLLERR, POLLHUP). */
typedef void (*loop_fd_cb)(struct loop *lp, int fd, short revents, void *arg);
typedef void (*loop_timer_cb)(struct loop *lp, uint64_t id, void *arg);
typedef void (*loop_signal_cb)(struct loop *lp, int signo, void *arg);

enum od_status loop_new(struct loop **out, struct err *e);

/* Frees the loop, restores signal dispositions it changed, sets *lp = NULL. */
void loop_free(struct loop **lp);

/* Watches fd for events (POLLIN/POLLOUT). One watcher per fd; arg is borrowed. */
enum od_status loop_fd_add(struct loop *lp, int fd, short events, loop_fd_cb cb, void *arg,
			   struct err *e);
/* Changes the events watched on fd; OD_ENOENT if fd is not watched. */
enum od_status loop_fd_modify(struct loop *lp, int fd, short events);
/* Stops watching fd (does not close it). Unknown fds are ignored. */
void loop_fd_remove(struct loop *lp, int fd);

/*
 * Calls cb after delay_ms, then every interval_ms if that is non-zero.
 * Returns a timer id (> 0), or 0 when out of memory.
 */
uint64_t loop_timer_add(struct loop *lp, uint64_t delay_ms, uint64_t interval_ms,
			loop_timer_cb cb, void *arg);
/* Cancels a timer; unknown or finished ids are ignored. */
void loop_timer_cancel(struct loop *lp, uint64_t id);

/*
 * Delivers signo to cb from the loop (never from the handler). At most one
 * callback per signal. SA_RESTART is not set, so poll() wakes at once.
 */
enum od_status loop_signal_watch(struct loop *lp, int signo, loop_signal_cb cb, void *arg,
				 struct err *e);

/* Waits at most max_wait_ms (-1: until something happens), then dispatches. */
enum od_status loop_run_once(struct loop *lp, int max_wait_ms, struct err *e);

/* Runs until loop_stop() is called. */
enum od_status loop_run(struct loop *lp, struct err *e);
void loop_stop(struct loop *lp);
bool loop_stopped(const struct loop *lp);

/* Monotonic milliseconds, read once per iteration. */
uint64_t loop_now_ms(const struct loop *lp);

#endif
