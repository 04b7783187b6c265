# tests/lib/monitoring.sh: a real Prometheus and Alertmanager (Debian's
# prometheus and prometheus-alertmanager) on 127.0.0.1 for a test, on ports
# the test picks, stopped by PID when the test exits.
#
# Source after tests/lib/tap.sh (and tests/sim/sim-lib.sh when the sim is
# used). Then:
#   mon_have || { skip ...; }           both binaries installed?
#   mon_rules_short SRC DST             copy of a rules file with every `for:` = 1s
#   mon_start RULES METRICS_BASE [JOB=NS/WORKLOAD ...]
#       starts Alertmanager (no gossip: --cluster.listen-address=) and
#       Prometheus scraping METRICS_BASE/metrics (job sim) and each
#       METRICS_BASE/metrics/NS/WORKLOAD as job JOB, every 1 s, evaluating
#       RULES every 1 s and sending alerts to the Alertmanager; waits for
#       both /-/ready. Sets PROM_URL and AM_URL.
#   mon_am_alerts                       GET /api/v2/alerts (JSON) from the Alertmanager
#   mon_am_firing NAME                  true when the Alertmanager holds alert NAME active
#   mon_prom_query EXPR                 GET /api/v1/query (JSON)
#   mon_stop                            stops both (also run at exit: mon_start
#                                       sets the EXIT trap to mon_stop; sim_cleanup)

MON_TMP=
PROM_PID=
AM_PID=
PROM_URL=
AM_URL=
PROMETHEUS=${PROMETHEUS:-prometheus}
ALERTMANAGER=${ALERTMANAGER:-prometheus-alertmanager}

mon_have() {
	command -v "$PROMETHEUS" >/dev/null 2>&1 && command -v "$ALERTMANAGER" >/dev/null 2>&1 &&
		command -v curl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1
}

# mon_free_port: a port on 127.0.0.1 that nothing listens on right now.
mon_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

_mon_kill() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

mon_stop() {
	_mon_kill "$PROM_PID"
	PROM_PID=
	_mon_kill "$AM_PID"
	AM_PID=
	if [ -n "$MON_TMP" ]; then
		rm -rf "$MON_TMP"
		MON_TMP=
	fi
}

# mon_rules_short SRC DST: the rules with every `for:` shortened to 1s.
mon_rules_short() {
	sed 's/^\([[:space:]]*for:[[:space:]]*\).*$/\11s/' "$1" >"$2"
}

# _mon_wait_ready PID URL NAME: waits for URL/-/ready while PID lives.
_mon_wait_ready() {
	local pid=$1 url=$2
	for _ in $(seq 1 600); do
		kill -0 "$pid" 2>/dev/null || return 1
		curl -sf -o /dev/null "$url/-/ready" && return 0
		sleep 0.1
	done
	return 1
}

_mon_start_am() {
	local port try
	mkdir -p "$MON_TMP/am-data"
	cat >"$MON_TMP/alertmanager.yml" <<'EOF'
route:
  receiver: "null"
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
EOF
	for try in 1 2 3; do
		port=$(mon_free_port)
		"$ALERTMANAGER" --config.file="$MON_TMP/alertmanager.yml" \
			--storage.path="$MON_TMP/am-data" \
			--web.listen-address="127.0.0.1:$port" \
			--cluster.listen-address= \
			>"$MON_TMP/am.log" 2>&1 &
		AM_PID=$!
		AM_URL=http://127.0.0.1:$port
		_mon_wait_ready "$AM_PID" "$AM_URL" && return 0
		_mon_kill "$AM_PID"
		AM_PID=
	done
	diag "alertmanager did not start:" "$(tail -n 20 "$MON_TMP/am.log")"
	return 1
}

_mon_start_prom() {
	local rules=$1 base=$2 port try hostport j
	shift 2
	hostport=${base#http://}
	hostport=${hostport%%/*}
	mkdir -p "$MON_TMP/prom-data"
	cp "$rules" "$MON_TMP/rules.yml"
	{
		cat <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["${AM_URL#http://}"]
rule_files: ["$MON_TMP/rules.yml"]
scrape_configs:
  - job_name: sim
    metrics_path: /metrics
    static_configs:
      - targets: ["$hostport"]
EOF
		for j in "$@"; do
			cat <<EOF
  - job_name: ${j%%=*}
    metrics_path: /metrics/${j#*=}
    static_configs:
      - targets: ["$hostport"]
EOF
		done
	} >"$MON_TMP/prometheus.yml"
	for try in 1 2 3; do
		port=$(mon_free_port)
		"$PROMETHEUS" --config.file="$MON_TMP/prometheus.yml" \
			--storage.tsdb.path="$MON_TMP/prom-data" \
			--web.listen-address="127.0.0.1:$port" \
			--rules.alert.resend-delay=1s \
			>"$MON_TMP/prom.log" 2>&1 &
		PROM_PID=$!
		PROM_URL=http://127.0.0.1:$port
		_mon_wait_ready "$PROM_PID" "$PROM_URL" && return 0
		_mon_kill "$PROM_PID"
		PROM_PID=
	done
	diag "prometheus did not start:" "$(tail -n 20 "$MON_TMP/prom.log")"
	return 1
}

# mon_start RULES METRICS_BASE [JOB=NS/WORKLOAD ...]
# Call it after sim_start: it sets the EXIT trap to stop both and then the
# sim (mon_stop; sim_cleanup when sim-lib.sh is loaded).
mon_start() {
	MON_TMP=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-mon.XXXXXX")
	if command -v sim_cleanup >/dev/null 2>&1; then
		trap 'mon_stop; sim_cleanup' EXIT
	else
		trap mon_stop EXIT
	fi
	_mon_start_am || return 1
	_mon_start_prom "$@" || return 1
	export PROM_URL AM_URL
}

mon_am_alerts() {
	curl -sf "$AM_URL/api/v2/alerts?active=true"
}

# mon_am_firing NAME: the Alertmanager holds an active alert named NAME.
mon_am_firing() {
	mon_am_alerts | python3 -c 'import json, sys
a = json.load(sys.stdin)
sys.exit(0 if any(x["labels"].get("alertname") == sys.argv[1] and x["status"]["state"] == "active" for x in a) else 1)' "$1"
}

mon_prom_query() {
	curl -sf --get --data-urlencode "query=$1" "$PROM_URL/api/v1/query"
}
