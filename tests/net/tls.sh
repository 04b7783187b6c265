#!/bin/sh
# tests/net/tls.sh: HTTPS from a kubeconfig against `openssl s_server` on
# 127.0.0.1: CA data, tls-server-name (the URL names 127.0.0.1, the
# certificate only kubernetes.test), client certificates from the kubeconfig
# and from an exec plugin, insecure-skip-tls-verify with its warning, and
# kubectl's "Unable to connect" wording when verification fails.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

PROBE="$OPSDECK_BUILDDIR/tests/net/netprobe"
PLUGIN="$OPSDECK_SRCDIR/tests/net/exec-plugin.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-tls.XXXXXX")
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

if ! command -v openssl >/dev/null 2>&1; then
	echo "1..0 # SKIP openssl is not installed"
	exit 0
fi

cd "$T" || exit 1
ec() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "$@" 2>/dev/null; }
ec -x509 -keyout ca.key -out ca.crt -subj /CN=opsdeck-test-ca -days 2
ec -x509 -keyout other-ca.key -out other-ca.crt -subj /CN=someone-else -days 2
ec -keyout srv.key -out srv.csr -subj /CN=kubernetes.test
printf 'subjectAltName=DNS:kubernetes.test\n' >srv.ext
openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 2 \
	-extfile srv.ext 2>/dev/null
ec -keyout client.key -out client.csr -subj /CN=tester/O=testers
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt \
	-days 2 2>/dev/null

# s_server -HTTP answers GET /x with the file ./x, which holds a whole HTTP response
mkdir -p www/api/v1
body='{"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]}'
printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
	"${#body}" "$body" >www/api/v1/namespaces
(cd www && exec openssl s_server -HTTP -accept 127.0.0.1:0 -cert ../srv.crt -key ../srv.key \
	-CAfile ../ca.crt -Verify 1 >../server.out 2>&1) &
SERVER_PID=$!
if ! wait_for 10 grep -q '^ACCEPT' server.out; then
	echo "1..0 # SKIP openssl s_server did not start"
	exit 0
fi
PORT=$(sed -n 's/^ACCEPT 127.0.0.1:\([0-9]*\).*/\1/p' server.out)

b64() { base64 <"$1" | tr -d '\n'; }

# kubeconfig NAME CLUSTER-EXTRA USER-BODY
kubeconfig() {
	cat >"$1" <<EOK
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:$PORT
$2
users:
- name: u
  user:
$3
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: default}
current-context: ctx
EOK
}

CA="    certificate-authority-data: $(b64 ca.crt)"
SNI="    tls-server-name: kubernetes.test"
CERT="    client-certificate-data: $(b64 client.crt)
    client-key-data: $(b64 client.key)"

plan 9

kubeconfig ok.yaml "$CA
$SNI" "$CERT"
out=$("$PROBE" --kubeconfig ok.yaml get /api/v1/namespaces 2>&1)
is "$out" "$body" "CA data, tls-server-name and a client certificate from the kubeconfig"

kubeconfig files.yaml "    certificate-authority: ca.crt
$SNI" "    client-certificate: client.crt
    client-key: client.key"
out=$("$PROBE" --kubeconfig files.yaml get /api/v1/namespaces 2>&1)
is "$out" "$body" "CA, certificate and key read from files relative to the kubeconfig"

kubeconfig nosni.yaml "$CA" "$CERT"
out=$("$PROBE" --kubeconfig nosni.yaml get /api/v1/namespaces 2>&1)
rc=$?
like "$out" '^Unable to connect to the server: .*(127\.0\.0\.1|name)' \
	"without tls-server-name the certificate does not match 127.0.0.1"
is "$rc" 1 "a failed connection exits 1"

kubeconfig wrongca.yaml "    certificate-authority-data: $(b64 other-ca.crt)
$SNI" "$CERT"
out=$("$PROBE" --kubeconfig wrongca.yaml get /api/v1/namespaces 2>&1)
like "$out" '^Unable to connect to the server: .*certificate' "a certificate from another CA is refused"

kubeconfig insecure.yaml "    insecure-skip-tls-verify: true" "$CERT"
out=$("$PROBE" --kubeconfig insecure.yaml get /api/v1/namespaces 2>err.txt)
is "$out" "$body" "insecure-skip-tls-verify is honoured"
like "$(cat err.txt)" 'insecure-skip-tls-verify is set for cluster "c"' "and always warned about"

kubeconfig nocert.yaml "$CA
$SNI" "    token: not-enough"
out=$("$PROBE" --kubeconfig nocert.yaml --timeout 10 get /api/v1/namespaces 2>&1)
like "$out" '^Unable to connect to the server: .*(alert|certificate|handshake|SSL)' \
	"a server that requires a client certificate refuses a token-only client (a TLS error, not retried)"

kubeconfig exec.yaml "$CA
$SNI" "    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $PLUGIN
      interactiveMode: Never
      env:
      - {name: PLUGIN_MODE, value: cert}
      - {name: PLUGIN_CERT_FILE, value: $T/client.crt}
      - {name: PLUGIN_KEY_FILE, value: $T/client.key}
      - {name: PLUGIN_COUNT_FILE, value: $T/exec.count}"
out=$("$PROBE" --kubeconfig exec.yaml get /api/v1/namespaces 2>&1)
is "$out" "$body" "a client certificate from an exec plugin"
