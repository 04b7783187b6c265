# tests/runbook/rb-lib.sh: what the runbook shell tests share. Source after
# tests/lib/tap.sh and tests/sim/sim-lib.sh: a private state and config
# directory (the history store and the test profile), and `od` (opsdeck on
# the sim's kubeconfig).

SEED="$OPSDECK_BUILDDIR/tests/runbook/seed_store"

# rb_setup: private XDG dirs with the test profile installed as a user profile.
rb_setup() {
	RB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-rb-test.XXXXXX")
	XDG_STATE_HOME=$RB_TMP/state
	XDG_CONFIG_HOME=$RB_TMP/config
	export XDG_STATE_HOME XDG_CONFIG_HOME
	mkdir -p "$XDG_CONFIG_HOME/opsdeck/profiles" "$XDG_STATE_HOME"
	cp "$OPSDECK_SRCDIR/tests/runbook/data/profiles/rbtest.yaml" "$XDG_CONFIG_HOME/opsdeck/profiles/"
	DB=$RB_TMP/history.db
	export DB
}

rb_cleanup() {
	sim_cleanup
	[ -n "$RB_TMP" ] && rm -rf "$RB_TMP"
}

# rb_sim_start ARGS...: the test scenario, cleaned up at exit with everything else.
rb_sim_start() {
	sim_start --scenario "$OPSDECK_SRCDIR/tests/runbook/data/rbtest.yaml" "$@" || return 1
	trap rb_cleanup EXIT
}

od() {
	"$OPSDECK" --kubeconfig "$KC" --db "$DB" "$@"
}

# item_line REPORT ID-TEXT: the report's line for an item (by its text).
item_line() {
	printf '%s\n' "$1" | grep -F -- "$2" | head -1
}
