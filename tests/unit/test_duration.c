/*
 * test_duration.c: HumanDuration at every boundary of the table in
 * ../shared/KUBERNETES.md, and duration parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "opsdeck/duration.h"

#define S NS_PER_SEC
#define M (60 * S)
#define H (60 * M)
#define D (24 * H)
#define Y (365 * D)

struct hcase {
	int64_t ns;
	const char *want;
};

static const struct hcase human[] = {
	{ -2 * S, "<invalid>" },
	{ -1 * S - 1, "0s" },        /* int(-1.000000001) == -1: not below -1 */
	{ -1, "0s" },
	{ 0, "0s" },
	{ 999999999, "0s" },
	{ 1 * S, "1s" },
	{ 119 * S, "119s" },
	{ 120 * S, "2m" },
	{ 121 * S, "2m1s" },
	{ 9 * M + 59 * S, "9m59s" },
	{ 10 * M, "10m" },
	{ 10 * M + 30 * S, "10m" },
	{ 3 * H - 1 * S, "179m" },
	{ 3 * H, "3h" },
	{ 3 * H + 1 * M, "3h1m" },
	{ 7 * H + 59 * M, "7h59m" },
	{ 8 * H, "8h" },
	{ 8 * H + 59 * M, "8h" },
	{ 47 * H + 59 * M, "47h" },
	{ 48 * H, "2d" },
	{ 49 * H, "2d1h" },
	{ 8 * D - 1 * H, "7d23h" },
	{ 8 * D, "8d" },
	{ 8 * D + 5 * H, "8d" },
	{ 2 * Y - 1 * D, "729d" },
	{ 2 * Y, "2y" },
	{ 2 * Y + 30 * D, "2y30d" },
	{ 8 * Y - 1 * D, "7y364d" },
	{ 8 * Y, "8y" },
	{ 20 * Y + 100 * D, "20y" },
	{ INT64_MAX, "292y" },
};

static void test_human(void **state)
{
	char buf[DURATION_HUMAN_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(human) / sizeof(human[0]); i++) {
		duration_format_human(human[i].ns, buf, sizeof(buf));
		if (strcmp(buf, human[i].want) != 0)
			fail_msg("%lld ns: got %s, want %s", (long long)human[i].ns, buf,
				 human[i].want);
	}
}

struct pcase {
	const char *in;
	int64_t ns;
};

static const struct pcase parse[] = {
	{ "0", 0 },
	{ "1s", S },
	{ "300ms", 300000000 },
	{ "1.5h", 90 * M },
	{ "2h45m", 2 * H + 45 * M },
	{ "-1m", -M },
	{ "+5s", 5 * S },
	{ "7d", 7 * D },
	{ "1w", 7 * D },
	{ "1d12h", D + 12 * H },
	{ "10us", 10000 },
	{ "10\xc2\xb5s", 10000 },
	{ "3ns", 3 },
	{ ".5s", 500000000 },
	{ "1.s", S },
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse) / sizeof(parse[0]); i++) {
		int64_t v = -42;
		struct err e = { 0 };
		if (duration_parse(parse[i].in, &v, &e) != OD_OK)
			fail_msg("%s: %s", parse[i].in, e.msg);
		if (v != parse[i].ns)
			fail_msg("%s: got %lld, want %lld", parse[i].in, (long long)v,
				 (long long)parse[i].ns);
	}
}

static void test_parse_malformed(void **state)
{
	static const char *const bad[] = { "", "s", "5", "5x", "1h 2m", "h1", "-", ".s", "5ss",
					   "1.2.3s", "10y" };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v;
		struct err e = { 0 };
		if (duration_parse(bad[i], &v, &e) != OD_EPARSE)
			fail_msg("\"%s\" was accepted", bad[i]);
		char want[32];
		snprintf(want, sizeof(want), "\"%s\"", bad[i]);
		assert_non_null(strstr(e.msg, want));
	}
	int64_t v;
	struct err e = { 0 };
	assert_int_equal(duration_parse("99999999999999999h", &v, &e), OD_ERANGE);
	assert_int_equal(duration_parse("3000000h", &v, &e), OD_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
