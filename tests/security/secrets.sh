#!/bin/sh
# tests/security/secrets.sh: every headless command and the dashboard (the
# headless screen mode and a real tmux terminal) against opsdeck-sim over
# HTTPS with three kinds of credentials: a client certificate and key
# (sim-admin), a bearer token (sim-edit) and an exec plugin that takes a
# secret argument and prints a token that is nowhere else (sim-exec). Then
# the token, the key (its base64 and its PEM body), the plugin's argument,
# the plugin's token and a Secret's value must not appear in the debug logs,
# the database (sqlite3 .dump and raw bytes), reports written by --out, the
# evidence directory and tarball, the screen dumps or the commands' output.
# The test first shows that the same greps find each secret where it does
# belong (the kubeconfig, the plugin, the API). Also: files 0600 and
# directories 0700; a wrong CA fails closed as kubectl does; the exec plugin
# gets exactly client-go's environment.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"

if ! command -v kubectl >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl or sqlite3 is not installed"
	exit 0
fi
umask 022 # opsdeck must not rely on the caller's umask
sim_start --tls --auth cert --seed 5 --start-time 2026-01-10T12:00:00Z \
	--scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" ||
	{ echo "Bail out! the simulator did not start"; exit 1; }
T=$SIM_TMP/sec
# every helper process is ended at exit, even after an abort: the tmux server
# of the dashboard tests and the TLS recorder of the wrong-CA tests
EVIL_PID= sock=
sec_cleanup() {
	[ -n "$EVIL_PID" ] && kill "$EVIL_PID" 2>/dev/null
	[ -n "$sock" ] && tmux -L "$sock" kill-server 2>/dev/null
	sim_cleanup
}
trap sec_cleanup EXIT
mkdir -p "$T/out" "$T/log" "$T/reports" "$T/dumps"
XDG_CONFIG_HOME=$T/cfg
XDG_STATE_HOME=$T/state
XDG_CACHE_HOME=$T/cache
export XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME
NS=home-automation

# --- the secrets -------------------------------------------------------------
TOKEN=$(sim_token sim-edit)
KEY_B64=$(sed -n 's/^ *client-key-data: //p' "$KC")
KEY_PEM_LINE=$(printf '%s' "$KEY_B64" | base64 -d | sed -n 2p)
EXEC_ARG=Xa9-exec-argument-secret-5523
EXEC_TOKEN=$(sim_token sim-view)
SECRET_VALUE=Zq8-SecurityTestValue-4711
SECRET_B64=$(printf '%s' "$SECRET_VALUE" | base64)
K -n $NS create secret generic db-creds --from-literal=password=$SECRET_VALUE >/dev/null 2>&1
is "$?" 0 "a Secret with a known value in the namespace"

# sim-view's token moves from the kubeconfig into an exec plugin that needs
# the secret argument and dumps its environment
cat >"$T/plugin" <<PLUGIN
#!/bin/sh
[ "\$1" = --secret ] && [ "\$2" = "$EXEC_ARG" ] || { echo "bad argument" >&2; exit 3; }
n=\$(ls "$T/env" 2>/dev/null | wc -l)
mkdir -p "$T/env"
env -0 >"$T/env/\$n"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$EXEC_TOKEN"
PLUGIN
chmod 700 "$T/plugin"
awk -v t="    token: $EXEC_TOKEN" -v cmd="$T/plugin" -v a="$EXEC_ARG" '
	$0 == t { print "    exec:"; print "      apiVersion: client.authentication.k8s.io/v1";
		  print "      command: " cmd; print "      args: [\"--secret\", \"" a "\"]";
		  print "      env:"; print "      - name: PLUGIN_EXTRA"; print "        value: from-kubeconfig";
		  print "      interactiveMode: Never"; next }
	{ sub(/^- name: sim-view$/, "- name: sim-view"); print }' "$KC" >"$KC.x" && mv "$KC.x" "$KC"
chmod 600 "$KC"

