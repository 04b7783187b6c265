#!/bin/sh
# opsdeck get, describe and logs against kubectl on the runbook scenarios
# (data/sim/demo.yaml: home-automation, matrix, tapio-system...): every type
# kubectl prints, every pod described, a few logs, byte for byte.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

if ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl is not installed"
	exit 0
fi
if ! sim_start --seed 11 --start-time 2026-01-10T12:00:00Z \
	--scenario "$OPSDECK_SRCDIR/data/sim/demo.yaml"; then
	echo "Bail out! the simulator did not start"
	exit 1
fi
. "$OPSDECK_SRCDIR/tests/kube/headless-lib.sh"

same "get pods -A" get pods -A
same "get pods -A -o wide" get pods -A -o wide
same "get pods -A -o json" get pods -A -o json
same "get pods -A -o yaml" get pods -A -o yaml
for t in deploy sts ds rs jobs cj pvc pv events svc ns no cm; do
	same "get $t -A" get $t -A
	same "get $t -A -o wide" get $t -A -o wide
done
same "get deploy,sts,ds -A" get deploy,sts,ds -A

pods=$(K get pods -A --no-headers | awk '{print $1 "/" $2}')
n=0
bad=
for p in $pods; do
	run_both describe pod "${p#*/}" -n "${p%%/*}"
	both_equal || bad="$bad $p"
	n=$((n + 1))
done
if [ -z "$bad" ] && [ "$n" -gt 20 ]; then
	ok "describe pod: all $n pods as kubectl describes them"
else
	not_ok "describe pod: all pods as kubectl describes them"
	diag "differ:$bad"
fi

for p in $(printf '%s\n' $pods | awk 'NR % 9 == 1'); do
	same_live "logs --tail 3 $p" logs "${p#*/}" -n "${p%%/*}" --tail 3
done
same_live "logs sts/synapse-postgres --prefix" logs sts/synapse-postgres -n matrix --tail 2 --prefix

plan_done
[ "$TAP_FAILED" = 0 ]
