# Action engine tests (issue 9): cmocka for the pure parts (names, step-wise
# suggestion, patches, rollout status, history), TAP scripts against
# opsdeck-sim for every action, refusal and the audit log.
ACTIONS_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
ACTIONS_TEST_LDADD = libodactions.a libodstore.a libodkube.a libodcore.a $(CJSON_LIBS) \
	$(CURL_LIBS) $(SQLITE_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS) $(CMOCKA_LIBS) -lm

check_PROGRAMS += tests/actions/test_actions
TESTS += tests/actions/test_actions
tests_actions_test_actions_CFLAGS = $(ACTIONS_TEST_CFLAGS)
tests_actions_test_actions_LDADD = $(ACTIONS_TEST_LDADD)

actions_script_tests = \
	tests/actions/workloads.sh \
	tests/actions/snapshots.sh \
	tests/actions/audit_verify.sh
TESTS += $(actions_script_tests)
EXTRA_DIST += $(actions_script_tests) tests/actions/local.mk tests/actions/act-lib.sh
