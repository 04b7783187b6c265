#!/bin/sh
# Faults (issue 4), checked the way kubectl and curl show them: pod STATUS
# in `kubectl get pods`, lastState in -o json, events, metrics that move,
# the service proxy, and the API faults' codes and headers. --speed 10
# makes the back-off (10 s, 20 s ...) pass in seconds.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

NS=home-automation
sim_start --seed 7 --speed 10 --scenario "$OPSDECK_SRCDIR/data/sim/home-automation.yaml" \
	--metrics-listen 127.0.0.1:0 --fault crashloop:$NS/matter-server || { echo "Bail out! no sim"; exit 1; }
MURL=$(sed -n 's/^opsdeck-sim: metrics //p' "$SIM_TMP/out")
VIEW=$(sed -n 's/^ *token: \(view\..*\)/\1/p' "$KC")

pods() { K get pods -n $NS --no-headers 2>/dev/null; }
pod_of() { K get pods -n $NS -l app.kubernetes.io/name="$1" -o name 2>/dev/null | head -1; }
# status_is WORKLOAD STATUS: the STATUS column of the workload's pod
status_is() { pods | grep "^$1-" | awk '{print $3}' | grep -qx "$2"; }
ready_is() { pods | grep "^$1-" | awk '{print $2}' | grep -qx "$2"; }
jpath() { K get -n $NS "$1" -o jsonpath="$2" 2>/dev/null; }
post_fault() { sim_curl /sim/faults -X POST -H 'Content-Type: application/json' -d "{\"fault\":\"$1\"}" -o /dev/null -w '%{http_code}'; }
clear_faults() { sim_curl /sim/faults -X DELETE -o /dev/null -w '%{http_code}'; }
recovered() { status_is "$1" Running && ready_is "$1" 1/1; }
events_have() { K get events -n $NS 2>/dev/null | grep -q -- "$1"; }

# --- crashloop (from --fault) --------------------------------------------
ok_if() { if "$@"; then ok "$DESC"; else not_ok "$DESC"; fi; }
DESC="crashloop: kubectl get pods shows CrashLoopBackOff"
ok_if wait_for 60 status_is matter-server CrashLoopBackOff
MS=$(pod_of matter-server)
is "$(jpath "$MS" '{.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}')" \
	"Error/1" "crashloop: lastState.terminated is Error, exit code 1"
like "$(jpath "$MS" '{.status.containerStatuses[0].state.waiting.message}')" \
	'^back-off (10|20)s restarting failed container=matter-server pod=matter-server-' \
	"crashloop: the waiting message carries the back-off"
restarts_at_least() { [ "$(jpath "$MS" '{.status.containerStatuses[0].restartCount}')" -ge "$1" ]; }
DESC="crashloop: the container restarts again after its back-off"
ok_if wait_for 60 restarts_at_least 2
DESC="crashloop: the back-off doubles (20 s after the second crash)"
ok_if wait_for 60 sh -c "kubectl --kubeconfig '$KC' get -n $NS $MS -o jsonpath='{.status.containerStatuses[0].state.waiting.message}' | grep -q 'back-off [2-9]0s'"
DESC="crashloop: a BackOff event"
ok_if wait_for 30 events_have 'Back-off restarting failed container matter-server'
like "$(K get pods -n $NS --no-headers | grep '^matter-server-')" ' 0/1 .* [1-9][0-9]* \(' \
	"crashloop: READY 0/1 and RESTARTS with the last restart's age"
PROM=$(curl -s "$MURL/metrics")
like "$PROM" 'kube_pod_container_status_restarts_total\{container="matter-server",namespace="home-automation",pod="matter-server-[^"]*",uid="[^"]*"\} [1-9]' \
	"crashloop: the restarts counter moves in /metrics"
like "$PROM" 'kube_pod_status_ready\{condition="false",namespace="home-automation",pod="matter-server-[^"]*",uid="[^"]*"\} 1' \
	"crashloop: kube_pod_status_ready{condition=\"false\"} is 1"
is "$(curl -s -o /dev/null -w '%{http_code}' "$MURL/metrics/$NS/matter-server")" 503 \
	"crashloop: the workload's own target is down (up would be 0)"

