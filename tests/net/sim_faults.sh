#!/bin/sh
# tests/net/sim_faults.sh: the client under opsdeck-sim's API faults, over
# HTTPS on 127.0.0.1, driven by tests/net/netprobe (and opsdeck/kubectl for
# the wording): 429 and 503 with Retry-After are retried and the GET then
# succeeds (retries counted in the client's debug log; the fault's count=N
# makes it strike exactly N times); a 500 without Retry-After is not retried;
# an ERROR 410 on the watch makes the informer relist; truncated and malformed
# LIST bodies give a clear error and exit 1; dropped watches resume from the
# last resourceVersion without a relist; 2 s of latency with a 1 s request
# timeout times out.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

PROBE="$OPSDECK_BUILDDIR/tests/net/netprobe"
NS=home-automation
P=/api/v1/namespaces/$NS/pods
# never a proxy: everything here is 127.0.0.1
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

if [ ! -x "$OPSDECK_SIM" ]; then
	echo "1..0 # SKIP opsdeck-sim is not built"
	exit 0
fi
if ! command -v kubectl >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl is not installed"
	exit 0
fi

BG_PID=
cleanup() {
	[ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null
	sim_cleanup
}
sim_start --tls --auth token --seed 5 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! no sim"; exit 1; }
trap cleanup EXIT

post_fault() {
	sim_curl /sim/faults -X POST -H 'Content-Type: application/json' \
		-d "{\"fault\":\"$1\"}" -o /dev/null -w '%{http_code}'
}
clear_faults() { sim_curl /sim/faults -X DELETE -o /dev/null -w '%{http_code}'; }
# kubectl's last stderr line (it may log discovery errors before it)
kubectl_err() { K "$@" 2>&1 >/dev/null | tail -n 1; }
no_crash() {
	unlike "$(cat "$1")" 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation' "$2"
}
# retries FILE: the client's "retrying GET" lines in a debug log
retries() { grep -c 'INFO http: retrying GET ' "$1" 2>/dev/null; }

# --- (1), (2): 429 and 503 with Retry-After are retried, then the GET succeeds ---
for f in "429:retryAfter=1" "5xx:code=503,retryAfter=1"; do
	code=${f%%:*}
	[ "$code" = 5xx ] && code=503
	is "$(post_fault "api:${f%%:*}:${f#*:},count=2,path=/pods")" 201 "$code: fault posted (strikes twice)"
	log=$SIM_TMP/retry-$code.log
	OPSDECK_DEBUG_LOG=$log "$PROBE" --kubeconfig "$KC" get "$P" >"$SIM_TMP/out-$code" 2>"$SIM_TMP/err-$code"
	rc=$?
	is "$rc" 0 "$code with Retry-After: the GET succeeds in the end"
	like "$(head -c 200 "$SIM_TMP/out-$code")" '^\{"kind":"PodList"' "$code: with the real PodList"
	is "$(retries "$log")" 2 "$code: after exactly two retries (client log)"
	like "$(grep 'retrying GET' "$log" | head -1)" "retrying GET $P in 1000 ms \\(attempt 1, Retry-After\\)" \
		"$code: each one Retry-After's 1 s later"
	like "$(sim_curl /sim/faults)" '"struck":2' "$code: the sim answered $code twice"
	clear_faults >/dev/null
done

# --- 500 without Retry-After: no retry, kubectl's words ---
post_fault "api:5xx:code=500,path=/pods" >/dev/null
unlike "$(sim_curl "$P" -i | sed '/^\r*$/q')" 'Retry-After' "500: the sim sends no Retry-After"
log=$SIM_TMP/retry-500.log
out=$(OPSDECK_DEBUG_LOG=$log "$PROBE" --kubeconfig "$KC" get "$P" 2>&1)
rc=$?
is "$out" 'Error from server (InternalError): an error on the server ("") has prevented the request from succeeding' \
	"500 without Retry-After: kubectl's wording"
is "$rc" 1 "500 without Retry-After: exit 1"
is "$(retries "$log")" 0 "500 without Retry-After: not retried"
is "$out" "$(kubectl_err get pods -n $NS)" "500: the line equals kubectl's"
clear_faults >/dev/null

# --- (3): an ERROR 410 on the watch makes the informer relist ---
post_fault "api:410:count=1,path=/pods" >/dev/null
log=$SIM_TMP/410.log
out=$(OPSDECK_DEBUG_LOG=$log "$PROBE" --kubeconfig "$KC" --lists 2 list pods 2>&1)
rc=$?
is "$rc" 0 "410: the informer syncs again"
like "$out" ' lists=2 .* expired=1 ' "410: one expired watch, then a second LIST (lists=2)"
like "$(cat "$log")" 'pods: watch expired \(410\), relisting' "410: the client logs the relist"
clear_faults >/dev/null

# --- (4): truncated and malformed bodies: a clear error, exit 1, no crash ---
for kind in truncated malformed; do
	post_fault "api:$kind:path=/pods" >/dev/null
	"$PROBE" --kubeconfig "$KC" --fail-fast list pods >/dev/null 2>"$SIM_TMP/err-$kind"
	rc=$?
	is "$rc" 1 "$kind: netprobe's informer exits 1"
	like "$(head -n 1 "$SIM_TMP/err-$kind")" \
		'^error: LIST pods: (truncated JSON from the server \([0-9]+ bytes, cut off mid-object\)|malformed JSON from the server at byte [0-9]+ of [0-9]+)$' \
		"$kind: the LIST error names the broken JSON"
	no_crash "$SIM_TMP/err-$kind" "$kind: no crash in the informer"
	"$OPSDECK" --kubeconfig "$KC" get pods >/dev/null 2>"$SIM_TMP/cli-$kind"
	rc=$?
	is "$rc" 1 "$kind: opsdeck get pods exits 1"
	like "$(cat "$SIM_TMP/cli-$kind")" "^error: the server's response: (truncated|malformed) JSON from the server" \
		"$kind: opsdeck get pods says so"
	no_crash "$SIM_TMP/cli-$kind" "$kind: no crash in opsdeck get"
	clear_faults >/dev/null
done
# the sim halves the body, so the truncated one is cut mid-document
like "$(cat "$SIM_TMP/err-malformed")" 'malformed JSON from the server at byte 7 of ' \
	"malformed: the broken byte is named (the first ':' became '=')"
like "$(cat "$SIM_TMP/err-truncated")" 'truncated JSON from the server' "truncated: called truncated"

# --- (5): dropped watches resume from the last resourceVersion, no relist ---
post_fault "api:drop-watch:count=3,path=/pods" >/dev/null
"$PROBE" --kubeconfig "$KC" --timeout 60 --until "DELETED $NS/fault-probe" watch pods 1 \
	>"$SIM_TMP/watch.out" 2>"$SIM_TMP/watch.err" &
BG_PID=$!
wait_for 30 grep -q '^synced' "$SIM_TMP/watch.out"
dropped() { sim_curl /sim/faults | grep -q '"struck":3'; }
DESC="drop-watch: the sim dropped three watches"
if wait_for 30 dropped; then ok "$DESC"; else not_ok "$DESC"; fi
cat >"$SIM_TMP/pod.yaml" <<'EOP'
apiVersion: v1
kind: Pod
metadata:
  name: fault-probe
spec:
  containers:
  - name: main
    image: busybox:1.36
EOP
K create -n $NS -f "$SIM_TMP/pod.yaml" >/dev/null 2>&1
wait_for 30 grep -q "^ADDED $NS/fault-probe" "$SIM_TMP/watch.out"
K delete -n $NS pod fault-probe --grace-period=0 --force >/dev/null 2>&1
wait "$BG_PID"
rc=$?
BG_PID=
w=$(cat "$SIM_TMP/watch.out")
is "$rc" 0 "drop-watch: the watch sees the pod created and deleted after the drops"
like "$w" "^ADDED $NS/fault-probe$" "drop-watch: ADDED arrives on the resumed watch"
like "$w" "DELETED $NS/fault-probe$" "drop-watch: DELETED arrives on the resumed watch"
unlike "$w" "^(ADDED|MODIFIED|DELETED) [^ ]*/([^f]|f[^a])" \
	"drop-watch: no other pod replayed (resumed from the last resourceVersion)"
like "$w" ' lists=1 .*rewatches=3 expired=0 ' "drop-watch: three resumes and no relist (lists=1)"
no_crash "$SIM_TMP/watch.err" "drop-watch: no crash"
clear_faults >/dev/null

# --- (6): 2 s of latency on every call, --request-timeout 1s ---
post_fault "api:latency:ms=2000" >/dev/null
t0=$(date +%s%N)
out=$("$PROBE" --kubeconfig "$KC" --timeout 1 get "$P" 2>&1)
rc=$?
t1=$(date +%s%N)
is "$rc" 1 "latency: the GET fails"
like "$out" '^Unable to connect to the server: ' "latency: in kubectl's words"
like "$out" 'Client.Timeout exceeded|timed out|deadline' "latency: naming the timeout"
ms=$(((t1 - t0) / 1000000))
DESC="latency: after the 1 s timeout, not the 2 s answer ($ms ms)"
if [ "$ms" -ge 900 ] && [ "$ms" -lt 2000 ]; then ok "$DESC"; else not_ok "$DESC"; fi
kout=$(kubectl --kubeconfig "$KC" --request-timeout=1s get pods -n $NS 2>&1 >/dev/null | tail -n 1)
like "$kout" '^Unable to connect to the server: ' "latency: kubectl says the same kind of thing"
# kubectl's own line depends on which of Go's two timers fires first: the
# client's ("net/http: request canceled (Client.Timeout exceeded while
# awaiting headers)") or the request context's ("context deadline exceeded").
like "$out" '^Unable to connect to the server: (net/http: request canceled \(Client\.Timeout exceeded while awaiting headers\)|context deadline exceeded)$' \
	"latency: the line is one kubectl prints (Go's net/http wording)"
diag "kubectl said: $kout"
out=$("$OPSDECK" --kubeconfig "$KC" --request-timeout 1s get pods 2>&1)
rc=$?
is "$rc" 1 "latency: opsdeck get pods --request-timeout 1s exits 1"
like "$out" '^Unable to connect to the server: ' "latency: opsdeck get pods says so in kubectl's words"
clear_faults >/dev/null

# --- watches dropped at once, every time: back off, as client-go does ---
# A watch that ends within a second having delivered nothing is a failure;
# without the backoff the informer re-watched ~15,000 times a second.
post_fault "api:drop-watch:path=/pods" >/dev/null
out=$("$PROBE" --kubeconfig "$KC" --timeout 4 watch pods 1000 2>/dev/null | tail -n 1)
n=$(printf '%s\n' "$out" | sed -n 's/.* watches=\([0-9]*\).*/\1/p')
DESC="drop-watch every time: the informer backs off (${n:-?} watches in 4 s)"
if [ -n "$n" ] && [ "$n" -ge 2 ] && [ "$n" -le 12 ]; then ok "$DESC"; else not_ok "$DESC"; diag "$out"; fi
clear_faults >/dev/null

is "$(sim_curl /sim/faults)" '{"faults":[]}' "all faults cleared"
sim_stop_check
plan_done
