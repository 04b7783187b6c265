#!/bin/sh
# tmux screen test of the Trends pane reading Prometheus (issue 12): the real
# console on opsdeck-sim with `--source prometheus`, a real Prometheus
# scraping the same sim. The pane's CPU and memory summaries come from
# query_range, and for the same pod and window its memory avg/max agree with
# `opsdeck history --source prometheus`. A Prometheus that does not answer
# shows "loading from Prometheus…" while the console keeps answering keys;
# one that is gone shows its error over the previous charts, marked stale.
# At 120x40 and 80x24. Every check polls.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/lib/monitoring.sh"
. "$OPSDECK_SRCDIR/tests/alerts/alerts-lib.sh"

if ! mon_have || ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux, prometheus or prometheus-alertmanager not installed"
	exit 0
fi

ALERTS_DB_BUSY=0
alerts_sim_start || { echo "Bail out! no sim or monitoring"; exit 1; }
sock="opsdeck-trends-prom-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap '[ -n "$PROM_PID" ] && kill -CONT "$PROM_PID" 2>/dev/null; tm kill-server 2>/dev/null; mon_stop; sim_cleanup' EXIT
XDG_CONFIG_HOME=$SIM_TMP/config
XDG_STATE_HOME=$SIM_TMP/state
export XDG_CONFIG_HOME XDG_STATE_HOME
mkdir -p "$XDG_CONFIG_HOME/opsdeck" "$XDG_STATE_HOME"
CTX=$(K config current-context)
NS=home-automation
POD=$(K get pods -n $NS -o name | sed -n 's|^pod/\(matter-server-.*\)|\1|p' | head -1)
like "$POD" '^matter-server-' "the matter-server pod: $POD"
cat >"$XDG_CONFIG_HOME/opsdeck/config.yaml" <<EOF2
contexts:
  $CTX:
    prometheus: $PROM_URL
EOF2

# A minute of scrapes of the pod's memory before the console asks.
mem_long() {
	mon_prom_query "count_over_time(container_memory_working_set_bytes{pod=\"$POD\"}[2m])" |
		python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
sys.exit(0 if r and float(r[0]["value"][1]) >= 60 else 1)'
}
if wait_for 180 mem_long; then ok "Prometheus holds a minute of the pod's memory"; else not_ok "Prometheus holds a minute of the pod's memory"; fi

screen() { tm capture-pane -p -t "$1"; }
shows() { screen "$1" | grep -Eq -- "$2"; }
check() { # check DESC TARGET REGEX [SECONDS]
	if wait_for "${4:-60}" shows "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		screen "$2" 2>/dev/null | sed 's/^/# | /'
	fi
}

run="env LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color KUBECONFIG=$KC XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
run="$run XDG_STATE_HOME=$XDG_STATE_HOME OPSDECK_DATADIR=$OPSDECK_SRCDIR"
run="$run $OPSDECK -n $NS --no-collect --source prometheus 2>$SIM_TMP/console.err"

t=big
tm new-session -d -s $t -x 120 -y 40 "$run"
tm set-option -t $t window-size manual 2>/dev/null
check "the console comes up on the sim" $t "matter-server-" 120
tm send-keys -t $t / m a t t e r - s e r v e r Enter 2 z '['
check "Trends follows the pod over 1h, reading Prometheus" $t \
	"pod $NS/$POD  1h until live  source: prometheus  \\[15s steps\\]"
check "the CPU summary line from Prometheus" $t '^│CPU +min [0-9.]+m? avg [0-9.]+m? p95 .* max [0-9.]+m? '
check "the memory summary line from Prometheus" $t '^│MEM +min [0-9.]+[KMG]i avg [0-9.]+[KMG]i p95 .* max [0-9.]+[KMG]i '
check "the restart counter's chart" $t '^│RESTARTS +min 0 '

