#!/bin/sh
# Trends and Logs against a sped-up opsdeck-sim with faults (--speed 60, fixed
# --seed and --start-time), the dashboard collecting into a temporary store:
# synapse-main's memory-leak ramp with its restart marker and the synapse
# profile's expected band, the forecast of a volume under diskfill, and the
# previous container's logs of a crashlooping element-web. Every check polls
# with a timeout; one tmux socket and one sim (by PID), both ended on exit.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

sock="opsdeck-panes-faults-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-panes-faults.XXXXXX")
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
	--start-time 2026-01-01T00:00:00Z --speed 60 \
	--fault memleak:matrix/synapse-main:ramp=20m \
	--fault diskfill:matrix/synapse-postgres:ramp=6h --fault crashloop:matrix/element-web \
	>"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
n=600
while [ "$n" -gt 0 ] && ! grep -q '^opsdeck-sim: serving ' "$work/sim.out"; do
	sleep 0.1
	n=$((n - 1))
done
if [ "$n" -eq 0 ]; then
	echo "1..0 # SKIP opsdeck-sim did not start: $(head -c 200 "$work/sim.err")"
	exit 0
fi

screen() { tm capture-pane -p -t od; }
# wait_for REGEX [TENTHS]: polls the pane until REGEX shows (default 90 s: the machine is loaded).
wait_for() {
	n=${2:-900}
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
check "the dashboard comes up on the sim" 'synapse-main-' 600

tm send-keys -t od / s y n a p s e - m a i n Enter 2 z '['
check "Trends shows synapse-main over 1h from the collected history" \
	'^│pod matrix/synapse-main-[a-z0-9-]+  1h until live'
check "memory is charted with the profile's expected range" 'MEM  min .* expected 4Gi-6Gi'
check "the expected band is drawn" '·····'
# A marker row holds only marker glyphs; the leak's OOM restart puts a '^' on it.
check "the memory leak's restart is marked on the time axis" '^│[ !*^]*\^[ !*^]*│$'
check "the restart counter has risen" 'RESTARTS min [0-9]+ avg [0-9.]+ p95 [0-9]+ max [1-9]'

tm send-keys -t od z 1 / s y n a p s e - p o s t g r e s - 0 Enter 2 z m m
# PVC usage is read once a wall-clock minute: at --speed 60 one point per
# simulated hour, so the 1h window holds one point and the forecast comes
# from the week before the window's end. The six-hour ramp keeps the volume
# filling for the whole test, however late the console's first PVC pass is.
check "the volume under diskfill gets a forecast" \
	'PVC  min .* of [0-9.]+[GM]i, full in ~[0-9]+[mhd]'

tm send-keys -t od z 1 / e l e m e n t - w e b Enter 3 z
check "Logs follows a crashlooping element-web pod" '^│pod element-web-'
tm send-keys -t od P
check "P shows the previous container's logs" 'since all  previous'
check "the previous container's lines arrive, then its stream ends" \
	'docker-entrypoint\.sh' 900
check "a finished previous log says so" 'element-web-[a-z0-9-]+: stream ended ---'

tm resize-window -t od -x 80 -y 24 2>/dev/null || tm resize-pane -t od -x 80 -y 24
tm send-keys -t od 2
check "at 80x24 Trends still draws" '^┌─ 2 Trends'

tm send-keys -t od q
plan_done
[ "$TAP_FAILED" -eq 0 ]
