#!/bin/sh
# `opsdeck audit`: the table and JSON, --since, and --verify detecting an
# edited row, a deleted row and a truncated tail (the database edited with
# the sqlite3 CLI behind opsdeck's back).
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP the sqlite3 CLI is not installed"
	exit 0
fi
sim_start --seed 13 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
HA="-n home-automation"

OD $HA scale deploy/home-assistant --replicas 2 --yes >/dev/null 2>&1
OD $HA restart deploy/home-assistant --dry-run >/dev/null 2>&1
OD --read-only $HA restart deploy/home-assistant --yes >/dev/null 2>&1
ROWS=$(sqlite3 "$DB" 'SELECT count(*) FROM audit')
is "$ROWS" 7 "7 rows: scale plan/dry-run/confirm/apply, restart plan/dry-run, a read-only refusal"

T=$(OD audit)
like "$(echo "$T" | head -1)" '^SEQ +TIME +ACTION +STEP +OUTCOME +CONTEXT +NAMESPACE +OBJECT +CHANGE +HTTP +USER +MESSAGE$' \
	"audit: the table's header"
like "$(echo "$T" | grep ' apply ')" '^4 +[0-9T:Z-]+ +scale +apply +ok +sim +home-automation +deployment.apps/home-assistant +replicas=3 -> replicas=2 +200 +' \
	"audit: the apply row"
J=$(OD audit -o json)
like "$J" '"kubeUser":[[:space:]]*"sim-admin"' "audit -o json: the kube user"
like "$J" '"osUser":[[:space:]]*"[^"]+"' "audit -o json: the OS user"
like "$J" '"hash":[[:space:]]*"[0-9a-f]{64}"' "audit -o json: the row hash"
unlike "$J" '[Tt]oken|Bearer|client-key' "audit: no credential"
is "$(OD audit --since 1h | tail -n +2 | wc -l | tr -d ' ')" 7 "audit --since 1h: every row"
sqlite3 "$DB" "UPDATE audit SET ts_ms = ts_ms - 7200000 WHERE seq <= 4" 2>/dev/null
exit_is 1 "--verify after moving timestamps: the edit shows" OD audit --verify

# fresh copies of an intact log for each kind of tampering
rm -f "$DB" "$DB".*
OD $HA scale deploy/home-assistant --replicas 3 --yes >/dev/null 2>&1
OD $HA restart deploy/home-assistant --dry-run >/dev/null 2>&1
OD $HA scale deploy/home-assistant --replicas 2 --dry-run >/dev/null 2>&1
OUT=$(OD audit --verify)
is "$?" 0 "--verify of an intact log: exit 0"
like "$OUT" '^audit log intact: 8 rows' "--verify: says intact"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
mkdir -p "$SIM_TMP/good"
cp "$DB" "$DB.audit-head" "$SIM_TMP/good/"

restore_good() {
	rm -f "$DB" "$DB"-wal "$DB"-shm
	cp "$SIM_TMP/good/history.db" "$DB"
	cp "$SIM_TMP/good/history.db.audit-head" "$DB.audit-head"
}

sqlite3 "$DB" "UPDATE audit SET after = 'replicas=30' WHERE seq = 4"
OD audit --verify >"$SIM_TMP/v" 2>&1
is "$?" 1 "edited row: exit 1"
like "$(cat "$SIM_TMP/v")" 'audit row 4 was edited' "edited row: named"

restore_good
sqlite3 "$DB" "DELETE FROM audit WHERE seq = 5"
OD audit --verify >"$SIM_TMP/v" 2>&1
is "$?" 1 "deleted row: exit 1"
like "$(cat "$SIM_TMP/v")" 'audit row 5 is missing \(deleted\)' "deleted row: named"

restore_good
sqlite3 "$DB" "DELETE FROM audit WHERE seq >= 7"
OD audit --verify >"$SIM_TMP/v" 2>&1
is "$?" 1 "truncated tail: exit 1"
like "$(cat "$SIM_TMP/v")" 'truncated: it ends at row 6 but row 8 was written' "truncated tail: named"

restore_good
exit_is 0 "the untouched copy still verifies" OD audit --verify
plan_done
