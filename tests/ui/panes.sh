#!/bin/sh
# Trends and Logs screen tests (headless dumps compared with golden files,
# which change only through `make update-golden`):
#   Trends: six hours of generated Prometheus history imported into a
#   temporary store with `opsdeck history import` (a memory leak with a
#   restart, a filling volume); the synapse profile's expected range is the
#   band. Logs: a replayed three-pod stream (OPSDECK_LOGS_REPLAY).
# Also: the saved log file is mode 0600 and holds every line.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

src=$OPSDECK_SRCDIR/tests/ui
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-panes.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

export LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME="$work/config" OPSDECK_DATADIR="$OPSDECK_SRCDIR"
export XDG_STATE_HOME="$work/state"
unset NO_COLOR KUBECONFIG OPSDECK_LOGS_REPLAY
now=1795100000
common="--context demo --replay-pods $src/panes/pods.tsv --now $now"

sh "$src/panes/gen-history.sh" "$now" >"$work/history.prom"
if "$OPSDECK" --context demo history import "$work/history.prom" >"$work/import.out" 2>&1; then
	ok "generated history imports"
else
	not_ok "generated history imports"
	sed 's/^/# /' "$work/import.out"
fi

# run NAME SCRIPT [env...]: runs a script in $work/NAME (the cwd, where saves go).
run() {
	name=$1 script=$2
	shift 2
	args=$(sed -n 's/^# opsdeck-args: //p' "$script")
	mkdir -p "$work/$name/dump"
	# shellcheck disable=SC2086
	if (cd "$work/$name" && env ${1+"$@"} "$OPSDECK" $common $args --headless-script "$script" \
		--screen-dump "$work/$name/dump" 2>"$work/$name.err"); then
		ok "$name: the script runs to its end"
	else
		not_ok "$name: the script runs to its end"
		sed 's/^/# /' "$work/$name.err"
		return
	fi
	for dump in "$work/$name"/dump/*.txt; do
		base=$(basename "$dump")
		golden=$src/golden/$base
		if [ "${OPSDECK_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$dump" "$golden"
			ok "$name: $base written to the golden file"
		elif [ ! -f "$golden" ]; then
			not_ok "$name: $base has a golden file (run make update-golden)"
		elif cmp -s "$dump" "$golden"; then
			ok "$name: $base matches its golden file"
		else
			not_ok "$name: $base matches its golden file"
			diff -u "$golden" "$dump" | sed 's/^/# /'
		fi
	done
}

run trends "$src/panes/trends.script"
run trends-small "$src/panes/trends-small.script"
run trends-ascii "$src/panes/trends-ascii.script"
run logs "$src/panes/logs.script" OPSDECK_LOGS_REPLAY="$src/panes/logs.tsv"

# What the screens must show, whatever the golden files say.
d=$work/trends/dump
grep -q 'MEM .*expected 4Gi-6Gi' "$d/panes-trends-memleak.txt" &&
	ok "the memory chart names the profile's expected range" ||
	not_ok "the memory chart names the profile's expected range"
grep -q '·' "$d/panes-trends-memleak.txt" &&
	ok "the expected band is drawn" || not_ok "the expected band is drawn"
grep -q '^│ *\^' "$d/panes-trends-memleak.txt" &&
	ok "the restart is marked on the time axis" ||
	not_ok "the restart is marked on the time axis"
grep -q 'of 12Gi, full in ~' "$d/panes-trends-pvc.txt" &&
	ok "the filling volume gets a forecast" || not_ok "the filling volume gets a forecast"
d=$work/logs/dump
grep -q 'ERROR|WARN' "$d/panes-logs-filter.txt" && ! grep -q ' INFO ' "$d/panes-logs-filter.txt" &&
	ok "the filter keeps only matching lines" || not_ok "the filter keeps only matching lines"
grep -q '"rooms": ' "$d/panes-logs-json.txt" && grep -q '^│ *}' "$d/panes-logs-json.txt" &&
	ok "JSON lines are pretty-printed" || not_ok "JSON lines are pretty-printed"
grep -Eq '^│ +[0-9]+  <ts> ERROR db timeout after <n>s \(conn <ip>\)' "$d/panes-logs-summary.txt" &&
	ok "the error summary groups masked lines with counts" ||
	not_ok "the error summary groups masked lines with counts"
saved=$(ls "$work/logs"/opsdeck-logs-*.log 2>/dev/null | head -1)
if [ -n "$saved" ] && [ "$(stat -c %a "$saved")" = 600 ] &&
	[ "$(wc -l <"$saved")" -eq "$(wc -l <"$src/panes/logs.tsv")" ]; then
	ok "save writes every line to a 0600 file"
else
	not_ok "save writes every line to a 0600 file ($saved)"
fi
for dump in "$work"/trends/dump/*.txt; do
	w=$(wc -L <"$dump")
	[ "$w" -le 120 ] || not_ok "$(basename "$dump") is $w columns wide"
done
if grep -q '[_|-]' "$work/trends-ascii/dump/panes-ascii-trends.txt" &&
	! grep -q "$(printf '\342\240')" "$work/trends-ascii/dump/panes-ascii-trends.txt"; then
	ok "--ascii charts use no braille"
else
	not_ok "--ascii charts use no braille"
fi
for dump in "$work"/logs/dump/*.txt "$work"/trends-small/dump/*.txt \
	"$work"/trends-ascii/dump/*.txt; do
	w=$(wc -L <"$dump")
	[ "$w" -le 80 ] || not_ok "$(basename "$dump") is $w columns wide"
done
ok "no dumped line is wider than its screen"

plan_done
[ "$TAP_FAILED" -eq 0 ]
