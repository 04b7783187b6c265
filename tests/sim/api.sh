#!/bin/sh
# The REST API below kubectl: Status errors with the apiserver's wording,
# malformed requests (400, never a crash), paging, dry run, graceful and
# immediate deletion, watch resumption and 410, the Date header, discovery,
# subresources and the service proxy.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

like "$("$OPSDECK_SIM" --version)" '^opsdeck-sim [0-9]+\.[0-9]+' "--version"
like "$("$OPSDECK_SIM" --help)" '--kubeconfig-out FILE' "--help lists the options"
exit_is 2 "an unknown option exits 2" "$OPSDECK_SIM" --bogus
exit_is 2 "a bad --start-time exits 2" "$OPSDECK_SIM" --start-time yesterday

sim_start --seed 5 --start-time 2026-03-01T12:00:00Z \
	--scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" || { echo "Bail out! no sim"; exit 1; }
NS=/api/v1/namespaces/home-automation

# A quiet watch with allowWatchBookmarks gets a BOOKMARK (every 10 s); it runs
# alongside the other checks and is read at the end.
(sim_curl "/api/v1/namespaces/kube-public/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=12" \
	>"$SIM_TMP/bookmark") &
bookmark_pid=$!

code() {
	p=$1
	shift
	sim_curl "$p" -o /dev/null -w '%{http_code}' "$@"
}
# req PATH ARGS...: "<code> <body>"
req() {
	p=$1
	shift
	sim_curl "$p" -w ' %{http_code}' "$@"
}

is "$(sim_curl /healthz)" ok "/healthz"
is "$(sim_curl /readyz)" ok "/readyz"
like "$(sim_curl /version)" '"gitVersion":"v1\.32\.' "/version"
like "$(sim_curl /api/v1)" '"name":"pods/log"' "discovery lists pods/log"
like "$(sim_curl /apis/apps/v1)" '"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale"' \
	"discovery lists the scale subresource"
like "$(sim_curl /apis/apps/v1)" '"shortNames":\["deploy"\],"categories":\["all"\]' "shortNames and categories"
like "$(sim_curl /apis)" '"name":"snapshot.storage.k8s.io"' "/apis lists the snapshot group"
like "$(sim_curl /api/v1 -D - -o /dev/null)" '^Date: Sun, 01 Mar 2026 12:0' "Date header follows the sim clock"
like "$(sim_curl /nope -D - -o /dev/null)" 'Date: ' "Date header on errors too"

like "$(req $NS/pods/nope)" '"reason":"NotFound".*"code":404\} 404$' "NotFound status"
like "$(req $NS/pods/nope)" '"message":"pods \\"nope\\" not found"' "NotFound wording"
like "$(req /apis/apps/v1/namespaces/home-automation/deployments/nope)" 'deployments.apps \\"nope\\" not found' \
	"NotFound names the group"
like "$(req $NS/configmaps -X POST -H 'Content-Type: application/json' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"a":"b"}}')" ' 201$' \
	"create returns 201"
like "$(req $NS/configmaps -X POST -H 'Content-Type: application/json' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"}}')" \
	'configmaps \\"c1\\" already exists.*"reason":"AlreadyExists".* 409$' "AlreadyExists"
rv=$(sim_curl $NS/configmaps/c1 | sed 's/.*"resourceVersion":"\([0-9]*\)".*/\1/')
like "$(req $NS/configmaps/c1 -X PUT -H 'Content-Type: application/json' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","resourceVersion":"1"},"data":{}}')" \
	'Operation cannot be fulfilled on configmaps \\"c1\\": the object has been modified; please apply your changes to the latest version and try again.* 409$' \
	"stale resourceVersion gives Conflict"
like "$(req $NS/configmaps/c1 -X PUT -H 'Content-Type: application/json' -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c1\",\"resourceVersion\":\"$rv\"},\"data\":{\"x\":\"y\"}}")" \
	'"x":"y".* 200$' "update with the current resourceVersion"
like "$(req $NS/configmaps/c1 -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"data":{"x":null,"m":"1"}}')" \
	'"data":\{"m":"1"\}' "merge patch deletes with null"
like "$(req $NS/configmaps/c1 -X PATCH -H 'Content-Type: application/json-patch+json' -d '[{"op":"add","path":"/data/j","value":"2"},{"op":"test","path":"/data/m","value":"1"}]')" \
	'"j":"2"' "JSON patch"
like "$(req $NS/configmaps/c1 -X PATCH -H 'Content-Type: application/json-patch+json' -d '[{"op":"test","path":"/data/m","value":"9"}]')" \
	' 422$' "failed JSON patch test gives 422"
