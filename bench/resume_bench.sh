#!/bin/sh
# bench/resume_bench.sh BUILDDIR [PODS]: what the live dashboard sends and
# receives to catch up after the API has been down for 30 s
# (BENCH_OUTAGE_SECONDS), against `opsdeck-sim --pods PODS` (default 10000).
# The console (opsdeck -A --no-collect in a pty) talks to the sim through
# bench/tcp_meter.py, which counts the bytes both ways. The outage is the
# sim's fault injection (api:reset: every request is answered by a closed
# connection) plus the relay cutting the connections already open (as a
# real outage would). Requests are counted in the sim's own log
# (OPSDECK_DEBUG_LOG; it logs paths without the query). The reference is a full relist: what the console's
# first sync cost in the same run. Idle traffic (the API probe, the
# refreshes) in a window as long as the resume window is shown beside it.
set -u
B=$(cd "${1:?usage: resume_bench.sh BUILDDIR [PODS]}" && pwd)
PODS=${2:-10000}
OUT_S=${BENCH_OUTAGE_SECONDS:-30}
WIN=${BENCH_RESUME_WINDOW:-20}
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-resume.XXXXXX")
SIM_PID= METER_PID= CON_PID=
cleanup() {
	for p in $CON_PID $METER_PID $SIM_PID; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

OPSDECK_DEBUG_LOG=$T/sim.log "$B/opsdeck-sim" --listen 127.0.0.1:0 --kubeconfig-out "$T/kc" \
	--pods "$PODS" --seed 3 >"$T/sim.out" 2>"$T/sim.err" &
SIM_PID=$!
i=0
until grep -q '^opsdeck-sim: serving ' "$T/sim.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 1800 ] || ! kill -0 $SIM_PID 2>/dev/null && { echo "resume_bench: no sim" >&2; cat "$T/sim.err" >&2; exit 1; }
	sleep 0.1
done
URL=$(sed -n 's/^opsdeck-sim: serving //p' "$T/sim.out")
SIM_PORT=${URL##*:}
python3 "$SRC/bench/tcp_meter.py" "$T/port" 127.0.0.1 "$SIM_PORT" "$T/counters" &
METER_PID=$!
i=0
until [ -s "$T/port" ] && [ -s "$T/counters" ]; do
	i=$((i + 1)); [ $i -gt 300 ] && { echo "resume_bench: no relay" >&2; exit 1; }
	sleep 0.1
done
sed "s#server: .*#server: http://127.0.0.1:$(cat "$T/port")#" "$T/kc" >"$T/kc.meter"

requests() { grep -c ' -> ' "$T/sim.log" 2>/dev/null || echo 0; }
counter() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$T/counters"; }
bytes() { echo $(($(counter up_bytes) + $(counter down_bytes))); }
snap() { echo "$(requests) $(counter up_bytes) $(counter down_bytes) $(counter conns)"; }
# the console in a pty (python keeps the pty drained)
python3 - "$B/opsdeck" "$T" "$SRC" <<'PY' &
import os, pty, sys, fcntl, termios, struct, select
opsdeck, t, src = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8", XDG_STATE_HOME=t + "/state",
               XDG_CONFIG_HOME=t + "/config", OPSDECK_DATADIR=src)
    os.execvpe(opsdeck, [opsdeck, "--kubeconfig", t + "/kc.meter", "-A", "--no-collect"], env)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
while True:
    try:
        if not os.read(fd, 65536):
            break
    except OSError:
        break
os.waitpid(pid, 0)
PY
CON_PID=$!
# first sync: the pods LIST, then quiet
i=0
until grep -q 'GET /api/v1/pods -> 200' "$T/sim.log" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 1800 ] && { echo "resume_bench: the console never watched pods" >&2; exit 1; }
	sleep 0.1
done
sleep "${BENCH_SETTLE_SECONDS:-15}" # the first sync of every informer (bytes never stop: idle traffic)
set -- $(snap); r0=$1 u0=$2 d0=$3
lists0=$(grep -c 'GET /api/v1/pods -> ' "$T/sim.log")
# idle window
sleep "$WIN"
set -- $(snap); r1=$1 u1=$2 d1=$3
# the outage
curl -s -o /dev/null -X POST --data 'api:reset' "$URL/sim/faults"
kill -USR1 $METER_PID
sleep "$OUT_S"
set -- $(snap); r2=$1 u2=$2 d2=$3
curl -s -o /dev/null -X DELETE "$URL/sim/faults"
kill -USR2 $METER_PID
sleep "$WIN"
set -- $(snap); r3=$1 u3=$2 d3=$3
lists3=$(grep -c 'GET /api/v1/pods -> ' "$T/sim.log")

sync_b=$((u0 + d0))
idle_r=$((r1 - r0)) idle_b=$((u1 - u0 + d1 - d0))
res_r=$((r3 - r2)) res_b=$((u3 - u2 + d3 - d2))
echo "resume after a ${OUT_S} s API outage, opsdeck -A --no-collect on opsdeck-sim --pods $PODS"
echo "  first sync (a full relist): $r0 requests, $sync_b bytes ($lists0 of them GET /api/v1/pods: LIST pages and the watch)"
echo "  idle ${WIN} s before the outage: $idle_r requests, $idle_b bytes"
echo "  during the outage: $((u2 - u1 + d2 - d1)) bytes through the relay"
echo "  ${WIN} s after the API came back: $res_r requests, $res_b bytes (GET /api/v1/pods among them: $((lists3 - lists0)))"
pods_after=$((lists3 - lists0))
extra_b=$((res_b - idle_b))
[ $extra_b -lt 0 ] && extra_b=0
# machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target
echo "BENCH|resume after a ${OUT_S} s API outage: requests in ${WIN} s (idle: $idle_r)|$res_r|requests|$r0|first sync (full relist)|ratio>=1"
echo "BENCH|resume after a ${OUT_S} s API outage: GET /api/v1/pods (LIST pages + watch)|$pods_after|requests|$lists0|first sync (full relist)|ratio>=10"
echo "BENCH|resume after a ${OUT_S} s API outage: bytes in ${WIN} s|$res_b|B|$sync_b|first sync (full relist)|ratio>=1"
echo "BENCH|resume after a ${OUT_S} s API outage: bytes above idle|$extra_b|B|$sync_b|first sync (full relist)|-"
echo "BENCH|idle traffic of the live dashboard at $PODS pods|$((idle_b / WIN))|B/s|-|-|-"
