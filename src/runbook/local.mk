# runbook: profiles, checks, schedules, reports.
noinst_LIBRARIES += libodrunbook.a
libodrunbook_a_SOURCES = \
	src/runbook/yamltree.c \
	src/runbook/yamltree.h \
	src/runbook/profile.c \
	src/runbook/catalog.c \
	src/runbook/schedule.c \
	src/runbook/judge.c \
	src/runbook/checks.c \
	src/runbook/checks_k8s.c \
	src/runbook/checks_history.c \
	src/runbook/checks_logs.c \
	src/runbook/checks_http.c \
	src/runbook/checks_tls.c \
	src/runbook/run.c \
	src/runbook/report.c \
	src/runbook/triage.c \
	src/runbook/incident_timeline.c
libodrunbook_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SQLITE_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/profile.h \
	include/opsdeck/schedule.h \
	include/opsdeck/judge.h \
	include/opsdeck/runbook_checks.h \
	include/opsdeck/runbook_run.h \
	include/opsdeck/runbook_report.h \
	include/opsdeck/triage.h \
	include/opsdeck/incident_timeline.h
nobase_dist_pkgdata_DATA += \
	data/profiles/matter-server.yaml \
	data/profiles/synapse.yaml \
	data/profiles/matrixon.yaml \
	data/profiles/tapio.yaml
