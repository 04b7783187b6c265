# settings: opsdeck's own config file (config.yaml), per context.
noinst_LIBRARIES += libodsettings.a
libodsettings_a_SOURCES = src/settings/settings.c
libodsettings_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
noinst_HEADERS += include/opsdeck/settings.h
