# cli: the opsdeck program and its headless commands (one file per command).
bin_PROGRAMS += opsdeck
opsdeck_SOURCES = \
	src/cli/main.c \
	src/cli/commands.c \
	src/cli/cmd_config.c \
	src/cli/clikube.c \
	src/cli/printer.c \
	src/cli/cmd_get.c \
	src/cli/cmd_describe.c \
	src/cli/cmd_logs.c \
	src/cli/cmd_top.c
noinst_HEADERS += include/opsdeck/commands.h include/opsdeck/clikube.h include/opsdeck/printer.h
opsdeck_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) \
	$(SQLITE_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS) $(ZLIB_CFLAGS)
opsdeck_LDADD = libodui.a libodstore.a libodkube.a libodcore.a $(NCURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) \
	$(SQLITE_LIBS) $(YAML_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS)
