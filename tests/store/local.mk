# History store tests (issue 6): cmocka unit tests and TAP shell scripts.
STORE_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(CRYPTO_CFLAGS)
STORE_TEST_LDADD = libodstore.a libodcore.a $(SQLITE_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS) -lm

store_unit_tests = \
	tests/store/test_store_open \
	tests/store/test_store_samples \
	tests/store/test_store_audit \
	tests/store/test_store_records \
	tests/store/test_store_import \
	tests/store/test_store_concurrency
check_PROGRAMS += $(store_unit_tests)
TESTS += $(store_unit_tests)
noinst_HEADERS += tests/store/helpers.h
EXTRA_DIST += tests/store/local.mk

tests_store_test_store_open_CFLAGS = $(STORE_TEST_CFLAGS)
tests_store_test_store_open_LDADD = $(STORE_TEST_LDADD)
tests_store_test_store_samples_CFLAGS = $(STORE_TEST_CFLAGS)
tests_store_test_store_samples_LDADD = $(STORE_TEST_LDADD)
tests_store_test_store_audit_CFLAGS = $(STORE_TEST_CFLAGS)
tests_store_test_store_audit_LDADD = $(STORE_TEST_LDADD)
tests_store_test_store_records_CFLAGS = $(STORE_TEST_CFLAGS)
tests_store_test_store_records_LDADD = $(STORE_TEST_LDADD)
tests_store_test_store_import_CFLAGS = $(STORE_TEST_CFLAGS)
tests_store_test_store_import_LDADD = $(STORE_TEST_LDADD)
tests_store_test_store_concurrency_CFLAGS = $(STORE_TEST_CFLAGS)
tests_store_test_store_concurrency_LDADD = $(STORE_TEST_LDADD)
