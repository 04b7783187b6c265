#!/bin/sh
# `opsdeck report weekly` on an imported week of history (Prometheus text
# generated here: CPU rising 80m -> 92m, memory drifting, a restart and an
# hour not ready mid-week, a claim growing 10Mi a day), plus seeded runs,
# audit rows and an archived Warning event, against a checked-in expected
# file. The week is fixed with --end and the time zone with TZ, so nothing
# in the report depends on the clock. `make update-golden` rewrites the file
# (OPSDECK_UPDATE_GOLDEN=1). Also `opsdeck report run ID` in both forms.
. "${OPSDECK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/runbook/rb-lib.sh"

rb_setup
trap 'rm -rf "$RB_TMP"' EXIT
KC=$RB_TMP/no-kubeconfig
TZ=UTC
export KC TZ
GOLDEN=$OPSDECK_SRCDIR/tests/runbook/golden/weekly-rbtest.md
END=2026-11-22T00:00:00Z
end=$(date -u -d "$END" +%s)
start=$((end - 7 * 86400))

# One sample every 5 minutes for the week before END (%.0f: mawk's %d is 32-bit).
awk -v start="$start" -v end="$end" 'BEGIN {
	cpu = 0; mi = 1048576
	for (t = start; t < end; t += 300) {
		d = (t - start) / 86400
		cpu += (0.080 + 0.002 * d) * 300
		ms = t * 1000
		p = "namespace=\"rbtest\",pod=\"web-5d8f9c7b4-abcde\",container=\"web\""
		printf "container_cpu_usage_seconds_total{%s} %.6f %.0f\n", p, cpu, ms
		printf "container_memory_usage_bytes{%s} %.0f %.0f\n", p, 100 * mi + int(d * 2 * mi), ms
		printf "kube_pod_container_status_restarts_total{%s} %.0f %.0f\n", p, (d >= 3 ? 2 : 0), ms
		ready = (d >= 3 && d < 3 + 1 / 24) ? 0 : 1
		printf "kube_pod_status_ready{namespace=\"rbtest\",pod=\"web-5d8f9c7b4-abcde\",condition=\"true\"} %.0f %.0f\n", ready, ms
		v = "namespace=\"rbtest\",persistentvolumeclaim=\"web-data\""
		printf "kubelet_volume_stats_used_bytes{%s} %.0f %.0f\n", v, 200 * mi + int(d * 10 * mi), ms
		printf "kubelet_volume_stats_capacity_bytes{%s} %.0f %.0f\n", v, 1024 * mi, ms
	}
}' >"$RB_TMP/week.prom"

"$SEED" "$DB" import "$RB_TMP/week.prom" sim "$END" || diag "import failed"
for day in 15 16 17 19 21; do
	"$SEED" "$DB" run rbtest healthy alice "2026-11-${day}T08:00:00Z" "2026-11-${day}T08:05:00Z" >/dev/null
done
"$SEED" "$DB" run rbtest healthy bob 2026-11-20T08:00:00Z 0 >/dev/null
"$SEED" "$DB" run rbtest wk dave 2026-11-16T03:00:00Z 2026-11-16T03:20:00Z >/dev/null
"$SEED" "$DB" audit 2026-11-18T10:00:00Z restart deployment/web rbtest ok alice
"$SEED" "$DB" audit 2026-11-19T11:30:00Z scale deployment/web rbtest refused bob
"$SEED" "$DB" audit 2026-11-19T12:00:00Z restart deployment/other elsewhere ok carol
"$SEED" "$DB" event uid-1 sim rbtest Warning BackOff Pod web-5d8f9c7b4-abcde 3 2026-11-19T04:00:00Z "Back-off restarting failed container web"

out=$("$OPSDECK" --kubeconfig "$KC" --db "$DB" --context sim report weekly --profile rbtest \
	--end "$END" --no-cluster)
is "$?" 0 "report weekly exits 0"
if [ "${OPSDECK_UPDATE_GOLDEN:-}" = 1 ]; then
	printf '%s\n' "$out" >"$GOLDEN"
	ok "golden file rewritten: $GOLDEN"
elif [ "$out" = "$(cat "$GOLDEN")" ]; then
	ok "weekly report matches $GOLDEN"
else
	not_ok "weekly report matches $GOLDEN"
	printf '%s\n' "$out" | diff -u "$GOLDEN" - | sed 's/^/# /'
fi
like "$out" '^# Runner Test Weekly Health Report - 2026-11-22' "titled like the runbook's report"
like "$out" '- \[x\] deployment/web CPU weekly average: 8[0-9]m \(target: <200m\)' "CPU weekly average against the profile's range"
like "$out" 'restarts this week: 2' "restarts from history"
like "$out" '\| web-data \| [0-9]+Mi \| 1Gi \|' "storage from history"
like "$out" 'restart deployment/web: ok' "actions from the audit log"
unlike "$out" 'deployment/other' "actions of other namespaces are left out"
like "$out" '\| healthy \| 7 \| 5 \| 1 \|' "checklist completion: 5 of 7 daily runs, 1 unfinished"

out=$("$OPSDECK" --kubeconfig "$KC" --db "$DB" --context sim report weekly --profile rbtest \
	--end "$END" --no-cluster --out "$RB_TMP/w.md")
is "$(head -1 "$RB_TMP/w.md")" "# Runner Test Weekly Health Report - 2026-11-22" "--out writes the file"
is "$out" "" "and nothing to stdout"

out=$("$OPSDECK" --kubeconfig "$KC" --db "$DB" report run 1)
like "$out" '^# Runner Test Healthy - 2026-11-15' "report run: the run's checklist title and date"
like "$out" 'Completed by: alice' "report run: operator"
out=$("$OPSDECK" --kubeconfig "$KC" --db "$DB" report run 6)
like "$out" 'Not finished: resume with `opsdeck check healthy --profile rbtest --resume`' "report run of an unfinished run says how to resume"
like "$("$OPSDECK" --kubeconfig "$KC" --db "$DB" report run 1 -o json)" '"operator":[[:space:]]*"alice"' "report run -o json"
exit_is 1 "report run of a missing run: exit 1" "$OPSDECK" --kubeconfig "$KC" --db "$DB" report run 999
exit_is 2 "report without a subcommand: exit 2" "$OPSDECK" --kubeconfig "$KC" --db "$DB" report

plan_done
exit $((TAP_FAILED > 0))
