#!/bin/sh
# The incident drill of issue 11, in tmux at 120x40 against opsdeck-sim's demo
# scenario with a crashloop (matrix/element-web) and a memory leak
# (matrix/synapse-main): the console opens an incident (I), goes from the
# triage list (!), which lists the pod and its Deployment short of replicas,
# to the crashlooping pod's previous container logs (Enter),
# element-web is restarted through the action menu (a), notes are added (n), evidence is collected (E), and
# `opsdeck incident export` must hold the fault, the action and the notes in
# that order, plus the memory threshold crossing only the running console
# sees. The evidence tarball must verify against its SHA256SUMS and hold no
# token of the kubeconfig and no Secret value. Then an 80x24 smoke: a new
# console picks up the open incident's clock and the triage view works.
# Every check polls with a timeout; one tmux socket and one sim (by PID).
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux or kubectl is not installed"
	exit 0
fi

SECRET_VALUE=Drill-SecretValue-9321
DEMO_SECRET=sim-not-a-real-secret   # matrix/minio-backup-credentials in the demo scenario

if ! sim_start --seed 7 --fault crashloop:matrix/element-web \
	--fault memleak:matrix/synapse-main:ramp=2m; then
	echo "Bail out! opsdeck-sim did not start"
	exit 1
fi
sock="opsdeck-drill-$$"
work=$SIM_TMP
tm() { tmux -L "$sock" -f /dev/null "$@"; }
drill_cleanup() {
	tm kill-server 2>/dev/null
	sim_cleanup
}
trap drill_cleanup EXIT
mkdir -p "$work/state" "$work/config" "$work/ev"
ENVS="env LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state \
OPSDECK_DATADIR=$OPSDECK_SRCDIR"
OD() { $ENVS "$OPSDECK" --kubeconfig "$KC" -n matrix "$@"; }

