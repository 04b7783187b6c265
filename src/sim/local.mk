# sim: opsdeck-sim, the simulated Kubernetes API server and its controllers.
bin_PROGRAMS += opsdeck-sim
opsdeck_sim_SOURCES = src/sim/main.c
opsdeck_sim_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) \
	$(CRYPTO_CFLAGS) $(ZLIB_CFLAGS)
opsdeck_sim_LDADD = libodcore.a $(MHD_LIBS) $(CJSON_LIBS) $(YAML_LIBS) \
	$(CRYPTO_LIBS) $(ZLIB_LIBS) -lm
