# Alerts from Alertmanager and history from Prometheus (issue 12): real
# prometheus and prometheus-alertmanager on 127.0.0.1 (tests/lib/monitoring.sh).
TESTS += tests/alerts/rules.sh tests/alerts/alerts.sh tests/alerts/pane.sh tests/alerts/history.sh \
	tests/alerts/trends_pane.sh
EXTRA_DIST += tests/alerts/local.mk tests/alerts/rules.sh tests/alerts/alerts-lib.sh \
	tests/alerts/alerts.sh tests/alerts/pane.sh tests/alerts/history.sh tests/alerts/trends_pane.sh

# The parsers, silence coverage, printers and the query_range matrix.
check_PROGRAMS += tests/alerts/test_alerts
TESTS += tests/alerts/test_alerts
tests_alerts_test_alerts_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_alerts_test_alerts_LDADD = libodalerts.a libodkube.a libodcore.a $(CMOCKA_LIBS) $(CJSON_LIBS) \
	$(CURL_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS) -lm
