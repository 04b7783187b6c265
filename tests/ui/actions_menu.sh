#!/bin/sh
# The dashboard's action menu (`a`, `R`) against opsdeck-sim inside tmux, at
# 120x40 and 80x24: each action is driven from the menu through the plan,
# the server's dry run and the confirmation to the finished progress bar,
# and its effect is read back with kubectl: restart (new restartedAt, the
# rollout complete), scale and the one-key undo, delete a pod (the
# controller replaces it), snapshot (readyToUse), restore (the new PVC
# Bound), rollback (the earlier image), a stateful restart with the
# snapshot taken first, Esc that stops following, a mistyped name for
# scale to 0, a paused Deployment, a protected context, read-only mode
# (entries disabled, blocked), and the view token refused at the dry run
# with the 403. Every case leaves its audit rows (`opsdeck audit`, read
# once the dashboard has quit). Every check polls with a timeout.
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
sock="opsdeck-actions-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; sim_cleanup' EXIT
HA="-n home-automation"
VS=volumesnapshot.snapshot.storage.k8s.io

# The screen of session $S, and the same with the overlay's wrapped lines joined.
S=big
screen() { tm capture-pane -p -t "$S"; }
joined() { screen | sed 's/^│ *//; s/ *│$//' | tr '\n' ' ' | tr -s ' '; }
# wait_for REGEX [TENTHS]: polls until REGEX shows (default 60 s: the machine may be loaded).
wait_for() {
	n=${2:-600}
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
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
	if wait_for "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen | sed 's/^/# /'
	fi
}
check_joined() {
	if wait_joined "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen | sed 's/^/# /'
	fi
}
# eventually DESC COMMAND...: the command succeeds within 60 s (kubectl reads)
eventually() {
	desc=$1
	shift
	n=300
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && { ok "$desc"; return 0; }
		sleep 0.2
		n=$((n - 1))
	done
	not_ok "$desc"
}
# The audit rows are read once the dashboard has quit (it writes the same
# database): later DESC ACTION OBJECT STEP:OUTCOME... queues a check_audit.
LATER=
later() {
	q=
	for w in "$@"; do q="$q '$w'"; done
	LATER="$LATER
check_audit$q"
}
run_later() {
	eval "$LATER"
	LATER=
}
# quit: q, wait until the dashboard has ended, then the queued audit checks.
quit() {
	keys q
	n=300
	while [ "$n" -gt 0 ] && tm has-session -t "$S" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	if tm has-session -t "$S" 2>/dev/null; then not_ok "q ends the dashboard"; else ok "q ends the dashboard"; fi
	run_later
}
# start NAME COLS ROWS ARGS...: the dashboard on the sim in a new tmux session
start() {
	name=$1 cols=$2 rows=$3
	shift 3
	tm new-session -d -s "$name" -x "$cols" -y "$rows" -c "$SIM_TMP" \
		"env LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_STATE_HOME=$XDG_STATE_HOME \
		 OPSDECK_DATADIR=$OPSDECK_SRCDIR $OPSDECK --kubeconfig $KC --db $DB $* 2>>$SIM_TMP/od-$name.err"
	S=$name
}
keys() { tm send-keys -t "$S" "$@"; }
replicas() { K $HA get deploy home-assistant -o jsonpath='{.spec.replicas}'; }
replicas_are() { [ "$(replicas)" = "$1" ]; }
ready_is() { [ "$(K $HA get deploy home-assistant -o jsonpath='{.status.readyReplicas}/{.status.replicas}')" = "$1/$1" ]; }

# ---------------- 120x40 ----------------
start big 120 40 $HA
check "120x40: the dashboard comes up on the sim" 'home-assistant-' 600
keys / h o m e - a s s Enter

