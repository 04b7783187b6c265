#!/bin/sh
# bench/client_bench.sh BUILDDIR [PODS]: the Kubernetes client at scale, side by
# side with kubectl in the same run, against `opsdeck-sim --pods PODS`
# (default 10000). Prints one table: figure, opsdeck, reference, ratio, target.
# Figures, not a timed test: compare the ratios, the machine is shared.
set -u
B=$1
PODS=${2:-10000}
REPS=${BENCH_REPS:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-bench.XXXXXX")
SIM_PID=
cleanup() {
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$B/opsdeck-sim" --listen 127.0.0.1:0 --kubeconfig-out "$T/kc" --pods "$PODS" \
	>"$T/sim.out" 2>"$T/sim.err" &
SIM_PID=$!
i=0
until grep -q '^opsdeck-sim: serving ' "$T/sim.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 1200 ] || ! kill -0 "$SIM_PID" 2>/dev/null; then
		echo "client_bench: opsdeck-sim did not start" >&2
		cat "$T/sim.err" >&2
		exit 1
	fi
	sleep 0.1
done
export KUBECONFIG="$T/kc"

# stat CMD...: runs CMD REPS times; prints "median_cpu_ms max_rss_kb rows"
stat_of() {
	: >"$T/stats"
	r=0
	while [ $r -lt "$REPS" ]; do
		"$B/bench/runstat" "$@" >"$T/out" 2>>"$T/stats" || true
		r=$((r + 1))
	done
	rows=$(wc -l <"$T/out")
	cpu=$(sed -n 's/.*cpu_ms=\([0-9]*\).*/\1/p' "$T/stats" | sort -n | sed -n "$(((REPS + 1) / 2))p")
	rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$T/stats" | sort -n | tail -n 1)
	echo "$cpu $rss $rows"
}

set -- $(stat_of "$B/opsdeck" get pods -A)
o_cpu=$1 o_rss=$2 o_rows=$3
set -- $(stat_of kubectl get pods -A)
k_cpu=$1 k_rss=$2 k_rows=$3
probe=$("$B/tests/net/netprobe" --timeout 120 pods 2>/dev/null)
i_rss=$(echo "$probe" | sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p')
i_list=$(echo "$probe" | sed -n 's/.*list_cpu_ms=\([0-9]*\).*/\1/p')
i_pods=$(echo "$probe" | sed -n 's/^pods=\([0-9]*\).*/\1/p')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2fx", b / a; else print "-" }'; }
echo "client at scale: opsdeck-sim --pods $PODS, median of $REPS runs ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf '%-44s %12s %12s %8s  %s\n' "figure" "opsdeck" "reference" "ratio" "target"
printf '%-44s %12s %12s %8s  %s\n' "get pods -A: CPU ms (ref: kubectl)" "$o_cpu" "$k_cpu" "$(ratio "$o_cpu" "$k_cpu")" ">= 3x less"
printf '%-44s %12s %12s %8s  %s\n' "get pods -A: peak RSS KiB (ref: kubectl)" "$o_rss" "$k_rss" "$(ratio "$o_rss" "$k_rss")" ">= 4x less"
printf '%-44s %12s %12s %8s  %s\n' "get pods -A: rows (ref: kubectl)" "$o_rows" "$k_rows" "" "equal"
printf '%-44s %12s %12s %8s  %s\n' "informer holding all pods: RSS KiB" "${i_rss:--}" "40960" "" "<= 40 MB (pods: ${i_pods:--})"
printf '%-44s %12s %12s %8s  %s\n' "relist of all pods: CPU ms" "${i_list:--}" "1000" "" "<= 1 s"
# machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target
echo "BENCH|${PODS} pod list (get pods -A): CPU|$o_cpu|ms|$k_cpu|kubectl get pods -A|ratio>=3"
echo "BENCH|${PODS} pod list (get pods -A): peak RSS|$o_rss|KiB|$k_rss|kubectl get pods -A|ratio>=4"
echo "BENCH|${PODS} pod list (get pods -A): rows|$o_rows|rows|$k_rows|kubectl get pods -A|==ref"
echo "BENCH|informer holding ${i_pods:-?} pods: RSS|${i_rss:--}|KiB|-|-|<=40960"
echo "BENCH|relist of ${i_pods:-?} pods: CPU|${i_list:--}|ms|-|-|<=1000"
