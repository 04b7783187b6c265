/*
 * test_keymap.c: key names, the keymap parser (errors as FILE:LINE), user
 * overrides on top of data/keymap, and that every action has help text and
 * the default keymap covers the keys the issue promises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/ui_keymap.h"

static void test_key_names(void **state)
{
	char name[KEYMAP_KEY_NAME_MAX];

	(void)state;
	assert_int_equal(keymap_key_parse("j"), 'j');
	assert_int_equal(keymap_key_parse("Down"), KEY_DOWN);
	assert_int_equal(keymap_key_parse("S-Tab"), KEY_BTAB);
	assert_int_equal(keymap_key_parse("Enter"), '\n');
	assert_int_equal(keymap_key_parse("Esc"), 27);
	assert_int_equal(keymap_key_parse("C-l"), 12);
	assert_int_equal(keymap_key_parse("F1"), KEY_F(1));
	assert_int_equal(keymap_key_parse("F12"), KEY_F(12));
	assert_int_equal(keymap_key_parse("F13"), -1);
	assert_int_equal(keymap_key_parse("C-"), -1);
	assert_int_equal(keymap_key_parse("Up2"), -1);
	assert_int_equal(keymap_key_parse(""), -1);
	keymap_key_name(KEY_BTAB, name, sizeof(name));
	assert_string_equal(name, "S-Tab");
	keymap_key_name(2, name, sizeof(name));
	assert_string_equal(name, "C-b");
	keymap_key_name(KEY_F(5), name, sizeof(name));
	assert_string_equal(name, "F5");
	/* Enter arrives as \r, \n or KEY_ENTER depending on the terminal. */
	assert_int_equal(keymap_key_normalize('\r'), '\n');
	assert_int_equal(keymap_key_normalize(KEY_ENTER), '\n');
	assert_int_equal(keymap_key_normalize(127), KEY_BACKSPACE);
}

static void test_parse_and_override(void **state)
{
	struct keymap km;
	struct err e = { 0 };
	const char *text = "q quit\nj move-down  # vim\nDown move-down\nx none\nq help\nj none\n";

	(void)state;
	keymap_init(&km);
	assert_int_equal(keymap_parse(&km, text, strlen(text), "k", &e), OD_OK);
	assert_int_equal(keymap_lookup(&km, 'q'), ACTION_HELP);   /* later line wins */
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_NONE);   /* unbound */
	assert_int_equal(keymap_lookup(&km, KEY_DOWN), ACTION_MOVE_DOWN);
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_NONE);
}

static void expect_error(const char *text, const char *msg)
{
	struct keymap km;
	struct err e = { 0 };

	keymap_init(&km);
	assert_int_equal(keymap_parse(&km, text, strlen(text), "keymap", &e), OD_EPARSE);
	if (strcmp(e.msg, msg) != 0)
		fail_msg("got \"%s\", want \"%s\"", e.msg, msg);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("q quit\nqq quit\n", "keymap:2: unknown key \"qq\"");
	expect_error("q leave\n", "keymap:1: unknown action \"leave\"");
	expect_error("q\n", "keymap:1: expected \"KEY ACTION\"");
	expect_error("\n\nq quit now\n", "keymap:3: expected \"KEY ACTION\"");
}

static void test_full_table(void **state)
{
	struct keymap km;
	struct err e = { 0 };
	char line[32];

	(void)state;
	keymap_init(&km);
	for (int k = 1; k <= KEYMAP_MAX; k++)
		assert_int_equal(keymap_bind(&km, 1000 + k, ACTION_QUIT, &e), OD_OK);
	assert_int_equal(keymap_bind(&km, 5000, ACTION_QUIT, &e), OD_ELIMIT);
	keymap_init(&km);
	for (int k = 0; k < KEYMAP_MAX; k++)
		keymap_bind(&km, 1000 + k, ACTION_QUIT, &e);
	snprintf(line, sizeof(line), "z zoom\n");
	assert_int_equal(keymap_parse(&km, line, strlen(line), "km", &e), OD_ELIMIT);
	assert_non_null(strstr(e.msg, "km:1: "));
}

static void test_default_keymap(void **state)
{
	struct keymap km;
	struct err e = { 0 };
	static const struct {
		const char *key;
		enum action a;
	} want[] = {
		{ "q", ACTION_QUIT }, { "?", ACTION_HELP }, { "j", ACTION_MOVE_DOWN },
		{ "k", ACTION_MOVE_UP }, { "Down", ACTION_MOVE_DOWN }, { "Up", ACTION_MOVE_UP },
		{ "Tab", ACTION_NEXT_PANE }, { "S-Tab", ACTION_PREV_PANE }, { "1", ACTION_PANE_1 },
		{ "6", ACTION_PANE_6 }, { "z", ACTION_ZOOM }, { "/", ACTION_FILTER },
		{ ":", ACTION_COMMAND }, { "Esc", ACTION_CANCEL },
	};

	(void)state;
	setenv("XDG_CONFIG_HOME", "/nonexistent-opsdeck-test", 1);
	if (keymap_load_default(&km, &e) != OD_OK)
		fail_msg("%s", e.msg);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (keymap_lookup(&km, keymap_key_parse(want[i].key)) != want[i].a)
			fail_msg("%s is not bound to %s", want[i].key, keymap_action_name(want[i].a));
	/* Every action but "none" has help text and at least one key. */
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		int keys[4];

		assert_non_null(keymap_action_help((enum action)a));
		if (keymap_keys_for(&km, (enum action)a, keys, 4) == 0)
			fail_msg("no key for %s", keymap_action_name((enum action)a));
	}
}

static void test_user_keymap(void **state)
{
	char dir[] = "/tmp/opsdeck-keymap-XXXXXX", path[256];
	struct keymap km;
	struct err e = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/opsdeck", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/opsdeck/keymap", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("x quit\nq none\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(keymap_load_default(&km, &e), OD_OK);
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_QUIT);
	assert_int_equal(keymap_lookup(&km, 'q'), ACTION_NONE);
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_MOVE_DOWN);
	f = fopen(path, "w");
	fputs("x quit\nx explode\n", f);
	fclose(f);
	km.n = 0;
	assert_int_equal(keymap_load_default(&km, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "opsdeck/keymap:2: unknown action \"explode\""));
	assert_int_equal(km.n, 0); /* unchanged on error */
	unlink(path);
	snprintf(path, sizeof(path), "%s/opsdeck", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_parse_and_override),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_default_keymap),
		cmocka_unit_test(test_user_keymap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
