# tests/actions/act-lib.sh: helpers for the action tests. Source after
# tests/lib/tap.sh and tests/sim/sim-lib.sh, after sim_start.
#   OD ARGS...               opsdeck on the sim's kubeconfig, with a private
#                            database and config directory
#   audit_has A S O OBJ      an audit row with action A, step S, outcome O, object OBJ
#   audit_count A S O OBJ    how many such rows

act_setup() {
	XDG_CONFIG_HOME=$SIM_TMP/cfg
	XDG_STATE_HOME=$SIM_TMP/state
	export XDG_CONFIG_HOME XDG_STATE_HOME
	mkdir -p "$XDG_CONFIG_HOME/opsdeck"
	DB=$SIM_TMP/history.db
}

OD() {
	"$OPSDECK" --kubeconfig "$KC" --db "$DB" "$@"
}

audit_count() {
	OD audit 2>/dev/null | awk -v a="$1" -v s="$2" -v o="$3" -v obj="$4" \
		'$3 == a && $4 == s && $5 == o && $8 == obj { n++ } END { print n + 0 }'
}

audit_has() {
	[ "$(audit_count "$@")" -gt 0 ]
}

# check_audit DESC A OBJ STEP:OUTCOME...: every listed row exists
check_audit() {
	desc=$1 a=$2 obj=$3
	shift 3
	missing=
	for so in "$@"; do
		audit_has "$a" "${so%%:*}" "${so#*:}" "$obj" || missing="$missing $so"
	done
	if [ -z "$missing" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "missing audit rows for $a $obj:$missing" "$(OD audit 2>&1 | tail -15)"
	fi
}

# config_set YAML: writes config.yaml (empty string: removes it)
config_set() {
	if [ -z "$1" ]; then
		rm -f "$XDG_CONFIG_HOME/opsdeck/config.yaml"
	else
		printf '%s\n' "$1" >"$XDG_CONFIG_HOME/opsdeck/config.yaml"
	fi
}
