# Simulator tests (issue 3/4).

# Unit tests (cmocka): the selector module (core), the sim's patch code, store and router.
check_PROGRAMS += tests/sim/test_selector tests/sim/test_patch tests/sim/test_store
TESTS += tests/sim/test_selector tests/sim/test_patch tests/sim/test_store
tests_sim_test_selector_CFLAGS = $(UNIT_CFLAGS)
tests_sim_test_selector_LDADD = $(UNIT_LDADD)
tests_sim_test_patch_CFLAGS = $(UNIT_CFLAGS) $(CJSON_CFLAGS)
tests_sim_test_patch_LDADD = libodsim.a $(UNIT_LDADD) $(CJSON_LIBS)
tests_sim_test_store_CFLAGS = $(UNIT_CFLAGS) $(CJSON_CFLAGS)
tests_sim_test_store_LDADD = libodsim.a $(UNIT_LDADD) $(CJSON_LIBS)

# Integration tests: opsdeck-sim on 127.0.0.1, driven by kubectl and curl.
sim_script_tests = \
	tests/sim/api.sh \
	tests/sim/faults.sh \
	tests/sim/golden.sh \
	tests/sim/kubectl_http.sh \
	tests/sim/kubectl_tls_cert.sh \
	tests/sim/kubectl_tls_token.sh \
	tests/sim/manifests.sh \
	tests/sim/metrics.sh \
	tests/sim/rollout_recreate.sh \
	tests/sim/runbook_commands.sh \
	tests/sim/scale.sh
TESTS += $(sim_script_tests)
EXTRA_DIST += $(sim_script_tests) tests/sim/local.mk tests/sim/sim-lib.sh \
	tests/sim/kubectl-suite.sh tests/sim/small.yaml tests/sim/manifests.json \
	tests/sim/golden/pods-wide.txt \
	tests/sim/runbook_extract.py tests/sim/runbook_commands.expected-failures
