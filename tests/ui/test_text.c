/*
 * test_text.c: UTF-8 decoding, display widths and ellipsis cutting: the
 * guarantee that no text runs out of its box.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <string.h>

#include "opsdeck/ui_text.h"

static void test_fit_short_and_exact(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_fit(out, sizeof(out), "pod", 10, false), 3);
	assert_string_equal(out, "pod");
	assert_int_equal(text_fit(out, sizeof(out), "abcdef", 6, false), 6);
	assert_string_equal(out, "abcdef");
	assert_int_equal(text_fit(out, sizeof(out), "abc", 0, false), 0);
	assert_string_equal(out, "");
}

static void test_fit_cuts_with_ellipsis(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_fit(out, sizeof(out), "synapse-media-7d9f", 8, false), 8);
	assert_string_equal(out, "synapse\xE2\x80\xA6");
	assert_int_equal(text_fit(out, sizeof(out), "synapse-media-7d9f", 8, true), 8);
	assert_string_equal(out, "synapse~");
	assert_int_equal(text_fit(out, sizeof(out), "ab", 1, true), 1);
	assert_string_equal(out, "~");
}

static void test_fit_utf8_and_wide(void **state)
{
	char out[64];

	(void)state;
	/* "añb" is 3 columns; cut to 2 keeps "a" and the ellipsis. */
	assert_int_equal(text_width("a\xC3\xB1" "b", false), 3);
	assert_int_equal(text_fit(out, sizeof(out), "a\xC3\xB1" "bc", 3, false), 3);
	assert_string_equal(out, "a\xC3\xB1\xE2\x80\xA6");
	/* CJK takes two columns and is never split in half. */
	assert_int_equal(text_width("\xE6\x97\xA5\xE6\x9C\xAC", false), 4);
	assert_int_equal(text_fit(out, sizeof(out), "\xE6\x97\xA5\xE6\x9C\xAC" "x", 4, false), 3);
	assert_string_equal(out, "\xE6\x97\xA5\xE2\x80\xA6");
	/* In ASCII mode every non-ASCII character is one '?'. */
	assert_int_equal(text_fit(out, sizeof(out), "a\xC3\xB1" "b", 10, true), 3);
	assert_string_equal(out, "a?b");
}

static void test_control_and_broken_bytes(void **state)
{
	char out[64];
	uint32_t cp;

	(void)state;
	/* An escape sequence in a pod name or log line must not reach the terminal. */
	text_fit(out, sizeof(out), "x\033[2Jy\n", 20, false);
	assert_string_equal(out, "x?[2Jy?");
	assert_int_equal(text_decode("\xC3", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xC0\xAF", 2, &cp), 1); /* overlong '/' */
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_decode("\xED\xA0\x80", 3, &cp), 1); /* surrogate */
	text_fit(out, sizeof(out), "a\xFF" "b", 20, false);
	assert_string_equal(out, "a?b");
}

static void test_small_buffer(void **state)
{
	char out[6];
	int w;

	(void)state;
	/* The output buffer is the limit too: it still ends in an ellipsis and a NUL. */
	w = text_fit(out, sizeof(out), "abcdefghij", 20, false);
	assert_true(strlen(out) < sizeof(out));
	assert_int_equal(w, text_width(out, false));
	assert_non_null(strstr(out, "\xE2\x80\xA6"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_short_and_exact),
		cmocka_unit_test(test_fit_cuts_with_ellipsis),
		cmocka_unit_test(test_fit_utf8_and_wide),
		cmocka_unit_test(test_control_and_broken_bytes),
		cmocka_unit_test(test_small_buffer),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
