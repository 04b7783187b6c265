#!/bin/sh
# opsdeck collect against opsdeck-sim, read back with history and events and
# compared with what kubectl reports against the same sim: pod readiness and
# restarts, the events archive (which keeps events kubectl can no longer
# see), the last-known rows, the notices, SIGTERM, and the exit codes.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/collect/lib.sh"

plan 32
sim_start --seed 3 --scenario home-automation || { echo "Bail out! no sim"; exit 1; }
collect_env

# Pods restart and make events: delete the matter-server pod and let its
# replacement come up.
old=$(K get pods -l app.kubernetes.io/name=matter-server -o name | head -1)
K delete "$old" --grace-period=1 --wait=false >/dev/null
# Let the pods settle, so the tick and kubectl's list below see the same state.
K wait --for=delete "$old" --timeout=60s >/dev/null 2>&1 || diag "$old was not deleted"
K wait --for=condition=Ready pod -l app.kubernetes.io/name=matter-server --timeout=60s >/dev/null 2>&1 ||
	diag "the replacement pod did not become ready"
# A Warning event about a pod, with kubectl, as a controller would post it.
cat >"$SIM_TMP/warn.json" <<JSON
{"apiVersion":"v1","kind":"Event","metadata":{"name":"warn-1","namespace":"home-automation"},
 "involvedObject":{"kind":"Pod","name":"home-assistant-x","namespace":"home-automation"},
 "reason":"BackOff","message":"Back-off restarting failed container","type":"Warning","count":3,
 "firstTimestamp":"2026-11-22T10:00:00Z","lastTimestamp":"$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "source":{"component":"kubelet"}}
JSON
K create -f "$SIM_TMP/warn.json" >/dev/null

uids() { K get events -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' | sort; }
uids >"$SIM_TMP/k-before"
out=$(OD collect --once 2>"$SIM_TMP/collect.err")
is "$?" 0 "collect --once exits 0"
like "$out" '^collected 1 tick and 1 PVC pass: [0-9]+ samples, [0-9]+ pod transitions, [0-9]+ events \(home-automation\)' \
	"collect --once says what it wrote"
if sim_serves /apis/metrics.k8s.io/v1beta1/pods; then
	unlike "$(cat "$SIM_TMP/collect.err")" 'metrics.k8s.io is not served' "no notice with metrics-server"
else
	is "$(grep -c 'metrics.k8s.io is not served by this cluster' "$SIM_TMP/collect.err")" 1 \
		"without metrics-server a notice is printed once, and the rest is collected"
fi
is "$(db_sql 'PRAGMA quick_check')" ok "the database passes quick_check"

# Readiness and restarts, pod by pod, as kubectl reports them.
K get pods --no-headers | awk '{print $1, $2, $4}' >"$SIM_TMP/kubectl-pods"
bad=0
while read -r pod ready restarts; do
	r=$(OD history ready --pod "$pod" -o csv 2>/dev/null | tail -1 | cut -d, -f2)
	n=$(OD history restarts --pod "$pod" -o csv 2>/dev/null | tail -1 | cut -d, -f2)
	want_ready=0.000
	[ "${ready%%/*}" = "${ready##*/}" ] && want_ready=1.000
	if [ "$r" != "$want_ready" ] || [ "$n" != "$restarts.000" ]; then
		diag "$pod: kubectl READY $ready RESTARTS $restarts, history ready $r restarts $n"
		bad=1
	fi
done <"$SIM_TMP/kubectl-pods"
is "$bad" 0 "history ready and restarts match kubectl's READY and RESTARTS for every pod"

pods=$(wc -l <"$SIM_TMP/kubectl-pods")
is "$(db_sql "SELECT count(*) FROM state_rows WHERE context='sim' AND kind='pod'")" "$pods" \
	"the last-known state holds every pod kubectl lists"
like "$(db_sql "SELECT name, data FROM state_rows WHERE context='sim' AND kind='workload'")" \
	'Deployment/matter-server\|Deployment/matter-server	[0-9]/[0-9]	0	' \
	"the last-known state holds the workloads, with ready pods and restarts"

summary=$(OD history restarts deploy/matter-server | tail -1)
like "$summary" '^restarts: min 0  avg 0  p95 0  max 0  \(' "history ends with a summary line"
like "$(OD history ready deploy/matter-server -o json)" '"tier":[[:space:]]*"raw"' \
	"a short window reads the raw tier"

# Events: the archive holds what kubectl shows, by uid.
# (The sim keeps posting events: kubectl's lists before and after bracket the archive.)
uids >"$SIM_TMP/k-uids"
OD events -o json | sed -n 's/.*"uid":[[:space:]]*"\([^"]*\)".*/\1/p' | sort >"$SIM_TMP/o-uids"
is "$(comm -23 "$SIM_TMP/k-before" "$SIM_TMP/o-uids")$(comm -13 "$SIM_TMP/k-uids" "$SIM_TMP/o-uids")" "" \
	"events lists every event kubectl listed, and nothing kubectl does not know"
is "$(OD events --type Warning | awk 'NR > 1 {print $2, $3, $4, $5}')" \
	"Warning BackOff Pod/home-assistant-x 3" "--type Warning keeps the warning, with its count"
like "$(OD events | head -1)" '^LAST SEEN +TYPE +REASON +OBJECT +COUNT +FIRST SEEN +MESSAGE$' \
	"events prints a header"
killing=$(OD events -l app.kubernetes.io/name=matter-server | awk 'NR > 1 {print $4}' | sort -u)
like "$killing" "^Pod/matter-server-" "-l matches the labels of the pod an event is about"
unlike "$killing" "ReplicaSet|home-assistant" "-l leaves out events about other objects"

# kubectl deletes the events (as the API server's TTL would): the archive keeps them.
K delete events --all >/dev/null
is "$(K get events -o name | wc -l)" 0 "kubectl no longer sees any event"
OD collect --once >/dev/null 2>&1
OD events -o json | sed -n 's/.*"uid":[[:space:]]*"\([^"]*\)".*/\1/p' | sort >"$SIM_TMP/o-uids2"
[ -s "$SIM_TMP/o-uids" ] || diag "the archive was empty before the deletion"
is "$(comm -23 "$SIM_TMP/o-uids" "$SIM_TMP/o-uids2")" "" \
	"the archive keeps every event ($(wc -l <"$SIM_TMP/o-uids" | tr -d ' ')) after the API dropped them"

# Pod transitions: the deleted pod went to Terminating, its replacement came up.
like "$(db_sql "SELECT DISTINCT pod FROM pod_transitions WHERE context='sim'")" \
	"matter-server-" "pod transitions are recorded"

# A running collector records a pod that goes away as a "Deleted" transition.
bg_collect "$SIM_TMP/del.out" "$SIM_TMP/del.err" --interval 1s
pid=$BG_PID
wait_for 20 more_ticks_than "$(ticks)" || diag "no tick within 20 s"
gone=$(K get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
K delete pod "$gone" --grace-period=1 --wait=false >/dev/null
K wait --for=delete "pod/$gone" --timeout=60s >/dev/null 2>&1
deleted() {
	[ "$(db_sql "SELECT count(*) FROM pod_transitions WHERE pod='$gone' AND phase='Deleted'")" = 1 ]
}
wait_for 20 deleted
is "$?" 0 "a deleted pod gets a Deleted transition"
stop_pid "$pid"

# A running collector stops cleanly on SIGTERM and SIGHUP, with a final line.
for sig in TERM HUP; do
	ticks0=$(ticks)
	bg_collect "$SIM_TMP/run.out" "$SIM_TMP/run.err" --interval 1s
	pid=$BG_PID
	wait_for 20 more_ticks_than "$ticks0" || diag "no tick within 20 s"
	kill -$sig $pid
	wait $pid
	is "$?" 0 "SIG$sig ends opsdeck collect with exit 0"
done
like "$(cat "$SIM_TMP/run.out")" '^collected [0-9]+ ticks? ' "it says what it collected"
is "$(db_sql 'PRAGMA quick_check')" ok "the database is intact after the signals"

# Exit codes: a refused connection is 1 with kubectl's words; usage is 2.
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$SIM_TMP/out")
sed "s/127.0.0.1:$port/127.0.0.1:1/" "$KC" >"$SIM_TMP/kc-dead"
"$OPSDECK" --kubeconfig "$SIM_TMP/kc-dead" --db "$DB" collect --once >/dev/null 2>"$SIM_TMP/dead.err"
is "$?" 1 "an unreachable server exits 1"
like "$(cat "$SIM_TMP/dead.err")" '^The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port\?$' \
	"with kubectl's message"
exit_is 2 "an interval under a second is a usage error" "$OPSDECK" --kubeconfig "$KC" --db "$DB" collect --interval 500ms
exit_is 2 "history without a target is a usage error" "$OPSDECK" --db "$DB" history cpu

# Scope: the namespaces of the profiles config.yaml names for the context, plus
# the current one; -A for every namespace.
mkdir -p "$XDG_CONFIG_HOME/opsdeck"
printf 'contexts:\n  sim:\n    profiles: [synapse, no-such-profile]\n' >"$XDG_CONFIG_HOME/opsdeck/config.yaml"
out=$(OD collect --once 2>"$SIM_TMP/scope.err")
like "$out" '\(home-automation, matrix, redis-synapse\)' "the scope adds the namespaces of the context's profiles"
like "$(cat "$SIM_TMP/scope.err")" '^warning: profiles not found for context "sim": no-such-profile$' \
	"a profile that does not exist is named in a warning"
rm "$XDG_CONFIG_HOME/opsdeck/config.yaml"

like "$(OD -A collect --once 2>/dev/null)" '\(all namespaces\)' "-A collects every namespace"
is "$(db_sql 'PRAGMA quick_check')" ok "the database passes quick_check at the end"

# The API server goes away under a running collector: it says so, does not
# repeat it every tick, and still stops cleanly.
bg_collect "$SIM_TMP/down.out" "$SIM_TMP/down.err" --interval 1s
pid=$BG_PID
wait_for 20 more_ticks_than "$(ticks)" || diag "no tick within 20 s"
kill "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
SIM_PID=
wait_for 20 grep -q 'was refused' "$SIM_TMP/down.err" || diag "no refusal reported"
sleep 4   # four more ticks against a dead server
n=$(grep -c 'was refused' "$SIM_TMP/down.err")
[ "$n" -ge 1 ] && [ "$n" -le 2 ] && ok "a dead API server is reported, not once per tick ($n lines)" ||
	{ not_ok "a dead API server is reported, not once per tick"; diag "$(cat "$SIM_TMP/down.err")"; }
stop_pid "$pid"
is "$?" 0 "and SIGTERM still ends the collector with exit 0"
