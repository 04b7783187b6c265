/*
 * test_textfile.c: capped file reads and the line splitter behind the theme
 * and keymap parsers: line numbers, caps, NUL bytes, early stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/textfile.h"

struct seen {
	char text[256];
	size_t last;
	size_t stop_at;   /* fail on this line number, 0 = never */
};

static enum od_status collect(void *arg, char *line, size_t lineno, struct err *e)
{
	struct seen *s = arg;
	size_t used = strlen(s->text);

	if (s->stop_at && lineno == s->stop_at)
		return err_set(e, OD_EPARSE, "stop at %zu", lineno);
	snprintf(s->text + used, sizeof(s->text) - used, "%zu:%s|", lineno, line);
	s->last = lineno;
	line[0] = 'X'; /* the callee may write to its line */
	return OD_OK;
}

static void test_lines(void **state)
{
	struct seen s = { 0 };
	struct err e = { 0 };
	const char text[] = "a b\n\nlast";

	(void)state;
	assert_int_equal(textfile_each_line(text, strlen(text), 64, "f", collect, &s, &e), OD_OK);
	assert_string_equal(s.text, "1:a b|2:|3:last|");
	memset(&s, 0, sizeof(s));
	assert_int_equal(textfile_each_line("x\n", 2, 64, "f", collect, &s, &e), OD_OK);
	assert_string_equal(s.text, "1:x|"); /* a final newline adds no empty line */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(textfile_each_line("a\nb\nc\n", 6, 64, "f", collect, &s, &e), OD_EPARSE);
	assert_string_equal(e.msg, "stop at 2");
	assert_int_equal(s.last, 1);
}

static void test_caps_and_nul(void **state)
{
	struct seen s = { 0 };
	struct err e = { 0 };
	const char nul[] = { 'o', 'k', '\n', 'a', '\0', 'b', '\n' };

	(void)state;
	assert_int_equal(textfile_each_line("short\n0123456789\n", 17, 8, "themes/x.theme",
					    collect, &s, &e), OD_EPARSE);
	assert_string_equal(e.msg, "themes/x.theme:2: line longer than 7 bytes");
	memset(&s, 0, sizeof(s));
	assert_int_equal(textfile_each_line(nul, sizeof(nul), 64, "keymap", collect, &s, &e),
			 OD_EPARSE);
	assert_string_equal(e.msg, "keymap:2: NUL byte in line");
	assert_string_equal(s.text, "1:ok|");
}

static void test_read(void **state)
{
	char path[] = "/tmp/opsdeck-textfile.XXXXXX";
	int fd = mkstemp(path);
	char *data = NULL;
	size_t len = 0;
	struct err e = { 0 };

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(textfile_read(path, 10, &data, &len, &e), OD_OK);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");
	free(data);
	assert_int_equal(textfile_read(path, 9, &data, &len, &e), OD_ELIMIT);
	assert_null(data);
	assert_non_null(strstr(e.msg, "larger than 9 bytes"));
	unlink(path);
	assert_int_equal(textfile_read(path, 9, &data, &len, &e), OD_ENOENT);
	assert_non_null(strstr(e.msg, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_caps_and_nul),
		cmocka_unit_test(test_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
