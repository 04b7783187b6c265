# cli: the opsdeck program and its headless commands (one file per command).
bin_PROGRAMS += opsdeck
opsdeck_SOURCES = \
	src/cli/main.c \
	src/cli/cmd_alerts.c \
	src/cli/commands.c \
	src/cli/cmd_config.c \
	src/cli/clikube.c \
	src/cli/printer.c \
	src/cli/cmd_get.c \
	src/cli/cmd_describe.c \
	src/cli/cmd_logs.c \
	src/cli/cmd_top.c \
	src/cli/actcli.c \
	src/cli/cmd_restart.c \
	src/cli/cmd_delete.c \
	src/cli/cmd_scale.c \
	src/cli/cmd_snapshot.c \
	src/cli/cmd_snapshots.c \
	src/cli/cmd_restore.c \
	src/cli/cmd_rollback.c \
	src/cli/cmd_revisions.c \
	src/cli/cmd_audit.c \
	src/cli/clistore.c \
	src/cli/cmd_collect.c \
	src/cli/cmd_history.c \
	src/cli/cmd_events.c \
	src/cli/cli_runbook.c \
	src/cli/cmd_check.c \
	src/cli/cmd_due.c \
	src/cli/cmd_report.c \
	src/cli/cmd_triage.c \
	src/cli/cmd_incident.c \
	src/cli/cmd_handoff.c \
	src/cli/incident_evidence.c
noinst_HEADERS += include/opsdeck/actcli.h
noinst_HEADERS += include/opsdeck/clistore.h
noinst_HEADERS += include/opsdeck/cli_runbook.h
noinst_HEADERS += include/opsdeck/incident_evidence.h
noinst_HEADERS += include/opsdeck/commands.h include/opsdeck/clikube.h include/opsdeck/printer.h
opsdeck_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) \
	$(SQLITE_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS) $(ZLIB_CFLAGS)
opsdeck_LDADD = libodcollect.a libodactions.a libodrunbook.a libodui.a libodalerts.a libodactions.a libodrunbook.a libodsettings.a libodstore.a libodkube.a libodcore.a $(NCURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) \
	$(SQLITE_LIBS) $(YAML_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS) -lm
