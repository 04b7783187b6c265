#!/bin/sh
# tests/faults/kill_action.sh: kill -9 of `opsdeck scale` in the middle of an
# action, twice: while the API is slow to answer the write itself (the
# sim's latency fault on /scale) and while --wait follows the rollout after
# the write. Each time the database passes quick_check, the audit log's hash
# chain verifies, and the audit shows the action up to the step it reached
# (the confirmation before the write; the write itself after it). A new
# action afterwards works and is audited. Also kill -9 of `opsdeck collect`
# and of a checklist run are in tests/collect/crash.sh and
# tests/runbook/resume.sh.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP sqlite3 is not installed"
	exit 0
fi
sim_start --seed 5 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
HA="-n home-automation"
post_fault() {
	sim_curl /sim/faults -X POST -H 'Content-Type: application/json' \
		-d "{\"fault\":\"$1\"}" -o /dev/null -w '%{http_code}'
}
clear_faults() { sim_curl /sim/faults -X DELETE -o /dev/null -w '%{http_code}'; }
OD collect --once >/dev/null 2>&1 # the database exists before the first kill
steps() { OD audit 2>/dev/null | awk -v a=scale '$3 == a { print $4 ":" $5 }' | tr '\n' ' '; }
db_ok() { sqlite3 -cmd '.timeout 10000' "$DB" 'PRAGMA quick_check' 2>&1; }

# --- 1: killed while the write is in flight ----------------------------------
is "$(post_fault "api:latency:ms=20000,path=/scale")" 201 "the API answers /scale after 20 s"
OD $HA scale deploy/home-assistant --replicas 3 --yes >"$SIM_TMP/o1" 2>&1 &
PID=$!
wait_for 60 sh -c "sqlite3 -cmd '.timeout 5000' '$DB' \"select count(*) from audit where action = 'scale' and step = 'confirm'\" 2>/dev/null | grep -qv '^0$'"
is "$?" 0 "the action reached its confirmation (audited before the write)"
kill -9 $PID
wait $PID 2>/dev/null
is "$(clear_faults)" 200 "latency cleared"
is "$(db_ok)" ok "after kill -9 during the write: quick_check ok"
exit_is 0 "after kill -9 during the write: the audit chain verifies" OD audit --verify
like "$(steps)" 'plan:ok .*confirm:ok' "the audit shows the action up to its confirmation"

# --- 2: killed while --wait follows the rollout --------------------------------
OD $HA scale deploy/home-assistant --replicas 4 --yes --wait --timeout 120s >"$SIM_TMP/o2" 2>&1 &
PID=$!
wait_for 60 sh -c "sqlite3 -cmd '.timeout 5000' '$DB' \"select count(*) from audit where action = 'scale' and step = 'apply'\" 2>/dev/null | grep -qv '^0$'"
is "$?" 0 "the write was made and audited"
kill -9 $PID
wait $PID 2>/dev/null
is "$(db_ok)" ok "after kill -9 during --wait: quick_check ok"
exit_is 0 "after kill -9 during --wait: the audit chain verifies" OD audit --verify
like "$(steps)" 'apply:ok' "the audit shows the write"
is "$(K $HA get deploy home-assistant -o 'jsonpath={.spec.replicas}')" 4 "the write took effect"

# --- a new action afterwards ------------------------------------------------------
OD $HA scale deploy/home-assistant --replicas 2 --yes >/dev/null 2>&1
is "$?" 0 "a new action after the kills works"
exit_is 0 "and the chain still verifies" OD audit --verify
is "$(OD audit | awk '$3 == "scale" && $4 == "apply" && $5 == "ok"' | wc -l | tr -d ' ')" 2 \
	"two writes audited (the killed --wait and the new one)"
sim_stop_check
plan_done
