# kube: kubeconfig, auth, HTTP, API, caches, kubectl printer rules.
noinst_LIBRARIES += libodkube.a
libodkube_a_SOURCES = \
	src/kube/jsonarena.c \
	src/kube/kubeconfig.c \
	src/kube/kubeconfig_resolve.c \
	src/kube/kubeconfig_write.c \
	src/kube/pod.c \
	src/kube/podstatus.c \
	src/kube/tabwriter.c
noinst_HEADERS += \
	include/opsdeck/jsonarena.h \
	include/opsdeck/kubeconfig.h \
	include/opsdeck/pod.h \
	include/opsdeck/podstatus.h \
	include/opsdeck/tabwriter.h
libodkube_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CURL_CFLAGS)
