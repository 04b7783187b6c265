#!/usr/bin/env python3
# bench/tcp_meter.py LISTEN_PORTFILE TARGET_HOST TARGET_PORT COUNTERS_FILE:
# a TCP relay on 127.0.0.1 that counts the bytes and connections between a
# client and opsdeck-sim, for bench/resume_bench.sh. SIGUSR1 takes the link
# down (every open connection is cut, new ones are closed at once), SIGUSR2
# brings it back. COUNTERS_FILE is rewritten every 0.1 s:
# "conns=N up_bytes=U down_bytes=D" (up: client to server).
import os, signal, socket, sys, threading, time

portfile, host, port, counters = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
st = {"conns": 0, "up": 0, "down": 0}
live = set()
down = [False]

def pump(src, dst, key):
    try:
        while True:
            d = src.recv(65536)
            if not d:
                break
            with lock:
                st[key] += len(d)
            dst.sendall(d)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

def serve(c):
    try:
        u = socket.create_connection((host, port))
    except OSError:
        c.close()
        return
    with lock:
        st["conns"] += 1
        live.add(c)
        live.add(u)
    t = threading.Thread(target=pump, args=(u, c, "down"), daemon=True)
    t.start()
    pump(c, u, "up")
    t.join()
    with lock:
        live.discard(c)
        live.discard(u)
    c.close()
    u.close()

def cut(*_):
    down[0] = True
    with lock:
        for s in list(live):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

def restore(*_):
    down[0] = False

def report():
    while True:
        with lock:
            line = "conns=%d up_bytes=%d down_bytes=%d\n" % (st["conns"], st["up"], st["down"])
        with open(counters + ".tmp", "w") as f:
            f.write(line)
        os.rename(counters + ".tmp", counters)
        time.sleep(0.1)

signal.signal(signal.SIGUSR1, cut)
signal.signal(signal.SIGUSR2, restore)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 0))
ls.listen(64)
threading.Thread(target=report, daemon=True).start()
with open(portfile + ".tmp", "w") as f:
    f.write(str(ls.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
while True:
    try:
        c, _ = ls.accept()
    except InterruptedError:
        continue
    if down[0]:
        c.close()
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
