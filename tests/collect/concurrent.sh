#!/bin/sh
# Two collectors on one database (and one-shot collectors beside them) never
# fail with "database is locked": writes queue on the busy timeout.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/collect/lib.sh"

plan 6
sim_start --seed 5 --scenario home-automation || { echo "Bail out! no sim"; exit 1; }
collect_env

bg_collect "$SIM_TMP/a.out" "$SIM_TMP/a.err" --interval 1s
a=$BG_PID
bg_collect "$SIM_TMP/b.out" "$SIM_TMP/b.err" --interval 1s
b=$BG_PID
wait_for 30 test -s "$DB" || diag "no database"
once_fail=0
for i in 1 2 3 4 5 6; do
	OD collect --once >/dev/null 2>>"$SIM_TMP/once.err" || once_fail=$((once_fail + 1))
done
wait_for 30 more_ticks_than 5 || diag "fewer than 6 ticks within 30 s"
kill -TERM "$a" "$b"
wait "$a"
ra=$?
wait "$b"
rb=$?
is "$ra $rb" "0 0" "both collectors ran until SIGTERM and exited 0"
is "$once_fail" 0 "one-shot collectors beside them succeeded"
is "$(cat "$SIM_TMP/a.err" "$SIM_TMP/b.err" "$SIM_TMP/once.err" | grep -ci 'locked')" 0 \
	"nobody failed with \"database is locked\""
like "$(cat "$SIM_TMP/a.out")" '^collected [1-9][0-9]* ticks? ' "the first collector wrote ticks"
like "$(cat "$SIM_TMP/b.out")" '^collected [1-9][0-9]* ticks? ' "the second collector wrote ticks"
is "$(db_sql 'PRAGMA quick_check')" ok "the shared database passes quick_check"
