#!/bin/sh
# opsdeck top against kubectl top on a fixed metrics.k8s.io API
# (tests/kube/headless/metrics_server.py; opsdeck-sim serves no metrics yet).
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl or python3 is not installed"
	exit 0
fi
tap_tmpdir
work=$TAP_TMP
MS_PID=
stop_server() {
	[ -n "$MS_PID" ] && kill "$MS_PID" 2>/dev/null && wait "$MS_PID" 2>/dev/null
	rm -rf "$work"
}
trap stop_server EXIT
trap 'exit 1' INT TERM
python3 "$OPSDECK_SRCDIR/tests/kube/headless/metrics_server.py" >"$work/out" 2>"$work/err" &
MS_PID=$!
if ! wait_for 20 grep -q '^serving ' "$work/out"; then
	echo "Bail out! the metrics server did not start: $(cat "$work/err")"
	exit 1
fi
url=$(sed -n 's/^serving //p' "$work/out")
cat >"$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: m, cluster: {server: "$url"}}]
users: [{name: u, user: {}}]
contexts: [{name: m, context: {cluster: m, user: u, namespace: default}}]
current-context: m
KC
KC=$work/kubeconfig
OUT=$work/cmp
K() {
	kubectl --kubeconfig "$KC" --cache-dir "$work/kube-cache" "$@"
}
O() {
	"$OPSDECK" --kubeconfig "$KC" "$@"
}
same() {
	desc=$1
	shift
	K "$@" >"$OUT.k1" 2>"$OUT.k2"
	krc=$?
	O "$@" >"$OUT.o1" 2>"$OUT.o2"
	orc=$?
	if [ "$krc" = "$orc" ] && cmp -s "$OUT.k1" "$OUT.o1" && cmp -s "$OUT.k2" "$OUT.o2" &&
		[ -s "$OUT.o1" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit: kubectl $krc, opsdeck $orc"
		diff "$OUT.k1" "$OUT.o1" | head -10 | sed 's/^/# /'
		diff "$OUT.k2" "$OUT.o2" | head -5 | sed 's/^/# /'
	fi
}

same "top pods" top pods
same "top pods -A" top pods -A
same "top pods --containers" top pods --containers
same "top pods -A --containers" top pods -A --containers
same "top pods --sort-by cpu" top pods -A --sort-by cpu
same "top pods --sort-by memory" top pods -A --sort-by memory
same "top pods --no-headers" top pods --no-headers
same "top nodes (CPU% and MEMORY% of allocatable)" top nodes
same "top nodes --sort-by cpu" top nodes --sort-by cpu
same "top nodes --sort-by memory" top nodes --sort-by memory

plan_done
[ "$TAP_FAILED" = 0 ]
