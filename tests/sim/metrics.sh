#!/bin/sh
# The usage model (issue 4): kubectl top against metrics.k8s.io, the kubelet's
# stats/summary, --speed (ten seconds of wall time cover ten minutes of
# metrics, consistent with the Date header), the Prometheus text (promtool),
# the workload targets and the --backfill history at the live boundary.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

NS=home-automation
sim_start --seed 11 --start-time 2026-05-01T08:00:00Z --speed 60 --metrics-listen 127.0.0.1:0 \
	--backfill 7d --scenario "$OPSDECK_SRCDIR/data/sim/home-automation.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
MURL=$(sed -n 's/^opsdeck-sim: metrics //p' "$SIM_TMP/out")
like "$(head -1 "$SIM_TMP/out")" '^opsdeck-sim: metrics http://127\.0\.0\.1:[0-9]+$' \
	"the metrics URL is printed before the serving line"
mcurl() { curl -s "$MURL$1"; }
py() { python3 -c "$1"; }

# --- kubectl top agrees with metrics.k8s.io ----------------------------------
TOP=$(K top pods -n $NS --no-headers 2>&1)
like "$TOP" '^matter-server-[a-z0-9]+-[a-z0-9]+ +[0-9]+m +[0-9]+Mi' "kubectl top pods -n NS works"
PM=$(sim_curl "/apis/metrics.k8s.io/v1beta1/namespaces/$NS/pods")
printf '%s' "$PM" >"$SIM_TMP/pm.json"
# matter-server: cpu (m) and memory (Mi) as the API sends them
read -r API_CPU API_MEM <<EOF
$(py '
import json, math
d = json.load(open("'"$SIM_TMP"'/pm.json"))
for it in d["items"]:
    if it["metadata"]["name"].startswith("matter-server-"):
        u = it["containers"][0]["usage"]
        print(math.ceil(int(u["cpu"][:-1]) / 1e6), int(u["memory"][:-2]) // 1024)')
EOF
TOP_CPU=$(printf '%s\n' "$TOP" | awk '/^matter-server-/ {sub("m","",$2); print $2}')
TOP_MEM=$(printf '%s\n' "$TOP" | awk '/^matter-server-/ {sub("Mi","",$3); print $3}')
# a sample every 15 s of sim time is 0.25 s of wall time at --speed 60: allow a little drift
near() { [ $(($1 - $2)) -le "$3" ] && [ $(($2 - $1)) -le "$3" ]; }
if near "$TOP_CPU" "$API_CPU" 40; then ok "top's CPU agrees with the API ($TOP_CPU m, $API_CPU m)"; else not_ok "top's CPU agrees with the API ($TOP_CPU m, $API_CPU m)"; fi
if near "$TOP_MEM" "$API_MEM" 20; then ok "top's memory agrees with the API ($TOP_MEM Mi, $API_MEM Mi)"; else not_ok "top's memory agrees with the API ($TOP_MEM Mi, $API_MEM Mi)"; fi
# runbook matter-server-operations.md: CPU < 200m, memory < 400Mi at rest
ok_range() { [ "$1" -gt 0 ] && [ "$1" -lt "$2" ]; }
if ok_range "$API_CPU" 200 && ok_range "$API_MEM" 400; then ok "matter-server stays inside the runbook's healthy range"; else not_ok "matter-server stays inside the runbook's healthy range ($API_CPU m, $API_MEM Mi)"; fi
like "$PM" '"timestamp":"2026-05-0[1-9]T[0-9:]+Z","window":"15\.[0-9]{3}s"' "each sample has its own timestamp and window"
like "$(K top nodes --no-headers 2>&1)" '^mini-1 +[0-9]+m +[0-9]+% +[0-9]+Mi +[0-9]+%' "kubectl top nodes works"
like "$(K top pod -n $NS -l app.kubernetes.io/name=matter-server --no-headers 2>&1)" '^matter-server-' \
	"kubectl top pod -l selects by label"

# --- stats/summary -----------------------------------------------------------
SUM=$(sim_curl /api/v1/nodes/mini-1/proxy/stats/summary)
printf '%s' "$SUM" >"$SIM_TMP/sum.json"
like "$SUM" '"pvcRef":\{"name":"matter-server-data","namespace":"home-automation"\}' \
	"stats/summary lists the PVC with its pvcRef"
is "$(py '
import json
d = json.load(open("'"$SIM_TMP"'/sum.json"))
for p in d["pods"]:
    for v in p.get("volume", []):
        if v["pvcRef"]["name"] == "matter-server-data":
            ok = v["usedBytes"] + v["availableBytes"] == v["capacityBytes"] and v["usedBytes"] < 0.8 * v["capacityBytes"]
            print("ok" if ok else v)')" ok "the PVC's used + available = capacity, under the runbook's 80 %"

# --- --speed 60: ten seconds of wall time are ten minutes --------------------
date_s() { sim_curl /healthz -D - -o /dev/null | sed -n 's/^Date: //p' | tr -d '\r'; }
stamp_s() { sim_curl "/apis/metrics.k8s.io/v1beta1/namespaces/$NS/pods" | sed -n 's/.*"name":"matter-server-[^"]*".*"timestamp":"\([^"]*\)".*/\1/p' | head -1; }
epoch() { date -u -d "$1" +%s; }
D0=$(epoch "$(date_s)"); S0=$(epoch "$(stamp_s)"); W0=$(date +%s)
advanced() { [ $(($(epoch "$(date_s)") - D0)) -ge 600 ]; }
wait_for 60 advanced
# the sample first, then Date: at --speed 60 a second of sim time passes in 17 ms
W1=$(date +%s); S1=$(epoch "$(stamp_s)"); D1=$(epoch "$(date_s)")
WALL=$((W1 - W0))
if [ "$WALL" -ge 8 ] && [ "$WALL" -le 14 ]; then ok "the Date header moved 10 min in ${WALL} s of wall time"; else not_ok "the Date header moved 10 min in ${WALL} s of wall time"; fi
DS=$((S1 - S0))
if [ "$DS" -ge 540 ] && [ "$DS" -le 840 ]; then ok "metrics timestamps moved with it (${DS} s)"; else not_ok "metrics timestamps moved with it (${DS} s)"; fi
if [ "$S1" -le "$D1" ] && [ $((D1 - S1)) -le 16 ]; then ok "the latest sample is at most one window behind Date"; else not_ok "sample $S1, Date $D1"; fi
mono=ok
prev=0
for _ in 1 2 3 4 5; do
	t=$(epoch "$(stamp_s)")
	[ "$t" -lt "$prev" ] && mono="went back from $prev to $t"
	prev=$t
	sleep 0.3
done
is "$mono" ok "metrics timestamps are monotonic"
LOGTS=$(K logs -n $NS deploy/matter-server --timestamps --tail=1 2>/dev/null | cut -d' ' -f1)
LT=$(epoch "$LOGTS")
D2=$(epoch "$(date_s)")
if [ $((D2 - LT)) -le 60 ] && [ $((LT - D2)) -le 5 ]; then ok "log timestamps follow the sim clock"; else not_ok "log $LOGTS vs Date $D2"; fi

# --- Prometheus text ---------------------------------------------------------
mcurl /metrics >"$SIM_TMP/metrics.txt"
for m in container_cpu_usage_seconds_total container_memory_usage_bytes container_spec_memory_limit_bytes \
	kubelet_volume_stats_used_bytes kubelet_volume_stats_capacity_bytes \
	kube_pod_container_status_restarts_total kube_pod_status_ready; do
	like "$(cat "$SIM_TMP/metrics.txt")" "# TYPE $m " "/metrics has $m"
done
like "$(cat "$SIM_TMP/metrics.txt")" 'kubelet_volume_stats_used_bytes\{namespace="home-automation",persistentvolumeclaim="matter-server-data"\} [0-9]' \
	"volume series carry namespace and persistentvolumeclaim"
like "$(cat "$SIM_TMP/metrics.txt")" 'kube_pod_status_ready\{condition="true",namespace="home-automation",pod="matter-server-' \
	"kube_pod_status_ready carries condition, namespace and pod"
unlike "$(cat "$SIM_TMP/metrics.txt")" '^up[{ ]' "no up series (Prometheus makes it)"
if command -v promtool >/dev/null 2>&1; then
	OUT=$(promtool check metrics <"$SIM_TMP/metrics.txt" 2>&1)
	is "$?" 0 "promtool check metrics accepts /metrics"
	[ -n "$OUT" ] && diag "$OUT"
else
	skip "promtool is not installed (setup.sh --test installs prometheus)"
fi
is "$(curl -s -o /dev/null -w '%{http_code}' "$MURL/metrics/$NS/matter-server")" 200 \
	"the workload target answers while a pod is Ready"
K scale -n $NS deploy/matter-server --replicas=0 >/dev/null
target_down() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$MURL/metrics/$NS/matter-server")" = 503 ]; }
if wait_for 60 target_down; then ok "the workload target is down (503) once no pod is Ready"; else not_ok "the workload target is down once no pod is Ready"; fi
K scale -n $NS deploy/matter-server --replicas=1 >/dev/null
stop_sim_quietly() { sim_stop_check; }
stop_sim_quietly

