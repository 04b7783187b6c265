#!/bin/sh
# The runbooks' alert rules (data/alerts/runbook-rules.yaml, verbatim) on a
# real Prometheus scraping opsdeck-sim, with a real Alertmanager (issue 12):
# promtool accepts the verbatim file; a copy with `for:` shortened to 1s is
# evaluated every second; faults in the sim and a hot scenario copy make all
# seven fire and the Alertmanager receives them.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/lib/monitoring.sh"

RULES=$OPSDECK_SRCDIR/data/alerts/runbook-rules.yaml

if ! mon_have || ! command -v promtool >/dev/null 2>&1; then
	echo "1..0 # SKIP prometheus, promtool or prometheus-alertmanager not installed"
	exit 0
fi

out=$(promtool check rules "$RULES" 2>&1)
like "$out" 'SUCCESS: 7 rules found' "promtool check rules passes on the verbatim rules"

# . "$SIM_TMP"/... needs the sim's tmp dir; the scenario copies live there.
. "$OPSDECK_SRCDIR/tests/alerts/alerts-lib.sh"
alerts_sim_start || { echo "Bail out! no sim or monitoring"; exit 1; }

short=$MON_TMP/rules.yml
out=$(promtool check rules "$short" 2>&1)
like "$out" 'SUCCESS: 7 rules found' "promtool check rules passes on the shortened copy"
is "$(grep -c '^ *for: 1s$' "$short")" 7 "every for: is 1s in the copy"
is "$(grep -v '^ *for:' "$RULES")" "$(grep -v '^ *for:' "$short")" \
	"the copy differs from the verbatim rules only in for:"

rules=$(curl -sf "$PROM_URL/api/v1/rules")
for a in MatterServerDown MatterServerHighMemory MatterServerHighCPU MatterServerStorageFull \
	MatrixonDown HighResponseTime DatabaseConnectionsHigh; do
	like "$rules" "\"name\":\"$a\"" "Prometheus loaded $a"
done

# Targets: the sim's /metrics and the two workload targets are up at rest.
up_is() {
	mon_prom_query "up{job=\"$1\"}" | grep -q "\"value\":\[[0-9.]*,\"$2\"\]"
}
if wait_for 60 up_is sim 1; then ok "the sim's /metrics is scraped"; else not_ok "the sim's /metrics is scraped"; fi
if wait_for 60 up_is matter-server 1; then ok "matter-server's target is up at rest"; else not_ok "matter-server's target is up at rest"; fi
if wait_for 60 up_is matrixon 1; then ok "matrixon's target is up at rest"; else not_ok "matrixon's target is up at rest"; fi
if wait_for 60 up_is postgres 1; then ok "postgres's target (its exporter) is up"; else not_ok "postgres's target (its exporter) is up"; fi

# The hot scenario copy: p95 above the runbook's threshold (CPU comes last:
# rate() over [5m] needs about a minute of samples).
for a in HighResponseTime; do
	if wait_for 120 mon_am_firing "$a"; then ok "$a fires and reaches the Alertmanager"; else not_ok "$a fires and reaches the Alertmanager"; diag "$(mon_am_alerts)"; fi
done
if mon_am_firing MatterServerDown; then not_ok "MatterServerDown is not firing before the fault"; else ok "MatterServerDown is not firing before the fault"; fi

alerts_faults
for a in MatterServerHighMemory MatrixonDown MatterServerStorageFull; do
	if wait_for 120 mon_am_firing "$a"; then ok "$a fires under its fault and reaches the Alertmanager"; else not_ok "$a fires under its fault and reaches the Alertmanager"; diag "$(mon_am_alerts)"; fi
done

alerts_fault_down
for a in MatterServerDown MatterServerHighCPU; do
	if wait_for 180 mon_am_firing "$a"; then ok "$a fires and reaches the Alertmanager"; else not_ok "$a fires and reaches the Alertmanager"; diag "$(mon_am_alerts)"; fi
done

# The alert as Alertmanager holds it: labels and annotations from the rule.
am=$(mon_am_alerts)
like "$am" '"summary":"Matter Server storage usage high"' "the rule's summary reaches the Alertmanager"
like "$am" '"description":"Matter Server storage usage is above 85%"' "and its description"
like "$am" '"severity":"critical"' "the rule's severity label reaches the Alertmanager"
# postgres's exporter at 90 of 100 connections.
if wait_for 60 mon_am_firing DatabaseConnectionsHigh; then ok "DatabaseConnectionsHigh fires and reaches the Alertmanager"; else not_ok "DatabaseConnectionsHigh fires and reaches the Alertmanager"; diag "$(mon_am_alerts)"; fi

mon_stop
ok "prometheus and alertmanager stopped"
sim_stop_check
plan_done
exit $((TAP_FAILED > 0))
