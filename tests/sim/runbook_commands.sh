#!/bin/sh
# Issue 3, Done-when: every kubectl command in the reference runbooks that
# reads or changes resources the simulator serves works as written against
# the matching scenario, or fails the way kubectl fails against a real
# cluster where the runbook itself is inconsistent. The commands are
# extracted from ../shared/runbooks/*.md at test time
# (tests/sim/runbook_extract.py); the known failures are listed, with the
# error kubectl must print and why, in runbook_commands.expected-failures.
# One simulator per runbook; commands run in the order the runbook gives them.
# After a command that changes objects, the next command that reads logs or
# metrics (kubectl logs, kubectl top) waits, as an operator watching the
# rollout does, until the cluster has settled: every pod that is not a Job's
# Running and Ready, none terminating, every rollout complete. So does the
# end of each runbook. A scenario that does not settle within 240 s fails
# the test (a pod stuck in ContainerCreating, say); rolling ten replicas one
# at a time, as tapio-maintenance.md does, takes about 70 s at rest.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

RUNBOOKS=$OPSDECK_SRCDIR/../shared/runbooks
EXPECTED=$OPSDECK_SRCDIR/tests/sim/runbook_commands.expected-failures
if [ ! -d "$RUNBOOKS" ]; then
	echo "1..0 # SKIP runbooks not beside the source tree"
	exit 0
fi
REAL_KUBECTL=$(command -v kubectl) || { echo "1..0 # SKIP kubectl not installed"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }

tap_tmpdir
WORK=$TAP_TMP
mkdir -p "$WORK/bin"
# The runbooks call plain `kubectl`: a wrapper puts the sim's kubeconfig in.
cat >"$WORK/bin/kubectl" <<EOF
#!/bin/sh
exec "$REAL_KUBECTL" --kubeconfig "\$RB_KC" --cache-dir "\$RB_CACHE" \${RB_FOLLOW:---request-timeout=20s} "\$@"
EOF
chmod +x "$WORK/bin/kubectl"

found=0 ran=0 passed=0 xfail=0 failed=0 todos=0 settles=0 changed=

# unsettled: what has not settled yet (namespace/name), or "?" when it cannot
# be read: a pod that is not Running and Ready or is terminating (Jobs' pods
# run to completion and do not count), or a Deployment, StatefulSet or
# DaemonSet whose rollout is not complete (as kubectl rollout status sees it;
# a Recreate rollout has a moment with no pod at all).
unsettled() {
	K get pods,deployments,statefulsets,daemonsets -A -o json >"$WORK/pods.json" 2>&1 ||
		{ echo "? $(head -c 300 "$WORK/pods.json")"; return; }
	python3 - "$WORK/pods.json" <<'PY' || echo "?"
import json, sys
left = []
for o in json.load(open(sys.argv[1]))["items"]:
    m, spec, st = o["metadata"], o.get("spec", {}), o.get("status", {})
    kind, done = o.get("kind"), True
    if st.get("observedGeneration", 0) < m.get("generation", 0):
        done = False
    if kind == "Pod":
        if any(r.get("kind") == "Job" for r in m.get("ownerReferences", [])):
            continue
        ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                    for c in st.get("conditions", []))
        done = not m.get("deletionTimestamp") and st.get("phase") == "Running" and ready
    elif kind == "Deployment":
        want = spec.get("replicas", 1)
        done = done and all(st.get(k, 0) == want for k in
                            ("replicas", "updatedReplicas", "availableReplicas"))
    elif kind == "StatefulSet":
        want = spec.get("replicas", 1)
        done = done and st.get("readyReplicas", 0) == want and \
            st.get("currentRevision") == st.get("updateRevision")
    elif kind == "DaemonSet":
        want = st.get("desiredNumberScheduled", 0)
        done = done and st.get("updatedNumberScheduled", 0) == want and \
            st.get("numberAvailable", 0) == want
    if not done:
        left.append("%s/%s/%s" % (kind, m.get("namespace", ""), m["name"]))