# --- app histograms and history (a second sim, matrixon's http block) --------
sim_start --seed 11 --start-time 2026-05-01T08:00:00Z --metrics-listen 127.0.0.1:0 --backfill 7d \
	--scenario "$OPSDECK_SRCDIR/data/sim/matrixon.yaml" || { echo "Bail out! no sim"; exit 1; }
MURL=$(sed -n 's/^opsdeck-sim: metrics //p' "$SIM_TMP/out")
APP=$(mcurl /metrics/matrixon/matrixon)
like "$APP" '# TYPE http_request_duration_seconds histogram' "an HTTP service's target has http_request_duration_seconds"
like "$APP" 'http_request_duration_seconds_bucket\{job="matrixon",namespace="matrixon",le="\+Inf"\} [0-9]+' "with an +Inf bucket"
if command -v promtool >/dev/null 2>&1; then
	printf '%s\n' "$APP" | promtool check metrics >/dev/null 2>&1
	is "$?" 0 "promtool check metrics accepts the workload target"
else
	skip "promtool is not installed"
fi
# p95 from the buckets stays under the runbook's 50 ms
P95=$(printf '%s\n' "$APP" | py '
import sys, re
b = []
for l in sys.stdin:
    m = re.match(r"http_request_duration_seconds_bucket\{.*le=\"([^\"]+)\"\} (\d+)", l)
    if m: b.append((float("inf") if m.group(1) == "+Inf" else float(m.group(1)), int(m.group(2))))
tot = b[-1][1]
print(next(le for le, c in b if c >= 0.95 * tot))')
like "$P95" '^0\.0(05|1|25|5)$' "p95 from the histogram is at most 50 ms ($P95)"

# history: the last point agrees with the live model at the boundary
PMJ=$(sim_curl "/apis/metrics.k8s.io/v1beta1/namespaces/matrixon/pods")
printf '%s' "$PMJ" >"$SIM_TMP/pm2.json"
read -r POD TS KI <<EOF
$(py '
import json
d = json.load(open("'"$SIM_TMP"'/pm2.json"))
it = d["items"][0]
print(it["metadata"]["name"], it["timestamp"], it["containers"][0]["usage"]["memory"][:-2])')
EOF
T=$(epoch "$TS")
H=$(mcurl "/metrics/history?start=$((T - 3600))&end=$T&step=60")
like "$H" "container_memory_working_set_bytes\\{container=\"[^\"]+\",image=\"[^\"]+\",namespace=\"matrixon\",pod=\"$POD\"\\} [0-9]+ $((T * 1000))" \
	"history has a sample at the boundary, with its timestamp"
HB=$(printf '%s\n' "$H" | grep "^container_memory_working_set_bytes{.*pod=\"$POD\"} [0-9]* $((T * 1000))\$" | head -1 | awk '{print $2}')
if [ -n "$HB" ] && near $((HB / 1024)) "$KI" 1; then ok "history agrees with metrics.k8s.io at the boundary ($((HB / 1024)) Ki, $KI Ki)"; else not_ok "history agrees with metrics.k8s.io at the boundary ($HB B, $KI Ki)"; fi
is "$(printf '%s\n' "$H" | grep -c "^container_memory_working_set_bytes{.*pod=\"$POD\"}")" 61 \
	"an hour at step=60 is 61 points"
WEEK=$(mcurl "/metrics/history?start=$((T - 7 * 86400))&end=$T&step=3600" | grep -c '^kubelet_volume_stats_used_bytes{')
[ "$WEEK" -ge 169 ] && ok "a week of history ($WEEK volume samples)" || not_ok "a week of history ($WEEK volume samples)"
is "$(curl -s -o /dev/null -w '%{http_code}' "$MURL/metrics/history?start=x&end=1&step=60")" 400 "a bad history query is a 400"
sim_stop_check
plan_done
