#!/usr/bin/env bash
# setup.sh: opsdeck's one entry point on a fresh Debian 12 machine.
#
#   ./setup.sh demo   install what is missing, build, start opsdeck-sim on the
#                     demo scenario and open opsdeck on it
#   ./setup.sh test   install what is missing (test tools too), then run the
#                     whole suite twice: `make distcheck` of a -Werror build,
#                     and a pass built with AddressSanitizer + UBSan; prints
#                     the time of each phase and ends with "N passed, N failed";
#                     then every libFuzzer target runs briefly (make fuzz-smoke)
#   ./setup.sh deps [--test]   only install the Debian packages
#
# Builds go to _build/ so the source tree stays clean for VPATH builds.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

BUILD_PKGS="gcc make autoconf automake libtool pkgconf ca-certificates
 libncurses-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev libyaml-dev
 libmicrohttpd-dev libgnutls28-dev libssl-dev zlib1g-dev"
TEST_PKGS="libcmocka-dev tmux openssl curl procps clang libclang-rt-14-dev python3-yaml sqlite3 prometheus prometheus-alertmanager valgrind"
JOBS=$(nproc 2>/dev/null || echo 2)

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to install packages: run as root or install sudo"
	fi
}

install_pkgs() {
	local missing=() p
	for p in $*; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "Debian packages: all present"
		return 0
	fi
	say "installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -qq
	as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# configure_in DIR FLAGS...: (re)configures an out-of-tree build in DIR.
configure_in() {
	local dir=$1
	shift
	[ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] || ./autogen.sh
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.flags" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$top/configure" "$@" >configure.out 2>&1) ||
			{ tail -n 20 "$dir/configure.out"; die "configure failed in $dir"; }
		echo "$*" >"$dir/.flags"
	fi
}

cmd_demo() {
	install_pkgs $BUILD_PKGS
	configure_in _build/demo
	say "building"
	make -s -C _build/demo -j"$JOBS" >/dev/null
	exec "$top/tests/lib/demo.sh" "$top/_build/demo"
}

# Test totals, summed over the phases from automake's test-suite summaries.
PASSED=0
FAILED=0
PHASE_REPORT=()

count_tests() {
	local log=$1 p f x e
	# awk alone: a missing line must count 0, not fail the pipeline.
	p=$(awk '/^# PASS: /{s+=$3} END {print s+0}' "$log")
	f=$(awk '/^# FAIL: /{s+=$3} END {print s+0}' "$log")
	x=$(awk '/^# XPASS: /{s+=$3} END {print s+0}' "$log")
	e=$(awk '/^# ERROR: /{s+=$3} END {print s+0}' "$log")
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f + x + e))
}

# phase NAME CMD...: runs CMD with its output in _build/NAME.log, timed.
phase() {
	local name=$1 start rc=0 secs
	shift
	start=$(date +%s)
	say "phase $name: $*"
	"$@" >"_build/$name.log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	count_tests "_build/$name.log"
	if [ $rc -ne 0 ]; then
		grep -E '^(FAIL|ERROR|XPASS):' "_build/$name.log" | head -n 50 || true
		tail -n 30 "_build/$name.log"
		# A phase that broke before its tests ran still counts as a failure.
		grep -qE '^# (FAIL|ERROR): +[1-9]' "_build/$name.log" || FAILED=$((FAILED + 1))
	fi
	PHASE_REPORT+=("$(printf '%-10s %4ds  %s' "$name" "$secs" "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
	return 0
}

cmd_test() {
	local t0
	t0=$(date +%s)
	install_pkgs $BUILD_PKGS $TEST_PKGS
	command -v kubectl >/dev/null 2>&1 ||
		say "note: kubectl is not installed; the tests that compare with it will be skipped"
	mkdir -p _build
	configure_in _build/werror --enable-werror
	# distcheck builds the release tarball in a read-only tree and runs the
	# whole suite there, so it is the plain pass; the ASan pass follows.
	phase distcheck make -C _build/werror -j"$JOBS" distcheck \
		DISTCHECK_CONFIGURE_FLAGS=--enable-werror
	configure_in _build/asan --enable-asan --enable-werror
	phase asan make -C _build/asan -j"$JOBS" check \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	configure_in _build/fuzz CC=clang --enable-fuzzing
	phase fuzz make -C _build/fuzz -j"$JOBS" fuzz-smoke
	say "phases:"
	printf '    %s\n' "${PHASE_REPORT[@]}"
	say "total $(($(date +%s) - t0))s"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

case "${1:-}" in
demo) cmd_demo ;;
test) cmd_test ;;
deps)
	if [ "${2:-}" = --test ]; then install_pkgs $BUILD_PKGS $TEST_PKGS; else install_pkgs $BUILD_PKGS; fi
	;;
*)
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
