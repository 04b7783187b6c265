# Alerts from Alertmanager and history from Prometheus (issue 12): real
# prometheus and prometheus-alertmanager on 127.0.0.1 (tests/lib/monitoring.sh).
TESTS += tests/alerts/rules.sh tests/alerts/alerts.sh tests/alerts/pane.sh tests/alerts/history.sh
EXTRA_DIST += tests/alerts/local.mk tests/alerts/rules.sh tests/alerts/alerts-lib.sh \
	tests/alerts/alerts.sh tests/alerts/pane.sh tests/alerts/history.sh
