#!/bin/sh
# sim-names.sh: every name a shipped profile relies on (namespaces, workloads,
# selector labels, containers, PVCs, snapshot class, probe services, TLS
# secrets, jobs) exists in the opsdeck-sim scenario of the same service, so
# the profiles run against the simulator as they would against the cluster
# the runbooks describe.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

NAMES="$OPSDECK_BUILDDIR/tests/runbook/profile_names"
SIM="$OPSDECK_SRCDIR/data/sim"

for pair in matter-server:home-automation synapse:matrix matrixon:matrixon tapio:tapio-system; do
	profile=${pair%%:*}
	scenario="$SIM/${pair#*:}.yaml"
	if [ ! -f "$scenario" ]; then
		skip "$profile: no scenario $scenario"
		continue
	fi
	out=$("$NAMES" "$OPSDECK_SRCDIR/data/profiles/$profile.yaml" 2>&1)
	if [ $? -ne 0 ]; then
		not_ok "$profile: profile loads"
		diag "$out"
		continue
	fi
	missing=""
	count=0
	while read -r kind a b; do
		count=$((count + 1))
		case $kind in
		label)
			# "key: value" in metadata/template labels (quoted or not).
			grep -Eq "(^|[ {,])$a: \"?$b\"?( *(#.*)?$|,|})" "$scenario" || missing="$missing $kind:$a=$b" ;;
		pvc)
			grep -Eq "(name|claim|claimName): $a( |$)" "$scenario" ||
				# StatefulSet claims are TEMPLATE-STATEFULSET-ORDINAL.
				grep -q "claim: $a\$" "$scenario" || missing="$missing $kind:$a" ;;
		*)
			grep -Eq "name: \"?$a\"?( |$)" "$scenario" || missing="$missing $kind:$a" ;;
		esac
	done <<NAMES_EOF
$out
NAMES_EOF
	if [ -z "$missing" ] && [ "$count" -gt 3 ]; then
		ok "$profile: $count names found in $(basename "$scenario")"
	else
		not_ok "$profile: names found in $(basename "$scenario")"
		diag "missing:$missing"
	fi
done
plan_done
exit 0
