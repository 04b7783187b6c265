#!/bin/sh
# Live dashboard tests: the real opsdeck against opsdeck-sim (fixed --seed and
# --start-time, 127.0.0.1 only) inside tmux, at 120x40 and 80x24. The Pods pane
# must match kubectl, follow a deletion without a key press, filter, sort,
# describe, switch theme, resize, switch namespace and context, go "stale since"
# within 2 s of the sim being killed (keeping its rows), come back live when the
# sim returns on the same port, and paint the last-known state from the store
# before an unreachable API answers. The zoomed Pods pane of the fixed scenario
# is compared with tests/ui/golden/live-pods-matrix.txt (make update-golden).
# Every check polls with a timeout; one tmux socket, killed on exit; sims by PID.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux or kubectl is not installed"
	exit 0
fi

sock="opsdeck-live-test-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-live.XXXXXX")
sim_pid=
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

SEED=7
START=2026-01-01T00:00:00Z
golden_dir=$OPSDECK_SRCDIR/tests/ui/golden

# start_sim [PORT]: the sim on 127.0.0.1 (port 0: a free one); waits for its serving line.
start_sim() {
	: >"$work/sim.out"
	"$OPSDECK_SIM" --listen "127.0.0.1:${1:-0}" --kubeconfig-out "$work/kubeconfig" \
		--seed "$SEED" --start-time "$START" >"$work/sim.out" 2>"$work/sim.err" &
	sim_pid=$!
	n=600
	while [ "$n" -gt 0 ]; do
		grep -q '^opsdeck-sim: serving ' "$work/sim.out" && return 0
		kill -0 "$sim_pid" 2>/dev/null || break
		sleep 0.1
		n=$((n - 1))
	done
	diag "opsdeck-sim did not start:" "$(cat "$work/sim.err")"
	return 1
}

stop_sim() {
	kill "$sim_pid" 2>/dev/null
	wait "$sim_pid" 2>/dev/null
	sim_pid=
}

K() { kubectl --kubeconfig "$work/kubeconfig" --cache-dir "$work/kube-cache" --request-timeout=30s "$@"; }

screen() { tm capture-pane -p -t "$1"; }

