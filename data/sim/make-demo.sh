#!/bin/sh
# Generate data/sim/demo.yaml from the four runbook scenarios.
#
#   sh data/sim/make-demo.sh            rewrite demo.yaml next to this script
#   sh data/sim/make-demo.sh --stdout   print it instead
#   sh data/sim/make-demo.sh --check    exit 1 if demo.yaml is out of date
#
# The Kubernetes documents of each scenario are copied verbatim, in file order.
# The four Scenario documents are merged into one: mainNamespace home-automation,
# every node and every workload of the four, the common defaults (the script
# fails if the scenarios' defaults differ) and an empty timeline.
# Needs only POSIX sh and awk. It relies on the layout the scenario files share:
# documents separated by "---" lines, one "kind: Scenario" document whose spec
# keys ("  nodes:", "  defaults:", "  workloads:", ...) sit at two spaces.
set -eu

dir=$(cd "$(dirname "$0")" && pwd)
sources="home-automation.yaml matrix.yaml matrixon.yaml tapio-system.yaml"

generate() {
	cd "$dir"
	# shellcheck disable=SC2086
	awk -v files="$sources" '
	function flush(   i, isScen) {
		if (n == 0) return
		isScen = 0
		for (i = 1; i <= n; i++) if (buf[i] ~ /^kind:[ \t]*Scenario[ \t]*$/) isScen = 1
		if (isScen) {
			scenario()
		} else {
			if (!first) out[++nout] = "---"
			for (i = 1; i <= n; i++) out[++nout] = buf[i]
		}
		n = 0
		first = 0
	}
	function section(name,   i, on, s) {
		on = 0; s = ""
		for (i = 1; i <= n; i++) {
			if (buf[i] ~ ("^  " name ":")) { on = 1; continue }
			if (on && buf[i] ~ /^  [A-Za-z]/) on = 0
			if (on && buf[i] !~ /^[ \t]*$/) s = s buf[i] "\n"
		}
		return s
	}
	function scenario(   d) {
		scenarios++
		nodes = nodes "    # ---- from " src "\n" section("nodes")
		workloads = workloads "    # ---- from " src "\n" section("workloads")
		d = section("defaults")
		if (defaults == "") defaults = d
		else if (d != defaults) {
			print "make-demo.sh: " src ": defaults differ from the first scenario" > "/dev/stderr"
			bad = 1
		}
	}
	FNR == 1 {
		flush()
		src = FILENAME
		first = 1
		out[++nout] = ""
		out[++nout] = "# ============================================================================"
		out[++nout] = "# From data/sim/" FILENAME " (verbatim)"
		out[++nout] = "# ============================================================================"
	}
	/^---[ \t]*$/ { flush(); next }
	{ buf[++n] = $0 }
	END {
		flush()
		if (scenarios != 4) {
			print "make-demo.sh: expected 4 Scenario documents, found " scenarios > "/dev/stderr"
			bad = 1
		}
		if (bad) exit 1
		print "# GENERATED FILE - do not edit. Made by data/sim/make-demo.sh from"
		print "# home-automation.yaml, matrix.yaml, matrixon.yaml and tapio-system.yaml;"
		print "# edit those and run: sh data/sim/make-demo.sh"
		print "#"
		print "# opsdeck-sim scenario: demo, all four runbook scenarios in one cluster."
		print "# The kubeconfig contexts default to namespace home-automation, so the"
		print "# matrixon runbook commands that carry no -n need \"-n matrixon\" here."
		for (i = 1; i <= nout; i++) print out[i]
		print "---"
		print "apiVersion: sim.opsdeck.io/v1"
		print "kind: Scenario"
		print "metadata:"
		print "  name: demo"
		print "spec:"
		print "  mainNamespace: home-automation"
		print "  runbook: matter-server-operations.md   # and synapse-operations.md, matrixon-operations.md, tapio-maintenance.md"
		print "  nodes:"
		printf "%s", nodes
		print "  defaults:"
		printf "%s", defaults
		print "  workloads:"
		printf "%s", workloads
		print "  timeline: []"
	}
	' $sources
}

case "${1:-}" in
--stdout)
	generate
	;;
--check)
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	generate >"$tmp"
	if cmp -s "$tmp" "$dir/demo.yaml"; then
		echo "demo.yaml is up to date"
	else
		echo "demo.yaml is out of date: run sh data/sim/make-demo.sh" >&2
		diff -u "$dir/demo.yaml" "$tmp" | head -40 >&2 || true
		exit 1
	fi
	;;
"")
	tmp=$(mktemp)
	generate >"$tmp"
	mv "$tmp" "$dir/demo.yaml"
	chmod 644 "$dir/demo.yaml"
	echo "wrote $dir/demo.yaml"
	;;
*)
	echo "usage: make-demo.sh [--stdout|--check]" >&2
	exit 2
	;;
esac
