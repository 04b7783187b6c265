#!/bin/sh
# Issue 3, Done-when: every kubectl command in the reference runbooks that
# reads or changes resources the simulator serves works as written against
# the matching scenario, or fails the way kubectl fails against a real
# cluster where the runbook itself is inconsistent. The commands are
# extracted from ../shared/runbooks/*.md at test time
# (tests/sim/runbook_extract.py); the known failures are listed, with the
# error kubectl must print and why, in runbook_commands.expected-failures.
# One simulator per runbook; commands run in the order the runbook gives them.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

RUNBOOKS=$OPSDECK_SRCDIR/../shared/runbooks
EXPECTED=$OPSDECK_SRCDIR/tests/sim/runbook_commands.expected-failures
if [ ! -d "$RUNBOOKS" ]; then
	echo "1..0 # SKIP runbooks not beside the source tree"
	exit 0
fi
REAL_KUBECTL=$(command -v kubectl) || { echo "1..0 # SKIP kubectl not installed"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }

tap_tmpdir
WORK=$TAP_TMP
mkdir -p "$WORK/bin"
# The runbooks call plain `kubectl`: a wrapper puts the sim's kubeconfig in.
cat >"$WORK/bin/kubectl" <<EOF
#!/bin/sh
exec "$REAL_KUBECTL" --kubeconfig "\$RB_KC" --cache-dir "\$RB_CACHE" \${RB_FOLLOW:---request-timeout=20s} "\$@"
EOF
chmod +x "$WORK/bin/kubectl"

found=0 ran=0 passed=0 xfail=0 failed=0 todos=0
: >"$WORK/skips"

scenario_of() {
	case "$1" in
	matter-server-*.md) echo home-automation ;;
	synapse-operations.md) echo matrix ;;
	matrixon-operations.md) echo matrixon ;;
	tapio-maintenance.md) echo tapio-system ;;
	esac
}

# run_cmd FILE: runs one extracted command; output in $WORK/out, status in rc.
# Commands that follow or watch (-f, -w) are stopped after 4 s; that counts as
# success when kubectl printed no error by then.
run_cmd() {
	case " $2 " in
	*" -f "* | *" --follow"* | *" -w "* | *" --watch"*)
		case " $2 " in *" -f - "*) follow= ;; *) follow=1 ;; esac ;;
	*) follow= ;;
	esac
	if [ -n "$follow" ]; then
		PATH="$WORK/bin:$PATH" RB_FOLLOW=--v=0 timeout 4 bash -c "exec $(cat "$1")" \
			>"$WORK/out" 2>&1 </dev/null
		rc=$?
		if [ "$rc" = 124 ] && ! grep -qi '^error' "$WORK/out"; then rc=0; fi
		[ "$rc" = 124 ] && rc=1
	else
		PATH="$WORK/bin:$PATH" timeout 25 bash "$1" >"$WORK/out" 2>&1 </dev/null
		rc=$?
		[ "$rc" = 124 ] && echo "(killed after 25 s)" >>"$WORK/out"
	fi
}

for rb in "$RUNBOOKS"/*.md; do
	name=$(basename "$rb")
	scen=$(scenario_of "$name")
	[ -n "$scen" ] || continue
	mkdir -p "$WORK/$name"
	python3 "$OPSDECK_SRCDIR/tests/sim/runbook_extract.py" "$rb" "$WORK/$name" "$EXPECTED" \
		>"$WORK/$name.records" || { not_ok "$name: extracting its kubectl commands"; continue; }
	if ! sim_start --seed 3 --start-time 2026-03-01T12:00:00Z \
		--scenario "$OPSDECK_SRCDIR/data/sim/$scen.yaml"; then
		not_ok "$name: the simulator starts with scenario $scen"
		continue
	fi
	trap 'sim_cleanup; rm -rf "$WORK"' EXIT
	RB_KC=$KC RB_CACHE=$SIM_TMP/kube-cache
	export RB_KC RB_CACHE
	us=$(printf '\037')
	while IFS="$us" read -r kind line a b c; do
		case "$kind" in
		entry)
			not_ok "runbook_commands.expected-failures:$line: $a: $b"
			;;
		skip)
			found=$((found + 1))
			printf '%s\n' "$a" >>"$WORK/skips"
			skip "$name:$line: $a: $b"
			;;
		assign)
			found=$((found + 1)) ran=$((ran + 1))
			run_cmd "$WORK/$name/cmd.$a" "$c"
			val=$(cat "$WORK/out")
			if [ "$rc" = 0 ] && [ -n "$val" ]; then
				passed=$((passed + 1))
				export "$b=$val"
				ok "$name:$line: $b=\$($c)"
			else
				failed=$((failed + 1))
				not_ok "$name:$line: $b=\$($c)"
				diag "exit $rc" "$val"
			fi
			;;
		run)
			found=$((found + 1)) ran=$((ran + 1))
			want=${b%"$(printf '\036')TODO"}
			todo=
			[ "$want" != "$b" ] && todo=" # TODO $(grep -F "| $want |" "$EXPECTED" | sed -n '1s/.*| TODO //p')"
			# kubectl refuses a second restart of an object within one second
			case "$c" in *"rollout restart"*)
				[ "$(date +%s)" = "${last_restart:-}" ] && sleep 1
				last_restart=$(date +%s) ;;
			esac
			t0=$(date +%s)
			run_cmd "$WORK/$name/cmd.$a" "$c"
			dt=$(($(date +%s) - t0))
			[ "$dt" -ge 10 ] && diag "$name:$line took ${dt}s"
			if [ -z "$want" ]; then
				if [ "$rc" = 0 ]; then
					passed=$((passed + 1))
					ok "$name:$line: $c"
				else
					failed=$((failed + 1))
					not_ok "$name:$line: $c"
					diag "exit $rc:" "$(head -c 2000 "$WORK/out")"
				fi
			elif [ "$rc" != 0 ] && grep -qF -- "$want" "$WORK/out"; then
				if [ -n "$todo" ]; then
					todos=$((todos + 1))
					echo "not ok $((TAP_N + 1)) - $name:$line: fails ($want): $c$todo"
					TAP_N=$((TAP_N + 1))
				else
					xfail=$((xfail + 1))
					ok "$name:$line: fails as listed ($want): $c"
				fi
			elif [ -n "$todo" ] && [ "$rc" = 0 ]; then
				passed=$((passed + 1))
				ok "$name:$line: $c"
			elif [ -n "$todo" ]; then
				todos=$((todos + 1))
				echo "not ok $((TAP_N + 1)) - $name:$line: exit $rc: $c$todo"
				TAP_N=$((TAP_N + 1))
			else
				failed=$((failed + 1))
				not_ok "$name:$line: fails as listed ($want): $c"
				if [ "$rc" = 0 ]; then
					diag "it now succeeds: remove its entry from tests/sim/runbook_commands.expected-failures"
				else
					diag "exit $rc, but without \"$want\":" "$(head -c 2000 "$WORK/out")"
				fi
			fi
			;;
		esac
	done <"$WORK/$name.records"
	sim_stop_check
	rm -rf "$SIM_TMP"
	SIM_TMP=
done

diag "runbook kubectl commands found: $found; run: $ran; passed: $passed;" \
	"expected failures: $xfail; TODO (known sim bugs, timing) failing: $todos;" \
	"unexpected failures: $failed; skipped: $((found - ran))"
sort "$WORK/skips" | uniq -c | sed 's/^ *\([0-9]*\) /  skipped \1: /' | while IFS= read -r l; do diag "$l"; done
plan_done
[ "$TAP_FAILED" = 0 ]
