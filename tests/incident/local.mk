# Incident tests (issue 11, headless half): TAP scripts against opsdeck-sim
# for triage and the incident commands, without a console running.
incident_script_tests = \
	tests/incident/triage.sh \
	tests/incident/incident.sh \
	tests/incident/evidence.sh
TESTS += $(incident_script_tests)
EXTRA_DIST += $(incident_script_tests) tests/incident/local.mk
