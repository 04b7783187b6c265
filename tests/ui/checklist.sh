#!/bin/sh
# The Checklist pane in tmux against opsdeck-sim's matter-server scenario
# (home-automation; the matter-server profile loads from the namespace):
#   120x40: open the pane, pick the daily checklist, Enter runs the
#   automated items, answer both manual items, override one result with a
#   note, give Issues identified and Notes, finish as the default operator
#   ($USER); `opsdeck report run ID` shows the run complete with the
#   operator, the answers and the override, and the status bar says
#   "daily done HH:MM by NAME".
#   80x24: a run killed halfway (kill -9 the console during the manual walk)
#   is shown again when the pane reopens and Enter continues the same run,
#   keeping what was answered; while the checks hang on a stopped API the
#   dashboard still answers keys, Esc stops them, and a console killed while
#   they are measuring takes the measuring process with it; that process is
#   this program's own `check --progress-fd 3`, exec'd (no fork of the
#   console's SQLite connection).
#   `opsdeck check --progress-fd N` on its own: a line per committed item,
#   then "D RUN_ID", no report, the run left open; a bad descriptor is refused.
# Every check polls for its condition with a timeout; nothing sleeps as a check.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

sock="opsdeck-ck-test-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-checklist.XXXXXX")
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	[ -n "$SIM_STOPPED" ] && kill -CONT "$SIM_PID" 2>/dev/null
	sim_cleanup
	rm -rf "$work"
}

