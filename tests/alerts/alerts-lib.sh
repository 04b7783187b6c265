# tests/alerts/alerts-lib.sh: the alerts tests' cluster. opsdeck-sim on
# home-automation and matrixon with workloads running hot (matter-server's
# CPU baseline 2.4 cores, matrixon's p95 120 ms, postgres at 90 % of its
# connections: above the runbooks' 0.5, 0.05 s and 0.8), a real Prometheus scraping it with the runbook rules (for: 1s)
# and a real Alertmanager. Source after tap.sh, sim-lib.sh, monitoring.sh.

# alerts_sim_start [SIM ARGS...]: sets MURL, PROM_URL, AM_URL.
alerts_sim_start() {
	hot=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-alerts.XXXXXX") || return 1
	# matter-server's metrics block is the only "cpu: 100m" line in the file
	# and its limit the only cpu: "1". Prometheus extrapolates rate() over
	# [5m] from the seconds it has scraped, so the copy burns 2.4 cores
	# (limit 3) to cross 0.5 within about a minute.
	sed -e 's/^\( *\)cpu: 100m$/\1cpu: 2400m/' -e 's/^\( *\)cpu: "1"$/\1cpu: "3"/' \
		"$OPSDECK_SRCDIR/data/sim/home-automation.yaml" >"$hot/home-automation.yaml"
	# matrixon's p95 at 120 ms; postgres at 90 of its 100 connections (its
	# exporter's pg_* series) unless ALERTS_DB_BUSY=0.
	if [ "${ALERTS_DB_BUSY:-1}" = 1 ]; then
		sed -e 's/^\( *\)p95: 30ms$/\1p95: 120ms/' \
			-e '/^    - ref: matrixon\/StatefulSet\/postgres$/a\      postgres: {maxConnections: 100, backends: 90}' \
			"$OPSDECK_SRCDIR/data/sim/matrixon.yaml" >"$hot/matrixon.yaml"
	else
		sed 's/^\( *\)p95: 30ms$/\1p95: 120ms/' "$OPSDECK_SRCDIR/data/sim/matrixon.yaml" \
			>"$hot/matrixon.yaml"
	fi
	grep -q 'cpu: 2400m' "$hot/home-automation.yaml" && grep -q 'p95: 120ms' "$hot/matrixon.yaml" ||
		{ diag "the scenario copies were not changed"; return 1; }
	sim_start --metrics-listen 127.0.0.1:0 --scenario "$hot/home-automation.yaml" \
		--scenario "$hot/matrixon.yaml" "$@" || return 1
	mv "$hot"/*.yaml "$SIM_TMP/" && rmdir "$hot"
	MURL=$(sed -n 's/^opsdeck-sim: metrics //p' "$SIM_TMP/out")
	mon_rules_short "$OPSDECK_SRCDIR/data/alerts/runbook-rules.yaml" "$SIM_TMP/rules-short.yaml"
	mon_start "$SIM_TMP/rules-short.yaml" "$MURL" \
		matter-server=home-automation/matter-server matrixon=matrixon/matrixon \
		postgres=matrixon/postgres
}

# alerts_fault SPEC: POST /sim/faults.
alerts_fault() {
	sim_curl /sim/faults -X POST -H 'Content-Type: application/json' \
		-d "{\"fault\": \"$1\"}" -o /dev/null -w '%{http_code}' | grep -q '^20'
}

# alerts_faults: matter-server's memory ramping to its limit (then
# OOMKilled), its PVC filling up, matrixon not ready (its target answers 503,
# so up is 0). A second fault on the same workload replaces the memleak's
# ramp, so matter-server's own outage comes later: alerts_fault_down.
alerts_faults() {
	alerts_fault memleak:home-automation/matter-server:ramp=20s || diag "fault memleak refused"
	alerts_fault diskfill:home-automation/matter-server:ramp=5s || diag "fault diskfill refused"
	alerts_fault unhealthy:matrixon/matrixon || diag "fault unhealthy matrixon refused"
}

alerts_fault_down() {
	alerts_fault unhealthy:home-automation/matter-server || diag "fault unhealthy matter-server refused"
}
