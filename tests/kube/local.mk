# Kubernetes client tests (issue 5).
