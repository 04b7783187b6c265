#!/bin/sh
# Restart, scale, delete and rollback against opsdeck-sim: each action's
# effect read back with kubectl, the refusals (view token at the dry run,
# stale --current-replicas, paused Deployment, typed names, force), and the
# audit rows every case leaves.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

sim_start --seed 9 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
HA="-n home-automation"
OUT=$SIM_TMP/cmd.out
ERR=$SIM_TMP/cmd.err

replicas() { K $HA get deploy home-assistant -o jsonpath='{.spec.replicas}'; }
ready_is() { [ "$(K "$@" -o jsonpath='{.status.readyReplicas}')" = "$N" ]; }

# ---- restart ----
OD $HA restart deploy/home-assistant --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "restart deploy: exit 0"
like "$(cat "$OUT")" 'kubectl: kubectl rollout restart deployment.apps/home-assistant -n home-automation' \
	"restart: the plan shows the kubectl command"
like "$(cat "$OUT")" 'Dry run \(server, dryRun=All\): accepted' "restart: dry run before apply"
like "$(tail -1 "$OUT")" '^deployment "home-assistant" successfully rolled out$' \
	"restart: followed to kubectl's final rollout-status line"
ANN=$(K $HA get deploy home-assistant -o jsonpath='{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')
like "$ANN" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "restart: the template has restartedAt"
PODS_ANN=$(K $HA get pods -l app.kubernetes.io/name=home-assistant \
	-o jsonpath='{range .items[*]}{.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}{"\n"}{end}')
is "$(printf '%s\n' "$PODS_ANN" | grep -c "^$ANN\$")" 3 "restart: all 3 pods replaced with the new annotation"
exit_is 0 "restart: kubectl rollout status agrees" K $HA rollout status deploy/home-assistant --timeout=5s
check_audit "restart: audit rows for every step" restart deployment.apps/home-assistant \
	plan:ok dry-run:ok confirm:ok apply:ok result:ok

OD -n matrix restart sts/synapse-postgres --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "restart sts: exit 0"
like "$(tail -1 "$OUT")" '^statefulset rolling update complete 2 pods at revision ' "restart sts: followed"
OD -n tapio-system restart ds/tapio-agent --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "restart ds: exit 0"
like "$(tail -1 "$OUT")" '^daemon set "tapio-agent" successfully rolled out$' "restart ds: followed"

# --timeout bounds the follow step: exit 1, kubectl's words, a timeout row
OD $HA restart deploy/home-assistant --yes --timeout 1ms >"$OUT" 2>"$ERR"
is "$?" 1 "restart --timeout 1ms: exit 1"
like "$(cat "$ERR")" '^error: timed out waiting for the condition' "--timeout: kubectl's words"
check_audit "--timeout: a timeout result row" restart deployment.apps/home-assistant result:timeout
exit_is 0 "after the timeout the rollout still finishes" K $HA rollout status deploy/home-assistant --timeout=60s

# a workload the profile (data/profiles/matter-server.yaml) marks stateful
OD $HA restart deploy/matter-server --dry-run >"$OUT" 2>"$ERR"
like "$(cat "$OUT")" 'opsdeck snapshot pvc/matter-server-data -n home-automation' \
	"restart of a stateful workload suggests the exact snapshot command"

K $HA rollout pause deploy/matter-server >/dev/null
OD $HA restart deploy/matter-server --yes >"$OUT" 2>"$ERR"
is "$?" 1 "restart of a paused deployment: exit 1"
is "$(cat "$ERR")" 'error: deployments.apps "matter-server" can'"'"'t restart paused deployment (run rollout resume first)' \
	"restart of a paused deployment: kubectl's reason"
check_audit "paused: plan refused in the audit" restart deployment.apps/matter-server plan:refused
K $HA rollout resume deploy/matter-server >/dev/null

# ---- the view token: refused at the dry run, nothing changes ----
GEN=$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')
OD --context sim-view $HA restart deploy/home-assistant --yes >"$OUT" 2>"$ERR"
is "$?" 1 "view token: restart exit 1"
is "$(cat "$ERR")" 'Error from server (Forbidden): deployments.apps "home-assistant" is forbidden: User "sim-view" cannot patch resource "deployments" in API group "apps" in the namespace "home-automation"' \
	"view token: the 403 in kubectl's words"
