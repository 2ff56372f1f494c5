#!/usr/bin/env python3
"""Event-stream fan-out (issue 13 point 2): how long a change takes to reach 100 followers of /internal/events.

Run by api-latency.sh against its own `slipway up` (standard library only):
  event-fanout.py INTERNAL_URL ROUTER_TOKEN API_URL API_KEY CA_FILE APP [followers=100] [changes=50]
Opens FOLLOWERS server-sent-event streams (the router's token, as routers and dyno-agents follow), then makes
CHANGES config changes one after another (PATCH /apps/APP/config-vars, each a release and a `release.created`
event) and records, per follower, when that change's event arrived. Latency is measured from the moment the
PATCH was sent (so it includes the PATCH itself: an upper bound on commit-to-delivery) and from the moment its
response arrived (a lower bound: the event can arrive first, then it counts as 0). Prints one RESULT line.
"""
import asyncio
import json
import ssl
import sys
import time
import urllib.parse


async def http_request(reader, writer, method, host, path, headers, body=b""):
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    writer.write(head.encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while (size := int((await reader.readline()).strip().split(b";")[0], 16)) > 0:
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return status, body


async def follow(url, token, after, arrivals, connected):
    u = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    writer.write((f"GET /internal/events?after={after} HTTP/1.1\r\nHost: {u.netloc}\r\n"
                  f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            return
        if line.startswith(b": connected"):
            connected.release()
        elif line.startswith(b"event:release.created"):
            arrivals.append(time.monotonic())


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main(internal, router_token, api, api_key, ca, app, followers, changes):
    u = urllib.parse.urlsplit(internal)
    r, w = await asyncio.open_connection(u.hostname, u.port)
    _, body = await http_request(r, w, "GET", u.netloc, "/internal/snapshot", {"Authorization": f"Bearer {router_token}"})
    w.close()
    seq = json.loads(body)["seq"]

    per_follower = [[] for _ in range(followers)]
    connected = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(follow(internal, router_token, seq, per_follower[i], connected)) for i in range(followers)]
    for _ in range(followers):
        await asyncio.wait_for(connected.acquire(), 60)

    a = urllib.parse.urlsplit(api)
    ctx = ssl.create_default_context(cafile=ca)
    r, w = await asyncio.open_connection(a.hostname, a.port, ssl=ctx, server_hostname=a.hostname)
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/vnd.heroku+json; version=3",
               "Content-Type": "application/json"}
    from_sent, from_answered = [], []
    for i in range(1, changes + 1):
        sent = time.monotonic()
        status, _ = await http_request(r, w, "PATCH", a.netloc, f"/apps/{app}/config-vars", headers,
                                       json.dumps({"FANOUT": str(time.time_ns() + i)}).encode())
        answered = time.monotonic()
        if status != 200:
            raise SystemExit(f"PATCH answered {status}")
        deadline = time.monotonic() + 30
        while any(len(f) < i for f in per_follower):
            if time.monotonic() > deadline:
                raise SystemExit(f"change {i}: not every follower received it within 30 s")
            await asyncio.sleep(0.001)
        for f in per_follower:
            from_sent.append((f[i - 1] - sent) * 1000)
            from_answered.append(max(0.0, (f[i - 1] - answered) * 1000))
    for t in tasks:
        t.cancel()
    print("RESULT followers=%d changes=%d deliveries=%d p50=%.2f p90=%.2f p99=%.2f max=%.2f answered_p50=%.2f answered_p99=%.2f"
          % (followers, changes, len(from_sent), percentile(from_sent, 50), percentile(from_sent, 90),
             percentile(from_sent, 99), max(from_sent), percentile(from_answered, 50), percentile(from_answered, 99)))


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(*args[:6], int(args[6]) if len(args) > 6 else 100, int(args[7]) if len(args) > 7 else 50))