# --- the control endpoint -----------------------------------------------
like "$(sim_curl /sim/faults)" '"kind":"crashloop","api":false,"target":"home-automation/matter-server"' \
	"GET /sim/faults lists the active faults"
is "$(sim_curl /sim/faults -X DELETE -H "Authorization: Bearer $VIEW" -o /dev/null -w '%{http_code}')" 403 \
	"DELETE /sim/faults is admin only"
is "$(sim_curl /sim/faults -X POST -d '{"fault":"explode:x/y"}' -o /dev/null -w '%{http_code}')" 400 \
	"an unknown fault kind is a 400"
like "$(sim_curl /sim/faults -X POST -d '{"fault":"explode:x/y"}')" 'unknown fault' "with the reason"
is "$(clear_faults)" 200 "DELETE /sim/faults clears"
DESC="after the clear the pod runs and becomes ready again"
ok_if wait_for 60 recovered matter-server

# --- oomkilled ---------------------------------------------------------------
is "$(post_fault "oomkilled:$NS/matter-server:run=2s")" 201 "POST /sim/faults oomkilled"
oom_seen() { [ "$(jpath "$MS" '{.status.containerStatuses[0].lastState.terminated.reason}')" = OOMKilled ]; }
DESC="oomkilled: lastState.terminated.reason OOMKilled"
ok_if wait_for 60 oom_seen
is "$(jpath "$MS" '{.status.containerStatuses[0].lastState.terminated.exitCode}')" 137 "oomkilled: exit code 137"
clear_faults >/dev/null
wait_for 60 recovered matter-server

# --- imagepull ---------------------------------------------------------------
is "$(post_fault "imagepull:$NS/home-assistant")" 201 "POST /sim/faults imagepull"
DESC="imagepull: ErrImagePull first"
ok_if wait_for 30 status_is home-assistant ErrImagePull
DESC="imagepull: then ImagePullBackOff"
ok_if wait_for 30 status_is home-assistant ImagePullBackOff
DESC="imagepull: a Failed event with ErrImagePull"
ok_if wait_for 30 events_have 'Error: ErrImagePull'
clear_faults >/dev/null
DESC="imagepull: recovers after the clear"
ok_if wait_for 60 recovered home-assistant

# --- pending -----------------------------------------------------------------
is "$(post_fault "pending:$NS/home-assistant")" 201 "POST /sim/faults pending"
DESC="pending: STATUS Pending"
ok_if wait_for 30 status_is home-assistant Pending
HA=$(pod_of home-assistant)
is "$(jpath "$HA" '{.status.conditions[?(@.type=="PodScheduled")].reason}')" Unschedulable \
	"pending: PodScheduled False, Unschedulable"
DESC="pending: a FailedScheduling event"
ok_if wait_for 30 events_have FailedScheduling
clear_faults >/dev/null
DESC="pending: scheduled and running after the clear"
ok_if wait_for 60 recovered home-assistant

# --- node-notready -------------------------------------------------------------
NODE=$(jpath "$MS" '{.spec.nodeName}')
is "$(post_fault "node-notready:$NODE")" 201 "POST /sim/faults node-notready"
node_status() { K get node "$NODE" --no-headers 2>/dev/null | awk '{print $2}' | grep -qx "$1"; }
DESC="node-notready: kubectl get nodes shows NotReady"
ok_if wait_for 30 node_status NotReady
is "$(K get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" Unknown \
	"node-notready: the Ready condition is Unknown"
DESC="node-notready: its pods are not ready"
ok_if wait_for 30 ready_is matter-server 0/1
clear_faults >/dev/null
DESC="node-notready: Ready again after the clear"
ok_if wait_for 30 node_status Ready

