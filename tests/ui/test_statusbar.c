/*
 * test_statusbar.c: the status bar shows what the model knows and leaves out
 * what it does not: context, namespace, profile, API round trip or "stale
 * since HH:MM", READ-ONLY, due badges and the incident clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsdeck/ui_statusbar.h"

static void test_empty_model(void **state)
{
	struct status_model m;
	char out[512];

	(void)state;
	status_model_init(&m);
	statusbar_format(&m, 1000, out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_all_fields(void **state)
{
	struct status_model m;
	char out[512];

	(void)state;
	status_model_init(&m);
	strcpy(m.context, "kind-prod");
	strcpy(m.namespace_, "matrix");
	strcpy(m.profile, "synapse");
	m.rtt_ms = 23;
	m.read_only = true;
	m.checks_due = 2;
	m.checks_overdue = 1;
	m.incident_start = 1795100000 - 3725;
	statusbar_format(&m, 1795100000, out, sizeof(out));
	assert_string_equal(out, "ctx kind-prod  ns matrix  profile synapse  api 23ms  READ-ONLY  "
				 "INCIDENT 01:02:05  1 overdue  2 due");
}

static void test_incident_clock(void **state)
{
	struct status_model m;
	char out[512];

	(void)state;
	status_model_init(&m);
	m.incident_start = 1795100000 - 751;
	m.incident_id = 3;
	strcpy(m.incident_severity, "P1");
	statusbar_format(&m, 1795100000, out, sizeof(out));
	assert_string_equal(out, "INC#3 P1 00:12:31");
}

static void test_stale_replaces_rtt(void **state)
{
	struct status_model m;
	char out[512];

	(void)state;
	status_model_init(&m);
	m.rtt_ms = 40;
	m.stale_since = 1795099980; /* 14:53 UTC */
	statusbar_format(&m, 1795100000, out, sizeof(out));
	assert_string_equal(out, "stale since 14:53");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_stale_replaces_rtt),
		cmocka_unit_test(test_incident_clock),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
