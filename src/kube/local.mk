# kube: kubeconfig, auth, HTTP, API, caches, kubectl printer rules.
noinst_LIBRARIES += libodkube.a
libodkube_a_SOURCES =
libodkube_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CURL_CFLAGS)
