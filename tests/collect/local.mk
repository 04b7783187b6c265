# Collector tests (issue 6): cmocka for the parsers, TAP shell scripts against
# opsdeck-sim for the collector and the history commands.
COLLECT_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
COLLECT_TEST_LDADD = libodcollect.a libodrunbook.a libodui.a libodactions.a libodsettings.a libodstore.a \
	libodkube.a libodcore.a $(CMOCKA_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(YAML_LIBS) \
	$(SQLITE_LIBS) $(CRYPTO_LIBS) $(NCURSES_LIBS) $(ZLIB_LIBS) -lm

check_PROGRAMS += tests/collect/test_collect_metrics
TESTS += tests/collect/test_collect_metrics
tests_collect_test_collect_metrics_CFLAGS = $(COLLECT_TEST_CFLAGS)
tests_collect_test_collect_metrics_LDADD = $(COLLECT_TEST_LDADD)

collect_shell_tests = \
	tests/collect/collect.sh \
	tests/collect/import.sh \
	tests/collect/crash.sh \
	tests/collect/concurrent.sh \
	tests/collect/metrics.sh \
	tests/collect/fake_metrics.sh
TESTS += $(collect_shell_tests)
EXTRA_DIST += tests/collect/local.mk tests/collect/lib.sh tests/collect/fakeapi.py $(collect_shell_tests)
