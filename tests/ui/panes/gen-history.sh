#!/bin/sh
# Writes six hours of Prometheus text (timestamps in ms) ending at $1 (Unix s):
# synapse-main leaks memory from 3.5Gi at 10Mi/min, restarts after 4 h (the
# restart counter steps 0 -> 1, memory falls back) and leaks again; CPU is a
# steady 0.3 cores; synapse-postgres-1's volume fills from 6Gi by 0.5Gi/h on a
# 12Gi claim. One sample a minute.
end=$1
awk -v end="$end" 'BEGIN {
	start = end - 6 * 3600; gi = 1073741824; mi = 1048576
	pod = "namespace=\"matrix\",pod=\"synapse-main-6d5f7b8c9-abcde\",container=\"synapse\""
	pvc = "namespace=\"matrix\",persistentvolumeclaim=\"pgdata-synapse-postgres-1\""
	print "# TYPE container_memory_usage_bytes gauge"
	for (i = 0; i < 6 * 3600; i += 60) {
		m = i < 4 * 3600 ? i : i - 4 * 3600
		printf "container_memory_usage_bytes{%s} %.0f %.0f\n", pod, 3.5 * gi + m / 60 * 10 * mi, (start + i) * 1000
	}
	print "# TYPE kube_pod_container_status_restarts_total counter"
	for (i = 0; i < 6 * 3600; i += 60)
		printf "kube_pod_container_status_restarts_total{%s} %.0f %.0f\n", pod, i < 4 * 3600 ? 0 : 1, (start + i) * 1000
	print "# TYPE container_cpu_usage_seconds_total counter"
	for (i = 0; i < 6 * 3600; i += 60)
		printf "container_cpu_usage_seconds_total{%s} %.1f %.0f\n", pod, i * 0.3, (start + i) * 1000
	print "# TYPE kubelet_volume_stats_used_bytes gauge"
	for (i = 0; i < 6 * 3600; i += 60)
		printf "kubelet_volume_stats_used_bytes{%s} %.0f %.0f\n", pvc, 6 * gi + i / 7200 * gi, (start + i) * 1000
	print "# TYPE kubelet_volume_stats_capacity_bytes gauge"
	for (i = 0; i < 6 * 3600; i += 60)
		printf "kubelet_volume_stats_capacity_bytes{%s} %.0f %.0f\n", pvc, 12 * gi, (start + i) * 1000
}'
