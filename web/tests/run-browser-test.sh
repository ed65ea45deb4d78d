#!/usr/bin/env bash
# The dashboard in real headless Chromium: a temp store with the demo data (`ecomon demo`, the demo source
# registry, a demo admin), `ecomon serve --web web/dist` on a free port, then browser.test.mjs (playwright-core).
#   web/tests/run-browser-test.sh ECOMON_BIN OUT_DIR       screenshots and the full log go to OUT_DIR
# Exit 77 (CTest: skipped) when chromium, node or the npm packages are absent; under CI (CI=true), where
# scripts/install-deps.sh has installed them, their absence is a failure, not a skip.
set -euo pipefail
skip() { echo "SKIP: $1"; if [ "${CI:-}" = true ]; then echo "FAIL: CI must run the browser test"; exit 1; fi; exit 77; }
bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
web=$(cd "$here/.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then skip "no chromium at $chromium"; fi
if ! command -v node >/dev/null; then skip "node is not installed"; fi
if ! command -v unzip >/dev/null; then skip "unzip is not installed (it checks the .xlsx exports)"; fi
if [ ! -d "$web/node_modules/playwright-core" ] || [ ! -d "$web/node_modules/echarts" ]; then
  skip "web/node_modules missing (scripts/install-deps.sh runs npm ci)"
fi
(cd "$web" && node build.mjs >/dev/null)

tmp=$(mktemp -d)
server=
gateway=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$gateway" ]; then kill "$gateway" 2>/dev/null || true; wait "$gateway" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
export ECOMON_DB="$tmp/web.db" ECOMON_PWHASH=min
"$bin" demo --first-year 2024 --last-year 2025 --out "$tmp/demo" >/dev/null
"$bin" sources demo-registry --out "$tmp/registry" >/dev/null
"$bin" sources import "$tmp/registry" >/dev/null
"$bin" ledger import "$web/../demo/ledger" >/dev/null
"$bin" emergency demo-registry --out "$tmp/emergency" >/dev/null
"$bin" emergency import "$tmp/emergency" >/dev/null
# The power-use modules and TSP points (issue 22): the demo's lines and points, and five power modules of E01
# (devices 200..204) feeding a gateway with yesterday's minutes 10:50..11:15 (module 204's treatment line is off
# from 11:00: a treatment_not_running event, open) — the three networks on the sources page, the duty view.
export POWER_DAY
POWER_DAY=$(TZ=Asia/Shanghai date -d yesterday +%F)
"$bin" power demo-lines --out "$tmp/power_lines.csv" >/dev/null
"$bin" power import "$tmp/power_lines.csv" >/dev/null
"$bin" hj212-sim --power --protocol 2025 --devices 50 --first-device 200 --register-only >/dev/null
"$bin" dust demo-points --out "$tmp/dust_points.csv" >/dev/null
"$bin" dust import "$tmp/dust_points.csv" >/dev/null
"$bin" gateway --listen 127.0.0.1:0 >"$tmp/gateway.log" 2>&1 &
gateway=$!
for _ in $(seq 1 300); do
  grep -q "^gateway listening" "$tmp/gateway.log" && break
  sleep 0.1
done
gateway_port=$(sed -n 's/^gateway listening on [0-9.]*:\([0-9]*\).*/\1/p' "$tmp/gateway.log")
[ -n "$gateway_port" ] || { echo "ecomon gateway did not start"; cat "$tmp/gateway.log"; exit 1; }
"$bin" hj212-sim --power --protocol 2025 --devices 5 --first-device 200 --no-register --interval 0.1 --data-step 60 \
  --start "$POWER_DAY 10:50" --messages 26 --duration 60 --target "127.0.0.1:$gateway_port" >/dev/null
kill -INT "$gateway"
wait "$gateway"
gateway=
"$bin" users add admin --role admin --password browser-test-pw >/dev/null
# One user of every role (docs/accounts.md): the test walks each through the pages its menu offers.
"$bin" users add analyst --role analyst --password browser-test-pw >/dev/null
"$bin" users add chengqu --role county --county 城区 --password browser-test-pw >/dev/null
"$bin" users add e01 --role enterprise --enterprise E01 --password browser-test-pw >/dev/null
"$bin" users add citizen --role public --password browser-test-pw >/dev/null
# The audit page: stations of the county user's county (城区) and of another.
"$bin" audit assign --station 9161A --county 城区 >/dev/null
"$bin" audit assign --station 9162A --county 高新区 >/dev/null

"$bin" serve --listen 127.0.0.1:0 --web "$web/dist" >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  grep -q "^serving" "$tmp/serve.log" && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/serve.log"; exit 1; fi
  sleep 0.1
done
url=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' "$tmp/serve.log")
[ -n "$url" ] || { echo "ecomon serve did not start"; cat "$tmp/serve.log"; exit 1; }
mkdir -p "$out"
# The whole log goes to OUT_DIR/browser.log; what is printed is short (the checks that failed, the page times and
# the verdict, the count of passed checks) so that a failure is in the part of the output CI shows.
rc=0
node "$here/browser.test.mjs" "$url" "$out" admin browser-test-pw >"$out/browser.log" 2>&1 || rc=$?
echo "$(grep -c '^ok ' "$out/browser.log" || true) checks passed (all of them: $out/browser.log)"
grep -v '^ok ' "$out/browser.log" || true
if [ "$rc" -ne 0 ]; then echo "--- the server's log (last 40 lines)"; tail -n 40 "$tmp/serve.log"; fi
exit "$rc"
