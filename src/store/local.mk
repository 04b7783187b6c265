# store: the SQLite history (samples, rollups, events archive, audit, runs, incidents).
noinst_LIBRARIES += libodstore.a
libodstore_a_SOURCES = \
	src/store/internal.h \
	src/store/store.c \
	src/store/schema.c \
	src/store/codec.c \
	src/store/series.c \
	src/store/samples.c \
	src/store/rollup.c \
	src/store/query.c \
	src/store/audit.c \
	src/store/events.c \
	src/store/pods.c \
	src/store/state.c \
	src/store/runs.c \
	src/store/incidents.c \
	src/store/prom_text.c \
	src/store/history_csv.c \
	src/store/import.c
libodstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CRYPTO_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/store.h \
	include/opsdeck/store_codec.h \
	include/opsdeck/store_series.h \
	include/opsdeck/store_samples.h \
	include/opsdeck/store_rollup.h \
	include/opsdeck/store_query.h \
	include/opsdeck/store_audit.h \
	include/opsdeck/store_events.h \
	include/opsdeck/store_pods.h \
	include/opsdeck/store_state.h \
	include/opsdeck/store_runs.h \
	include/opsdeck/store_incidents.h \
	include/opsdeck/store_prom_text.h \
	include/opsdeck/store_history_csv.h \
	include/opsdeck/store_import.h
