#!/bin/sh
# opsdeck config view | get-contexts | current-context | use-context print
# and write what kubectl does for the same kubeconfig files (kubectl is the
# reference; the test is skipped without it). The one deliberate difference:
# opsdeck redacts exec plugin args and env values unless --raw is given.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

FIX="$OPSDECK_SRCDIR/tests/kube/fixtures"
KUBECTL=${KUBECTL:-$(command -v kubectl)}
if [ -z "$KUBECTL" ]; then
	echo "1..0 # SKIP kubectl is not installed"
	exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-config-XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
# Neither program may see the developer's own ~/.kube/config.
HOME="$WORK/home"
mkdir -p "$HOME"
export HOME
unset KUBECONFIG KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT

# kubectl's view with opsdeck's extra redaction of exec args and env values.
redact_exec() {
	sed -e 's/EXECARG[0-9]/REDACTED/g' -e 's/EXECENV/REDACTED/g'
}

# same DESC CMD...: stdout, stderr and success of kubectl CMD and opsdeck CMD agree.
same() {
	desc=$1
	shift
	"$KUBECTL" "$@" >"$WORK/k.out" 2>"$WORK/k.err"
	krc=$?
	"$OPSDECK" "$@" >"$WORK/o.out" 2>"$WORK/o.err"
	orc=$?
	case " $* " in
	*" --raw "*) ;;
	*" view "*) redact_exec <"$WORK/k.out" >"$WORK/k.tmp" && mv "$WORK/k.tmp" "$WORK/k.out" ;;
	esac
	# kubectl exits 1 for everything; opsdeck uses 2 for configuration errors.
	[ "$krc" -ne 0 ] && krc=fail
	[ "$orc" -ne 0 ] && orc=fail
	if cmp -s "$WORK/k.out" "$WORK/o.out" && cmp -s "$WORK/k.err" "$WORK/o.err" &&
	   [ "$krc" = "$orc" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "command: $*" "exit: kubectl $krc, opsdeck $orc"
		diff "$WORK/k.out" "$WORK/o.out" | head -20 | sed 's/^/# /'
		diff "$WORK/k.err" "$WORK/o.err" | head -5 | sed 's/^/# /'
	fi
}

every_read_command() {
	label=$1
	same "$label: config view" config view
	same "$label: config view --raw" config view --raw
	same "$label: config view -o json" config view -o json
	same "$label: config view --raw -o json" config view --raw -o json
	same "$label: config view --minify" config view --minify
	same "$label: config get-contexts" config get-contexts
	same "$label: config get-contexts --no-headers" config get-contexts --no-headers
	same "$label: config get-contexts -o name" config get-contexts -o name
	same "$label: config current-context" config current-context
}

# Paths are given relative to the fixtures, as users type them.
cd "$FIX" || exit 1

for f in basic.yaml second.yaml sub/third.yaml quoting.yaml extensions.yaml nocurrent.yaml plugins.yaml \
	unicode.yaml tabs.yaml empty.yaml; do
	KUBECONFIG=$f
	export KUBECONFIG
	every_read_command "KUBECONFIG=$f"
done

for list in basic.yaml:second.yaml second.yaml:basic.yaml \
	sub/third.yaml:basic.yaml:second.yaml :missing.yaml::basic.yaml:basic.yaml:nocurrent.yaml \
	extensions.yaml:quoting.yaml; do
	KUBECONFIG=$list
	export KUBECONFIG
	every_read_command "KUBECONFIG=$list"
done

KUBECONFIG=basic.yaml:second.yaml
export KUBECONFIG
same "merged: view --minify --context stage" --context stage config view --minify
same "merged: view --minify -o json --context prod" config view --minify -o json --context prod
same "merged: view --minify with an unknown context" config view --minify --context nope
same "merged: get-contexts NAME" config get-contexts prod
same "merged: get-contexts with a missing name" config get-contexts nope
same "merged: get-contexts with two missing names" config get-contexts nope prod other
unset KUBECONFIG

same "--kubeconfig: view" --kubeconfig second.yaml config view
same "--kubeconfig: get-contexts" config get-contexts --kubeconfig=quoting.yaml
same "--kubeconfig naming a missing file: view" --kubeconfig missing.yaml config view
same "no kubeconfig at all: get-contexts" config get-contexts
same "no kubeconfig at all: current-context" config current-context
same "an unparsable file: kubectl's error" --kubeconfig broken.yaml config view
same "an unparsable file in KUBECONFIG" config get-contexts --kubeconfig broken.yaml