like "$(req $NS/configmaps/c1 -X PATCH -H 'Content-Type: text/plain' -d '{}')" ' 415$' "unknown patch type gives 415"
smp=$(req "/apis/apps/v1/namespaces/home-automation/deployments/home-assistant?dryRun=All" -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' -d '{"spec":{"template":{"spec":{"containers":[{"name":"home-assistant","env":[{"name":"TZ","value":"UTC"}]}]}}}}')
like "$smp" '"containers":\[\{[^]]*"image":"ghcr.io/home-assistant/home-assistant:2024.11.1"[^]]*"env":\[\{"name":"TZ","value":"UTC"\}\]' \
	"strategic merge patch merges containers by name"
is "$(printf '%s' "$smp" | grep -o '"terminationMessagePath"' | grep -c .)" 1 "one container after the merge"
like "$(req /apis/apps/v1/namespaces/home-automation/deployments/home-assistant -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"spec":{"replicas":-1}}')" \
	'Deployment.apps \\"home-assistant\\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0.* 422$' \
	"Invalid with the apiserver's wording"

# dry run
like "$(req "$NS/configmaps?dryRun=All" -X POST -H 'Content-Type: application/json' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry"}}')" ' 201$' \
	"dryRun=All create answers"
is "$(code $NS/configmaps/dry)" 404 "dryRun=All create stores nothing"
is "$(code "$NS/configmaps/c1?dryRun=All" -X DELETE)" 200 "dryRun=All delete answers"
is "$(code $NS/configmaps/c1)" 200 "dryRun=All delete keeps the object"

# malformed input
like "$(req $NS/configmaps -X POST -H 'Content-Type: application/json' -d '{"apiVersion":')" '"reason":"BadRequest".* 400$' \
	"malformed JSON gives 400"
