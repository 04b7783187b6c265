#!/usr/bin/env python3
"""A fixed metrics.k8s.io API for tests/kube/headless_top.sh: just enough
discovery, nodes and pod/node metrics for `kubectl top` and `opsdeck top` to
run against the same answers. Listens on 127.0.0.1, port 0 (picked by the
kernel), prints "serving http://127.0.0.1:PORT" once ready."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

NODES = [("node-a", "4", "16Gi", "1250m", "6Gi"), ("node-b", "8", "32Gi", "300m", "2500Mi")]
PODS = [("default", "web-1", [("nginx", "12m", "30Mi"), ("sidecar", "1m", "5Mi")]),
        ("default", "api-0", [("api", "250m", "512Mi")]),
        ("kube-system", "dns-0", [("coredns", "3m", "20Mi")])]
TS = "2026-01-10T12:00:00Z"


def node_list():
    return {"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
            "items": [{"metadata": {"name": n, "creationTimestamp": TS},
                       "status": {"allocatable": {"cpu": c, "memory": m},
                                  "capacity": {"cpu": c, "memory": m}}}
                      for n, c, m, _, _ in NODES]}


def node_metrics():
    return {"kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
            "items": [{"metadata": {"name": n, "creationTimestamp": TS}, "timestamp": TS,
                       "window": "20s", "usage": {"cpu": uc, "memory": um}}
                      for n, _, _, uc, um in NODES]}


def pod_metrics(ns):
    return {"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
            "items": [{"metadata": {"name": p, "namespace": pns, "creationTimestamp": TS},
                       "timestamp": TS, "window": "20s",
                       "containers": [{"name": c, "usage": {"cpu": cpu, "memory": mem}}
                                      for c, cpu, mem in cs]}
                      for pns, p, cs in PODS if ns is None or pns == ns]}


def resources(gv, names):
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": [{"name": n, "singularName": n[:-1], "namespaced": n == "pods",
                           "kind": k, "verbs": ["get", "list"]} for n, k in names]}


ROUTES = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "metrics.k8s.io",
         "versions": [{"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}],
         "preferredVersion": {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}}]},
    "/api/v1": resources("v1", [("pods", "Pod"), ("nodes", "Node"), ("namespaces", "Namespace")]),
    "/apis/metrics.k8s.io/v1beta1": resources("metrics.k8s.io/v1beta1",
                                              [("pods", "PodMetrics"), ("nodes", "NodeMetrics")]),
    "/api/v1/nodes": node_list(),
    "/apis/metrics.k8s.io/v1beta1/nodes": node_metrics(),
    "/apis/metrics.k8s.io/v1beta1/pods": pod_metrics(None),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        body = ROUTES.get(path)
        parts = path.split("/")
        if body is None and path.startswith("/apis/metrics.k8s.io/v1beta1/namespaces/") \
                and len(parts) == 7 and parts[6] == "pods":
            body = pod_metrics(parts[5])
        code = 200
        if body is None:
            code = 404
            body = {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                    "message": "the server could not find the requested resource",
                    "reason": "NotFound", "code": 404}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


srv = HTTPServer(("127.0.0.1", 0), Handler)
print("serving http://127.0.0.1:%d" % srv.server_port, flush=True)
try:
    srv.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
