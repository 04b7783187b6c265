#!/bin/sh
# The Logs pane against opsdeck-sim (fixed --seed and --start-time, 127.0.0.1
# only) inside tmux: it follows a pod, then every pod of its workload, picks
# up the pods `kubectl scale` adds, filters, shows the error summary, asks for
# the previous container, pretty-prints the JSON logs of tapio-agent, saves
# the buffer to a 0600 file, and still draws at 80x24. Every check polls with
# a timeout; one tmux socket and one sim (by PID), both ended on exit.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux or kubectl is not installed"
	exit 0
fi

sock="opsdeck-panes-live-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-panes-live.XXXXXX")
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
# wait_for REGEX [TENTHS]: polls the pane until REGEX shows (default 30 s: the machine is loaded).
wait_for() {
	n=${2:-300}
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

tm new-session -d -s od -x 120 -y 40 -c "$work" \
	"env LC_ALL=C.UTF-8 TZ=UTC KUBECONFIG=$work/kubeconfig XDG_CONFIG_HOME=$work/config \
	 XDG_STATE_HOME=$work/state OPSDECK_DATADIR=$OPSDECK_SRCDIR $OPSDECK -n matrix"
check "the dashboard comes up on the sim" 'element-web-' 600

tm send-keys -t od / e l e m e n t - w e b Enter 3 z
check "the Logs pane follows the selected pod" '^│pod element-web-.*since all'
check "its lines arrive" 'GET /'

tm send-keys -t od m
check "m follows every pod of the workload" 'workload of element-web-[a-z0-9-]+: 2 pods'

K -n matrix scale deployment element-web --replicas=4 >/dev/null 2>&1
check "pods added by kubectl scale are followed" 'workload of element-web-[a-z0-9-]+: 4 pods' 600
new=$(K -n matrix get pods --sort-by=.metadata.creationTimestamp -o name | grep element-web | tail -1)
tail=$(printf '%s' "${new#pod/}" | tail -c 16)
tm send-keys -t od p
tm send-keys -t od G
if [ -n "$tail" ] && wait_for "^│$tail " 600; then
	ok "lines of a new pod show with its prefix ($tail)"
else
	not_ok "lines of a new pod show with its prefix ($tail)"
	screen | sed 's/^/# /'
fi

tm send-keys -t od / 'config\.json' Enter
check "the filter counts what it keeps" 'Logs [0-9]+/[0-9]+'
if screen | sed -n '4,38p' | grep -v 'config\.json' | grep -q 'GET '; then
	not_ok "the filter keeps only matching lines"
	screen | sed 's/^/# /'
else
	ok "the filter keeps only matching lines"
fi
tm send-keys -t od Escape W
check "W saves the buffer" 'saved [0-9]+ lines to opsdeck-logs-'
saved=$(ls "$work"/opsdeck-logs-*.log 2>/dev/null | head -1)
if [ -n "$saved" ] && [ "$(stat -c %a "$saved")" = 600 ] && grep -q 'GET /' "$saved"; then
	ok "the saved file is mode 0600 and holds the lines"
else
	not_ok "the saved file is mode 0600 and holds the lines ($saved)"
fi
tm send-keys -t od e
check "e shows the error summary" 'Error summary: [0-9]+ error/warning lines'
tm send-keys -t od e P
check "P asks for the previous container (none here: the API says so)" \
	'stream ended: .*previous terminated'
tm send-keys -t od P

tm resize-window -t od -x 80 -y 24 2>/dev/null || tm resize-pane -t od -x 80 -y 24
check "at 80x24 the Logs pane still draws" '^┌─ 3 Logs'

# tapio-agent logs JSON: J pretty-prints it, one key per line.
tm send-keys -t od 1 : n s Space t a p i o - s y s t e m Enter / t a p i o - a g e n t Enter 3
check "the Logs pane follows tapio-agent" '(pod|workload of) tapio-agent-' 600
tm send-keys -t od J
check "J pretty-prints JSON lines" '^│ *"level": "(info|warn|error)",' 600

tm send-keys -t od q
plan_done
[ "$TAP_FAILED" -eq 0 ]
