# Kubernetes client tests (issue 5): kubeconfig, pod printer rules, and the
# config commands compared with kubectl.
KUBE_UNIT_CFLAGS = $(UNIT_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
KUBE_UNIT_LDADD = libodkube.a libodcore.a $(CMOCKA_LIBS) $(CJSON_LIBS) $(YAML_LIBS) -lm

kube_unit_tests = \
	tests/kube/test_jsonarena \
	tests/kube/test_kubeconfig \
	tests/kube/test_podstatus \
	tests/kube/test_tabwriter
check_PROGRAMS += $(kube_unit_tests)
TESTS += $(kube_unit_tests)

tests_kube_test_jsonarena_CFLAGS = $(KUBE_UNIT_CFLAGS)
tests_kube_test_jsonarena_LDADD = $(KUBE_UNIT_LDADD)
tests_kube_test_kubeconfig_CFLAGS = $(KUBE_UNIT_CFLAGS)
tests_kube_test_kubeconfig_LDADD = $(KUBE_UNIT_LDADD)
tests_kube_test_podstatus_CFLAGS = $(KUBE_UNIT_CFLAGS)
tests_kube_test_podstatus_LDADD = $(KUBE_UNIT_LDADD)
tests_kube_test_tabwriter_CFLAGS = $(KUBE_UNIT_CFLAGS)
tests_kube_test_tabwriter_LDADD = $(KUBE_UNIT_LDADD)

TESTS += tests/kube/config_kubectl.sh
EXTRA_DIST += tests/kube/config_kubectl.sh tests/kube/fixtures tests/kube/local.mk

# kubectl's output formats (src/cli/printer.c, built into opsdeck, so compiled here too).
check_PROGRAMS += tests/kube/test_printer
TESTS += tests/kube/test_printer
tests_kube_test_printer_SOURCES = tests/kube/test_printer.c src/cli/printer.c
tests_kube_test_printer_CFLAGS = $(KUBE_UNIT_CFLAGS)
tests_kube_test_printer_LDADD = $(KUBE_UNIT_LDADD)

# Headless commands (get, describe, logs, top) compared with kubectl on the sim,
# over HTTP, HTTPS with a client certificate, a token, and an exec plugin.
kube_headless_tests = \
	tests/kube/headless_http.sh \
	tests/kube/headless_tls_cert.sh \
	tests/kube/headless_tls_token.sh \
	tests/kube/headless_tls_exec.sh \
	tests/kube/headless_scenarios.sh \
	tests/kube/headless_top.sh
TESTS += $(kube_headless_tests)
EXTRA_DIST += $(kube_headless_tests) tests/kube/headless-suite.sh tests/kube/headless-lib.sh \
	tests/kube/headless
