# runbook: profiles, checks, schedules, reports.
noinst_LIBRARIES += libodrunbook.a
libodrunbook_a_SOURCES = \
	src/runbook/yamltree.c \
	src/runbook/yamltree.h \
	src/runbook/profile.c \
	src/runbook/catalog.c \
	src/runbook/schedule.c \
	src/runbook/judge.c
libodrunbook_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/profile.h \
	include/opsdeck/schedule.h \
	include/opsdeck/judge.h
nobase_dist_pkgdata_DATA += \
	data/profiles/matter-server.yaml \
	data/profiles/synapse.yaml \
	data/profiles/matrixon.yaml \
	data/profiles/tapio.yaml
