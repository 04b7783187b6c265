# tests/collect/lib.sh: shared by the collector tests. Source after
# tests/lib/tap.sh and tests/sim/sim-lib.sh, after sim_start. Sets an
# isolated HOME and XDG directories inside the sim's temporary directory (so
# the user's config, profiles and history are never read) and defines:
#   OD ARGS...   opsdeck on the sim's kubeconfig and the test's database
#   DB           the database path
#   db_sql SQL   the sqlite3 CLI on DB (read-only queries)
collect_env() {
	HOME=$SIM_TMP/home
	XDG_CONFIG_HOME=$SIM_TMP/config
	XDG_STATE_HOME=$SIM_TMP/state
	XDG_DATA_HOME=$SIM_TMP/data
	XDG_CACHE_HOME=$SIM_TMP/cache
	export HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME XDG_CACHE_HOME
	unset KUBECONFIG
	mkdir -p "$HOME"
	DB=$SIM_TMP/history.db
	COLLECT_PIDS=
	trap collect_cleanup EXIT
}

# Collectors still running at exit are killed (by PID) before the sim.
collect_cleanup() {
	for p in $COLLECT_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	sim_cleanup
}

# bg_collect OUT ERR ARGS...: starts `opsdeck collect ARGS` in the background
# (the binary itself, so $! is its PID) and sets BG_PID.
bg_collect() {
	out=$1
	errf=$2
	shift 2
	"$OPSDECK" --kubeconfig "$KC" --db "$DB" collect "$@" >"$out" 2>"$errf" &
	BG_PID=$!
	COLLECT_PIDS="$COLLECT_PIDS $BG_PID"
}

# ticks: the number of raw ticks committed so far
ticks() {
	sqlite3 -readonly "$DB" 'SELECT count(*) FROM ticks' 2>/dev/null || echo 0
}

# more_ticks_than N: true once more than N ticks are committed
more_ticks_than() {
	[ "$(ticks)" -gt "$1" ]
}

OD() {
	"$OPSDECK" --kubeconfig "$KC" --db "$DB" "$@"
}

db_sql() {
	sqlite3 -readonly "$DB" "$1"
}

# sim_serves PATH: true when the sim answers PATH with 200
sim_serves() {
	K get --raw "$1" >/dev/null 2>&1
}

# Kills a process started by the test (by PID) and waits for it.
stop_pid() {
	kill "${2:--TERM}" "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
