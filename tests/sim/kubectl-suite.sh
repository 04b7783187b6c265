# tests/sim/kubectl-suite.sh (with SIM_MODE set): kubectl against opsdeck-sim, checked
# against the sim's own state (the objects' JSON). SIM_MODE is http, tls-cert
# (the admin user authenticates with a client certificate) or tls-token.
# Sourced by kubectl_http.sh, kubectl_tls_cert.sh and kubectl_tls_token.sh.

. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

MODE=$SIM_MODE
NS=home-automation
case "$MODE" in
http) FLAGS= ;;
tls-cert) FLAGS="--tls --auth cert" ;;
tls-token) FLAGS="--tls --auth token" ;;
*) echo "Bail out! unknown mode $MODE"; exit 1 ;;
esac

# shellcheck disable=SC2086
if ! sim_start $FLAGS --seed 3 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml"; then
	echo "Bail out! the simulator did not start"
	exit 1
fi

like "$SIM_URL" "^$( [ "$MODE" = http ] && echo http || echo https )://127\.0\.0\.1:[0-9]+$" \
	"serving line names the URL"
is "$(K config get-contexts -o name | sort | tr '\n' ' ')" "sim sim-edit sim-view " \
	"kubeconfig has the three contexts"
is "$(K config view --minify -o jsonpath='{.contexts[0].context.namespace}')" "$NS" \
	"contexts use the main namespace"
if [ "$MODE" = tls-cert ]; then
	like "$(K config view --raw --minify -o jsonpath='{.users[0].user.client-certificate-data}')" \
		'^[A-Za-z0-9+/=]{100,}$' "admin authenticates with a client certificate"
else
	like "$(K config view --raw --minify -o jsonpath='{.users[0].user.token}')" '^admin\.' \
		"admin authenticates with a token"
fi

# --- get ---
names_table=$(K get pods -n $NS --no-headers | awk '{print $1}' | sort | tr '\n' ' ')
names_json=$(K get pods -n $NS -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort | tr '\n' ' ')
is "$names_table" "$names_json" "get pods -n lists the namespace's pods"
like "$names_table" 'home-assistant-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5} ' \
	"pod names carry the template hash and a suffix"

all_rows=$(K get pods -A --no-headers | grep -c .)
all_json=$(K get pods -A -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | grep -c .)
is "$all_rows" "$all_json" "get pods -A lists every pod"
like "$(K get pods -A --no-headers | awk '{print $1}' | sort -u | tr '\n' ' ')" \
	'home-automation matrix tapio-system' "get pods -A spans the namespaces"

sel=$(K get pods -l app.kubernetes.io/name=home-assistant --no-headers)
is "$(count_lines "$sel")" 3 "get pods -l selects the deployment's three pods"
is "$(K get pods -l 'app.kubernetes.io/name in (home-assistant,matter-server),!job-name' --no-headers | grep -c .)" 4 \
	"set-based selectors (in, !key)"

wide=$(K get pods -n $NS -o wide --no-headers -l app.kubernetes.io/name=home-assistant)
ips=$(printf '%s\n' "$wide" | awk '{print $1"="$6"@"$7}' | sort | tr '\n' ' ')
ips_json=$(K get pods -l app.kubernetes.io/name=home-assistant -o jsonpath='{range .items[*]}{.metadata.name}={.status.podIP}@{.spec.nodeName}{"\n"}{end}' | sort | tr '\n' ' ')
is "$ips" "$ips_json" "get pods -o wide shows each pod's IP and node"
like "$(K get pods -o wide | head -1)" 'NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES' \
	"wide columns as the apiserver prints them"

dep=$(K get deploy home-assistant --no-headers)
dep_json=$(K get deploy home-assistant -o jsonpath='{.status.readyReplicas}/{.spec.replicas} {.status.updatedReplicas} {.status.availableReplicas}')
is "$(echo "$dep" | awk '{print $2" "$3" "$4}')" "$dep_json" "get deploy READY/UP-TO-DATE/AVAILABLE match status"
like "$(K get deploy home-assistant -o jsonpath='{.status.conditions[*].reason}')" \
	'MinimumReplicasAvailable.*NewReplicaSetAvailable|NewReplicaSetAvailable.*MinimumReplicasAvailable' \
	"deployment conditions Available and Progressing"

