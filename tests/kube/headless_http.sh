#!/bin/sh
# opsdeck get/describe/logs/top against kubectl on opsdeck-sim over plain HTTP.
SIM_MODE=http
. "$OPSDECK_SRCDIR/tests/kube/headless-suite.sh"
