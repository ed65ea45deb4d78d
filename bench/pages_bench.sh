#!/usr/bin/env bash
# Every dashboard page's first open (a fresh browser context: cold cache) and the page switches, timed in
# headless Chromium (web/tests/pages_bench.mjs) against `ecomon serve --web` on the demo city with the demo
# source registry, the ledger seeds, the emergency list and an admin. Prints the bundle's sizes, `uptime` before
# and after (the figures are upper bounds when the machine is loaded) and a Markdown table of the medians.
# Usage: bench/pages_bench.sh [BUILD_DIR] [RUNS] [BEFORE_DIST]
#   BUILD_DIR defaults to build/release (build `ecomon` there first); RUNS to 3. Needs chromium and
#   web/node_modules (scripts/install-deps.sh); web/dist is built here (its files' sizes printed first).
#   BEFORE_DIST: another build of the dashboard (an older web/dist) to compare with: served by a second server on
#   a copy of the same store, every step done on both one right after the other (tables "before" and "after").
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/release}")/bin/ecomon
runs=${2:-3}
before_dist=${3:+$(realpath "$3")}
(cd web && node build.mjs)  # prints each file's size (plain, brotli) and ECharts' full build's
work=$(mktemp -d)
servers=()
trap 'for s in "${servers[@]}"; do kill "$s" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
export ECOMON_DB=$work/pages.db ECOMON_PWHASH=min
"$bin" demo --first-year 2024 --last-year 2025 --out "$work/demo" >/dev/null
"$bin" sources demo-registry --out "$work/registry" >/dev/null
"$bin" sources import "$work/registry" >/dev/null
"$bin" ledger import demo/ledger >/dev/null
"$bin" emergency demo-registry --out "$work/emergency" >/dev/null
"$bin" emergency import "$work/emergency" >/dev/null
"$bin" users add admin --role admin --password bench-password >/dev/null
# Starts `ecomon serve` on DB with the dashboard DIST; sets $url to its address.
serve() {
  local db=$1 dist=$2 log=$work/serve.${#servers[@]}.log
  ECOMON_DB=$db "$bin" serve --listen 127.0.0.1:0 --web "$dist" >"$log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 600); do grep -qs "^serving" "$log" && break; sleep 0.1; done
  url=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' "$log")
}
echo "pages: $bin; $runs runs"
if [ -n "$before_dist" ]; then
  for f in "$work"/pages.db*; do cp "$f" "${f/pages.db/before.db}"; done  # with its -wal, if any
  serve "$work/before.db" "$before_dist"
  before=$url
  serve "$work/pages.db" "$(realpath web/dist)"
  after=$url
  echo "before: $before_dist; after: $(realpath web/dist)"
  echo "before: $(uptime)"
  node web/tests/pages_bench.mjs "$after" admin bench-password "$runs" "before=$before" "after=$after"
else
  serve "$work/pages.db" "$(realpath web/dist)"
  echo "before: $(uptime)"
  node web/tests/pages_bench.mjs "$url" admin bench-password "$runs"
fi
echo "after: $(uptime)"
