#!/usr/bin/env python3
"""Helpers of scripts/compare-outputs.sh (read that script's header first).

  compare_outputs.py feed-hj212 PORT OUTFILE          fixed HJ 212 uploads for the demo registry, sent to a gateway
  compare_outputs.py http BASE OUTDIR PREFIX TOKEN K=V...   every GET of the server's /api/openapi.json
  compare_outputs.py normalise OUTDIR WORKDIR T0 T1   masks run-to-run values in every file of OUTDIR, in place
  compare_outputs.py diff DIR_A DIR_B                 compares two captures; exit 1 when anything differs

Only the standard library: it must run wherever the script runs.
"""

import datetime as dt
import difflib
import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# ----------------------------------------------------------------------------------------------- HJ 212 feed


def hj212_crc16(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def frame(qn, st, cn, pw, mn, cp):
    seg = f"QN={qn};ST={st};CN={cn};PW={pw};MN={mn};Flag=5;CP=&&{cp}&&".encode()
    return b"##%04d" % len(seg) + seg + b"%04X\r\n" % hj212_crc16(seg)


def sim_mn(i):
    return "E0C0%020X" % i


WATER_DEVICES = {9, 14, 15}  # the demo registry's water outlets (src/store/sources/demo_registry.cc)


def demo_uploads():
    """The fixed uploads: (device, frame) in sending order. Two days of hourly data (2061) for the 16 demo
    devices, with gaps (silence), a fault flag, exceedances, a daily upload (2031), real-time uploads (2011), a
    re-send with other values (conflict) and one wrong password (refused)."""
    out = []
    qn_base = dt.datetime(2025, 11, 26, 8, 0, 0)
    seq = 0

    def qn():
        nonlocal seq
        seq += 1
        return (qn_base + dt.timedelta(milliseconds=seq)).strftime("%Y%m%d%H%M%S%f")[:17]

    for dev in range(16):
        mn = sim_mn(dev)
        for day in (24, 25):
            for hour in range(24):
                if dev == 3 and day == 24 and 6 <= hour <= 11:
                    continue  # silence
                t = dt.datetime(2025, 11, day, hour).strftime("%Y%m%d%H%M%S")
                if dev in WATER_DEVICES:
                    cod = "70.0" if dev == 14 and day == 25 and 10 <= hour <= 12 else "30.0"
                    cp = (f"DataTime={t};w01018-Avg={cod},w01018-Min=20.0,w01018-Max={cod},w01018-Flag=N;"
                          "w21003-Avg=2.00,w21003-Min=1.50,w21003-Max=2.50,w21003-Flag=N;"
                          "w01001-Avg=7.20,w01001-Min=7.00,w01001-Max=7.40,w01001-Flag=N;"
                          "w00000-Avg=15.0,w00000-Min=12.0,w00000-Max=18.0,w00000-Flag=N")
                    out.append((dev, frame(qn(), "32", "2061", "123456", mn, cp)))
                    continue
                so2 = 48 if dev == 13 and hour >= 12 else 20 + dev % 10
                flag = "D" if dev == 7 and day == 25 and 14 <= hour <= 16 else "N"
                cp = (f"DataTime={t};a21026-Avg={so2}.0,a21026-Min={so2 - 5}.0,a21026-Max={so2 + 5}.0,"
                      f"a21026-ZsAvg={so2}.0,a21026-Flag={flag};"
                      "a21002-Avg=40.0,a21002-Min=30.0,a21002-Max=48.0,a21002-ZsAvg=40.0,a21002-Flag=N;"
                      "a34013-Avg=8.0,a34013-Min=5.0,a34013-Max=9.5,a34013-ZsAvg=8.0,a34013-Flag=N;"
                      "a19001-Avg=8.5,a19001-Flag=N;"
                      "a00000-Avg=13500,a00000-Min=12000,a00000-Max=14999,a00000-Flag=N")
                out.append((dev, frame(qn(), "31", "2061", "123456", mn, cp)))
        if dev == 2:
            for day in (24, 25):
                t = dt.datetime(2025, 11, day).strftime("%Y%m%d%H%M%S")
                cp = (f"DataTime={t};a21026-Avg=22.0,a21026-Min=17.0,a21026-Max=27.0,a21026-Flag=N;"
                      "a21002-Avg=40.0,a21002-Min=30.0,a21002-Max=48.0,a21002-Flag=N;"
                      "a34013-Avg=8.0,a34013-Min=5.0,a34013-Max=9.5,a34013-Flag=N")
                out.append((dev, frame(qn(), "31", "2031", "123456", mn, cp)))
        if dev in (0, 1):
            for sec in (0, 30, 60):
                t = (dt.datetime(2025, 11, 25, 10) + dt.timedelta(seconds=sec)).strftime("%Y%m%d%H%M%S")
                cp = (f"DataTime={t};a21026-Rtd=2{dev}.5,a21026-Flag=N;a21002-Rtd=41.0,a21002-Flag=N;"
                      "a34013-Rtd=8.2,a34013-Flag=N;a00000-Rtd=13600,a00000-Flag=N")
                out.append((dev, frame(qn(), "31", "2011", "123456", mn, cp)))
        if dev == 4:  # the same hour re-sent with other values: a conflict
            t = dt.datetime(2025, 11, 25, 9).strftime("%Y%m%d%H%M%S")
            cp = (f"DataTime={t};a21026-Avg=99.0,a21026-Min=90.0,a21026-Max=99.5,a21026-ZsAvg=99.0,a21026-Flag=N;"
                  "a21002-Avg=40.0,a21002-Min=30.0,a21002-Max=48.0,a21002-ZsAvg=40.0,a21002-Flag=N;"
                  "a34013-Avg=8.0,a34013-Min=5.0,a34013-Max=9.5,a34013-ZsAvg=8.0,a34013-Flag=N;"
                  "a19001-Avg=8.5,a19001-Flag=N;"
                  "a00000-Avg=13500,a00000-Min=12000,a00000-Max=14999,a00000-Flag=N")
            out.append((dev, frame(qn(), "31", "2061", "123456", mn, cp)))
        if dev == 5:  # a wrong password: answered 9011, nothing stored
            cp = "DataTime=20251125230000;a21026-Avg=20.0,a21026-Flag=N"
            out.append((dev, frame(qn(), "31", "2061", "654321", mn, cp)))
    return out


def feed_hj212(port, outfile):
    """Sends the uploads device by device (one connection each, one frame at a time, each answer awaited), so
    the store sees them in one fixed order. Writes a deterministic summary: per device, frames sent and the
    answers' CN and QnRtn/ExeRtn."""
    uploads = demo_uploads()
    lines = []
    by_dev = {}
    for dev, f in uploads:
        by_dev.setdefault(dev, []).append(f)
    for dev in sorted(by_dev):
        answers = []
        with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
            buf = b""
            for f in by_dev[dev]:
                s.sendall(f)
                while b"\r\n" not in buf:
                    chunk = s.recv(65536)
                    if not chunk:
                        raise SystemExit(f"feed-hj212: gateway closed the connection of device {dev}")
                    buf += chunk
                line, buf = buf.split(b"\r\n", 1)
                text = line.decode("utf-8", "replace")
                cn = re.search(r";CN=(\d+)", text)
                rtn = re.search(r"(QnRtn|ExeRtn)=(\d+)", text)
                answers.append(f"{cn.group(1) if cn else '?'}:{rtn.group(0) if rtn else ''}")
        summary = {}
        for a in answers:
            summary[a] = summary.get(a, 0) + 1
        lines.append(f"device {dev} {sim_mn(dev)}: {len(by_dev[dev])} frames sent; answers "
                     + ", ".join(f"{k} x{v}" for k, v in summary.items()))
    with open(outfile, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


# ----------------------------------------------------------------------------------------------- HTTP reads


def http_get(url, token):
    req = urllib.request.Request(url, method="GET")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


# Extra query variants per path, beyond the default (required parameters only), `format=csv` and a page
# (limit=2&offset=1) of every paged list. Values in {braces} come from the store's K=V arguments.
EXTRA = {
    "/api/air/today": [{"date": "{date}"}],
    "/api/air/hourly": [{"date": "{date}"}, {"date": "{date}", "station": "{station}"},
                        {"month": "{month}", "format": "csv"}],
    "/api/air/daily": [{"month": "{month}"}, {"year": "{year}"}, {"year": "{year}", "format": "csv"},
                       {"quarter": "{quarter}"}],
    "/api/air/period": [{"year": "{year}"}, {"month": "{month}"}, {"quarter": "{quarter}"}, {"ytd": "{as_of}"},
                        {"from": "{from}", "to": "{to}"}],
    "/api/air/rank": [{"year": "{year}"}, {"month": "{month}"}, {"quarter": "{quarter}"}],
    "/api/sources/events": [{"from": "{ev_from}", "to": "{ev_to}"},
                            {"from": "{ev_from}", "to": "{ev_to}", "source": "computed"},
                            {"from": "{ev_from}", "to": "{ev_to}", "source": "stored"},
                            {"mn": "{mn}"}],
    "/api/sources/latest": [{"cn": "2061"}, {"cn": "2011"}],
    "/api/sources/commands": [{"mn": "{mn}"}],
    "/api/sources/rates": [{"kind": "daily"}, {"kind": "realtime"}],
    "/api/sources/devices": [{"county": "{county}"}, {"enterprise": "{enterprise}"}],
    "/api/soil": [{"county": "{soil_county}"}],
    "/api/ledger/tasks": [{"as_of": "{ledger_as_of}"}, {"as_of": "{ledger_as_of}", "overdue": "true"},
                          {"as_of": "{ledger_as_of}", "plan": "{plan}"}],
    "/api/ledger/tasks/{plan}/{no}": [{"as_of": "{ledger_as_of}"}],
    "/api/ledger/reports/overdue": [{"as_of": "{ledger_as_of}", "plan": "{plan}"}],
    "/api/ledger/reports/scorecard": [{"as_of": "{ledger_as_of}", "plan": "{plan}"}],
    "/api/emergency/roster": [{"level": "orange", "from": "{em_from}"}, {"county": "{em_county}"}],
    "/api/emergency/check-list": [{"required": "10/20/30"}, {"exclude_guarantee": "true"}],
    "/api/emergency/advice": [{"start": "{em_start}", "aqi": "180,230,260,310,150", "rules": "orange_severe_days=1"}],
    "/api/emergency/compliance": [{"level": "orange", "from": "{em_from}", "to": "{em_to}"}],
    "/api/water/sections": [{"period": "{quarter}"}],
    "/api/groundwater/wells": [{"period": "{period_range}"}],
    "/api/noise": [{"period": "{quarter}"}],
    "/api/rain": [{"period": "{month}"}],
    "/api/targets/status": [{"as_of": "{ytd_end}"}],
}

# Optional parameters given in every variant of a path because their default is "today" and the answer would
# change from one day to the next (overdue days, pace): a baseline taken today must still hold tomorrow.
DEFAULTS = {
    "/api/ledger/tasks": {"as_of": "{ledger_as_of}"},
    "/api/ledger/tasks/{plan}/{no}": {"as_of": "{ledger_as_of}"},
}

# Required parameters, by name: the K=V key that fills them.
FILL = {
    "city": "city", "year": "year", "period": "year", "month": "rates_month", "as_of": "targets_as_of",
    "start": "em_start", "aqi": "em_aqi", "login": "login", "plan": "plan", "no": "no",
}


def safe_name(s):
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("_")
    return s or "root"


def http_capture(base, outdir, prefix, token, values):
    status, _, body = http_get(base + "/api/openapi.json", token)
    if status != 200:
        raise SystemExit(f"http: GET /api/openapi.json answered {status}")
    spec = json.loads(body)

    def fill(v):
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], v)

    count = 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = op.get("parameters", [])
        names = {p["name"] for p in params}
        url_path = path
        for p in params:
            if p.get("in") == "path":
                url_path = url_path.replace("{" + p["name"] + "}", urllib.parse.quote(values[FILL[p["name"]]]))
        def fill_key(name):
            if name == "as_of" and path.startswith("/api/ledger/"):
                return "ledger_as_of"
            return FILL[name]

        required = {p["name"]: values[fill_key(p["name"])] for p in params
                    if p.get("in") == "query" and p.get("required")}
        required.update({k: fill(v) for k, v in DEFAULTS.get(path, {}).items()})
        variants = [("default", dict(required), token), ("anon", dict(required), None),
                    ("county", dict(required), values["county_token"]),
                    ("enterprise", dict(required), values["enterprise_token"])]
        if "format" in names:
            variants.append(("csv", dict(required, format="csv"), token))
        if "limit" in names:
            variants.append(("page", dict(required, limit="2", offset="1"), token))
        for i, extra in enumerate(EXTRA.get(path, [])):
            q = dict(required)
            q.update({k: fill(v) for k, v in extra.items()})
            variants.append((f"v{i + 1}", q, token))
        who_of = {None: "  (no token)", token: "", values["county_token"]: "  (county user)",
                  values["enterprise_token"]: "  (enterprise user)"}
        for vname, query, tok in variants:
            who = who_of[tok]
            qs = urllib.parse.urlencode(query)
            url = base + urllib.parse.quote(url_path, safe="/") + ("?" + qs if qs else "")
            status, ctype, body = http_get(url, tok)
            name = f"{prefix}.{safe_name(path)}.{vname}"
            with open(os.path.join(outdir, name + ".http"), "wb") as out:
                out.write(f"GET {url_path}{'?' + urllib.parse.unquote(qs) if qs else ''}"
                          f"{who}\n".encode())
                out.write(f"status {status}\ncontent-type {ctype}\n\n".encode())
                out.write(body)
            count += 1
    print(count)