# The same pod and window from `opsdeck history --source prometheus`: the
# pane pinned at T (ten seconds back, so every scrape up to T is in).
T=$(( $(date +%s) - 10 ))
TT=$(date -u -d "@$T" +%Y-%m-%dT%H:%M:%SZ)
FT=$(date -u -d "@$((T - 3600))" +%Y-%m-%dT%H:%M:%SZ)
tm send-keys -t $t : h i s t o r y Space $T Enter
check "the window pinned at $TT" $t "1h until $TT  source: prometheus"
# The header moves at once; the charts follow when the answers are in.
loaded() { screen $t | grep -Eq '^│MEM +min [0-9.]+[KMG]i avg ' && ! screen $t | grep -q 'loading from Prometheus'; }
if wait_for 60 loaded; then ok "the pinned window's memory summary"; else not_ok "the pinned window's memory summary"; screen $t | sed 's/^/# | /'; fi
line=$(screen $t | grep -E '^│MEM +min' | head -1)
"$OPSDECK" --kubeconfig "$KC" -n $NS history memory --pod "$POD" --from "$FT" --to "$TT" \
	--step 15s --source prometheus -o json >"$SIM_TMP/h.json" 2>"$SIM_TMP/h.err"
got=$(python3 -c 'import json, re, sys
units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
def parse(s):
    m = re.match(r"([0-9.]+)([KMG]i)?$", s)
    return float(m.group(1)) * units.get(m.group(2) or "", 1)
line = sys.argv[2]
m = re.search(r"avg (\S+) p95 \S+ max (\S+)", line)
pa, px = parse(m.group(1)), parse(m.group(2))
s = json.load(open(sys.argv[1]))["summary"]
ha, hx = s["avg"], s["max"]
# the pane prints one decimal of Mi: half of 0.1Mi either way, plus a byte
tol = 0.05 * 2**20 + 1
ok = abs(pa - ha) <= tol and abs(px - hx) <= tol
print("agree" if ok else "differ", "pane avg %.0f max %.0f, history avg %.0f max %.0f" % (pa, px, ha, hx))' \
	"$SIM_TMP/h.json" "$line" 2>&1)
like "$got" '^agree ' "memory avg and max: the pane and opsdeck history --source prometheus agree"
diag "$got" "pane: $line" "$(cat "$SIM_TMP/h.err")"

# 80x24: the charts still draw.
tm resize-window -t $t -x 80 -y 24 2>/dev/null
check "at 80x24 the memory summary still shows" $t '^│MEM +min [0-9.]+[KMG]i avg '
check "at 80x24 the CPU summary still shows" $t '^│CPU +min '

# A Prometheus that does not answer: the queries wait in the loop, the keys do not.
tm resize-window -t $t -x 120 -y 40 2>/dev/null
kill -STOP "$PROM_PID"
tm send-keys -t $t ']'
check "a new window while Prometheus hangs: loading from Prometheus" $t \
	'loading from Prometheus… \(the charts below are the previous ones\)'
tm send-keys -t $t ']'
check "the console still answers keys: the window moves on to 24h" $t '24h until .* source: prometheus'
tm send-keys -t $t '[' '['
check "and back to 1h" $t "1h until $TT"
kill -CONT "$PROM_PID"
check "the answer arrives: the loading line goes" $t '^│MEM +min [0-9.]+[KMG]i avg '
if wait_for 60 sh -c "! tmux -L '$sock' -f /dev/null capture-pane -p -t $t | grep -q 'loading from Prometheus'"; then
	ok "no loading line once answered"
else
	not_ok "no loading line once answered"
	screen $t | sed 's/^/# | /'
fi

# Prometheus gone: its error over the previous charts, marked stale.
mon_stop
tm send-keys -t $t ']'
check "Prometheus stopped: the error shows, the charts marked stale" $t \
	'stale: Prometheus http://127\.0\.0\.1:[0-9]+: '
check "the previous charts stay" $t '^│MEM +min [0-9.]+[KMG]i avg '
tm send-keys -t $t '['
check "the console keeps answering keys" $t "1h until $TT"
tm send-keys -t $t : s o u r c e Space s t o r e Enter
check ":source store goes back to the store" $t 'Trends source: store'
check "the header no longer names Prometheus" $t "pod $NS/$POD  1h until $TT"
tm send-keys -t $t q
if wait_for 20 sh -c "! tmux -L '$sock' -f /dev/null has-session -t $t 2>/dev/null"; then ok "q quits"; else not_ok "q quits"; fi
unlike "$(cat "$SIM_TMP/console.err")" 'AddressSanitizer|LeakSanitizer|runtime error:' \
	"the console reported no memory errors"

sim_stop_check
plan_done
exit $((TAP_FAILED > 0))
