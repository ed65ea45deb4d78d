#!/usr/bin/env bash
# A cluster anyone can start (docs/cluster.md): PostgreSQL for the records and two ClickHouse shards for the time
# series, on loopback, under DIR (default build/cluster). Installs what is missing first (scripts/packages.txt).
#   scripts/cluster.sh up [DIR]       start (idempotent); the last line printed is the store URL:
#                                     postgresql://ecomon@127.0.0.1:55432/ecomon?clickhouse=127.0.0.1:18123,...
#   scripts/cluster.sh down [DIR]     stop everything cleanly (the data stays in DIR)
#   scripts/cluster.sh status [DIR]   what runs
#   scripts/cluster.sh url [DIR]      the store URL of a running cluster
# Ports: PostgreSQL 55432, ClickHouse HTTP 18123/18124 (REPLICAS=2: 4 servers and ZooKeeper); see the two scripts
# in scripts/cluster/ for the variables that move them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-status}
dir=${2:-$here/../build/cluster}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Starts what is not running (both scripts are idempotent) and prints the store URL; the scripts' own lines go
# to stderr, their last line is the part of the URL they own.
start() {
  local pg ch
  pg=$("$here/cluster/postgres.sh" up "$dir/pg" | tee /dev/stderr | tail -n 1)
  ch=$("$here/cluster/clickhouse.sh" up "$dir/ch" | tee /dev/stderr | tail -n 1)
  echo "${pg}?clickhouse=${ch}"
}

case "$cmd" in
  up)
    "$here/install-deps.sh" >&2
    start | tee "$dir/store-url"
    ;;
  down)
    rc=0
    "$here/cluster/clickhouse.sh" down "$dir/ch" || rc=$?
    "$here/cluster/postgres.sh" down "$dir/pg" || rc=$?
    rm -f "$dir/store-url"
    exit $rc
    ;;
  status)
    rc=0
    "$here/cluster/postgres.sh" status "$dir/pg" || rc=$?
    "$here/cluster/clickhouse.sh" status "$dir/ch" || rc=$?
    exit $rc
    ;;
  url)
    if [ -s "$dir/store-url" ] && "$0" status "$dir" >/dev/null 2>&1; then cat "$dir/store-url"; else
      echo "scripts/cluster.sh: no cluster runs under $dir (scripts/cluster.sh up)" >&2; exit 1; fi
    ;;
  *) echo "usage: scripts/cluster.sh up|down|status|url [DIR]" >&2; exit 2 ;;
esac
