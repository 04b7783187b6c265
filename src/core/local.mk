# core: errors, buffers, time, durations, quantities, paths, log, event loop.
noinst_LIBRARIES += libodcore.a
libodcore_a_SOURCES = \
	src/core/err.c \
	src/core/buf.c \
	src/core/timeutil.c \
	src/core/duration.c \
	src/core/quantity.c \
	src/core/paths.c \
	src/core/log.c \
	src/core/loop.c \
	src/core/textfile.c
noinst_HEADERS += \
	include/opsdeck/err.h \
	include/opsdeck/buf.h \
	include/opsdeck/timeutil.h \
	include/opsdeck/duration.h \
	include/opsdeck/quantity.h \
	include/opsdeck/paths.h \
	include/opsdeck/log.h \
	include/opsdeck/loop.h \
	include/opsdeck/textfile.h
