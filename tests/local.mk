# Tests. Unit tests are cmocka programs (TAP output); integration and screen
# tests are TAP shell scripts. Each area may add its own fragment below.
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LDADD = libodcore.a $(CMOCKA_LIBS) -lm

core_unit_tests = \
	tests/unit/test_err \
	tests/unit/test_buf \
	tests/unit/test_timeutil \
	tests/unit/test_duration \
	tests/unit/test_quantity \
	tests/unit/test_paths \
	tests/unit/test_log \
	tests/unit/test_loop \
	tests/unit/test_textfile
check_PROGRAMS += $(core_unit_tests)
TESTS += $(core_unit_tests)

tests_unit_test_err_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_err_LDADD = $(UNIT_LDADD)
tests_unit_test_buf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_buf_LDADD = $(UNIT_LDADD)
tests_unit_test_timeutil_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_timeutil_LDADD = $(UNIT_LDADD)
tests_unit_test_duration_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_duration_LDADD = $(UNIT_LDADD)
tests_unit_test_quantity_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_quantity_LDADD = $(UNIT_LDADD)
tests_unit_test_paths_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_paths_LDADD = $(UNIT_LDADD)
tests_unit_test_log_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_log_LDADD = $(UNIT_LDADD)
tests_unit_test_loop_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_loop_LDADD = $(UNIT_LDADD)
tests_unit_test_textfile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_textfile_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_settings
TESTS += tests/unit/test_settings
tests_unit_test_settings_CFLAGS = $(UNIT_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_settings_LDADD = libodsettings.a $(UNIT_LDADD) $(YAML_LIBS)

TESTS += tests/cli/version.sh tests/sim/scenario_lint.sh
EXTRA_DIST += tests/cli/version.sh tests/local.mk tests/sim/scenario_lint.sh

include $(srcdir)/tests/sim/local.mk
include $(srcdir)/tests/kube/local.mk
include $(srcdir)/tests/net/local.mk
include $(srcdir)/tests/store/local.mk
include $(srcdir)/tests/ui/local.mk
include $(srcdir)/tests/runbook/local.mk
include $(srcdir)/tests/collect/local.mk
include $(srcdir)/tests/actions/local.mk
include $(srcdir)/tests/incident/local.mk
include $(srcdir)/tests/security/local.mk
include $(srcdir)/tests/alerts/local.mk
include $(srcdir)/tests/valgrind/local.mk
include $(srcdir)/tests/faults/local.mk