# ----------------------------------------------------------------------------------------------- normalising

# What changes from one run to the next, and nothing else (each listed in compare-outputs.sh's header):
#  1. the work directory's path (a fresh temp dir per capture)            -> <WORK>
#  2. API tokens (ecm_ + 64 hex, random)                                  -> <TOKEN>
#  3. instants of "now": any date-time, compact HJ 212 time (yyyymmddhhmmss[fff]), epoch seconds or epoch
#     milliseconds that falls within the capture's own run (its start less a day, its end plus a day; the data
#     of both stores is from 2019 and 2024-2025, so no data value can fall there) -> <NOW>
#  4. in the import reports (files named <store>.setup.*) only: elapsed seconds, see DURATION below
TOKEN = re.compile(r"ecm_[0-9a-f]{64}")
DATETIME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?(?!\d)")
COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?(?!\d)")
EPOCH = re.compile(r"(?<![\d.])1\d{9}(?:\d{3})?(?![\d.])")
DURATION = [
    (re.compile(r"(?<=\bin )\d+(?:\.\d+)? s\b"), "<ELAPSED> s"),
    (re.compile(r'("seconds"\s*:\s*)-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?'), r"\1<ELAPSED>"),
]
DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")


def normalise_text(text, work, t0, t1):
    lo, hi = t0 - 86400, t1 + 86400
    text = text.replace(work, "<WORK>")
    real = os.path.realpath(work)
    if real != work:
        text = text.replace(real, "<WORK>")
    text = TOKEN.sub("<TOKEN>", text)

    def in_window(y, mo, d, h, mi, s):
        try:
            ts = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0),
                             tzinfo=dt.timezone.utc).timestamp()
        except ValueError:
            return False
        # local (UTC+8) or UTC rendering of now: both within a day of the window
        return lo <= ts <= hi

    text = DATETIME.sub(lambda m: "<NOW>" if in_window(*m.groups()) else m.group(0), text)
    text = DATE.sub(lambda m: "<NOW>" if in_window(*m.groups(), 0, 0, 0) else m.group(0), text)
    text = COMPACT.sub(lambda m: "<NOW>" if in_window(*m.groups()[:6]) else m.group(0), text)

    def epoch(m):
        v = int(m.group(0))
        secs = v / 1000 if len(m.group(0)) == 13 else v
        return "<NOW>" if lo <= secs <= hi else m.group(0)

    text = EPOCH.sub(epoch, text)
    return text


