#!/bin/sh
# Recreate rollouts (issue 3, Behaviour): `kubectl rollout restart` of the
# Recreate Deployment matter-server (home-automation.yaml: hostPort 5580 and
# an RWO volume) three times in a row, then twice within two seconds as the
# runbook does. Each time the old pods are gone before a new one is created
# (checked on the API's own watch stream, in resourceVersion order),
# `kubectl rollout status` completes, the one pod ends Running and Ready,
# and `kubectl logs -l` reads its fresh container. Once at --speed 1, once
# at --speed 10.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }

NS=home-automation
SEL=app.kubernetes.io/name=matter-server
WATCH_PID=

kc() { kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" --request-timeout=30s "$@"; }

# The pods' state as one line: NAME READY PHASE TERMINATING, sorted.
pods_state() {
	K get pods -n $NS -l $SEL -o jsonpath='{range .items[*]}{.metadata.name} {.status.containerStatuses[0].ready} {.status.phase} {.metadata.deletionTimestamp}{"\n"}{end}' |
		sort | tr '\n' ';'
}

# settled: exactly one pod of the deployment's newest ReplicaSet, Running,
# Ready and not terminating.
settled() {
	hash=$(kc get rs -n $NS -l $SEL -o jsonpath='{range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision} {.metadata.labels.pod-template-hash}{"\n"}{end}' |
		sort -n | tail -1 | awk '{print $2}')
	st=$(kc get pods -n $NS -l $SEL -o jsonpath='{range .items[*]}{.metadata.name} {.status.containerStatuses[0].ready} {.status.phase} {.metadata.deletionTimestamp}{"\n"}{end}')
	[ -n "$hash" ] && [ "$(printf '%s\n' "$st" | grep -c .)" = 1 ] &&
		printf '%s\n' "$st" | grep -Eq "^matter-server-$hash-[a-z0-9]+ true Running $"
}

# restart: `kubectl rollout restart`, in a later second than the last one
# (kubectl refuses two restarts of an object within one second).
LAST_RESTART=0
restart() {
	while [ "$(date +%s)" -le "$LAST_RESTART" ]; do sleep 0.1; done
	out=$(K rollout restart deployment matter-server -n $NS 2>&1)
	LAST_RESTART=$(date +%s)
	printf '%s\n' "$out"
}

# cycle LABEL: the checks after one or more restarts.
cycle() {
	like "$(K rollout status deployment/matter-server -n $NS --timeout=90s 2>&1)" \
		'deployment "matter-server" successfully rolled out' "$1: rollout status completes"
	if wait_for 30 settled; then ok "$1: one pod of the new ReplicaSet, Running and Ready"
	else not_ok "$1: one pod of the new ReplicaSet, Running and Ready"; diag "pods: $(pods_state)"; fi
	logs=$(K logs -n $NS -l $SEL --tail=-1 2>&1)
	like "$(printf '%s\n' "$logs" | head -1)" '^INFO \[matter_server\.server\.server\] Starting Matter Server version' \
		"$1: logs -l reads the new container from its first startup line"
	is "$(K get deploy matter-server -n $NS -o jsonpath='{.status.replicas} {.status.updatedReplicas} {.status.readyReplicas} {.status.availableReplicas}')" \
		"1 1 1 1" "$1: the deployment's status counts one updated, available pod"
}

# recreate_order FILE: replays a pod watch stream (one JSON event a line) and
# prints each moment a pod was added while a pod of another template was still
# in the API (terminating or not), or "ok".
recreate_order() {
	python3 - "$1" <<'EOF'
import json, sys
live, bad, added = {}, [], 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    ev = json.loads(line)
    o = ev.get("object", {})
    meta = o.get("metadata", {})
    name = meta.get("name")
    h = meta.get("labels", {}).get("pod-template-hash")
    if ev["type"] == "ADDED":
        others = [n for n, oh in live.items() if oh != h]
        if others and name not in live:
            bad.append("%s added while %s existed" % (name, ",".join(sorted(others))))
        added += name not in live
        live[name] = h
    elif ev["type"] == "DELETED":
        live.pop(name, None)
print("ok %d" % added if not bad else "; ".join(bad))
EOF
}

run_phase() {
	speed=$1
	sim_start --seed 5 --start-time 2026-03-01T12:00:00Z --speed "$speed" \
		--scenario "$OPSDECK_SRCDIR/data/sim/home-automation.yaml" || { echo "Bail out! no sim"; exit 1; }
	tag="--speed $speed"
	is "$(K get deploy matter-server -n $NS -o jsonpath='{.spec.strategy.type}')" Recreate \
		"$tag: matter-server is a Recreate deployment"
	rv=$(K get pods -n $NS -l $SEL -o jsonpath='{.metadata.resourceVersion}')
	K get pods -n $NS -l $SEL -o json >"$SIM_TMP/initial.json"
	python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["items"]:
    print(json.dumps({"type": "ADDED", "object": p}))' "$SIM_TMP/initial.json" >"$SIM_TMP/events"
	sim_curl "/api/v1/namespaces/$NS/pods?watch=1&labelSelector=$SEL&resourceVersion=$rv&timeoutSeconds=600" \
		-N >>"$SIM_TMP/events" 2>/dev/null &
	WATCH_PID=$!

	for i in 1 2 3; do
		like "$(restart)" 'deployment.apps/matter-server restarted' "$tag: rollout restart $i"
		cycle "$tag: restart $i"
	done
	# The runbook (matter-server-operations.md) restarts again within a second
	# or two of the last restart, before the new pod has started.
	restart >/dev/null
	like "$(restart)" 'deployment.apps/matter-server restarted' "$tag: a second restart while the first is under way"
	cycle "$tag: two quick restarts"

	res=$(recreate_order "$SIM_TMP/events")
	like "$res" '^ok [0-9]+$' "$tag: every new pod was created after the old pods were gone"
	kill "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID" 2>/dev/null
	WATCH_PID=
	like "$(K get events -n $NS --field-selector involvedObject.kind=Deployment,involvedObject.name=matter-server --no-headers)" \
		'ScalingReplicaSet +deployment/matter-server +Scaled down replica set matter-server-[a-z0-9]+ from 1 to 0' \
		"$tag: the deployment controller records the scale-down"
	sim_stop_check
	rm -rf "$SIM_TMP"
	SIM_TMP=
}

run_phase 1
run_phase 10
plan_done
[ "$TAP_FAILED" -eq 0 ]
