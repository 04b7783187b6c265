# actions: the guarded-action engine (issue 9): plan, dry run, confirm,
# apply, follow; the builders of each action; rollout status and history.
noinst_LIBRARIES += libodactions.a
libodactions_a_SOURCES = \
	src/actions/actions.c \
	src/actions/build.c \
	src/actions/rollout.c
libodactions_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) $(SQLITE_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/actions.h \
	include/opsdeck/action_build.h \
	include/opsdeck/action_rollout.h
