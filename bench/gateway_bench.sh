#!/usr/bin/env bash
# End-to-end HJ 212 load: simulator -> gateway -> SQLite with answers, on this machine (both processes share its
# cores). Prints the simulator's figures per scenario: sustained answered messages/s and answer latency.
# Usage: bench/gateway_bench.sh [BUILD_DIR]   (default build/release; build the `ecomon` target first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release}/bin/ecomon
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
db=$work/load.db
"$bin" --db "$db" hj212-sim --register-only --devices 10000 >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" --db "$db" gateway --listen 127.0.0.1:$port --max-rate 1000 > "$work/gateway.log" &
sleep 1
run() {  # devices interval seconds
  printf '%6s devices, one upload every %5ss each (offered %6.0f msg/s): ' "$1" "$2" "$(awk "BEGIN{print $1/$2}")"
  "$bin" --db "$db" hj212-sim --no-register --devices "$1" --interval "$2" --duration "$3" --connect-spread 2 \
    --target 127.0.0.1:$port
}
run 100 1 10
run 1000 0.1 10
run 2000 0.1 10
run 10000 1 15
run 10000 0.5 15
run 2000 0.05 10
kill -INT %1
wait %1 || true
cat "$work/gateway.log"
