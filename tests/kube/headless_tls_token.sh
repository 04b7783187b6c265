#!/bin/sh
# opsdeck get/describe/logs/top against kubectl on opsdeck-sim over HTTPS with a bearer token.
SIM_MODE=tls-token
. "$OPSDECK_SRCDIR/tests/kube/headless-suite.sh"
