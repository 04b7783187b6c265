#!/bin/sh
# Snapshot, snapshots and restore against opsdeck-sim: the default name, the
# class from --class, the profile and the cluster's default class,
# readyToUse and the restore PVC Bound (read back with kubectl), the
# snapshot's error for a missing PVC or class, and the audit rows.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

sim_start --seed 11 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
HA="-n home-automation"
OUT=$SIM_TMP/cmd.out
ERR=$SIM_TMP/cmd.err
VS=volumesnapshot.snapshot.storage.k8s.io

OD $HA snapshot pvc/matter-server-data --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "snapshot: exit 0"
SNAP=$(sed -n 's|^volumesnapshot\.snapshot\.storage\.k8s\.io/\(.*\) created$|\1|p' "$OUT")
like "$SNAP" '^matter-server-data-manual-[0-9]{8}-[0-9]{6}$' "snapshot: the default name"
like "$(cat "$OUT")" 'class longhorn-snapshot-vsc \(the profile\)' "snapshot: the class from the profile"
is "$(tail -1 "$OUT")" "readyToUse: true" "snapshot: followed to readyToUse"
is "$(K $HA get volumesnapshot "$SNAP" -o jsonpath='{.status.readyToUse}/{.spec.source.persistentVolumeClaimName}/{.spec.volumeSnapshotClassName}')" \
	"true/matter-server-data/longhorn-snapshot-vsc" "snapshot: kubectl reads it back ready"
check_audit "snapshot: audit rows" snapshot "$VS/$SNAP" plan:ok dry-run:ok confirm:ok apply:ok result:ok

OD $HA snapshot pvc/matter-server-data --name pre-upgrade --class longhorn-snapshot-vsc \
	--yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "snapshot --name --class: exit 0"
like "$(cat "$OUT")" 'class longhorn-snapshot-vsc \(--class\)' "snapshot: --class wins"
exit_is 0 "snapshot --name: that name" K $HA get volumesnapshot pre-upgrade

# no profile covers this namespace: the cluster's default class (by annotation)
printf '%s\n' 'apiVersion: v1' 'kind: Namespace' 'metadata: {name: scratch}' '---' \
	'apiVersion: v1' 'kind: PersistentVolumeClaim' 'metadata: {name: scratch-data, namespace: scratch}' \
	'spec: {accessModes: [ReadWriteOnce], storageClassName: longhorn, resources: {requests: {storage: 1Gi}}}' |
	K apply -f - >/dev/null
OD -n scratch snapshot pvc/scratch-data --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "snapshot without a profile: exit 0"
like "$(cat "$OUT")" "class longhorn-snapshot-vsc \\(the cluster's default class\\)" \
	"snapshot: the cluster's default class"

OD $HA snapshot pvc/matter-server-data --dry-run >"$OUT" 2>"$ERR"
is "$?" 0 "snapshot --dry-run: exit 0"
is "$(K $HA get volumesnapshots -o name | wc -l | tr -d ' ')" 2 "snapshot --dry-run: nothing created"

# the snapshot's own error: a missing PVC, a missing class
OD $HA snapshot pvc/nope --name nope-snap --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 1 "snapshot of a missing PVC: exit 1"
like "$(cat "$ERR")" '^error: snapshot error: .*persistentvolumeclaim .*nope.* not found' \
	"missing PVC: the snapshot's status.error"
check_audit "missing PVC: result failed in the audit" snapshot "$VS/nope-snap" apply:ok result:failed
OD $HA snapshot pvc/matter-server-data --class nosuch --name bad-class --yes --wait --timeout 60s \
	>"$OUT" 2>"$ERR"
is "$?" 1 "snapshot with a missing class: exit 1"
is "$(cat "$ERR")" 'error: snapshot error: Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io "nosuch" not found' \
	"missing class: the snapshot's status.error"

# the list
OD $HA snapshots >"$OUT" 2>"$ERR"
is "$?" 0 "snapshots: exit 0"
like "$(head -1 "$OUT")" '^PVC +NAME +READYTOUSE +RESTORESIZE +CLASS +AGE +ERROR$' "snapshots: header"
like "$(grep "$SNAP" "$OUT")" "^matter-server-data +$SNAP +true +5Gi +longhorn-snapshot-vsc +[0-9smh]+ +<none>\$" \
	"snapshots: readyToUse, restoreSize, class, age"
like "$(grep bad-class "$OUT")" 'false +<unset> +nosuch .*Failed to get snapshot class' "snapshots: the error column"
like "$(grep nope-snap "$OUT")" '^nope +nope-snap +false' "snapshots: grouped by PVC"
OD $HA snapshots --pvc matter-server-data >"$OUT" 2>"$ERR"
is "$(tail -n +2 "$OUT" | awk '{ print $1 }' | sort -u)" matter-server-data "snapshots --pvc: only that PVC"

# restore
OD $HA restore "$SNAP" --to matter-server-restore --yes --wait --timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "restore: exit 0"
is "$(tail -1 "$OUT")" "phase: Bound" "restore: followed to Bound"
is "$(K $HA get pvc matter-server-restore -o jsonpath='{.status.phase}/{.spec.dataSource.kind}/{.spec.dataSource.name}/{.spec.storageClassName}/{.spec.resources.requests.storage}')" \
	"Bound/VolumeSnapshot/$SNAP/longhorn/5Gi" "restore: kubectl reads back a Bound PVC from the snapshot"
check_audit "restore: audit rows" restore persistentvolumeclaim/matter-server-restore \
	plan:ok dry-run:ok confirm:ok apply:ok result:ok
OD $HA restore bad-class --to never --yes >"$OUT" 2>"$ERR"
is "$?" 1 "restore of a snapshot that is not ready: exit 1"
like "$(cat "$ERR")" 'is not readyToUse yet' "restore: refused before anything is created"
exit_is 1 "restore refused: no PVC" K $HA get pvc never
OD $HA restore nosuch --to never --yes >"$OUT" 2>"$ERR"
is "$(cat "$ERR")" 'Error from server (NotFound): volumesnapshots.snapshot.storage.k8s.io "nosuch" not found' \
	"restore of a missing snapshot: kubectl's words"
check_audit "missing snapshot: failed plan audited" restore nosuch plan:failed
# --snapshot-first on a workload the profile marks stateful, in a protected
# context: the workload's name typed also confirms its snapshot
config_set 'contexts:
  sim:
    protected: true'
BEFORE=$(K $HA get volumesnapshots -o name | wc -l)
OD $HA restart deploy/matter-server --snapshot-first --yes --confirm matter-server --wait \
	--timeout 60s >"$OUT" 2>"$ERR"
is "$?" 0 "restart --snapshot-first (protected): exit 0"
is "$(K $HA get volumesnapshots -o name | wc -l)" "$((BEFORE + 1))" "--snapshot-first: one more snapshot"
like "$(grep -n 'readyToUse: true\|successfully rolled out' "$OUT" | tr '\n' ' ')" \
	'^[0-9]+:readyToUse: true [0-9]+:deployment "matter-server" successfully rolled out' \
	"--snapshot-first: the snapshot is ready before the restart"
config_set ''
exit_is 0 "the audit log verifies" OD audit --verify
plan_done
