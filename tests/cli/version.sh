#!/bin/sh
# The opsdeck and opsdeck-sim programs identify themselves and explain their use.
. "$OPSDECK_SRCDIR/tests/lib/tap.sh"

version=$(sed -n 's/^AC_INIT(\[opsdeck\], \[\([^]]*\)\].*/\1/p' "$OPSDECK_SRCDIR/configure.ac")
plan 11

is "$("$OPSDECK" --version)" "opsdeck $version" "opsdeck --version prints the package version"
is "$("$OPSDECK" version)" "opsdeck $version" "opsdeck version command agrees"
is "$("$OPSDECK_SIM" --version)" "opsdeck-sim $version" "opsdeck-sim --version prints the package version"
help=$("$OPSDECK" --help)
like "$help" '^opsdeck .*on-call' "opsdeck --help starts with what it is"
like "$help" '--kubeconfig FILE' "opsdeck --help lists the global flags"
like "$help" 'Exit codes: 0 ok; 1 .*; 2 usage' "opsdeck --help states the exit codes"
exit_is 0 "opsdeck --help exits 0" "$OPSDECK" --help
exit_is 0 "opsdeck-sim --help exits 0" "$OPSDECK_SIM" --help
exit_is 2 "an unknown command is a usage error (2)" "$OPSDECK" no-such-command
err=$("$OPSDECK" no-such-command 2>&1)
like "$err" 'unknown command "no-such-command"' "an unknown command is named in the error"
exit_is 2 "a global flag without its value is a usage error" "$OPSDECK" version --context
