# libFuzzer targets, built with ./configure CC=clang --enable-fuzzing.
if FUZZING
endif
