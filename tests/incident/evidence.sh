#!/bin/sh
# `opsdeck incident evidence` against opsdeck-sim: a timestamped directory
# (0700, files 0600) and a .tar.gz that verifies against its SHA256SUMS, with
# logs (current and previous container), redacted manifests, events,
# describe summaries and the metrics window; no token of the kubeconfig and
# no Secret value anywhere in it.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"
. "$OPSDECK_SRCDIR/tests/sim/sim-lib.sh"
. "$OPSDECK_SRCDIR/tests/actions/act-lib.sh"

FAULT=
if "$OPSDECK_SIM" --help 2>&1 | grep -q 'crashloop'; then
	FAULT="--fault crashloop:home-automation/matter-server"
fi
# shellcheck disable=SC2086
sim_start --seed 5 --scenario "$OPSDECK_SRCDIR/tests/sim/small.yaml" $FAULT ||
	{ echo "Bail out! no sim"; exit 1; }
act_setup
HA="-n home-automation"

SECRET_VALUE=Zq8-SecretValue-4711
ENV_VALUE=Yp3-EnvPassword-0815
K -n home-automation create secret generic db-creds --from-literal=password=$SECRET_VALUE \
	>/dev/null 2>&1
is "$?" 0 "a Secret with a known value in the namespace"
ENV_SET=no
if K -n home-automation set env deploy/home-assistant DB_PASSWORD=$ENV_VALUE >/dev/null 2>&1; then
	ENV_SET=yes
fi
TLS_KEY=$(K -n tapio-system get secret tapio-tls -o 'jsonpath={.data.tls\.key}' 2>/dev/null | cut -c1-40)

if [ -n "$FAULT" ]; then
	wait_for 60 sh -c '"$0" --kubeconfig "$1" -n home-automation get pods | grep -q CrashLoopBackOff' \
		"$OPSDECK" "$KC" || diag "no crashloop seen"
fi
ID=$(OD $HA incident start --title "evidence drill" --severity P2)
OD collect --once >/dev/null 2>&1
exit_is 1 "evidence with no such incident: exit 1" OD incident evidence --id 99 --dir "$SIM_TMP/ev"
OUT=$(OD --context sim-view incident evidence --dir "$SIM_TMP/ev" 2>"$SIM_TMP/ev.err")
is "$?" 0 "evidence (the open incident, read-only user): exit 0"
DIR=$(echo "$OUT" | sed -n 1p)
TGZ=$(echo "$OUT" | sed -n 2p)
like "$DIR" "^$SIM_TMP/ev/incident-$ID-evidence-[0-9]{8}T[0-9]{6}Z$" "evidence: a timestamped directory under --dir"
is "$TGZ" "$DIR.tar.gz" "evidence: the tarball next to it"
is "$(stat -c %a "$DIR")" 700 "evidence: the directory is 0700"
is "$(stat -c %a "$TGZ")" 600 "evidence: the tarball is 0600"
is "$(find "$DIR" -type f ! -perm 600 | wc -l | tr -d ' ')" 0 "evidence: every file is 0600"
is "$(find "$DIR" -type d ! -perm 700 | wc -l | tr -d ' ')" 0 "evidence: every directory is 0700"

mkdir "$SIM_TMP/x"
tar -xzf "$TGZ" -C "$SIM_TMP/x"
is "$?" 0 "the tarball unpacks with tar"
B=$SIM_TMP/x/$(basename "$DIR")
(cd "$B" && sha256sum -c --quiet SHA256SUMS) >"$SIM_TMP/sums" 2>&1
is "$?" 0 "the unpacked bundle verifies against SHA256SUMS (sha256sum -c)"
is "$(sed -n 's/\t.*//p' "$B/MANIFEST" | grep -v '^#' | sort)" \
	"$(sed 's/^[0-9a-f]*  //' "$B/SHA256SUMS" | grep -v '^MANIFEST$' | sort)" \
	"every file of the MANIFEST has a sum"
M=$(cat "$B/MANIFEST")
like "$M" '^logs/matter-server-[a-z0-9-]+_matter-server\.log	' "manifest: current logs"
if [ -n "$FAULT" ]; then
	like "$M" '^logs/matter-server-[a-z0-9-]+_matter-server\.previous\.log	' \
		"manifest: the previous container's logs"
	like "$(cat "$B"/describe/pod-matter-server-*.txt)" 'State: waiting \(CrashLoopBackOff\)' \
		"describe: the crashloop"
else
	skip "no crashloop fault in this opsdeck-sim"
	skip "no crashloop fault in this opsdeck-sim"
fi
like "$M" '^manifests/pod-matter-server-[a-z0-9-]+\.json	' "manifest: the pod manifest"
like "$M" '^manifests/deployments\.json	' "manifest: workload manifests"
like "$M" '^events\.tsv	' "manifest: events"
like "$M" '^metrics\.csv	' "manifest: the metrics window"
like "$(cat "$B/metrics.csv")" '^pod,[a-z0-9-]+,[a-z0-9-]+,(cpu|memory),[0-9]+,' \
	"metrics: the store's samples"

leaks=
for u in sim-admin sim-edit sim-view; do
	tok=$(sim_token $u)
	[ -n "$tok" ] || continue
	grep -rqF "$tok" "$B" && leaks="$leaks $u(dir)"
	gzip -dc "$TGZ" | grep -qaF "$tok" && leaks="$leaks $u(tar)"
done
is "$leaks" "" "no kubeconfig token in the bundle or the tarball"
leaks=
for v in "$SECRET_VALUE" "$(printf %s "$SECRET_VALUE" | base64)" "$ENV_VALUE" $TLS_KEY; do
	gzip -dc "$TGZ" | grep -qaF -- "$v" && leaks="$leaks $v"
	grep -rqF -- "$v" "$DIR" && leaks="$leaks $v"
done
is "$leaks" "" "no Secret value (nor a password in an env literal) in the bundle"
if [ "$ENV_SET" = yes ]; then
	like "$(tr -d ' \t\n' <"$B/manifests/deployments.json")" '"name":"DB_PASSWORD","value":"REDACTED"' \
		"a password in an env literal is redacted"
else
	skip "the simulator does not take kubectl set env"
fi
OUT2=$(OD incident evidence --dir "$SIM_TMP/ev2" 2>/dev/null)
is "$?" 0 "--dir that does not exist yet is created"
sim_stop_check
plan_done