unlike "$(cat "$OUT")" 'restarted$' "view token: nothing applied"
is "$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')" "$GEN" \
	"view token: the deployment did not change"
OD --context sim-view $HA scale deploy/home-assistant --replicas 5 --yes >"$OUT" 2>"$ERR"
like "$(cat "$ERR")" '^Error from server \(Forbidden\): .*User "sim-view" cannot patch resource "deployments/scale"' \
	"view token: scale refused with the 403 text"
is "$(replicas)" 3 "view token: replicas unchanged"
audit_has restart dry-run refused deployment.apps/home-assistant &&
	audit_has scale dry-run refused deployment.apps/home-assistant
ok_rc=$?
is "$ok_rc" 0 "view token: dry-run refusals audited"
is "$(OD audit | awk '$4 == "dry-run" && $5 == "refused" { print $12 }' | sort -u)" 403 \
	"view token: the audit has HTTP status 403"

# ---- scale ----
OD $HA scale deploy/home-assistant --replicas 2 --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "scale to 2: exit 0"
is "$(replicas)" 2 "scale to 2: spec.replicas read back"
N=2
ok_rc=0
wait_for 30 ready_is $HA get deploy home-assistant || ok_rc=1
is "$ok_rc" 0 "scale to 2: 2 ready replicas"
check_audit "scale: audit rows" scale deployment.apps/home-assistant plan:ok dry-run:ok \
	confirm:ok apply:ok result:ok
is "$(OD audit | awk '$3 == "scale" && $4 == "apply" { print $9, $10, $11 }' | tail -1)" \
	"replicas=3 -> replicas=2" "scale: before and after in the audit"

OD $HA scale deploy/home-assistant --replicas 4 --current-replicas 3 --yes >"$OUT" 2>"$ERR"
is "$?" 1 "stale --current-replicas: exit 1"
is "$(cat "$ERR")" "error: Expected replicas to be 3, was 2" "stale --current-replicas: kubectl's message"
is "$(replicas)" 2 "stale --current-replicas: replicas unchanged"
check_audit "stale precondition: audited" scale deployment.apps/home-assistant plan:refused

OD $HA scale deploy/home-assistant --replicas 3 --current-replicas 2 --yes >"$OUT" 2>"$ERR"
is "$?" 0 "matching --current-replicas: exit 0"
is "$(replicas)" 3 "matching --current-replicas: replicas 3"

OD $HA scale deploy/home-assistant --undo --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "scale --undo: exit 0"
like "$(head -1 "$OUT")" '^Undo: back to replicas=2 \(recorded before the scale to 3\)$' \
	"scale --undo: names the recorded count"
is "$(replicas)" 2 "scale --undo: back to the previous count"

OD $HA scale deploy/home-assistant --replicas 5 --dry-run >"$OUT" 2>"$ERR"
is "$?" 0 "scale --dry-run: exit 0"
is "$(replicas)" 2 "scale --dry-run: nothing changed"

K $HA scale deploy/home-assistant --replicas=9 >/dev/null
OD $HA scale deploy/home-assistant --replicas 2 --dry-run >"$OUT" 2>"$ERR"
like "$(cat "$OUT")" 'one or two replicas at a time \(9 -> 7 -> 5 -> 3 -> 2\)' \
	"a large scale-down suggests the runbooks' steps"
K $HA scale deploy/home-assistant --replicas=2 >/dev/null

# scaling a StatefulSet with PVCs to 0: the name typed, the snapshot offered
OD -n matrix scale sts/synapse-postgres --replicas 0 --yes >"$OUT" 2>"$ERR"
is "$?" 1 "scale to 0 without the name typed: exit 1"
like "$(cat "$ERR")" 'headless: --confirm synapse-postgres' "scale to 0: asks for the name"
like "$(cat "$OUT")" 'opsdeck snapshot pvc/data-synapse-postgres-0 -n matrix' \
	"scale sts to 0: the snapshot command is suggested"
