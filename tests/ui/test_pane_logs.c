/*
 * test_pane_logs.c: the Logs pane in-process on a headless screen: a
 * million lines from eight pods through logs_pane_feed with a filter active
 * and paints in between, none lost or reordered per pod (read back through
 * the pane's save) and memory bounded; the JSON toggle; the filter's count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/ui_app.h"
#include "opsdeck/ui_headless.h"
#include "opsdeck/ui_pane_logs.h"

#define NOW 1795100000
#define PODS 8

static void screen_text(char *out, size_t n)
{
	FILE *f = fmemopen(out, n, "w");

	assert_non_null(f);
	headless_write_screen(f);
	fclose(f);
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static struct app *open_app(int cols, int rows)
{
	struct app *app = calloc(1, sizeof(*app));
	struct app_opts o = { .headless = true, .cols = cols, .rows = rows, .fixed_now = NOW };
	struct err e = { 0 };

	assert_non_null(app);
	if (app_init(app, &o, NULL, &e) != OD_OK)
		fail_msg("%s", e.msg);
	app_handle_key(app, '3');
	app_handle_key(app, 'z');
	app_update(app);
	return app;
}

static void close_app(struct app *app)
{
	app_fini(app);
	free(app);
}

static void test_million_lines_through_the_pane(void **state)
{
	struct app *app = open_app(120, 40);
	struct pane *p = &app->panes[2];
	struct err e = { 0 };
	char pods[PODS][32], path[] = "/tmp/od-test-pane-logs-XXXXXX", line[256];
	uint64_t next[PODS] = { 0 }, shown = 0;
	const uint64_t n = 1000000;
	long before = rss_kb(), after;
	struct stat sb;
	FILE *f;
	int fd;

	(void)state;
	for (int i = 0; i < PODS; i++)
		snprintf(pods[i], sizeof(pods[i]), "web-7c9d8b6f5-%05d", i);
	p->ops->filter(p, "level=error");
	for (uint64_t i = 0; i < n; i++) {
		int pod = (int)(i * 2654435761u % PODS);
		bool err = i % 97 == 0;
		int len = snprintf(line, sizeof(line),
				   "2026-11-22T12:00:00Z pod=%d seq=%llu level=%s msg=\"request handled\"",
				   pod, (unsigned long long)next[pod]++, err ? "error" : "info");

		shown += err;
		assert_int_equal(logs_pane_feed(p, pods[pod], line, (size_t)len, &e), OD_OK);
		if (i % 20000 == 0)
			app_update(app); /* paints while lines keep coming, as the loop would */
	}
	app_update(app);
	after = rss_kb();
	assert_int_equal(logs_pane_count(p), n);
	assert_int_equal(logs_pane_visible(p), shown);
	/* Read every line back, in order, through the pane's own save. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(logs_pane_save(p, path, &e), OD_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	memset(next, 0, sizeof(next));
	for (uint64_t i = 0; i < n; i++) {
		char name[32];
		int pod;
		unsigned long long seq;

		assert_non_null(fgets(line, sizeof(line), f));
		assert_int_equal(sscanf(line, "%31s %*s pod=%d seq=%llu", name, &pod, &seq), 3);
		assert_string_equal(name, pods[pod]);
		assert_int_equal(seq, next[pod]);
		next[pod]++;
	}
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	print_message("1M lines through the pane: RSS %ld -> %ld KiB\n", before, after);
#ifndef __SANITIZE_ADDRESS__
	if (before > 0 && after > 0)
		assert_true(after - before < 96 * 1024);
#endif
	close_app(app);
}

static void test_json_toggle(void **state)
{
	static char screen[64 * 1024];
	struct app *app = open_app(80, 24);
	struct pane *p = &app->panes[2];
	struct err e = { 0 };
	const char *js = "{\"level\":\"error\",\"msg\":\"db down\",\"retry\":3}";

	(void)state;
	assert_int_equal(logs_pane_feed(p, "tapio-agent-x", js, strlen(js), &e), OD_OK);
	assert_int_equal(logs_pane_feed(p, "tapio-agent-x", "plain line", 10, &e), OD_OK);
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "{\"level\":\"error\",\"msg\":\"db down\",\"retry\":3}"));
	app_handle_key(app, 'J');
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_null(strstr(screen, "{\"level\":\"error\""));
	assert_non_null(strstr(screen, "│ \"level\": \"error\","));
	assert_non_null(strstr(screen, "│ \"retry\": 3"));
	assert_non_null(strstr(screen, "│plain line"));
	assert_non_null(strstr(screen, "json"));
	app_handle_key(app, 'J');
	app_update(app);
	screen_text(screen, sizeof(screen));
	assert_non_null(strstr(screen, "{\"level\":\"error\",\"msg\":\"db down\",\"retry\":3}"));
	close_app(app);
}

static void test_save_refuses_to_overwrite(void **state)
{
	struct app *app = open_app(80, 24);
	struct pane *p = &app->panes[2];
	struct err e = { 0 };
	char path[] = "/tmp/od-test-pane-logs-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(logs_pane_feed(p, "a", "x", 1, &e), OD_OK);
	assert_int_equal(logs_pane_save(p, path, &e), OD_EIO);
	unlink(path);
	close_app(app);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_toggle),
		cmocka_unit_test(test_save_refuses_to_overwrite),
		cmocka_unit_test(test_million_lines_through_the_pane),
	};

	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-opsdeck-test", 1);
	setenv("XDG_STATE_HOME", "/nonexistent-opsdeck-test", 1);
	unsetenv("OPSDECK_LOGS_REPLAY");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
