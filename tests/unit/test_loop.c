/*
 * test_loop.c: the event loop's fds, timers and signals, including callbacks
 * that change the loop while it dispatches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/loop.h"
#include "opsdeck/timeutil.h"

struct record {
	int calls;
	int order[16];
	int n;
	uint64_t cancel_id;
	int pipe_r;
};

static void on_timer(struct loop *lp, uint64_t id, void *arg)
{
	struct record *r = arg;
	(void)lp;
	r->order[r->n++ % 16] = (int)id;
	r->calls++;
}

static void stop_timer(struct loop *lp, uint64_t id, void *arg)
{
	(void)id;
	(void)arg;
	loop_stop(lp);
}

static void test_timers_fire_in_order(void **state)
{
	struct loop *lp = NULL;
	struct record r = { 0 };

	(void)state;
	assert_int_equal(loop_new(&lp, NULL), OD_OK);
	uint64_t late = loop_timer_add(lp, 30, 0, on_timer, &r);
	uint64_t early = loop_timer_add(lp, 10, 0, on_timer, &r);
	uint64_t cancelled = loop_timer_add(lp, 5, 0, on_timer, &r);
	loop_timer_cancel(lp, cancelled);
	loop_timer_add(lp, 60, 0, stop_timer, NULL);
	uint64_t t0 = time_mono_ms();
	assert_int_equal(loop_run(lp, NULL), OD_OK);
	assert_true(time_mono_ms() - t0 >= 60);
	assert_int_equal(r.calls, 2);
	assert_int_equal(r.order[0], (int)early);
	assert_int_equal(r.order[1], (int)late);
	loop_free(&lp);
	assert_null(lp);
}

static void repeat_then_cancel(struct loop *lp, uint64_t id, void *arg)
{
	struct record *r = arg;
	if (++r->calls == 3) {
		loop_timer_cancel(lp, id); /* a callback may cancel itself */
		loop_stop(lp);
	}
}

static void test_repeating_timer(void **state)
{
	struct loop *lp = NULL;
	struct record r = { 0 };

	(void)state;
	assert_int_equal(loop_new(&lp, NULL), OD_OK);
	assert_true(loop_timer_add(lp, 0, 5, repeat_then_cancel, &r) > 0);
	assert_int_equal(loop_run(lp, NULL), OD_OK);
	assert_int_equal(r.calls, 3);
	/* Nothing is left: a bounded wait returns without firing anything. */
	assert_int_equal(loop_run_once(lp, 20, NULL), OD_OK);
	assert_int_equal(r.calls, 3);
	loop_free(&lp);
}

static void on_readable(struct loop *lp, int fd, short revents, void *arg)
{
	struct record *r = arg;
	char c;

	assert_true(revents & POLLIN);
	assert_int_equal(read(fd, &c, 1), 1);
	r->order[r->n++ % 16] = c;
	r->calls++;
	/* The first callback removes the other pipe's watcher before it runs. */
	if (r->pipe_r >= 0) {
		loop_fd_remove(lp, r->pipe_r);
		r->pipe_r = -1;
	}
}

static void test_fds_and_removal_during_dispatch(void **state)
{
	struct loop *lp = NULL;
	struct record r = { 0 };
	int a[2], b[2];
	struct err e = { 0 };

	(void)state;
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	assert_int_equal(loop_new(&lp, NULL), OD_OK);
	assert_int_equal(loop_fd_add(lp, a[0], POLLIN, on_readable, &r, &e), OD_OK);
	assert_int_equal(loop_fd_add(lp, b[0], POLLIN, on_readable, &r, &e), OD_OK);
	assert_int_equal(loop_fd_add(lp, a[0], POLLIN, on_readable, &r, &e), OD_EEXIST);
	r.pipe_r = b[0];
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "y", 1), 1);
	assert_int_equal(loop_run_once(lp, 1000, NULL), OD_OK);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.order[0], 'x');
	/* With b gone and nothing to read on a, a short wait dispatches nothing. */
	assert_int_equal(loop_run_once(lp, 10, NULL), OD_OK);
	assert_int_equal(r.calls, 1);
	assert_int_equal(loop_fd_modify(lp, b[0], POLLIN), OD_ENOENT);
	assert_int_equal(loop_fd_modify(lp, a[0], POLLOUT), OD_OK);
	loop_fd_remove(lp, 12345); /* unknown fds are ignored */
	loop_free(&lp);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

static void on_signal(struct loop *lp, int signo, void *arg)
{
	struct record *r = arg;
	r->order[r->n++ % 16] = signo;
	r->calls++;
	loop_stop(lp);
}

static void test_signal_self_pipe(void **state)
{
	struct loop *lp = NULL;
	struct record r = { 0 };
	struct sigaction before, after;

	(void)state;
	sigaction(SIGUSR1, NULL, &before);
	assert_int_equal(loop_new(&lp, NULL), OD_OK);
	assert_int_equal(loop_signal_watch(lp, SIGUSR1, on_signal, &r, NULL), OD_OK);
	assert_int_equal(loop_signal_watch(lp, 0, on_signal, &r, NULL), OD_EINVAL);
	raise(SIGUSR1);
	uint64_t t0 = time_mono_ms();
	assert_int_equal(loop_run(lp, NULL), OD_OK);
	assert_true(time_mono_ms() - t0 < 1000);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.order[0], SIGUSR1);
	loop_free(&lp);
	/* The previous disposition is back. */
	sigaction(SIGUSR1, NULL, &after);
	assert_ptr_equal(after.sa_handler, before.sa_handler);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_order),
		cmocka_unit_test(test_repeating_timer),
		cmocka_unit_test(test_fds_and_removal_during_dispatch),
		cmocka_unit_test(test_signal_self_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
