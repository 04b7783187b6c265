#!/bin/sh
# tests/net/sim_client.sh: the client against opsdeck-sim on 127.0.0.1 over
# HTTPS and HTTP: LIST+WATCH of pods with client-certificate, token and
# exec-plugin auth (the plugin re-run on 401), kubectl's error lines for
# 401/403/404/refused compared with kubectl itself, and the API server's
# clock (the sim starts in 2020, so ages must not use the local clock).
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

PROBE="$OPSDECK_BUILDDIR/tests/net/netprobe"
# OPSDECK_TEST_SIM runs another sim binary (say, a non-ASan one while the client is under ASan)
OPSDECK_SIM=${OPSDECK_TEST_SIM:-$OPSDECK_SIM}
PLUGIN="$OPSDECK_SRCDIR/tests/net/exec-plugin.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-simclient.XXXXXX")
SIM_PIDS=
WATCH_PID=
cleanup() {
	for p in $SIM_PIDS $WATCH_PID; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
# never a proxy: everything here is 127.0.0.1
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

if [ ! -x "$OPSDECK_SIM" ]; then
	echo "1..0 # SKIP opsdeck-sim is not built"
	exit 0
fi
if ! "$OPSDECK_SIM" --help 2>&1 | grep -q -- '--kubeconfig-out'; then
	echo "1..0 # SKIP opsdeck-sim has no --kubeconfig-out yet"
	exit 0
fi
SCENARIO="$OPSDECK_SRCDIR/tests/sim/small.yaml"

# start_sim NAME ARGS...: starts the sim, waits for 'serving', sets URL
start_sim() {
	name=$1
	shift
	"$OPSDECK_SIM" --scenario "$SCENARIO" --kubeconfig-out "$T/$name.yaml" "$@" \
		>"$T/$name.out" 2>&1 &
	SIM_PIDS="$SIM_PIDS $!"
	eval "${name}_PID=$!"
	wait_for 20 grep -q 'serving' "$T/$name.out" || return 1
	URL=$(sed -n 's/^opsdeck-sim: serving //p' "$T/$name.out")
}

if ! start_sim tls --tls --start-time 2020-01-01T00:00:00Z; then
	echo "1..0 # SKIP opsdeck-sim did not start: $(cat "$T/tls.out")"
	exit 0
fi
KC="$T/tls.yaml"
HAVE_KUBECTL=0
command -v kubectl >/dev/null 2>&1 && HAVE_KUBECTL=1

plan 21

# kubectl's last stderr line (it may log discovery errors before it)
kubectl_err() { kubectl "$@" 2>&1 >/dev/null | tail -n 1; }

# --- LIST + WATCH with a client certificate (context sim) ---
out=$("$PROBE" --kubeconfig "$KC" list pods 2>&1)
like "$out" '^synced items=[1-9]' "LIST of pods over HTTPS with a client certificate"
items=$(printf '%s\n' "$out" | sed -n 's/^synced items=//p')
if [ "$HAVE_KUBECTL" = 1 ]; then
	is "$items" "$(kubectl --kubeconfig "$KC" get pods --no-headers 2>/dev/null | wc -l | tr -d ' ')" \
		"as many pods as kubectl lists"
else
	skip "kubectl is not installed"
fi
like "$out" 'lists=1 pages=1 watches=1 ' "then one WATCH from the list's resourceVersion"

"$PROBE" --kubeconfig "$KC" --timeout 30 watch pods 1 >"$T/watch.out" 2>&1 &
WATCH_PID=$!
wait_for 20 grep -q '^synced' "$T/watch.out"
cat >"$T/pod.yaml" <<'EOP'
apiVersion: v1
kind: Pod
metadata:
  name: probe-pod
  labels: {app: probe}
spec:
  containers:
  - name: main
    image: busybox:1.36
EOP
if [ "$HAVE_KUBECTL" = 1 ]; then
	kubectl --kubeconfig "$KC" create -f "$T/pod.yaml" >/dev/null 2>&1
	wait "$WATCH_PID"
	rc=$?
	WATCH_PID=
	is "$rc" 0 "the watch sees a pod created by kubectl"
	like "$(cat "$T/watch.out")" '^ADDED home-automation/probe-pod$' "as an ADDED event"
else
	skip "kubectl is not installed"
	skip "kubectl is not installed"
fi

# the pod cache (compact structs, all namespaces) holds what kubectl lists
out=$("$PROBE" --kubeconfig "$KC" pods 2>&1)
if [ "$HAVE_KUBECTL" = 1 ]; then
	is "$(printf '%s' "$out" | sed -n 's/^pods=\([0-9]*\) .*/\1/p')" \
		"$(kubectl --kubeconfig "$KC" get pods -A --no-headers 2>/dev/null | wc -l | tr -d ' ')" \
		"the pod cache holds every pod kubectl lists in all namespaces"
else
	like "$out" '^pods=[1-9]' "the pod cache fills"
fi

# --- token auth (sim-edit) ---
out=$("$PROBE" --kubeconfig "$KC" --context sim-edit list pods 2>&1)
like "$out" "^synced items=$items|^synced items=$((items + 1))" "LIST+WATCH with a bearer token"

# --- exec plugin: the first token is stale, the 401 re-runs the plugin ---
EDIT_TOKEN=$(sed -n 's/^ *token: \(edit\..*\)$/\1/p' "$KC")
sed -n '1,/^users:/p' "$KC" | sed 's/^current-context: .*/current-context: sim-exec/' >"$T/exec.yaml"
cat >>"$T/exec.yaml" <<EOK
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $PLUGIN
      args: [unused-arg]
      interactiveMode: Never
      env:
      - {name: PLUGIN_MODE, value: badfirst}
      - {name: PLUGIN_TOKEN, value: $EDIT_TOKEN}
      - {name: PLUGIN_COUNT_FILE, value: $T/exec.count}
EOK
sed -i 's/^contexts:$/contexts:\
- name: sim-exec\
  context: {cluster: sim, user: exec-user, namespace: home-automation}/' "$T/exec.yaml"
out=$("$PROBE" --kubeconfig "$T/exec.yaml" list pods 2>&1)
like "$out" '^synced items=' "LIST+WATCH with an exec plugin after a 401"
is "$(wc -l <"$T/exec.count" | tr -d ' ')" 2 "the plugin ran twice: once, then again after the 401"
unlike "$out" 'errors=[1-9]|Unauthorized' "the 401 was absorbed by the re-run"

# --- kubectl's error lines ---
out=$("$PROBE" --kubeconfig "$KC" --context sim-view get /api/v1/namespaces/home-automation/secrets 2>&1)
rc=$?
is "$out" 'Error from server (Forbidden): secrets is forbidden: User "sim-view" cannot list resource "secrets" in API group "" in the namespace "home-automation"' "403 in kubectl's words"
is "$rc" 1 "403 exits 1"
if [ "$HAVE_KUBECTL" = 1 ]; then
	is "$out" "$(kubectl_err --kubeconfig "$KC" --context sim-view get secrets)" "403 line equals kubectl's"
else
	skip "kubectl is not installed"
fi

out=$("$PROBE" --kubeconfig "$KC" get /api/v1/namespaces/home-automation/pods/nope 2>&1)
is "$out" 'Error from server (NotFound): pods "nope" not found' "404 in kubectl's words"
if [ "$HAVE_KUBECTL" = 1 ]; then
	is "$out" "$(kubectl_err --kubeconfig "$KC" get pod nope)" "404 line equals kubectl's"
else
	skip "kubectl is not installed"
fi

sed 's/^\( *token: view\.\).*/\1not-the-token/' "$KC" >"$T/bad.yaml"
out=$("$PROBE" --kubeconfig "$T/bad.yaml" --context sim-view get /api/v1/namespaces/home-automation/pods 2>&1)
is "$out" 'error: You must be logged in to the server (Unauthorized)' "401 in kubectl's words"
if [ "$HAVE_KUBECTL" = 1 ]; then
	is "$out" "$(kubectl_err --kubeconfig "$T/bad.yaml" --context sim-view get pods)" "401 line equals kubectl's"
else
	skip "kubectl is not installed"
fi

# --- the API server's clock: the sim lives in 2020 ---
out=$("$PROBE" --kubeconfig "$KC" clock 2>&1)
skew=$(printf '%s' "$out" | sed -n 's/^skew_ms=\(-*[0-9]*\) known=1$/\1/p')
now_ms=$(($(date +%s) * 1000))
want=$((1577836800000 - now_ms))
diff=$((skew - want))
[ "${diff#-}" -lt 600000 ] && ok "the skew to the server's clock comes from its Date header" ||
	{ not_ok "the skew to the server's clock comes from its Date header"; diag "$out (want about $want)"; }

# --- plain HTTP ---
if start_sim plain; then
	out=$("$PROBE" --kubeconfig "$T/plain.yaml" list pods 2>&1)
	like "$out" '^synced items=[1-9]' "LIST+WATCH over plain HTTP"
else
	not_ok "LIST+WATCH over plain HTTP"
	diag "$(cat "$T/plain.out")"
fi

# --- refused: the sim is gone ---
kill "$tls_PID"
wait "$tls_PID" 2>/dev/null
HOSTPORT=${URL#*://}
HOSTPORT=$(sed -n 's|^ *server: https://||p' "$KC")
out=$("$PROBE" --kubeconfig "$KC" get /api/v1/pods 2>&1)
is "$out" "The connection to the server $HOSTPORT was refused - did you specify the right host or port?" \
	"refused in kubectl's words"
if [ "$HAVE_KUBECTL" = 1 ]; then
	is "$out" "$(kubectl_err --kubeconfig "$KC" get pods)" "refused line equals kubectl's"
else
	skip "kubectl is not installed"
fi
