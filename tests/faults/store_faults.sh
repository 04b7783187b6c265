#!/bin/sh
# tests/faults/store_faults.sh: the history store under a locked database
# and a full disk, with `opsdeck collect --interval 1s` (the collector the
# console runs) writing to it:
#   - another writer (sqlite3 holding BEGIN EXCLUSIVE until the test touches
#     a release file): the collector keeps running, says the database is
#     busy, and writes again once the lock is gone; a one-shot collect under
#     the lock (still held when it ends) fails with opsdeck's busy message
#     and exit 1 within its busy timeout;
#   - a full disk: the store on a 1 MiB tmpfs when root may mount one, else
#     RLIMIT_FSIZE (ulimit -f, SIGXFSZ ignored so writes fail with EFBIG;
#     FAULTS_NO_TMPFS=1 forces this):
#     the collector keeps running and warns in the user's terms ("full"),
#     again on a later tick (so it is still collecting);
#     the database passes quick_check and keeps every tick committed before.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP sqlite3 is not installed"
	exit 0
fi
sim_start --seed 5 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
XDG_CONFIG_HOME=$SIM_TMP/cfg XDG_STATE_HOME=$SIM_TMP/state
export XDG_CONFIG_HOME XDG_STATE_HOME
COL_PID= LOCK_PID= MNT=
cleanup() {
	[ -n "$SIM_TMP" ] && [ -d "$SIM_TMP" ] && touch "$SIM_TMP/release"
	for p in $COL_PID $LOCK_PID; do kill -9 "$p" 2>/dev/null; done
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	sim_cleanup
}
trap cleanup EXIT
ticks() { sqlite3 -cmd '.timeout 10000' "$1" 'select count(*) from ticks' 2>/dev/null; }
db_ok() { sqlite3 -cmd '.timeout 10000' "$1" 'PRAGMA quick_check' 2>&1; }

# --- another writer holds the database ----------------------------------------
DB=$SIM_TMP/locked.db
"$OPSDECK" --kubeconfig "$KC" --db "$DB" collect --once >/dev/null 2>&1
like "$(ticks "$DB")" '^[1-9][0-9]*$' "the first ticks"
"$OPSDECK" --kubeconfig "$KC" --db "$DB" collect --interval 1s >"$SIM_TMP/col.out" 2>"$SIM_TMP/col.err" &
COL_PID=$!
wait_for 60 sh -c "[ \$(sqlite3 -cmd '.timeout 5000' '$DB' 'select count(*) from ticks') -ge 3 ]"
is "$?" 0 "the collector writes ticks every second"
printf 'BEGIN EXCLUSIVE;\nINSERT INTO meta VALUES(%s, 1);\n.shell touch %s/locked; while [ ! -f %s/release ]; do sleep 0.1; done\nCOMMIT;\n' \
	"'fault-test'" "$SIM_TMP" "$SIM_TMP" | sqlite3 -cmd '.timeout 10000' "$DB" >/dev/null 2>&1 &
LOCK_PID=$!
wait_for 30 test -f "$SIM_TMP/locked"
is "$?" 0 "another writer holds an exclusive lock"
t0=$(date +%s)
"$OPSDECK" --kubeconfig "$KC" --db "$DB" collect --once >"$SIM_TMP/once.out" 2>"$SIM_TMP/once.err"
rc=$?
dt=$(($(date +%s) - t0))
is "$rc" 1 "a one-shot collect under the lock: exit 1"
like "$(cat "$SIM_TMP/once.err")" 'busy|locked' "it says the database is busy ($dt s)"
kill -0 $LOCK_PID 2>/dev/null
is "$?" 0 "the other writer still held the lock when the one-shot collect ended"
touch "$SIM_TMP/release"
wait $LOCK_PID
LOCK_PID=
before=$(ticks "$DB")
wait_for 60 sh -c "[ \$(sqlite3 -cmd '.timeout 5000' '$DB' 'select count(*) from ticks') -gt $before ]"
is "$?" 0 "the lock is gone: the collector writes again"
kill -0 $COL_PID 2>/dev/null
is "$?" 0 "the collector kept running through the lock"
kill $COL_PID
wait $COL_PID 2>/dev/null
COL_PID=
is "$(db_ok "$DB")" ok "quick_check ok after the lock"
is "$(sqlite3 "$DB" "select value from meta where key = 'fault-test'")" 1 "the other writer's commit is there"

# --- the disk fills up under the store -------------------------------------------
D=$SIM_TMP/full
mkdir -p "$D"
how=
if [ -z "${FAULTS_NO_TMPFS:-}" ] && [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1m,mode=0700 tmpfs "$D" 2>/dev/null; then
	MNT=$D
	how="a 1 MiB tmpfs"
fi
DB=$D/history.db
(
	if [ -z "$MNT" ]; then
		trap '' XFSZ
		ulimit -f 1024 # 512 KiB: writes beyond fail with EFBIG
	fi
	exec "$OPSDECK" --kubeconfig "$KC" --db "$DB" -A collect --interval 1s
) >"$SIM_TMP/full.out" 2>"$SIM_TMP/full.err" &
COL_PID=$!
[ -n "$how" ] || how="RLIMIT_FSIZE of 512 KiB"
wait_for 120 grep -qi 'full\|too large' "$SIM_TMP/full.err"
is "$?" 0 "the disk fills ($how): the collector warns"
like "$(grep -i 'full\|too large' "$SIM_TMP/full.err" | head -1)" 'full' "in the user's terms (the disk is full)"
wait_for 120 sh -c "[ \$(grep -ci 'full' '$SIM_TMP/full.err') -ge 2 ]"
is "$?" 0 "a later tick warns again ($(grep -ci 'full' "$SIM_TMP/full.err") warnings)"
kill -0 $COL_PID 2>/dev/null
is "$?" 0 "the collector keeps running on a full disk"
kill $COL_PID
wait $COL_PID 2>/dev/null
COL_PID=
is "$(db_ok "$DB")" ok "quick_check ok on the full disk"
n=$(ticks "$DB")
like "$n" '^[1-9][0-9]*$' "the ticks committed before the disk filled are there ($n)"
unlike "$(cat "$SIM_TMP/full.err")" 'AddressSanitizer|runtime error' "no memory error"
sim_stop_check
plan_done
