#!/usr/bin/env python3
"""Hostile clients for bench/hostile-mix.sh, all at once for SECONDS, then they stop by themselves.

Loopback only (127.0.0.0/8). Every attacker is bounded in time and in connections; the script
prints what each did. Usage: attackers.py HOST ECHO PRIME ADMIN SECONDS MAX_CONNECTIONS
"""
import os, random, socket, struct, sys, threading, time

host, echo, prime, admin, seconds, max_connections = sys.argv[1], *map(int, sys.argv[2:7])
assert host.startswith("127."), "attackers only target loopback"
deadline = time.monotonic() + seconds
stats = {}
lock = threading.Lock()

def count(name, n=1):
    with lock:
        stats[name] = stats.get(name, 0) + n

def running():
    return time.monotonic() < deadline

def connect(port, timeout=2):
    s = socket.socket()
    s.settimeout(timeout)
    s.connect((host, port))
    return s

def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()

def resetters(per_second=300):
    """Connections that send half a frame (or half a number) and reset, per_second in all."""
    while running():
        start = time.monotonic()
        for i in range(per_second // 10):
            try:
                port = echo if i % 2 == 0 else prime
                s = connect(port)
                s.send(b"^abc" if port == echo else b"12345")
                reset(s)
                count("reset mid-frame")
            except OSError:
                count("reset mid-frame: connect failed")
        time.sleep(max(0, 0.1 - (time.monotonic() - start)))

def slowloris(port, payload, n=100):
    """n connections per port that send one byte of a never-finished request every second."""
    socks = []
    for _ in range(n):
        try:
            socks.append(connect(port))
        except OSError:
            count("slowloris: connect failed")
    count(f"slowloris on {port}", len(socks))
    i = 0
    while running():
        for s in list(socks):
            try:
                s.send(payload[i % len(payload):i % len(payload) + 1])
            except OSError:
                socks.remove(s)
                count(f"slowloris on {port}: closed by server")
        i += 1
        time.sleep(1)
    for s in socks:
        s.close()

def slow_readers(n=100):
    """Echo connections that stream 64 KB frames and never read."""
    socks = []
    for _ in range(n):
        try:
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect((host, echo))
            s.setblocking(False)
            socks.append(s)
        except OSError:
            count("slow reader: connect failed")
    count("slow readers", len(socks))
    chunk = b"^" + b"a" * 65535
    while running():
        for s in list(socks):
            try:
                count("slow readers: bytes sent", s.send(chunk))
            except BlockingIOError:
                pass
            except OSError:
                socks.remove(s)
                count("slow readers: closed by server")
        time.sleep(0.05)
    for s in socks:
        reset(s)

TLS_HELLO = bytes.fromhex("16030100a1010000 9d0303") + os.urandom(32) + bytes.fromhex("000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035000a010000540000000e000c0000096c6f63616c686f7374")
GARBAGE = [
    lambda: os.urandom(random.randint(1, 4096)),
    lambda: b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    lambda: TLS_HELLO,
    lambda: b"\0" * (1 << 20),
    lambda: b"9" * 10_000 + b"\n",
]

def garbage(per_second=50):
    """Random bytes, HTTP, a TLS ClientHello, 1 MB of NULs, a 10,000-digit number on echo and prime."""
    while running():
        start = time.monotonic()
        for i in range(per_second // 10):
            try:
                s = connect(echo if i % 2 == 0 else prime)
                s.sendall(random.choice(GARBAGE)())
                s.close()
                count("garbage")
            except OSError:
                count("garbage: refused or reset")
        time.sleep(max(0, 0.1 - (time.monotonic() - start)))

def admin_abuse(per_second=20):
    """Oversized headers (100 KB) and requests that never finish on the admin port."""
    held = []
    while running():
        start = time.monotonic()
        for i in range(per_second // 10):
            try:
                s = connect(admin)
                if i % 2 == 0:
                    s.sendall(b"GET /health/ready HTTP/1.1\r\nX: " + b"a" * 100_000 + b"\r\n\r\n")
                    s.close()
                    count("admin: oversized header")
                else:
                    s.send(b"GET /health/re")
                    held.append(s)
                    count("admin: slow request")
            except OSError:
                count("admin: closed by server")
        time.sleep(max(0, 0.1 - (time.monotonic() - start)))
    for s in held:
        s.close()

def flood():
    """Connections past --max-connections, held two seconds, three waves."""
    for wave in range(3):
        if not running():
            break
        socks = []
        for i in range(max_connections + 500):
            try:
                socks.append(connect(echo if i % 2 == 0 else prime, timeout=1))
            except OSError:
                count("flood: connect failed")
        count("flood: connections opened", len(socks))
        time.sleep(2)
        for s in socks:
            s.close()
        time.sleep(max(0, seconds / 3 - 2))

threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in [
    (resetters, ()), (slowloris, (echo, b"^" + b"a" * 1000)), (slowloris, (prime, b"1234567890" * 6)),
    (slowloris, (admin, b"GET /health/ready HTTP/1.1\r\nHost: x\r\n")), (slow_readers, ()),
    (garbage, ()), (admin_abuse, ()), (flood, ())]]
for t in threads:
    t.start()
for t in threads:
    t.join(seconds + 60)
for name in sorted(stats):
    print(f"  {name}: {stats[name]}")
