# Fault suite (issue 13): cases the older tests did not cover (see
# docs/faults.md for the full list and where each case is tested).
TESTS += tests/faults/watch410_storm.sh
EXTRA_DIST += tests/faults/local.mk tests/faults/watch410_storm.sh
