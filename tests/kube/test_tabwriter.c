/*
 * test_tabwriter.c: kubectl's column layout (Go's tabwriter as kubectl sets
 * it up), against outputs taken from kubectl itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "opsdeck/tabwriter.h"

static void expect_layout(const char *in, const char *want)
{
	struct buf out;
	struct err e = { 0 };

	buf_init(&out, 1 << 20);
	assert_int_equal(tabwriter_format(in, strlen(in), &TABWRITER_KUBECTL, &out, &e), OD_OK);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
}

/* What `kubectl config get-contexts` printed for tests/kube/fixtures basic.yaml:second.yaml. */
static void test_get_contexts_table(void **state)
{
	(void)state;
	expect_layout("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n"
		      "*\tdev\tdev-cluster\tdev-user\tteam-a\n"
		      "\tprod\tprod-cluster\tprod-user\t\n"
		      "\tstage\tdev-cluster\tbasic\t\n",
		      "CURRENT   NAME    CLUSTER        AUTHINFO    NAMESPACE\n"
		      "*         dev     dev-cluster    dev-user    team-a\n"
		      "          prod    prod-cluster   prod-user   \n"
		      "          stage   dev-cluster    basic       \n");
}

static void test_min_width_and_runes(void **state)
{
	(void)state;
	expect_layout("\ta\n*\tb\n", "      a\n*     b\n");
	expect_layout("\xc3\xbc\tx\nab\ty\n", "\xc3\xbc     x\nab    y\n");
	expect_layout("a\tb", "a     b");
	expect_layout("", "");
	assert_int_equal(tabwriter_rune_count("\xc3\xbc\xff" "a", 4), 3);   /* invalid byte counts one */
}

/*
 * A column block ends at a line that lacks the column (its last cell does
 * not count): here column 1 is two blocks, one per side of "x\ty". Column
 * widths only grow (RememberWidths), so a narrow later block keeps the width
 * of a wider earlier one.
 */
static void test_column_blocks(void **state)
{
	(void)state;
	expect_layout("aaaaaaaaaa\tb\tc\nx\ty\n" "short\tzzzzzzzzzzzz\tw\n",
		      "aaaaaaaaaa   b     c\n"
		      "x            y\n"
		      "short        zzzzzzzzzzzz   w\n");
	expect_layout("a\twide-column-cell\tc\nx\ty\ns\tn\tw\n",
		      "a     wide-column-cell   c\n"
		      "x     y\n"
		      "s     n                  w\n");
}

/* A one-cell line flushes; RememberWidths keeps the wider column afterwards. */
static void test_flush_remembers_widths(void **state)
{
	(void)state;
	expect_layout("aaaaaaaa\tb\nsolo\nc\td\n", "aaaaaaaa   b\nsolo\nc          d\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_contexts_table),
		cmocka_unit_test(test_min_width_and_runes),
		cmocka_unit_test(test_column_blocks),
		cmocka_unit_test(test_flush_remembers_widths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
