# kube networking: HTTP over libcurl multi, auth plugins, API calls, watch caches.
# Sources join libodkube.a (defined in src/kube/local.mk).