is "$(K -n matrix get sts synapse-postgres -o jsonpath='{.spec.replicas}')" 2 \
	"scale to 0 refused: replicas unchanged"
OD -n matrix scale sts/synapse-postgres --replicas 0 --yes --confirm wrong >"$OUT" 2>"$ERR"
is "$?" 1 "scale to 0 with the wrong name: exit 1"
check_audit "wrong name: refusal audited" scale statefulset.apps/synapse-postgres refuse:refused
OD -n matrix scale sts/synapse-postgres --replicas 0 --yes --confirm synapse-postgres \
	--snapshot-first --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "scale sts to 0 with --snapshot-first: exit 0"
is "$(K -n matrix get volumesnapshots -o jsonpath='{range .items[*]}{.spec.source.persistentVolumeClaimName}={.status.readyToUse}{"\n"}{end}' | sort | tr '\n' ' ')" \
	"data-synapse-postgres-0=true data-synapse-postgres-1=true " \
	"--snapshot-first: both PVCs snapshotted and readyToUse"
is "$(K -n matrix get sts synapse-postgres -o jsonpath='{.spec.replicas}')" 0 "scale sts to 0: replicas 0"
no_db_pods() { [ -z "$(K -n matrix get pods -l app=synapse-postgres -o name)" ]; }
exit_is 0 "scale sts to 0: the pods go away" wait_for 30 no_db_pods
check_audit "snapshot-first: snapshots audited" snapshot \
	"$(K -n matrix get volumesnapshots -o name | head -1)" \
	apply:ok result:ok
OD -n matrix scale sts/synapse-postgres --replicas 2 --yes --wait --timeout 60s >/dev/null 2>&1
is "$(K -n matrix get sts synapse-postgres -o jsonpath='{.status.readyReplicas}')" 2 "scale sts back to 2"

