#!/bin/sh
# Headless screen tests: each tests/ui/scripts/*.script runs the real
# dashboard on a virtual screen (--headless-script) over a fixed pod dump and
# a pinned clock; every screen it dumps must equal tests/ui/golden/NAME.txt.
# Golden files change only through `make update-golden` (OPSDECK_UPDATE_GOLDEN=1).
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

src=$OPSDECK_SRCDIR/tests/ui
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-screen.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

export LC_ALL=C.UTF-8 TZ=UTC XDG_CONFIG_HOME="$work/config" OPSDECK_DATADIR="$OPSDECK_SRCDIR"
# No history database: the user's own must not show through (Trends reads it).
export XDG_STATE_HOME="$work/state"
unset NO_COLOR KUBECONFIG
now=1795100000
common="--context demo --replay-pods $src/data/pods.tsv --now $now"

for script in "$src"/scripts/*.script; do
	name=$(basename "$script" .script)
	args=$(sed -n 's/^# opsdeck-args: //p' "$script")
	mkdir -p "$work/$name"
	# shellcheck disable=SC2086
	if "$OPSDECK" $common $args --headless-script "$script" --screen-dump "$work/$name" \
		2>"$work/$name.err"; then
		ok "$name: the script runs to its end"
	else
		not_ok "$name: the script runs to its end"
		sed 's/^/# /' "$work/$name.err"
		continue
	fi
	for dump in "$work/$name"/*.txt; do
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
done

# Every screen stays within its size: no line is wider than the terminal.
for dump in "$work"/grid/*.txt; do
	w=$(wc -L <"$dump")
	[ "$w" -le 120 ] || { not_ok "$(basename "$dump") is $w columns wide"; continue; }
done
ok "no dumped line is wider than the screen"

# Without a UTF-8 locale the screen is ASCII on its own: the same as --ascii.
mkdir -p "$work/clocale"
LC_ALL=C "$OPSDECK" $common --size 80x24 --headless-script "$src/scripts/ascii.script" \
	--screen-dump "$work/clocale" 2>/dev/null
if cmp -s "$work/clocale/ascii-small.txt" "$src/golden/ascii-small.txt" &&
	cmp -s "$work/clocale/ascii-grid.txt" "$src/golden/ascii-grid.txt"; then
	ok "in the C locale the screen is the ASCII one"
else
	not_ok "in the C locale the screen is the ASCII one"
	diff -u "$src/golden/ascii-small.txt" "$work/clocale/ascii-small.txt" | sed 's/^/# /'
fi

# :ctx completes the kubeconfig's contexts and refuses unknown ones.
mkdir -p "$work/ctx"
printf 'key :\ntype ctx kind-\nkey Tab\ndump ctx-list\ntype s\nkey Tab\ndump ctx-one\nkey Enter\ndump ctx-switched\nkey :\ntype ctx nope\nkey Enter\ndump ctx-unknown\n' >"$work/ctx.script"
KUBECONFIG=$src/data/kubeconfig "$OPSDECK" $common --size 100x30 --headless-script "$work/ctx.script" \
	--screen-dump "$work/ctx" 2>/dev/null
like "$(tail -n 1 "$work/ctx/ctx-list.txt")" '^:ctx kind-  kind-prod  kind-staging' ":ctx Tab lists the contexts"
like "$(tail -n 1 "$work/ctx/ctx-one.txt")" '^:ctx kind-staging$' ":ctx Tab completes a unique context"
like "$(head -n 1 "$work/ctx/ctx-switched.txt")" 'ctx kind-staging' ":ctx switches the context in the status bar"
like "$(tail -n 1 "$work/ctx/ctx-unknown.txt")" 'no context named "nope"' ":ctx refuses a context the kubeconfig does not have"

# A broken user theme is reported as FILE:LINE on the bottom line, and the old theme stays.
mkdir -p "$work/config/opsdeck/themes" "$work/bad"
printf 'statusbar black cyan\nstatus.failed red bogus\n' >"$work/config/opsdeck/themes/broken.theme"
printf 'key :\ntype theme broken\nkey Enter\ndump bad-theme\n' >"$work/bad.script"
"$OPSDECK" $common --size 100x30 --headless-script "$work/bad.script" --screen-dump "$work/bad" 2>/dev/null
like "$(tail -n 1 "$work/bad/bad-theme.txt")" 'broken.theme:2: unknown colour or attribute "bogus"' \
	"a broken theme is reported as FILE:LINE: problem"

# A broken user keymap stops the start with FILE:LINE, before the screen is touched.
printf 'q quit\nx explode\n' >"$work/config/opsdeck/keymap"
err=$("$OPSDECK" $common --headless-script "$work/bad.script" --screen-dump "$work/bad" 2>&1)
rc=$?
is "$rc" 2 "a broken keymap is a configuration error (exit 2)"
like "$err" 'opsdeck/keymap:2: unknown action "explode"' "a broken keymap is reported as FILE:LINE: problem"
rm -f "$work/config/opsdeck/keymap"

# A bad script line is reported with its line number.
printf 'key j\nfrobnicate\n' >"$work/bad2.script"
err=$("$OPSDECK" $common --headless-script "$work/bad2.script" --screen-dump "$work/bad" 2>&1)
like "$err" 'bad2.script:2: unknown script command "frobnicate"' "script errors name FILE:LINE"

# Without a terminal the dashboard says so and exits 2 instead of drawing into a pipe.
err=$("$OPSDECK" --replay-pods "$src/data/pods.tsv" </dev/null 2>&1 | cat)
like "$err" 'needs a terminal' "without a terminal the dashboard explains itself"
exit_is 2 "without a terminal the exit code is 2" sh -c "\"$OPSDECK\" </dev/null >/dev/null 2>&1"

plan_done
[ "$TAP_FAILED" -eq 0 ]
