# Benchmarks. `make bench` (issue 13) runs every benchmark below against
# opsdeck-sim and prints one table (bench/bench_table.sh): opsdeck's figure,
# the reference measured in the same run, the ratio, the target, met/missed;
# `make bench BENCH_RESULTS=$(abs_top_srcdir)/bench/RESULTS.md` also writes
# the committed results with the machine's description. docs/bench.md.
EXTRA_DIST += bench/bench_table.sh bench/resume_bench.sh bench/tcp_meter.py bench/RESULTS.md
bench: bench/store_bench$(EXEEXT) bench/ui_bench$(EXEEXT) bench/panes_bench$(EXEEXT) \
		bench/runstat$(EXEEXT) opsdeck$(EXEEXT) opsdeck-sim$(EXEEXT) tests/net/netprobe$(EXEEXT)
	OPSDECK_DATADIR=$(abs_top_srcdir) $(abs_top_srcdir)/bench/bench_table.sh run \
		$(abs_top_builddir) $(BENCH_RESULTS)
.PHONY: bench

# store (issue 6): figures for the history database (built with everything so it
# keeps compiling; `make bench-store` runs it, BENCH_STORE_FLAGS=--quick for a short run).
noinst_PROGRAMS += bench/store_bench
bench_store_bench_CFLAGS = $(AM_CFLAGS)
bench_store_bench_LDADD = libodstore.a libodcore.a $(SQLITE_LIBS) $(CRYPTO_LIBS) -lm
bench-store: bench/store_bench$(EXEEXT)
	./bench/store_bench$(EXEEXT) $(BENCH_STORE_FLAGS)
.PHONY: bench-store

# Trends and Logs panes (issue 8): `make bench-panes` prints the figures
# (BENCH_PANES_FLAGS="--rate 50000 --seconds 4 --runs 20").
noinst_PROGRAMS += bench/panes_bench
bench_panes_bench_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
bench_panes_bench_LDADD = libodui.a libodactions.a libodrunbook.a libodsettings.a libodstore.a libodkube.a \
	libodcore.a $(NCURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(YAML_LIBS) $(SQLITE_LIBS) \
	$(CRYPTO_LIBS) -lm
bench-panes: bench/panes_bench$(EXEEXT)
	OPSDECK_DATADIR=$(abs_top_srcdir) ./bench/panes_bench$(EXEEXT) $(BENCH_PANES_FLAGS)
.PHONY: bench-panes

# ui (issue 7): dashboard figures; `make bench-ui` runs the in-process part
# (first paint from the store, filter keystroke at 10,000 pods) and
# bench/ui_bench.sh (idle CPU and bytes/s through a pty against opsdeck-sim,
# next to `watch -n2 kubectl get pods`).
noinst_PROGRAMS += bench/ui_bench
bench_ui_bench_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
bench_ui_bench_LDADD = libodui.a libodactions.a libodcollect.a libodrunbook.a libodsettings.a libodstore.a \
	libodkube.a libodcore.a $(NCURSES_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(YAML_LIBS) \
	$(SQLITE_LIBS) $(CRYPTO_LIBS) -lm
EXTRA_DIST += bench/ui_bench.sh
bench-ui: bench/ui_bench$(EXEEXT) opsdeck$(EXEEXT) opsdeck-sim$(EXEEXT)
	./bench/ui_bench$(EXEEXT)
	OPSDECK_DATADIR=$(abs_top_srcdir) $(abs_top_srcdir)/bench/ui_bench.sh $(abs_top_builddir)
.PHONY: bench-ui

# sim (issue 4): opsdeck-sim at scale; `make bench-sim` prints the figures for
# --pods 10000 (BENCH_SIM_PODS to change): full pod list, 200 watches, RSS.
EXTRA_DIST += bench/sim_bench.sh
bench-sim: opsdeck-sim$(EXEEXT)
	$(abs_top_srcdir)/bench/sim_bench.sh $(abs_top_builddir) $(BENCH_SIM_PODS)
.PHONY: bench-sim

# client (issue 5): `make bench-client` sets opsdeck's get pods -A beside
# kubectl's on opsdeck-sim --pods 10000 (BENCH_CLIENT_PODS to change), and
# measures the informer's RSS and relist CPU.
noinst_PROGRAMS += bench/runstat
bench_runstat_LDADD = libodcore.a
EXTRA_DIST += bench/client_bench.sh
bench-client: bench/runstat$(EXEEXT) opsdeck$(EXEEXT) opsdeck-sim$(EXEEXT) tests/net/netprobe$(EXEEXT)
	$(abs_top_srcdir)/bench/client_bench.sh $(abs_top_builddir) $(BENCH_CLIENT_PODS)
.PHONY: bench-client
