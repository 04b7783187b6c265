#!/bin/sh
# kubectl against opsdeck-sim over HTTPS with a bearer token.
SIM_MODE=tls-token
. "$OPSDECK_SRCDIR/tests/sim/kubectl-suite.sh"
