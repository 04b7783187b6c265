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

# struck: how many requests the sim's fault has caught so far (shown with count=)
struck() { sim_curl /sim/faults | sed -n 's/.*"struck":\([0-9]*\).*/\1/p' | head -1; }
audited() {
	sqlite3 -cmd '.timeout 5000' "$DB" \
		"select count(*) from audit where action = 'scale' and step = '$1'" 2>/dev/null
}

# --- 1: killed while the write is in flight ----------------------------------
# Every /scale request (the GET, the dry run and the write) is held 20 s by the
# sim, which applies the write only after that. The write is in flight once
# the confirmation is audited, the dry run has been answered (opsdeck's debug
# log) and the sim has received one /scale request more than opsdeck has seen
# answered: the write itself.
is "$(post_fault "api:latency:ms=20000,path=/scale,count=1000")" 201 "the API answers /scale after 20 s"
# opsdeck itself in the background, not the OD function: $! must be the
# process that kill -9 hits, not a subshell that would leave opsdeck running
"$OPSDECK" --kubeconfig "$KC" --db "$DB" --debug-log "$SIM_TMP/k1.log" $HA scale deploy/home-assistant --replicas 3 --yes >"$SIM_TMP/o1" 2>&1 &
PID=$!
write_in_flight() {
	[ "$(audited confirm)" -gt 0 ] 2>/dev/null || return 1
	grep -q 'http: PATCH [^ ]*/scale?dryRun=All -> ' "$SIM_TMP/k1.log" || return 1
	answered=$(grep -c 'http: [A-Z]* [^ ]*/scale[? ]' "$SIM_TMP/k1.log")
	[ "$(struck)" -gt "$answered" ] 2>/dev/null
}
wait_for 150 write_in_flight
is "$?" 0 "the write reached the sim after the confirmation (struck $(struck), answered $(grep -c 'http: [A-Z]* [^ ]*/scale[? ]' "$SIM_TMP/k1.log"))"
kill -0 $PID 2>/dev/null
is "$?" 0 "opsdeck scale is still waiting for the write's answer when it is killed"
kill -9 $PID
wait $PID 2>/dev/null
is "$?" 137 "kill -9 ended opsdeck scale itself (status 137)"
is "$(clear_faults)" 200 "latency cleared"
is "$(db_ok)" ok "after kill -9 during the write: quick_check ok"
exit_is 0 "after kill -9 during the write: the audit chain verifies" OD audit --verify
like "$(steps)" 'plan:ok .*confirm:ok' "the audit shows the action up to its confirmation"
unlike "$(steps)" 'apply:' "and no write step: the write's answer never came"

# --- 2: killed while --wait follows the rollout --------------------------------
# Once the write is audited, a 20 s latency fault on the Deployment holds the
# next GET of --wait. The process must be alive just before kill -9; if the
# rollout was already followed to its end (it takes about 2 s), that attempt
# does not count: it is tried again with every Deployment request 1 s slower
# from the start, up to 3 times.
killed=
attempt=0
while [ $attempt -lt 3 ] && [ -z "$killed" ]; do
	attempt=$((attempt + 1))
	want=$((3 + attempt))
	applied=$(audited apply)
	[ $attempt -gt 1 ] && post_fault "api:latency:ms=1000,path=/deployments/home-assistant" >/dev/null
	"$OPSDECK" --kubeconfig "$KC" --db "$DB" $HA scale deploy/home-assistant --replicas $want --yes --wait --timeout 120s >"$SIM_TMP/o2" 2>&1 &
	PID=$!
	wait_for 120 sh -c "[ \$(sqlite3 -cmd '.timeout 5000' '$DB' \"select count(*) from audit where action = 'scale' and step = 'apply'\" 2>/dev/null) -gt $applied ]"
	st=$?
	post_fault "api:latency:ms=20000,path=/deployments/home-assistant" >/dev/null
	if [ $st -eq 0 ] && kill -0 $PID 2>/dev/null; then
		kill -9 $PID
		wait $PID 2>/dev/null
		killed_st=$?
		killed=$want
	else
		diag "attempt $attempt: opsdeck scale --wait had already exited (write audited: $st); again, slower"
	fi
	wait $PID 2>/dev/null
	clear_faults >/dev/null
done
if [ -n "$killed" ]; then
	ok "the write was made and audited, and kill -9 hit --wait while it was alive (attempt $attempt)"
	is "$killed_st" 137 "kill -9 ended opsdeck scale --wait itself (status 137)"
else
	not_ok "the write was made and audited, and kill -9 hit --wait while it was alive"
fi
is "$(db_ok)" ok "after kill -9 during --wait: quick_check ok"
exit_is 0 "after kill -9 during --wait: the audit chain verifies" OD audit --verify
like "$(steps)" 'apply:ok' "the audit shows the write"
is "$(K $HA get deploy home-assistant -o 'jsonpath={.spec.replicas}')" "${killed:-none}" "the write took effect"

# --- a new action afterwards ------------------------------------------------------
OD $HA scale deploy/home-assistant --replicas 2 --yes >/dev/null 2>&1
is "$?" 0 "a new action after the kills works"
exit_is 0 "and the chain still verifies" OD audit --verify
is "$(OD audit | awk '$3 == "scale" && $4 == "apply" && $5 == "ok"' | wc -l | tr -d ' ')" $((attempt + 1)) \
	"every write audited ($attempt with --wait, the new one)"
sim_stop_check
plan_done
