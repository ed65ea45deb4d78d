#!/usr/bin/env bash
# The national 2019 archive on SQLite and on the cluster, through the `ecomon` command as a user runs it
# (issue 18's check): imports it into a fresh SQLite file and into a fresh PostgreSQL + ClickHouse database
# pair on a running cluster, prints both import times and their ratio (target: cluster <= 2x SQLite), then
# assesses every city's 2019 year from each store (`air annual --format json`, timed per city on the cluster;
# target <= 2 s each) and `air rank --year 2019 --format json`, and compares the JSON byte for byte.
# Exit 0 when every city's JSON and the ranking are identical, 1 when anything differs, 2 when it could not run.
#
#   scripts/cluster.sh up build/cluster                      # prints the store URL (last line)
#   bench/cluster_national.sh 'postgresql://ecomon@127.0.0.1:55432/ecomon?clickhouse=127.0.0.1:18123,127.0.0.1:18124'
#
# Environment: ECOMON (the binary; default build/release/bin/ecomon, else build/quick/bin/ecomon),
# ECOMON_SHARED_DIR (default ../shared), WORK (scratch directory, default /tmp/ecomon_cluster_national: the
# archive is unpacked there once, 595 MB; the SQLite store and the JSON go there too), KEEP=1 keeps the
# cluster databases (national_bench) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:-${ECOMON_TEST_STORE:-}}
if [[ -z "$url" ]]; then
  echo "usage: $0 STORE_URL   (a cluster URL: scripts/cluster.sh up prints one)" >&2
  exit 2
fi
bin=${ECOMON:-build/release/bin/ecomon}
[[ -x "$bin" ]] || bin=build/quick/bin/ecomon
[[ -x "$bin" ]] || { echo "error: no ecomon binary (build one: cmake --build --preset release --target ecomon)" >&2; exit 2; }
shared=${ECOMON_SHARED_DIR:-../shared}
archive=$shared/data/cnemc-2019/china_sites_2019.tar.zst
sites=$shared/data/cnemc-2019/sites-2022.csv
[[ -f "$archive" && -f "$sites" ]] || { echo "error: $archive or $sites is missing (ECOMON_SHARED_DIR)" >&2; exit 2; }
work=${WORK:-/tmp/ecomon_cluster_national}
mkdir -p "$work"

# The archive, unpacked once (not timed).
data=$work/archive
if [[ ! -f "$data/.complete" ]]; then
  rm -rf "$data" && mkdir -p "$data"
  echo "unpacking $archive into $data ..." >&2
  zstd -dc --long=27 "$archive" | tar x -C "$data"
  touch "$data/.complete"
fi
dir=$(find "$data" -name 'china_sites_2019*.csv' -printf '%h\n' | head -1)
[[ -n "$dir" ]] || { echo "error: no china_sites_2019*.csv under $data" >&2; exit 2; }

