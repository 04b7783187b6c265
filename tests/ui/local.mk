# Dashboard tests: headless screen dumps and tmux screen tests.
