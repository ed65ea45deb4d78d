#!/usr/bin/env bash
# HJ 212 gateway load into the cluster (issue 18): two `ecomon gateway` processes on one cluster store URL,
# the devices split between two simulators (one per gateway), every upload answered only once it is
# committed to PostgreSQL's spool (store/cluster_ingest.h); beside it, in the same run, one gateway on a
# fresh SQLite store (--writers 2) with the same devices and load. Printed per scenario and backend: uploads
# answered per second (sum of the simulators), the simulators' send-to-answer p50/p99 (the worse of the two
# for the cluster), the gateways' stop lines, and the CPU seconds of each gateway (utime + stime), with the
# load average. ECOMON_SPOOL_TRACE=1 makes the cluster's writers log each batch's steps (begin, the
# ClickHouse check, the INSERT, the COMMIT; the rows the writer's memory could not vouch for and asked
# ClickHouse about) into $work/g1.log, summarised here per gateway.
#
# Usage: bench/cluster_gateway.sh [BUILD_DIR] [SCENARIO ...]
#   BUILD_DIR: where bin/ecomon is (default build/release; build/quick works, slower code).
#   SCENARIO: DEVICES:INTERVAL_S:SECONDS[:FRAMES_PER_WRITE] (default: 2000:0.1:10 2000:0.05:10:10).
#   The cluster: $ECOMON_STORE, else `scripts/cluster.sh url` (start one with scripts/cluster.sh up).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release}/bin/ecomon
shift || true
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(2000:0.1:10 2000:0.05:10:10)
url=${ECOMON_STORE:-$(scripts/cluster.sh url)}
[ -n "$url" ] || {
  echo "cluster_gateway.sh: no cluster (scripts/cluster.sh up, or set ECOMON_STORE)" >&2
  exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
tck=$(getconf CLK_TCK)
cpu() { awk -v t="$tck" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat" 2>/dev/null || echo "?"; }
max_devices=0
for sc in "${scenarios[@]}"; do
  d=${sc%%:*}
  [ "$d" -gt "$max_devices" ] && max_devices=$d
done
"$bin" --store "$url" hj212-sim --register-only --devices "$max_devices" >/dev/null
"$bin" --db "$work/sqlite.db" hj212-sim --register-only --devices "$max_devices" >/dev/null

start_gateway() { # STORE LOG [ARGS...]: sets gw_pid and gw_port (a child of this shell)
  local store=$1 log=$2
  shift 2
  "$bin" --store "$store" gateway --listen 127.0.0.1:0 --max-rate 1000 --no-events "$@" >"$log" 2>&1 &
  gw_pid=$!
  gw_port=""
  for _ in $(seq 100); do
    gw_port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$log" 2>/dev/null | sed 's/.*://') && [ -n "$gw_port" ] && break
    sleep 0.1
  done
}
stop_gateway() { # PID: SIGINT, wait (it answers and ships what is queued); sets gw_cpu (its CPU seconds)
  gw_cpu=$(cpu "$1")
  kill -INT "$1"
  while [ -e "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; do
    gw_cpu=$(cpu "$1")
    sleep 0.05
  done
  wait "$1" || true
}
field() { grep -o "$1 [0-9.]*" "$2" | awk '{print $NF}'; } # "answered 123" -> 123
# The writers' batches (ECOMON_SPOOL_TRACE lines): count, mean rows, mean ms of each step.
trace() {
  awk '/^spool: /{
         n++; rows += $2; asked += $4; l = $0; sub(/^spool: [0-9]+ rows, [0-9]+ asked: /, "", l)
         k = split(l, parts, / ms */)
         for (j = 1; j <= k; j++) {
           if (parts[j] == "") continue
           m = split(parts[j], w, " "); name = parts[j]; sub(/ *[0-9.]+$/, "", name)
           if (!(name in t)) ord[++no] = name
           t[name] += w[m]
         }
       }
       END { if (n) { printf "%d batches, %.0f rows each (%.0f asked of ClickHouse); mean ms:", n, rows / n, asked / n
                      for (j = 1; j <= no; j++) printf " %s %.1f", ord[j], t[ord[j]] / n; printf "\n" } }' "$1"
}

for sc in "${scenarios[@]}"; do
  IFS=: read -r devices interval seconds fpw <<<"$sc"
  fpw=${fpw:-1}
  half=$((devices / 2))
  offered=$(awk "BEGIN{print $devices * $fpw / $interval}")
  printf '%6s devices, %2s frame(s) per write every %5ss (offered %6.0f msg/s), %ss\n' "$devices" "$fpw" \
    "$interval" "$offered" "$seconds"
  # -- the cluster: two gateways, one simulator each
  start_gateway "$url" "$work/g1.log"
  g1=$gw_pid p1=$gw_port
  start_gateway "$url" "$work/g2.log"
  g2=$gw_pid p2=$gw_port
  sim_args=(--no-register --interval "$interval" --duration "$seconds" --frames-per-write "$fpw" --connect-spread 2)
  "$bin" --store "$url" hj212-sim "${sim_args[@]}" --devices "$half" --target "127.0.0.1:$p1" >"$work/s1.txt" &
  s1=$!
  "$bin" --store "$url" hj212-sim "${sim_args[@]}" --first-device "$half" --devices $((devices - half)) \
    --target "127.0.0.1:$p2" >"$work/s2.txt" &
  s2=$!
  wait $s1 $s2 || true
  stop_gateway "$g1"
  c1=$gw_cpu
  stop_gateway "$g2"
  c2=$gw_cpu
  awk -v a1="$(field answered "$work/s1.txt")" -v a2="$(field answered "$work/s2.txt")" \
    -v t1="$(grep -o 'in [0-9.]* s' "$work/s1.txt" | awk '{print $2}')" \
    -v t2="$(grep -o 'in [0-9.]* s' "$work/s2.txt" | awk '{print $2}')" \
    -v p501="$(field p50 "$work/s1.txt")" -v p502="$(field p50 "$work/s2.txt")" \
    -v p991="$(field p99 "$work/s1.txt")" -v p992="$(field p99 "$work/s2.txt")" -v c1="$c1" -v c2="$c2" \
    -v la="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN{t = (t1 > t2 ? t1 : t2); printf "  cluster, 2 gateways: %.0f answered/s (%d + %d in %.1f s), p50 %.2f ms, p99 %.2f ms; gateway CPU %s + %s s; load %s\n",
      (a1 + a2) / t, a1, a2, t, (p501 > p502 ? p501 : p502), (p991 > p992 ? p991 : p992), c1, c2, la}'
  for k in 1 2; do
    echo "    gateway $k: $(grep stopped "$work/g$k.log" || tail -1 "$work/g$k.log")"
    [ -n "${ECOMON_SPOOL_TRACE:-}" ] && echo "    gateway $k writers: $(trace "$work/g$k.log")"
  done
  # -- SQLite: one gateway, two shard files, one simulator with all devices
  rm -f "$work"/run.db*
  cp "$work/sqlite.db" "$work/run.db"
  start_gateway "$work/run.db" "$work/g.log" --writers 2
  g=$gw_pid p=$gw_port
  "$bin" --db "$work/run.db" hj212-sim "${sim_args[@]}" --devices "$devices" --target "127.0.0.1:$p" >"$work/s.txt"
  stop_gateway "$g"
  c=$gw_cpu
  awk -v a="$(field answered "$work/s.txt")" -v t="$(grep -o 'in [0-9.]* s' "$work/s.txt" | awk '{print $2}')" \
    -v p50="$(field p50 "$work/s.txt")" -v p99="$(field p99 "$work/s.txt")" -v c="$c" \
    -v la="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN{printf "  SQLite, 1 gateway:   %.0f answered/s (%d in %.1f s), p50 %.2f ms, p99 %.2f ms; gateway CPU %s s; load %s\n",
      a / t, a, t, p50, p99, c, la}'
  echo "    gateway: $(grep stopped "$work/g.log" || tail -1 "$work/g.log")"
done
