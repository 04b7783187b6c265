# alerts: Alertmanager API v2 (alerts and silences) through the event loop.
noinst_LIBRARIES += libodalerts.a
libodalerts_a_SOURCES = \
	src/alerts/alerts.c \
	src/alerts/amclient.c \
	src/alerts/alerts_triage.c \
	src/alerts/alerts_incident.c \
	src/alerts/promsource.c
libodalerts_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(SQLITE_CFLAGS) $(YAML_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/alerts.h \
	include/opsdeck/amclient.h \
	include/opsdeck/alerts_triage.h \
	include/opsdeck/alerts_incident.h \
	include/opsdeck/promsource.h
EXTRA_DIST += src/alerts/local.mk