def normalise(outdir, work, t0, t1):
    for name in sorted(os.listdir(outdir)):
        p = os.path.join(outdir, name)
        with open(p, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8", "surrogateescape")
        new = normalise_text(text, work, t0, t1)
        if ".setup." in name:
            for rx, rep in DURATION:
                new = rx.sub(rep, new)
        if new != text:
            with open(p, "wb") as f:
                f.write(new.encode("utf-8", "surrogateescape"))

# ----------------------------------------------------------------------------------------------- diff

MAX_DIFF_LINES = 40


def diff(a, b):
    names_a = set(os.listdir(a))
    names_b = set(os.listdir(b))
    only_a = sorted(names_a - names_b)
    only_b = sorted(names_b - names_a)
    differing = []
    same = 0
    for name in sorted(names_a & names_b):
        with open(os.path.join(a, name), "rb") as f:
            da = f.read()
        with open(os.path.join(b, name), "rb") as f:
            db = f.read()
        if da == db:
            same += 1
            continue
        differing.append(name)
        la = da.decode("utf-8", "replace").splitlines()
        lb = db.decode("utf-8", "replace").splitlines()
        d = list(difflib.unified_diff(la, lb, f"A/{name}", f"B/{name}", n=1, lineterm=""))
        print(f"== differs: {name}")
        for line in d[:MAX_DIFF_LINES]:
            print(line[:300] + (" ..." if len(line) > 300 else ""))
        if len(d) > MAX_DIFF_LINES:
            print(f"... {len(d) - MAX_DIFF_LINES} more diff lines")
    for name in only_a:
        print(f"== only in A: {name}")
    for name in only_b:
        print(f"== only in B: {name}")
    total = len(names_a | names_b)
    print(f"\n{total} files: {same} identical, {len(differing)} differ, {len(only_a)} only in A, "
          f"{len(only_b)} only in B")
    return 1 if differing or only_a or only_b else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "feed-hj212":
        feed_hj212(int(argv[2]), argv[3])
        return 0
    if cmd == "http":
        values = dict(kv.split("=", 1) for kv in argv[6:])
        http_capture(argv[2], argv[3], argv[4], argv[5], values)
        return 0
    if cmd == "normalise":
        normalise(argv[2], argv[3], float(argv[4]), float(argv[5]))
        return 0
    if cmd == "diff":
        return diff(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
