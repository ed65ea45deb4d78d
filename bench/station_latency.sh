#!/usr/bin/env bash
# Issue 19's network bench: "5,000 stations reporting hourly plus 1,000 micro stations every minute: an upload
# reflected in the city's real-time AQI within 1 s". On a fresh SQLite store:
#   1. registers NATIONAL air stations (20 to a city, 基准市001..) and MICRO micro stations with the simulator's
#      station MNs (sim_station_mn 0..), and one probe station (P0001 in 探针市, MN A22FFFF...), through the
#      service `stations register` calls, in one process (bench/station_network.cc);
#   2. starts `ecomon serve --gateway` with the default public cache (5 s, which follows what its gateway
#      stores: --cache-fresh-ms, 500 ms; what ./run serves) and a second `serve` on the same store with the
#      cache off (--cache-seconds 0: what the service alone takes);
#   3. starts the micro stations (`hj212-sim --stations --micro-from`, a real-time upload every minute each),
#      then the national stations all at once (--connect-spread SPREAD): each sends the previous hour's hourly
#      upload (2061) on connecting, i.e. the network's top-of-the-hour burst of NATIONAL hourly uploads;
#   4. meanwhile bench/station_probe.py sends the probe station's hourly uploads (hours of FIRST_DAY on, which
#      nobody else sends) and times answer (9014) -> the city's real-time AQI showing it, on both servers.
# Usage: bench/station_latency.sh [BUILD_DIR] [PROBES]   (default build/release, 60 probes; the Release preset
#   builds ecomon and bench/station_network)
#   env: NATIONAL=5000 MICRO=1000 SPREAD=2 PROBE_EVERY=0.25 KEEP=1 (keep the temp dir, with registered.db)
#        PORT_BASE=19400 DB_TEMPLATE=FILE (a registered.db of an earlier run: skips the registration)
set -euo pipefail
build=${1:-build/release}
probes=${2:-60}
national=${NATIONAL:-5000}
micro=${MICRO:-1000}
spread=${SPREAD:-2}
every=${PROBE_EVERY:-0.25}
port_base=${PORT_BASE:-19400}
bin=$(realpath "$build/bin/ecomon")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/station-latency.XXXXXX)
db=$tmp/s.db
api_port=$port_base gw_port=$((port_base + 1)) cached_port=$((port_base + 2))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n ${KEEP:-} ]] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

echo "== $(date -u '+%F %T') UTC; $(uptime)"
echo "== registering $national national + $micro micro stations and the probe station"
if [[ -n ${DB_TEMPLATE:-} ]]; then
  cp "$DB_TEMPLATE" "$db" && echo "   copied $DB_TEMPLATE (registered before with the same NATIONAL and MICRO)"
else
  "$(realpath "$build/bench/station_network")" "$db" "$national" "$micro" | sed 's/^/   /'
  [[ -n ${KEEP:-} ]] && cp "$db" "$tmp/registered.db"
fi

# --no-reports: the period-report scheduler would otherwise write every city's monthly and quarterly reports
# (250 cities, a Chromium per PDF) at start-up, taking the CPU the figures are about.
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
"$bin" --db "$db" serve --listen "127.0.0.1:$api_port" --gateway "127.0.0.1:$gw_port" --no-reports \
  >"$tmp/serve.log" 2>&1 &
pids+=($!)
"$bin" --db "$db" serve --listen "127.0.0.1:$cached_port" --cache-seconds 0 --no-reports >"$tmp/serve-cached.log" 2>&1 &
pids+=($!)
wait_port "$api_port" && wait_port "$gw_port" && wait_port "$cached_port"

# The probe's hours: 1..11 months back (Beijing), so no simulated station sends the same days, and another run
# on the same DB_TEMPLATE most likely other days (the probe refuses an hour already stored).
back=$((31 + RANDOM % 300))
first_day=$(TZ=Asia/Shanghai date -d "-$back days" +%F)
run_probe() {
  python3 "$here/station_probe.py" --gateway "127.0.0.1:$gw_port" --mn A22FFFFFFFFFFFFFFFFFFFFF --city 探针市 \
    --api "http://127.0.0.1:$api_port" --api "http://127.0.0.1:$cached_port" --first-day "$1" \
    --probes "$2" --every "$every" --out "$3"
}

echo "== idle network: $((probes / 4)) probes"
run_probe "$first_day" $((probes / 4)) "$tmp/idle.tsv" | tail -2 || true

echo "== $micro micro stations every 60 s, then $national national stations' hourly burst over ${spread} s"
"$bin" hj212-sim --stations --first-device "$national" --devices "$micro" --micro-from "$national" \
  --interval 60 --duration 0 --no-register --connect-spread 5 --target "127.0.0.1:$gw_port" \
  >"$tmp/sim-micro.log" 2>&1 &
pids+=($!)
sleep 6
python3 "$here/station_probe.py" --gateway "127.0.0.1:$gw_port" --mn A22FFFFFFFFFFFFFFFFFFFFF --city 探针市 \
  --api "http://127.0.0.1:$api_port" --api "http://127.0.0.1:$cached_port" \
  --first-day "$(TZ=Asia/Shanghai date -d "-$((back - 1)) days" +%F)" --probes "$probes" --every "$every" \
  --out "$tmp/load.tsv" >"$tmp/probe-load.log" &
probe_pid=$!
sleep 1
"$bin" hj212-sim --stations --devices "$national" --interval 3600 --duration 0 --no-register \
  --connect-spread "$spread" --target "127.0.0.1:$gw_port" >"$tmp/sim-national.log" 2>&1 &
pids+=($!)
burst_start=$(date +%s.%N)
wait "$probe_pid" || true
sed 's/^/   /' "$tmp/probe-load.log"
echo "== while it ran: $(uptime)"
echo "== serve.log (last lines) and the simulators' summaries:"
tail -5 "$tmp/serve.log" || true
tail -1 "$tmp/sim-national.log" "$tmp/sim-micro.log" 2>/dev/null || true
echo "   burst started at $(date -u -d "@${burst_start%.*}" '+%T') UTC"