sim_start --scenario home-automation || { echo "Bail out! the sim did not start"; exit 1; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
wait_for 60 sh -c "kubectl --kubeconfig '$KC' -n home-automation get pods --no-headers 2>/dev/null | grep -q 'matter-server.*1/1 *Running'"

export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
run="env TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC USER=alice XDG_STATE_HOME=$XDG_STATE_HOME"
run="$run XDG_CONFIG_HOME=$XDG_CONFIG_HOME OPSDECK_DATADIR=$OPSDECK_SRCDIR"
run="$run $OPSDECK --kubeconfig $KC"

screen() { tm capture-pane -p -t "$1"; }
# shows TARGET REGEX [TENTHS]: polls the pane until REGEX shows (default 30 s, for ASan).
shows() {
	n=${3:-300}
	while [ "$n" -gt 0 ]; do
		screen "$1" | grep -Eq -- "$2" && return 0
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
keys() { tm send-keys -t "$target" "$@"; }
# type TEXT then Enter at a prompt, once the prompt shows.
answer() { keys -l "$1"; keys Enter; }
console_pid() { tm display -p -t "$1" '#{pane_pid}'; }
# pick NAME: steps through the profile's checklists (c) until NAME's header shows.
pick() {
	i=0
	while [ $i -lt 20 ]; do
		screen "$target" | grep -Eq -- "\\($1\\) " && return 0
		keys c
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
od() { "$OPSDECK" --kubeconfig "$KC" "$@"; }

# ---- 120x40: the daily checklist from the dashboard to the report ----
target=big
tm new-session -d -s big -x 120 -y 40 "$run 2>>$work/console.err; echo CONSOLE-EXITED; sleep 600"
tm set-option -t big window-size manual 2>/dev/null
check "the matter-server profile loads from the namespace" shows big 'profile matter-server'
check "the status bar shows due badges before any run" shows big 'daily due'
keys 4 z
check "the Checklist pane opens on a scheduled checklist" shows big 'Checklist (daily|weekly|monthly) '
check "c steps to the daily checklist" pick daily
check "its items show, with the runbook section" shows big 'Runbook: matter-server-operations.md'
keys Enter
check "automated items run: pods ready PASS with its evidence" \
	shows big 'PASS +Pod status: Running \(1/1 Ready\): 1/1 Running and Ready'
check "the walk prompts for the first manual item with its choices" \
	shows big 'Sample devices responsive .*\[yes/no\]'
check "the pvc_bound item completed too" shows big 'matter-server-data is Bound: Bound'
answer maybe
check "a value that is not a choice is refused" shows big '"maybe" is not one of the choices'
keys C-u
answer yes
check "then a note is asked" shows big 'Note \(optional\)'
answer "pinged 3 devices"
check "the second manual item is asked" shows big 'Device command response time \[NORMAL/SLOW/TIMEOUT\]'
answer NORMAL
shows big 'Note \(optional\)'
keys Enter
check "then Issues identified" shows big 'Issues identified \(Enter: none\)'
keys Escape
check "Esc leaves the run open" shows big 'left open: Enter continues it'
# override the first item (pod-status) with a note
keys g o
check "o asks for the overriding result" shows big 'Override pod-status: pass, warn, fail or unknown'
answer warn
check "then for a note" shows big 'Why\? \(a note is required\)'
keys Enter
check "an override without a note is refused" shows big 'needs a note'
answer "restarted by hand at 08:00"
check "the override shows" shows big 'WARN +Pod status: Running \(1/1 Ready\): 1/1 Running and Ready.*\[overridden\]'
keys Enter
check "Enter continues the open run: the walk goes to Issues identified" \
	shows big 'Issues identified \(Enter: none\)'
answer "none found"
shows big 'Notes \(Enter: none\)'
answer "quiet day"
check "Completed by is prefilled with \$USER" shows big '> alice'
keys Enter
check "the run is finished by alice" shows big 'run [0-9]+ completed [0-9]{2}:[0-9]{2} by alice'
check "the status bar says daily done HH:MM by alice" \
	sh -c "tmux -L '$sock' -f /dev/null capture-pane -p -t big | head -1 | grep -Eq 'daily done [0-9]{2}:[0-9]{2} by alice'"
check "Issues identified and Notes show in the pane" shows big 'Issues identified: none found'
id=$(screen big | sed -n 's/.*(daily)  run \([0-9][0-9]*\) completed.*/\1/p' | head -1)
report=$(od report run "${id:-0}" 2>&1)
like "$report" 'Completed by: alice' "report run $id: completed by alice"
like "$report" 'none found' "report run $id: Issues identified"
like "$report" 'quiet day' "report run $id: Notes"
like "$report" 'Sample devices responsive|Device connectivity.*yes' "report run $id: the first manual answer"
like "$report" 'pinged 3 devices' "report run $id: its note"
like "$report" 'NORMAL' "report run $id: the second manual answer"
like "$report" 'restarted by hand at 08:00' "report run $id: the override's note"
json=$(od report run "${id:-0}" -o json 2>/dev/null)
like "$json" '"finished_at":[[:space:]]*[1-9]' "the stored run has its finish time"
pod=$(printf '%s\n' "$json" | tr -d '\n\t' | grep -o '"id":"pod-status"[^}]*')
like "$pod" '"result":"WARN"' "the stored override: WARN"
like "$pod" '"threshold":"all Running and Ready"' "the override keeps the measured threshold"
like "$pod" 'overridden by the operator; measured PASS' "the override says what was measured"
due=$(od due --profile matter-server 2>&1)
like "$due" 'daily.*done' "opsdeck due agrees: daily done"
keys q
check "q quits" shows big 'CONSOLE-EXITED'
if grep -q 'Sanitizer' "$work/console.err"; then
	not_ok "the console exits without a sanitizer report"
	sed 's/^/# /' "$work/console.err" | head -40
else
	ok "the console exits without a sanitizer report"
fi

# ---- 80x24: a run killed halfway resumes when the pane reopens ----
target=small
start_small() { # start_small [DASHBOARD FLAGS...]
	tm kill-session -t small 2>/dev/null
	tm new-session -d -s small -x 80 -y 24 "$run $* 2>>$work/console.err; echo CONSOLE-EXITED; sleep 600"
	tm set-option -t small window-size manual 2>/dev/null
	shows small 'profile matter-server' && keys 4 && shows small 'Checklist (daily|weekly|monthly) '
}
check "80x24: the console starts on the Checklist pane" start_small
check "80x24: c steps to the daily checklist" pick daily
check "the pane shows the last finished daily run" shows small 'completed [0-9:]+ by alice'
keys Enter
check "Enter starts a new run: the first manual prompt" shows small '\[yes/no\]'
answer no
shows small 'Note \(optional\)'
answer "two devices silent"
check "the second manual prompt (the first answer is committed)" shows small 'NORMAL/SLOW/TIMEOUT'
newid=$(screen small | sed -n 's/.*(daily)  run \([0-9][0-9]*\) started.*/\1/p' | head -1)
pid=$(pgrep -P "$(console_pid small)" | head -n 1)
kill -9 "$pid" 2>/dev/null
check "kill -9 ends the console" shows small 'CONSOLE-EXITED'
check "80x24: a new console (--operator bob) starts on the Checklist pane" start_small --operator bob
check "it opens on the unfinished daily run" shows small "\\(daily\\)  run ${newid:-X} started [0-9:]+, open"
check "the answered item is kept" shows small 'DONE +Device connectivity'
keys Enter
check "Enter continues the walk at the item not yet done" shows small 'NORMAL/SLOW/TIMEOUT'
answer SLOW
shows small 'Note \(optional\)'
keys Enter
shows small 'Issues identified \(Enter'
keys Enter
shows small 'Notes \(Enter'
keys Enter
check "Completed by is prefilled from --operator" shows small '> bob'
keys Enter
check "the resumed run finishes as run $newid by bob" shows small "run ${newid:-X} completed [0-9:]+ by bob"
report=$(od report run "${newid:-0}" 2>&1)
like "$report" 'Completed by: bob' "report run $newid: completed by bob"
like "$report" 'two devices silent' "report run $newid: the answer given before the kill is kept"
like "$report" 'SLOW' "report run $newid: the answer given after the resume"

# A console killed while the checks are measuring takes the measuring process with it.
check "80x24: another console" start_small
pick daily
kill -STOP "$SIM_PID"
SIM_STOPPED=1
keys Enter
check "the checks start" shows small 'checking\.\.\.'
keys g j
check "the dashboard answers keys while the checks hang (the API is stopped)" \
	shows small '^daily/restarts '
keys Escape
check "Esc stops the checks" shows small 'checks stopped; what was measured is kept'
keys Enter
check "Enter starts them again" shows small 'checking\.\.\.'
cpid=$(pgrep -P "$(console_pid small)" | head -n 1)
child=$(pgrep -P "$cpid" | head -n 1)
if [ -n "$child" ]; then
	cmdline=$(tr '\0' ' ' < "/proc/$child/cmdline" 2>/dev/null)
	like "$cmdline" ' check daily --profile matter-server --operator alice --(new|resume) --progress-fd 3' \
		"the measuring process is an exec'd \`opsdeck check daily --progress-fd 3\`"
	kill -9 "$cpid"
	if wait_for 20 sh -c "! kill -0 $child"; then
		ok "the measuring process dies with the console"
	else
		not_ok "the measuring process dies with the console"
	fi
else
	not_ok "the measuring process was found"
fi
kill -CONT "$SIM_PID"
SIM_STOPPED=

# The protocol the pane reads, from the command itself.
od check daily --profile matter-server --new --progress-fd 3 3>"$work/progress" >"$work/progress.out" 2>"$work/progress.err"
is "$?" 0 "check --progress-fd 3: exit 0 once the automated items are recorded"
progress=$(cat "$work/progress")
like "$progress" '^I pod-status PASS$' "check --progress-fd: a line per committed item (I pod-status PASS)"
like "$progress" 'D [0-9]+$' "check --progress-fd: D RUN_ID at the end"
is "$(cat "$work/progress.out")" "" "check --progress-fd: no report on stdout"
pid=$(sed -n 's/^D \([0-9][0-9]*\)$/\1/p' "$work/progress")
json=$(od report run "${pid:-0}" -o json 2>/dev/null)
like "$json" '"id":[[:space:]]*"pod-status"' "check --progress-fd: run $pid is stored with its items"
unlike "$json" '"finished_at":[[:space:]]*[1-9]' "check --progress-fd: run $pid is left open for the console to finish"
od check daily --profile matter-server --progress-fd 97 >/dev/null 2>"$work/badfd.err"
is "$?" 2 "check --progress-fd 97 (not open): exit 2"
like "$(cat "$work/badfd.err")" 'progress-fd takes an open descriptor' "check --progress-fd 97: says why"

plan_done
[ "$TAP_FAILED" -eq 0 ]