# ---- restart ----
keys a
check "a opens the action menu on the selected pod" 'Action menu'
check "the menu names the pod's workload" 'restart deployment\.apps/home-assistant \(rollout restart\)'
check "entries that do not apply are greyed with the reason" 'snapshot the pod.s PVC +\[disabled: the pod mounts no PersistentVolumeClaim\]'
keys r
check "restart: the plan shows the kubectl command" 'kubectl: kubectl rollout restart deployment\.apps/home-assistant -n home-automation'
check "restart: the pods affected" 'pods: +3 pods: home-assistant-'
check "restart: the server's dry run before the question" 'Dry run \(server, dryRun=All\): accepted'
check "restart: the confirmation" 'Proceed with restart of deployment\.apps/home-assistant\? \[y/Enter'
keys y
check "restart: followed to kubectl's last rollout-status line" 'done: deployment "home-assistant" successfully rolled out'
check "restart: the progress bar is full" '\] 100%'
ANN=$(K $HA get deploy home-assistant -o jsonpath='{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')
like "$ANN" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "restart: kubectl reads the new restartedAt"
exit_is 0 "restart: kubectl rollout status agrees" K $HA rollout status deploy/home-assistant --timeout=30s
later "restart: audit rows for every step" restart deployment.apps/home-assistant \
	plan:ok dry-run:ok confirm:ok apply:ok result:ok
keys Enter
check "Enter closes the finished action" '1 Pods'

# ---- scale and undo ----
keys a s
check "scale: asks for the replica count" 'Replicas \(0 isolates'
keys 4 Enter
check "scale: the plan's change" 'change: +replicas=3 -> replicas=4'
check "scale: the dry run" 'Dry run \(server, dryRun=All\): accepted'
keys y
check "scale: followed until every replica is ready" 'done: replicas: 4 ready, 4 in total, want 4'
eventually "scale: kubectl reads 4 replicas" replicas_are 4
later "scale: audit rows" scale deployment.apps/home-assistant plan:ok dry-run:ok confirm:ok apply:ok result:ok
keys Enter a
check "undo: the menu offers the recorded count" 'undo the last scale of deployment\.apps/home-assistant \(4 -> 3\)'
keys u
check "undo: the plan goes back" 'change: +replicas=4 -> replicas=3'
keys Enter
check "undo: Enter confirms too; followed" 'done: replicas: 3 ready, 3 in total, want 3'
eventually "undo: kubectl reads 3 replicas again" replicas_are 3
keys Enter

# ---- delete a pod ----
keys a
wait_for 'Action menu' >/dev/null
POD=$(screen | sed -n 's/.*pod home-automation\/\(home-assistant-[a-z0-9-]*\).*/\1/p' | head -n 1)
like "$POD" '^home-assistant-' "delete: the menu names the selected pod"
keys d
check "delete: asks for the grace period (or force)" 'Grace period: Enter = the pod.s own'
keys 0 Enter
check "delete: the plan" "Plan: +delete pod/$POD|Plan: +delete .*$POD"
keys y
check "delete: followed until the pod is gone" "done: pod \"$POD\" is gone"
if K $HA get pod "$POD" >/dev/null 2>&1; then not_ok "delete: kubectl no longer finds the pod"; else ok "delete: kubectl no longer finds the pod"; fi
eventually "delete: the controller's replacement runs (3 of 3 ready)" ready_is 3
later "delete: audit rows" delete "pod/$POD" plan:ok dry-run:ok confirm:ok apply:ok result:ok
keys Enter

# ---- rollback ----
OLD=$(K $HA get deploy home-assistant -o jsonpath='{.spec.template.spec.containers[0].image}')
K $HA set image deploy/home-assistant home-assistant=ghcr.io/home-assistant/home-assistant:2099.1.0 >/dev/null
K $HA rollout status deploy/home-assistant --timeout=60s >/dev/null 2>&1
keys a b
check "rollback: the history with each revision's images" 'REVISION +IMAGES'
check "rollback: the newest is marked current" '2099\.1\.0 +\(current\)'
keys Enter
check "rollback: the plan" 'Plan: +rollback deployment\.apps/home-assistant'
keys y
check "rollback: followed to the end" 'done: deployment "home-assistant" successfully rolled out'
is "$(K $HA get deploy home-assistant -o jsonpath='{.spec.template.spec.containers[0].image}')" "$OLD" \
	"rollback: kubectl reads the earlier image"
