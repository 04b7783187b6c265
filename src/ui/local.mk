# ui: the dashboard (terminal, layout, themes, keymap, panes).
