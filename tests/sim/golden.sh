#!/bin/sh
# Golden output: with a fixed --seed and --start-time, `kubectl get pods -A
# -o wide` matches tests/sim/golden/pods-wide.txt, and a second run prints
# the same. The sim's clock starts at --start-time and the scenario's
# objects were created a day before it, so every AGE stays constant during
# the first minute of a run (HumanDuration prints "24h" from 24h to 25h).
# OPSDECK_UPDATE_GOLDEN=1 (make update-golden) rewrites the file.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

GOLDEN=$OPSDECK_SRCDIR/tests/sim/golden/pods-wide.txt
ARGS="--seed 42 --start-time 2026-01-15T09:00:00Z --scenario $OPSDECK_SRCDIR/tests/sim/small.yaml"

# shellcheck disable=SC2086
sim_start $ARGS || { echo "Bail out! the simulator did not start"; exit 1; }
first=$(K get pods -A -o wide)
sim_cleanup
SIM_PID=
# shellcheck disable=SC2086
sim_start $ARGS || { echo "Bail out! the simulator did not start again"; exit 1; }
second=$(K get pods -A -o wide)

if [ "${OPSDECK_UPDATE_GOLDEN:-}" = 1 ]; then
	printf '%s\n' "$first" >"$GOLDEN"
	diag "rewrote $GOLDEN"
fi
is "$first" "$second" "the same seed and start time give the same pods"
is "$first" "$(cat "$GOLDEN")" "kubectl get pods -A -o wide matches the golden file"
plan_done
[ "$TAP_FAILED" -eq 0 ]
