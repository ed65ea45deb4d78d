#!/usr/bin/env bash
# End-to-end HJ 212 load: simulator -> gateway -> SQLite with answers, on this machine (both processes share its
# cores). Each scenario gets a fresh gateway; printed per scenario: the simulator's answered msg/s and its
# send-to-answer latency, the gateway's own read-to-answer-written latency (its stop line), and the CPU seconds
# each process used (utime + stime from /proc): the gateway's is taken from just before the simulator starts to its
# stop, and divided by the uploads it stored (its CPU cost per upload, start-up excluded), with the load average.
# Usage: bench/gateway_bench.sh [BUILD_DIR] [SCENARIO ...]
#   BUILD_DIR defaults to build/release (build the `ecomon` target first).
#   SCENARIO is DEVICES:INTERVAL_S:SECONDS[:FRAMES_PER_WRITE]; default: the table in docs/performance.md.
#   GATEWAY_ARGS (environment): options for `ecomon gateway`; unset means "--writers 2" (two source-record shards,
#   the configuration of docs/performance.md's figures); GATEWAY_ARGS= (empty) runs the default single writer.
#   Several configurations separated by '|' (e.g. GATEWAY_ARGS="--writers 2 --batch-wait-ms 2|--writers 2
#   --batch-wait-ms 0") run each scenario once per configuration, one after the other, REPEAT times
#   (environment, default 1): a before/after comparison under the same machine load.
#   ENCRYPT=1 (environment): HJ 212-2025 devices whose every upload's CP area is SM4-encrypted (hj212-sim
#   --protocol 2025 --encrypt): a master key made for the run, the 10,000 devices registered as 2025 with a
#   session key each (sealed in the store; the gateway opens them at its start).
#   PERF_OUT=PREFIX (environment): `perf record -g` of the gateway from 5 s to 10 s into each scenario, written
#   to PREFIX.<gateway pid> (read with `perf report -i`).
set -euo pipefail
IFS='|' read -r -a configs <<<"${GATEWAY_ARGS---writers 2}"
[ ${#configs[@]} -eq 0 ] && configs=("")
repeat=${REPEAT:-1}
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
sim_args=()
if [ "${ENCRYPT:-0}" = 1 ]; then
  "$bin" sources key init-master --out "$work/master.key" >/dev/null
  export ECOMON_MASTER_KEY_FILE=$work/master.key
  sim_args=(--protocol 2025 --encrypt --key BenchKey00000001)
fi
"$bin" --db "$db" hj212-sim --register-only --devices 10000 "${sim_args[@]}" >/dev/null
tck=$(getconf CLK_TCK)
cpu_s() { awk -v t="$tck" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }           # user + system
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_split() { awk -v t="$tck" '{printf "user %.2f + system %.2f", $14 / t, $15 / t}' "/proc/$1/stat"; }

runs=()
for sc in "${scenarios[@]}"; do
  for ((r = 0; r < repeat; r++)); do
    for cf in "${configs[@]}"; do runs+=("$sc|$cf"); done
  done
done
for run in "${runs[@]}"; do
  sc=${run%%|*}
  gateway_args=${run#*|}
  IFS=: read -r devices interval seconds fpw <<<"$sc"
  fpw=${fpw:-1}
  rm -f "$work"/run.db-*  # the WAL and shard files of the scenario before
  cp "$db" "$work/run.db"  # a fresh store per scenario (the same registry): no duplicates from earlier runs
  for attempt in 1 2 3 4 5; do  # a random port may be taken
    port=$((20000 + RANDOM % 20000))
    "$bin" --db "$work/run.db" gateway --listen 127.0.0.1:$port --max-rate 1000 $gateway_args >"$work/gateway.log" 2>&1 &
    gw=$!
    sleep 1
    kill -0 $gw 2>/dev/null && break
  done
  gw_cpu0=$(cpu_ticks $gw)
  offered=$(awk "BEGIN{print $devices * $fpw / $interval}")
  printf '%6s devices, %2s frame(s) per write every %5ss (offered %6.0f msg/s), gateway %s\n' "$devices" "$fpw" \
    "$interval" "$offered" "${gateway_args:-(its defaults)}"
  "$bin" --db "$work/run.db" hj212-sim --no-register --devices "$devices" --interval "$interval" --duration "$seconds" \
    --frames-per-write "$fpw" --connect-spread 2 --target 127.0.0.1:$port "${sim_args[@]}" >"$work/sim.txt" &
  sim=$!
  if [ -n "${PERF_OUT:-}" ]; then  # a CPU profile of the gateway 5 s into the run, for 5 s (perf report -i ...)
    (sleep 5 && perf record -q -F 999 -g -p $gw -o "$PERF_OUT.$gw" -- sleep 5 >/dev/null 2>&1) &
  fi
  sim_cpu=0
  while kill -0 $sim 2>/dev/null; do
    sim_cpu=$(cpu_s $sim 2>/dev/null || echo "$sim_cpu")
    sleep 0.2
  done
  wait $sim || true
  # The gateway's CPU up to its exit (a graceful stop commits and answers what is still queued): sampled every
  # 0.05 s until it is gone (or a zombie, whose stat holds its final times).
  threads=$(for t in /proc/$gw/task/*; do awk -v t="$tck" -v n="$(cat $t/comm)" '{printf "%s %.2f, ", n, ($14 + $15) / t}' $t/stat; done)
  gw_cpu="?"
  gw_cpu1=$gw_cpu0
  kill -INT $gw
  while stat=$(cat /proc/$gw/stat 2>/dev/null) && [ -n "$stat" ]; do
    gw_cpu1=$(echo "$stat" | awk '{print $14 + $15}')
    gw_cpu=$(echo "$stat" | awk -v t="$tck" '{printf "user %.2f + system %.2f", $14 / t, $15 / t}')
    [ "$(echo "$stat" | awk '{print $3}')" = Z ] && break
    sleep 0.05
  done
  wait $gw || true
  stored=$(grep -o '[0-9]* stored' "$work/gateway.log" | awk '{print $1}')
  echo "  simulator: $(cat "$work/sim.txt")"
  echo "  gateway:   $(grep stopped "$work/gateway.log")"
  echo "  gateway:   $(grep 'answer stages' "$work/gateway.log")"
  [ "${ENCRYPT:-0}" = 1 ] && echo "  gateway:   $(grep 'HJ 212-2025' "$work/gateway.log")"
  echo "  CPU s: gateway $gw_cpu (start-up and stop included), simulator >= $sim_cpu (sampled every 0.2 s)"
  echo "  gateway threads, CPU s when the simulator ended: ${threads%, }"
  awk -v a="$gw_cpu0" -v b="$gw_cpu1" -v t="$tck" -v n="${stored:-0}" -v s="$sim_cpu" -v la="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN{ if (n > 0) printf "  per upload stored: gateway %.1f us CPU (from the simulator start to the gateway exit), simulator %.1f us; load average %s\n", (b - a) / t / n * 1e6, s / n * 1e6, la }'
  rm -f "$work"/run.db*
done
