#!/usr/bin/env python3
"""tests/collect/fakeapi.py: a minimal Kubernetes API for the collector's
metrics path, until opsdeck-sim serves metrics (issue 4): pods and events
(LIST, and WATCHes that stay open), metrics.k8s.io PodMetrics and
NodeMetrics, nodes and the kubelet stats summary. Its clock runs
CLOCK_OFFSET seconds behind the real one (the Date header and every
timestamp), so a test can tell the API's clock from the local one.
Listens on 127.0.0.1, port 0; prints "fakeapi: serving http://127.0.0.1:PORT".
"""
import email.utils
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLOCK_OFFSET = 5 * 365 * 86400   # five years in the past
NS = "shop"


def api_now():
    return int(time.time()) - CLOCK_OFFSET


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def pod(name, ready, restarts, labels):
    return {
        "metadata": {"name": name, "namespace": NS, "uid": "uid-" + name,
                     "resourceVersion": "10", "creationTimestamp": rfc3339(api_now() - 3600),
                     "labels": labels,
                     "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d4f8b7c9",
                                          "controller": True}]},
        "spec": {"nodeName": "node-a", "containers": [{"name": "app"}, {"name": "proxy"}]},
        "status": {"phase": "Running",
                   "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
                   "containerStatuses": [
                       {"name": "app", "ready": ready, "restartCount": restarts,
                        "state": {"running": {"startedAt": rfc3339(api_now() - 600)}}},
                       {"name": "proxy", "ready": True, "restartCount": 0,
                        "state": {"running": {"startedAt": rfc3339(api_now() - 600)}}}]},
    }


PODS = [pod("web-5d4f8b7c9-abcde", True, 2, {"app": "web"}),
        pod("web-5d4f8b7c9-fghij", False, 0, {"app": "web"})]


def event(age=60, uid="ev-1", reason="Unhealthy"):
    t = rfc3339(api_now() - age)
    return {"metadata": {"name": "web." + uid, "namespace": NS, "uid": uid,
                         "creationTimestamp": t, "resourceVersion": "11"},
            "involvedObject": {"kind": "Pod", "name": PODS[1]["metadata"]["name"],
                               "namespace": NS},
            "reason": reason, "message": "Readiness probe failed", "type": "Warning",
            "count": 4, "firstTimestamp": t, "lastTimestamp": t,
            "source": {"component": "kubelet"}}


def pod_metrics():
    # Two pods scraped at different times: each keeps its own timestamp.
    t = api_now()
    return {"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
            "items": [
                {"metadata": {"name": PODS[0]["metadata"]["name"], "namespace": NS},
                 "timestamp": rfc3339(t - 7), "window": "15s",
                 "containers": [{"name": "app", "usage": {"cpu": "87123456n", "memory": "163840Ki"}},
                                {"name": "proxy", "usage": {"cpu": "5m", "memory": "20Mi"}}]},
                {"metadata": {"name": PODS[1]["metadata"]["name"], "namespace": NS},
                 "timestamp": rfc3339(t - 3), "window": "15s",
                 "containers": [{"name": "app", "usage": {"cpu": "250m", "memory": "300Mi"}},
                                {"name": "proxy", "usage": {"cpu": "1m", "memory": "10Mi"}}]}]}


def node_metrics():
    return {"kind": "NodeMetricsList", "items": [
        {"metadata": {"name": "node-a"}, "timestamp": rfc3339(api_now() - 5), "window": "20s",
         "usage": {"cpu": "1500m", "memory": "4Gi"}}]}


def summary():
    t = rfc3339(api_now() - 2)
    return {"node": {"nodeName": "node-a", "cpu": {"time": t}},
            "pods": [{"podRef": {"name": PODS[0]["metadata"]["name"], "namespace": NS},
                      "volume": [{"time": t, "name": "data", "usedBytes": 1288490188,
                                  "capacityBytes": 5368709120, "availableBytes": 4080218932,
                                  "pvcRef": {"name": "web-data", "namespace": NS}},
                                 {"time": t, "name": "tmp", "usedBytes": 1}]},
                     {"podRef": {"name": "other", "namespace": "elsewhere"},
                      "volume": [{"time": t, "name": "x", "usedBytes": 7,
                                  "pvcRef": {"name": "not-in-scope", "namespace": "elsewhere"}}]}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate(api_now(), usegmt=True)

    def log_message(self, *args):
        pass

    def send_json(self, obj, code=200):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hold_watch(self):
        # A watch with nothing to say: chunked, kept open until the client leaves.
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        try:
            for _ in range(600):
                time.sleep(1)
                self.wfile.write(b"0\r\n\r\n"[:0])
        except OSError:
            pass
        self.close_connection = True

    def forbidden(self, what):
        user = "ns-user"
        self.send_json({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                        "reason": "Forbidden", "code": 403,
                        "message": '%s is forbidden: User "%s" cannot list resource "%s" in '
                                   'API group "%s" at the cluster scope'
                                   % (what[0], user, what[1], what[2])}, 403)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        # A namespace-scoped user (token "ns-user") may not list nodes or their metrics.
        if self.headers.get("Authorization") == "Bearer ns-user":
            if path == "/api/v1/nodes":
                return self.forbidden(("nodes", "nodes", ""))
            if path == "/apis/metrics.k8s.io/v1beta1/nodes":
                return self.forbidden(("nodes.metrics.k8s.io", "nodes", "metrics.k8s.io"))
        watch = "watch=1" in query or "watch=true" in query
        lists = {
            "/api/v1/namespaces/%s/pods" % NS: lambda: {"kind": "PodList", "items": PODS},
            "/api/v1/namespaces/%s/events" % NS: lambda: {"kind": "EventList", "items": [
                event(), event(3 * 3600, "ev-old", "OldUnhealthy")]},
        }
        if path in lists:
            if watch:
                return self.hold_watch()
            obj = lists[path]()
            obj["apiVersion"] = "v1"
            obj["metadata"] = {"resourceVersion": "12"}
            return self.send_json(obj)
        if path == "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods" % NS:
            return self.send_json(pod_metrics())
        if path == "/apis/metrics.k8s.io/v1beta1/nodes":
            return self.send_json(node_metrics())
        if path == "/api/v1/nodes":
            return self.send_json({"kind": "NodeList", "apiVersion": "v1", "metadata": {},
                                   "items": [{"metadata": {"name": "node-a"}}]})
        if path == "/api/v1/nodes/node-a/proxy/stats/summary":
            return self.send_json(summary())
        self.send_json({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                        "reason": "NotFound", "code": 404,
                        "message": "the server could not find the requested resource"}, 404)


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("fakeapi: serving http://127.0.0.1:%d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
