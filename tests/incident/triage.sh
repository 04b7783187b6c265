#!/bin/sh
# `opsdeck triage` against opsdeck-sim: a healthy scenario has no findings
# (exit 0); with crashloop and imagepull faults each broken object is a row
# with why and since, worst first; an unreachable cluster is exit 1.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

sim_start --seed 7 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup

OUT=$(OD -n home-automation triage 2>"$SIM_TMP/t.err")
is "$?" 0 "healthy: exit 0"
is "$OUT" "No problems found." "healthy: no findings"
J=$(OD -A triage -o json 2>>"$SIM_TMP/t.err")
is "$?" 0 "healthy -A -o json: exit 0"
is "$(printf '%s' "$J" | tr -d ' \t\n')" "[]" "healthy -A -o json: an empty list"
sim_stop_check

if ! "$OPSDECK_SIM" --help 2>&1 | grep -q 'crashloop.*oomkilled.*imagepull'; then
	skip "the simulator has no crashloop/imagepull faults (opsdeck-sim --help)"
	plan_done
	exit 0
fi
rm -rf "$SIM_TMP"
sim_start --seed 7 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" \
	--fault crashloop:home-automation/matter-server \
	--fault imagepull:home-automation/home-assistant ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup

# The crashloop shows once the first container has exited: poll.
wait_for 60 sh -c '"$0" --kubeconfig "$1" --db "$2" -n home-automation triage 2>/dev/null | grep -q CrashLoopBackOff' \
	"$OPSDECK" "$KC" "$DB"
OUT=$(OD -n home-automation triage 2>"$SIM_TMP/t.err")
is "$?" 0 "broken: exit 0 with findings"
like "$(echo "$OUT" | head -1)" '^SEVERITY +OBJECT +WHY +SINCE$' "broken: the header"
like "$OUT" '^critical +Pod/matter-server-[a-z0-9-]+ +CrashLoopBackOff: container matter-server restarted [0-9]+ times.* [0-9T:-]+Z \([0-9a-z]+ ago\)$' \
	"broken: the crashloop is critical, with why and since"
is "$(echo "$OUT" | tail -n +2 | awk '{print $1}' | uniq | tr '\n' ' ')" "critical high " \
	"broken: worst first (every critical row before every high one)"
like "$OUT" 'Pod/home-assistant-[a-z0-9-]+ +(ErrImagePull|ImagePullBackOff): container home-assistant' \
	"broken: image pull failures with the reason"
like "$OUT" 'Deployment/home-assistant +0/3 replicas available' "broken: the workload with no replica available"
J=$(OD -A triage -o json 2>/dev/null)
like "$J" '"why":[[:space:]]*"CrashLoopBackOff: container matter-server' "broken -o json: why"
sim_stop_check

if "$OPSDECK_SIM" --help 2>&1 | grep -q 'oomkilled' &&
	"$OPSDECK_SIM" --help 2>&1 | grep -q 'pending' &&
	"$OPSDECK_SIM" --help 2>&1 | grep -q 'unhealthy'; then
	rm -rf "$SIM_TMP"
	sim_start --seed 7 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" \
		--fault oomkilled:home-automation/matter-server \
		--fault pending:home-automation/home-assistant \
		--fault unhealthy:matrix/synapse-postgres ||
		{ echo "Bail out! no sim"; exit 1; }
	act_setup
	wait_for 60 sh -c '"$0" --kubeconfig "$1" --db "$2" -A triage 2>/dev/null | grep -q OOMKilled' \
		"$OPSDECK" "$KC" "$DB"
	OUT=$(OD -A triage 2>/dev/null)
	is "$?" 0 "oomkilled/pending/unhealthy: exit 0"
	like "$(echo "$OUT" | head -1)" '^SEVERITY +NAMESPACE +OBJECT +WHY +SINCE$' "-A: the NAMESPACE column"
	like "$OUT" '^critical +home-automation +Pod/matter-server-[a-z0-9-]+ +OOMKilled: container matter-server' \
		"OOMKilled: critical, with the container"
	like "$OUT" '^high +home-automation +Pod/home-assistant-[a-z0-9-]+ +Pending Unschedulable: 0/2 nodes are available' \
		"Pending: unschedulable, with the scheduler's message"
	like "$OUT" '^medium +matrix +Pod/synapse-postgres-0 +not Ready' "unhealthy: not Ready"
	like "$OUT" '^critical +matrix +StatefulSet/synapse-postgres +0/2 replicas available' \
		"a StatefulSet with no ready replica"
	sim_stop_check
else
	skip "the simulator has no oomkilled/pending/unhealthy faults (opsdeck-sim --help)"
fi

if "$OPSDECK_SIM" --help 2>&1 | grep -q 'diskfill'; then
	rm -rf "$SIM_TMP"
	# --speed 60: the claim fills in simulated minutes; the collector records its usage
	sim_start --seed 7 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" --speed 60 \
		--fault diskfill:home-automation/matter-server ||
		{ echo "Bail out! no sim"; exit 1; }
	act_setup
	pvc_full() {
		"$OPSDECK" --kubeconfig "$KC" --db "$DB" collect --once >/dev/null 2>&1
		"$OPSDECK" --kubeconfig "$KC" --db "$DB" -n home-automation triage 2>/dev/null |
			grep -q 'PersistentVolumeClaim/matter-server-data'
	}
	wait_for 90 pvc_full
	OUT=$(OD -n home-automation triage 2>/dev/null)
	is "$?" 0 "diskfill: exit 0"
	like "$OUT" '^(high|medium) +PersistentVolumeClaim/matter-server-data +storage [0-9.]+% used, over the profile.s (fail|warn) threshold (85|80)% +[0-9T:-]+Z' \
		"diskfill: the claim over the matter-server profile's threshold (usage from the store)"
	sim_stop_check
else
	skip "the simulator has no diskfill fault (opsdeck-sim --help)"
fi

exit_is 1 "an unreachable cluster: exit 1" OD triage
plan_done
