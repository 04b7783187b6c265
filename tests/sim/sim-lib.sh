# tests/sim/sim-lib.sh: starts opsdeck-sim for a test and stops it at exit.
# Source after tests/lib/tap.sh; then `sim_start ARGS...` and use `K ...`
# (kubectl on the sim's kubeconfig). Only 127.0.0.1 is used.

SIM_PID=
SIM_TMP=

sim_cleanup() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	[ -n "$SIM_TMP" ] && rm -rf "$SIM_TMP"
}

# sim_start ARGS...: starts the sim on a free port and waits for its serving line.
sim_start() {
	SIM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-sim-test.XXXXXX")
	trap sim_cleanup EXIT
	trap 'exit 1' INT TERM
	"$OPSDECK_SIM" --listen 127.0.0.1:0 --kubeconfig-out "$SIM_TMP/kubeconfig" "$@" \
		>"$SIM_TMP/out" 2>"$SIM_TMP/err" &
	SIM_PID=$!
	if ! wait_for 30 grep -q '^opsdeck-sim: serving ' "$SIM_TMP/out"; then
		diag "opsdeck-sim did not start:" "$(cat "$SIM_TMP/err")"
		return 1
	fi
	SIM_URL=$(sed -n 's/^opsdeck-sim: serving //p' "$SIM_TMP/out")
	KC=$SIM_TMP/kubeconfig
	export SIM_URL KC
}

K() {
	kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" --request-timeout=30s "$@"
}

# The token of a kubeconfig user (sim-admin, sim-edit, sim-view).
# Only the users: section counts: contexts carry the same names, and a match
# there would hand back the next user's token (another role's).
sim_token() {
	awk -v u="$1" '/^users:/ {in_users=1; next}
		/^[a-z]/ {in_users=0}
		in_users && /^- name: / {f = ($3 == u); next}
		in_users && f && /^ *token:/ {print $2; exit}' "$KC"
}

# sim_curl PATH [curl args...]: a request to the sim as admin (token over TLS).
sim_curl() {
	p=$1
	shift
	case "$SIM_URL" in
	https:*) curl -sk -H "Authorization: Bearer $(sim_token sim-admin)" "$@" "$SIM_URL$p" ;;
	*) curl -s "$@" "$SIM_URL$p" ;;
	esac
}

# count_lines TEXT: number of non-empty lines
count_lines() {
	printf '%s\n' "$1" | grep -c .
}

# sim_stop_check: stops the sim with SIGTERM and checks it exited cleanly
# (status 0, no sanitizer report on stderr). Call before plan_done.
sim_stop_check() {
	st=1
	if [ -n "$SIM_PID" ]; then
		kill -TERM "$SIM_PID" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$SIM_PID" 2>/dev/null || break
			sleep 0.1
		done
		wait "$SIM_PID"
		st=$?
		SIM_PID=
	fi
	is "$st" 0 "the simulator stops cleanly on SIGTERM"
	unlike "$(cat "$SIM_TMP/err")" 'AddressSanitizer|LeakSanitizer|runtime error:' \
		"the simulator reported no memory errors"
}
