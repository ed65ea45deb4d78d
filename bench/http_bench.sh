#!/usr/bin/env bash
# The read API under wrk: `ecomon serve` on the demo city (ecomon demo + the demo source registry) and wrk on the
# same machine. Prints per endpoint and connection count: requests/s, p50 and p99 (from wrk's latency histogram,
# by the Lua script below), errors, and the server's peak RSS.
# Usage: bench/http_bench.sh [BUILD_DIR] [CONNECTIONS ...]
#   BUILD_DIR defaults to build/release (build the `ecomon` target first); connections default to 8 64 256.
#   SECONDS_PER_RUN=15 THREADS=N CACHE=5 override the run length, the server's --threads (default: the server's
#   own default) and its reply cache.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release}/bin/ecomon
shift || true
conns=("$@")
[ ${#conns[@]} -gt 0 ] || conns=(8 64 256)
secs=${SECONDS_PER_RUN:-15}
threads=${THREADS:-}
cache=${CACHE:-5}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)"; exit 1; }
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
export ECOMON_DB=$work/http.db
"$bin" demo --first-year 2024 --last-year 2025 --out "$work/demo" >/dev/null
"$bin" sources demo-registry --out "$work/registry" >/dev/null
"$bin" sources import "$work/registry" >/dev/null
cat >"$work/latency.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
LUA
"$bin" serve --listen 127.0.0.1:0 ${threads:+--threads "$threads"} --cache-seconds "$cache" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q '^serving' "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' "$work/serve.log")
url=${url%/}
city=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("演示市"))')
echo "server: $bin, threads ${threads:-default}, reply cache ${cache} s; wrk -t2 -dN ${secs}s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %6s %10s %9s %9s %7s\n' endpoint conns 'req/s' 'p50 ms' 'p99 ms' errors
for path in "/api/air/today?city=$city" "/api/air/daily?city=$city&month=2025-12" "/api/water/sections?period=2025"; do
  for c in "${conns[@]}"; do
    t=2; [ "$c" -lt 2 ] && t=1
    out=$(wrk -t$t -c"$c" -d"${secs}s" -s "$work/latency.lua" "$url$path" 2>&1 | grep '^RESULT' || true)
    read -r _ rps p50 p99 err status <<<"$out"
    printf '%-40s %6s %10s %9s %9s %7s\n' "${path%%\?*}" "$c" "${rps:--}" "${p50:--}" "${p99:--}" "$((${err:-0} + ${status:-0}))"
  done
done
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$server/status)"
