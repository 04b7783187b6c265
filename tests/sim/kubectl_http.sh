#!/bin/sh
# kubectl against opsdeck-sim over plain HTTP.
SIM_MODE=http
. "$OPSDECK_SRCDIR/tests/sim/kubectl-suite.sh"