screen() { tm capture-pane -p -t od; }
# waits_for REGEX [TENTHS]: polls the pane until REGEX shows (default 90 s: the machine is loaded).
waits_for() {
	n=${2:-900}
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" && return 0
		# a console that died answers nothing more: do not wait out every check
		tm has-session -t od 2>/dev/null || return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
check() { # check DESC REGEX [TENTHS]
	if waits_for "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen | sed 's/^/# /'
	fi
}
bottom() { screen | tail -n 1; }
console() { # console NAME COLSxROWS
	tm new-session -d -s "$1" -x "${2%x*}" -y "${2#*x}" -c "$work/ev" \
		"$ENVS $OPSDECK --kubeconfig $KC -n matrix 2>>$work/console.err"
}

K -n matrix create secret generic drill-creds --from-literal=password=$SECRET_VALUE >/dev/null 2>&1
is "$?" 0 "a Secret with a known value in the namespace"

console od 120x40
check "the dashboard comes up on the sim" 'element-web-' 600
check "the crashloop shows in the Pods pane" 'element-web-.* 0/1 +CrashLoopBackOff' 900

# --- the incident ---
tm send-keys -t od I
check "I asks for the incident's title" 'Incident title:'
tm send-keys -t od -l "element-web is down"
tm send-keys -t od Enter
check "then for its severity (the runbooks' levels)" 'Severity P0 outage, P1 major'
tm send-keys -t od -l P1
tm send-keys -t od Enter
check "the status bar shows the incident clock" 'INC#1 P1 00:0[0-9]:[0-9][0-9]'
like "$(OD incident list 2>&1)" '1 +P1 +open' "opsdeck incident list has it open"

# --- step 1: from the triage list to the previous container's logs ---
tm send-keys -t od '!'
check "! opens the triage list" 'Triage [0-9]+, [0-9]+ critical'
check "the crashloop is listed, why and since when" \
	'critical +matrix Pod/element-web-.* CrashLoopBackOff: container element.* [0-9]{2}:[0-9]{2}:[0-9]{2}, [0-9a-z]+ ago'
# The workloads are LISTed while the view is shown: the crashlooping pods leave
# the Deployment short of available replicas (critical at 0, high otherwise).
check "its Deployment is listed with replicas unavailable" \
	'(critical|high) +matrix Deployment/element-web +[0-9]+/[0-9]+ replicas available'
n=0
while [ $n -lt 30 ] && ! bottom | grep -q 'matrix/Pod/element-web-'; do
	tm send-keys -t od j
	n=$((n + 1))
	waits_for 'matrix/Pod/' 20 >/dev/null
done
like "$(bottom)" 'matrix/Pod/element-web-[a-z0-9-]+ since ' "the element-web row is selected"
tm send-keys -t od Enter
check "Enter shows the Logs of the pod, previous container" 'pod element-web-[a-z0-9-]+ +since [a-z0-9]+  previous'
check "the previous container's log is read to its end" 'element-web-[a-z0-9-]+: stream ended ---' 900
check "Trends shows the pod" 'pod matrix/element-web-'

# --- step 2: a restart through the action menu ---
# The pod stays selected in Pods; the new pods crashloop too, so the rollout
# is not followed to its end: once applied, Esc stops following.
tm send-keys -t od a
check "a opens the action menu on the crashlooping pod" 'Action menu'
check "the menu offers to restart its workload" 'restart deployment\.apps/element-web \(rollout restart\)'
tm send-keys -t od r
check "restart: the server's dry run, then the question" \
	'Proceed with restart of deployment\.apps/element-web\? \[y/Enter'
tm send-keys -t od y
check "restart: applied and followed" 'Action following|done: '
like "$(OD audit 2>&1)" 'restart +apply +ok .*deployment\.apps/element-web' \
	"the audit log has the restart applied"
tm send-keys -t od Escape
check "Esc stops following; the change stays applied" 'the change stays applied|1 Pods'
tm send-keys -t od Escape

# --- step 3: notes ---
tm send-keys -t od n
check "n asks for a note" 'Note:'
tm send-keys -t od -l "restarted element-web after reading the previous logs"
tm send-keys -t od Enter
check "the note is added" 'note added to incident 1'
tm send-keys -t od n
waits_for 'Note:' 100 >/dev/null
tm send-keys -t od -l "second note: watching the new pod"
tm send-keys -t od Enter
check "a second note is added" 'note added to incident 1'

# --- step 4: evidence, without freezing the screen ---
tm send-keys -t od E
check "E starts the evidence collection" 'collecting evidence for incident 1|evidence: '
check "the bottom line says where it wrote" "evidence: $work/ev/incident-1-evidence-" 1800
TGZ=$(ls "$work"/ev/incident-1-evidence-*.tar.gz 2>/dev/null | head -n 1)
DIR=${TGZ%.tar.gz}
like "$TGZ" "^$work/ev/incident-1-evidence-[0-9]{8}T[0-9]{6}Z\.tar\.gz$" \
	"the tarball is in the console's directory"
mkdir "$work/x"
tar -xzf "$TGZ" -C "$work/x" 2>/dev/null
B=$work/x/$(basename "$DIR")
(cd "$B" 2>/dev/null && sha256sum -c --quiet SHA256SUMS) >"$work/sums" 2>&1
is "$?" 0 "the evidence tarball verifies against its manifest (sha256sum -c)"
like "$(cat "$B/MANIFEST" 2>/dev/null)" '^logs/element-web-[a-z0-9-]+_element\.previous\.log	' \
	"the evidence holds the previous container's logs"
leaks=
for u in sim-admin sim-edit sim-view; do
	tok=$(sim_token $u)
	[ -n "$tok" ] || continue
	grep -rqF "$tok" "$B" "$DIR" && leaks="$leaks $u"
	gzip -dc "$TGZ" | grep -qaF "$tok" && leaks="$leaks $u(tar)"
done
is "$leaks" "" "no kubeconfig token in the evidence"
leaks=
for v in "$SECRET_VALUE" "$(printf %s "$SECRET_VALUE" | base64)" "$DEMO_SECRET" \
	"$(printf %s "$DEMO_SECRET" | base64)"; do
	gzip -dc "$TGZ" | grep -qaF -- "$v" && leaks="$leaks $v"
	grep -rqF -- "$v" "$B" "$DIR" && leaks="$leaks $v(dir)"
done
is "$leaks" "" "no Secret value in the evidence"

# --- step 5: the export ---
# The console records threshold crossings itself; the leak crosses 90 % of its limit within the ramp.
n=0
while [ $n -lt 240 ]; do
	OD incident export 1 >"$work/export.md" 2>"$work/export.err" || break
	grep -q '| threshold | pod matrix/synapse-main-.*memory at' "$work/export.md" && break
	sleep 1
	n=$((n + 1))
done
like "$(cat "$work/export.md")" '^# Post-mortem: incident 1 — element-web is down' \
	"opsdeck incident export 1 writes the post-mortem"
[ -s "$work/export.md" ] || diag "export: $(cat "$work/export.err")"
line_of() { grep -nE -- "$1" "$work/export.md" | head -n 1 | cut -d: -f1; }
FAULT=$(line_of '^\| [^|]+ \| (event \| Warning BackOff Pod/element-web-|transition \| pod matrix/element-web-[a-z0-9-]+: Running (CrashLoopBackOff|Error))')
ACTION=$(line_of '^\| [^|]+ \| action \| action restart .*element-web')
NOTE1=$(line_of '^\| [^|]+ \| note \| restarted element-web after reading the previous logs')
NOTE2=$(line_of '^\| [^|]+ \| note \| second note: watching the new pod')
like "$FAULT" '^[0-9]+$' "the timeline holds the fault"
like "$ACTION" '^[0-9]+$' "the timeline holds the restart"
like "$NOTE1 $NOTE2" '^[0-9]+ [0-9]+$' "the timeline holds both notes"
if [ -n "$FAULT" ] && [ -n "$ACTION" ] && [ -n "$NOTE1" ] && [ -n "$NOTE2" ] &&
	[ "$FAULT" -lt "$ACTION" ] && [ "$ACTION" -lt "$NOTE1" ] && [ "$NOTE1" -lt "$NOTE2" ]; then
	ok "fault, action and notes are in that order"
else
	not_ok "fault, action and notes are in that order"
	diag "fault $FAULT action $ACTION notes $NOTE1 $NOTE2"
	sed 's/^/# /' "$work/export.md"
fi
like "$(cat "$work/export.md")" '\| threshold \| pod matrix/synapse-main-[a-z0-9-]+: memory at [0-9]+% of its limit' \
	"the console recorded the memory leak's threshold crossing"
like "$(sed -n '/^## Actions taken/,/^## Evidence/p' "$work/export.md")" 'action restart' \
	"Actions taken lists the restart"

tm send-keys -t od q
waits_for 'no such session|^$' 50 >/dev/null

# --- 80x24 smoke: a new console picks up the open incident ---
console small 80x24
tmsmall() { tm capture-pane -p -t small; }
n=600
while [ $n -gt 0 ] && ! tmsmall | head -n 1 | grep -Eq 'INC#1 P1 [0-9]{2}:[0-9]{2}:[0-9]{2}'; do sleep 0.1; n=$((n - 1)); done
like "$(tmsmall | head -n 1)" 'INC#1 P1 [0-9]{2}:[0-9]{2}:[0-9]{2}' \
	"80x24: a new console shows the open incident's clock"
tm send-keys -t small '!'
n=600
while [ $n -gt 0 ] && ! tmsmall | grep -Eq 'Triage [0-9]+, [0-9]+ critical'; do
	sleep 0.1
	n=$((n - 1))
done
like "$(tmsmall)" 'Triage [0-9]+, [0-9]+ critical' "80x24: the triage list opens"
like "$(tmsmall)" 'critical +matrix Pod/element-web' "80x24: the crashloop is listed"
tm send-keys -t small Escape
n=100
while [ $n -gt 0 ] && tmsmall | grep -q 'Triage [0-9]'; do sleep 0.1; n=$((n - 1)); done
unlike "$(tmsmall)" 'Triage [0-9]+, ' "80x24: Esc closes it"
tm send-keys -t small q

exit_is 0 "the incident closes headless" OD incident close --id 1 --resolution "element-web restarted"
unlike "$(cat "$work/console.err" 2>/dev/null)" 'AddressSanitizer|LeakSanitizer|runtime error:' \
	"the console reported no memory errors"
sim_stop_check
plan_done
[ "$TAP_FAILED" -eq 0 ]
