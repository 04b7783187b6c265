#!/usr/bin/env bash
# tests/lib/demo.sh BUILDDIR: starts opsdeck-sim on the demo scenario and opens
# opsdeck on it; stops the simulator when opsdeck exits. Used by ./setup.sh demo.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-demo.XXXXXX")
sim_pid=

cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM HUP

export OPSDECK_DATADIR="$src"
export XDG_STATE_HOME="$work/state"
scenario="$src/data/sim/demo.yaml"
[ -f "$scenario" ] || scenario=

"$build/opsdeck-sim" ${scenario:+--scenario "$scenario"} --listen 127.0.0.1:0 \
	--kubeconfig-out "$work/kubeconfig" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 100); do
	grep -q '^opsdeck-sim: serving ' "$work/sim.out" 2>/dev/null && break
	kill -0 "$sim_pid" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q '^opsdeck-sim: serving ' "$work/sim.out" 2>/dev/null; then
	echo "demo: opsdeck-sim did not start:" >&2
	cat "$work/sim.err" >&2
	exit 1
fi
sed -n 's/^opsdeck-sim: serving /demo cluster: /p' "$work/sim.out"
export KUBECONFIG="$work/kubeconfig"

# The live dashboard on a terminal (all namespaces; history accrues in the
# demo's own state directory, removed on exit); without a terminal, the
# cluster as `opsdeck get pods -A` prints it.
if [ -t 0 ] && [ -t 1 ]; then
	rc=0
	"$build/opsdeck" -A || rc=$?
	exit "$rc"
fi
echo "demo: no terminal; showing the cluster headless"
"$build/opsdeck" get pods -A
