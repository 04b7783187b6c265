#!/bin/sh
# The collector against opsdeck-sim's metrics (issue 4, part 2): with
# --speed 60 a few seconds of wall time give many minutes of samples, each
# stamped with the metrics API's own timestamp, and history returns the
# sim's metrics within rounding: CPU as kubectl top rounds it (millicores),
# memory in bytes, node usage, PVC usage from the kubelet stats summary.
# Skipped while the sim does not serve metrics.k8s.io.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/collect/lib.sh"

N=8
plan $N
skip_all() {
	i=0
	while [ $i -lt $N ]; do
		skip "$1"
		i=$((i + 1))
	done
	exit 0
}

speed=
"$OPSDECK_SIM" --help | grep -q -- '--speed' && speed="--speed 60"
# shellcheck disable=SC2086
sim_start --seed 6 --scenario home-automation $speed || { echo "Bail out! no sim"; exit 1; }
collect_env
sim_serves /apis/metrics.k8s.io/v1beta1/pods || skip_all "opsdeck-sim does not serve metrics.k8s.io yet"
[ -n "$speed" ] || skip_all "opsdeck-sim has no --speed yet"
sim_serves "/api/v1/namespaces/home-automation/pods" || skip_all "no pods"

bg_collect "$SIM_TMP/m.out" "$SIM_TMP/m.err" --interval 1s
pid=$BG_PID
# Wait until the samples span five minutes of the sim's clock.
span() {
	[ "$(db_sql 'SELECT coalesce(max(ts) - min(ts), 0) FROM ticks')" -ge 300 ]
}
wait_for 60 span
is "$?" 0 "--speed 60: five minutes of samples within a minute of wall time"

# A PodMetrics sample straight from the API is in history at its own
# timestamp, with the same values (polled: the collector ticks every second).
cat >"$SIM_TMP/pm.py" <<'PY'
import json, sys, math
units = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "k": 1e3, "M": 1e6, "G": 1e9}
def q(s):
    for u in sorted(units, key=len, reverse=True):
        if s.endswith(u):
            return float(s[:-len(u)]) * units[u]
    return float(s)
d = json.load(sys.stdin)
for it in d["items"]:
    if it["metadata"]["name"].startswith("matter-server-"):
        cpu = sum(math.ceil(q(c["usage"]["cpu"]) * 1000 - 1e-9) for c in it["containers"])
        mem = sum(int(q(c["usage"]["memory"])) for c in it["containers"])
        print(it["metadata"]["name"], it["timestamp"], cpu, mem)
PY
same_sample() {
	K get --raw /apis/metrics.k8s.io/v1beta1/namespaces/home-automation/pods |
		python3 "$SIM_TMP/pm.py" >"$SIM_TMP/pm.txt" || return 1
	read -r pod ts cpu mem <"$SIM_TMP/pm.txt" || return 1
	got_cpu=$(OD history cpu --pod "$pod" --since 1h --step 1s -o csv 2>/dev/null | grep "^$ts," | cut -d, -f2)
	got_mem=$(OD history memory --pod "$pod" --since 1h --step 1s -o csv 2>/dev/null | grep "^$ts," | cut -d, -f2)
	[ "$got_cpu" = "$cpu.000" ] && [ "$got_mem" = "$mem.000" ]
}
wait_for 30 same_sample
is "$?" 0 "history holds the API's sample at its own timestamp: CPU as kubectl top rounds it, memory in bytes"
read -r pod ts cpu mem <"$SIM_TMP/pm.txt"
kill -TERM "$pid"
wait "$pid"
is "$?" 0 "the collector stops cleanly"
unlike "$(cat "$SIM_TMP/m.err")" 'metrics.k8s.io is not served' "no metrics-server notice"
# The scenario's baseline for matter-server: 90m +- 20m of noise (short spikes stay in range).
avg=$(OD history cpu deploy/matter-server --since 1h -o json | tr -d ' \n\t' | sed -n 's/.*"summary":{[^}]*"avg":\([0-9.e+]*\).*/\1/p')
awk -v a="$avg" 'BEGIN { exit !(a >= 60 && a <= 120) }'
is "$?" 0 "the average CPU of deploy/matter-server is the scenario's baseline (90m), got ${avg}m"
like "$(OD history cpu --pod "$pod" --since 1h | tail -1)" '^cpu: min [0-9]+m  avg [0-9]+m  p95 [0-9]+m  max [0-9]+m' \
	"the summary line gives min, avg, p95 and max"
node=$(K get nodes -o jsonpath='{.items[0].metadata.name}')
like "$(OD history memory --node "$node" --since 1h -o csv 2>/dev/null | sed -n 2p)" '^[0-9T:Z-]+,[0-9]+' \
	"node memory is collected"
pvc=$(K get pvc -o jsonpath='{.items[0].metadata.name}')
like "$(OD history storage --pvc "$pvc" --since 1h -o csv 2>/dev/null | sed -n 2p)" '^[0-9T:Z-]+,[0-9]+' \
	"PVC usage is collected from the stats summary"