# wait_for TARGET REGEX [TENTHS]: polls the pane until REGEX shows (default 30 s: a loaded machine).
wait_for() {
	n=${3:-300}
	while [ "$n" -gt 0 ]; do
		screen "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

wait_gone() {
	n=${3:-300}
	while [ "$n" -gt 0 ]; do
		screen "$1" | grep -Eq -- "$2" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

check() { # check DESC COMMAND...
	desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		screen "$target" 2>/dev/null | sed 's/^/# | /'
	fi
}

# Every pod kubectl lists in namespace $2 shows on screen $1 with its READY,
# STATUS and RESTARTS, and the Pods title counts as many. Long names are cut
# with an ellipsis in the table, so a name matches by its first 15 characters.
matches_kubectl() {
	K get pods -n "$2" --no-headers >"$work/kubectl.txt" || return 1
	screen "$1" >"$work/screen.txt"
	[ -s "$work/kubectl.txt" ] || return 1
	count=$(grep -c . "$work/kubectl.txt")
	grep -Eq -- "Pods ([0-9]+/)?$count " "$work/screen.txt" || {
		diag "the Pods title does not count $count pods"
		return 1
	}
	while read -r name ready status restarts _; do
		restarts=${restarts%%(*}
		prefix=$(printf '%s' "$name" | cut -c1-15)
		grep -Eq -- "$prefix[^ ]* +$ready +$status +$restarts " "$work/screen.txt" || {
			diag "not on screen: $name $ready $status $restarts"
			return 1
		}
	done <"$work/kubectl.txt"
}

# polls matches_kubectl for up to 30 s (the watch may be a moment behind kubectl)
wait_matches() {
	n=60
	while [ "$n" -gt 0 ]; do
		matches_kubectl "$1" "$2" 2>/dev/null >/dev/null && return 0
		sleep 0.5
		n=$((n - 1))
	done
	matches_kubectl "$1" "$2"
}

# The Pods pane of a screen without what varies from run to run: the status
# bar's round trip, the bottom line, and usage from metrics (the sim's clock
# runs on): the first 48 columns (NAME READY STATUS RESTARTS AGE).
masked() { screen "$1" | sed -e 's/api [0-9]*ms/api NNms/' -e '$d' | LC_ALL=C.UTF-8 sed -E 's/^(.{48}).*/\1/'; }

env_run="env LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state"
env_run="$env_run OPSDECK_DATADIR=$OPSDECK_SRCDIR KUBECONFIG=$work/kubeconfig"

start_sim || { echo "1..0 # SKIP opsdeck-sim does not start"; exit 0; }
port=$(sed -n 's/^opsdeck-sim: serving http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/sim.out")

# --- 120x40 ---
target=big
tm new-session -d -s big -x 120 -y 40 "$env_run $OPSDECK; echo EXIT=\$?; sleep 600"
tm set-option -t big window-size manual 2>/dev/null
check "120x40: the status bar names the sim's context and namespace" \
	wait_for big '^ opsdeck  ctx sim   ns home-automation'
check "120x40: the API round trip shows once live" wait_for big 'api [0-9]+ms'
check "120x40: the Pods pane matches kubectl get pods (home-automation)" \
	wait_matches big home-automation
if K get --raw /apis/metrics.k8s.io/v1beta1/namespaces/home-automation/pods >/dev/null 2>&1; then
	check "CPU and MEM from metrics.k8s.io" wait_for big ' [0-9]+m +[0-9]+Mi '
else
	check "without metrics.k8s.io a notice says CPU and memory show -" \
		wait_for big 'metrics.k8s.io is not served'
fi
tm send-keys -t big : n s Space m a t r i x Enter
check ":ns matrix switches the namespace" wait_for big 'ns matrix'
check ":ns matrix: as many pods as kubectl lists" \
	wait_for big "Pods $(K get pods -n matrix --no-headers | grep -c .) "
tm send-keys -t big z
check "zoomed Pods pane" wait_for big '%CPU/R'
check ":ns matrix: every pod matches kubectl (names, READY, STATUS, RESTARTS)" \
	wait_matches big matrix
masked big >"$work/live-pods-matrix.txt"
if [ "${OPSDECK_UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$work/live-pods-matrix.txt" "$golden_dir/live-pods-matrix.txt"
	ok "golden live-pods-matrix updated"
elif diff -u "$golden_dir/live-pods-matrix.txt" "$work/live-pods-matrix.txt" >"$work/diff"; then
	ok "the zoomed Pods pane equals golden/live-pods-matrix.txt"
else
	not_ok "the zoomed Pods pane equals golden/live-pods-matrix.txt"
	sed 's/^/# /' "$work/diff"
fi

# A pod deleted with kubectl goes away and its replacement appears, no key pressed.
victim=$(K get pods -n matrix --no-headers | awk '/^element-web-/ {print $1; exit}')
tm send-keys -t big /
tm send-keys -t big -l "$victim"
tm send-keys -t big Enter
check "filtered on the pod to delete ($victim)" wait_for big 'Pods 1/[0-9]+ '
K delete pod -n matrix "$victim" --wait=false >/dev/null
check "a pod deleted with kubectl disappears without a key press" wait_for big 'Pods 0/[0-9]+ '
tm send-keys -t big Escape
# (young: its AGE is in seconds; two element-web rows again, as kubectl lists)
check "its replacement appears" \
	wait_for big '(│| )element-web-[^ ]* +[0-9]/1 +[A-Za-z]+ +0 +([0-9]+s|[0-9]+m[0-9]+s) '
check "the Pods pane matches kubectl after the replacement" wait_matches big matrix
# The events of the replacement (if the sim posts any) come from the live events watch.
reason=$(K get events -n matrix -o jsonpath='{.items[0].reason}' 2>/dev/null || true)
tm send-keys -t big 5
if [ -n "$reason" ]; then
	check "the Events pane shows the live event ($reason)" wait_for big " $reason "
else
	skip "the sim posted no event for the replacement"
fi
tm send-keys -t big 1

tm send-keys -t big / p o s t g r e s
check "/ filters as you type" wait_for big 'Pods 3/[0-9]+'
tm send-keys -t big Enter
check "the filter keeps only the matching pod" wait_gone big 'synapse-main-'
tm send-keys -t big Escape
check "Esc clears the filter" wait_for big 'synapse-main-'
tm send-keys -t big s
check "s sorts by the next column" wait_for big 'Pods [0-9]+ by NAME'
tm send-keys -t big t
check "t puts trouble first" wait_for big 'Pods [0-9]+ by trouble'
tm send-keys -t big / p o s t g r e s Enter
wait_for big 'Pods 3/' >/dev/null
tm send-keys -t big Enter
check "Enter opens describe with the live pod's containers" wait_for big 'Containers:'
tm send-keys -t big G
check "describe ends with the pod's events" wait_for big '^│? *Events:'
tm send-keys -t big Escape
check "Esc closes describe" wait_for big 'Pods 3/'
tm send-keys -t big Escape
before=$(tm capture-pane -e -p -t big | head -n 1)
tm send-keys -t big : t h e m e Space l i g h t Enter
check ":theme light switches the theme" wait_for big 'theme light'
after=$(tm capture-pane -e -p -t big | head -n 1)
if [ "$before" != "$after" ]; then ok "the status bar's colours changed"; else not_ok "the status bar's colours changed"; fi
tm send-keys -t big 6
check "the Nodes pane lists the sim's nodes" wait_for big "$(K get nodes --no-headers | awk 'NR==1 {print $1}') +Ready"
tm send-keys -t big 1
tm send-keys -t big z
tm resize-window -t big -x 80 -y 24
check "resize to 80x24: one pane with a tab strip" wait_for big '^ 1 Pods  2 Trends'
tm resize-window -t big -x 120 -y 40
check "resize back to 120x40: the grid" wait_for big '3 Logs.*4 Checklist'

# A hung API (the sim stopped with SIGSTOP: connections accepted, never
# answered): stale within 2 s of the last answer (the probe runs every second;
# 0.5 s of slack for polling tmux on a loaded machine); SIGCONT: live again.
kill -STOP "$sim_pid"
t0=$(date +%s%N)
if wait_for big 'stale since [0-9][0-9]:[0-9][0-9]' 25; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	ok "sim hung: 'stale since HH:MM' within 2 s (${ms} ms)"
else
	not_ok "sim hung: 'stale since HH:MM' within 2 s"
	screen big | sed 's/^/# | /'
fi
kill -CONT "$sim_pid"
check "sim answers again: live without a restart" wait_for big 'api [0-9]+ms'

# Kill the sim: stale within 2 s, rows kept; bring it back on the same port: live again.
tm send-keys -t big z
check "zoomed again before the sim goes away" wait_for big '%CPU/R'
stop_sim
t0=$(date +%s%N)
if wait_for big 'stale since [0-9][0-9]:[0-9][0-9]' 20; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	ok "sim killed: 'stale since HH:MM' within 2 s (${ms} ms)"
else
	not_ok "sim killed: 'stale since HH:MM' within 2 s"
	screen big | sed 's/^/# | /'
fi
check "stale: the last rows are kept" wait_for big 'synapse-event-p.* Running' 10
start_sim "$port"
check "sim back on the same port: live again without a restart" wait_for big 'api [0-9]+ms' 600
check "live again: the rows are the sim's" wait_matches big matrix

tm send-keys -t big : c t x Space s i m - v i e w Enter
check ":ctx sim-view switches the context" wait_for big 'ctx sim-view'
check ":ctx: the context's own namespace from the kubeconfig" \
	wait_for big 'ctx sim-view   ns home-automation'
check ":ctx: live on the new context" wait_for big 'api [0-9]+ms'
tm send-keys -t big q
check "q quits with status 0" wait_for big 'EXIT=0'

# --- 80x24: first paint from the store before an unreachable API answers ---
target=small
sed "s#server: .*#server: http://127.0.0.1:1#" "$work/kubeconfig" >"$work/kubeconfig.down"
tm new-session -d -s small -x 80 -y 24 \
	"$env_run KUBECONFIG=$work/kubeconfig.down $OPSDECK -A; echo EXIT=\$?; sleep 600"
check "80x24, API unreachable: the last-known pods paint from the store" \
	wait_for small 'element-web-' 50
check "80x24: marked last known and stale since HH:MM" \
	wait_for small 'stale since [0-9][0-9]:[0-9][0-9].*last known' 50
check "80x24: a tab strip with Pods first" wait_for small '^ 1 Pods  2 Trends'
tm send-keys -t small q
check "80x24: q quits" wait_for small 'EXIT=0'

# --- 80x24 live ---
target=live80
tm new-session -d -s live80 -x 80 -y 24 "$env_run $OPSDECK -n redis-synapse; echo EXIT=\$?; sleep 600"
check "80x24 live: the API round trip shows" wait_for live80 'api [0-9]+ms'
check "80x24 live: the Pods pane matches kubectl (redis-synapse)" wait_matches live80 redis-synapse
tm send-keys -t live80 q
check "80x24 live: q quits" wait_for live80 'EXIT=0'

plan_done
[ "$TAP_FAILED" -eq 0 ]
