#!/bin/sh
# tests/lib/fuzz-smoke.sh BUILD_FUZZ_DIR CORPUS_DIR SECONDS: runs every libFuzzer
# target in BUILD_FUZZ_DIR for SECONDS from a scratch copy of its seeds (the
# source tree stays untouched). Prints TAP and an automake-style summary.
fuzzdir=$1
corpus=$2
secs=${3:-10}
n=0
pass=0
fail=0
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

for t in "$fuzzdir"/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	n=$((n + 1))
	mkdir -p "$work/$name"
	[ -d "$corpus/$name" ] && cp -R "$corpus/$name/." "$work/$name/"
	if "$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/$name-" "$work/$name" >"$work/$name.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok $n - fuzz $name ($(grep -Eo 'Done [0-9]+ runs' "$work/$name.log" | tail -n 1))"
	else
		fail=$((fail + 1))
		echo "not ok $n - fuzz $name"
		tail -n 40 "$work/$name.log" | sed 's/^/# /'
		for a in "$work/$name-"*; do
			[ -f "$a" ] && echo "# crash input (base64): $(base64 -w0 "$a")"
		done
	fi
done
echo "1..$n"
echo "# PASS: $pass"
echo "# FAIL: $fail"
[ "$fail" -eq 0 ]
