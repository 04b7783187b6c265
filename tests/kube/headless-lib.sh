# tests/kube/headless-lib.sh: comparing opsdeck's headless commands with
# kubectl on a running sim. Source after tests/sim/sim-lib.sh and sim_start.
# `same DESC ARGS...` runs `kubectl ARGS` and `opsdeck ARGS` and checks that
# stdout, stderr and the exit status are identical.

# kubectl's local clock is not the sim's: nothing below depends on the local time
O() {
	"$OPSDECK" --kubeconfig "$KC" --request-timeout=30s "$@"
}
OUT=$SIM_TMP/cmp

# run_both ARGS...: kubectl and opsdeck with the same arguments; sets K_* and O_*
run_both() {
	K "$@" >"$OUT.k1" 2>"$OUT.k2"
	K_RC=$?
	O "$@" >"$OUT.o1" 2>"$OUT.o2"
	O_RC=$?
}

both_equal() {
	[ "$K_RC" = "$O_RC" ] && cmp -s "$OUT.k1" "$OUT.o1" && cmp -s "$OUT.k2" "$OUT.o2"
}

report() {
	desc=$1
	if both_equal; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit: kubectl $K_RC, opsdeck $O_RC"
		diff "$OUT.k1" "$OUT.o1" | head -20 | sed 's/^/# stdout: /'
		diff "$OUT.k2" "$OUT.o2" | head -10 | sed 's/^/# stderr: /'
	fi
}

# same DESC ARGS...: stdout, stderr and exit status are identical
same() {
	desc=$1
	shift
	run_both "$@"
	report "$desc"
}

# same_live DESC ARGS...: as same, for output that changes while the sim runs
# (log lines arrive several times a second): a few attempts until both agree.
same_live() {
	desc=$1
	shift
	n=0
	while [ $n -lt 20 ]; do
		run_both "$@"
		both_equal && break
		n=$((n + 1))
	done
	report "$desc"
}

# same_logs DESC ARGS...: log windows (--since...) that move while the sim
# logs: both with --timestamps, cut to the span both saw, then compared.
same_logs() {
	desc=$1
	shift
	run_both "$@" --timestamps
	lo=$( (head -1 "$OUT.k1"; head -1 "$OUT.o1") | cut -d' ' -f1 | sort | tail -1)
	hi=$( (tail -1 "$OUT.k1"; tail -1 "$OUT.o1") | cut -d' ' -f1 | sort | head -1)
	for f in "$OUT.k1" "$OUT.o1"; do
		awk -v lo="$lo" -v hi="$hi" '$1 >= lo && $1 <= hi' "$f" >"$f.w"
		mv "$f.w" "$f"
	done
	if [ ! -s "$OUT.o1" ]; then
		not_ok "$desc"
		diag "no common log lines"
		return
	fi
	report "$desc"
}

