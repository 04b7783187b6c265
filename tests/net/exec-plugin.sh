#!/bin/sh
# tests/net/exec-plugin.sh: an exec credential plugin for tests.
#
# Every run appends a line to $PLUGIN_COUNT_FILE (so tests count runs) and,
# when asked, saves KUBERNETES_EXEC_INFO and a few variables to files.
# PLUGIN_MODE picks the answer:
#   token (default)  status.token = ${PLUGIN_TOKEN:-${1:-tok}-RUN}
#   badfirst         the first run answers "stale-token", later runs as token
#   expired          the same with an expirationTimestamp in the past
#   future           the same with an expirationTimestamp far ahead
#   cert             clientCertificateData/clientKeyData from PLUGIN_CERT_FILE/PLUGIN_KEY_FILE
#   hang             never answers
#   fail             exits 3 with a message on stderr
#   garbage          prints something that is not JSON
#   nostatus         an ExecCredential without status
#   wrongversion     answers with client.authentication.k8s.io/v1alpha1
set -u
count_file=${PLUGIN_COUNT_FILE:-/dev/null}
echo run >>"$count_file"
n=$(wc -l <"$count_file" | tr -d ' ')
[ -n "${PLUGIN_INFO_FILE:-}" ] && printf '%s' "${KUBERNETES_EXEC_INFO:-}" >"$PLUGIN_INFO_FILE"
[ -n "${PLUGIN_ENV_FILE:-}" ] && printf '%s:%s:%s' "${PARENT_VAR:-}" "${PLUGIN_EXTRA:-}" "$#" >"$PLUGIN_ENV_FILE"
apiv=${PLUGIN_API_VERSION:-client.authentication.k8s.io/v1}
token=${PLUGIN_TOKEN:-${1:-tok}-$n}

json_escape_file() {
	awk 'BEGIN { ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print $0 "\\n" }' "$1"
}

case "${PLUGIN_MODE:-token}" in
token)
	printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$apiv" "$token" ;;
badfirst)
	[ "$n" = 1 ] && token=stale-token
	printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$apiv" "$token" ;;
expired)
	printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2000-01-01T00:00:00Z"}}\n' "$apiv" "$token" ;;
future)
	printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}\n' "$apiv" "$token" ;;
cert)
	printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"}}\n' \
		"$apiv" "$(json_escape_file "$PLUGIN_CERT_FILE")" "$(json_escape_file "$PLUGIN_KEY_FILE")" ;;
hang)
	exec sleep 30 ;;
fail)
	echo "exec-plugin: no credentials for you" >&2
	exit 3 ;;
garbage)
	echo "this is not json" ;;
nostatus)
	printf '{"apiVersion":"%s","kind":"ExecCredential"}\n' "$apiv" ;;
wrongversion)
	printf '{"apiVersion":"client.authentication.k8s.io/v1alpha1","kind":"ExecCredential","status":{"token":"x"}}\n' ;;
esac
