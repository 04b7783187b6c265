#!/bin/sh
# tmux screen tests: the real opsdeck binary on a real terminal (tmux), at
# 120x40 and 80x24: layout, zoom, filter, help, theme switch, resize, quit,
# and that the terminal is given back intact after q, SIGTERM, SIGHUP,
# SIGSEGV, Ctrl-Z, an unknown TERM, and a terminal that goes away.
# Every check polls for its condition with a timeout; nothing sleeps as a check.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

sock="opsdeck-ui-test-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-tmux.XXXXXX")
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM HUP

src=$OPSDECK_SRCDIR/tests/ui
run="env LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$work/config OPSDECK_DATADIR=$OPSDECK_SRCDIR"
run="$run $OPSDECK --context demo --replay-pods $src/data/pods.tsv --now 1795100000"

screen() { tm capture-pane -p -t "$1"; }

# wait_for TARGET REGEX [TENTHS]: polls the pane until REGEX shows (default 5 s).
wait_for() {
	n=${3:-50}
	while [ "$n" -gt 0 ]; do
		screen "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# wait_gone TARGET REGEX [TENTHS]: polls until REGEX no longer shows.
wait_gone() {
	n=${3:-50}
	while [ "$n" -gt 0 ]; do
		screen "$1" | grep -Eq -- "$2" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

check() { # check DESC COMMAND...: ok when the command succeeds, with the screen on failure
	desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		screen "$target" 2>/dev/null | sed 's/^/# | /'
	fi
}

# A shell in a pane, so that we can see what it gets back when opsdeck ends.
new_shell() { # new_shell NAME COLS ROWS
	tm new-session -d -s "$1" -x "$2" -y "$3" "env PS1='PROMPT> ' TERM=${TERM_FOR_TEST:-xterm-256color} sh"
	tm set-option -t "$1" window-size manual 2>/dev/null
	wait_for "$1" 'PROMPT> '
}

# The terminal modes a shell needs: canonical input, echo, CR to NL.
stty_sane() { # stty_sane TARGET
	tm send-keys -t "$1" "clear; stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e echo -e icrnl | sort | tr '\n' ' '; echo STTY-END" Enter
	wait_for "$1" '^echo icanon icrnl STTY-END' 30
}

opsdeck_pid() { # the opsdeck child of the pane's shell
	pgrep -P "$(tm display -p -t "$1" '#{pane_pid}')" | head -n 1
}

# --- 120x40: layout, zoom, filter, help, theme, resize, quit ---
target=big
new_shell big 120 40
tm send-keys -t big "$run; echo EXIT=\$?" Enter
check "120x40: the four panes show in a grid" wait_for big '1 Pods.*2 Trends'
check "120x40: Logs and Checklist under them" wait_for big '3 Logs.*4 Checklist'
check "120x40: pod rows with kubectl's columns" wait_for big 'READY +STATUS +RESTARTS +AGE'
check "120x40: the status bar names the context" wait_for big '^ opsdeck  ctx demo'
tm send-keys -t big z
check "z zooms Pods to the whole screen" wait_for big '%CPU/R'
check "zoomed: the other panes are gone" wait_gone big '2 Trends'
tm send-keys -t big z
check "z again goes back to the grid" wait_for big '4 Checklist'
tm send-keys -t big / c r a s h
check "/ filters as you type" wait_for big 'Pods 1/12'
tm send-keys -t big Enter
check "the filter keeps only the matching pod" wait_gone big 'postgres-0'
tm send-keys -t big Escape
check "Esc clears the filter" wait_for big 'postgres-0'
tm send-keys -t big '?'
check "? opens the help generated from the keymap" wait_for big 'Quit opsdeck'
# (the key list grew past one screen: the commands are at the end)
tm send-keys -t big G
check "the help lists the commands" wait_for big ':theme NAME'
tm send-keys -t big Escape
check "Esc closes the help" wait_for big '1 Pods'
before=$(tm capture-pane -e -p -t big | head -n 1)
tm send-keys -t big : t h e m e Space l i g h t Enter
check ":theme light switches the theme" wait_for big 'theme light'
after=$(tm capture-pane -e -p -t big | head -n 1)
if [ "$before" != "$after" ]; then ok "the status bar's colours changed with the theme"; else not_ok "the status bar's colours changed with the theme"; fi
tm send-keys -t big : t h e m e Space n o p e Enter
check "an unknown theme is an error, not a crash" wait_for big 'no theme called "nope"'
tm resize-window -t big -x 80 -y 24
check "resize to 80x24 shows one pane with a tab strip" wait_for big '^ 1 Pods  2 Trends  3 Logs'
tm resize-window -t big -x 120 -y 40
check "resize back to 120x40 restores the grid" wait_for big '3 Logs.*4 Checklist'
tm send-keys -t big q
check "q quits with status 0" wait_for big 'EXIT=0'
check "after q the terminal is sane (icanon, echo, icrnl)" stty_sane big

# --- 80x24 ---
target=small
new_shell small 80 24
tm send-keys -t small "$run; echo EXIT=\$?" Enter
check "80x24: a tab strip with Pods first" wait_for small '^ 1 Pods  2 Trends'
check "80x24: the Pods pane is shown" wait_for small '1 Pods 12 by'
tm send-keys -t small Tab
check "80x24: Tab moves to Trends" wait_for small '2 Trends( [^─]*)? ─'
tm send-keys -t small 1
check "80x24: 1 jumps back to Pods" wait_for small '1 Pods 12 by'
# Ctrl-Z suspends to the shell and fg brings the screen back.
tm send-keys -t small C-z
check "Ctrl-Z suspends to the shell" wait_for small 'PROMPT> *$'
check "suspended: the terminal is sane" stty_sane small
# (sh reports the stop as the command's status; fg reports how it ended.)
tm send-keys -t small "clear; fg; echo FG-EXIT=\$?" Enter
check "fg resumes and repaints the dashboard" wait_for small '1 Pods 12 by'
tm send-keys -t small q
check "after resume q still quits" wait_for small 'FG-EXIT=0'

# --- signals end it promptly and restore the terminal ---
for sig in TERM HUP INT SEGV; do
	target=sig$sig
	new_shell "sig$sig" 100 30
	tm send-keys -t "sig$sig" "$run; echo EXIT=\$?" Enter
	wait_for "sig$sig" '1 Pods' >/dev/null
	pid=$(opsdeck_pid "sig$sig")
	kill -"$sig" "$pid"
	case $sig in
	TERM) want=143 ;; HUP) want=129 ;; INT) want=130 ;; SEGV) want=139 ;;
	esac
	check "SIG$sig: opsdeck ends within a second (exit $want)" wait_for "sig$sig" "EXIT=$want" 10
	check "SIG$sig: the terminal is sane afterwards" stty_sane "sig$sig"
