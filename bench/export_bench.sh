#!/usr/bin/env bash
# The export of a station-year of hourly data (issue 20: 8,760 rows < 1 s): `ecomon serve` on the demo city
# (2024-2025) with the API cache off (--cache-seconds 0: every request computed, none from the cache), then
# GET /api/air/hourly?city=演示市&year=2025&station=S&format=csv|xlsx|json for each assessment station (5; the
# reference station has no city figures), RUNS times, timed by curl (time_total: request to last byte, over
# loopback). Prints `uptime` before and after (the figures are upper bounds when the machine is loaded), each
# export's rows and bytes, and the median and maximum time per format. JSON is the API's first page (100 rows:
# lists page unless exported), so its time is about the year's computation alone.
# Usage: bench/export_bench.sh [BUILD_DIR] [RUNS]    BUILD_DIR defaults to build/release; RUNS to 3.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/release}")/bin/ecomon
runs=${2:-3}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
export ECOMON_DB=$work/export.db ECOMON_PWHASH=min
"$bin" demo --first-year 2024 --last-year 2025 --out "$work/demo" >/dev/null
"$bin" serve --listen 127.0.0.1:0 --cache-seconds 0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do grep -q "^serving" "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' "$work/serve.log")
url=${url%/}
city=%E6%BC%94%E7%A4%BA%E5%B8%82 # 演示市
stations=$(curl -sf "$url/api/air/stations?city=$city" | python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(sys.stdin)["items"] if s["assessment"] and not s["reference"]))')
echo "export: $bin; stations $stations; $runs runs"
echo "before: $(uptime)"
for format in csv xlsx json; do
  times=()
  for run in $(seq 1 "$runs"); do
    for s in $stations; do
      t=$(curl -sf -o "$work/out.$format" -w '%{time_total}' "$url/api/air/hourly?city=$city&year=2025&station=$s&format=$format")
      times+=("$t")
      if [ "$run" = 1 ]; then
        case $format in
          csv) rows=$(($(wc -l <"$work/out.csv") - 1)) ;;  # less the header
          xlsx) rows=$(unzip -p "$work/out.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l); rows=$((rows - 1)) ;;
          json) rows=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$work/out.json") ;;
        esac
        echo "  $format $s: $rows rows, $(stat -c %s "$work/out.$format") bytes, ${t} s"
      fi
    done
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v f="$format" '{a[NR]=$1} END {printf "%s: median %.3f s, max %.3f s of %d exports\n", f, a[int((NR+1)/2)], a[NR], NR}'
done
echo "after: $(uptime)"
