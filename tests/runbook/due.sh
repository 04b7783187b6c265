#!/bin/sh
# Due state from the schedule (UTC) and finished runs, shown in the local
# time zone, across day, week and month boundaries: `opsdeck due --now T`.
# rbtest's schedules: daily 00:00, weekly sunday 02:00, monthly first
# saturday 06:00 (UTC). 2026-11-22 is a Sunday; the first Saturdays of
# October, November and December 2026 are the 3rd, 7th and 5th.
. "${OPSDECK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/runbook/rb-lib.sh"

rb_setup
trap 'rm -rf "$RB_TMP"' EXIT
KC=$RB_TMP/no-kubeconfig
export KC

due() { TZ=$1 "$OPSDECK" --kubeconfig "$KC" --db "$DB" due --profile rbtest --now "$2"; }
badge() { due "$1" "$2" | grep "^rbtest: $3 " ; }

"$SEED" "$DB" run rbtest healthy alice 2026-11-22T08:10:00Z 2026-11-22T08:12:00Z >/dev/null
is "$(badge UTC 2026-11-22T08:30:00Z healthy)" "rbtest: healthy done 08:12 by alice" "done today, UTC display"
is "$(badge America/New_York 2026-11-22T08:30:00Z healthy)" "rbtest: healthy done 03:12 by alice" "the same run in New York time"
is "$(badge Asia/Tokyo 2026-11-22T08:30:00Z healthy)" "rbtest: healthy done 17:12 by alice" "and in Tokyo time"
is "$(badge UTC 2026-11-22T23:59:00Z healthy)" "rbtest: healthy done 08:12 by alice" "still done at 23:59 UTC"
is "$(badge UTC 2026-11-23T00:01:00Z healthy)" "rbtest: healthy due" "due one minute after the next day's slot (00:00 UTC)"
is "$(badge UTC 2026-11-24T00:30:00Z healthy)" "rbtest: healthy overdue 1d" "overdue a day after a missed slot"

"$SEED" "$DB" run rbtest wk dave 2026-11-16T02:50:00Z 2026-11-16T03:00:00Z >/dev/null
is "$(badge UTC 2026-11-22T01:59:00Z wk)" "rbtest: wk done Mon 03:00 by dave" "weekly: done until Sunday 02:00 UTC"
is "$(badge UTC 2026-11-22T02:01:00Z wk)" "rbtest: wk due" "weekly: due right after the Sunday slot"
is "$(badge UTC 2026-11-23T03:00:00Z wk)" "rbtest: wk overdue 1d" "weekly: overdue a day later"

"$SEED" "$DB" run rbtest mo erin 2026-10-03T06:50:00Z 2026-10-03T07:00:00Z >/dev/null
is "$(badge UTC 2026-11-07T05:59:00Z mo)" "rbtest: mo done 2026-10-03 by erin" "monthly: done until the first Saturday 06:00"
is "$(badge UTC 2026-11-07T06:30:00Z mo)" "rbtest: mo due" "monthly: due after the first Saturday's slot"
is "$(badge UTC 2026-11-22T08:30:00Z mo)" "rbtest: mo overdue 15d" "monthly: overdue 15 days"
exit_is 1 "due exits 1 when something is overdue" due UTC 2026-11-24T00:30:00Z

"$SEED" "$DB" run rbtest wk dave 2026-11-22T02:50:00Z 2026-11-22T03:00:00Z >/dev/null
"$SEED" "$DB" run rbtest mo erin 2026-11-07T06:50:00Z 2026-11-07T07:00:00Z >/dev/null
exit_is 0 "due exits 0 when everything is done" due UTC 2026-11-22T08:30:00Z
is "$(badge UTC 2026-11-23T01:00:00Z wk)" "rbtest: wk done Sun 03:00 by dave" "another day shows the weekday"
is "$(badge America/Los_Angeles 2026-11-22T09:00:00Z wk)" "rbtest: wk done Sat 19:00 by dave" "local display crosses the day boundary (Los Angeles)"
is "$(badge UTC 2026-12-05T05:00:00Z mo)" "rbtest: mo done 2026-11-07 by erin" "month boundary: done before December's first Saturday"
is "$(badge UTC 2026-12-05T06:30:00Z mo)" "rbtest: mo due" "month boundary: due on 5 December 06:30"
is "$(badge UTC 2026-12-06T07:00:00Z mo)" "rbtest: mo overdue 1d" "month boundary: overdue a day later"
is "$(due UTC 2026-11-22T08:30:00Z | grep -c '^rbtest: ')" 3 "one badge per scheduled checklist"

plan_done
exit $((TAP_FAILED > 0))
