#!/bin/sh
# `opsdeck incident` without a console: start prints the id alone, note
# defaults to the open incident, close, list; export rebuilds the timeline
# from the store (pod transitions and events written by `collect --once`,
# the audit log of an action) and holds the notes and events in time order.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

FAULT=
if "$OPSDECK_SIM" --help 2>&1 | grep -q 'crashloop'; then
	FAULT="--fault crashloop:home-automation/matter-server"
fi
# shellcheck disable=SC2086
sim_start --seed 11 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" $FAULT ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
HA="-n home-automation"

exit_is 2 "start without --severity: usage" OD $HA incident start --title x
exit_is 2 "start with a severity the runbooks do not define: usage" \
	OD $HA incident start --title x --severity P7
exit_is 1 "note with no open incident: exit 1" OD $HA incident note hello

ID=$(OD $HA incident start --title "matter-server crashlooping" --severity P1)
is "$?" 0 "start: exit 0"
like "$ID" '^[0-9]+$' "start: prints the new id alone"
sleep 1
OD $HA incident note "first look: matter-server restarts" || not_ok "note"
is "$?" 0 "note: exit 0 (the open incident)"
sleep 1
# the fault's pod transitions and events into the store, as the collector sees them
if [ -n "$FAULT" ]; then
	wait_for 60 sh -c '"$0" --kubeconfig "$1" -n home-automation get pods | grep -q CrashLoopBackOff' \
		"$OPSDECK" "$KC"
fi
OD collect --once >/dev/null 2>"$SIM_TMP/collect.err"
is "$?" 0 "collect --once into the store"
OD $HA restart deploy/home-assistant --yes >/dev/null 2>&1
is "$?" 0 "an action (restart), audited"
sleep 1
OD $HA incident note --id "$ID" "restarted home-assistant" 
is "$?" 0 "note --id"

L=$(OD incident list)
like "$(echo "$L" | head -1)" '^ID +SEVERITY +STATE +STARTED +RESOLVED +NAMESPACE +TITLE$' "list: header"
like "$L" "^$ID +P1 +open +[0-9T:-]+Z +- +home-automation +matter-server crashlooping" "list: the open incident"

exit_is 2 "close without --resolution: usage" OD $HA incident close
OUT=$(OD $HA incident close --resolution "rolled back the config")
is "$?" 0 "close: exit 0"
is "$OUT" "incident $ID closed" "close: says so"
exit_is 1 "close twice: exit 1" OD incident close --id "$ID" --resolution again
like "$(OD incident list)" "^$ID +P1 +closed +[0-9T:-]+Z +[0-9T:-]+Z +home-automation" "list: closed"

OD incident export "$ID" --out "$SIM_TMP/pm.md"
is "$?" 0 "export --out: exit 0"
PM=$(cat "$SIM_TMP/pm.md")
for h in '# Post-mortem: incident' '## Summary' '## Severity' '## Times' '## Impact' \
	'## Timeline' '## Actions taken' '## Evidence' '## Follow-ups'; do
	like "$PM" "^$h" "export: section $h"
done
like "$PM" '\| Severity: P1|- Severity: P1' "export: the severity"
like "$PM" 'Resolution: rolled back the config' "export: the resolution"
like "$PM" '\| Resolved \| [0-9T:-]+Z \|' "export: the resolve time"
like "$PM" '\| note \| first look: matter-server restarts \|' "export: the first note"
like "$PM" '\| action \| action restart .*deployment.apps/home-assistant' "export: the restart from the audit log"
if [ -n "$FAULT" ]; then
	like "$PM" '\| (event|transition) \| .*matter-server' "export: the fault's events/transitions from the store"
else
	skip "no crashloop fault in this opsdeck-sim"
fi
# time order: the timeline's rows sorted by time are the rows as written
TL=$(echo "$PM" | sed -n '/^## Timeline/,/^## Actions/p' | grep '^| 20')
is "$TL" "$(echo "$TL" | sort -s -k2,2)" "export: the timeline is in time order"
n1=$(echo "$TL" | grep -n 'first look' | cut -d: -f1)
n2=$(echo "$TL" | grep -n 'restarted home-assistant' | cut -d: -f1)
ok_order=no
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" -lt "$n2" ] && ok_order=yes
is "$ok_order" yes "export: the notes in the order written"
# a second export does not duplicate the rebuilt rows
OD incident export "$ID" >"$SIM_TMP/pm2.md"
is "$(grep -c '^| 20' "$SIM_TMP/pm2.md")" "$(grep -c '^| 20' "$SIM_TMP/pm.md")" \
	"export twice: no duplicated timeline rows"
exit_is 1 "export of an unknown incident: exit 1" OD incident export 999

# handoff for the next shift: the incident, the action, the events
OD handoff --since 1h --out "$SIM_TMP/handoff.md"
is "$?" 0 "handoff --out: exit 0"
HO=$(cat "$SIM_TMP/handoff.md")
for h in '# Shift handoff:' '## Incidents' '## Restarts' '## New Warning events' '## Actions' \
	'## Checklists'; do
	like "$HO" "^$h" "handoff: section $h"
done
like "$HO" "^- #$ID P1 matter-server crashlooping — closed, .*: rolled back the config" "handoff: the incident"
like "$HO" '^- [0-9T:-]+Z restart (apply|result) home-automation/deployment.apps/home-assistant: ok' \
	"handoff: the restart from the audit log"
if [ -n "$FAULT" ]; then
	like "$HO" '^- [0-9T:-]+Z home-automation Pod/matter-server-[a-z0-9-]+ BackOff' \
		"handoff: the crashloop's Warning events"
else
	skip "no crashloop fault in this opsdeck-sim"
fi
exit_is 2 "handoff --since garbage: usage" OD handoff --since soon
sim_stop_check
plan_done
