/*
 * test_paths.c: XDG directories (relative values ignored), the data
 * directory, and mkdir -p with owner-only modes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/paths.h"

static void test_xdg(void **state)
{
	char out[PATHS_MAX];
	struct err e = { 0 };

	(void)state;
	setenv("HOME", "/home/alice", 1);
	unsetenv("XDG_STATE_HOME");
	assert_int_equal(paths_xdg(XDG_STATE, "history.db", out, sizeof(out), &e), OD_OK);
	assert_string_equal(out, "/home/alice/.local/state/opsdeck/history.db");
	setenv("XDG_STATE_HOME", "/var/lib/alice-state/", 1);
	assert_int_equal(paths_xdg(XDG_STATE, "history.db", out, sizeof(out), &e), OD_OK);
	assert_string_equal(out, "/var/lib/alice-state/opsdeck/history.db");
	/* A relative value is invalid per the XDG spec and must be ignored. */
	setenv("XDG_CONFIG_HOME", "relative/config", 1);
	assert_int_equal(paths_xdg(XDG_CONFIG, "config.yaml", out, sizeof(out), &e), OD_OK);
	assert_string_equal(out, "/home/alice/.config/opsdeck/config.yaml");
	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(paths_xdg_base(XDG_CACHE, out, sizeof(out), &e), OD_OK);
	assert_string_equal(out, "/home/alice/.cache");
	unsetenv("XDG_DATA_HOME");
	assert_int_equal(paths_xdg(XDG_DATA, NULL, out, sizeof(out), &e), OD_OK);
	assert_string_equal(out, "/home/alice/.local/share/opsdeck");

	unsetenv("HOME");
	assert_int_equal(paths_xdg(XDG_CONFIG, "x", out, sizeof(out), &e), OD_ECONFIG);
	assert_non_null(strstr(e.msg, "HOME"));
	setenv("HOME", "/home/alice", 1);
	assert_int_equal(paths_xdg(XDG_CONFIG, "x", out, 10, &e), OD_ELIMIT);
}

static void test_mkdir_p(void **state)
{
	char tmpl[] = "/tmp/opsdeck-paths.XXXXXX";
	char deep[PATHS_MAX], file[PATHS_MAX];
	struct stat st;
	struct err e = { 0 };

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(deep, sizeof(deep), "%s/a/b/c", tmpl);
	assert_int_equal(paths_mkdir_p(deep, 0700, &e), OD_OK);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777 & ~0700, 0);
	assert_int_equal(paths_mkdir_p(deep, 0700, &e), OD_OK); /* existing is fine */
	snprintf(file, sizeof(file), "%s/f", tmpl);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(deep, sizeof(deep), "%s/f/sub", tmpl);
	assert_int_equal(paths_mkdir_p(deep, 0700, &e), OD_EIO);
	assert_non_null(strstr(e.msg, "not a directory"));
	assert_int_equal(paths_mkdir_p("", 0700, &e), OD_EINVAL);
	char cmd[PATHS_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

static void test_datadir(void **state)
{
	char out[PATHS_MAX];

	(void)state;
	setenv("OPSDECK_DATADIR", "/opt/od", 1);
	assert_int_equal(paths_datadir(out, sizeof(out), NULL), OD_OK);
	assert_string_equal(out, "/opt/od");
	assert_int_equal(paths_data_file("themes/default.theme", out, sizeof(out), NULL), OD_OK);
	assert_string_equal(out, "/opt/od/themes/default.theme");
	/* Without the override a test binary (not installed) finds the source tree. */
	unsetenv("OPSDECK_DATADIR");
	assert_int_equal(paths_data_file("themes/default.theme", out, sizeof(out), NULL), OD_OK);
	assert_int_equal(access(out, R_OK), 0);
}

static void test_join_dirname(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(paths_join(out, sizeof(out), "/a/", "b", NULL), OD_OK);
	assert_string_equal(out, "/a/b");
	assert_int_equal(paths_join(out, sizeof(out), "/a", "b", NULL), OD_OK);
	assert_string_equal(out, "/a/b");
	paths_dirname("/x/y/z.yaml", out, sizeof(out));
	assert_string_equal(out, "/x/y");
	paths_dirname("z.yaml", out, sizeof(out));
	assert_string_equal(out, ".");
	paths_dirname("/z", out, sizeof(out));
	assert_string_equal(out, "/");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdg),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_datadir),
		cmocka_unit_test(test_join_dirname),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
