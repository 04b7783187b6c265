# Benchmarks: make bench (later issues).

# store (issue 6): figures for the history database (built with everything so it
# keeps compiling; `make bench-store` runs it, BENCH_STORE_FLAGS=--quick for a short run).
noinst_PROGRAMS += bench/store_bench
bench_store_bench_CFLAGS = $(AM_CFLAGS)
bench_store_bench_LDADD = libodstore.a libodcore.a $(SQLITE_LIBS) $(CRYPTO_LIBS) -lm
bench-store: bench/store_bench$(EXEEXT)
	./bench/store_bench$(EXEEXT) $(BENCH_STORE_FLAGS)
.PHONY: bench-store