later "rollback: audit rows" rollback deployment.apps/home-assistant plan:ok dry-run:ok confirm:ok apply:ok result:ok
keys Enter

# ---- Esc stops following; R restarts directly ----
keys R
check "R: the restart's confirmation at once" 'Proceed with restart of deployment\.apps/home-assistant'
keys y
check "R: following" 'Action following'
keys Escape
check "Esc stops following and says the change stays applied" 'stopped following restart deployment\.apps/home-assistant; the change stays applied'
later "Esc: a result row that says so" restart deployment.apps/home-assistant result:stopped
exit_is 0 "after Esc the rollout still finishes (kubectl)" K $HA rollout status deploy/home-assistant --timeout=60s

# ---- snapshot and restore (matter-server mounts a PVC) ----
keys Escape / m a t t e r - s e r v e r Enter
check "the matter-server pod is selected" 'matter-server-'
keys a
check "snapshot: the menu lists the pod's PVC" 'snapshot the pod.s PVC \(matter-server-data\)'
keys n
check "snapshot: the PVC is offered" 'PVC to snapshot: matter-server-data'
keys Enter
check "snapshot: the name may be given" 'Snapshot name \(Enter: <pvc>-manual-'
keys Enter
check "snapshot: the plan" 'Plan: +snapshot volumesnapshot\.snapshot\.storage\.k8s\.io/matter-server-data-manual-'
keys y
check "snapshot: followed to readyToUse" 'done: readyToUse: true'
SNAP=$(screen | sed -n 's/.*volumesnapshot\.snapshot\.storage\.k8s\.io\/\(matter-server-data-manual-[0-9-]*\) created.*/\1/p' | head -n 1)
like "$SNAP" '^matter-server-data-manual-[0-9]{8}-[0-9]{6}$' "snapshot: the default name"
is "$(K $HA get volumesnapshot "$SNAP" -o jsonpath='{.status.readyToUse}')" true "snapshot: kubectl reads readyToUse"
later "snapshot: audit rows" snapshot "$VS/$SNAP" plan:ok dry-run:ok confirm:ok apply:ok result:ok
keys Enter a o
check "restore: the ready snapshot is offered" "Snapshot to restore: $SNAP"
keys Enter
check "restore: the new PVC's name is offered" 'New PVC name: matter-server-data-restore'
keys Enter
check "restore: the plan" 'Plan: +restore persistentvolumeclaim/matter-server-data-restore'
keys y
check "restore: followed until Bound" 'done: phase: Bound'
is "$(K $HA get pvc matter-server-data-restore -o jsonpath='{.status.phase}/{.spec.dataSource.name}')" \
	"Bound/$SNAP" "restore: kubectl reads the PVC Bound from the snapshot"
keys Enter

# ---- a workload the profile marks stateful: the snapshot first ----
N0=$(K $HA get volumesnapshots -o name | wc -l | tr -d ' ')
keys a r
check "stateful restart: the snapshot is suggested" 'note: +the profile marks this workload stateful'
check "stateful restart: s takes it first" 's: take the snapshots first'
keys s
check "stateful restart: the snapshot, then the restart, followed" 'done: deployment "matter-server" successfully rolled out'
is "$(K $HA get volumesnapshots -o name | wc -l | tr -d ' ')" "$((N0 + 1))" "stateful restart: one more snapshot (kubectl)"
later "stateful restart: audit rows" restart deployment.apps/matter-server confirm:ok apply:ok result:ok
keys Enter
quit