# ---- delete pod ----
POD=$(K $HA get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
OD $HA delete pod "$POD" --grace-period 1 --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "delete pod: exit 0"
like "$(cat "$OUT")" "pod \"$POD\" deleted" "delete pod: kubectl's line"
like "$(cat "$OUT")" 'its controller ReplicaSet/matter-server-[a-z0-9]+ creates a replacement' \
	"delete pod: the plan names the controller"
exit_is 1 "delete pod: the pod is gone" K $HA get pod "$POD"
new_running() {
	K $HA get pods -l app.kubernetes.io/name=matter-server \
		-o jsonpath='{range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}' |
		grep -v "^$POD " | grep -q ' Running$'
}
exit_is 0 "delete pod: replaced by its controller" wait_for 30 new_running
check_audit "delete: audit rows" delete "pod/$POD" plan:ok dry-run:ok confirm:ok apply:ok result:ok

POD=$(K $HA get pods -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
OD $HA delete pod "$POD" --force --yes >"$OUT" 2>"$ERR"
is "$?" 1 "delete --force without the second confirmation: exit 1"
like "$(cat "$ERR")" 'needs a second confirmation \(headless: --confirm-force\)' "force: asks twice"
exit_is 0 "force refused: the pod is still there" K $HA get pod "$POD"
check_audit "force refused: audited" delete "pod/$POD" refuse:refused
OD $HA delete pod "$POD" --force --yes --confirm-force >"$OUT" 2>"$ERR"
is "$?" 0 "delete --force --confirm-force: exit 0"
like "$(cat "$OUT")" 'kubectl delete pod .* --grace-period=0 --force' "force: the kubectl equivalent"
exit_is 1 "forced deletion: the pod is gone at once" K $HA get pod "$POD"

# ---- rollback and revisions ----
K $HA set image deploy/home-assistant home-assistant=ghcr.io/home-assistant/home-assistant:2024.12.0 >/dev/null
K $HA rollout status deploy/home-assistant --timeout=60s >/dev/null
OD $HA revisions deploy/home-assistant >"$OUT" 2>"$ERR"
is "$?" 0 "revisions: exit 0"
like "$(sed -n 2p "$OUT")" '^REVISION +AGE +IMAGES +CHANGE-CAUSE$' "revisions: header"
like "$(tail -1 "$OUT")" '^[0-9]+ \(current\) +[0-9smhd]+ +home-assistant=ghcr.io/home-assistant/home-assistant:2024.12.0 ' \
	"revisions: the current revision with its image and age"
NEW_REV=$(awk '/\(current\)/ { print $1 }' "$OUT")
is "$(tail -n +3 "$OUT" | wc -l | tr -d ' ')" "$(K $HA rollout history deploy/home-assistant | grep -c '^[0-9]')" \
	"revisions: as many as kubectl rollout history"
OD $HA rollback deploy/home-assistant --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "rollback: exit 0"
like "$(cat "$OUT")" 'change:  revision [0-9]+: home-assistant=.*2024.12.0 -> revision [0-9]+: home-assistant=.*2024.11.1' \
	"rollback: the plan shows the images"
like "$(tail -1 "$OUT")" 'successfully rolled out' "rollback: followed to the end"
is "$(K $HA get deploy home-assistant -o jsonpath='{.spec.template.spec.containers[0].image}')" \
	ghcr.io/home-assistant/home-assistant:2024.11.1 "rollback: the earlier image is back"
check_audit "rollback: audit rows" rollback deployment.apps/home-assistant plan:ok dry-run:ok \
	confirm:ok apply:ok result:ok
OD $HA rollback deploy/home-assistant --to-revision "$NEW_REV" --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "rollback --to-revision: exit 0"
is "$(K $HA get deploy home-assistant -o jsonpath='{.spec.template.spec.containers[0].image}')" \
	ghcr.io/home-assistant/home-assistant:2024.12.0 "rollback --to-revision: that revision's image"
OD $HA rollback deploy/home-assistant --to-revision 99 --yes >"$OUT" 2>"$ERR"
is "$(cat "$ERR")" "error: unable to find specified revision 99 in history" \
	"rollback to a missing revision: kubectl's message"

# ---- protected and read-only ----
config_set 'contexts:
  sim:
    protected: true'
OD $HA restart deploy/home-assistant --yes >"$OUT" 2>"$ERR"
is "$?" 1 "protected: --yes alone is refused"
like "$(cat "$ERR")" 'protected context; headless: --confirm home-assistant' "protected: asks for the name"
OD $HA restart deploy/home-assistant --yes --confirm home-assistant >"$OUT" 2>"$ERR"
is "$?" 0 "protected: the name typed confirms"

GEN=$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')
SNAPS=$(K $HA get volumesnapshots -o name | wc -l)
for ro in flag config; do
	if [ $ro = flag ]; then
		config_set ''
		RO=--read-only
	else
		config_set 'contexts:
  sim:
    readOnly: true'
		RO=
	fi
	for cmd in "restart deploy/home-assistant" "scale deploy/home-assistant --replicas 1" \
		"rollback deploy/home-assistant" "delete pod $POD" "snapshot pvc/matter-server-data" \
		"restore some-snapshot --to x"; do
		# shellcheck disable=SC2086
		OD $RO $HA $cmd --yes --confirm home-assistant >"$OUT" 2>"$ERR"
		rc=$?
		if [ $rc = 1 ] && grep -q 'is read-only (--read-only or readOnly in config.yaml)' "$ERR" &&
			[ ! -s "$OUT" ]; then
			ok "read-only ($ro): ${cmd%% *} blocked"
		else
			not_ok "read-only ($ro): ${cmd%% *} blocked"
			diag "exit $rc" "$(cat "$OUT" "$ERR")"
		fi
	done
done
config_set ''
is "$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')" "$GEN" \
	"read-only: the deployment did not change"
is "$(K $HA get volumesnapshots -o name | wc -l)" "$SNAPS" "read-only: no snapshot was made"
is "$(audit_count restart refuse refused deploy/home-assistant)" 2 \
	"read-only: each refusal audited (flag and config)"

exit_is 0 "the audit log verifies after all of this" OD audit --verify
unlike "$(OD audit -o json)" '[Tt]oken|sim-view-token|Bearer' "no credential in the audit log"
plan_done
