# Dashboard tests: cmocka unit tests of the ui module, headless screen dumps
# compared with golden files, and tmux tests that drive the real binary.
UI_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
UI_TEST_LDADD = libodui.a libodactions.a libodrunbook.a libodsettings.a libodstore.a libodkube.a libodcore.a $(NCURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) \
	$(YAML_LIBS) $(SQLITE_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS) -lm

ui_unit_tests = \
	tests/ui/test_text \
	tests/ui/test_theme \
	tests/ui/test_keymap \
	tests/ui/test_layout \
	tests/ui/test_table \
	tests/ui/test_table_filter \
	tests/ui/test_cmdline \
	tests/ui/test_statusbar \
	tests/ui/test_podstate \
	tests/ui/test_describe \
	tests/ui/test_nodes \
	tests/ui/test_chart \
	tests/ui/test_logring \
	tests/ui/test_logtext \
	tests/ui/test_pane_logs \
	tests/ui/test_pane_trends \
	tests/ui/test_actionmenu \
	tests/ui/test_triage
check_PROGRAMS += $(ui_unit_tests)
TESTS += $(ui_unit_tests)

tests_ui_test_triage_CFLAGS = $(UI_TEST_CFLAGS) $(CJSON_CFLAGS)
tests_ui_test_triage_LDADD = libodalerts.a $(UI_TEST_LDADD)
tests_ui_test_text_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_text_LDADD = $(UI_TEST_LDADD)
tests_ui_test_theme_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_theme_LDADD = $(UI_TEST_LDADD)
tests_ui_test_keymap_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_keymap_LDADD = $(UI_TEST_LDADD)
tests_ui_test_layout_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_layout_LDADD = $(UI_TEST_LDADD)
tests_ui_test_table_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_table_LDADD = $(UI_TEST_LDADD)
tests_ui_test_table_filter_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_table_filter_LDADD = $(UI_TEST_LDADD)
tests_ui_test_cmdline_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_cmdline_LDADD = $(UI_TEST_LDADD)
tests_ui_test_statusbar_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_statusbar_LDADD = $(UI_TEST_LDADD)
tests_ui_test_podstate_CFLAGS = $(UI_TEST_CFLAGS) $(SQLITE_CFLAGS)
tests_ui_test_podstate_LDADD = $(UI_TEST_LDADD)
tests_ui_test_describe_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_describe_LDADD = $(UI_TEST_LDADD)
tests_ui_test_nodes_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_nodes_LDADD = $(UI_TEST_LDADD)
tests_ui_test_chart_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_chart_LDADD = $(UI_TEST_LDADD)
tests_ui_test_logring_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_logring_LDADD = $(UI_TEST_LDADD)
tests_ui_test_logtext_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_logtext_LDADD = $(UI_TEST_LDADD)
tests_ui_test_pane_logs_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_pane_logs_LDADD = $(UI_TEST_LDADD)
tests_ui_test_pane_trends_CFLAGS = $(UI_TEST_CFLAGS)
tests_ui_test_pane_trends_LDADD = $(UI_TEST_LDADD)
tests_ui_test_actionmenu_CFLAGS = $(UI_TEST_CFLAGS) $(SQLITE_CFLAGS)
tests_ui_test_actionmenu_LDADD = $(UI_TEST_LDADD)

EXTRA_DIST += tests/ui/local.mk tests/ui/data tests/ui/golden tests/ui/scripts

TESTS += tests/ui/screen.sh tests/ui/tmux.sh tests/ui/live.sh
EXTRA_DIST += tests/ui/screen.sh tests/ui/tmux.sh tests/ui/live.sh

# Trends and Logs (issue 8): headless screens on imported history and a replayed stream.
TESTS += tests/ui/panes.sh tests/ui/panes_live.sh tests/ui/panes_faults.sh tests/ui/panes_selector.sh
EXTRA_DIST += tests/ui/panes.sh tests/ui/panes_live.sh tests/ui/panes_faults.sh tests/ui/panes_selector.sh \
	tests/ui/panes

# Guarded actions from the dashboard (issue 9): the action menu in tmux against the sim.
TESTS += tests/ui/actions_menu.sh tests/ui/actions_slow.sh
EXTRA_DIST += tests/ui/actions_menu.sh tests/ui/actions_slow.sh
TESTS += tests/ui/incident_drill.sh
EXTRA_DIST += tests/ui/incident_drill.sh

# Checklist pane (issue 10): the Matter Server daily checklist in tmux against opsdeck-sim.
TESTS += tests/ui/checklist.sh
EXTRA_DIST += tests/ui/checklist.sh