rs=$(K get rs --no-headers -l app.kubernetes.io/name=home-assistant)
is "$(echo "$rs" | awk '{print $2$3$4}')" "333" "get rs: desired, current, ready"
is "$(K get sts -n matrix --no-headers | awk '{print $1, $2}')" "synapse-postgres 2/2" "get sts"
nodes=$(K get nodes --no-headers | grep -c .)
is "$(K get ds -n tapio-system --no-headers | awk '{print $2, $4, $6}')" "$nodes $nodes $nodes" \
	"get ds: one ready pod per node"
like "$(K get jobs --no-headers)" '^matter-backup-[0-9]+ +Complete +1/1 ' "get jobs: the last backup completed"
pvc=$(K get pvc matter-server-data --no-headers)
is "$(echo "$pvc" | awk '{print $2, $3, $4, $5, $6}')" \
	"Bound $(K get pvc matter-server-data -o jsonpath='{.spec.volumeName}') 5Gi RWO longhorn" "get pvc"
is "$(K get pvc -n matrix --no-headers | awk '{print $1}' | tr '\n' ' ')" \
	"data-synapse-postgres-0 data-synapse-postgres-1 " "StatefulSet claims from volumeClaimTemplates"
is "$(K get volumesnapshots --no-headers 2>&1)" "No resources found in $NS namespace." \
	"get volumesnapshots on an empty namespace"

all=$(K get all --no-headers 2>&1)
for kind in pod/ service/ deployment.apps/ replicaset.apps/ job.batch/ cronjob.batch/; do
	like "$all" "^$kind" "get all includes $kind"
done
is "$(K get pods -o json | grep -c '"kind": "List"')" 1 "get -o json gives a List"

