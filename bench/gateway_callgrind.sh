#!/usr/bin/env bash
# User-space instructions per upload of the HJ 212 gateway (load-independent): the gateway runs under
# `valgrind --tool=callgrind` twice, while 200 simulated devices send 5 and then 25 uploads each (one per write);
# the difference of the two totals over the 4,000 extra uploads leaves start-up and stop out.
# Usage: bench/gateway_callgrind.sh [GATEWAY_BIN [SIMULATOR_BIN]]   (default build/release/bin/ecomon for both)
set -euo pipefail
cd "$(dirname "$0")/.."
gw_bin=$(realpath "${1:-build/release/bin/ecomon}")
sim_bin=$(realpath "${2:-$gw_bin}")
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
declare -A total stored
for m in 5 25; do
  "$sim_bin" --db "$work/$m.db" hj212-sim --register-only --devices 200 >/dev/null
  port=$((30000 + RANDOM % 10000))
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$m" "$gw_bin" --db "$work/$m.db" gateway \
    --listen 127.0.0.1:$port --max-rate 1000 >"$work/gw.$m.log" 2>"$work/vg.$m.log" &
  gw=$!
  for _ in $(seq 1 120); do grep -q listening "$work/gw.$m.log" 2>/dev/null && break; sleep 0.5; done
  "$sim_bin" --db "$work/$m.db" hj212-sim --no-register --devices 200 --interval 0.05 --messages $m --duration 120 \
    --connect-spread 1 --target 127.0.0.1:$port >/dev/null
  kill -INT $gw
  wait $gw || true
  total[$m]=$(grep -E '^(summary|totals):' "$work/cg.$m" | head -1 | awk '{print $2}')
  stored[$m]=$(grep -o '[0-9]* stored' "$work/gw.$m.log" | awk '{print $1}')
  echo "$m uploads per device: ${stored[$m]} stored, ${total[$m]} instructions"
done
awk -v a="${total[5]}" -v b="${total[25]}" -v x="${stored[5]}" -v y="${stored[25]}" \
  'BEGIN{printf "instructions per upload: %.0f\n", (b - a) / (y - x)}'
