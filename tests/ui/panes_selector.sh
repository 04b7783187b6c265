#!/bin/sh
# The Logs pane following a label selector (`:logs -l`) against opsdeck-sim
# (fixed --seed and --start-time, 127.0.0.1 only) inside tmux: a selector
# spanning two workloads (synapse-main's Deployment and the event-persister
# StatefulSet) follows the pods kubectl lists for it, stays put while the Pods
# pane's selection moves, picks up the pods `kubectl scale` adds (their lines
# show with their prefixes), and `:logs` alone goes back to the selected pod.
# Every check polls with a timeout; one tmux socket and one sim (by PID), both
# ended on exit.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux or kubectl is not installed"
	exit 0
fi

sock="opsdeck-panes-selector-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-panes-selector.XXXXXX")
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

"$OPSDECK_SIM" --listen 127.0.0.1:0 --kubeconfig-out "$work/kubeconfig" --seed 7 \
	--start-time 2026-01-01T00:00:00Z >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
n=600
while [ "$n" -gt 0 ] && ! grep -q '^opsdeck-sim: serving ' "$work/sim.out"; do
	sleep 0.1
	n=$((n - 1))
done
if [ "$n" -eq 0 ]; then
	echo "1..0 # SKIP opsdeck-sim did not start"
	exit 0
fi

K() { kubectl --kubeconfig "$work/kubeconfig" --cache-dir "$work/kube-cache" --request-timeout=30s "$@"; }
screen() { tm capture-pane -p -t od; }
# wait_for REGEX [TENTHS]: polls the pane until REGEX shows (default 60 s: the machine is loaded).
wait_for() {
	n=${2:-600}
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" && return 0
		# a console that died answers nothing more: do not wait out every check
		tm has-session -t od 2>/dev/null || return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
check() { # check DESC REGEX [TENTHS]
	if wait_for "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen | sed 's/^/# /'
	fi
}

SEL='app=synapse,component in (main,event-persister)'
# kubectl is the reference for what the selector matches.
want=$(K -n matrix get pods -l "$SEL" -o name | wc -l)
is "$want" 3 "kubectl lists 3 pods for the selector (main and two event persisters)"

tm new-session -d -s od -x 120 -y 40 -c "$work" \
	"env LC_ALL=C.UTF-8 TZ=UTC KUBECONFIG=$work/kubeconfig XDG_CONFIG_HOME=$work/config \
	 XDG_STATE_HOME=$work/state OPSDECK_DATADIR=$OPSDECK_SRCDIR $OPSDECK -n matrix"
check "the dashboard comes up on the sim" 'element-web-' 600

tm send-keys -t od :
tm send-keys -t od -l "logs -l $SEL"
tm send-keys -t od Enter z
check ":logs -l follows every pod the selector matches, across workloads" \
	"selector app=synapse,component in \\(main,event-persister\\) in matrix: $want pods"
# saved_has POD...: W saves the buffer (one "POD line" per line) until the
# newest file holds lines of every POD named (60 s at most).
saved_has() {
	tries=60
	while [ "$tries" -gt 0 ]; do
		tm send-keys -t od W
		sleep 1
		f=$(ls -t "$work"/opsdeck-logs-selector-*.log 2>/dev/null | head -1)
		all=1
		for pod in "$@"; do
			[ -n "$f" ] && grep -q "^$pod " "$f" || all=
		done
		[ -n "$all" ] && return 0
		tries=$((tries - 1))
	done
	return 1
}
main=$(K -n matrix get pods -l app=synapse,component=main -o name | head -1)
main=${main#pod/}
if saved_has "$main" synapse-event-persister-0 synapse-event-persister-1; then
	ok "lines of the Deployment's and the StatefulSet's pods arrive, each with its pod"
else
	not_ok "lines of the Deployment's and the StatefulSet's pods arrive, each with its pod"
	screen | sed 's/^/# /'
fi
# On screen a long pod name is prefixed by its last 16 characters.
check "the prefixes show" '^│vent-persister-[01] '

tm send-keys -t od 1 / e l e m e n t - w e b Enter
check "the Pods pane selects another workload's pod" 'Pods 2/[0-9]+ .*/element-web'
tm send-keys -t od 3
check "moving the Pods pane's selection leaves the selector in place" \
	"selector app=synapse,component in .* in matrix: $want pods"

K -n matrix scale statefulset synapse-event-persister --replicas=4 >/dev/null 2>&1
n=600
while [ "$n" -gt 0 ] && [ "$(K -n matrix get pods -l "$SEL" -o name | wc -l)" -ne 5 ]; do
	sleep 0.1
	n=$((n - 1))
done
is "$(K -n matrix get pods -l "$SEL" -o name | wc -l)" 5 \
	"after kubectl scale kubectl lists 5 pods for the selector"
check "pods added by kubectl scale are followed" \
	"selector app=synapse,component in .* in matrix: 5 pods" 900
if saved_has synapse-event-persister-2 synapse-event-persister-3; then
	ok "lines of the new pods arrive"
else
	not_ok "lines of the new pods arrive"
	screen | sed 's/^/# /'
fi

tm send-keys -t od :
tm send-keys -t od -l "logs"
tm send-keys -t od Enter
check ":logs alone follows the selected pod again" '^│pod element-web-.*since all'

tm send-keys -t od :
tm send-keys -t od -l "logs -l app in web"
tm send-keys -t od Enter
check "a malformed selector is refused" 'unable to parse requirement|invalid|expected'
check "and the Logs pane keeps following the selected pod" '^│pod element-web-.*since all'

tm send-keys -t od q
plan_done
[ "$TAP_FAILED" -eq 0 ]
