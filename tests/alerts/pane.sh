#!/bin/sh
# tmux screen test of the Alerts view (`A`), issue 12: the real opsdeck on a
# real terminal shows the firing alerts of a real Alertmanager (fed by a real
# Prometheus evaluating the runbook rules on opsdeck-sim), with severity,
# state, age and summary, and the selected alert's labels, description and
# silences; at 120x40 and 80x24; Esc closes it. The Triage view (`!`) lists
# the firing alert and leaves the silenced one out. Every check polls.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/lib/monitoring.sh"
. "$OPSDECK_SRCDIR/tests/alerts/alerts-lib.sh"

if ! mon_have || ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux, prometheus or prometheus-alertmanager not installed"
	exit 0
fi

# Two alerts in a known order: postgres stays quiet here.
ALERTS_DB_BUSY=0
alerts_sim_start || { echo "Bail out! no sim or monitoring"; exit 1; }
sock="opsdeck-alerts-test-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; mon_stop; sim_cleanup' EXIT
cfg=$SIM_TMP/config
mkdir -p "$cfg/opsdeck" "$SIM_TMP/state"
cat >"$cfg/opsdeck/config.yaml" <<EOF
contexts:
  demo:
    alertmanager: $AM_URL
EOF

screen() { tm capture-pane -p -t "$1"; }
shows() { screen "$1" | grep -Eq -- "$2"; }
check() { # check DESC TARGET REGEX [SECONDS]
	if wait_for "${4:-20}" shows "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen "$2" 2>/dev/null | sed 's/^/# | /'
	fi
}
check_gone() { # check_gone DESC TARGET REGEX
	if wait_for 20 sh -c "! tmux -L '$sock' -f /dev/null capture-pane -p -t '$2' | grep -Eq -- '$3'"; then
		ok "$1"
	else
		not_ok "$1"
		screen "$2" 2>/dev/null | sed 's/^/# | /'
	fi
}

# HighResponseTime first, then the PVC fills: the older alert is listed first.
if wait_for 120 mon_am_firing HighResponseTime; then ok "HighResponseTime reached the Alertmanager"; else not_ok "HighResponseTime reached the Alertmanager"; fi
alerts_fault diskfill:home-automation/matter-server:ramp=5s || diag "fault refused"
if wait_for 120 mon_am_firing MatterServerStorageFull; then ok "MatterServerStorageFull reached the Alertmanager"; else not_ok "MatterServerStorageFull reached the Alertmanager"; fi

run="env LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color XDG_CONFIG_HOME=$cfg XDG_STATE_HOME=$SIM_TMP/state"
run="$run OPSDECK_DATADIR=$OPSDECK_SRCDIR $OPSDECK --context demo"
run="$run --replay-pods $OPSDECK_SRCDIR/tests/ui/data/pods.tsv"

t=big
tm new-session -d -s $t -x 120 -y 40 "$run"
tm set-option -t $t window-size manual 2>/dev/null
check "the dashboard starts" $t 'Pods'
tm send-keys -t $t A
check "A opens the Alerts view" $t 'Alerts .*firing, 0 critical'
check "the header row" $t 'SEVERITY +NAME +STATE +AGE +SUMMARY'
check "HighResponseTime listed with its severity, state and age" $t \
	'warning +HighResponseTime +active +[0-9]+[sm] '
check "MatterServerStorageFull listed with its summary" $t \
	'warning +MatterServerStorageFull +active +[0-9]+[sm] +Matter Server storage usage high'
older_first() {
	screen $t | awk '/warning +HighResponseTime/ {a = NR} /warning +MatterServerStorageFull/ {b = NR}
		END {exit !(a && b && a < b)}'
}
if wait_for 20 older_first; then ok "the older alert comes first"; else not_ok "the older alert comes first"; screen $t | sed 's/^/# | /'; fi
check "the first alert's details below the list" $t '^.HighResponseTime \([0-9a-f]+\)'
check "its labels" $t 'labels: .*job=matrixon'
tm send-keys -t $t j
check "j selects the next alert: its details" $t '^.MatterServerStorageFull \([0-9a-f]+\)'
check "its description" $t 'description: Matter Server storage usage is above 85%'
check "its PVC label" $t 'labels: .*persistentvolumeclaim=matter-server-data'
check "the bottom line names the selection and the Alertmanager" $t \
	"MatterServerStorageFull active for [0-9]+[sm] from http://127\\.0\\.0\\.1:[0-9]+"

# A silence made through the Alertmanager's API shows within a refresh.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
later=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' "$AM_URL/api/v2/silences" -d \
	"{\"matchers\":[{\"name\":\"alertname\",\"value\":\"MatterServerStorageFull\",\"isRegex\":false,\"isEqual\":true}],\"startsAt\":\"$now\",\"endsAt\":\"$later\",\"createdBy\":\"bob\",\"comment\":\"resizing the volume\"}" ||
	diag "silence refused"
check "the silence shows under the selected alert" $t \
	'silenced by: [0-9a-f-]+ \(by bob, until .*: resizing the volume\)' 40
check "the silenced alert is suppressed" $t 'MatterServerStorageFull +suppressed' 40

tm resize-window -t $t -x 80 -y 24 2>/dev/null
check "at 80x24 the list still shows" $t 'HighResponseTime'
check "at 80x24 the details still show" $t 'labels: '
tm send-keys -t $t Escape
check_gone "Esc closes the view" $t 'SEVERITY +NAME +STATE'
check "back on the dashboard" $t 'Pods'
# The Triage view lists the firing alert as `opsdeck triage` words it; the silenced one is left out.
tm resize-window -t $t -x 120 -y 40 2>/dev/null
tm send-keys -t $t '!'
check "! lists the firing alert in Triage" $t \
	'medium +([a-z-]+ )?Alert/HighResponseTime +firing \(warning\)'
check "the Triage view counts it" $t 'Triage [1-9][0-9]*, [0-9]+ critical'
if screen $t | grep -q 'Alert/MatterServerStorageFull'; then
	not_ok "the silenced alert is not in Triage"; screen $t | sed 's/^/# | /'
else
	ok "the silenced alert is not in Triage"
fi
tm send-keys -t $t Escape
check_gone "Esc closes Triage" $t 'SEVERITY +OBJECT +WHY'
tm send-keys -t $t q
if wait_for 20 sh -c "! tmux -L '$sock' -f /dev/null has-session -t $t 2>/dev/null"; then ok "q quits"; else not_ok "q quits"; fi

# A context without an Alertmanager says so.
t=none
tm new-session -d -s $t -x 120 -y 40 "$(printf '%s' "$run" | sed 's/--context demo/--context other/')"
check "the dashboard starts for another context" $t 'Pods'
tm send-keys -t $t A
check "the view says no Alertmanager is configured" $t \
	'No Alertmanager configured: set alertmanager for context other in config\.yaml'
tm send-keys -t $t Escape q

mon_stop
sim_stop_check
plan_done
exit $((TAP_FAILED > 0))
