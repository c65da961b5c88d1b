"""Short echo connections, as fast as THREADS threads can open them, for SECONDS, against
HOST:PORT (loopback only): connect, greeting, one frame, its reply, close. Prints one JSON
object: what became of each attempt (ok, refused, reset, timeout, no greeting, closed before
reply, mismatch, other ...). Used by bench/rolling-restart.sh: a rolling restart must leave
every attempt ok."""
import collections
import errno
import json
import socket
import sys
import threading
import time

host, port, threads, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
if not host.startswith("127."):
    sys.exit("churn.py: loopback addresses only (got %s)" % host)
counts = collections.Counter()
lock = threading.Lock()
end = time.monotonic() + seconds


def attempt():
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect((host, port))
        greeting = s.recv(1)
        if greeting != b"*":
            return "no greeting" if greeting == b"" else "mismatch"
        s.sendall(b"^ab$")
        got = b""
        while len(got) < 2:
            chunk = s.recv(2 - len(got))
            if not chunk:
                return "closed before reply"
            got += chunk
        return "ok" if got == b"bc" else "mismatch"
    except ConnectionRefusedError:
        return "refused"
    except ConnectionResetError:
        return "reset"
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return "other " + errno.errorcode.get(e.errno, str(e))
    finally:
        s.close()


def run():
    while time.monotonic() < end:
        outcome = attempt()
        with lock:
            counts[outcome] += 1


workers = [threading.Thread(target=run) for _ in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(json.dumps(dict(sorted(counts.items()))))
