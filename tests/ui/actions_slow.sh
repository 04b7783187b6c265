#!/bin/sh
# The action overlay while a builder's GET is slow (opsdeck-sim's api:latency
# fault on the Deployment's path): the overlay says it is loading and what it
# waits for, Esc closes it at once (the GET is cancelled, nothing is planned
# or applied), `?` then opens the help, a GET that comes in late still gives
# the plan and its dry run, and SIGTERM ends the dashboard promptly while a
# GET is held for a minute. Every check polls with a timeout far below the
# fault's 60 s, so a UI loop blocked inside the GET fails them.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux or kubectl is not installed"
	exit 0
fi
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

sim_start --seed 9 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
sock="opsdeck-actslow-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
LOCK_PID=
trap 'touch "$SIM_TMP/release"; [ -n "$LOCK_PID" ] && kill "$LOCK_PID" 2>/dev/null; tm kill-server 2>/dev/null; sim_cleanup' EXIT
HA="-n home-automation"
DEPLOY=/apis/apps/v1/namespaces/home-automation/deployments/home-assistant

S=slow
screen() { tm capture-pane -p -t "$S"; }
joined() { screen | sed 's/^│ *//; s/ *│$//' | tr '\n' ' ' | tr -s ' '; }
# wait_joined REGEX [TENTHS]: polls until REGEX shows (default 60 s: the machine may be loaded).
wait_joined() {
	n=${2:-600}
	while [ "$n" -gt 0 ]; do
		joined | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
check() { # check DESC REGEX [TENTHS]
	if wait_joined "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen | sed 's/^/# /'
	fi
}
keys() { tm send-keys -t "$S" "$@"; }
# fault SPEC: an API fault on the sim (POST /sim/faults); unfault clears them all.
fault() {
	sim_curl /sim/faults -X POST -H 'Content-Type: application/json' \
		-d "{\"fault\": \"$1\"}" -o /dev/null -w '%{http_code}' | grep -q '^20'
}
unfault() { sim_curl /sim/faults -X DELETE -o /dev/null; }
# gone TENTHS: the dashboard's session ended within TENTHS.
gone() {
	n=$1
	while [ "$n" -gt 0 ] && tm has-session -t "$S" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	! tm has-session -t "$S" 2>/dev/null
}
# start: the dashboard on the sim, 120x40; its PID in $SIM_TMP/od.pid.
start() {
	rm -f "$SIM_TMP/od.pid"
	tm new-session -d -s "$S" -x 120 -y 40 -c "$SIM_TMP" \
		"echo \$\$ > $SIM_TMP/od.pid; exec env LC_ALL=C.UTF-8 TZ=UTC \
		 XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_STATE_HOME=$XDG_STATE_HOME \
		 OPSDECK_DATADIR=$OPSDECK_SRCDIR $OPSDECK --kubeconfig $KC --db $DB $HA \
		 2>>$SIM_TMP/od-$S.err"
}

start
check "the dashboard comes up on the sim" 'home-assistant-'
keys / h o m e - a s s Enter
check "the filter keeps home-assistant" '1 Pods.*home-assistant-'

# ---- a GET held for 60 s: Esc and ? still answer ----
if fault "api:latency:ms=60000,path=$DEPLOY"; then ok "the sim holds the Deployment's GETs for 60 s"; else not_ok "the sim holds the Deployment's GETs for 60 s"; fi
keys R
check "R: the overlay says it is loading and what it waits for" \
	"loading\.\.\. \(waiting for the API server: GET $DEPLOY\)"
check "the hint offers Esc while it waits" 'waiting for the API server +Esc stops waiting'
keys Escape
check "Esc closes the overlay while the GET is pending (within 10 s of a 60 s GET)" \
	'stopped waiting for the API server: nothing was applied' 100
if wait_joined 'Action menu|loading\.\.\.' 1; then not_ok "the overlay is gone"; else ok "the overlay is gone"; fi
keys '?'
check "? opens the help while the sim still holds the GET" 'Quit opsdeck' 100
keys Escape
check "Esc closes the help" '1 Pods' 100

# the rollback's history read is a builder GET too
keys a b
check "a b: the history read waits without blocking" \
	"reading the rollout history|loading\.\.\. \(waiting for the API server: GET $DEPLOY\)"
keys Escape
check "Esc stops the history read" 'stopped waiting for the API server: nothing was applied' 100

# ---- a GET that comes in late still gives the plan ----
unfault
if fault "api:latency:ms=3000,count=1,path=$DEPLOY"; then ok "the next GET of the Deployment waits 3 s"; else not_ok "the next GET of the Deployment waits 3 s"; fi
keys R
check "R: loading while the slow GET is held" "loading\.\.\. \(waiting for the API server: GET $DEPLOY\)"
check "the late answer gives the plan" 'kubectl: kubectl rollout restart deployment\.apps/home-assistant -n home-automation'
check "and the dry run and the question" 'Dry run \(server, dryRun=All\): accepted.*Proceed with restart'
keys Escape
check "Esc at the question: nothing changed" 'restart of deployment\.apps/home-assistant not confirmed: nothing changed'

# ---- SIGTERM while a GET is pending ----
fault "api:latency:ms=60000,path=$DEPLOY" || true
keys R
check "R again: loading" "loading\.\.\. \(waiting for the API server: GET $DEPLOY\)"
PID=$(cat "$SIM_TMP/od.pid" 2>/dev/null)
like "$PID" '^[0-9]+$' "the dashboard's PID"
t0=$(date +%s)
kill -TERM "$PID" 2>/dev/null
if gone 100; then
	ok "SIGTERM ends the dashboard within 10 s while a GET is held for 60 s"
else
	not_ok "SIGTERM ends the dashboard within 10 s while a GET is held for 60 s"
	screen | sed 's/^/# /'
	tm kill-session -t "$S" 2>/dev/null
fi
diag "SIGTERM to exit: $(($(date +%s) - t0)) s"
unfault

# ---- an audit row that cannot be written: the status line, not stderr ----
start
check "the dashboard comes up again" 'home-assistant-'
keys / h o m e - a s s Enter
keys R
check "R: the plan and the question" 'Dry run \(server, dryRun=All\): accepted.*Proceed with restart'
# another writer holds the database until the test releases it
printf 'BEGIN EXCLUSIVE;\nINSERT INTO meta VALUES(%s, 1);\n.shell touch %s/locked; while [ ! -f %s/release ]; do sleep 0.1; done\nCOMMIT;\n' \
	"'actions-slow'" "$SIM_TMP" "$SIM_TMP" | sqlite3 -cmd '.timeout 10000' "$DB" >/dev/null 2>&1 &
LOCK_PID=$!
n=300
while [ "$n" -gt 0 ] && [ ! -f "$SIM_TMP/locked" ]; do sleep 0.1; n=$((n - 1)); done
if [ -f "$SIM_TMP/locked" ]; then ok "another writer holds the audit log"; else not_ok "another writer holds the audit log"; fi
keys y
check "the audit warning shows in the status line" 'warning: the audit log could not be written' 600
unlike "$(cat "$SIM_TMP/od-$S.err" 2>/dev/null)" 'could not be written' \
	"the warning did not go to stderr (it would tear the curses screen)"
touch "$SIM_TMP/release"
wait "$LOCK_PID"
check "the restart still finishes" 'done: deployment "home-assistant" successfully rolled out'
keys Enter
check "Enter closes the finished action" '1 Pods'
keys q
if gone 300; then ok "q ends the dashboard"; else not_ok "q ends the dashboard"; fi

# ---- the audit log: the cancelled restarts left no plan rows ----
is "$(audit_count restart plan ok deployment.apps/home-assistant)" 2 \
	"audit: two plan rows (the late GET's and the locked one's), none for the cancelled ones"
check_audit "audit: the late plan was refused at the question" restart \
	deployment.apps/home-assistant plan:ok dry-run:ok refuse:refused
errs=$(cat "$SIM_TMP"/od-*.err 2>/dev/null)
unlike "$errs" 'AddressSanitizer|LeakSanitizer|runtime error:' "the dashboard reported no memory errors"
sim_stop_check
plan_done
