#!/bin/sh
# kill -9 of `opsdeck collect` at random moments, 20 times: the database
# passes quick_check every time, no committed tick is lost, and every tick is
# whole — each carries the pod-state samples of every pod (read back with
# opsdeck history) and the last-known rows saved with the newest tick.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/collect/lib.sh"

plan 6
sim_start --seed 4 --scenario home-automation || { echo "Bail out! no sim"; exit 1; }
collect_env
OD collect --once >/dev/null 2>&1 || diag "the first collect --once failed"
pod=$(K get pods -l app.kubernetes.io/name=home-assistant -o jsonpath='{.items[0].metadata.name}')
npods=$(K get pods --no-headers | wc -l)

bad_check=0 lost=0 killed=0
for i in $(seq 1 20); do
	before=$(ticks)
	bg_collect "$SIM_TMP/crash.out" "$SIM_TMP/crash.err" --interval 1s
	# A random moment in the first 1.5 s: start-up, LIST, a tick being written...
	sleep "$(awk -v s="$$$i" 'BEGIN { srand(s); printf "%.2f", rand() * 1.5 }')"
	kill -KILL "$BG_PID" 2>/dev/null && killed=$((killed + 1))
	wait "$BG_PID" 2>/dev/null
	qc=$(db_sql 'PRAGMA quick_check')
	if [ "$qc" != ok ]; then
		bad_check=$((bad_check + 1))
		diag "run $i: quick_check says $qc"
	fi
	after=$(ticks)
	if [ "$after" -lt "$before" ]; then
		lost=$((lost + 1))
		diag "run $i: $before ticks before, $after after"
	fi
done
is "$killed" 20 "20 collectors were killed with SIGKILL"
is "$bad_check" 0 "quick_check says ok after every kill"
is "$lost" 0 "no committed tick was lost"

# Every tick holds the pod-state samples of every pod: 2 per pod (ready, restarts).
is "$(db_sql "SELECT count(*) FROM ticks WHERE samples < $((2 * npods))")" 0 \
	"every tick carries the samples of every pod"
db_sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') FROM ticks ORDER BY ts" >"$SIM_TMP/ticks"
OD history ready --pod "$pod" --since 1h --step 1s -o csv 2>/dev/null | sed 1d | cut -d, -f1 >"$SIM_TMP/points"
is "$(cat "$SIM_TMP/points")" "$(cat "$SIM_TMP/ticks")" \
	"history reads the pod's readiness back at every committed tick ($(wc -l <"$SIM_TMP/ticks") ticks)"
is "$(db_sql "SELECT saved_at = (SELECT max(ts) FROM ticks) FROM state_saved WHERE context = 'sim'")" 1 \
	"the last-known rows were saved with the newest tick"
