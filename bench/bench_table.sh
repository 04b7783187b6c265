#!/bin/sh
# bench/bench_table.sh: opsdeck's benchmarks as one table (`make bench`).
#
#   bench_table.sh run BUILDDIR [RESULTS.md]  runs every benchmark in bench/
#                                             against opsdeck-sim, prints the
#                                             table, and writes RESULTS.md
#   bench_table.sh table LOG...               the table from saved output
#
# Each benchmark prints, beside its human-readable lines, one line per row:
#   BENCH|row|opsdeck figure|unit|reference figure|reference|target
# The reference is measured in the same run (kubectl, `watch -n2 kubectl get
# pods`, the console's own first sync) or is a physical bound; "-" when the
# row has none. Targets: <=N, <N, >=N, >N (on opsdeck's figure), ratio>=N
# (reference / opsdeck at least N), ==ref, or "-" (a figure to watch).
# Ratio is reference / opsdeck: above 1, opsdeck's figure is the smaller.
# Environment: BENCH_PODS (10000), BENCH_STORE_FLAGS (--quick for a short
# store run), BENCH_UI_SECONDS (30), BENCH_OUTAGE_SECONDS (30).
set -u

table() {
	awk -F'|' '
	function num(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ }
	$1 == "BENCH" {
		row = $2; v = $3; unit = $4; ref = $5; rl = $6; tg = $7
		ratio = "-"
		if (num(v) && num(ref) && v + 0 != 0) ratio = sprintf("%.2fx", ref / v)
		verdict = "-"
		if (tg != "-" && tg != "") {
			ok = 0
			if (!num(v)) ok = -1
			else if (tg ~ /^ratio>=/) { n = substr(tg, 8); ok = (num(ref) && v + 0 > 0 && ref / v >= n + 0) }
			else if (tg == "==ref") ok = (v == ref)
			else if (tg ~ /^<=/) ok = (v + 0 <= substr(tg, 3) + 0)
			else if (tg ~ /^>=/) ok = (v + 0 >= substr(tg, 3) + 0)
			else if (tg ~ /^</) ok = (v + 0 < substr(tg, 2) + 0)
			else if (tg ~ /^>/) ok = (v + 0 > substr(tg, 2) + 0)
			verdict = ok == 1 ? "met" : (ok == -1 ? "no figure" : "MISSED")
		}
		refcol = ref == "-" ? "-" : ref " (" rl ")"
		printf "| %s | %s %s | %s | %s | %s | %s |\n", row, v, unit, refcol, ratio, tg, verdict
	}' "$@"
}

machine() {
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores online"
	echo "- RAM: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- kernel: $(uname -sr); $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 | sed 's/^/SQLite CLI /')"
	echo "- kubectl: $(kubectl version --client 2>/dev/null | head -1)"
}

if [ "${1:-}" = table ]; then
	shift
	echo "| row | opsdeck | reference | ratio | target | verdict |"
	echo "|---|---|---|---|---|---|"
	table "$@"
	exit 0
fi
[ "${1:-}" = run ] || { echo "usage: bench_table.sh run BUILDDIR [RESULTS.md] | table LOG..." >&2; exit 2; }
B=$(cd "${2:?usage: bench_table.sh run BUILDDIR [RESULTS.md]}" && pwd)
RESULTS=${3:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PODS=${BENCH_PODS:-10000}
LOG=$(mktemp "${TMPDIR:-/tmp}/opsdeck-bench-log.XXXXXX")
LOADS=$LOG.load
export OPSDECK_DATADIR="${OPSDECK_DATADIR:-$SRC}"
# the load average every 5 s while the benchmarks run
( while :; do cut -d' ' -f1 /proc/loadavg >>"$LOADS"; sleep 5; done ) &
LOAD_PID=$!
trap 'kill $LOAD_PID 2>/dev/null; rm -f "$LOG" "$LOADS"' EXIT
trap 'exit 1' INT TERM
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t0=$(date +%s)

step() { # step NAME COMMAND...: runs one benchmark, its output to the log and stderr
	name=$1
	shift
	echo "== $name: $*" >&2
	echo "== $name" >>"$LOG"
	"$@" 2>&1 | tee -a "$LOG" >&2 || echo "BENCH|$name failed|-|-|-|-|-" >>"$LOG"
}
step store "$B/bench/store_bench" ${BENCH_STORE_FLAGS:-}
step client "$SRC/bench/client_bench.sh" "$B" "$PODS"
step sim "$SRC/bench/sim_bench.sh" "$B" "$PODS"
step ui "$B/bench/ui_bench"
step ui-pty "$SRC/bench/ui_bench.sh" "$B"
step panes "$B/bench/panes_bench"
step resume "$SRC/bench/resume_bench.sh" "$B" "$PODS"
kill $LOAD_PID 2>/dev/null
secs=$(($(date +%s) - t0))
load=$(sort -n "$LOADS" | awk '{ a[NR] = $1; s += $1 } END { if (NR) printf "min %s, mean %.2f, max %s", a[1], s / NR, a[NR] }')

{
	echo "| row | opsdeck | reference | ratio | target | verdict |"
	echo "|---|---|---|---|---|---|"
	table "$LOG"
} >"$LOG.table"
cat "$LOG.table"
met=$(grep -c '| met |$' "$LOG.table")
missed=$(grep -c '| MISSED |$' "$LOG.table")
echo "$met met, $missed missed; $secs s; load average during the run: $load"
if [ -n "$RESULTS" ]; then
	{
		echo "# Benchmark results"
		echo
		echo "Written by \`make bench\` (bench/bench_table.sh); see docs/bench.md for what"
		echo "each row measures. Run started $start, took $secs s, opsdeck ${BENCH_REV:-$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')}."
		echo "Parameters: BENCH_PODS=$PODS BENCH_STORE_FLAGS=${BENCH_STORE_FLAGS:-(full)} BENCH_UI_SECONDS=${BENCH_UI_SECONDS:-30} BENCH_OUTAGE_SECONDS=${BENCH_OUTAGE_SECONDS:-30} BENCH_REPS=${BENCH_REPS:-3}."
		echo "Ratio = reference / opsdeck (above 1: opsdeck's figure is smaller)."
		echo
		echo "## Machine"
		echo
		machine
		echo "- load average during the run (sampled every 5 s): $load"
		echo "- the machine is shared with other builds and tests: compare ratios, not absolute times"
		echo
		echo "## Table"
		echo
		cat "$LOG.table"
		echo
		echo "$met met, $missed missed."
		echo
		echo "## Raw output"
		echo
		echo '```'
		grep -v '^BENCH|' "$LOG"
		echo '```'
	} >"$RESULTS"
	echo "wrote $RESULTS"
fi
rm -f "$LOG.table"
