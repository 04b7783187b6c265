# tests/lib/tap.sh: a small TAP producer for shell tests. Source it, call
# plan N (or plan_done at the end), then ok/not_ok/is/like/skip.
#
#   . "$OPSDECK_SRCDIR/tests/lib/tap.sh"
#   plan 2
#   is "$(opsdeck --version)" "opsdeck 0.1.0" "version prints"
#
# Every helper prints one TAP line; failures print diagnostics as "# " lines.

TAP_N=0
TAP_FAILED=0
: "${OPSDECK_BUILDDIR:=$(pwd)}"
: "${OPSDECK_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
OPSDECK="$OPSDECK_BUILDDIR/opsdeck"
OPSDECK_SIM="$OPSDECK_BUILDDIR/opsdeck-sim"

plan() { echo "1..$1"; }
plan_done() { echo "1..$TAP_N"; }

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP $1"
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# is GOT WANT DESC: exact string equality
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "got:" "$1" "want:" "$2"
	fi
}

# like GOT REGEX DESC: extended regular expression match
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		not_ok "$3"
		diag "got:" "$1" "want a match for: $2"
	fi
}

# unlike GOT REGEX DESC
unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		not_ok "$3"
		diag "got:" "$1" "want no match for: $2"
	else
		ok "$3"
	fi
}

# exit_is CODE DESC CMD...: runs CMD and checks its exit status
exit_is() {
	want=$1
	desc=$2
	shift 2
	"$@" >/dev/null 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit status $got, want $want: $*"
	fi
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; 1 on timeout
wait_for() {
	deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

# tap_tmpdir: makes a private directory, removed when the test exits, and
# sets TAP_TMP to it. Call it directly, not inside $(...): a command
# substitution is a subshell, whose exit would remove the directory at once.
#   tap_tmpdir; work=$TAP_TMP
tap_tmpdir() {
	TAP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-test.XXXXXX") || return 1
	trap 'rm -rf "$TAP_TMP"' EXIT
}
