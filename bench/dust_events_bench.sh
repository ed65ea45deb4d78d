#!/usr/bin/env bash
# Issue 22's benchmark "2,000 TSP points: events raised within 5 s of the upload" (docs/performance.md, "Dust
# points"): 2,000 fugitive-dust points (`dust demo-points --count 2000`, MNs of hj212-sim --first-device 100)
# registered and imported into a fresh SQLite store; `ecomon gateway` with live events; `hj212-sim --dust`
# sends each point 10 minute uploads one second apart (their DataTimes one second apart too, so the 15-minute
# window holds them all and every tenth point — 200, index % 10 == 9, TSP 850..1449 µg/m³ — opens a
# dust_exceedance on its 8th upload). The latency of an event is its raised_ms (when the event row was
# stored) minus the received_ms of the upload that opened it (same MN, CN 2051, DataTime = the opening).
# Usage: bench/dust_events_bench.sh [BUILD_DIR]     (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/event_latency.sh
bin=$PWD/${1:-build/release}/bin/ecomon
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
cd "$work"
n=2000
"$bin" --db run.db dust demo-points --count $n --out points.csv >/dev/null
"$bin" --db run.db dust import points.csv >/dev/null
"$bin" --db run.db hj212-sim --dust --register-only --devices $n --first-device 100 >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" --db run.db gateway --listen 127.0.0.1:$port --max-rate 100000 >gateway.log 2>gateway.err &
gw=$!
sleep 2
"$bin" --db run.db hj212-sim --dust --no-register --devices $n --first-device 100 --interval 1 --messages 10 \
  --duration 30 --connect-spread 2 --target 127.0.0.1:$port >sim.txt
sleep 6  # the last uploads' events (raised within 5 s, or the figure below says otherwise)
kill -INT $gw
wait $gw || true
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "simulator: $(cat sim.txt)"
sqlite3 run.db "SELECT COUNT(*) || ' readings' FROM dust_reading;"
event_latency run.db dust_exceedance 2051 opened_at
