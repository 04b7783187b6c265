#!/bin/sh
# opsdeck history import: a week of Prometheus text with timestamps (made
# here, as opsdeck-sim's backfill or a Prometheus export writes it) and the
# runbook's hand-kept CSV give back the weekly figures that were generated.
# No cluster is needed: the store alone.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

plan 16
tap_tmpdir
W=$TAP_TMP
HOME=$W/home XDG_CONFIG_HOME=$W/config XDG_STATE_HOME=$W/state XDG_DATA_HOME=$W/data
export HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME
unset KUBECONFIG
mkdir -p "$HOME"
DB=$W/history.db
H() { "$OPSDECK" --db "$DB" --context lab -n home-automation history "$@"; }

# A week at 5-minute steps ending 2026-11-22T00:00:00Z: memory moves in a
# saw-tooth, CPU is a counter whose rate (millicores) follows a pattern.
END=1795305600
POD=matter-server-5d4f8b7c9-x2x7q
awk -v end=$END -v pod=$POD 'BEGIN {
	n = 2016; c = 0
	print "# HELP container_memory_usage_bytes Current memory usage in bytes."
	print "# TYPE container_memory_usage_bytes gauge"
	for (i = 0; i < n; i++) {
		ts = end - (n - 1 - i) * 300
		mem = 150 * 1048576 + (i % 37) * 1048576 + (i % 5) * 4096
		printf "container_memory_usage_bytes{namespace=\"home-automation\",pod=\"%s\",container=\"matter-server\"} %d %d000\n", pod, mem, ts
		msum += mem; if (i == 0 || mem < mmin) mmin = mem; if (mem > mmax) mmax = mem
	}
	print "# TYPE container_cpu_usage_seconds_total counter"
	for (i = 0; i < n; i++) {
		ts = end - (n - 1 - i) * 300
		if (i > 0) { rate = 60 + (i * 7) % 50; c += rate * 3; csum += rate; if (i == 1 || rate < cmin) cmin = rate; if (rate > cmax) cmax = rate }
		printf "container_cpu_usage_seconds_total{namespace=\"home-automation\",pod=\"%s\",container=\"matter-server\"} %d.%d %d000\n", pod, c / 10, c % 10, ts
	}
	# The pod-level cAdvisor row is not a container: it must be skipped.
	printf "container_memory_usage_bytes{namespace=\"home-automation\",pod=\"%s\",container=\"\"} 1 %d000\n", pod, end
	printf "%.6f %d %d\n", msum / n, mmin, mmax > "/dev/stderr"
	printf "%.6f %d %d\n", csum / (n - 1), cmin, cmax > "/dev/stderr"
}' >"$W/week.prom" 2>"$W/expected"
read -r mem_avg mem_min mem_max <<EOT
$(sed -n 1p "$W/expected")
EOT
read -r cpu_avg cpu_min cpu_max <<EOT
$(sed -n 2p "$W/expected")
EOT

out=$(H import "$W/week.prom")
is "$?" 0 "import of a Prometheus week exits 0"
like "$out" '^imported 4031 samples from [0-9]+ lines \([0-9]+ skipped\) of .*week.prom, 2026-11-15T00:05:00Z to 2026-11-22T00:00:00Z' \
	"it says how many samples, and the span"

# jget JSON KEY: a number from the summary object
jget() { printf '%s\n' "$1" | tr -d ' \n\t' | sed -n "s/.*\"summary\":{[^}]*\"$2\":\([-0-9.e+]*\).*/\1/p"; }
# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

j=$(H memory --pod $POD --since 7d -o json)
jmem=$j
near "$(jget "$j" avg)" "$mem_avg" 0.5 && ok "weekly average memory is the generated one ($mem_avg bytes)" ||
	{ not_ok "weekly average memory"; diag "got $(jget "$j" avg), want $mem_avg"; }
is "$(jget "$j" min) $(jget "$j" max)" "$mem_min $mem_max" "weekly min and max memory are the generated ones"
is "$(jget "$j" samples)" 2016 "every sample of the week is behind the figures"
like "$j" '"tier":[[:space:]]*"(5-minute|hourly) rollups"' "a week is read from a rollup tier"

j=$(H cpu deploy/matter-server --since 7d -o json)
near "$(jget "$j" avg)" "$cpu_avg" 0.5 && ok "weekly average CPU of deploy/matter-server is the generated rate ($cpu_avg m)" ||
	{ not_ok "weekly average CPU"; diag "got $(jget "$j" avg), want $cpu_avg"; }
is "$(jget "$j" min) $(jget "$j" max)" "$cpu_min $cpu_max" "weekly min and max CPU are the generated rates"

table=$(H cpu --pod $POD --since 7d --step 1h)
like "$(printf '%s\n' "$table" | tail -1)" "^cpu: min ${cpu_min}m  avg [0-9]+m  p95 [0-9]+m  max ${cpu_max}m  \(16[89] points of 3600s from hourly rollups, 2015 samples\)  expected 50m-200m \(profile matter-server, deployment/matter-server\)$" \
	"the table ends with the summary line, hourly points, and the profile's expected range"

# A window by dates: one day of 5-minute samples.
j=$(H memory --pod $POD --from 2026-11-20 --to 2026-11-21 -o json)
is "$(jget "$j" samples)" 288 "--from/--to: one day holds 288 samples"
j=$(H memory --pod $POD --to 2026-11-21 --since 12h -o json)
is "$(jget "$j" samples)" 144 "--to alone: the window reaches back --since from it"

H import "$W/week.prom" >/dev/null
j2=$(H memory --pod $POD --since 7d -o json)
is "$(jget "$j2" avg) $(jget "$j2" samples)" "$(jget "$jmem" avg) 2016" "importing the same file twice changes no figure"

# The runbook's CSV: one line a day, `date` then kubectl top's CPU and memory.
: >"$W/matter-resources.csv"
for d in 7 6 5 4 3 2 1; do
	ts=$((END - d * 86400 + 40140))
	cpu=$((80 + d * 3))
	echo "$(LC_ALL=C date -u -d "@$ts"),${cpu}m,$((150 + d))Mi" >>"$W/matter-resources.csv"
done
want=$(tail -7 "$W/matter-resources.csv" | awk -F, '{gsub("m","",$2); s += $2} END {printf "%.6f", s / NR}')
out=$(H import "$W/matter-resources.csv" --pod matter-server-csv)
is "$?" 0 "import of the runbook's CSV exits 0"
j=$(H cpu --pod matter-server-csv --since 7d -o json)
near "$(jget "$j" avg)" "$want" 0.001 && ok "its weekly average CPU equals the runbook's tail -7 | awk ($want m)" ||
	{ not_ok "CSV weekly average"; diag "got $(jget "$j" avg), want $want"; }
exit_is 1 "a file that is neither format fails" "$OPSDECK" --db "$DB" --context lab history import /etc/hostname
exit_is 2 "import without any context is a usage error" "$OPSDECK" --db "$DB" history import "$W/week.prom"
