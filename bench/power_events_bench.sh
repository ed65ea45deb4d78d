#!/usr/bin/env bash
# Issue 22's benchmark "10,000 power modules reporting every minute and 2,000 TSP points: events raised within
# 5 s of the upload" (docs/performance.md, "Power-use modules"). A fresh SQLite store: N power modules' lines
# (`power demo-lines --count N --first-device 20000`: a production and a treatment line each) imported and the
# modules registered as HJ 212-2025 devices; T TSP points (`dust demo-points`, devices 100..) too; one
# `ecomon gateway` with live events. `hj212-sim --power` sends each module 26 uploads of minute data from
# yesterday 10:50 to 11:15 (Beijing time; DataTimes 60 s apart) every INTERVAL seconds of wall time (default
# 6 s: ten times the real rate of a module reporting every minute, 10,000 modules -> ~1,670 uploads/s);
# `hj212-sim --dust` sends the TSP points' minute uploads beside them at the same pace. Every twelfth module
# (index % 12 == 0, gateway/simulator.h) has its treatment line off from 11:00 while production runs, so
# treatment_not_running opens (dated 11:00) when its 11:14 upload — the 15th minute off, power.treatment.
# min_seconds 900 — is committed: the upload that turns the outage into an event. The latency of an event is
# its raised_ms (when the event row was stored) minus the received_ms of that upload (same MN, CN 2011,
# DataTime = the event's data_time, 11:14); printed with the simulators' figures and the load average.
# Usage: bench/power_events_bench.sh [BUILD_DIR]     (default build/release; N, T, INTERVAL from the environment)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/event_latency.sh
bin=$PWD/${1:-build/release}/bin/ecomon
n=${N:-10000}
tsp=${T:-2000}
interval=${INTERVAL:-6}
first=20000  # the modules' device numbers: clear of the TSP points' (100 .. 100 + T - 1)
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
cd "$work"
day=$(TZ=Asia/Shanghai date -d yesterday +%F)
"$bin" --db run.db power demo-lines --count "$n" --first-device $first --out lines.csv >/dev/null
"$bin" --db run.db power import lines.csv >/dev/null
"$bin" --db run.db hj212-sim --power --protocol 2025 --register-only --devices "$n" --first-device $first >/dev/null
if [ "$tsp" -gt 0 ]; then
  "$bin" --db run.db dust demo-points --count "$tsp" --out points.csv >/dev/null
  "$bin" --db run.db dust import points.csv >/dev/null
  "$bin" --db run.db hj212-sim --dust --register-only --devices "$tsp" --first-device 100 >/dev/null
fi
port=$((20000 + RANDOM % 20000))
"$bin" --db run.db gateway --listen 127.0.0.1:$port --max-rate 100000 >gateway.log 2>gateway.err &
gw=$!
sleep 3
echo "load at the start $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$tsp" -gt 0 ]; then
  "$bin" --db run.db hj212-sim --dust --no-register --devices "$tsp" --first-device 100 --interval "$interval" \
    --data-step 60 --start "$day 10:50" --messages 26 --duration 600 --connect-spread 5 \
    --target 127.0.0.1:$port >dust.txt &
  dust=$!
fi
"$bin" --db run.db hj212-sim --power --protocol 2025 --no-register --devices "$n" --first-device $first \
  --interval "$interval" --data-step 60 --start "$day 10:50" --messages 26 --duration 600 --connect-spread 5 \
  --target 127.0.0.1:$port >power.txt
[ "$tsp" -gt 0 ] && wait "$dust"
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 6  # the last uploads' events (raised within 5 s, or the figures below say otherwise)
kill -INT $gw
wait $gw || true
echo "power modules ($n, every $interval s): $(cat power.txt)"
[ "$tsp" -gt 0 ] && echo "TSP points ($tsp, every $interval s): $(cat dust.txt)"
sqlite3 run.db "SELECT COUNT(*) || ' power readings' FROM power_reading;"
sqlite3 run.db "SELECT COUNT(*) || ' dust readings' FROM dust_reading;"
sqlite3 run.db "SELECT kind || ': ' || COUNT(*) FROM source_event GROUP BY kind;"
# A treatment_not_running event's data_time is the DataTime of the reading that made it one (the deciding
# upload); a dust_exceedance is decided by the upload at its opening.
event_latency run.db treatment_not_running 2011 data_time
if [ "$tsp" -gt 0 ]; then event_latency run.db dust_exceedance 2051 opened_at; fi