# use-context: the same commands on two copies leave the same files behind.
use_context_agrees() {
	desc=$1
	list=$2
	shift 2
	rm -rf "$WORK/k" "$WORK/o"
	mkdir -p "$WORK/k/sub" "$WORK/o/sub"
	for d in k o; do
		cp basic.yaml second.yaml quoting.yaml nocurrent.yaml extensions.yaml plugins.yaml \
			unicode.yaml tabs.yaml "$WORK/$d/"
		cp sub/third.yaml "$WORK/$d/sub/"
	done
	(cd "$WORK/k" && for c in "$@"; do
		KUBECONFIG=$list "$KUBECTL" config use-context "$c"; echo "rc=$?"
	done) >"$WORK/k.log" 2>&1
	(cd "$WORK/o" && for c in "$@"; do
		KUBECONFIG=$list "$OPSDECK" config use-context "$c"; echo "rc=$?"
	done) >"$WORK/o.log" 2>&1
	if cmp -s "$WORK/k.log" "$WORK/o.log" && diff -r "$WORK/k" "$WORK/o" >"$WORK/d" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		diff "$WORK/k.log" "$WORK/o.log" | head -10 | sed 's/^/# /'
		head -30 "$WORK/d" | sed 's/^/# /'
	fi
}

use_context_agrees "use-context writes the first file of KUBECONFIG" \
	sub/third.yaml:basic.yaml:second.yaml stage
use_context_agrees "use-context then back, on a merged list" \
	basic.yaml:second.yaml prod stage dev
use_context_agrees "use-context skips a missing first file" \
	missing.yaml:second.yaml:basic.yaml dev
use_context_agrees "use-context re-serialises comments, anchors and flow style as kubectl" \
	nocurrent.yaml lab-sa
use_context_agrees "use-context keeps extensions" extensions.yaml minikube
use_context_agrees "use-context keeps exec and auth-provider shapes" plugins.yaml noversion
use_context_agrees "use-context of the quoting fixture" quoting.yaml ctx "2024-01-01"
use_context_agrees "use-context of an unknown context changes nothing" basic.yaml nope
use_context_agrees "use-context with non-ASCII, tabs and newlines in names" unicode.yaml:tabs.yaml plain a

rm -rf "$WORK/o"
mkdir -p "$WORK/o"
cp basic.yaml "$WORK/o/k.yaml"
"$OPSDECK" --kubeconfig "$WORK/o/k.yaml" config use-context prod >/dev/null
is "$("$OPSDECK" --kubeconfig "$WORK/o/k.yaml" config current-context)" prod \
	"use-context with --kubeconfig writes that file"
exit_is 2 "use-context without a name is a usage error" "$OPSDECK" config use-context
exit_is 1 "use-context of an unknown context is refused (1)" \
	"$OPSDECK" --kubeconfig "$WORK/o/k.yaml" config use-context nope
exit_is 2 "an unknown config subcommand is a usage error" "$OPSDECK" config bogus
exit_is 2 "an unparsable kubeconfig is a configuration error (2)" \
	"$OPSDECK" --kubeconfig broken.yaml config view
out=$("$OPSDECK" --kubeconfig basic.yaml config view 2>&1)
unlike "$out" 'fake-token-dev|EXECARG|EXECENV|LS0tLS1CRUdJTg' "view never shows tokens, data or exec args/env"
test -e "$WORK/o/k.yaml.lock" && not_ok "the lock file is removed" || ok "the lock file is removed"
touch "$WORK/o/k.yaml.lock"
err=$("$OPSDECK" --kubeconfig "$WORK/o/k.yaml" config use-context dev 2>&1)
like "$err" 'k.yaml.lock: File exists' "use-context refuses while another writer holds the lock"
is "$("$OPSDECK" --kubeconfig "$WORK/o/k.yaml" config current-context)" prod "and leaves the file alone"
rm -f "$WORK/o/k.yaml.lock"
like "$("$OPSDECK" --help)" 'config SUBCOMMAND' "opsdeck --help lists the config command"
like "$("$OPSDECK" config --help)" 'use-context CONTEXT_NAME' "opsdeck config --help lists the subcommands"

plan_done