print(" ".join(left))
PY
}
settled() { [ -z "$(unsettled)" ]; }

# note_change COMMAND: remembers a command that changes objects.
note_change() {
	case " $1 " in
	*"kubectl apply "* | *"kubectl create "* | *"kubectl delete "* | *"kubectl patch "* | \
	*"kubectl replace "* | *"kubectl scale "* | *"kubectl set "* | *"kubectl label "* | \
	*"kubectl annotate "* | *"kubectl cordon "* | *"kubectl uncordon "* | *"kubectl drain "* | \
	*"kubectl rollout restart "* | *"kubectl rollout undo "* | *"kubectl rollout resume "*)
		changed=$1 ;;
	esac
}

# settle LABEL [COMMAND]: before a command that reads logs or metrics (or
# with no command, at the end of a runbook), waits for the pods to settle
# when an earlier command changed objects.
settle() {
	[ -n "$changed" ] || return 0
	if [ $# -gt 1 ]; then
		case " $2 " in *"kubectl logs "* | *"kubectl top "*) ;; *) return 0 ;; esac
	fi
	settles=$((settles + 1))
	t_settle=$(date +%s)
	if ! wait_for 240 settled; then
		failed=$((failed + 1))
		not_ok "$1: the cluster settles within 240 s after: $changed"
		diag "not settled: $(unsettled)"
	fi
	t_settle=$(($(date +%s) - t_settle))
	[ "$t_settle" -ge 10 ] && diag "$1: settling took ${t_settle}s after: $(printf '%.100s' "$changed")"
	changed=
}
: >"$WORK/skips"

scenario_of() {
	case "$1" in
	matter-server-*.md) echo home-automation ;;
	synapse-operations.md) echo matrix ;;
	matrixon-operations.md) echo matrixon ;;
	tapio-maintenance.md) echo tapio-system ;;
	esac
}

# run_cmd FILE: runs one extracted command; output in $WORK/out, status in rc.
# Commands that follow or watch (-f, -w) are stopped after 4 s; that counts as
# success when kubectl printed no error by then.
run_cmd() {
	case " $2 " in
	*" -f "* | *" --follow"* | *" -w "* | *" --watch"*)
		case " $2 " in *" -f - "*) follow= ;; *) follow=1 ;; esac ;;
	*) follow= ;;
	esac
	if [ -n "$follow" ]; then
		PATH="$WORK/bin:$PATH" RB_FOLLOW=--v=0 timeout 4 bash -c "exec $(cat "$1")" \
			>"$WORK/out" 2>&1 </dev/null
		rc=$?
		if [ "$rc" = 124 ] && ! grep -qi '^error' "$WORK/out"; then rc=0; fi
		[ "$rc" = 124 ] && rc=1
	else
		PATH="$WORK/bin:$PATH" timeout 25 bash "$1" >"$WORK/out" 2>&1 </dev/null
		rc=$?
		[ "$rc" = 124 ] && echo "(killed after 25 s)" >>"$WORK/out"
	fi
}

