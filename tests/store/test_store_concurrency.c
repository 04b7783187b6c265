/*
 * test_store_concurrency.c: processes sharing the database. Two writers
 * appending (to the same ticks), rolling up and auditing at once never see
 * "database is locked"; and a writer killed with SIGKILL at random moments,
 * twenty times, leaves a database that passes quick_check with every tick
 * it reported committed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "opsdeck/store.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "helpers.h"

#define T0 1762999200LL
#define NSERIES 150

static int64_t value_of(int64_t series, int64_t ts)
{
	return (series * 7919 + ts * 13) % 1000003;
}

/* Child body: exit status 0 when every call succeeded. */
static void writer(const char *path, int who, int ticks)
{
	struct store *st = NULL;
	struct err e = { 0 };
	struct store_sample smp[NSERIES + 1];
	int64_t ids[NSERIES + 1];

	if (store_open(path, NULL, &st, &e) != OD_OK)
		goto fail;
	for (int i = 0; i <= NSERIES; i++) {
		char name[32];
		snprintf(name, sizeof(name), i == NSERIES ? "shared" : "w%d-pod-%d", who, i);
		struct store_series_key k = { "c", "ns", STORE_KIND_POD, name, "app",
					      i == NSERIES ? STORE_METRIC_READY : STORE_METRIC_CPU };
		if (store_series_id(st, &k, true, &ids[i], &e) != OD_OK)
			goto fail;
	}
	for (int j = 0; j < ticks; j++) {
		int64_t ts = T0 + j * 15;   /* both writers write the same ticks */
		for (int i = 0; i <= NSERIES; i++) {
			smp[i].series = ids[i];
			smp[i].value = value_of(ids[i], ts);
		}
		if (store_tick_append(st, ts, smp, NSERIES + 1, &e) != OD_OK)
			goto fail;
		if (j % 40 == 39 && store_samples_maintain(st, ts, NULL, &e) != OD_OK)
			goto fail;
		if (j % 100 == 99) {
			struct store_audit_entry a = { .action = "scale", .step = "result",
						       .object = who ? "sts/b" : "sts/a", .outcome = "ok" };
			if (store_audit_append(st, &a, &e) != OD_OK)
				goto fail;
		}
	}
	store_close(&st);
	_exit(0);
fail:
	fprintf(stderr, "# writer %d: %s\n", who, e.msg);
	_exit(1);
}

static void test_two_writers(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	pid_t pid[2];
	const int ticks = 300;
	(void)state;
	tmp_db_init(&t, NULL);
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0)
			writer(t.path, w, ticks);
	}
	for (int w = 0; w < 2; w++) {
		int status = 0;
		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	struct store *st = tmp_db_open(&t, NULL);
	assert_int_equal(store_quick_check(st, &e), OD_OK);
	/* Both writers' samples of every tick are there, merged. */
	for (int w = 0; w < 2; w++) {
		char name[32];
		int64_t id;
		struct store_query_result r;
		snprintf(name, sizeof(name), "w%d-pod-%d", w, NSERIES - 1);
		struct store_series_key k = { "c", "ns", STORE_KIND_POD, name, "app", STORE_METRIC_CPU };
		assert_int_equal(store_series_id(st, &k, false, &id, &e), OD_OK);
		assert_int_equal(store_series_query(st, id, T0, T0 + ticks * 15, 15, &r, &e), OD_OK);
		assert_int_equal(r.n, ticks);
		for (size_t i = 0; i < r.n; i++)
			assert_int_equal(r.points[i].min, value_of(id, r.points[i].ts));
		store_query_result_free(&r);
	}
	int64_t raw = 0;
	assert_int_equal(store_samples_raw_count(st, &raw, &e), OD_OK);
	assert_int_equal(raw, (int64_t)ticks * (2 * NSERIES + 1));
	struct store_audit_verdict v;
	assert_int_equal(store_audit_verify(st, &v, &e), OD_OK);
	assert_int_equal(v.problem, STORE_AUDIT_INTACT);
	assert_int_equal(v.rows, 2 * (ticks / 100));
	store_close(&st);
	tmp_db_cleanup(&t);
}

