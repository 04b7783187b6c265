# ui: the dashboard (terminal, layout, themes, keymap, panes).
noinst_LIBRARIES += libodui.a
libodui_a_SOURCES = \
	src/ui/text.c \
	src/ui/theme.c \
	src/ui/palette.c \
	src/ui/keymap.c \
	src/ui/layout.c \
	src/ui/draw.c \
	src/ui/podmodel.c \
	src/ui/podstate.c \
	src/ui/table.c \
	src/ui/statusbar.c \
	src/ui/cmdline.c \
	src/ui/term.c \
	src/ui/pane.c \
	src/ui/pane_pods.c \
	src/ui/pane_checklist.c \
	src/ui/pane_events.c \
	src/ui/pane_nodes.c \
	src/ui/nodes.c \
	src/ui/live.c \
	src/ui/events.c \
	src/ui/help.c \
	src/ui/describe.c \
	src/ui/command.c \
	src/ui/app.c \
	src/ui/headless.c \
	src/ui/dashboard.c \
	src/ui/chart.c \
	src/ui/forecast.c \
	src/ui/logring.c \
	src/ui/logtext.c \
	src/ui/pane_trends.c \
	src/ui/trends_prom.c \
	src/ui/pane_logs.c \
	src/ui/pane_triage.c \
	src/ui/pane_alerts.c \
	src/ui/incident.c \
	src/ui/actionmenu.c \
	src/ui/progress.c \
	src/ui/pane_action.c
noinst_HEADERS += \
	include/opsdeck/ui_text.h \
	include/opsdeck/ui_theme.h \
	include/opsdeck/ui_palette.h \
	include/opsdeck/ui_keymap.h \
	include/opsdeck/ui_layout.h \
	include/opsdeck/ui_draw.h \
	include/opsdeck/ui_podmodel.h \
	include/opsdeck/ui_podstate.h \
	include/opsdeck/ui_table.h \
	include/opsdeck/ui_statusbar.h \
	include/opsdeck/ui_cmdline.h \
	include/opsdeck/ui_term.h \
	include/opsdeck/ui_pane.h \
	include/opsdeck/ui_pane_pods.h \
	include/opsdeck/ui_pane_checklist.h \
	include/opsdeck/ui_pane_events.h \
	include/opsdeck/ui_pane_nodes.h \
	include/opsdeck/ui_nodes.h \
	include/opsdeck/ui_live.h \
	include/opsdeck/ui_events.h \
	include/opsdeck/ui_help.h \
	include/opsdeck/ui_describe.h \
	include/opsdeck/ui_command.h \
	include/opsdeck/ui_app.h \
	include/opsdeck/ui_headless.h \
	include/opsdeck/ui_dashboard.h \
	include/opsdeck/ui_chart.h \
	include/opsdeck/ui_forecast.h \
	include/opsdeck/ui_logring.h \
	include/opsdeck/ui_logtext.h \
	include/opsdeck/ui_pane_trends.h \
	include/opsdeck/ui_trends_prom.h \
	include/opsdeck/ui_pane_logs.h \
	include/opsdeck/ui_pane_triage.h \
	include/opsdeck/ui_pane_alerts.h \
	include/opsdeck/ui_incident.h \
	include/opsdeck/ui_actionmenu.h \
	include/opsdeck/ui_progress.h \
	include/opsdeck/ui_pane_action.h
libodui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
nobase_dist_pkgdata_DATA += \
	data/keymap \
	themes/light.theme \
	themes/solarized-dark.theme \
	themes/high-contrast.theme \
	themes/monochrome.theme