# Every secret, one per line, as grep -F patterns.
printf '%s\n' "$TOKEN" "$KEY_B64" "$KEY_PEM_LINE" "$EXEC_ARG" "$EXEC_TOKEN" \
	"$SECRET_VALUE" "$SECRET_B64" >"$T/patterns"
# the long base64 key also as pieces, in case something cuts or wraps it
printf '%s' "$KEY_B64" | cut -c 20-60 >>"$T/patterns"
printf '%s' "$KEY_PEM_LINE" | cut -c 10-40 >>"$T/patterns"

# --- the greps find each secret where it belongs --------------------------------
grep -qF "$TOKEN" "$KC" && grep -qF "$KEY_B64" "$KC" && grep -qF "$EXEC_ARG" "$KC"
is "$?" 0 "the grep finds the token, the client key and the exec argument in the kubeconfig"
printf '%s' "$KEY_B64" | base64 -d | grep -qF "$KEY_PEM_LINE"
is "$?" 0 "the grep finds the key's PEM body in the decoded key"
grep -qF "$EXEC_TOKEN" "$T/plugin" && ! grep -qF "$EXEC_TOKEN" "$KC"
is "$?" 0 "the plugin's token is in the plugin only, not in the kubeconfig"
K -n $NS get secret db-creds -o yaml | grep -qF "$SECRET_B64"
is "$?" 0 "the grep finds the Secret's value in the API's answer"
K --context sim-view -n $NS get pods >/dev/null 2>&1
is "$?" 0 "kubectl authenticates through the exec plugin"

# --- every command, with each credential ----------------------------------------
N=0
FAILS=
# run CTX ARGS...: opsdeck with its own debug log; output kept for the scan
run() {
	ctx=$1
	shift
	N=$((N + 1))
	"$OPSDECK" --kubeconfig "$KC" --context "$ctx" --request-timeout=30s \
		--debug-log "$T/log/$N.log" "$@" >"$T/out/$N.out" 2>"$T/out/$N.err" </dev/null
	rc=$?
	echo "$N $ctx $rc $*" >>"$T/commands"
	case $rc in 0 | 1) ;; *) FAILS="$FAILS
$ctx $* -> $rc: $(head -c 300 "$T/out/$N.err")" ;; esac
}
# run_secret_out CTX ARGS...: as run, for commands whose stdout is the Secret
# the user asked for (kubectl prints it too); stdout is not scanned, the log is
run_secret_out() {
	run "$@"
	mv "$T/out/$N.out" "$T/secret-output.$N"
}

POD=$(K -n $NS get pods -o name | sed -n 's|^pod/||p' | head -1)
for ctx in sim sim-edit sim-view; do
	run $ctx -n $NS get pods
	run $ctx get pods -A -o wide
	run $ctx -n $NS get pods -o yaml
	run $ctx -n $NS get deploy,sts,svc,pvc
	run $ctx -A get secrets
	run_secret_out $ctx -n $NS get secret db-creds -o json
	run $ctx -n $NS describe pod "$POD"
	run $ctx -n $NS logs deploy/home-assistant --tail 20
	run $ctx -n $NS top pods
	run $ctx -n $NS collect --once
	run $ctx -n $NS history cpu deploy/home-assistant --since 1h
	run $ctx -n $NS events --since 1h
	run $ctx -n $NS check daily --profile matter-server --operator sec \
		--out "$T/reports/check-$ctx.md"
	run $ctx -n $NS triage -A
	run $ctx -n $NS restart deploy/home-assistant --dry-run
	run $ctx -n $NS scale deploy/home-assistant --replicas 1 --dry-run
	run $ctx -n $NS snapshot pvc/home-assistant-config --dry-run
	run $ctx -n $NS audit
	run $ctx -n $NS audit --verify
	run $ctx -n $NS handoff --since 12h --out "$T/reports/handoff-$ctx.md"
	run $ctx config view
	run $ctx config get-contexts
