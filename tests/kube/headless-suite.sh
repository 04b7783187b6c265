# tests/kube/headless-suite.sh (with SIM_MODE set): opsdeck's headless
# commands (get, describe, logs, top) compared byte for byte with kubectl on
# the same opsdeck-sim: stdout, stderr and exit status. SIM_MODE is http,
# tls-cert (client certificate), tls-token (bearer token) or tls-exec (the
# token comes from an exec credential plugin, a test script). Sourced by
# headless_http.sh, headless_tls_cert.sh, headless_tls_token.sh and
# headless_tls_exec.sh.

. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

case "$SIM_MODE" in
http) FLAGS= ;;
tls-cert) FLAGS="--tls --auth cert" ;;
tls-token | tls-exec) FLAGS="--tls --auth token" ;;
*) echo "Bail out! unknown mode $SIM_MODE"; exit 1 ;;
esac

if ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl is not installed"
	exit 0
fi

# shellcheck disable=SC2086
if ! sim_start $FLAGS --seed 5 --start-time 2026-01-10T12:00:00Z \
	--scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" \
	--manifests "$OPSDECK_SRCDIR/tests/kube/headless/objects.yaml"; then
	echo "Bail out! the simulator did not start"
	exit 1
fi
if [ "$SIM_MODE" = tls-exec ]; then
	# the admin's token moves from the kubeconfig into a plugin that prints it
	token=$(sim_token sim-admin)
	cat >"$SIM_TMP/cred-plugin" <<PLUGIN
#!/bin/sh
echo run >>"$SIM_TMP/cred-plugin.runs"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$token"
PLUGIN
	chmod +x "$SIM_TMP/cred-plugin"
	# an absolute command (kubectl config set-credentials would store it relative)
	awk -v t="    token: $token" -v cmd="$SIM_TMP/cred-plugin" '
		$0 == t { print "    exec:"; print "      apiVersion: client.authentication.k8s.io/v1";
			  print "      command: " cmd; print "      interactiveMode: Never"; next }
		{ print }' "$KC" >"$KC.exec" && mv "$KC.exec" "$KC"
	if grep -q "token: $token" "$KC"; then
		echo "Bail out! the token is still in the kubeconfig"
		exit 1
	fi
fi
. "$OPSDECK_SRCDIR/tests/kube/headless-lib.sh"
NS=home-automation

# --- get: pods from opsdeck's printer rules, other types from the server Table ---
same "get pods -n" get pods -n $NS
same "get pods -A" get pods -A
same "get pods -A -o wide" get pods -A -o wide
same "get pods --no-headers" get pods -n $NS --no-headers
same "get pods -l (set-based)" get pods -A -l 'app.kubernetes.io/name in (home-assistant,matter-server)'
same "get pods --field-selector" get pods -A --field-selector status.phase=Running
same "get pods -o name" get pods -A -o name
same "get pods -o json (a List, 4-space indent, sorted keys)" get pods -n $NS -o json
same "get pods -o yaml" get pods -n $NS -o yaml
same "get pod NAME" get pod crashy -n default
same "get pod NAME -o wide (crashloop, restarts ago)" get pod crashy -n default -o wide
same "get pod NAME -o json" get pod crashy -n default -o json
same "get pod NAME -o yaml" get pod crashy -n default -o yaml
same "get pod/NAME" get pod/crashy -n default
for t in deploy sts ds rs jobs cj pvc pv events svc ns no cm; do
	same "get $t -A" get $t -A
done
same "get deploy -o wide" get deploy -n $NS -o wide
same "get deploy NAME -o yaml" get deploy home-assistant -n $NS -o yaml
same "get sts -o json" get sts -A -o json
same "get pvc -o name" get pvc -A -o name
same "get deploy,sts,pods (one table per type, kind/name)" get deploy,sts,pods -n $NS
same "get deploy,pods --no-headers" get deploy,pods -A --no-headers
same "get deploy,sts -o json (one List)" get deploy,sts -A -o json
same "get deploy,sts -o name" get deploy,sts -A -o name
same "get deploy,pvc NAME: the errors after what was found" get deploy,pvc home-assistant -n $NS
same "get pods -o name in an empty namespace prints nothing" get pods -n empty-ns -o name
same "get pod missing: NotFound wording, exit 1" get pod nosuch -n $NS
same "get in an empty namespace: No resources found" get pods -n empty-ns
same "get unknown type: kubectl's wording" get frobnicators
is "$O_RC" 1 "an unknown type exits 1"
O get pods -o nonsense >/dev/null 2>&1
is "$?" 2 "a bad -o is a usage error (2)"
for c in get describe logs top; do
	like "$(O $c --help)" "^Usage: opsdeck $c " "$c --help prints its usage (exit 0)"
