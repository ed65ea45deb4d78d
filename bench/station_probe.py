#!/usr/bin/env python3
"""The probe of bench/station_latency.sh (issue 19: "an upload reflected in the city's real-time AQI within
1 s"). One registered air station (its MN, password 123456, HJ 212-2017) sends hourly uploads (CN 2061, ST 22)
of hours that nobody else sends, one at a time over its own TCP connection. For each: the time the gateway's
answer (9014) arrives is t0; then GET /api/air/today?city=CITY&date=DAY&data=realtime is polled every POLL_MS
on each server given until the reply's city hour is the probe's hour with the probe's PM2.5; the latency is
that reply's arrival minus t0 (so it includes the request that saw it; the poll interval is the resolution).

  station_probe.py --gateway 127.0.0.1:G --api http://127.0.0.1:P [--api http://127.0.0.1:Q ...]
                   --mn MN --city 探针市 --probes 40 --every 0.25 --first-day 2026-11-01 --out probes.tsv

Each server given is polled independently (the first: the service, --cache-seconds 0; another: the public
cache). Prints one line per probe and a summary per server; the TSV has every probe. Exit 1 when a probe was
never seen within --timeout seconds, 2 on a refused upload.
"""
import argparse
import datetime as dt
import http.client
import json
import socket
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from compare_outputs import hj212_crc16  # noqa: E402  (the HJ 212 CRC16, one copy in the tree)


def hourly_frame(qn, mn, start: dt.datetime, pm25_ugm3: int) -> bytes:
    # Units of the code table (sources/station_upload.h): PM in ng/m³, gases in mg/m³, CO mg/m³.
    values = [("a21026", "0.010"), ("a21004", "0.030"), ("a21005", "0.600"), ("a05024", "0.050"),
              ("a34002", str(pm25_ugm3 * 1600)), ("a34004", str(pm25_ugm3 * 1000))]
    cp = f"DataTime={start:%Y%m%d%H%M%S};" + ";".join(f"{c}-Avg={v},{c}-Flag=N" for c, v in values)
    seg = f"QN={qn};ST=22;CN=2061;PW=123456;MN={mn};Flag=5;CP=&&{cp}&&".encode()
    return b"##%04d" % len(seg) + seg + b"%04X\r\n" % hj212_crc16(seg)


def read_answer(sock) -> bytes:
    buf = b""
    while not buf.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the gateway closed the connection")
        buf += chunk
    return buf


CONNECTIONS = {}


def city_hour(api, city, day):
    """The day's city hour from /api/air/today over a kept-alive connection ({} while the day has no data:
    404), and the request's milliseconds."""
    q = urllib.parse.urlencode({"city": city, "date": day, "data": "realtime"})
    t = time.monotonic()
    for attempt in (0, 1):
        if api not in CONNECTIONS:
            u = urllib.parse.urlsplit(api)
            CONNECTIONS[api] = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            CONNECTIONS[api].request("GET", f"/api/air/today?{q}")
            r = CONNECTIONS[api].getresponse()
            body = r.read()
            break
        except (http.client.HTTPException, OSError):
            CONNECTIONS.pop(api).close()
            if attempt:
                raise
    ms = (time.monotonic() - t) * 1000
    if r.status == 404:
        return {}, ms
    if r.status != 200:
        raise RuntimeError(f"{api}: HTTP {r.status}: {body[:200]!r}")
    return json.loads(body).get("city_hour") or {}, ms


def seen(hour_json, want_end: str, pm25: int) -> bool:
    return hour_json.get("hour") == want_end and hour_json.get("concentrations", {}).get("PM2.5") == pm25


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--gateway", required=True)
    a.add_argument("--api", action="append", required=True)
    a.add_argument("--mn", required=True)
    a.add_argument("--city", required=True)
    a.add_argument("--probes", type=int, default=40)
    a.add_argument("--every", type=float, default=0.25, help="seconds between probes")
    a.add_argument("--poll-ms", type=float, default=5)
    a.add_argument("--timeout", type=float, default=10)
    a.add_argument("--first-day", required=True, help="YYYY-MM-DD (Beijing): the probe's hours start here")
    a.add_argument("--out", default="")
    o = a.parse_args()
    host, port = o.gateway.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    first = dt.datetime.strptime(o.first_day, "%Y-%m-%d")
    rows, lat = [], {api: [] for api in o.api}
    failed = 0
    for i in range(o.probes):
        start = first + dt.timedelta(hours=i)  # the hour's start (DataTime); the platform names it by its end
        end = start + dt.timedelta(hours=1)
        day = start.strftime("%Y-%m-%d")  # the hour ending 24:00 belongs to the day it started in
        want_end = f"{day} {end.hour if end.hour else 24:02d}:00"
        pm25 = 100 + i % 300
        if seen(city_hour(o.api[0], o.city, day)[0], want_end, pm25):
            print(f"probe {i}: {want_end} is stored already: pick other days", file=sys.stderr)
            sys.exit(2)
        qn = (dt.datetime(2026, 1, 1) + dt.timedelta(milliseconds=i)).strftime("%Y%m%d%H%M%S%f")[:17]
        sock.sendall(hourly_frame(qn, o.mn, start, pm25))
        answer = read_answer(sock)
        t0 = time.monotonic()
        if b"CN=9014" not in answer:
            print(f"probe {i}: refused: {answer!r}", file=sys.stderr)
            sys.exit(2)
        pending = set(o.api)
        result = {}
        while pending and time.monotonic() - t0 < o.timeout:
            for api in sorted(pending):
                h, req_ms = city_hour(api, o.city, day)
                if seen(h, want_end, pm25):
                    result[api] = ((time.monotonic() - t0) * 1000, req_ms)
                    pending.discard(api)
            time.sleep(o.poll_ms / 1000)
        for api in o.api:
            if api in result:
                lat[api].append(result[api][0])
            else:
                failed += 1
        cells = "  ".join(f"{api}: " + (f"{result[api][0]:.0f} ms (request {result[api][1]:.0f} ms)"
                                        if api in result else "NOT SEEN") for api in o.api)
        print(f"probe {i:3d} {want_end} PM2.5 {pm25}: {cells}", flush=True)
        rows.append([i, time.time(), want_end] + [f"{result[api][0]:.1f}" if api in result else "" for api in o.api])
        time.sleep(max(0.0, o.every - (time.monotonic() - t0)))
    if o.out:
        with open(o.out, "w") as f:
            f.write("probe\tunix_time\thour\t" + "\t".join(o.api) + "\n")
            for r in rows:
                f.write("\t".join(str(c) for c in r) + "\n")
    for api in o.api:
        xs = lat[api]
        if xs:
            print(f"{api}: {len(xs)} of {o.probes} seen; p50 {percentile(xs, 50):.0f} ms, p90 "
                  f"{percentile(xs, 90):.0f} ms, max {max(xs):.0f} ms")
        else:
            print(f"{api}: none of {o.probes} seen")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