done
# real actions with the certificate and the token users (sim-view may not)
run sim -n $NS restart deploy/home-assistant --yes
run sim-edit -n $NS scale deploy/home-assistant --replicas 1 --yes
run sim -n $NS snapshot pvc/home-assistant-config --yes
run sim-edit -n $NS restart deploy/home-assistant --yes
# runs and reports
RUN_ID=$(sqlite3 "$XDG_STATE_HOME/opsdeck/history.db" 'select max(id) from checklist_runs' 2>/dev/null)
[ -n "$RUN_ID" ] && run sim -n $NS report run "$RUN_ID" --out "$T/reports/run.md"
run sim -n $NS report weekly --profile matter-server --out "$T/reports/weekly.md"
# an incident with a note, an export and evidence, from each credential
run sim -n $NS incident start --title "security drill" --severity P2
run sim-edit -n $NS incident note "checked the pods"
run sim-view -n $NS incident note "looked at the logs"
run sim-view -n $NS incident evidence --dir "$T/evidence"
run sim -n $NS incident evidence --dir "$T/evidence"
INC=$(sed -n 1p "$T/out/$((N - 4)).out" | grep -o '[0-9][0-9]*' | head -1)
run sim -n $NS incident export "${INC:-1}" --out "$T/reports/incident.md"
run sim -n $NS incident close --resolution "drill over"
if [ -z "$FAILS" ]; then
	ok "every command ran with every credential (exit 0 or 1, never a usage or config error) ($N runs)"
else
	not_ok "every command ran with every credential"
	diag "$FAILS"
fi
grep -c . "$T/env/"* >/dev/null 2>&1
is "$?" 0 "opsdeck ran the exec plugin (it left its environment)"
like "$(cat "$T"/log/*.log)" 'GET /api/v1/namespaces/home-automation/pods' "the debug logs record the requests"

# --- the dashboard: headless screen mode ------------------------------------------
cat >"$T/dash.script" <<'SCRIPT'
dump start
key j j Enter
dump describe
key Esc 2
dump pane2
key 3
dump pane3
key 4
dump pane4
key 5
dump pane5
key :
type ns tapio-system
key Enter
dump tapio
key q
SCRIPT
for ctx in sim sim-edit sim-view; do
	mkdir -p "$T/dumps/$ctx"
	run $ctx -n $NS --headless-script "$T/dash.script" --screen-dump "$T/dumps/$ctx" --size 120x40
done
ls "$T/dumps/sim/start.txt" "$T/dumps/sim-view/tapio.txt" >/dev/null 2>&1
is "$?" 0 "the headless dashboard wrote its screen dumps"

