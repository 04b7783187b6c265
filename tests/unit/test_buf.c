/*
 * test_buf.c: capped buffers never grow past their cap and stay NUL-terminated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/buf.h"

static void test_append_and_cap(void **state)
{
	struct buf b;
	struct err e = { 0 };

	(void)state;
	buf_init(&b, 10);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_append_str(&b, "hello", &e), OD_OK);
	assert_int_equal(buf_printf(&b, &e, "%d%d", 12, 34), OD_OK);
	assert_string_equal(buf_cstr(&b), "hello1234");
	assert_int_equal(buf_append(&b, "x", 1, &e), OD_OK);
	assert_int_equal(b.len, 10);
	/* One byte past the cap fails, names the cap, and changes nothing. */
	assert_int_equal(buf_append(&b, "y", 1, &e), OD_ELIMIT);
	assert_non_null(strstr(e.msg, "10-byte limit"));
	assert_int_equal(buf_printf(&b, &e, "%s", "z"), OD_ELIMIT);
	assert_string_equal(buf_cstr(&b), "hello1234x");
	assert_true(b.cap <= b.max + 1);
	buf_free(&b);
	assert_null(b.data);
}

static void test_consume_and_detach(void **state)
{
	struct buf b;
	size_t len;

	(void)state;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, NULL, "line %d\n", i), OD_OK);
	char *nl = strchr(b.data, '\n');
	buf_consume(&b, (size_t)(nl - b.data) + 1);
	assert_int_equal(strncmp(buf_cstr(&b), "line 1\n", 7), 0);
	buf_consume(&b, b.len + 5);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_append(&b, "abc", 3, NULL), OD_OK);
	char *p = buf_detach(&b, &len);
	assert_int_equal(len, 3);
	assert_string_equal(p, "abc");
	assert_null(b.data);
	free(p);
	p = buf_detach(&b, &len);  /* an empty buffer still hands back "" */
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	buf_reset(&b);
	buf_free(&b);
}

static void test_binary_data(void **state)
{
	struct buf b;
	const char raw[] = { 'a', '\0', 'b' };

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_append(&b, raw, sizeof(raw), NULL), OD_OK);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, raw, 3);
	assert_int_equal(b.data[3], '\0');
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_cap),
		cmocka_unit_test(test_consume_and_detach),
		cmocka_unit_test(test_binary_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
