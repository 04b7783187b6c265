/*
 * test_settings.c: config.yaml: defaults, per-context overrides, and a
 * "file:line: field: problem" message for every kind of mistake.
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

#include "opsdeck/settings.h"

#define SEC INT64_C(1000000000)
#define HOUR (3600 * SEC)
#define DAY (24 * HOUR)

static struct settings *parse_ok(const char *text)
{
	struct settings *s = NULL;
	struct err e = { 0 };
	if (settings_parse("config.yaml", text, strlen(text), &s, &e) != OD_OK)
		fail_msg("unexpected error: %s", e.msg);
	return s;
}

static void test_builtin_defaults(void **state)
{
	struct settings *s = parse_ok("");
	struct context_settings c;

	(void)state;
	settings_for_context(s, "anything", &c);
	assert_null(c.name);
	assert_false(c.read_only);
	assert_false(c.protected_);
	assert_null(c.prometheus_url);
	assert_int_equal(c.nprofiles, 0);
	assert_int_equal(c.collect_interval_ns, 15 * SEC);
	assert_int_equal(c.collect_pvc_interval_ns, 60 * SEC);
	assert_int_equal(c.retain_raw_ns, 48 * HOUR);
	assert_int_equal(c.retain_5m_ns, 90 * DAY);
	assert_int_equal(c.retain_1h_ns, 730 * DAY);
	settings_free(&s);
	assert_null(s);
}

static void test_overrides(void **state)
{
	static const char text[] =
		"defaults:\n"
		"  theme: solarized-dark\n"
		"  collector: {interval: 30s}\n"
		"  profiles: [matter-server]\n"
		"contexts:\n"
		"  prod:\n"
		"    readOnly: true\n"
		"    protected: true\n"
		"    prometheus: https://prom.example.org:9090\n"
		"    alertmanager: http://am.example.org\n"
		"    profiles: [synapse, matrixon]\n"
		"    retention:\n"
		"      raw: 24h\n"
		"      hourly: 365d\n"
		"  lab:\n"
		"    collector:\n"
		"      interval: 5s\n"
		"      pvcInterval: 2m\n";
	struct settings *s = parse_ok(text);
	struct context_settings c;

	(void)state;
	settings_for_context(s, "prod", &c);
	assert_string_equal(c.name, "prod");
	assert_true(c.read_only);
	assert_true(c.protected_);
	assert_string_equal(c.prometheus_url, "https://prom.example.org:9090");
	assert_string_equal(c.alertmanager_url, "http://am.example.org");
	assert_int_equal(c.nprofiles, 2);
	assert_string_equal(c.profiles[0], "synapse");
	assert_string_equal(c.profiles[1], "matrixon");
	assert_string_equal(c.theme, "solarized-dark");        /* from defaults */
	assert_int_equal(c.collect_interval_ns, 30 * SEC);      /* from defaults */
	assert_int_equal(c.retain_raw_ns, 24 * HOUR);
	assert_int_equal(c.retain_5m_ns, 90 * DAY);             /* built-in */
	assert_int_equal(c.retain_1h_ns, 365 * DAY);

	settings_for_context(s, "lab", &c);
	assert_false(c.read_only);
	assert_int_equal(c.collect_interval_ns, 5 * SEC);
	assert_int_equal(c.collect_pvc_interval_ns, 120 * SEC);
	assert_int_equal(c.nprofiles, 1);
	assert_string_equal(c.profiles[0], "matter-server");

	settings_for_context(s, "elsewhere", &c);              /* defaults only */
	assert_null(c.name);
	assert_null(c.prometheus_url);
	assert_int_equal(c.collect_interval_ns, 30 * SEC);
	settings_free(&s);
}

struct bad_case {
	const char *text;
	const char *want;
};

