#!/bin/sh
# --manifests replays a real cluster's state: objects keep their metadata
# and status verbatim, pods without an owner are never reconciled, missing
# namespaces are created, and a restarted container's previous log is served.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

sim_start --seed 9 --start-time 2026-02-01T10:00:00Z \
	--manifests "$OPSDECK_SRCDIR/tests/sim/manifests.json" || { echo "Bail out! no sim"; exit 1; }

like "$(K get ns replay --no-headers)" '^replay +Active' "the missing namespace is created"
row=$(K get pods -n replay replayed-crashloop --no-headers)
is "$(echo "$row" | awk '{print $2, $3, $4, $5, $6, $7}')" "0/1 CrashLoopBackOff 5 (119m ago) 120m" \
	"the pod's status prints verbatim (STATUS, RESTARTS with its last termination)"
is "$(K get pod -n replay replayed-crashloop -o jsonpath='{.metadata.uid} {.metadata.creationTimestamp} {.spec.nodeName} {.status.podIP}')" \
	"0b7c5e8e-1111-4a4a-9c9c-000000000001 2026-02-01T08:00:00Z real-node-7 10.1.2.3" \
	"uid, creation time, node and IP are kept"
rv1=$(K get pod -n replay replayed-crashloop -o jsonpath='{.metadata.resourceVersion}')
sleep 1.5   # several controller passes: nothing may touch the pod
rv2=$(K get pod -n replay replayed-crashloop -o jsonpath='{.metadata.resourceVersion}')
is "$rv2" "$rv1" "a pod without an owner is never reconciled"
like "$(K logs -n replay replayed-restarted --previous | head -1)" '.' "logs --previous serves the previous container"
prev=$(K logs -n replay replayed-restarted --previous --timestamps | tail -1 | cut -c1-16)
like "$prev" '^2026-02-01T08:5' "the previous log ends when that container ended"
like "$(K logs -n replay replayed-restarted --timestamps | head -1 | cut -c1-16)" '^2026-02-01T09:00' \
	"the current log starts with the current container"
sim_stop_check
plan_done
[ "$TAP_FAILED" -eq 0 ]
