#!/bin/sh
# --pods N (issue 4): generated namespaces with N pods in all, realistic
# objects (4-6 KB of JSON each), Running and Ready, with metrics. The
# figures at 10,000 pods are in bench/sim_bench.sh (make bench-sim).
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

exit_is 2 "--pods rejects a negative count" "$OPSDECK_SIM" --pods -1
sim_start --seed 2 --pods 250 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
is "$(K get ns --no-headers | grep -c '^load-')" 3 "250 pods make three load- namespaces"
is "$(K get pods -A --no-headers | grep -c '^load-')" 250 "with 250 pods in all"
is "$(K get pods -n load-002 --no-headers | grep -vc ' 2/2 *Running ')" 0 "all Running and Ready"
sim_curl /api/v1/namespaces/load-001/pods >"$SIM_TMP/l.json"
is "$(python3 -c '
import json
items = json.load(open("'"$SIM_TMP"'/l.json"))["items"]
sizes = [len(json.dumps(i, separators=(",", ":"))) for i in items]
print("ok" if len(items) == 100 and min(sizes) >= 4096 and max(sizes) <= 6144 else (len(items), min(sizes), max(sizes)))')" \
	ok "each pod is 4 to 6 KB of JSON"
like "$(K top pods -n load-000 --no-headers 2>&1 | head -1)" '^[a-z-]+-[a-z0-9]+-[a-z0-9]+ +[0-9]+m +[0-9]+Mi' \
	"the generated pods have metrics"
sim_stop_check
plan_done