# --- unhealthy -----------------------------------------------------------------
wait_for 60 recovered matter-server
is "$(post_fault "unhealthy:$NS/matter-server")" 201 "POST /sim/faults unhealthy"
DESC="unhealthy: the pod is Running but 0/1"
ok_if wait_for 30 sh -c "kubectl --kubeconfig '$KC' get pods -n $NS --no-headers | grep '^matter-server-' | grep -q ' 0/1 *Running '"
DESC="unhealthy: an Unhealthy event (readiness probe failed)"
ok_if wait_for 30 events_have 'Readiness probe failed'
proxy_code() { sim_curl "/api/v1/namespaces/$NS/services/matter-server:5580/proxy/ws" -o /dev/null -w '%{http_code}'; }
proxy_503() { [ "$(proxy_code)" = 503 ]; }
DESC="unhealthy: the health endpoint fails through the service proxy"
ok_if wait_for 30 proxy_503
clear_faults >/dev/null
DESC="unhealthy: healthy again after the clear"
ok_if wait_for 60 recovered matter-server

# --- memleak -------------------------------------------------------------------
mem_ki() { sim_curl "/apis/metrics.k8s.io/v1beta1/namespaces/$NS/pods/${MS#pod/}" | sed -n 's/.*"memory":"\([0-9]*\)Ki".*/\1/p'; }
M0=$(mem_ki)
is "$(post_fault "memleak:$NS/matter-server:ramp=60s")" 201 "POST /sim/faults memleak"
mem_grew() { m=$(mem_ki); [ -n "$m" ] && [ "$m" -gt $((M0 + 51200)) ]; }
DESC="memleak: memory in metrics.k8s.io ramps up"
ok_if wait_for 30 mem_grew
DESC="memleak: ends in an OOMKill"
ok_if wait_for 60 oom_seen
clear_faults >/dev/null

# --- diskfill ------------------------------------------------------------------
# availableBytes of the PVC matter-server-data in the node's stats/summary
avail() {
	sim_curl "/api/v1/nodes/$NODE/proxy/stats/summary" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["pods"]:
    for v in p.get("volume", []):
        if v["pvcRef"]["name"] == "matter-server-data":
            print(v["availableBytes"])'
}
is "$(post_fault "diskfill:$NS/matter-server:ramp=30s")" 201 "POST /sim/faults diskfill"
full() { [ "$(avail)" = 0 ]; }
DESC="diskfill: the PVC fills up (availableBytes 0 in stats/summary)"
ok_if wait_for 30 full
clear_faults >/dev/null

# --- errorburst ----------------------------------------------------------------
wait_for 60 recovered matter-server
is "$(post_fault "errorburst:$NS/matter-server")" 201 "POST /sim/faults errorburst"
errors_logged() { [ "$(K logs -n $NS "$MS" --tail=20 2>/dev/null | grep -c '^ERROR \[')" -ge 8 ]; }
DESC="errorburst: the scenario's error lines flood the log"
ok_if wait_for 30 errors_logged
clear_faults >/dev/null

# --- snapshot-fail -------------------------------------------------------------
is "$(post_fault "snapshot-fail:$NS/matter-server")" 201 "POST /sim/faults snapshot-fail"
cat >"$SIM_TMP/snap.yaml" <<EOF
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: matter-server-drill
  namespace: $NS
spec:
  volumeSnapshotClassName: longhorn-snapshot-vsc
  source:
    persistentVolumeClaimName: matter-server-data
EOF
K apply -f "$SIM_TMP/snap.yaml" >/dev/null 2>&1
snap_err() { jpath volumesnapshot/matter-server-drill '{.status.error.message}' | grep -q 'failed to take snapshot'; }
DESC="snapshot-fail: the VolumeSnapshot gets status.error"
ok_if wait_for 30 snap_err
is "$(jpath volumesnapshot/matter-server-drill '{.status.readyToUse}')" false "snapshot-fail: not readyToUse"
clear_faults >/dev/null