# ---------------- 80x24 ----------------
start small 80 24 $HA
check "80x24: the dashboard comes up" 'home-assistant-' 600
keys / h o m e - a s s Enter a s
check "80x24: the scale prompt" 'Replicas'
keys 2 Enter
check "80x24: the plan and the confirmation fit" 'Proceed with scale'
keys y
check "80x24: followed" 'done: replicas: 2 ready, 2 in total, want 2'
eventually "80x24: kubectl reads 2 replicas" replicas_are 2
keys Enter a u
check "80x24: undo back to 3" 'replicas=2 -> replicas=3'
keys y
check "80x24: undo followed" 'done: replicas: 3 ready, 3 in total, want 3'
eventually "80x24: kubectl reads 3 replicas" replicas_are 3
keys Enter a s 0 Enter
check "scale to 0 asks for the name typed out" 'Proceed with scale'
keys y
check "scale to 0: type the name" 'Type the name \(home-assistant\) to confirm'
keys h o m e Enter
check "a wrong name is refused: nothing changed" 'the name typed does not match "home-assistant"'
is "$(replicas)" 3 "scale to 0 refused: kubectl still reads 3"
later "the mistyped name: a refuse row" scale deployment.apps/home-assistant refuse:refused
K $HA rollout pause deploy/home-assistant >/dev/null
keys Escape a r
check_joined "a paused deployment is refused with kubectl's reason" 'deployments\.apps "home-assistant" can.t restart paused deployment \(run rollout resume first\)'
unlike "$(screen)" 'Proceed with' "paused: no confirmation is offered"
later "paused: the plan refused in the audit" restart deployment.apps/home-assistant plan:refused
K $HA rollout resume deploy/home-assistant >/dev/null
keys Escape
quit

# ---------------- read-only ----------------
GEN=$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')
start ro 120 40 --read-only $HA
check "read-only: the dashboard comes up" 'home-assistant-' 600
keys / h o m e - a s s Enter a
check "read-only: the entries are disabled with the reason" 'restart deployment\.apps/home-assistant \(rollout restart\) +\[disabled: read-only: actions are disabled\]'
keys r
check_joined "read-only: picking one is blocked" 'context "sim" is read-only \(--read-only or readOnly in config\.yaml\): restart of deployment\.apps/home-assistant refused'
is "$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')" "$GEN" "read-only: nothing changed"
later "read-only: a refuse row" restart deployment.apps/home-assistant refuse:refused
keys Escape
quit

# ---------------- the view token ----------------
start view 120 40 --context sim-view $HA
check "view token: the dashboard comes up" 'home-assistant-' 600
keys / h o m e - a s s Enter a r
check "view token: the dry run is refused" 'Dry run \(server, dryRun=All\): refused'
check_joined "view token: the 403 in kubectl's words" 'Error from server \(Forbidden\): deployments\.apps "home-assistant" is forbidden: User "sim-view" cannot patch resource "deployments" in API group "apps" in the namespace "home-automation"'
unlike "$(screen)" 'Proceed with' "view token: no confirmation is offered"
is "$(K $HA get deploy home-assistant -o jsonpath='{.metadata.generation}')" "$GEN" "view token: nothing changed"
later "view token: the dry-run refused row" restart deployment.apps/home-assistant dry-run:refused
keys Escape
quit

# ---------------- a protected context: the name typed out ----------------
config_set 'contexts:
  sim:
    protected: true'
start prot 120 40 $HA
check "protected: the dashboard comes up" 'home-assistant-' 600
keys / h o m e - a s s Enter a s 2 Enter
check "protected: the plan says the name will be asked" 'context: protected \(config\.yaml\): the name must be typed out'
keys y
check "protected: the name is asked" 'Type the name \(home-assistant\) to confirm'
keys h o m e - a s s i s t a n t Enter
check "protected: the typed name confirms; followed" 'done: replicas: 2 ready, 2 in total, want 2'
eventually "protected: kubectl reads 2 replicas" replicas_are 2
keys Enter
quit
config_set ''

errs=$(cat "$SIM_TMP"/od-*.err 2>/dev/null)
unlike "$errs" 'AddressSanitizer|LeakSanitizer|runtime error:' "the dashboard reported no memory errors"
sim_stop_check
plan_done
[ "$TAP_FAILED" -eq 0 ]
