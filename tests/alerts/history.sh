#!/bin/sh
# Prometheus as a history source (issue 12): `opsdeck collect` fills the
# store from opsdeck-sim while a real Prometheus scrapes the same sim; for the
# same pod, workload, PVC and window, `opsdeck history --source prometheus`
# (query_range) agrees with `--source store` within rounding, through the
# same printers.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/lib/monitoring.sh"
. "$OPSDECK_SRCDIR/tests/alerts/alerts-lib.sh"

if ! mon_have; then
	echo "1..0 # SKIP prometheus or prometheus-alertmanager not installed"
	exit 0
fi

alerts_sim_start || { echo "Bail out! no sim or monitoring"; exit 1; }
COLLECT_PID=
trap '[ -n "$COLLECT_PID" ] && kill "$COLLECT_PID" 2>/dev/null; mon_stop; sim_cleanup' EXIT
XDG_CONFIG_HOME=$SIM_TMP/config
XDG_STATE_HOME=$SIM_TMP/state
export XDG_CONFIG_HOME XDG_STATE_HOME
mkdir -p "$XDG_CONFIG_HOME/opsdeck" "$XDG_STATE_HOME"
DB=$SIM_TMP/history.db
od() {
	"$OPSDECK" --kubeconfig "$KC" --db "$DB" "$@"
}
CTX=$(K config current-context)
NS=home-automation
POD=$(K get pods -n $NS -o name | sed -n 's|^pod/\(matter-server-.*\)|\1|p' | head -1)
like "$POD" '^matter-server-' "the matter-server pod: $POD"

err=$(od -n $NS history memory --pod "$POD" --source prometheus 2>&1)
exit_is 2 "no Prometheus configured: exit 2" od -n $NS history memory --pod "$POD" --source prometheus
like "$err" "Prometheus not configured: set prometheus for context $CTX" "the error names the setting"
exit_is 2 "--source must be store or prometheus" od -n $NS history memory --pod "$POD" --source nosuch

cat >"$XDG_CONFIG_HOME/opsdeck/config.yaml" <<EOF
contexts:
  $CTX:
    prometheus: $PROM_URL
EOF

# Prometheus has a minute of scrapes before the window opens, so that rate()
# over [60s] covers whole windows.
up_long() {
	mon_prom_query 'count_over_time(up{job="sim"}[2m])' | python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
sys.exit(0 if r and float(r[0]["value"][1]) >= 60 else 1)'
}
wait_for 120 up_long || diag "Prometheus has less than a minute of scrapes"

"$OPSDECK" --kubeconfig "$KC" --db "$DB" -A collect --interval 5s >"$SIM_TMP/collect.out" 2>&1 &
COLLECT_PID=$!
# Eight metrics.k8s.io samples (every 15 s) of the pod in the store.
points() {
	od -n $NS history memory --pod "$POD" --since 10m -o json 2>/dev/null |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)["points"]))' 2>/dev/null
}
enough() { [ "$(points)" -ge 8 ]; }
if wait_for 240 enough; then ok "the store holds eight samples"; else not_ok "the store holds eight samples ($(points))"; fi
kill "$COLLECT_PID" 2>/dev/null
wait "$COLLECT_PID" 2>/dev/null
COLLECT_PID=

