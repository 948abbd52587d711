#!/usr/bin/env python3
"""improve serve under N idle sessions: first frame, idle CPU and bytes,
memory (PSS), and how long one write takes to reach every session.

    cargo build --release
    python3 benches/serve_bench.py [--bin target/release/improve] [--sessions 50] [--idle 20]

Needs ssh and ssh-keygen. Everything lives in a temporary folder.
"""
import argparse, fcntl, os, pty, re, select, signal, struct, subprocess, sys, tempfile, termios, time

FRAME_END = b"\x1b[?2026l"

def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return int(rest[11]) + int(rest[12])
    except OSError:
        return 0

def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    rest = f.read().rsplit(")", 1)[1].split()
                if rest[1] == str(pid):
                    out.append(int(d))
            except OSError:
                pass
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/improve")
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--idle", type=float, default=20)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    key = os.path.join(tmp, "vera")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vera", "-f", key], check=True)
    db = os.path.join(tmp, "r.db")
    subprocess.run([a.bin, "--db", db, "demo"], check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [a.bin, "--db", db, "serve", "--listen", "127.0.0.1:0", "--viewers", key + ".pub",
         "--host-key", os.path.join(tmp, "hk"), "--max-sessions", str(a.sessions + 1)],
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    line = server.stderr.readline().decode()
    port = re.search(r"listening on 127\.0\.0\.1:(\d+)", line).group(1)
    ssh = ["ssh", "-F", "/dev/null", "-p", port, "-o", "StrictHostKeyChecking=no",
           "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
           "-o", "IdentitiesOnly=yes", "-i", key]
    # Connect + authenticate + refused command: the handshake alone.
    hs = []
    for _ in range(5):
        t = time.monotonic()
        subprocess.run(ssh + ["x@127.0.0.1", "true"], capture_output=True)
        hs.append(time.monotonic() - t)
    time.sleep(10)
    clients, firsts = [], []
    for i in range(a.sessions):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.set_blocking(master, False)
        t = time.monotonic()
        p = subprocess.Popen(ssh + ["-tt", "x@127.0.0.1"], stdin=slave, stdout=slave, stderr=slave,
                             env={"TERM": "xterm-256color", "PATH": os.environ["PATH"], "HOME": tmp})
        os.close(slave)
        buf = b""
        # The frame with the backlog in it, not a partial one.
        while not (FRAME_END in buf and b"Backlog" in buf):
            select.select([master], [], [], 5)
            try:
                buf += os.read(master, 65536)
            except BlockingIOError:
                pass
            except OSError:
                sys.exit(f"session {i} ended before its first frame: {buf[-300:]!r}")
        firsts.append(time.monotonic() - t)
        if i == 0 and os.environ.get("DEBUG"):
            print(repr(buf[:400]))
        clients.append([p, master, buf])
        # Under the server's 20 connections per address in 10 s.
        time.sleep(0.6)
    def drain(timeout):
        got = 0
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            r, _, _ = select.select([c[1] for c in clients], [], [], left)
            for c in clients:
                if c[1] in r:
                    try:
                        d = os.read(c[1], 65536)
                        c[2] += d
                        got += len(d)
                    except (BlockingIOError, OSError):
                        pass
    drain(2)
    kids = children(server.pid)
    procs = [server.pid] + kids
    t0 = {p: cpu_ticks(p) for p in procs}
    w0 = time.monotonic()
    idle_bytes = drain(a.idle)
    wall = time.monotonic() - w0
    hz = os.sysconf("SC_CLK_TCK")
    server_cpu = (cpu_ticks(server.pid) - t0[server.pid]) / hz / wall * 100
    kids_cpu = sum(cpu_ticks(p) - t0[p] for p in kids) / hz / wall * 100
    server_pss = pss_kb(server.pid)
    kids_pss = [pss_kb(p) for p in kids]
    marker = b"Reaches everyone"
    frames = [c[2].count(FRAME_END) for c in clients]
    t = time.monotonic()
    subprocess.run([a.bin, "--db", db, "add", marker.decode()], check=True, stdout=subprocess.DEVNULL)
    pending = set(range(len(clients)))
    while pending and time.monotonic() - t < 10:
        drain(0.02)
        # A new frame: ratatui writes only changed cells, so the title may
        # not arrive in one piece.
        pending = {i for i in pending if clients[i][2].count(FRAME_END) <= frames[i]}
    reach = time.monotonic() - t
    med = lambda xs: sorted(xs)[len(xs) // 2]
    print(f"sessions                 {a.sessions} (dashboards running: {len(kids)})")
    print(f"handshake (connect+auth+exec refused) median {med(hs)*1000:.0f} ms")
    print(f"connect to first frame   median {med(firsts)*1000:.0f} ms, max {max(firsts)*1000:.0f} ms")
    print(f"first frame after auth   ~{(med(firsts)-med(hs))*1000:.0f} ms (median difference)")
    print(f"idle {wall:.0f} s: bytes to all clients {idle_bytes}, CPU server {server_cpu:.2f} %, dashboards {kids_cpu:.2f} % (sum)")
    print(f"PSS server {server_pss/1024:.1f} MB, dashboards {sum(kids_pss)/1024:.1f} MB total, {sum(kids_pss)/max(1,len(kids_pss))/1024:.2f} MB each")
    print(f"one write reached {len(clients)-len(pending)}/{len(clients)} sessions in {reach*1000:.0f} ms")
    server.send_signal(signal.SIGTERM)
    t = time.monotonic()
    rc = server.wait(10)
    print(f"SIGTERM to exit          {(time.monotonic()-t)*1000:.0f} ms, status {rc}")
    for c in clients:
        c[0].kill()

main()