done

# --- an unknown TERM falls back to a basic terminal ---
target=oddterm
TERM_FOR_TEST=no-such-terminal-xyz new_shell oddterm 100 30
tm send-keys -t oddterm "$run; echo EXIT=\$?" Enter
check "an unknown TERM still starts, on a basic terminal" wait_for oddterm 'unknown TERM; using'
tm send-keys -t oddterm q
check "and quits cleanly" wait_for oddterm 'EXIT=0'

# --- colour depth: NO_COLOR gives no colour at all; 8-colour terminals get no 256-colour codes ---
target=nocolor
tm new-session -d -s nocolor -x 100 -y 30 "env NO_COLOR=1 $run"
wait_for nocolor '1 Pods' >/dev/null
esc=$(tm capture-pane -e -p -t nocolor)
if printf '%s' "$esc" | grep -Eq '\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5|9[0-7])m'; then
	not_ok "NO_COLOR: no colour codes on screen"
else
	ok "NO_COLOR: no colour codes on screen"
fi
if printf '%s' "$esc" | grep -Eq '\[([0-9]+;)*7m'; then ok "NO_COLOR: the status bar is in reverse video"; else not_ok "NO_COLOR: the status bar is in reverse video"; fi
tm kill-session -t nocolor

target=eight
tm new-session -d -s eight -x 100 -y 30 "env TERM=xterm $run --theme solarized-dark"
wait_for eight '1 Pods' >/dev/null
esc=$(tm capture-pane -e -p -t eight)
if printf '%s' "$esc" | grep -Eq '38;5;|48;5;'; then
	not_ok "8 colours: a 256-colour theme is mapped down"
else
	ok "8 colours: a 256-colour theme is mapped down"
fi
if printf '%s' "$esc" | grep -Eq '\[[0-9;]*(3[0-7]|4[0-7])m'; then ok "8 colours: colours are used"; else not_ok "8 colours: colours are used"; fi
tm kill-session -t eight

# --- idle output: the issue's budget is 300 bytes/s at 120x40 with the 2 s refresh ---
# (The real clock runs here, so ages may change; the window is a measurement, not a wait.)
target=idle
tm new-session -d -s idle -x 120 -y 40 "env LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$work/config OPSDECK_DATADIR=$OPSDECK_SRCDIR $OPSDECK --replay-pods $src/data/pods.tsv"
wait_for idle '4 Checklist' >/dev/null
: >"$work/idle.out"
tm pipe-pane -o -t idle "cat >>'$work/idle.out'"
sleep 6
tm pipe-pane -t idle
bytes=$(wc -c <"$work/idle.out")
if [ "$bytes" -le 1800 ]; then
	ok "idle at 120x40: $bytes bytes in 6 s (budget 300 bytes/s)"
else
	not_ok "idle at 120x40: $bytes bytes in 6 s (budget 300 bytes/s)"
fi
tm kill-session -t idle

# --- the terminal goes away: opsdeck must not linger ---
target=gone
tm new-session -d -s gone -x 100 -y 30 "$run"
wait_for gone '1 Pods' >/dev/null
pid=$(tm display -p -t gone '#{pane_pid}')
tm kill-session -t gone
n=10
while [ "$n" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
	sleep 0.1
	n=$((n - 1))
done
if kill -0 "$pid" 2>/dev/null; then
	not_ok "a closed terminal ends opsdeck within a second"
	kill -KILL "$pid" 2>/dev/null
else
	ok "a closed terminal ends opsdeck within a second"
fi

plan_done
[ "$TAP_FAILED" -eq 0 ]