# A fresh database pair on the cluster: PostgreSQL database national_bench (made with psql, as the URL's
# user, who may create databases: scripts/cluster/postgres.sh), ClickHouse database national_bench.
db=national_bench
base=${url%%\?*}                       # postgresql://USER@HOST:PORT/DB
query=${url#*\?}
shards=$(tr '&' '\n' <<<"$query" | sed -n 's/^clickhouse=//p')
[[ -n "$shards" ]] || { echo "error: $url names no ClickHouse servers" >&2; exit 2; }
admin=$base
bench_url="${base%/*}/$db?clickhouse_db=$db&clickhouse=$shards"
ch_drop() {
  local each s r
  IFS=',' read -ra each <<<"$shards"
  for s in "${each[@]}"; do
    for r in ${s//|/ }; do
      curl -sf "http://$r/" --data-binary "DROP DATABASE IF EXISTS $db" >/dev/null || true
    done
  done
}
pg_drop() { psql "$admin" -qAt -c "DROP DATABASE IF EXISTS $db" >/dev/null; }
ch_drop
pg_drop
psql "$admin" -qAt -c "CREATE DATABASE $db" >/dev/null
if [[ "${KEEP:-0}" != 1 ]]; then trap 'ch_drop; pg_drop || true' EXIT; fi

sqlite=$work/national.db
rm -f "$sqlite" "$sqlite"-*

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "binary: $bin; archive: $dir ($(ls "$dir" | wc -l) files); cluster: ${bench_url}" >&2
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# An import exits 1 when the archive has bad cells (reported, the rest imported): that is a success here.
import() {
  local rc=0
  "$bin" --store "$1" import cnemc "$dir" --stations "$sites" >"$2" || rc=$?
  if [[ $rc -gt 1 ]]; then
    echo "error: import into $1 failed (exit $rc): $(tail -3 "$2")" >&2
    exit 2
  fi
}
t0=$(now)
import "$sqlite" "$work/import-sqlite.txt"
t1=$(now)
import "$bench_url" "$work/import-cluster.txt"
t2=$(now)
sqlite_s=$(elapsed "$t0" "$t1")
cluster_s=$(elapsed "$t1" "$t2")
ratio=$(awk -v a="$sqlite_s" -v b="$cluster_s" 'BEGIN { printf "%.2f", b / a }')
echo "import SQLite:  ${sqlite_s} s  ($(grep -m1 "^store:" "$work/import-sqlite.txt"))"
echo "import cluster: ${cluster_s} s  ($(grep -m1 "^store:" "$work/import-cluster.txt"))"
echo "ratio cluster/SQLite: ${ratio} (target <= 2)"

# Every city the SQLite store knows, assessed on both; the cluster's time per city.
mkdir -p "$work/json"
rm -f "$work/json"/*
"$bin" --db "$sqlite" air rank --year 2019 --format json >"$work/json/rank-sqlite.json"
"$bin" --store "$bench_url" air rank --year 2019 --format json >"$work/json/rank-cluster.json"
mapfile -t cities < <(python3 -c '
import json, sys
seen = []
def walk(x):
    if isinstance(x, dict):
        if "city" in x and isinstance(x["city"], str) and x["city"] not in seen: seen.append(x["city"])
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(json.load(open(sys.argv[1])))
print("\n".join(seen))' "$work/json/rank-sqlite.json")
differ=0
slowest=0
slowest_city=
total_cluster=0
i=0
for c in "${cities[@]}"; do
  i=$((i + 1))
  "$bin" --db "$sqlite" air annual --city "$c" --year 2019 --format json >"$work/json/$i-sqlite.json" || true
  a=$(now)
  "$bin" --store "$bench_url" air annual --city "$c" --year 2019 --format json >"$work/json/$i-cluster.json" || true
  b=$(now)
  s=$(elapsed "$a" "$b")
  total_cluster=$(awk -v t="$total_cluster" -v s="$s" 'BEGIN { printf "%.2f", t + s }')
  if awk -v s="$s" -v m="$slowest" 'BEGIN { exit !(s > m) }'; then slowest=$s; slowest_city=$c; fi
  if ! cmp -s "$work/json/$i-sqlite.json" "$work/json/$i-cluster.json"; then
    differ=$((differ + 1))
    echo "DIFFERS: air annual --city $c" >&2
    diff <(head -c 2000 "$work/json/$i-sqlite.json") <(head -c 2000 "$work/json/$i-cluster.json") | head -10 >&2 || true
  fi
done
rank_same=yes
cmp -s "$work/json/rank-sqlite.json" "$work/json/rank-cluster.json" || rank_same=no
echo "cities assessed: ${#cities[@]}; from the cluster: ${total_cluster} s in all, slowest ${slowest} s (${slowest_city}), one process per city (target <= 2 s)"
echo "air annual JSON identical: $((${#cities[@]} - differ)) of ${#cities[@]} cities; air rank JSON identical: $rank_same"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $differ -eq 0 && $rank_same == yes ]] || exit 1
