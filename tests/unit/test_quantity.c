/*
 * test_quantity.c: Kubernetes quantities, parsed, rounded and printed as
 * apimachinery does (values checked by hand against resource.Quantity).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/quantity.h"

struct qcase {
	const char *in;
	int64_t milli;
	int64_t value;
	const char *canonical;
};

static const struct qcase cases[] = {
	/* CPU forms */
	{ "0", 0, 0, "0" },
	{ "1", 1000, 1, "1" },
	{ "250m", 250, 1, "250m" },
	{ "1000m", 1000, 1, "1" },
	{ "1500m", 1500, 2, "1500m" },
	{ "0.5", 500, 1, "500m" },
	{ ".5", 500, 1, "500m" },
	{ "1.", 1000, 1, "1" },
	{ "2.25", 2250, 3, "2250m" },
	{ "100u", 1, 1, "100u" },
	{ "1n", 1, 1, "1n" },
	{ "500000n", 1, 1, "500u" },
	{ "1000000n", 1, 1, "1m" },
	{ "0.1n", 1, 1, "1n" },           /* rounds up to the nano floor */
	{ "+3", 3000, 3, "3" },
	{ "-1", -1000, -1, "-1" },
	{ "-250m", -250, -1, "-250m" },
	{ "-1.5", -1500, -2, "-1500m" },  /* rounds away from zero */
	/* memory forms */
	{ "128Mi", 134217728000, 134217728, "128Mi" },
	{ "1Gi", 1073741824000, 1073741824, "1Gi" },
	{ "1024Mi", 1073741824000, 1073741824, "1Gi" },
	{ "1.5Gi", 1610612736000, 1610612736, "1536Mi" },
	{ "0.5Ki", 512000, 512, "512" },   /* below 1024: decimal */
	{ "1Ki", 1024000, 1024, "1Ki" },
	{ "1536", 1536000, 1536, "1536" }, /* decimal stays decimal */
	{ "2Ti", 2199023255552000, 2199023255552, "2Ti" },
	{ "1k", 1000000, 1000, "1k" },
	{ "1M", 1000000000, 1000000, "1M" },
	{ "1500M", 1500000000000, 1500000000, "1500M" },
	{ "2G", 2000000000000, 2000000000, "2G" },
	{ "1T", 1000000000000000, 1000000000000, "1T" },
	{ "5Gi", 5368709120000, 5368709120, "5Gi" },
	{ "1Ei", INT64_MAX, INT64_C(1152921504606846976), "1Ei" },
	/* exponent forms */
	{ "1e3", 1000000, 1000, "1e3" },
	{ "1E3", 1000000, 1000, "1e3" },
	{ "12e6", 12000000000, 12000000, "12e6" },
	{ "1e-3", 1, 1, "1e-3" },
	{ "1.5e3", 1500000, 1500, "1500" },
	{ "100e0", 100000, 100, "100" },
	/* many digits: precision beyond 18 significant digits rounds up */
	{ "123456789012345678901", INT64_MAX, INT64_MAX, "9223372036854775807" },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct quantity q;
		struct err e = { 0 };
		char buf[QUANTITY_STR_MAX];

		if (quantity_parse(cases[i].in, &q, &e) != OD_OK)
			fail_msg("%s: %s", cases[i].in, e.msg);
		if (quantity_milli(&q) != cases[i].milli)
			fail_msg("%s: milli %lld, want %lld", cases[i].in,
				 (long long)quantity_milli(&q), (long long)cases[i].milli);
		if (quantity_value(&q) != cases[i].value)
			fail_msg("%s: value %lld, want %lld", cases[i].in,
				 (long long)quantity_value(&q), (long long)cases[i].value);
		quantity_format_canonical(&q, buf, sizeof(buf));
		if (strcmp(buf, cases[i].canonical) != 0)
			fail_msg("%s: canonical %s, want %s", cases[i].in, buf, cases[i].canonical);
	}
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "m", "Mi", "-", "+", ".", "1K", "1mi", "1 Gi", " 1", "1Gi ", "abc", "1.2.3",
		"1e", "1e+", "1ee3", "1Gie3", "0x10", "1,5", "1e5000", "--1", "1m1", "∞",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct quantity q;
		struct err e = { 0 };
		if (quantity_parse(bad[i], &q, &e) != OD_EPARSE)
			fail_msg("\"%s\" was accepted", bad[i]);
		/* The message names the input, so the user sees what was wrong. */
		char want[64];
		snprintf(want, sizeof(want), "\"%s\"", bad[i]);
		assert_non_null(strstr(e.msg, want));
	}
	assert_int_equal(quantity_parse(NULL, &(struct quantity){ 0 }, NULL), OD_EINVAL);
}

static void test_helpers(void **state)
{
	int64_t v;
	char buf[QUANTITY_STR_MAX];

	(void)state;
	assert_true(quantity_parse_milli("200m", &v));
	assert_int_equal(v, 200);
	assert_true(quantity_parse_value("512Mi", &v));
	assert_int_equal(v, 536870912);
	assert_false(quantity_parse_value("lots", &v));

	quantity_format_cpu_milli(87, buf, sizeof(buf));
	assert_string_equal(buf, "87m");
	quantity_format_mem_mi(268435456 + 1048575, buf, sizeof(buf)); /* truncates like kubectl top */
	assert_string_equal(buf, "256Mi");
	quantity_format_mem_mi(0, buf, sizeof(buf));
	assert_string_equal(buf, "0Mi");

	quantity_format_bytes(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	quantity_format_bytes(1023, buf, sizeof(buf));
	assert_string_equal(buf, "1023");
	quantity_format_bytes(1024, buf, sizeof(buf));
	assert_string_equal(buf, "1Ki");
	quantity_format_bytes(1610612736, buf, sizeof(buf));
	assert_string_equal(buf, "1.5Gi");
	quantity_format_bytes(5368709120, buf, sizeof(buf));
	assert_string_equal(buf, "5Gi");
	quantity_format_bytes(-2048, buf, sizeof(buf));
	assert_string_equal(buf, "-2Ki");
	quantity_format_bytes(INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "8Ei");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
