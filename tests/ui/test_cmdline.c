/*
 * test_cmdline.c: the ':' and '/' line editor: editing keys, history and
 * completion of the last word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <string.h>

#include "opsdeck/ui_cmdline.h"

static void type(struct cmdline *c, const char *s)
{
	for (; *s; s++)
		assert_int_equal(cmdline_key(c, (unsigned char)*s), CMDLINE_EDITING);
}

static void test_editing(void **state)
{
	struct cmdline c;

	(void)state;
	cmdline_init(&c, ":");
	cmdline_open(&c, NULL);
	type(&c, "thme");
	cmdline_key(&c, KEY_LEFT);
	cmdline_key(&c, KEY_LEFT);
	type(&c, "e");
	assert_string_equal(c.text, "theme");
	cmdline_key(&c, KEY_END);
	type(&c, " light");
	cmdline_key(&c, 23); /* C-w */
	assert_string_equal(c.text, "theme ");
	cmdline_key(&c, KEY_BACKSPACE);
	assert_string_equal(c.text, "theme");
	cmdline_key(&c, 21); /* C-u */
	assert_string_equal(c.text, "");
	/* Backspace on an empty line leaves, as in vim and tig. */
	assert_int_equal(cmdline_key(&c, KEY_BACKSPACE), CMDLINE_CANCEL);
	assert_int_equal(cmdline_key(&c, 27), CMDLINE_CANCEL);
	assert_int_equal(cmdline_key(&c, '\r'), CMDLINE_ACCEPT);
	assert_int_equal(cmdline_key(&c, '\t'), CMDLINE_COMPLETE);
}

static void test_utf8_backspace(void **state)
{
	struct cmdline c;

	(void)state;
	cmdline_init(&c, "/");
	cmdline_open(&c, "caf\xC3\xA9");
	cmdline_key(&c, KEY_BACKSPACE);
	assert_string_equal(c.text, "caf");
}

static void test_history(void **state)
{
	struct cmdline c;

	(void)state;
	cmdline_init(&c, ":");
	cmdline_open(&c, "theme light");
	cmdline_history_add(&c);
	cmdline_open(&c, "sort age");
	cmdline_history_add(&c);
	cmdline_history_add(&c); /* repeats are kept once */
	assert_int_equal(c.nhist, 2);
	cmdline_open(&c, "zo");
	cmdline_key(&c, KEY_UP);
	assert_string_equal(c.text, "sort age");
	cmdline_key(&c, KEY_UP);
	assert_string_equal(c.text, "theme light");
	cmdline_key(&c, KEY_UP);
	assert_string_equal(c.text, "theme light");
	cmdline_key(&c, KEY_DOWN);
	cmdline_key(&c, KEY_DOWN);
	assert_string_equal(c.text, "zo"); /* what was being typed comes back */
	for (int i = 0; i < CMDLINE_HISTORY + 10; i++) {
		cmdline_open(&c, i % 2 ? "a" : "b");
		cmdline_history_add(&c);
	}
	assert_int_equal(c.nhist, CMDLINE_HISTORY);
}

static void test_complete(void **state)
{
	static const char *const themes[] = { "default", "high-contrast", "light", "monochrome",
					      "solarized-dark" };
	static const char *const cmds[] = { "sort", "solo", "theme" };
	struct cmdline c;

	(void)state;
	cmdline_init(&c, ":");
	cmdline_open(&c, "theme l");
	assert_int_equal(cmdline_complete(&c, themes, 5), 1);
	assert_string_equal(c.text, "theme light ");
	cmdline_open(&c, "so");
	assert_int_equal(cmdline_complete(&c, cmds, 3), 2);
	assert_string_equal(c.text, "so"); /* common prefix is what was typed */
	cmdline_open(&c, "s");
	cmdline_complete(&c, cmds, 3);
	assert_string_equal(c.text, "so");
	cmdline_open(&c, "th");
	assert_int_equal(cmdline_complete(&c, cmds, 3), 1);
	assert_string_equal(c.text, "theme ");
	cmdline_open(&c, "x");
	assert_int_equal(cmdline_complete(&c, cmds, 3), 0);
	assert_string_equal(c.text, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_editing),
		cmocka_unit_test(test_utf8_backspace),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
