# libFuzzer targets, built with ./configure CC=clang --enable-fuzzing.
# One file per target; add a target inside the block like this:
#   noinst_PROGRAMS += fuzz/NAME
#   fuzz_NAME_SOURCES = fuzz/NAME.c
#   fuzz_NAME_LDFLAGS = $(FUZZER_LINK)
#   fuzz_NAME_LDADD = libodcore.a ...
# and seeds under fuzz/corpus/NAME/. `make fuzz-smoke` runs every target
# briefly (FUZZ_SECONDS each, default 10) from its seeds; longer runs are in
# docs/fuzzing.md.
FUZZER_LINK = $(AM_LDFLAGS) -fsanitize=fuzzer
FUZZ_SECONDS = 10

if FUZZING
noinst_PROGRAMS += fuzz/quantity fuzz/duration
fuzz_quantity_SOURCES = fuzz/quantity.c
fuzz_quantity_LDFLAGS = $(FUZZER_LINK)
fuzz_quantity_LDADD = libodcore.a
fuzz_duration_SOURCES = fuzz/duration.c
fuzz_duration_LDFLAGS = $(FUZZER_LINK)
fuzz_duration_LDADD = libodcore.a
noinst_PROGRAMS += fuzz/label_selector
fuzz_label_selector_SOURCES = fuzz/label_selector.c
fuzz_label_selector_LDFLAGS = $(FUZZER_LINK)
fuzz_label_selector_LDADD = libodcore.a
noinst_PROGRAMS += fuzz/settings
fuzz_settings_SOURCES = fuzz/settings.c
fuzz_settings_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
fuzz_settings_LDFLAGS = $(FUZZER_LINK)
fuzz_settings_LDADD = libodsettings.a libodcore.a $(YAML_LIBS)
noinst_PROGRAMS += fuzz/kubeconfig
fuzz_kubeconfig_SOURCES = fuzz/kubeconfig.c
fuzz_kubeconfig_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
fuzz_kubeconfig_LDFLAGS = $(FUZZER_LINK)
fuzz_kubeconfig_LDADD = libodkube.a libodcore.a $(YAML_LIBS)
noinst_PROGRAMS += fuzz/watch_stream
fuzz_watch_stream_SOURCES = fuzz/watch_stream.c
fuzz_watch_stream_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_watch_stream_LDFLAGS = $(FUZZER_LINK)
fuzz_watch_stream_LDADD = libodkube.a libodcore.a $(CJSON_LIBS)
noinst_PROGRAMS += fuzz/pod_list
fuzz_pod_list_SOURCES = fuzz/pod_list.c
fuzz_pod_list_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_pod_list_LDFLAGS = $(FUZZER_LINK)
fuzz_pod_list_LDADD = libodkube.a libodcore.a $(CJSON_LIBS)
noinst_PROGRAMS += fuzz/json_arena
fuzz_json_arena_SOURCES = fuzz/json_arena.c
fuzz_json_arena_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_json_arena_LDFLAGS = $(FUZZER_LINK)
fuzz_json_arena_LDADD = libodkube.a libodcore.a $(CJSON_LIBS)
noinst_PROGRAMS += fuzz/profile
fuzz_profile_SOURCES = fuzz/profile.c
fuzz_profile_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
fuzz_profile_LDFLAGS = $(FUZZER_LINK)
fuzz_profile_LDADD = libodrunbook.a libodcore.a $(YAML_LIBS)
noinst_PROGRAMS += fuzz/prom_text fuzz/history_csv
fuzz_prom_text_SOURCES = fuzz/prom_text.c
fuzz_prom_text_LDFLAGS = $(FUZZER_LINK)
fuzz_prom_text_LDADD = libodstore.a libodcore.a
fuzz_history_csv_SOURCES = fuzz/history_csv.c
fuzz_history_csv_LDFLAGS = $(FUZZER_LINK)
fuzz_history_csv_LDADD = libodstore.a libodcore.a
noinst_PROGRAMS += fuzz/theme fuzz/keymap
fuzz_theme_SOURCES = fuzz/theme.c
fuzz_theme_LDFLAGS = $(FUZZER_LINK)
fuzz_theme_LDADD = libodui.a libodcore.a
fuzz_keymap_SOURCES = fuzz/keymap.c
fuzz_keymap_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
fuzz_keymap_LDFLAGS = $(FUZZER_LINK)
fuzz_keymap_LDADD = libodui.a libodcore.a $(NCURSES_LIBS)
noinst_PROGRAMS += fuzz/sim_request
fuzz_sim_request_SOURCES = fuzz/sim_request.c
fuzz_sim_request_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_sim_request_LDFLAGS = $(FUZZER_LINK)
fuzz_sim_request_LDADD = $(SIM_LIBS)
noinst_PROGRAMS += fuzz/sim_faults
fuzz_sim_faults_SOURCES = fuzz/sim_faults.c
fuzz_sim_faults_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_sim_faults_LDFLAGS = $(FUZZER_LINK)
fuzz_sim_faults_LDADD = $(SIM_LIBS)
noinst_PROGRAMS += fuzz/collect_metrics
fuzz_collect_metrics_SOURCES = fuzz/collect_metrics.c
fuzz_collect_metrics_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_collect_metrics_LDFLAGS = $(FUZZER_LINK)
fuzz_collect_metrics_LDADD = libodcollect.a libodcore.a $(CJSON_LIBS)
noinst_PROGRAMS += fuzz/alerts
fuzz_alerts_SOURCES = fuzz/alerts.c
fuzz_alerts_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
fuzz_alerts_LDFLAGS = $(FUZZER_LINK)
fuzz_alerts_LDADD = libodalerts.a libodcore.a $(CJSON_LIBS)
endif

fuzz-smoke: all
	$(SHELL) $(srcdir)/tests/lib/fuzz-smoke.sh '$(abs_top_builddir)/fuzz' \
		'$(abs_top_srcdir)/fuzz/corpus' $(FUZZ_SECONDS)

.PHONY: fuzz-smoke

# seeds from real objects served by opsdeck-sim (docs/fuzzing.md)
EXTRA_DIST += fuzz/make-seeds.sh
