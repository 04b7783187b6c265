/*
 * test_log.c: the debug log is a 0600 file, levels filter, URLs lose credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/log.h"

static void test_file_and_levels(void **state)
{
	char path[] = "/tmp/opsdeck-log.XXXXXX";
	char line[512];
	struct stat st;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(log_open(path, LOG_LEVEL_INFO, NULL), OD_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_false(log_enabled(LOG_LEVEL_DEBUG));
	assert_true(log_enabled(LOG_LEVEL_WARN));
	LOG_DEBUG("test", "hidden %d", 1);
	LOG_WARN("kube", "watch of %s ended after %d s", "pods", 300);
	log_close();
	LOG_ERROR("test", "after close");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, " WARN kube: watch of pods ended after 300 s\n"));
	assert_true(line[4] == '-' && line[10] == 'T');
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);

	struct err e = { 0 };
	assert_int_equal(log_open("/nonexistent-dir/x.log", LOG_LEVEL_DEBUG, &e), OD_EIO);
	assert_non_null(strstr(e.msg, "/nonexistent-dir/x.log"));
}

static void test_redact(void **state)
{
	char out[256];

	(void)state;
	log_redact_url("https://alice:s3cret@proxy:3128/x?y", out, sizeof(out));
	assert_string_equal(out, "https://REDACTED@proxy:3128/x?y");
	assert_null(strstr(out, "s3cret"));
	log_redact_url("https://10.0.0.1:6443/api/v1/pods?x=a@b", out, sizeof(out));
	assert_string_equal(out, "https://10.0.0.1:6443/api/v1/pods?x=a@b");
	log_redact_url("socks5://u:p@h:1080", out, sizeof(out));
	assert_string_equal(out, "socks5://REDACTED@h:1080");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_and_levels),
		cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
