# collect: the collector (metrics, pod state, PVC usage and events into the store).
noinst_LIBRARIES += libodcollect.a
libodcollect_a_SOURCES = \
	src/collect/collect.c \
	src/collect/metrics.c \
	src/collect/scope.c
libodcollect_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) $(SQLITE_CFLAGS) \
	$(YAML_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/collect.h \
	include/opsdeck/collect_metrics.h \
	include/opsdeck/collect_scope.h
EXTRA_DIST += src/collect/local.mk
