#!/usr/bin/env bash
# End-to-end HJ 212 load: simulator -> gateway -> SQLite with answers, on this machine (both processes share its
# cores). Each scenario gets a fresh gateway; printed per scenario: the simulator's answered msg/s and its
# send-to-answer latency, the gateway's own read-to-answer-written latency (its stop line), and the CPU seconds
# each process used (utime + stime from /proc), from which the gateway's CPU cost per message follows.
# Usage: bench/gateway_bench.sh [BUILD_DIR] [SCENARIO ...]
#   BUILD_DIR defaults to build/release (build the `ecomon` target first).
#   SCENARIO is DEVICES:INTERVAL_S:SECONDS[:FRAMES_PER_WRITE]; default: the table in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release}/bin/ecomon
shift || true
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(100:1:10 1000:0.1:10 10000:1:15 10000:0.5:15 10000:1:15:10 2000:0.05:10:10)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
db=$work/load.db
"$bin" --db "$db" hj212-sim --register-only --devices 10000 >/dev/null
tck=$(getconf CLK_TCK)
cpu_s() { awk -v t="$tck" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }           # user + system
cpu_split() { awk -v t="$tck" '{printf "user %.2f + system %.2f", $14 / t, $15 / t}' "/proc/$1/stat"; }

for sc in "${scenarios[@]}"; do
  IFS=: read -r devices interval seconds fpw <<<"$sc"
  fpw=${fpw:-1}
  port=$((20000 + RANDOM % 20000))
  cp "$db" "$work/run.db"  # a fresh store per scenario (the same registry): no duplicates from earlier runs
  "$bin" --db "$work/run.db" gateway --listen 127.0.0.1:$port --max-rate 1000 >"$work/gateway.log" &
  gw=$!
  sleep 1
  offered=$(awk "BEGIN{print $devices * $fpw / $interval}")
  printf '%6s devices, %2s frame(s) per write every %5ss (offered %6.0f msg/s)\n' "$devices" "$fpw" "$interval" "$offered"
  "$bin" --db "$work/run.db" hj212-sim --no-register --devices "$devices" --interval "$interval" --duration "$seconds" \
    --frames-per-write "$fpw" --connect-spread 2 --target 127.0.0.1:$port >"$work/sim.txt" &
  sim=$!
  sim_cpu=0
  while kill -0 $sim 2>/dev/null; do
    sim_cpu=$(cpu_s $sim 2>/dev/null || echo "$sim_cpu")
    sleep 0.2
  done
  wait $sim || true
  gw_cpu=$(cpu_split $gw)
  kill -INT $gw
  wait $gw || true
  echo "  simulator: $(cat "$work/sim.txt")"
  echo "  gateway:   $(grep stopped "$work/gateway.log")"
  echo "  CPU s: gateway $gw_cpu (start-up and idle included), simulator >= $sim_cpu (sampled every 0.2 s)"
  rm -f "$work"/run.db*
done