/* Child: appends ticks forever, reporting each committed ts through fd. */
static void ticker(const char *path, int64_t base, int fd)
{
	struct store *st = NULL;
	struct err e = { 0 };
	struct store_sample smp[NSERIES];
	int64_t ids[NSERIES];

	if (store_open(path, NULL, &st, &e) != OD_OK)
		goto fail;
	for (int i = 0; i < NSERIES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "pod-%d", i);
		struct store_series_key k = { "c", "ns", STORE_KIND_POD, name, "app", STORE_METRIC_MEMORY };
		if (store_series_id(st, &k, true, &ids[i], &e) != OD_OK)
			goto fail;
	}
	for (int64_t j = 0;; j++) {
		int64_t ts = base + j * 15;
		for (int i = 0; i < NSERIES; i++) {
			smp[i].series = ids[i];
			smp[i].value = value_of(ids[i], ts);
		}
		if (store_tick_append(st, ts, smp, NSERIES, &e) != OD_OK)
			goto fail;
		if (write(fd, &ts, sizeof(ts)) != (ssize_t)sizeof(ts))
			_exit(3);
		if (j % 25 == 24 && store_samples_maintain(st, ts, NULL, &e) != OD_OK)
			goto fail;
	}
fail:
	fprintf(stderr, "# ticker: %s\n", e.msg);
	_exit(1);
}

static void test_kill9_loop(void **state)
{
	struct tmp_db t;
	struct err e = { 0 };
	unsigned seed = 20261122;
	int64_t *committed = NULL;
	size_t n = 0, cap = 0;
	(void)state;
	tmp_db_init(&t, NULL);
	for (int round = 0; round < 20; round++) {
		int fds[2];
		/* Rounds 4995 s apart (a multiple of 15): all 20 stay inside the 48 h raw retention. */
		int64_t base = T0 + (int64_t)round * 4995;
		assert_int_equal(pipe(fds), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			ticker(t.path, base, fds[1]);
		}
		close(fds[1]);
		/* Wait for a random number of commits, then kill at a random moment after. */
		int want = (int)(rand_r(&seed) % 40);
		int64_t ts;
		for (int got = 0; got < want && read(fds[0], &ts, sizeof(ts)) == (ssize_t)sizeof(ts); got++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				committed = realloc(committed, cap * sizeof(*committed));
				assert_non_null(committed);
			}
			committed[n++] = ts;
		}
		usleep(rand_r(&seed) % 3000);   /* a random moment, not a wait for a condition */
		assert_int_equal(kill(pid, SIGKILL), 0);
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
		/* Ticks reported before the kill landed in the pipe: they were committed. */
		while (read(fds[0], &ts, sizeof(ts)) == (ssize_t)sizeof(ts)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				committed = realloc(committed, cap * sizeof(*committed));
				assert_non_null(committed);
			}
			committed[n++] = ts;
		}
		close(fds[0]);
		struct store *st = tmp_db_open(&t, NULL);   /* quick_check runs here */
		assert_string_equal(store_notice(st), "");
		assert_int_equal(store_quick_check(st, &e), OD_OK);
		store_close(&st);
	}
	struct store *st = tmp_db_open(&t, NULL);
	int64_t id;
	struct store_series_key k = { "c", "ns", STORE_KIND_POD, "pod-77", "app", STORE_METRIC_MEMORY };
	assert_int_equal(store_series_id(st, &k, false, &id, &e), OD_OK);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		assert_int_equal(store_tick_exists(st, committed[i], &found, &e), OD_OK);
		assert_true(found);
		struct store_query_result r;
		assert_int_equal(store_series_query(st, id, committed[i], committed[i] + 15, 15, &r, &e), OD_OK);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.points[0].min, value_of(id, committed[i]));
		store_query_result_free(&r);
	}
	fprintf(stderr, "# %zu committed ticks checked after 20 kills\n", n);
	free(committed);
	store_close(&st);
	tmp_db_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_writers),
		cmocka_unit_test(test_kill9_loop),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
