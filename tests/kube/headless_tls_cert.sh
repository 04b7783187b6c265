#!/bin/sh
# opsdeck get/describe/logs/top against kubectl on opsdeck-sim over HTTPS with a client certificate.
SIM_MODE=tls-cert
. "$OPSDECK_SRCDIR/tests/kube/headless-suite.sh"