# --- the dashboard in tmux ----------------------------------------------------------
# Every screen is captured only once it shows what it is for (its title or
# content, waited for), and a screen that never came is a failure, not an
# empty file that the scan would pass: the pods, Trends, Logs and Checklist
# (zoomed), Events, Nodes, a pod's describe view, the Alerts view (no
# Alertmanager here: its screen), the action menu of a pod row and the scale
# plan with its kubectl command (cancelled with Esc, nothing is written).
if command -v tmux >/dev/null 2>&1; then
	sock="opsdeck-sec-$$"
	tm() { tmux -L "$sock" -f /dev/null "$@"; }
	# shows S ERE: the screen of session S matches ERE
	shows() { tm capture-pane -p -t "$1" | grep -Eq -- "$2"; }
	# grab S NAME ERE [KEYS...]: sends KEYS, waits for ERE, keeps the screen as NAME
	grab() {
		gs=$1 gname=$2 gwant=$3
		shift 3
		[ $# -gt 0 ] && tm send-keys -t "$gs" "$@"
		wait_for 60 shows "$gs" "$gwant" || MISSED="$MISSED $gname($gwant)"
		tm capture-pane -p -t "$gs" >"$T/dumps/tmux-$gname.txt"
		grep -q '[^[:space:]]' "$T/dumps/tmux-$gname.txt" || MISSED="$MISSED $gname(empty)"
	}
	GRID='^┌─ 1 Pods'
	replicas=$(K -n $NS get deploy home-assistant -o 'jsonpath={.spec.replicas}')
	for ctx in sim sim-view; do
		MISSED=
		N=$((N + 1))
		tm new-session -d -s "s$ctx" -x 120 -y 40 "env TERM=xterm-256color LC_ALL=C.UTF-8 \
			XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_STATE_HOME=$XDG_STATE_HOME \
			OPSDECK_DATADIR=$OPSDECK_DATADIR $OPSDECK --kubeconfig $KC --context $ctx -n $NS \
			--debug-log $T/log/$N.log; echo opsdeck-exited; sleep 600" 2>/dev/null
		grab "s$ctx" "$ctx-pods" 'home-assistant'
		grab "s$ctx" "$ctx-trends" '^┌─ 2 Trends' 2 z
		grab "s$ctx" "$ctx-grid2" "$GRID" z
		grab "s$ctx" "$ctx-logs" '^┌─ 3 Logs' 3 z
		grab "s$ctx" "$ctx-grid3" "$GRID" z
		grab "s$ctx" "$ctx-checklist" '^┌─ 4 Checklist' 4 z
		grab "s$ctx" "$ctx-grid4" "$GRID" z
		grab "s$ctx" "$ctx-events" '^┌─ 5 Events' 5
		grab "s$ctx" "$ctx-nodes" '^┌─ 6 Nodes' 6
		grab "s$ctx" "$ctx-grid" "$GRID" 1
		# the earlier restarts still roll: the selected pod may vanish before
		# Enter, so g (the first row) and Enter are pressed up to 3 times
		for _ in 1 2 3; do
			tm send-keys -t "s$ctx" g Enter
			wait_for 20 shows "s$ctx" '^│ Name: +[a-z0-9]' && break
		done
		grab "s$ctx" "$ctx-describe" '^│ Name: +[a-z0-9]'
		grab "s$ctx" "$ctx-grid5" "$GRID" Escape
		grab "s$ctx" "$ctx-alerts" '^┌─ Alerts' A
		grab "s$ctx" "$ctx-grid6" "$GRID" Escape
		grab "s$ctx" "$ctx-actions" '^┌─ Action menu' a
		grab "s$ctx" "$ctx-scale-input" 'Replicas \(' s
		grab "s$ctx" "$ctx-scale-plan" 'kubectl: kubectl scale deployment' 4 Enter
		tm send-keys -t "s$ctx" Escape
		wait_for 60 shows "s$ctx" "$GRID" || MISSED="$MISSED plan-cancelled"
		tm send-keys -t "s$ctx" Escape q
		wait_for 60 shows "s$ctx" opsdeck-exited || MISSED="$MISSED quit-on-q"
		is "$MISSED" "" "the live dashboard ($ctx) painted every screen before it was captured"
	done
	grep -q home-assistant "$T/dumps/tmux-sim-pods.txt" && grep -q home-assistant "$T/dumps/tmux-sim-view-pods.txt"
	is "$?" 0 "the live dashboard showed the pods in tmux (certificate and exec users)"
	grep -q 'kubectl scale' "$T/dumps/tmux-sim-scale-plan.txt"
	is "$?" 0 "the scale plan with its kubectl command is on the scanned screens"
	is "$(K -n $NS get deploy home-assistant -o 'jsonpath={.spec.replicas}')" "$replicas" \
		"the cancelled plans wrote nothing (replicas still $replicas)"
	tm kill-server 2>/dev/null
else
	skip "tmux is not installed"
fi

# --- the scan -------------------------------------------------------------------------
DB=$XDG_STATE_HOME/opsdeck/history.db
sqlite3 -cmd ".timeout 30000" "$DB" .dump >"$T/db.dump" 2>&1
grep -q 'CREATE TABLE' "$T/db.dump"
is "$?" 0 "the database dumps with sqlite3"
grep -q 'security drill' "$T/db.dump" && grep -q 'checked the pods' "$T/db.dump"
is "$?" 0 "the grep finds what the commands did store (the incident and its note)"
mkdir -p "$T/untar"
for tgz in "$T/evidence"/*.tar.gz; do tar -xzf "$tgz" -C "$T/untar"; done
ls "$T/untar"/*/MANIFEST >/dev/null 2>&1
is "$?" 0 "the evidence tarballs unpack"

# scan WHERE FILES...: no secret in any of the files (raw bytes, grep -a)
scan() {
	where=$1
	shift
	found=
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		hit=$(grep -laF -- "$p" "$@" 2>/dev/null | head -3)
		[ -n "$hit" ] && found="$found
$(printf '%.12s' "$p")... in $hit"
	done <"$T/patterns"
	if [ -z "$found" ]; then
		ok "no secret in $where"
	else
		not_ok "no secret in $where"
		diag "$found"
	fi
}
scan "the debug logs" "$T"/log/*.log
scan "the database (sqlite3 .dump)" "$T/db.dump"
scan "the database files (raw bytes, with the WAL)" "$DB"*
scan "the reports written by --out" "$T"/reports/*
scan "the evidence directories" $(find "$T/evidence" -type f ! -name '*.tar.gz')
scan "the evidence tarballs (raw and unpacked)" "$T"/evidence/*.tar.gz $(find "$T/untar" -type f)
scan "the screen dumps (headless and tmux)" $(find "$T/dumps" -type f)
scan "the commands' output (stdout and stderr)" "$T"/out/*
scan "every file under the state and config directories" $(find "$XDG_STATE_HOME" "$XDG_CONFIG_HOME" -type f 2>/dev/null)

# --- permissions -------------------------------------------------------------------------
bad=$(find "$XDG_STATE_HOME/opsdeck" "$T/evidence" -type f ! -perm 600 2>/dev/null;
	find "$T/log" "$T/reports" -type f ! -perm 600)
is "$bad" "" "files are 0600: database, debug logs, evidence, reports written by --out"
bad=$(find "$XDG_STATE_HOME" "$T/evidence" -mindepth 1 -type d ! -perm 700 2>/dev/null)
is "$bad" "" "directories are 0700: state directory, evidence"

# --- the exec plugin's environment: what client-go gives it -----------------------------
# kubectl and opsdeck run the plugin from the same environment; the plugin
# dumps what it got. Both must hand over the parent environment, the
# kubeconfig's env (PLUGIN_EXTRA) and KUBERNETES_EXEC_INFO, and nothing else.
envrun() {
	rm -rf "$T/env"
	env -i PATH="$PATH" HOME="$T/home" PARENT_VAR=from-parent LC_ALL=C \
		XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
		OPSDECK_DATADIR="$OPSDECK_DATADIR" "$@" >/dev/null 2>&1
	tr '\0' '\n' <"$T/env/0" | grep -v '^_=' | sort >"$T/env.sorted"
	cat "$T/env.sorted"
}
mkdir -p "$T/home"
K_ENV=$(envrun kubectl --kubeconfig "$KC" --cache-dir "$T/kcache" --context sim-view -n $NS get pods)
O_ENV=$(envrun "$OPSDECK" --kubeconfig "$KC" --context sim-view -n $NS get pods)
like "$K_ENV" 'PARENT_VAR=from-parent' "kubectl's plugin saw the parent environment (the reference works)"
is "$O_ENV" "$K_ENV" \
	"the plugin gets byte for byte the environment kubectl gives it (parent, env, KUBERNETES_EXEC_INFO)"
like "$O_ENV" 'PLUGIN_EXTRA=from-kubeconfig' "the kubeconfig's env reaches the plugin"
kinfo() { printf '%s\n' "$1" | sed -n 's/^KUBERNETES_EXEC_INFO=//p' |
	python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))' 2>&1; }
is "$(kinfo "$O_ENV")" "$(kinfo "$K_ENV")" "KUBERNETES_EXEC_INFO is the one kubectl sets (as JSON)"

# --- a wrong CA fails closed -------------------------------------------------------------
# A TLS server with a certificate from another CA, which prints every byte
# it receives: nothing may arrive (no request, no token), and the error is
# kubectl's. With its own CA trusted, the same server does see the request.
if command -v openssl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
	cd "$T" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
	b64() { base64 -w0 <"$1"; }
	# evil_server: a TLS server (tests/security/tls_recorder.py) with the other
	# CA's certificate, recording every byte it receives; sets EVIL_PID, EVIL_URL
	evil_server() {
		rm -f "$T/evil.port"
		: >"$T/evil.out"
		python3 "$OPSDECK_SRCDIR/tests/security/tls_recorder.py" other.crt other.key \
			"$T/evil.port" "$T/evil.out" 2>"$T/evil.err" &
		EVIL_PID=$!
		wait_for 30 test -s "$T/evil.port" || return 1
		EVIL_URL=https://127.0.0.1:$(cat "$T/evil.port")
	}
	evil_stop() { kill "$EVIL_PID" 2>/dev/null; wait "$EVIL_PID" 2>/dev/null; EVIL_PID=; }
	# kc CA_B64 URL: the sim's kubeconfig pointed elsewhere with another CA
	kc() {
		awk -v ca="$1" -v url="$2" '
			/^ *certificate-authority-data:/ { print "    certificate-authority-data: " ca; next }
			/^ *server:/ { print "    server: " url; next } { print }' "$KC" >"$T/$3"
	}
	if evil_server; then
		kc "$(b64 other.crt)" "$EVIL_URL" trusts-evil.yaml
		"$OPSDECK" --kubeconfig trusts-evil.yaml --context sim-edit --request-timeout=3s \
			get pods >/dev/null 2>&1
		wait_for 10 grep -q 'Authorization: Bearer' "$T/evil.out"
		is "$?" 0 "control: a server whose CA is trusted receives the request and the token"
		evil_stop
	else
		skip "no port for the TLS server"
	fi
	# the sim's CA, but a server with another certificate; and the real sim with another CA
	if evil_server; then
		kc "$(sed -n 's/^ *certificate-authority-data: //p' "$KC")" "$EVIL_URL" sim-ca.yaml
		for ctx in sim sim-edit sim-view; do
			"$OPSDECK" --kubeconfig sim-ca.yaml --context $ctx -n $NS --request-timeout=5s \
				scale deploy/home-assistant --replicas 3 --yes >o.out 2>o.err
			echo "$ctx $? $(cat o.err)" >>wrongca.txt
		done
		evil_stop
		is "$(wc -c <"$T/evil.out" | tr -d ' ')" 0 \
			"a server with a certificate from another CA receives nothing (no request, no token)"
		is "$(awk '$2 != 1' wrongca.txt)" "" "every credential: exit 1 on the untrusted server"
		like "$(cat wrongca.txt)" 'Unable to connect to the server: .*certificate' "in kubectl's words"
	else
		skip "no port for the TLS server"
		skip "no port for the TLS server"
		skip "no port for the TLS server"
	fi
	kc "$(b64 other.crt)" "$SIM_URL" wrong-ca.yaml
	K --kubeconfig wrong-ca.yaml --context sim-edit get pods >k.out 2>k.all
	K_RC=$?
	tail -1 k.all >k.err # kubectl's discovery logs first (memcache.go); the error is the last line
	"$OPSDECK" --kubeconfig wrong-ca.yaml --context sim-edit --request-timeout=30s get pods \
		>o.out 2>o.err
	O_RC=$?
	is "$O_RC:$(cat o.err)" "$K_RC:$(cat k.err)" \
		"the sim with another CA: the same error and exit status as kubectl"
	before=$(K -n $NS get deploy home-assistant -o 'jsonpath={.spec.replicas}')
	"$OPSDECK" --kubeconfig wrong-ca.yaml --context sim -n $NS scale deploy/home-assistant \
		--replicas 4 --yes >/dev/null 2>&1
	is "$?:$(K -n $NS get deploy home-assistant -o 'jsonpath={.spec.replicas}')" "1:$before" \
		"a scale through the wrong CA fails and changes nothing"
	cd "$OPSDECK_BUILDDIR" || exit 1
else
	skip "openssl or python3 is not installed"
fi

sim_stop_check
plan_done
