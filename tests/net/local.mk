# Tests of the HTTP/API layer: unit tests (cmocka) and integration tests
# against opsdeck-sim over real HTTP/HTTPS on 127.0.0.1.
NET_UNIT_CFLAGS = $(UNIT_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
NET_UNIT_LDADD = libodkube.a libodcore.a $(CMOCKA_LIBS) $(CURL_LIBS) $(CJSON_LIBS) -lm

net_unit_tests = \
	tests/net/test_watch \
	tests/net/test_linesplit \
	tests/net/test_status \
	tests/net/test_backoff \
	tests/net/test_api \
	tests/net/test_auth \
	tests/net/test_http
check_PROGRAMS += $(net_unit_tests)
TESTS += $(net_unit_tests)

tests_net_test_watch_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_watch_LDADD = $(NET_UNIT_LDADD)
tests_net_test_linesplit_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_linesplit_LDADD = $(NET_UNIT_LDADD)
tests_net_test_status_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_status_LDADD = $(NET_UNIT_LDADD)
tests_net_test_backoff_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_backoff_LDADD = $(NET_UNIT_LDADD)
tests_net_test_api_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_api_LDADD = $(NET_UNIT_LDADD)
tests_net_test_auth_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_auth_LDADD = $(NET_UNIT_LDADD)

tests_net_test_http_SOURCES = tests/net/test_http.c tests/net/fakeserver.c tests/net/fakeserver.h
tests_net_test_http_CFLAGS = $(NET_UNIT_CFLAGS)
tests_net_test_http_LDADD = $(NET_UNIT_LDADD)

# netprobe drives the client from the integration scripts.
check_PROGRAMS += tests/net/netprobe
tests_net_netprobe_CFLAGS = $(NET_UNIT_CFLAGS) $(YAML_CFLAGS)
tests_net_netprobe_LDADD = libodkube.a libodcore.a $(CURL_LIBS) $(CJSON_LIBS) $(YAML_LIBS) -lm

TESTS += tests/net/tls.sh tests/net/sim_client.sh tests/net/sim_faults.sh
EXTRA_DIST += tests/net/local.mk tests/net/exec-plugin.sh tests/net/tls.sh tests/net/sim_client.sh \
	tests/net/sim_faults.sh
