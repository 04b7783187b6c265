# sim: opsdeck-sim, the simulated Kubernetes API server and its controllers.

# The label selector parser is core: the client reuses it.
libodcore_a_SOURCES += src/core/selector.c
noinst_HEADERS += include/opsdeck/selector.h

# Everything but main.c, so the unit tests and the fuzz target link the same code.
noinst_LIBRARIES += libodsim.a
libodsim_a_SOURCES = \
	src/sim/api.c \
	src/sim/auth.c \
	src/sim/certs.c \
	src/sim/clock.c \
	src/sim/ctrl.c \
	src/sim/discovery.c \
	src/sim/faults.c \
	src/sim/json.c \
	src/sim/kubeconfig_out.c \
	src/sim/logs.c \
	src/sim/metrics.c \
	src/sim/objects.c \
	src/sim/patch.c \
	src/sim/pb.c \
	src/sim/prom.c \
	src/sim/proxy.c \
	src/sim/resources.c \
	src/sim/rng.c \
	src/sim/router.c \
	src/sim/scale.c \
	src/sim/scenario.c \
	src/sim/server.c \
	src/sim/sim.c \
	src/sim/status.c \
	src/sim/storage.c \
	src/sim/store.c \
	src/sim/stream.c \
	src/sim/table.c \
	src/sim/watch.c \
	src/sim/workloads.c \
	src/sim/yaml.c
libodsim_a_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS)
noinst_HEADERS += \
	include/opsdeck/sim_api.h \
	include/opsdeck/sim_auth.h \
	include/opsdeck/sim_certs.h \
	include/opsdeck/sim_clock.h \
	include/opsdeck/sim_ctrl.h \
	include/opsdeck/sim_discovery.h \
	include/opsdeck/sim_faults.h \
	include/opsdeck/sim_metrics.h \
	include/opsdeck/sim_json.h \
	include/opsdeck/sim_kubeconfig_out.h \
	include/opsdeck/sim_logs.h \
	include/opsdeck/sim_objects.h \
	include/opsdeck/sim_patch.h \
	include/opsdeck/sim_pb.h \
	include/opsdeck/sim_prom.h \
	include/opsdeck/sim_proxy.h \
	include/opsdeck/sim_resources.h \
	include/opsdeck/sim_rng.h \
	include/opsdeck/sim_router.h \
	include/opsdeck/sim_scale.h \
	include/opsdeck/sim_scenario.h \
	include/opsdeck/sim_server.h \
	include/opsdeck/sim_sim.h \
	include/opsdeck/sim_status.h \
	include/opsdeck/sim_storage.h \
	include/opsdeck/sim_store.h \
	include/opsdeck/sim_stream.h \
	include/opsdeck/sim_table.h \
	include/opsdeck/sim_watch.h \
	include/opsdeck/sim_workloads.h \
	include/opsdeck/sim_yaml.h

# GnuTLS is libmicrohttpd's TLS backend; the sim reads client certificates
# through it (configure checks that MHD was built with it).
SIM_LIBS = libodsim.a libodcore.a $(MHD_LIBS) $(CJSON_LIBS) $(YAML_LIBS) $(CRYPTO_LIBS) \
	$(GNUTLS_LIBS) -lm

bin_PROGRAMS += opsdeck-sim
opsdeck_sim_SOURCES = src/sim/main.c
opsdeck_sim_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS)
opsdeck_sim_LDADD = $(SIM_LIBS)