done
O logs >/dev/null 2>&1
is "$?" 2 "logs without a pod is a usage error (2)"

# --- describe pod ---
for p in $(K get pods -n $NS -o name); do
	same "describe ${p#pod/}" describe pod "${p#pod/}" -n $NS
done
# kubectl ages events on the local clock, opsdeck on the API server's: compare
# everything above the events table, and the table against literal ages.
run_both describe pod crashy -n default
sed '/^Events:/,$d' "$OUT.k1" >"$OUT.k1.top"
sed '/^Events:/,$d' "$OUT.o1" >"$OUT.o1.top"
if cmp -s "$OUT.k1.top" "$OUT.o1.top" && [ -s "$OUT.o1.top" ] && [ "$K_RC$O_RC" = 00 ]; then
	ok "describe crashy: containers, state, last state, resources, conditions, volumes"
else
	not_ok "describe crashy: containers, state, last state, resources, conditions, volumes"
	diff "$OUT.k1.top" "$OUT.o1.top" | head -20 | sed 's/^/# /'
fi
is "$(sed -n '/^Events:/,$p' "$OUT.o1")" "Events:
  Type     Reason   Age                 From     Message
  ----     ------   ----                ----     -------
  Warning  BackOff  20m (x30 over 90m)  kubelet  Back-off restarting failed container app in pod crashy_default(11111111)
  Normal   Pulled   15m                 kubelet  Container image \"example/app:1.2\" already present on machine" \
	"describe crashy: events sorted by last time, aged on the API server's clock"
like "$(sed -n '/^Events:/,$p' "$OUT.k1" | sed -n 4,5p | awk '{print $2}' | tr '\n' ' ')" \
	'^BackOff Pulled $' "kubectl sorts the events the same way"
same "describe pod missing" describe pod nosuch -n $NS

# --- logs ---
POD=$(K get pods -n $NS -l app.kubernetes.io/name=matter-server -o jsonpath='{.items[0].metadata.name}')
same_live "logs --tail" logs "$POD" -n $NS --tail 5
same_live "logs --tail --timestamps" logs "$POD" -n $NS --tail 3 --timestamps
same_logs "logs --since" logs "$POD" -n $NS --since 2s
same_logs "logs --since-time" logs "$POD" -n $NS --since-time 2026-01-10T11:59:59Z
same_live "logs deploy/NAME (kubectl's pod choice and its 'Found N pods' line)" \
	logs deploy/home-assistant -n $NS --tail 2
same "logs of a pod with several containers: kubectl's Defaulted container line" logs crashy -n default
same "logs --previous of the crashlooping container" logs crashy -n default --previous
# kubectl visits the containers in map order, stopping at the first error unless
# --ignore-errors: compare that form, stdout and stderr each sorted
n=0
while [ $n -lt 20 ]; do
	run_both logs crashy -n default --all-containers --prefix --tail 2 --ignore-errors
	for f in "$OUT.k1" "$OUT.k2" "$OUT.o1" "$OUT.o2"; do
		sort "$f" >"$f.s" && mv "$f.s" "$f"
	done
	both_equal && break
	n=$((n + 1))
done
report "logs --all-containers --prefix --ignore-errors"
same_live "logs -c sidecar --tail" logs crashy -n default -c sidecar --tail 4
same "logs --previous without a previous container" logs "$POD" -n $NS --previous
same "logs -c unknown container" logs "$POD" -n $NS -c nope
same "logs of a missing pod" logs nosuch -n $NS
same "logs deploy/missing" logs deploy/nosuch -n $NS
same "logs -l with no pods" logs -n $NS -l app=none
same "logs -f -l beyond --max-log-requests" logs -f -n $NS -l app.kubernetes.io/name --max-log-requests 1
# several pods: kubectl visits them in map order, so compare the sorted lines
n=0
while [ $n -lt 8 ]; do
	K logs -n $NS -l app.kubernetes.io/name=home-assistant --prefix --tail 3 | sort >"$OUT.k1"
	O logs -n $NS -l app.kubernetes.io/name=home-assistant --prefix --tail 3 | sort >"$OUT.o1"
	cmp -s "$OUT.k1" "$OUT.o1" && break
	n=$((n + 1))