# --- describe and logs ---
P=$(K get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
desc=$(K describe pod "$P")
like "$desc" "Name: +$P" "describe pod names the pod"
like "$desc" "Controlled By: +ReplicaSet/matter-server-" "describe pod shows the owner"
like "$desc" "Status: +Running" "describe pod shows the phase"
like "$desc" "Readiness: +tcp-socket :5580" "describe pod shows the probe"

tail3=$(K logs "$P" --tail=3)
is "$(count_lines "$tail3")" 3 "logs --tail=3"
like "$tail3" '^INFO \[matter_server|WARNING \[chip' "logs come from the scenario's templates"
is "$(K logs "$P" --tail=3 --timestamps | awk '{print $1}' | grep -cE '^20[0-9-]+T[0-9:.]+Z$')" 3 \
	"logs --timestamps prefixes RFC 3339 times"
since=$(K logs "$P" --since=2s | grep -c .)
total=$(K logs "$P" | grep -c .)
if [ "$since" -gt 0 ] && [ "$since" -lt "$total" ]; then ok "logs --since=2s returns the recent lines"
else not_ok "logs --since=2s returns the recent lines"; diag "since=$since total=$total"; fi
like "$(K logs "$P" --limit-bytes=10 | wc -c)" '^ *10$' "logs --limit-bytes"
timeout 3 kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" logs -f --tail=1 "$P" >"$SIM_TMP/follow" 2>&1
if [ "$(grep -c . "$SIM_TMP/follow")" -ge 5 ]; then ok "logs -f streams new lines"
else not_ok "logs -f streams new lines"; diag "$(cat "$SIM_TMP/follow")"; fi
prefixed=$(K logs -l app.kubernetes.io/name=home-assistant --prefix --tail=2)
is "$(printf '%s\n' "$prefixed" | grep -cE '^\[pod/home-assistant-[a-z0-9-]+/home-assistant\] \{"time":')" 6 \
	"logs -l --prefix, JSON lines from each pod"
like "$(K logs "$P" --previous 2>&1)" "previous terminated container \"matter-server\" in pod \"$P\" not found" \
	"logs --previous without a restart fails as kubectl does"

# --- watch ---
timeout 8 kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" get pods -n matrix -w >"$SIM_TMP/watch" 2>&1 &
wpid=$!
wait_for 5 grep -q synapse-postgres-1 "$SIM_TMP/watch"
K scale sts synapse-postgres -n matrix --replicas=3 >/dev/null
wait_for 10 sh -c "grep -q 'synapse-postgres-2 .*1/1 .*Running' '$SIM_TMP/watch'"
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null
like "$(cat "$SIM_TMP/watch")" 'synapse-postgres-2 +0/1 +(Pending|ContainerCreating)' "get -w shows the new pod starting"
like "$(cat "$SIM_TMP/watch")" 'synapse-postgres-2 +1/1 +Running' "get -w shows it become ready"
is "$(K get pvc -n matrix data-synapse-postgres-2 -o jsonpath='{.status.phase}')" Bound \
	"scaling a StatefulSet binds the next ordinal's claim"

# --- rollout ---
old_rs=$(K get deploy home-assistant -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')
like "$(K rollout restart deploy/home-assistant)" 'deployment.apps/home-assistant restarted' "rollout restart"
like "$(K rollout status deploy/home-assistant --timeout=60s)" 'deployment "home-assistant" successfully rolled out' \
	"rollout status follows the restart to completion"
is "$(K get rs -l app.kubernetes.io/name=home-assistant --no-headers | awk '$2 > 0' | grep -c .)" 1 \
	"one ReplicaSet keeps the pods after the rollout"
is "$(K get pods -l app.kubernetes.io/name=home-assistant -o jsonpath='{range .items[*]}{.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}{"\n"}{end}' | grep -c .)" 3 \
	"every pod carries the restart annotation"
hist=$(K rollout history deploy/home-assistant)
like "$hist" "$old_rs +<none>" "rollout history lists the old revision"
like "$hist" "$((old_rs + 1)) +<none>" "rollout history lists the new revision"

K set image deploy/home-assistant home-assistant=ghcr.io/home-assistant/home-assistant:2024.12.0 >/dev/null
like "$(K rollout status deploy/home-assistant --timeout=60s)" 'successfully rolled out' "set image rolls out"
# Old pods may still be terminating when the rollout is reported complete.
wait_for 10 sh -c "[ \"\$(kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get pods -l app.kubernetes.io/name=home-assistant -o jsonpath='{range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}' | sort -u | grep -c .)\" = 1 ]"
is "$(K get pods -l app.kubernetes.io/name=home-assistant -o jsonpath='{range .items[*]}{.spec.containers[0].image}{"\n"}{end}' | sort -u)" \
	"ghcr.io/home-assistant/home-assistant:2024.12.0" "set image: every pod runs the new image"
like "$(K rollout undo deploy/home-assistant)" 'rolled back' "rollout undo"
K rollout status deploy/home-assistant --timeout=60s >/dev/null
is "$(K get deploy home-assistant -o jsonpath='{.spec.template.spec.containers[0].image}')" \
	"ghcr.io/home-assistant/home-assistant:2024.11.1" "rollout undo restores the previous image"
is "$(K rollout history deploy/home-assistant | awk 'NR>2 && NF {print $1}' | tr '\n' ' ')" \
	"$old_rs $((old_rs + 2)) $((old_rs + 3)) " "the undone revision becomes the newest"

# --- scale ---
like "$(K scale deploy/home-assistant --replicas=2)" scaled "scale --replicas=2"
wait_for 20 sh -c "[ \"\$(kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get pods -l app.kubernetes.io/name=home-assistant --no-headers | grep -c .)\" = 2 ]"
is "$(K get pods -l app.kubernetes.io/name=home-assistant --no-headers | grep -c .)" 2 "scale down removes a pod"
like "$(K scale deploy/home-assistant --current-replicas=5 --replicas=1 2>&1)" \
	'Expected replicas to be 5, was 2' "scale --current-replicas refuses a mismatch"
like "$(K scale deploy/home-assistant --current-replicas=2 --replicas=3)" scaled "scale --current-replicas with a match"
wait_for 20 sh -c "kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get deploy home-assistant -o jsonpath='{.status.readyReplicas}' | grep -qx 3"
is "$(K get deploy home-assistant -o jsonpath='{.status.readyReplicas}')" 3 "scaled up to three ready pods"

# --- delete pod ---
P=$(K get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
like "$(K delete pod "$P")" "pod \"$P\" deleted" "delete pod"
wait_for 20 sh -c "kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get pods -l app.kubernetes.io/name=matter-server --no-headers | grep -q '1/1 *Running'"
NP=$(K get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[*].metadata.name}')
if [ -n "$NP" ] && [ "$NP" != "$P" ]; then ok "a replacement pod replaces the deleted one"
else not_ok "a replacement pod replaces the deleted one"; diag "before=$P after=$NP"; fi
like "$(K get events --field-selector involvedObject.name="$P" --no-headers)" 'Killing .*Stopping container matter-server' \
	"deleting a pod records Killing"
like "$(K get events --field-selector reason=SuccessfulCreate --no-headers)" "Created pod: $NP" \
	"the ReplicaSet records SuccessfulCreate"

# --- VolumeSnapshot as the runbook writes it ---
SNAP=matter-server-manual-$(date +%Y%m%d-%H%M%S)
like "$(K apply -f - <<YAML
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: $SNAP
  namespace: home-automation
spec:
  source:
    persistentVolumeClaimName: matter-server-data
  volumeSnapshotClassName: longhorn-snapshot-vsc
YAML
)" "volumesnapshot.snapshot.storage.k8s.io/$SNAP created" "apply -f the runbook's VolumeSnapshot"
wait_for 15 sh -c "kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get volumesnapshot $SNAP -o jsonpath='{.status.readyToUse}' | grep -qx true"
is "$(K get volumesnapshot "$SNAP" -o jsonpath='{.status.readyToUse} {.status.restoreSize}')" "true 5Gi" \
	"the snapshot becomes readyToUse with the PVC's size"
like "$(K get volumesnapshots -n home-automation | grep matter-server-manual)" "^$SNAP +true +matter-server-data +5Gi +longhorn-snapshot-vsc" \
	"get volumesnapshots prints the CRD's columns"
K apply -f - >/dev/null <<YAML
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: bad-claim
  namespace: home-automation
spec:
  source:
    persistentVolumeClaimName: no-such-claim
YAML
wait_for 10 sh -c "kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get volumesnapshot bad-claim -o jsonpath='{.status.error.message}' | grep -q no-such-claim"
like "$(K get volumesnapshot bad-claim -o jsonpath='{.status.readyToUse} {.status.error.message}')" \
	'^false .*no-such-claim' "a snapshot of an unknown PVC reports status.error"
like "$(K get events --no-headers)" 'ScalingReplicaSet .*Scaled (up|down) replica set home-assistant-' \
	"get events shows the deployment controller's events"

# --- every kind with -A, -n, -l, -o wide and -o json, against the API's lists ---
# raw_list PATH: "ns/name label-keys..." per item of the sim's own list (read
# with kubectl get --raw, so every mode authenticates the same way).
raw_list() {
	kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" get --raw "$1" | python3 -c '
import json, sys
for i in json.load(sys.stdin)["items"]:
    m = i["metadata"]
    print(m.get("namespace", "") + "/" + m["name"], " ".join(sorted(m.get("labels", {}))))'
}
# kind_agrees KIND PATH: kubectl's answers match the list; diagnostics in $SIM_TMP/why
kind_agrees() {
	k() { kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" "$@" 2>/dev/null; }
	raw=$(raw_list "$2") || return 1
	want_all=$(printf '%s\n' "$raw" | grep -c .)
	want_ns=$(printf '%s\n' "$raw" | grep -c "^$NS/")
	want_l=$(printf '%s\n' "$raw" | grep -c ' .*app\.kubernetes\.io/name')
	want_names=$(printf '%s\n' "$raw" | awk 'NF {print $1}' | sort | tr '\n' ' ')
	got_all=$(k get "$1" -A --no-headers | grep -c .)
	got_ns=$(k get "$1" -n $NS --no-headers | grep -c .)
	got_l=$(k get "$1" -A -l app.kubernetes.io/name --no-headers | grep -c .)
	got_wide=$(k get "$1" -A -o wide --no-headers | grep -c .)
	got_names=$(k get "$1" -A -o json | python3 -c '
import json, sys
for i in json.load(sys.stdin)["items"]:
    print(i["metadata"].get("namespace", "") + "/" + i["metadata"]["name"])' | sort | tr '\n' ' ')
	echo "-A $got_all/$want_all, -n $got_ns/$want_ns, -l $got_l/$want_l, -o wide $got_wide/$want_all;" \
		"-o json [$got_names] want [$want_names]" >"$SIM_TMP/why"
	[ "$want_all" -gt 0 ] && [ "$got_all" = "$want_all" ] && [ "$got_ns" = "$want_ns" ] &&
		[ "$got_l" = "$want_l" ] && [ "$got_wide" = "$want_all" ] && [ "$got_names" = "$want_names" ]
}
for kp in pods:/api/v1/pods deployments:/apis/apps/v1/deployments \
	statefulsets:/apis/apps/v1/statefulsets daemonsets:/apis/apps/v1/daemonsets \
	replicasets:/apis/apps/v1/replicasets jobs:/apis/batch/v1/jobs \
	pvc:/api/v1/persistentvolumeclaims events:/api/v1/events \
	volumesnapshots:/apis/snapshot.storage.k8s.io/v1/volumesnapshots; do
	if wait_for 15 kind_agrees "${kp%%:*}" "${kp#*:}"; then
		ok "get ${kp%%:*} with -A, -n, -l, -o wide and -o json matches the API's list"
	else
		not_ok "get ${kp%%:*} with -A, -n, -l, -o wide and -o json matches the API's list"
		diag "$(cat "$SIM_TMP/why")"
	fi
done

# --- StatefulSet and DaemonSet rollouts (ControllerRevisions) ---
K rollout restart sts/synapse-postgres -n matrix >/dev/null
like "$(K rollout status sts/synapse-postgres -n matrix --timeout=90s)" \
	'partitioned roll out complete: 3 new pods have been updated' "rollout status follows a StatefulSet"
is "$(K get sts synapse-postgres -n matrix -o jsonpath='{.status.currentRevision}')" \
	"$(K get sts synapse-postgres -n matrix -o jsonpath='{.status.updateRevision}')" "the StatefulSet's current revision is the update revision"
like "$(K rollout history sts/synapse-postgres -n matrix)" '2 +<none>' "StatefulSet history from ControllerRevisions"
K rollout restart ds/tapio-agent -n tapio-system >/dev/null
like "$(K rollout status ds/tapio-agent -n tapio-system --timeout=90s)" \
	'daemon set "tapio-agent" successfully rolled out' "rollout status follows a DaemonSet"

# --- namespaces and what every cluster serves ---
like "$(K create namespace matter-test)" 'namespace/matter-test created' "create namespace"
wait_for 10 sh -c "kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get sa default -n matter-test"
is "$(K get sa -n matter-test --no-headers | awk '{print $1}')" default "a new namespace gets its default ServiceAccount"
like "$(K delete namespace matter-test)" 'namespace "matter-test" deleted' "delete namespace waits until it is gone"
is "$(K get networkpolicies -n $NS 2>&1)" "No resources found in $NS namespace." "networkpolicies are served"
like "$(K get cluster synapse-postgres -n matrix 2>&1)" 'the server doesn.t have a resource type "cluster"' \
	"a CRD the sim does not serve fails as on a cluster without it"

# --- logs --previous after a restart ---
# A crashloop fault (POST /sim/faults, sent by kubectl so that every mode
# authenticates the same way) ends the container after 1 s; its log is then
# the previous one, and the pod's restartCount is 1.
printf '{"fault":"crashloop:%s/matter-server:run=1s"}' "$NS" >"$SIM_TMP/fault.json"
like "$(K create --raw /sim/faults -f "$SIM_TMP/fault.json" 2>&1)" '"kind":"crashloop"' \
	"a crashloop fault through kubectl create --raw"
restarted() {
	[ "$(kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" get pod "$NP" -o jsonpath='{.status.containerStatuses[0].restartCount}')" -ge 1 ] 2>/dev/null
}
if wait_for 30 restarted; then ok "the container restarts"; else not_ok "the container restarts"; fi
prev=$(K logs "$NP" --previous 2>&1)
like "$(printf '%s\n' "$prev" | head -1)" '^INFO \[matter_server' "logs --previous serves the terminated container's log"
is "$(K logs "$NP" --previous --tail=2 2>&1 | grep -c .)" 2 "logs --previous --tail=2"
like "$(K delete --raw /sim/faults 2>&1)" '.' "the fault is cleared"

# --- roles ---
if [ "$MODE" = http ]; then
	skip "auth can-i with the view token needs TLS (kubectl sends no tokens over HTTP)"
	skip "view is forbidden to delete (TLS only)"
	skip "unknown token gets 401 (TLS only)"
else
	is "$(K --context sim-view auth can-i delete pods 2>&1)" no "auth can-i: view may not delete pods"
	is "$(K --context sim-view auth can-i list pods 2>&1)" yes "auth can-i: view may list pods"
	like "$(K --context sim-view delete pod "$NP" 2>&1)" \
		"Error from server \(Forbidden\): pods \"$NP\" is forbidden: User \"sim-view\" cannot delete resource \"pods\" in API group \"\" in the namespace \"$NS\"" \
		"view is forbidden to delete, in the apiserver's words"
	like "$(K --token not-a-token get pods 2>&1)" 'error: You must be logged in to the server \(Unauthorized\)' \
		"an unknown token gets 401"
fi
is "$(K auth can-i delete pods)" yes "auth can-i: admin may delete pods"

sim_stop_check
plan_done
[ "$TAP_FAILED" -eq 0 ]
