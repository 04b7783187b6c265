#!/bin/sh
# The collector's metrics path end to end, against tests/collect/fakeapi.py
# (until opsdeck-sim serves metrics.k8s.io): container CPU as kubectl top
# rounds it and memory in bytes, each pod at its own metrics timestamp, node
# usage, PVC usage from the stats summary (only in scope), pod state on the
# API server's clock (five years behind the local one), the events archive,
# and the last-known rows with usage and the workload's sums.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

plan 21
tap_tmpdir
W=$TAP_TMP
FAKE_PID=
cleanup() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
if ! command -v python3 >/dev/null; then
	i=0
	while [ $i -lt 21 ]; do skip "python3 is not installed"; i=$((i + 1)); done
	exit 0
fi
python3 "$OPSDECK_SRCDIR/tests/collect/fakeapi.py" >"$W/fake.out" 2>"$W/fake.err" &
FAKE_PID=$!
wait_for 20 grep -q '^fakeapi: serving ' "$W/fake.out" || { echo "Bail out! no fake API"; exit 1; }
URL=$(sed -n 's/^fakeapi: serving //p' "$W/fake.out")
cat >"$W/kc" <<EOK
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {server: "$URL"}
users:
- name: u
  user: {token: t}
contexts:
- name: fake
  context: {cluster: fake, user: u, namespace: shop}
current-context: fake
EOK
HOME=$W/home XDG_CONFIG_HOME=$W/config XDG_STATE_HOME=$W/state XDG_DATA_HOME=$W/data
export HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME
unset KUBECONFIG
DB=$W/history.db
OD() { "$OPSDECK" --kubeconfig "$W/kc" --db "$DB" "$@"; }
get() { curl -s "$URL$1"; }
A=web-5d4f8b7c9-abcde
B=web-5d4f8b7c9-fghij

out=$(OD collect --once 2>"$W/err")
is "$?" 0 "collect --once exits 0"
is "$(cat "$W/err")" "" "no notice when metrics.k8s.io and the stats summary are served"

pm=$(get /apis/metrics.k8s.io/v1beta1/namespaces/shop/pods)
ta=$(printf '%s' "$pm" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["timestamp"])')
tb=$(printf '%s' "$pm" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][1]["timestamp"])')
# The fake's timestamps move with its clock: the collector's tick was a few seconds earlier.
row_a=$(OD history cpu --pod $A --step 1s -o csv 2>/dev/null | sed -n 2p)
is "$(echo "$row_a" | cut -d, -f2)" "93.000" "CPU of a pod is the sum of its containers, rounded up per container as kubectl top does (88m + 5m)"
is "$(OD history memory --pod $B --step 1s -o csv 2>/dev/null | sed -n 2p | cut -d, -f2)" "325058560.000" \
	"memory of a pod in bytes (300Mi + 10Mi)"
ts_a=$(echo "$row_a" | cut -d, -f1)
ts_b=$(OD history memory --pod $B --step 1s -o csv 2>/dev/null | sed -n 2p | cut -d, -f1)
secs() { date -u -d "$1" +%s; }
is "$(( $(secs "$tb") - $(secs "$ta") ))" "$(( $(secs "$ts_b") - $(secs "$ts_a") ))" \
	"each pod's samples are stored at its own metrics timestamp (4 s apart)"
like "$ts_a" "^$(date -u -d "@$(( $(date +%s) - 5 * 365 * 86400 ))" +%Y)-" \
	"timestamps are the metrics API's, five years behind the local clock"
ready_ts=$(OD history ready --pod $A --step 1s -o csv 2>/dev/null | sed -n 2p | cut -d, -f1)
fake_date=$(curl -sI "$URL/api/v1/nodes" | sed -n 's/^Date: //Ip' | tr -d '\r')
d=$(( $(secs "$fake_date") - $(secs "$ready_ts") ))
[ "$d" -ge 0 ] && [ "$d" -lt 60 ] && ok "pod state is stamped with the API server's clock (Date header)" ||
	{ not_ok "pod state on the API server's clock"; diag "ready at $ready_ts, server Date $fake_date"; }

