#!/bin/sh
# bench/ui_bench.sh BUILDDIR: figures for the live dashboard through a real
# pty at 120x40 (it prints, it does not judge):
#   - first paint of the real process from the store, with an unreachable API
#     (time from exec to the first pod name on the terminal; target 150 ms);
#   - idle CPU of opsdeck on opsdeck-sim (2 s refresh, 1 s API probe, the
#     collector every 15 s) as % of one core (target 0.5%);
#   - bytes/s written to the terminal at 120x40 (target 300 B/s), side by
#     side with `watch -n2 kubectl get pods` on the same sim and a pty of the
#     same size, counted the same way.
# Only 127.0.0.1; the sim is killed by PID on exit. BENCH_UI_SECONDS sets
# the measuring window (default 30).
set -eu
build=$(cd "${1:-.}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
secs=${BENCH_UI_SECONDS:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-ui-bench.XXXXXX")
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$build/opsdeck-sim" --listen 127.0.0.1:0 --kubeconfig-out "$work/kubeconfig" --seed 7 \
	--start-time 2026-01-01T00:00:00Z >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
n=600
until grep -q '^opsdeck-sim: serving ' "$work/sim.out"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] && kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
	sleep 0.1
done
sed "s#server: .*#server: http://127.0.0.1:1#" "$work/kubeconfig" >"$work/kubeconfig.down"
kubectl_bin=$(command -v kubectl || true)

export OPSDECK_DATADIR="${OPSDECK_DATADIR:-$src}" XDG_STATE_HOME="$work/state"
export XDG_CONFIG_HOME="$work/config" LC_ALL=C.UTF-8 TERM=xterm-256color

python3 - "$build/opsdeck" "$work" "$secs" "$kubectl_bin" <<'EOF'
import fcntl, os, pty, select, signal, struct, sys, termios, time

opsdeck, work, secs, kubectl = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]

def spawn(argv, env):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd

def drain(fd, until, want=None):
    out = b""
    while time.monotonic() < until:
        r, _, _ = select.select([fd], [], [], max(0, until - time.monotonic()))
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if want and want in out:
            return out, True
    return out, False

def cpu_ticks(pid):
    tot = 0
    # the process and its children (watch runs kubectl every 2 s)
    for p in [pid] + children(pid):
        try:
            f = open("/proc/%d/stat" % p).read().rsplit(")", 1)[1].split()
            tot += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
        except (OSError, IndexError):
            pass
    return tot

def children(pid):
    try:
        return [int(c) for c in open("/proc/%d/task/%d/children" % (pid, pid)).read().split()]
    except OSError:
        return []

def stop(pid, fd):
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass
    drain(fd, time.monotonic() + 1)
    os.waitpid(pid, 0)
    os.close(fd)

hz = os.sysconf("SC_CLK_TCK")
env = dict(os.environ, KUBECONFIG=work + "/kubeconfig")

# 1. Fill the store: a live session until the rows are saved (throttled to 5 s).
pid, fd = spawn([opsdeck, "-A"], env)
drain(fd, time.monotonic() + 12)
stop(pid, fd)

# 2. First paint of the real process from the store with an unreachable API.
down = dict(env, KUBECONFIG=work + "/kubeconfig.down")
times = []
for _ in range(5):
    t0 = time.monotonic()
    pid, fd = spawn([opsdeck, "-A"], down)
    _, seen = drain(fd, t0 + 10, b"home-assistant-")
    times.append((time.monotonic() - t0) * 1000 if seen else None)
    stop(pid, fd)
ok = [t for t in times if t is not None]
# the reference: kubectl get pods -A on the live sim, exec to the first pod name
ktimes = []
if kubectl:
    for _ in range(5):
        t0 = time.monotonic()
        pid, fd = spawn([kubectl, "get", "pods", "-A"], env)
        _, seen = drain(fd, t0 + 10, b"home-assistant-")
        ktimes.append((time.monotonic() - t0) * 1000 if seen else None)
        stop(pid, fd)
kok = [t for t in ktimes if t is not None]
kmed = "%.0f" % sorted(kok)[len(kok) // 2] if kok else "-"
if ok:
    print("first paint of opsdeck from the store (API unreachable), 5 runs: median %.0f ms, "
          "worst %.0f ms (target 150 ms); kubectl get pods -A median %s ms"
          % (sorted(ok)[len(ok) // 2], max(ok), kmed))
    # machine-readable for bench/bench_table.sh: BENCH|row|value|unit|ref|ref label|target
    print("BENCH|first paint, real process in a pty|%.0f|ms|%s|kubectl get pods -A|<=150"
          % (sorted(ok)[len(ok) // 2], kmed))
else:
    print("first paint of opsdeck from the store: no pod name painted within 10 s")
    print("BENCH|first paint, real process in a pty|-|ms|%s|kubectl get pods -A|<=150" % kmed)

# 3. Idle CPU and bytes/s, opsdeck then watch kubectl, same pty size, same count.
def measure(argv, label):
    pid, fd = spawn(argv, env)
    drain(fd, time.monotonic() + 8)          # settle: first paint, LIST, sync
    c0 = cpu_ticks(pid)
    t0 = time.monotonic()
    out, _ = drain(fd, t0 + secs)
    dt = time.monotonic() - t0
    c1 = cpu_ticks(pid)
    stop(pid, fd)
    print("%-34s %6.2f%% of a core   %7.0f bytes/s at 120x40 (%d bytes in %.0f s)" % (
        label, 100.0 * (c1 - c0) / hz / dt, len(out) / dt, len(out), dt))
    return 100.0 * (c1 - c0) / hz / dt, len(out) / dt

o_cpu, o_bps = measure([opsdeck, "-A"], "opsdeck -A (idle, live):")
k_cpu, k_bps = "-", "-"
if kubectl:
    k_cpu, k_bps = measure(["watch", "-n2", kubectl, "get", "pods", "-A"], "watch -n2 kubectl get pods -A:")
    k_cpu, k_bps = "%.2f" % k_cpu, "%.0f" % k_bps
else:
    print("watch -n2 kubectl get pods: kubectl is not installed")
print("(targets for opsdeck: 0.5% of a core, 300 bytes/s)")
print("BENCH|idle CPU, live dashboard|%.2f|%% core|%s|watch -n2 kubectl get pods -A|<=0.5" % (o_cpu, k_cpu))
print("BENCH|terminal bytes/s at 120x40, idle|%.0f|B/s|%s|watch -n2 kubectl get pods -A|<=300" % (o_bps, k_bps))
EOF
