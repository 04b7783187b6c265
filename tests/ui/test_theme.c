/*
 * test_theme.c: the theme parser (good and malformed input, FILE:LINE
 * messages), inheritance of unset elements, the shipped themes, and colour
 * mapping to 16 and 8 colours.
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

#include "opsdeck/ui_palette.h"
#include "opsdeck/ui_theme.h"

static enum od_status parse(struct theme *t, const char *text, struct err *e)
{
	theme_init(t, "t");
	return theme_parse(t, text, strlen(text), "x.theme", e);
}

static void test_parse_good(void **state)
{
	struct theme t;
	struct err e = { 0 };
	struct theme_style s;

	(void)state;
	assert_int_equal(parse(&t, "# comment\n\nstatus.failed red default bold underline\n"
				   "statusbar   black cyan\nchart.cpu color208\n"
				   "log.match bright-yellow  # trailing comment\n", &e), OD_OK);
	s = theme_style(&t, THEME_STATUS_FAILED);
	assert_int_equal(s.fg, 1);
	assert_int_equal(s.bg, THEME_COLOR_DEFAULT);
	assert_int_equal(s.attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
	assert_int_equal(theme_style(&t, THEME_STATUSBAR).bg, 6);
	assert_int_equal(theme_style(&t, THEME_CHART_CPU).fg, 208);
	assert_int_equal(theme_style(&t, THEME_LOG_MATCH).fg, 11);
}

static void test_inheritance(void **state)
{
	struct theme t;
	struct err e = { 0 };

	(void)state;
	/* statusbar.stale is unset: it takes statusbar's style; table.header falls to normal. */
	assert_int_equal(parse(&t, "normal white black\nstatusbar black cyan reverse\n", &e), OD_OK);
	assert_int_equal(theme_style(&t, THEME_STATUSBAR_STALE).bg, 6);
	assert_int_equal(theme_style(&t, THEME_STATUSBAR_STALE).attrs, THEME_ATTR_REVERSE);
	assert_int_equal(theme_style(&t, THEME_TABLE_HEADER).fg, 7);
	assert_int_equal(theme_style(&t, THEME_TABLE_HEADER).bg, 0);
}

static void expect_error(const char *text, const char *msg)
{
	struct theme t;
	struct err e = { 0 };

	assert_int_equal(parse(&t, text, &e), OD_EPARSE);
	if (strcmp(e.msg, msg) != 0)
		fail_msg("got \"%s\", want \"%s\"", e.msg, msg);
}

static void test_malformed(void **state)
{
	char big[1000];

	(void)state;
	expect_error("statusbar black cyan\nstatus.bogus red\n",
		     "x.theme:2: unknown element \"status.bogus\"");
	expect_error("statusbar\n", "x.theme:1: statusbar needs a foreground colour");
	expect_error("statusbar purple\n", "x.theme:1: unknown colour \"purple\"");
	expect_error("statusbar color256\n", "x.theme:1: unknown colour \"color256\"");
	expect_error("statusbar color-1\n", "x.theme:1: unknown colour \"color-1\"");
	expect_error("\n\n\nstatusbar red blue blink\n",
		     "x.theme:4: unknown colour or attribute \"blink\"");
	expect_error("statusbar red blue bold bold bold bold bold bold\n",
		     "x.theme:1: too many words (at most 8)");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_error(big, "x.theme:1: line longer than 511 bytes");
}

static void test_nul_byte(void **state)
{
	struct theme t;
	struct err e = { 0 };
	static const char text[] = "statusbar red\nnormal\0 red\n";

	(void)state;
	theme_init(&t, "t");
	assert_int_equal(theme_parse(&t, text, sizeof(text) - 1, "n.theme", &e), OD_EPARSE);
	assert_string_equal(e.msg, "n.theme:2: NUL byte in line");
}

static void test_shipped_themes(void **state)
{
	static const char *const names[] = { "default", "light", "solarized-dark",
					     "high-contrast", "monochrome" };
	char *list[32];
	size_t n;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/nonexistent-opsdeck-test", 1);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct theme t;
		struct err e = { 0 };

		if (theme_load(&t, names[i], &e) != OD_OK)
			fail_msg("%s: %s", names[i], e.msg);
		/* Every shipped theme names every element: nothing is left to chance. */
		for (int el = 0; el < THEME_ELEMENT_COUNT; el++)
			if (!t.styles[el].set)
				fail_msg("%s does not set %s", names[i],
					 theme_element_name((enum theme_element)el));
	}
	n = theme_list_names(list, 32);
	assert_true(n >= 5);
	assert_string_equal(list[0], "default");
	theme_names_free(list, n);
}

static void test_user_theme_and_bad_names(void **state)
{
	char dir[] = "/tmp/opsdeck-theme-XXXXXX", path[256];
	struct theme t;
	struct err e = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/opsdeck", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/opsdeck/themes", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/opsdeck/themes/mine.theme", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("status.failed magenta\nstatus.running green bogus\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	theme_init(&t, "before");
	assert_int_equal(theme_load(&t, "mine", &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "mine.theme:2: unknown colour or attribute \"bogus\""));
	assert_string_equal(t.name, "before"); /* unchanged on error */
	assert_int_equal(theme_load(&t, "../etc/passwd", &e), OD_EINVAL);
	assert_int_equal(theme_load(&t, "no-such-theme", &e), OD_ENOENT);
	unlink(path);
	snprintf(path, sizeof(path), "%s/opsdeck/themes", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/opsdeck", dir);
	rmdir(path);
	rmdir(dir);
	setenv("XDG_CONFIG_HOME", "/nonexistent-opsdeck-test", 1);
}

static void test_color_mapping(void **state)
{
	bool bright;

	(void)state;
	assert_int_equal(palette_map_color(208, 256, &bright), 208);
	assert_false(bright);
	/* 196 is pure red: bright red on 16 colours, red plus bold on 8. */
	assert_int_equal(palette_map_color(196, 16, &bright), 9);
	assert_int_equal(palette_map_color(196, 8, &bright), 1);
	assert_true(bright);
	assert_int_equal(palette_map_color(12, 8, &bright), 4);
	assert_true(bright);
	assert_int_equal(palette_map_color(3, 8, &bright), 3);
	assert_false(bright);
	assert_int_equal(palette_map_color(THEME_COLOR_DEFAULT, 8, &bright), THEME_COLOR_DEFAULT);
	assert_int_equal(palette_map_color(232, 16, &bright), 0); /* near-black grey */
	assert_int_equal(palette_map_color(231, 16, &bright), 15); /* cube white */
	assert_int_equal(palette_map_color(255, 16, &bright), 7);  /* light grey */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_user_theme_and_bad_names),
		cmocka_unit_test(test_color_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