# --- API faults ------------------------------------------------------------------
P=/api/v1/namespaces/$NS/pods
post_fault "api:5xx:code=503,retryAfter=7,path=/configmaps" >/dev/null
H=$(sim_curl "/api/v1/namespaces/$NS/configmaps" -i)
like "$H" '^HTTP/1.1 503' "api:5xx: 503"
like "$H" 'Retry-After: 7' "api:5xx: Retry-After"
like "$H" '"reason":"ServiceUnavailable",.*"code":503' "api:5xx: a Status body"
is "$(sim_curl "$P" -o /dev/null -w '%{http_code}')" 200 "api:5xx: other paths are unaffected"
clear_faults >/dev/null
post_fault "api:429:path=/pods" >/dev/null
H=$(sim_curl "$P" -i)
like "$H" '^HTTP/1.1 429' "api:429: 429"
like "$H" 'Retry-After: 1' "api:429: Retry-After"
like "$H" '"reason":"TooManyRequests"' "api:429: reason TooManyRequests"
clear_faults >/dev/null
post_fault "api:latency:ms=1500" >/dev/null
T=$(sim_curl "$P" -o /dev/null -w '%{time_total}')
like "$T" '^([2-9]|1\.[4-9]|[1-9][0-9])' "api:latency: the answer takes 1.5 s ($T s)"
clear_faults >/dev/null
post_fault "api:reset:path=/pods" >/dev/null
sim_curl "$P" -o /dev/null
is "$?" 52 "api:reset: the connection closes without an answer (curl exit 52)"
clear_faults >/dev/null
post_fault "api:truncated:path=/pods" >/dev/null
B=$(sim_curl "$P")
like "$B" '^\{"kind":"PodList"' "api:truncated: the body starts like the real one"
unlike "$B" '\}$' "api:truncated: but is cut short"
clear_faults >/dev/null
post_fault "api:malformed:path=/pods" >/dev/null
B=$(sim_curl "$P")
like "$B" '^\{"kind"="PodList"' "api:malformed: the body is broken JSON"
clear_faults >/dev/null
post_fault "api:drop-watch" >/dev/null
T=$(sim_curl "$P?watch=1&timeoutSeconds=30" -o /dev/null -w '%{time_total}')
like "$T" '^[0-4]\.' "api:drop-watch: a watch ends at once instead of after 30 s ($T s)"
is "$(sim_curl "$P" -o /dev/null -w '%{http_code}')" 200 "api:drop-watch: lists are unaffected"
clear_faults >/dev/null
post_fault "api:410" >/dev/null
like "$(sim_curl "$P?watch=1&resourceVersion=1&timeoutSeconds=5")" '"type":"ERROR".*"reason":"Expired","code":410' \
	"api:410: the watch gets an ERROR 410 Expired event"
post_fault "api:5xx:code=500,count=2,path=/pods" >/dev/null
codes=""
for _ in 1 2 3; do codes="$codes $(sim_curl "$P" -o /dev/null -w '%{http_code}')"; done
is "$codes" " 500 500 200" "count=2 strikes twice, then lets requests through"
like "$(sim_curl /sim/faults)" '"count":2[,}].*"struck":2' "GET /sim/faults shows count and struck"
clear_faults >/dev/null
post_fault "api:5xx:code=500,ratio=0" >/dev/null
is "$(sim_curl "$P" -o /dev/null -w '%{http_code}')" 200 "ratio=0 never strikes"
clear_faults >/dev/null
is "$(sim_curl /sim/faults)" '{"faults":[]}' "all faults cleared"

# --- flag errors and the timeline ------------------------------------------------------
exit_is 2 "a bad --fault exits 2" "$OPSDECK_SIM" --listen 127.0.0.1:0 \
	--scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" --fault crashloop:nons
sed 's|^  mainNamespace: home-automation$|  mainNamespace: home-automation\
  timeline:\
    - {at: 2m, fault: "crashloop:home-automation/matter-server"}|' \
	"$OPSDECK_SRCDIR/tests/sim/small.yaml" >"$SIM_TMP/timeline.yaml"
sim_stop_check

# The timeline strikes at its offset from --start-time: 2 min at --speed 60 is 2 s.
FIRST_TMP=$SIM_TMP
sim_start --speed 60 --scenario "$FIRST_TMP/timeline.yaml" || { echo "Bail out! no sim"; exit 1; }
rm -rf "$FIRST_TMP"
DESC="the scenario timeline's crashloop strikes on cue"
ok_if wait_for 60 status_is matter-server CrashLoopBackOff
like "$(sim_curl /sim/faults)" '"kind":"crashloop"' "the timeline's fault is listed"
sim_stop_check
plan_done
