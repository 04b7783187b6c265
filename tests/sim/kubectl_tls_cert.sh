#!/bin/sh
# kubectl against opsdeck-sim over HTTPS with a client certificate.
SIM_MODE=tls-cert
. "$OPSDECK_SRCDIR/tests/sim/kubectl-suite.sh"