done
if cmp -s "$OUT.k1" "$OUT.o1" && [ "$(grep -c '^\[pod/home-assistant-' "$OUT.o1")" = 9 ]; then
	ok "logs -l --prefix: the same lines, 3 from each pod"
else
	not_ok "logs -l --prefix: the same lines, 3 from each pod"
	diff "$OUT.k1" "$OUT.o1" | head -10 | sed 's/^/# /'
fi
like "$(O logs "$POD" -n $NS --tail 50 --grep 'subscription refreshed' | head -1)" \
	'subscription refreshed$' "--grep keeps matching lines"
unlike "$(O logs "$POD" -n $NS --tail 50 --grep 'subscription refreshed')" \
	'Starting' "--grep drops the others, no colour when not a terminal"

# -f on a selector picks up a pod that appears later
"$OPSDECK" --kubeconfig "$KC" logs -f -n $NS -l app.kubernetes.io/name=home-assistant \
	--prefix --tail 1 --max-log-requests 10 >"$OUT.follow" 2>"$OUT.follow.err" &
FPID=$!
wait_for 20 grep -q '^\[pod/home-assistant-' "$OUT.follow"
before=$(K get pods -n $NS -l app.kubernetes.io/name=home-assistant -o name | sort)
K scale deploy/home-assistant -n $NS --replicas=4 >/dev/null
wait_for 30 sh -c "[ \$(kubectl --kubeconfig '$KC' get pods -n $NS -l app.kubernetes.io/name=home-assistant -o name | wc -l) -ge 4 ]"
after=$(K get pods -n $NS -l app.kubernetes.io/name=home-assistant -o name | sort)
new=$(printf '%s\n' "$after" | grep -vxF "$before" | head -1)
new=${new#pod/}
if [ -n "$new" ] && wait_for 30 grep -q "^\[pod/$new/" "$OUT.follow"; then
	ok "logs -f -l follows a pod that appeared later ($new)"
else
	not_ok "logs -f -l follows a pod that appeared later"
	diag "new pod: $new" "$(tail -5 "$OUT.follow")" "$(cat "$OUT.follow.err")"
fi
kill "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null

# settled REPLICAS: the deployment and its pods are at REPLICAS, all ready and none terminating
settled() {
	[ "$(K get deploy home-assistant -n $NS -o jsonpath='{.status.readyReplicas}/{.status.replicas}')" = "$1/$1" ] &&
		[ "$(K get pods -n $NS -l app.kubernetes.io/name=home-assistant --no-headers | grep -c ' 1/1 *Running ')" = "$1" ] &&
		[ "$(K get pods -n $NS -l app.kubernetes.io/name=home-assistant --no-headers | grep -c .)" = "$1" ]
}

# --- get -w while kubectl scales a deployment ---
wait_for 60 settled 4 || diag "home-assistant did not settle at 4 replicas"
# started without the K/O functions, so that $! is the client itself and kill stops it
kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" get pods -n $NS -w >"$OUT.kw" 2>&1 &
KW=$!
"$OPSDECK" --kubeconfig "$KC" get pods -n $NS -w >"$OUT.ow" 2>&1 &
OW=$!
wait_for 20 sh -c "grep -q '^NAME' '$OUT.kw' && grep -q '^NAME' '$OUT.ow'"
K scale deploy/home-assistant -n $NS --replicas=2 >/dev/null
# the two removed pods end as Terminating rows in both streams
wait_for 30 sh -c "[ \$(grep -c Terminating '$OUT.kw') -ge 2 ] && [ \$(grep -c Terminating '$OUT.ow') -ge 2 ]"
wait_for 10 sh -c "[ \$(wc -l <'$OUT.kw') = \$(wc -l <'$OUT.ow') ]"
kill "$KW" "$OW" 2>/dev/null
wait "$KW" "$OW" 2>/dev/null
# AGE is the last column: kubectl's comes from the server at event time, so
# compare the rows without it (the columns before it keep their widths)
cut -c1-60 "$OUT.kw" | sed 's/ *$//' >"$OUT.kw.c"
cut -c1-60 "$OUT.ow" | sed 's/ *$//' >"$OUT.ow.c"
if cmp -s "$OUT.kw.c" "$OUT.ow.c" && grep -q Terminating "$OUT.ow"; then
	ok "get pods -w streams the same rows as kubectl while scaling down"
else
	not_ok "get pods -w streams the same rows as kubectl while scaling down"
	diff -a "$OUT.kw" "$OUT.ow" | head -20 | sed 's/^/# /'
fi

wait_for 60 settled 2 || diag "home-assistant did not settle at 2 replicas"
OUT=$OUT.deploy
kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" get deploy -n $NS -w >"$OUT.kw" 2>&1 &
KW=$!
"$OPSDECK" --kubeconfig "$KC" get deploy -n $NS -w >"$OUT.ow" 2>&1 &
OW=$!
wait_for 20 sh -c "grep -q '^NAME' '$OUT.kw' && grep -q '^NAME' '$OUT.ow'"
K scale deploy/home-assistant -n $NS --replicas=3 >/dev/null
wait_for 30 sh -c "grep -q '^home-assistant *3/3' '$OUT.kw' && grep -q '^home-assistant *3/3' '$OUT.ow'"
kill "$KW" "$OW" 2>/dev/null
wait "$KW" "$OW" 2>/dev/null
if cmp -s "$OUT.kw" "$OUT.ow" && grep -q '^home-assistant *3/3' "$OUT.ow"; then
	ok "get deploy -w (server Table rows) equals kubectl's while scaling up"
else
	not_ok "get deploy -w (server Table rows) equals kubectl's while scaling up"
	diff -a "$OUT.kw" "$OUT.ow" | head -20 | sed 's/^/# /'
fi

# -w -o yaml|json: each object printed on its own (YAML after "---"), not as a List
ndeploy=$(K get deploy -n $NS -o name | grep -c .)
for fmt in yaml json; do
	kubectl --kubeconfig "$KC" --cache-dir "$SIM_TMP/kube-cache" get deploy -n $NS -w -o $fmt \
		>"$OUT.kw.$fmt" 2>&1 &
	KW=$!
	"$OPSDECK" --kubeconfig "$KC" get deploy -n $NS -w -o $fmt >"$OUT.ow.$fmt" 2>&1 &
	OW=$!
	# the last line of each object: "}" in JSON, status.updatedReplicas (the last key) in YAML
	last='^}$'
	[ $fmt = yaml ] && last='^  updatedReplicas:'
	wait_for 20 sh -c "[ \$(grep -c '$last' '$OUT.kw.$fmt') -ge $ndeploy ] &&
		[ \$(grep -c '$last' '$OUT.ow.$fmt') -ge $ndeploy ]"
	kill "$KW" "$OW" 2>/dev/null
	wait "$KW" "$OW" 2>/dev/null
	if cmp -s "$OUT.kw.$fmt" "$OUT.ow.$fmt" && [ -s "$OUT.ow.$fmt" ]; then
		ok "get -w -o $fmt prints the objects one by one, as kubectl"
	else
		not_ok "get -w -o $fmt prints the objects one by one, as kubectl"
		diff -a "$OUT.kw.$fmt" "$OUT.ow.$fmt" | head -10 | sed 's/^/# /'
	fi
done

# --- top ---
if sim_curl /apis/metrics.k8s.io/v1beta1 -o /dev/null -w '%{http_code}' | grep -q '^200$'; then
	same_live "top pods" top pods -n $NS
	same_live "top pods -A --containers" top pods -A --containers
	same_live "top pods -A --sort-by cpu" top pods -A --sort-by cpu
	same_live "top pods -l" top pods -n $NS -l app.kubernetes.io/name=home-assistant
	same_live "top nodes" top nodes
	same_live "top nodes --sort-by memory" top nodes --sort-by memory
	same "top pods in an empty namespace" top pods -n empty-ns
else
	skip "top: the sim serves no metrics.k8s.io (error: Metrics API not available)"
	same "top pods without a metrics API: kubectl's error" top pods -n $NS
fi

if [ "$SIM_MODE" = tls-exec ]; then
	rm -f "$SIM_TMP/cred-plugin.runs"
	O get pods -n $NS >/dev/null
	is "$(grep -c . "$SIM_TMP/cred-plugin.runs" 2>/dev/null)" 1 \
		"opsdeck ran the exec plugin once for its requests"
fi

plan_done
[ "$TAP_FAILED" = 0 ]