is "$(OD history cpu --node node-a -o csv 2>/dev/null | sed -n 2p | cut -d, -f2)" "1500.000" "node CPU"
is "$(OD history storage --pvc web-data -o csv 2>/dev/null | sed -n 2p | cut -d, -f2)" "1288490188.000" \
	"PVC used bytes from the kubelet stats summary"
like "$(OD history storage --pvc web-data | tail -1)" '^storage: min 1\.2Gi  avg 1\.2Gi  p95 1\.2Gi  max 1\.2Gi  \(.*\)  capacity 5Gi, 24% used at the end$' \
	"a PVC's summary adds its capacity and how full it is"
exit_is 1 "a PVC outside the scope is not collected" "$OPSDECK" --kubeconfig "$W/kc" --db "$DB" -A history storage --pvc not-in-scope
is "$(OD history memory deploy/web --step 1s -o csv 2>/dev/null | awk -F, 'NR > 1 {s += $2; n++} END {print n, s}')" \
	"2 513802240" "deploy/web reads both of its pods (180Mi and 310Mi at their own times)"
is "$(OD history cpu -l app=web --step 1s -o csv 2>/dev/null | awk -F, 'NR > 1 {s += $2} END {print s}')" \
	"344" "-l reads the pods its selector matches in the last-known state (93m + 251m)"
is "$(OD events -l app=web --type Warning | awk '$3 == "Unhealthy" {print $3, $4, $5}')" "Unhealthy Pod/$B 4" \
	"the event is archived with its pod's labels"
is "$(sqlite3 -readonly "$DB" "SELECT data FROM state_rows WHERE kind='pod' AND name='$A'" | cut -f7,8)" \
	"93	188743680" "the last-known pod row carries the tick's usage"
is "$(sqlite3 -readonly "$DB" "SELECT data FROM state_rows WHERE kind='workload'")" \
	"Deployment/web	1/2	2	344	513802240" "the last-known workload row sums its pods"

# The archive's retention: an event last seen three hours ago (on the API's
# clock) is kept by default, and pruned with retention.events 1h.
is "$(OD events --since 1d | grep -c OldUnhealthy)" 1 "an event three hours old is archived by default"
mkdir -p "$XDG_CONFIG_HOME/opsdeck"
printf 'defaults:\n  retention:\n    events: 1h\n' >"$XDG_CONFIG_HOME/opsdeck/config.yaml"
OD collect --once >/dev/null 2>&1
is "$(OD events --since 1d | awk 'NR > 1 {print $3}' | sort | tr '\n' ' ')" "Unhealthy " \
	"with retention.events 1h it is pruned, and the recent event stays"

# A namespace-scoped user may not list nodes or NodeMetrics: the rest is
# collected, and the refusal is said once, in kubectl's words.
sed 's/token: t}/token: ns-user}/' "$W/kc" >"$W/kc-ns"
DB2=$W/ns.db
"$OPSDECK" --kubeconfig "$W/kc-ns" --db "$DB2" collect --once >/dev/null 2>"$W/ns.err"
is "$?" 0 "collect --once succeeds for a user who may not list nodes"
# The two requests run concurrently, so the notices come in either order.
is "$(sort "$W/ns.err")" 'opsdeck collect: PVC usage skipped: Error from server (Forbidden): nodes is forbidden: User "ns-user" cannot list resource "nodes" in API group "" at the cluster scope
opsdeck collect: metrics skipped: Error from server (Forbidden): nodes.metrics.k8s.io is forbidden: User "ns-user" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope' \
	"each refusal is told once"
is "$("$OPSDECK" --kubeconfig "$W/kc-ns" --db "$DB2" history cpu --pod $A --step 1s -o csv 2>/dev/null | sed -n 2p | cut -d, -f2)" \
	"93.000" "pod metrics are still collected"
