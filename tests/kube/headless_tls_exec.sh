#!/bin/sh
# opsdeck get/describe/logs/top against kubectl on opsdeck-sim over HTTPS, the token from an exec credential plugin.
SIM_MODE=tls-exec
. "$OPSDECK_SRCDIR/tests/kube/headless-suite.sh"
