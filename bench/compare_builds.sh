#!/usr/bin/env bash
# Two builds of ecomon back to back, alternating, on this machine: the figures a refactor must not regress
# (issue 16). Prints, per build: the 2019 national import (wall and CPU, fresh store each round) and the annual
# assessment and ranking of every city (`air rank --year 2019`), then the gateway at 100,000 uploads/s offered
# (bench/gateway_bench.sh, 10,000 devices, 10 uploads per write every 1 s) and the read API without the reply
# cache (bench/http_bench.sh, CACHE=0, 64 connections), each build in turn.
# Usage: bench/compare_builds.sh BEFORE_BIN AFTER_BIN [ROUNDS]      (ROUNDS of the import, default 3)
#   SKIP="gateway http" leaves parts out. Run it on an idle machine; the load average is printed with each part.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(realpath "$1") after=$(realpath "$2") rounds=${3:-3}
skip=${SKIP:-}
archive=${ECOMON_SHARED_DIR:-../shared}/data/cnemc-2019
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in before after; do
  mkdir -p "$work/$name/bin"
  ln -s "$([ $name = before ] && echo "$before" || echo "$after")" "$work/$name/bin/ecomon"
done
echo "before: $before"
echo "after:  $after"

if [[ " $skip " != *" national "* ]]; then
  [ -f "$archive/china_sites_2019.tar.zst" ] || { echo "no $archive/china_sites_2019.tar.zst: national part skipped"; skip+=" national"; }
fi
if [[ " $skip " != *" national "* ]]; then
  mkdir -p "$work/nat"
  zstd -dc --long=27 "$archive/china_sites_2019.tar.zst" | tar x -C "$work/nat"
  dir=$(dirname "$(find "$work/nat" -name 'china_sites_2019*.csv' | head -1)")
  echo "== national import (364 files) and every city's 2019 assessment; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-7s %5s %10s %10s %10s\n' build round 'import s' 'cpu s' 'rank s'
  for r in $(seq 1 "$rounds"); do
    for name in before after; do
      db=$work/$name.db; rm -f "$db"*
      t0=$(date +%s.%N)
      /usr/bin/time -f '%U %S' -o "$work/time" "$work/$name/bin/ecomon" --db "$db" import cnemc "$dir" \
        --stations "$archive/sites-2022.csv" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      "$work/$name/bin/ecomon" --db "$db" air rank --year 2019 --format json >"$work/$name.rank.json" 2>/dev/null || true
      t2=$(date +%s.%N)
      printf '%-7s %5s %10.2f %10.2f %10.2f\n' "$name" "$r" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" \
        "$(tail -1 "$work/time" | awk '{print $1 + $2}')" "$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b - a}')"
    done
  done
  cmp -s "$work/before.rank.json" "$work/after.rank.json" && echo "rank output: identical" || echo "rank output: DIFFERS"
  rm -rf "$work/nat" "$work"/*.db*
fi

if [[ " $skip " != *" gateway "* ]]; then
  for name in before after; do
    echo "== gateway, $name"
    bench/gateway_bench.sh "$work/$name" 10000:1:15:10
  done
fi

if [[ " $skip " != *" http "* ]]; then
  for name in before after; do
    echo "== HTTP without the reply cache, $name"
    CACHE=0 SECONDS_PER_RUN=${SECONDS_PER_RUN:-10} bench/http_bench.sh "$work/$name" 64
  done
fi
