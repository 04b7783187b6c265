#!/bin/sh
# A checklist run killed halfway resumes where it stopped: the sim is
# stopped (SIGSTOP) so the run's probe hangs after its two manual items are
# committed; the run is killed with SIGKILL; the next `opsdeck check`
# resumes the same run, keeps the two items as they were and measures the
# rest. Also: an unfinished run older than the resume window starts afresh
# unless --resume is given; --new always starts afresh.
. "${OPSDECK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/runbook/rb-lib.sh"

rb_setup
rb_sim_start || { echo "1..0 # SKIP the sim did not start"; exit 0; }
wait_for 30 sh -c "kubectl --kubeconfig '$KC' -n rbtest get pods -l app=web --no-headers 2>/dev/null | grep -q '1/1 *Running'"

items() { "$SEED" "$DB" items "$1" 2>/dev/null; }
count_items() { test "$(items "$1" | grep -c .)" -ge "$2"; }

kill -STOP "$SIM_PID"
# not through the od function: $! must be opsdeck itself, not a subshell
"$OPSDECK" --kubeconfig "$KC" --db "$DB" check slow --profile rbtest --operator bob \
	>"$RB_TMP/first.out" 2>"$RB_TMP/first.err" &
CHECK_PID=$!
trap 'kill -9 $CHECK_PID 2>/dev/null; kill -CONT $SIM_PID 2>/dev/null; rb_cleanup' EXIT
if wait_for 30 count_items 1 2; then
	ok "the two manual items are committed before the hanging probe"
else
	not_ok "the two manual items are committed before the hanging probe"
fi
kill -9 "$CHECK_PID"
wait "$CHECK_PID" 2>/dev/null
kill -CONT "$SIM_PID"
before=$(items 1)
is "$(printf '%s\n' "$before" | awk '{print $1, $2}')" "first SKIPPED
second SKIPPED" "the killed run holds exactly the committed items"

out=$(od check slow --profile rbtest --operator bob 2>"$RB_TMP/second.err")
rc=$?
is "$rc" 0 "the resumed run finishes: exit 0"
like "$(cat "$RB_TMP/second.err")" 'resumed run 1: 2 of 4 items kept' "it says it resumed run 1 with 2 items kept"
like "$out" 'Run: 1 ' "the report is of run 1"
like "$(item_line "$out" 'Health endpoint')" '^- \[x\] Health endpoint: HTTP 200' "the probe ran this time"
after=$(items 1)
is "$(printf '%s\n' "$after" | grep -E '^(first|second) ')" "$before" "kept items are unchanged (same result and decision time)"
is "$(printf '%s\n' "$after" | awk '{print $1, $2}' | tr '\n' ' ')" "first SKIPPED second SKIPPED probe PASS pods PASS " "all four items are in run 1"
like "$out" 'Completed by: bob' "the resumed run is finished with its operator"

# A finished run is not resumed.
out=$(od check slow --profile rbtest 2>"$RB_TMP/third.err")
like "$out" 'Run: 2 ' "after a finished run, a new run starts"
unlike "$(cat "$RB_TMP/third.err")" 'resumed' "and it is not called resumed"

# An open run older than the window (12h) starts afresh; --resume takes it.
old=$(( $(date -u +%s) - 13 * 3600 ))
id=$("$SEED" "$DB" run rbtest slow carol "$old" 0)
out=$(od check slow --profile rbtest 2>"$RB_TMP/fourth.err")
unlike "$out" "Run: $id " "an unfinished run 13h old is not resumed by default"
id2=$("$SEED" "$DB" run rbtest slow carol "$old" 0)
out=$(od check slow --profile rbtest --resume 2>"$RB_TMP/fifth.err")
like "$out" "Run: $id2 " "--resume takes the unfinished run whatever its age"
like "$(cat "$RB_TMP/fifth.err")" "resumed run $id2: 0 of 4" "--resume says so"

recent=$(( $(date -u +%s) - 60 ))
id3=$("$SEED" "$DB" run rbtest slow carol "$recent" 0)
out=$(od check slow --profile rbtest --new 2>/dev/null)
unlike "$out" "Run: $id3 " "--new never resumes"

# Manual items answered up front, and the free-text sections.
out=$(od check slow --profile rbtest --new --set first=42 --note first="counted twice" --set second= \
	--issues "probe was slow" --notes "all fine otherwise" 2>/dev/null)
like "$(item_line "$out" 'First manual item')" '^- \[x\] First manual item: 42$' "--set records a manual item as done with its value"
like "$out" '  - note: counted twice' "--note is kept with it"
like "$(item_line "$out" 'Second manual item')" '^- \[x\] Second manual item$' "--set ITEM= records it done without a value"
like "$out" '- \[x\] probe was slow' "--issues goes under Issues Identified"
like "$out" 'all fine otherwise' "--notes goes under Notes"
exit_is 2 "--set of an item that is not manual: exit 2" od check slow --profile rbtest --new --set probe=1
exit_is 2 "--set of an unknown item: exit 2" od check slow --profile rbtest --new --set nosuch=1
exit_is 2 "--set outside the item's choices: exit 2" od check healthy --profile rbtest --new --set manual=maybe
out=$(od check healthy --profile rbtest --new --set manual=yes 2>/dev/null)
like "$(item_line "$out" 'Devices respond')" '^- \[x\] Devices respond: yes$' "--set with one of the item's choices"

plan_done
exit $((TAP_FAILED > 0))