static const struct bad_case bad[] = {
	{ "colour: red\n", "config.yaml:1: colour: unknown key (known: defaults, contexts)" },
	{ "contexts:\n  prod:\n    readonly: true\n", "config.yaml:3: readonly: unknown key" },
	{ "contexts:\n  prod:\n    readOnly: maybe\n", "config.yaml:3: readOnly: must be true or false" },
	{ "defaults:\n  prometheus: prom:9090\n", "config.yaml:2: prometheus: must be an http:// or https:// URL" },
	{ "defaults:\n  collector:\n    interval: soon\n", "config.yaml:3: collector.interval: invalid duration \"soon\"" },
	{ "defaults:\n  collector:\n    interval: 100ms\n", "config.yaml:3: collector.interval: must be at least 1s" },
	{ "defaults:\n  retention:\n    raw: 10m\n", "config.yaml:3: retention.raw: must be at least 3600s" },
	{ "defaults:\n  retention:\n    weekly: 9d\n", "config.yaml:3: weekly: unknown key in retention" },
	{ "defaults:\n  profiles: synapse\n", "config.yaml:2: profiles: must be a list of profile names" },
	{ "defaults:\n  profiles: [\"a/b\"]\n", "config.yaml:2: profiles: must be a non-empty name" },
	{ "contexts:\n  a: {}\n  a: {}\n", "config.yaml:3: a: context is listed twice" },
	{ "contexts: [a, b]\n", "config.yaml:1: contexts: must be a map" },
	{ "- just\n- a list\n", "config.yaml:1: config: must be a map" },
	{ "defaults:\n  theme: [a]\n", "config.yaml:2: theme: must be a single value" },
	{ "defaults: {prometheus: \"http://x\"\n", "config.yaml:" },
	{ "defaults:\n  retention: {raw: 100d}\n", "config.yaml: defaults: retention: raw must not outlast fiveMinute" },
	{ "contexts:\n  p:\n    retention: {hourly: 30d}\n", "config.yaml: p: retention: raw must not outlast fiveMinute, nor fiveMinute outlast hourly" },
	{ "a: &x [*x]\n", "config.yaml:1: a: unknown key" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct settings *s = (struct settings *)1;
		struct err e = { 0 };
		enum od_status rc = settings_parse("config.yaml", bad[i].text, strlen(bad[i].text),
						   &s, &e);
		if (rc != OD_ECONFIG)
			fail_msg("case %zu was accepted (%d)", i, rc);
		assert_null(s);
		if (strncmp(e.msg, bad[i].want, strlen(bad[i].want)) != 0)
			fail_msg("case %zu: got \"%s\", want prefix \"%s\"", i, e.msg, bad[i].want);
	}
}

static void test_load_files(void **state)
{
	char dir[] = "/tmp/opsdeck-settings.XXXXXX";
	char path[256];
	struct settings *s = NULL;
	struct context_settings c;
	struct err e = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A missing file means built-in defaults, not an error. */
	snprintf(path, sizeof(path), "%s/missing.yaml", dir);
	assert_int_equal(settings_load(path, &s, &e), OD_OK);
	settings_for_context(s, "x", &c);
	assert_int_equal(c.collect_interval_ns, 15 * SEC);
	assert_string_equal(settings_path(s), path);
	settings_free(&s);

	/* The default location follows XDG_CONFIG_HOME. */
	char cfgdir[300];
	snprintf(cfgdir, sizeof(cfgdir), "%s/opsdeck", dir);
	assert_int_equal(mkdir(cfgdir, 0700), 0);
	snprintf(path, sizeof(path), "%s/opsdeck/config.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("contexts:\n  sim:\n    readOnly: true\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(settings_load(NULL, &s, &e), OD_OK);
	assert_string_equal(settings_path(s), path);
	settings_for_context(s, "sim", &c);
	assert_true(c.read_only);
	settings_free(&s);

	/* A malformed file names itself and the line. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("contexts:\n  sim:\n    readOnly: 3\n", f);
	fclose(f);
	assert_int_equal(settings_load(path, &s, &e), OD_ECONFIG);
	assert_non_null(strstr(e.msg, "config.yaml:3: readOnly: must be true or false"));
	assert_null(s);
	unlink(path);
	rmdir(cfgdir);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
