#!/bin/sh
# tests/valgrind/memcheck.sh: the headless commands under valgrind memcheck
# against opsdeck-sim (HTTP, and HTTPS with a token for a few): zero errors
# and zero leaks (definite, indirect and possible; "still reachable" blocks
# of the libraries' global state are not leaks). Skipped when valgrind is
# missing or the binary is built with a sanitizer (ASan cannot run under
# valgrind). Bounded: one pass over each command, about two minutes.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if grep -q '__asan_init\|__ubsan_handle' "$OPSDECK"; then
	echo "1..0 # SKIP opsdeck is built with a sanitizer"
	exit 0
fi
sim_start --seed 5 --start-time 2026-01-10T12:00:00Z \
	--scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! the simulator did not start"; exit 1; }
T=$SIM_TMP/vg
mkdir -p "$T/reports" "$T/ev"
XDG_CONFIG_HOME=$T/cfg XDG_STATE_HOME=$T/state
export XDG_CONFIG_HOME XDG_STATE_HOME
NS=home-automation
SUPP=$OPSDECK_SRCDIR/tests/valgrind/opsdeck.supp

# vg DESC ARGS...: opsdeck under memcheck; ok when valgrind found nothing
# (the command's own exit status, 0, 1 or 2, is not the point here)
vg() {
	desc=$1
	shift
	rm -f "$T/vg.log"
	timeout 300 valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--suppressions="$SUPP" --log-file="$T/vg.log" \
		"$OPSDECK" --kubeconfig "$KC" --request-timeout=60s "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ $rc -ne 99 ] && [ $rc -le 2 ] && [ ! -s "$T/vg.log" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit $rc" "$(head -c 600 "$T/err")" "$(head -60 "$T/vg.log")"
	fi
}

POD=$(K -n $NS get pods -o name | sed -n 's|^pod/||p' | head -1)
vg "get pods -A" get pods -A
vg "get pods -o yaml" -n $NS get pods -o yaml
vg "get deploy,sts,svc,pvc -o wide" -n $NS get deploy,sts,svc,pvc -o wide
vg "get pod missing (an error)" -n $NS get pod missing
vg "describe pod" -n $NS describe pod "$POD"
vg "logs deploy/NAME --tail" -n $NS logs deploy/home-assistant --tail 50
vg "top pods (no metrics API: an error)" -n $NS top pods
vg "collect --once" collect --once
vg "history cpu" -n $NS history cpu deploy/home-assistant --since 1h
vg "events" events --since 1h
vg "check daily" -n $NS check daily --profile matter-server --operator vg --out "$T/reports/check.md"
vg "report weekly" -n $NS report weekly --profile matter-server --out "$T/reports/weekly.md"
vg "due" -n $NS due --profile matter-server
vg "triage -A" triage -A
vg "restart --dry-run" -n $NS restart deploy/home-assistant --dry-run
vg "scale --yes" -n $NS scale deploy/home-assistant --replicas 2 --yes
vg "snapshot --dry-run" -n $NS snapshot pvc/home-assistant-config --dry-run
vg "audit" audit
vg "audit --verify" audit --verify
vg "incident start" -n $NS incident start --title "valgrind drill" --severity P3
vg "incident note" -n $NS incident note "under memcheck"
vg "incident evidence" -n $NS incident evidence --dir "$T/ev"
vg "incident export" -n $NS incident export 1 --out "$T/reports/incident.md"
vg "incident close" -n $NS incident close --resolution done
vg "handoff" handoff --since 12h --out "$T/reports/handoff.md"
vg "config view" config view
vg "a usage error" get pods -o bogus
vg "the dashboard, headless screen mode" -n $NS --headless-script \
	"$OPSDECK_SRCDIR/tests/ui/scripts/small.script" --screen-dump "$T" --size 100x30
sim_stop_check

# HTTPS with a bearer token: the OpenSSL paths
rm -rf "$SIM_TMP"
sim_start --tls --auth token --seed 5 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! the simulator did not start"; exit 1; }
T=$SIM_TMP/vg
mkdir -p "$T"
vg "HTTPS: get pods -A" get pods -A
vg "HTTPS: logs --tail" -n $NS logs deploy/home-assistant --tail 20
vg "HTTPS: collect --once" collect --once
sim_stop_check
plan_done