for rb in "$RUNBOOKS"/*.md; do
	name=$(basename "$rb")
	scen=$(scenario_of "$name")
	[ -n "$scen" ] || continue
	mkdir -p "$WORK/$name"
	python3 "$OPSDECK_SRCDIR/tests/sim/runbook_extract.py" "$rb" "$WORK/$name" "$EXPECTED" \
		>"$WORK/$name.records" || { not_ok "$name: extracting its kubectl commands"; continue; }
	if ! sim_start --seed 3 --start-time 2026-03-01T12:00:00Z \
		--scenario "$OPSDECK_SRCDIR/data/sim/$scen.yaml"; then
		not_ok "$name: the simulator starts with scenario $scen"
		continue
	fi
	trap 'sim_cleanup; rm -rf "$WORK"' EXIT
	RB_KC=$KC RB_CACHE=$SIM_TMP/kube-cache
	export RB_KC RB_CACHE
	us=$(printf '\037')
	while IFS="$us" read -r kind line a b c; do
		case "$kind" in
		entry)
			not_ok "runbook_commands.expected-failures:$line: $a: $b"
			;;
		skip)
			found=$((found + 1))
			printf '%s\n' "$a" >>"$WORK/skips"
			skip "$name:$line: $a: $b"
			;;
		assign)
			found=$((found + 1)) ran=$((ran + 1))
			run_cmd "$WORK/$name/cmd.$a" "$c"
			val=$(cat "$WORK/out")
			if [ "$rc" = 0 ] && [ -n "$val" ]; then
				passed=$((passed + 1))
				export "$b=$val"
				ok "$name:$line: $b=\$($c)"
			else
				failed=$((failed + 1))
				not_ok "$name:$line: $b=\$($c)"
				diag "exit $rc" "$val"
			fi
			;;
		run)
			found=$((found + 1)) ran=$((ran + 1))
			want=${b%"$(printf '\036')TODO"}
			todo=
			[ "$want" != "$b" ] && todo=" # TODO $(grep -F "| $want |" "$EXPECTED" | sed -n '1s/.*| TODO //p')"
			# kubectl refuses a second restart of an object within one second:
			# start in a later second than the one the last restart ended in.
			case "$c" in *"rollout restart"*)
				while [ "$(date +%s)" -le "${last_restart:-0}" ]; do sleep 0.1; done ;;
			esac
			settle "$name:$line" "$c"
			t0=$(date +%s)
			run_cmd "$WORK/$name/cmd.$a" "$c"
			dt=$(($(date +%s) - t0))
			case "$c" in *"rollout restart"*) last_restart=$(date +%s) ;; esac
			[ "$dt" -ge 10 ] && diag "$name:$line took ${dt}s"
			if [ -z "$want" ]; then
				if [ "$rc" = 0 ]; then
					passed=$((passed + 1))
					ok "$name:$line: $c"
				else
					failed=$((failed + 1))
					not_ok "$name:$line: $c"
					diag "exit $rc:" "$(head -c 2000 "$WORK/out")"
				fi
			elif [ "$rc" != 0 ] && grep -qF -- "$want" "$WORK/out"; then
				if [ -n "$todo" ]; then
					todos=$((todos + 1))
					echo "not ok $((TAP_N + 1)) - $name:$line: fails ($want): $c$todo"
					TAP_N=$((TAP_N + 1))
				else
					xfail=$((xfail + 1))
					ok "$name:$line: fails as listed ($want): $c"
				fi
			elif [ -n "$todo" ] && [ "$rc" = 0 ]; then
				passed=$((passed + 1))
				ok "$name:$line: $c"
			elif [ -n "$todo" ]; then
				todos=$((todos + 1))
				echo "not ok $((TAP_N + 1)) - $name:$line: exit $rc: $c$todo"
				TAP_N=$((TAP_N + 1))
			else
				failed=$((failed + 1))
				not_ok "$name:$line: fails as listed ($want): $c"
				if [ "$rc" = 0 ]; then
					diag "it now succeeds: remove its entry from tests/sim/runbook_commands.expected-failures"
				else
					diag "exit $rc, but without \"$want\":" "$(head -c 2000 "$WORK/out")"
				fi
			fi
			[ "$rc" = 0 ] && note_change "$c"
			;;
		esac
	done <"$WORK/$name.records"
	settle "$name: at the end"
	sim_stop_check
	rm -rf "$SIM_TMP"
	SIM_TMP=
done

diag "runbook kubectl commands found: $found; run: $ran; passed: $passed;" \
	"expected failures: $xfail; TODO (known sim bugs, timing) failing: $todos;" \
	"unexpected failures: $failed; skipped: $((found - ran));" \
	"waits for the pods to settle: $settles"
sort "$WORK/skips" | uniq -c | sed 's/^ *\([0-9]*\) /  skipped \1: /' | while IFS= read -r l; do diag "$l"; done
plan_done
[ "$TAP_FAILED" = 0 ]
