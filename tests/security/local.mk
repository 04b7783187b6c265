# Security checks (issue 13): secrets never reach logs, the database, reports,
# evidence or the screen; TLS fails closed; file modes; exec plugin environment.
TESTS += tests/security/secrets.sh
EXTRA_DIST += tests/security/local.mk tests/security/secrets.sh tests/security/tls_recorder.py
