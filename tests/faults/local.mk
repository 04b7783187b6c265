# Fault suite (issue 13): cases the older tests did not cover (see
# docs/faults.md for the full list and where each case is tested).
faults_tests = \
	tests/faults/watch410_storm.sh \
	tests/faults/kill_action.sh \
	tests/faults/store_faults.sh \
	tests/faults/console_faults.sh
TESTS += $(faults_tests)
EXTRA_DIST += tests/faults/local.mk $(faults_tests)
