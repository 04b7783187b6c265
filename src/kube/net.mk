# kube networking: HTTP over libcurl multi, auth plugins, API calls, watch caches.
# Sources join libodkube.a (defined in src/kube/local.mk).
libodkube_a_SOURCES += \
	src/kube/status.c \
	src/kube/backoff.c \
	src/kube/apiclock.c \
	src/kube/watch.c \
	src/kube/linesplit.c \
	src/kube/api.c \
	src/kube/auth.c \
	src/kube/auth_exec.c \
	src/kube/http.c \
	src/kube/conn.c \
	src/kube/informer.c \
	src/kube/podcache.c
noinst_HEADERS += \
	include/opsdeck/status.h \
	include/opsdeck/backoff.h \
	include/opsdeck/apiclock.h \
	include/opsdeck/watch.h \
	include/opsdeck/linesplit.h \
	include/opsdeck/api.h \
	include/opsdeck/auth.h \
	include/opsdeck/http.h \
	include/opsdeck/kubeconn.h \
	include/opsdeck/informer.h \
	include/opsdeck/podcache.h
