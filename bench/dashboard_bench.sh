#!/usr/bin/env bash
# The dashboard's first open in headless Chromium, cold cache then warm (web/tests/dashboard_bench.mjs): `ecomon
# serve --web` on the demo city and Chromium on the same machine. Prints each run and the medians: time to the
# load event and to the first page being ready, bytes over the wire, the ECharts script's time to first byte.
# Usage: bench/dashboard_bench.sh [BUILD_DIR] [WEB_DIST] [RUNS]
#   BUILD_DIR defaults to build/release (build `ecomon` first), WEB_DIST to web/dist (built here with
#   web/build.mjs when it is the default), RUNS to 5. Needs chromium and web/node_modules (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/release}")/bin/ecomon
web=${2:-}
runs=${3:-5}
if [ -z "$web" ]; then (cd web && node build.mjs >/dev/null); web=web/dist; fi
web=$(realpath "$web")
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
export ECOMON_DB=$work/dash.db
"$bin" demo --first-year 2024 --last-year 2025 --out "$work/demo" >/dev/null
"$bin" serve --listen 127.0.0.1:0 --web "$web" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q '^serving' "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' "$work/serve.log")
echo "dashboard: $bin, $web; $runs runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node web/tests/dashboard_bench.mjs "$url" "$runs"
