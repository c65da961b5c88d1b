"""Echo clients for bench/crash-isolation.sh, against HOST:PORT (loopback only), for SECONDS:

- CONNECTIONS long-lived connections, each sending one frame (^ab$) RATE times a second and
  waiting for its reply (bc) before the next; a connection that fails (reset, end of stream,
  timeout, wrong reply) is recorded with what went wrong and replaced by a new one at once;
- CHURN short connections a second (connect, greeting, one frame, its reply, close), so that a
  worker started during the run is offered new connections.

Prints one JSON object: every long-lived connection (its local port, when it opened and
closed, replies received, the error that ended it or null) and the churn's outcomes. The
script that runs it finds out which worker held each connection by its port."""
import asyncio
import collections
import json
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
connections, rate, seconds, churn = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
if not host.startswith("127."):
    sys.exit("crash_clients.py: loopback addresses only (got %s)" % host)
TIMEOUT = 5.0
records = []
churn_outcomes = collections.Counter()
end = time.monotonic() + seconds


def kind(error):
    if isinstance(error, asyncio.TimeoutError):
        return "timeout"
    if isinstance(error, asyncio.IncompleteReadError):
        return "closed"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, ConnectionResetError):
        return "reset"
    if isinstance(error, ValueError):
        return "wrong reply"
    return type(error).__name__


async def exchange(reader, writer):
    writer.write(b"^ab$")
    await writer.drain()
    reply = await asyncio.wait_for(reader.readexactly(2), TIMEOUT)
    if reply != b"bc":
        raise ValueError(reply)


async def open_connection():
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT)
    if await asyncio.wait_for(reader.readexactly(1), TIMEOUT) != b"*":
        raise ValueError("no greeting")
    return reader, writer


async def long_lived():
    while time.monotonic() < end:
        record = {"port": None, "opened": time.time(), "closed": None, "replies": 0, "error": None}
        records.append(record)
        writer = None
        try:
            reader, writer = await open_connection()
            record["port"] = writer.get_extra_info("sockname")[1]
            next_send = time.monotonic()
            while time.monotonic() < end:
                await exchange(reader, writer)
                record["replies"] += 1
                next_send += 1 / rate
                await asyncio.sleep(max(0.0, next_send - time.monotonic()))
        except Exception as e:  # noqa: BLE001 - every failure is a result here
            record["error"] = kind(e)
        finally:
            record["closed"] = time.time()
            if writer is not None:
                writer.close()
        if record["error"] is not None:
            await asyncio.sleep(0.01)  # reconnect at once, but never spin on a refused port


async def one_short():
    writer = None
    try:
        reader, writer = await open_connection()
        await exchange(reader, writer)
        churn_outcomes["ok"] += 1
    except Exception as e:  # noqa: BLE001
        churn_outcomes[kind(e)] += 1
    finally:
        if writer is not None:
            writer.close()


async def churning():
    tasks = []
    while churn > 0 and time.monotonic() < end:
        tasks.append(asyncio.create_task(one_short()))
        await asyncio.sleep(1 / churn)
    await asyncio.gather(*tasks)


async def main():
    await asyncio.gather(churning(), *(long_lived() for _ in range(connections)))


asyncio.run(main())
print(json.dumps({"connections": records, "churn": churn_outcomes}))