# The window: from the first sample (on the 15 s grid) to the last.
od -n $NS history memory --pod "$POD" --since 10m -o json >"$SIM_TMP/w.json"
read -r FROM TO <<EOF
$(python3 -c 'import json, sys, datetime
p = json.load(open(sys.argv[1]))["points"]
t = [int(datetime.datetime.strptime(x["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()) for x in p]
f = t[0] // 15 * 15
print(datetime.datetime.fromtimestamp(f, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
      datetime.datetime.fromtimestamp(t[-1] + 1, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$SIM_TMP/w.json")
EOF
diag "window $FROM .. $TO"

# compare NAME TOLERANCE ARGS...: the summaries' avg, min and max from both sources.
compare() {
	name=$1 tol=$2
	shift 2
	od "$@" --from "$FROM" --to "$TO" --step 15s -o json >"$SIM_TMP/s.json" 2>"$SIM_TMP/s.err"
	od "$@" --from "$FROM" --to "$TO" --step 15s -o json --source prometheus >"$SIM_TMP/p.json" 2>"$SIM_TMP/p.err"
	got=$(python3 -c 'import json, sys
s = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2])); tol = float(sys.argv[3])
a, b = s["summary"], p["summary"]
ok = abs(a["avg"] - b["avg"]) <= tol * max(abs(a["avg"]), 1) and len(p["points"]) >= len(s["points"]) - 1
print("agree" if ok else "differ", "store avg %.1f over %d points, prometheus avg %.1f over %d points (%s)" % (a["avg"], len(s["points"]), b["avg"], len(p["points"]), p["tier"]))' \
		"$SIM_TMP/s.json" "$SIM_TMP/p.json" "$tol" 2>&1)
	like "$got" '^agree .*Prometheus query_range' "$name: both sources agree within ${tol}"
	diag "$got"
}
compare "memory of the pod" 0.01 -n $NS history memory --pod "$POD"
compare "cpu of the pod" 0.05 -n $NS history cpu --pod "$POD"
compare "memory of deploy/matter-server" 0.01 -n $NS history memory deploy/matter-server
compare "storage of PVC matter-server-data" 0.001 -n $NS history storage --pvc matter-server-data
MPOD=$(K get pods -n matrixon -o name | sed -n 's|^pod/||p' | grep -E '^matrixon-[a-z0-9]+-[a-z0-9]{5}$' | head -1)
compare "memory of a matrixon pod" 0.01 -n matrixon history memory --pod "$MPOD"
# A workload's pods are summed per point: three series behind each point.
# (The store's per-pod samples fall on offsets of their own, so its 15 s
# buckets do not all hold every pod: sums are compared per pod above.)
od -n matrixon history memory deploy/matrixon --from "$FROM" --to "$TO" --step 15s -o json \
	--source prometheus >"$SIM_TMP/m.json" 2>/dev/null
is "$(python3 -c 'import json, sys; print(sorted({p["samples"] for p in json.load(open(sys.argv[1]))["points"]}))' "$SIM_TMP/m.json" 2>&1)" \
	"[3]" "deploy/matrixon from Prometheus: three pods behind every point"

# The checklists' trend kinds: the weekly checklist's CPU and memory weekly
# averages and restarts, from the store and from Prometheus.
od -n $NS check weekly --profile matter-server --new >"$SIM_TMP/ck-store.md" 2>/dev/null
od -n $NS check weekly --profile matter-server --new --source prometheus >"$SIM_TMP/ck-prom.md" 2>/dev/null
trend() { # trend FILE ITEM-TEXT: the item's value in base units (m, Mi)
	grep -F -- "$2" "$1" | head -1 | sed -n 's/.*: \([0-9.]*\)\(m\|Mi\|\) (.*/\1/p'
}
near() { # near A B TOL
	python3 -c 'import sys; a, b, t = map(float, sys.argv[1:]); sys.exit(0 if abs(a - b) <= t * max(abs(a), 1) else 1)' "$@" 2>/dev/null
}
for item in "Resource usage trends reviewed:0.05" "Memory weekly average under 400Mi:0.02"; do
	text=${item%:*}
	a=$(trend "$SIM_TMP/ck-store.md" "$text")
	b=$(trend "$SIM_TMP/ck-prom.md" "$text")
	if [ -n "$a" ] && [ -n "$b" ] && near "$a" "$b" "${item##*:}"; then
		ok "check weekly, $text: store $a, Prometheus $b"
	else
		not_ok "check weekly, $text: store '$a', Prometheus '$b'"
		grep -F -A1 -- "$text" "$SIM_TMP/ck-store.md" "$SIM_TMP/ck-prom.md" | sed 's/^/# /'
	fi
done
like "$(grep -F -A1 'Resource usage trends reviewed' "$SIM_TMP/ck-prom.md")" \
	'source: Prometheus: avg_over_time\(avg\(irate\(container_cpu_usage_seconds_total\{namespace="home-automation",pod=~"matter-server-\.\*"' \
	"the item names its PromQL as its source"
like "$(grep -F 'No restarts this week' "$SIM_TMP/ck-prom.md")" 'No restarts this week: 0 ' \
	"restarts from Prometheus: 0, as in the store"

# The same printers either way: the table and the summary line.
out=$(od -n $NS history memory --pod "$POD" --from "$FROM" --to "$TO" --step 15s --source prometheus)
like "$out" '^TIME +VALUE +MIN +MAX +SAMPLES' "the table's header, as from the store"
like "$out" 'memory: min [0-9]+Mi +avg [0-9]+Mi +p95 [0-9]+Mi +max [0-9]+Mi +\([0-9]+ points of 15s from Prometheus query_range' \
	"the summary line, naming its source"
out=$(od -n $NS history memory --pod "$POD" --from "$FROM" --to "$TO" --step 15s --source prometheus -o csv 2>/dev/null)
like "$out" '^time,memory_bytes,min,max,samples' "csv as from the store"

# Prometheus gone: exit 1 with what could not be reached.
mon_stop
exit_is 1 "Prometheus down: exit 1" od -n $NS history memory --pod "$POD" --source prometheus
sim_stop_check
plan_done
exit $((TAP_FAILED > 0))
