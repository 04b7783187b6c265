#!/bin/sh
# bench/sim_bench.sh BUILDDIR [PODS]: opsdeck-sim at scale (issue 4). Starts
# the sim with --pods PODS (default 10000) on 127.0.0.1 and prints figures,
# not pass/fail: the time of a full pod list (JSON and kubectl's Table), 200
# concurrent watches held and served an event, and the resident memory.
# Targets: list < 1 s, 200 watches, RSS < 300 MB.
set -u
B=${1:?usage: sim_bench.sh BUILDDIR [PODS]}
PODS=${2:-10000}
SIM=$B/opsdeck-sim
T=$(mktemp -d "${TMPDIR:-/tmp}/sim-bench.XXXXXX")
SIM_PID=
cleanup() {
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	for p in $(cat "$T/watch.pids" 2>/dev/null); do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

t0=$(date +%s.%N)
"$SIM" --listen 127.0.0.1:0 --kubeconfig-out "$T/kc" --pods "$PODS" >"$T/out" 2>"$T/err" &
SIM_PID=$!
i=0
while ! grep -q '^opsdeck-sim: serving ' "$T/out"; do
	i=$((i + 1))
	[ $i -gt 1200 ] && { echo "sim did not start: $(cat "$T/err")"; exit 1; }
	sleep 0.1
done
t1=$(date +%s.%N)
URL=$(sed -n 's/^opsdeck-sim: serving //p' "$T/out")
rss() { awk -v k="$1:" '$1 == k {printf "%.0f", $2 / 1024}' "/proc/$SIM_PID/status"; }
printf 'opsdeck-sim --pods %s: started in %.2f s, RSS %s MB at rest\n' "$PODS" "$(echo "$t1 - $t0" | bc)" "$(rss VmRSS)"

n=$(curl -s "$URL/api/v1/pods?limit=1" | sed -n 's/.*"remainingItemCount":\([0-9]*\).*/\1/p')
echo "pods in the cluster: $((n + 1))"
best=99
for r in 1 2 3; do
	s=$(curl -s -o "$T/list.json" -w '%{time_total}' "$URL/api/v1/pods")
	echo "  GET /api/v1/pods (JSON, $(wc -c <"$T/list.json") bytes): ${s} s"
	best=$(echo "if ($s < $best) $s else $best" | bc)
done
echo "full pod list, JSON: best ${best} s (target < 1 s)"
for r in 1 2; do
	s=$(curl -s -o /dev/null -w '%{time_total}' -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json' \
		"$URL/api/v1/pods?limit=500")
	echo "  first page of kubectl's Table (limit=500): ${s} s"
done
s0=$(date +%s.%N)
kubectl --kubeconfig "$T/kc" get pods -A --no-headers 2>/dev/null | wc -l >"$T/kn"
s1=$(date +%s.%N)
printf 'kubectl get pods -A (%s rows, paged by kubectl): %.2f s\n' "$(cat "$T/kn")" "$(echo "$s1 - $s0" | bc)"

# 200 concurrent watches from one resourceVersion, each must see one change
# (a watch that connects after the change still gets it from the window)
RV=$(curl -s "$URL/api/v1/namespaces/load-000/pods?limit=1" | sed -n 's/.*"metadata":{"resourceVersion":"\([0-9]*\)".*/\1/p')
: >"$T/watch.pids"
for w in $(seq 1 200); do
	curl -sN "$URL/api/v1/namespaces/load-000/pods?watch=1&timeoutSeconds=120&resourceVersion=$RV" \
		>"$T/w.$w" 2>/dev/null &
	echo $! >>"$T/watch.pids"
done
sleep 2
victim=$(curl -s "$URL/api/v1/namespaces/load-000/pods?limit=1" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["metadata"]["name"])')
[ -n "$victim" ] || { echo "no pod to delete"; exit 1; }
curl -s -X DELETE "$URL/api/v1/namespaces/load-000/pods/$victim?gracePeriodSeconds=0" -o /dev/null
i=0
while :; do
	got=0
	for w in $(seq 1 200); do grep -q "\"DELETED\"" "$T/w.$w" 2>/dev/null && got=$((got + 1)); done
	[ $got -ge 200 ] || [ $i -ge 60 ] && break
	i=$((i + 1))
	sleep 0.5
done
alive=0
for p in $(cat "$T/watch.pids"); do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
echo "concurrent watches: $alive of 200 still open; $got of 200 saw the DELETED event (target 200)"
echo "resident memory: $(rss VmRSS) MB now (after the benchmark)"
# VmHWM: the high-water mark of the whole run (the full lists, the watches),
# which is what the target bounds, not only the figure at the end.
echo "peak resident memory (VmHWM): $(rss VmHWM) MB | target < 300 MB"
# machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target
echo "BENCH|sim: full list of $PODS pods, JSON|$(printf '%.3f' "$best")|s|-|-|<1"
echo "BENCH|sim: 200 watches served an event|$got|watches|200|watches opened|>=200"
echo "BENCH|sim: peak RSS at $PODS pods|$(rss VmHWM)|MB|-|-|<300"
