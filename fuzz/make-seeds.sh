#!/bin/sh
# fuzz/make-seeds.sh BUILDDIR: rebuilds the seeds taken from real objects:
# pod LISTs and a pod watch stream served by opsdeck-sim for the test
# scenario with faults (crashloop, image pull), and create requests for the
# sim built from the objects of tests/kube/headless/objects.yaml. Writes
# fuzz/corpus/{pod_list,watch_stream,sim_request}/sim-*; review the diff.
set -eu
B=$(cd "${1:?usage: make-seeds.sh BUILDDIR}" && pwd)
S=$(cd "$(dirname "$0")/.." && pwd)
C=$S/fuzz/corpus
T=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-seeds.XXXXXX")
SIM_PID=
trap '[ -n "$SIM_PID" ] && kill $SIM_PID 2>/dev/null; rm -rf "$T"' EXIT
"$B/opsdeck-sim" --listen 127.0.0.1:0 --kubeconfig-out "$T/kc" --seed 5 \
	--start-time 2026-01-10T12:00:00Z --scenario "$S/tests/sim/small.yaml" \
	--manifests "$S/tests/kube/headless/objects.yaml" \
	--fault crashloop:home-automation/matter-server --fault imagepull:matrix/synapse \
	>"$T/out" 2>"$T/err" &
SIM_PID=$!
i=0
until grep -q '^opsdeck-sim: serving ' "$T/out"; do
	i=$((i + 1)); [ $i -gt 300 ] && { cat "$T/err" >&2; exit 1; }
	sleep 0.1
done
U=$(sed -n 's/^opsdeck-sim: serving //p' "$T/out")
sleep 8 # the faults show: restarts, waiting reasons
mkdir -p "$C/pod_list"
for ns in home-automation matrix tapio-system default; do
	curl -sf "$U/api/v1/namespaces/$ns/pods" >"$C/pod_list/sim-$ns.json"
done
curl -sfN "$U/api/v1/namespaces/home-automation/pods?watch=1&resourceVersion=0&timeoutSeconds=4" \
	>"$C/watch_stream/sim-pods-watch.jsonl" &
W=$!
sleep 1
pod=$(curl -sf "$U/api/v1/namespaces/home-automation/pods?limit=1" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["metadata"]["name"])')
curl -sf -X DELETE "$U/api/v1/namespaces/home-automation/pods/$pod" -o /dev/null
wait $W || true
# create requests from real manifests (one per kind)
python3 - "$S/tests/kube/headless/objects.yaml" "$C/sim_request" <<'PY'
import json, sys, yaml
seen = set()
paths = {"Deployment": "/apis/apps/v1/namespaces/%s/deployments",
         "StatefulSet": "/apis/apps/v1/namespaces/%s/statefulsets",
         "Pod": "/api/v1/namespaces/%s/pods", "Service": "/api/v1/namespaces/%s/services",
         "ConfigMap": "/api/v1/namespaces/%s/configmaps",
         "PersistentVolumeClaim": "/api/v1/namespaces/%s/persistentvolumeclaims",
         "CronJob": "/apis/batch/v1/namespaces/%s/cronjobs", "Job": "/apis/batch/v1/namespaces/%s/jobs"}
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if not doc:
        continue
    for o in doc.get("items", [doc]) if doc.get("kind", "").endswith("List") else [doc]:
        k = o.get("kind")
        if k not in paths or k in seen:
            continue
        seen.add(k)
        ns = o.get("metadata", {}).get("namespace", "default")
        with open("%s/sim-create-%s" % (sys.argv[2], k.lower()), "w") as f:
            f.write("POST %s\nContent-Type: application/json\n\n%s\n" % (paths[k] % ns, json.dumps(o)))
PY
ls -la "$C/pod_list" "$C/watch_stream/sim-pods-watch.jsonl" "$C"/sim_request/sim-*
