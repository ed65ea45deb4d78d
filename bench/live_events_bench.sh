#!/usr/bin/env bash
# What live events cost the gateway (docs/performance.md, "Live events and commands in the gateway"): 1000
# simulated devices, a real-time upload every 0.1 s each for 10 s; the gateway's CPU seconds over the load.
# Usage: bench/live_events_bench.sh [BUILD_DIR] MODE   MODE: off (--no-events --no-commands) | on (nothing to
# judge: the devices have no registry details) | judged (the 1000 devices imported, real-time data their
# silence kind: every upload judged).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/${1:-build/release}/bin/ecomon
mode=${2:-on}
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
cd "$work"
"$bin" --db run.db hj212-sim --register-only --devices 1000 >/dev/null
flags=""
[ "$mode" = off ] && flags="--no-events --no-commands"
if [ "$mode" = judged ]; then
  python3 - <<'PY'
import datetime
reg = (datetime.datetime.utcnow() + datetime.timedelta(hours=8, minutes=5)).strftime("%Y-%m-%d %H:%M")
n = 1000
mn = lambda i: f"E0C0{i:020X}"
open("enterprises.csv", "w").write("id,name,county,industry\n" + "".join(f"B{i:04d},压测企业{i},压测县,火电\n" for i in range(n)))
open("outlets.csv", "w").write("id,enterprise,kind,name\n" + "".join(f"B{i:04d}-G1,B{i:04d},gas,G1\n" for i in range(n)))
open("devices.csv", "w").write("mn,password,protocol,outlet,realtime_s,minute_min,hourly,daily,registered_at,active\n" +
                               "".join(f"{mn(i)},123456,2017,B{i:04d}-G1,30,-,N,N,{reg},Y\n" for i in range(n)))
open("device_pollutants.csv", "w").write("mn,pollutant,unit,rated\n" + "".join(
    f"{mn(i)},{p},mg/m3,Y\n" for i in range(n) for p in ("a21026", "a21002", "a34013")))
PY
  "$bin" --db run.db sources import . >/dev/null
fi
tck=$(getconf CLK_TCK)
port=$((20000 + RANDOM % 20000))
"$bin" --db run.db gateway --listen 127.0.0.1:$port --max-rate 1000 $flags >gateway.log 2>gateway.err &
gw=$!
sleep 2
c0=$(awk '{print $14 + $15}' /proc/$gw/stat)
"$bin" --db run.db hj212-sim --no-register --devices 1000 --interval 0.1 --duration 10 --connect-spread 2 \
  --target 127.0.0.1:$port >sim.txt
c1=$(awk '{print $14 + $15}' /proc/$gw/stat)
kill -INT $gw
wait $gw || true
echo "$mode: load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  simulator: $(cat sim.txt)"
grep -E "stopped|live events" gateway.log | sed 's/^/  /'
awk -v a="$c0" -v b="$c1" -v t="$tck" 'BEGIN { printf "  gateway CPU during the load: %.2f s\n", (b - a) / t }'