like "$(req "$NS/pods?labelSelector=a%20in%20(" )" '"reason":"BadRequest".* 400$' "malformed label selector gives 400"
like "$(req "$NS/pods?fieldSelector=spec.bogus%3Dx")" 'field label not supported: spec.bogus.* 400$' \
	"unsupported field selector gives 400"
like "$(req "$NS/pods?limit=abc")" ' 400$' "non-numeric limit gives 400"
like "$(req "$NS/pods?continue=@@@")" 'continue key is not valid.* 400$' "bad continue token gives 400"
like "$(req "$NS/configmaps" -X POST -H 'Content-Type: application/json' -d '{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}')" ' 400$' \
	"wrong apiVersion gives 400"
is "$(code /api/v1/namespaces/home-automation/pods/a/b/c/d)" 404 "unknown path gives 404"
is "$(code /apis/nope.example.com/v1/things)" 404 "unknown group gives 404"
head -c 4000000 /dev/zero | tr '\0' 'a' >"$SIM_TMP/big"
is "$(code $NS/configmaps -X POST -H 'Content-Type: application/json' --data-binary @"$SIM_TMP/big")" 413 \
	"an oversized body gives 413"
printf 'GARBAGE\r\n\r\n' | timeout 2 curl -s -o /dev/null "telnet://127.0.0.1:${SIM_URL##*:}" 2>/dev/null
is "$(sim_curl /healthz)" ok "still serving after malformed requests"

# selectors and paging
is "$(sim_curl "$NS/pods?labelSelector=app.kubernetes.io/name%3Dhome-assistant" | grep -o '"kind":"Pod"' | grep -c .)" 3 \
	"labelSelector filters"
is "$(sim_curl "/api/v1/pods?fieldSelector=metadata.namespace%3Dmatrix,status.phase%3DRunning" | grep -o '"kind":"Pod"' | grep -c .)" 2 \
	"fieldSelector on namespace and phase"
page1=$(sim_curl "/api/v1/pods?limit=4")
tok=$(printf '%s' "$page1" | sed -n 's/.*"continue":"\([^"]*\)".*/\1/p')
like "$page1" '"remainingItemCount":' "limit gives remainingItemCount"
page2=$(sim_curl "/api/v1/pods?limit=100&continue=$tok")
n1=$(printf '%s' "$page1" | grep -o '"kind":"Pod"' | grep -c .)
n2=$(printf '%s' "$page2" | grep -o '"kind":"Pod"' | grep -c .)
nall=$(sim_curl "/api/v1/pods" | grep -o '"kind":"Pod"' | grep -c .)
is "$n1+$n2" "4+$((nall - 4))" "continue returns the rest"

# tables
tbl=$(sim_curl "$NS/pods" -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io')
like "$tbl" '"kind":"Table".*"columnDefinitions":\[\{"name":"Name"' "Table output"
like "$tbl" '"object":\{"kind":"PartialObjectMetadata"' "includeObject=Metadata by default"
like "$(sim_curl "$NS/pods?includeObject=None" -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io')" '"cells":\["[^"]*","1/1","Running","0","[0-9]+[smhd]"' \
	"Table cells (includeObject=None)"

# scale subresource, events.k8s.io, proxy
like "$(sim_curl /apis/apps/v1/namespaces/home-automation/deployments/home-assistant/scale)" \
	'"kind":"Scale","apiVersion":"autoscaling/v1".*"spec":\{"replicas":3\}.*"selector":"app.kubernetes.io/name=home-assistant"' \
	"GET /scale"
like "$(sim_curl /apis/events.k8s.io/v1/events)" '"kind":"EventList","apiVersion":"events.k8s.io/v1"' "events.k8s.io/v1"
is "$(code "$NS/services/matter-server:5580/proxy/ws")" 200 "service proxy answers the health endpoint"
is "$(code "$NS/services/matter-server:5580/proxy/nope")" 404 "service proxy: unknown path"

# graceful deletion
P=$(K get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
like "$(sim_curl "$NS/pods/$P" -X DELETE)" '"deletionTimestamp":' "DELETE of a pod starts graceful termination"
like "$(sim_curl "$NS/pods/$P" -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io')" '"Terminating"' \
	"the pod shows Terminating"
wait_for 10 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$SIM_URL$NS/pods/$P')\" = 404 ]"
is "$(code "$NS/pods/$P")" 404 "then it is gone"
J=$(K get pods -l job-name -o jsonpath='{.items[0].metadata.name}')
sim_curl "$NS/pods/$J?gracePeriodSeconds=0" -X DELETE >/dev/null
is "$(code "$NS/pods/$J")" 404 "gracePeriodSeconds=0 deletes at once"

# jobs run to the outcome the scenario gives them
like "$(K apply -f - 2>&1 <<YAML
apiVersion: batch/v1
kind: Job
metadata:
  name: restore-check
  namespace: home-automation
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: check
          image: busybox:1.36
YAML
)" 'job.batch/restore-check created' "apply -f a Job"
wait_for 30 sh -c "kubectl --kubeconfig '$KC' --cache-dir '$SIM_TMP/kube-cache' get job restore-check -o jsonpath='{.status.conditions[?(@.type==\"Failed\")].status}' | grep -qx True" 
is "$(K get job restore-check --no-headers | awk '{print $2, $3}')" "Failed 0/1" "a Job the scenario fails ends Failed"
like "$(K get pods -l job-name=restore-check --no-headers)" ' 0/1 +Error ' "its pods end in Error"
K delete job restore-check >/dev/null 2>&1

# watch
rv=$(sim_curl "$NS/configmaps" | sed 's/.*"metadata":{"resourceVersion":"\([0-9]*\)".*/\1/')
(sim_curl "$NS/configmaps?watch=1&resourceVersion=$rv&timeoutSeconds=3&allowWatchBookmarks=true" >"$SIM_TMP/w1") &
wpid=$!
sim_curl $NS/configmaps -X POST -H 'Content-Type: application/json' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c2"}}' >/dev/null
sim_curl $NS/configmaps/c2 -X DELETE >/dev/null
wait $wpid
like "$(cat "$SIM_TMP/w1")" '^\{"type":"ADDED","object":\{.*"name":"c2"' "watch from a resourceVersion sends ADDED"
like "$(cat "$SIM_TMP/w1")" '"type":"DELETED","object":\{.*"name":"c2"' "then DELETED, and ends at timeoutSeconds"
like "$(sim_curl "$NS/pods?watch=1&resourceVersion=1&timeoutSeconds=2")" \
	'^\{"type":"ERROR","object":\{"kind":"Status".*"reason":"Expired".*"code":410' "too old a resourceVersion gives ERROR 410 Expired"
is "$(stat -c %a "$KC")" 600 "the kubeconfig is private (0600)"
wait $bookmark_pid
like "$(cat "$SIM_TMP/bookmark")" '^\{"type":"BOOKMARK","object":\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{"resourceVersion":"[0-9]+"\}\}\}$' \
	"a quiet watch gets BOOKMARKs carrying only the resourceVersion"

sim_stop_check
plan_done
[ "$TAP_FAILED" -eq 0 ]
