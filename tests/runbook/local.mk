# Tests of profiles, checks and schedules.
RUNBOOK_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
RUNBOOK_TEST_LDADD = libodrunbook.a libodcore.a $(YAML_LIBS) $(CMOCKA_LIBS) -lm

runbook_unit_tests = \
	tests/runbook/test_profile \
	tests/runbook/test_schedule \
	tests/runbook/test_judge
check_PROGRAMS += $(runbook_unit_tests) tests/runbook/test_coverage tests/runbook/profile_names
TESTS += $(runbook_unit_tests) tests/runbook/coverage.sh tests/runbook/sim-names.sh
EXTRA_DIST += tests/runbook/local.mk tests/runbook/coverage.sh tests/runbook/sim-names.sh

tests_runbook_test_profile_CFLAGS = $(RUNBOOK_TEST_CFLAGS)
tests_runbook_test_profile_LDADD = $(RUNBOOK_TEST_LDADD)
tests_runbook_test_schedule_CFLAGS = $(RUNBOOK_TEST_CFLAGS)
tests_runbook_test_schedule_LDADD = $(RUNBOOK_TEST_LDADD)
tests_runbook_test_judge_CFLAGS = $(RUNBOOK_TEST_CFLAGS)
tests_runbook_test_judge_LDADD = $(RUNBOOK_TEST_LDADD)
tests_runbook_test_coverage_CFLAGS = $(RUNBOOK_TEST_CFLAGS)
tests_runbook_test_coverage_LDADD = $(RUNBOOK_TEST_LDADD)
tests_runbook_profile_names_CFLAGS = $(AM_CFLAGS)
tests_runbook_profile_names_LDADD = libodrunbook.a libodcore.a $(YAML_LIBS) -lm

# The check runner, runs, due state and reports (against opsdeck-sim).
check_PROGRAMS += tests/runbook/seed_store
tests_runbook_seed_store_CFLAGS = $(AM_CFLAGS)
tests_runbook_seed_store_LDADD = libodstore.a libodcore.a $(SQLITE_LIBS) $(CRYPTO_LIBS) -lm
TESTS += tests/runbook/checks_sim.sh tests/runbook/resume.sh tests/runbook/due.sh tests/runbook/weekly.sh
EXTRA_DIST += tests/runbook/checks_sim.sh tests/runbook/resume.sh tests/runbook/due.sh tests/runbook/rb-lib.sh tests/runbook/data/rbtest.yaml \
	tests/runbook/data/profiles/rbtest.yaml tests/runbook/weekly.sh tests/runbook/golden/weekly-rbtest.md

check_PROGRAMS += tests/runbook/test_checks
TESTS += tests/runbook/test_checks
tests_runbook_test_checks_CFLAGS = $(RUNBOOK_TEST_CFLAGS) $(CJSON_CFLAGS)
tests_runbook_test_checks_LDADD = libodrunbook.a libodstore.a libodcore.a $(YAML_LIBS) $(CJSON_LIBS) \
	$(SQLITE_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS) -lm
