# valgrind memcheck of the headless commands (issue 13); skips without valgrind.
TESTS += tests/valgrind/memcheck.sh
EXTRA_DIST += tests/valgrind/local.mk tests/valgrind/memcheck.sh tests/valgrind/opsdeck.supp
