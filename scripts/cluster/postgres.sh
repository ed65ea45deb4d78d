#!/usr/bin/env bash
# The cluster's PostgreSQL: one local server for ecomon's records (issue 18).
#
#   scripts/cluster/postgres.sh up DIR       # initdb when DIR is empty, start, create role and database ecomon,
#                                            # wait until ready; last line: the libpq URI
#   scripts/cluster/postgres.sh status DIR   # running or not (exit 0 when running, 3 when stopped)
#   scripts/cluster/postgres.sh down DIR     # fast shutdown (sessions closed, committed data kept)
#
# DIR is e.g. build/cluster/pg; the data directory is DIR/data, the log DIR/log, the unix socket DIR itself.
# Environment: ECOMON_PG_PORT (55432), ECOMON_PG_HOST (127.0.0.1), ECOMON_PG_BIN (/usr/lib/postgresql/15/bin).
#
# Authentication: trust on the unix socket and on loopback (127.0.0.1, ::1) only, and the server listens on
# loopback only. That is for a local test cluster on a machine whose users are trusted; a deployment sets
# passwords (scram-sha-256) or certificates in pg_hba.conf.
#
# initdb and the server refuse to run as root: as root, DIR is given to the `postgres` user and the server
# commands run as that user (su); as a normal user they run as that user. The cluster is initialised with
# locale C and UTF-8, so that text sorts by code point as on SQLite (ORDER BY gives the same order).
set -euo pipefail

usage() {
  echo "usage: $0 up|down|status DIR" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
cmd=$1
case $cmd in up | down | status) ;; *) usage ;; esac
if [[ $cmd == up ]]; then mkdir -p "$2"; fi
if [[ ! -d $2 ]]; then
  echo "postgres.sh: not running ($2 does not exist)"
  [[ $cmd == status ]] && exit 3
  exit 0
fi
dir=$(cd "$2" && pwd)
port=${ECOMON_PG_PORT:-55432}
host=${ECOMON_PG_HOST:-127.0.0.1}
bin=${ECOMON_PG_BIN:-/usr/lib/postgresql/15/bin}
data=$dir/data
log=$dir/log
uri="postgresql://ecomon@$host:$port/ecomon"

[[ -x $bin/pg_ctl ]] || {
  echo "postgres.sh: $bin/pg_ctl not found: install postgresql-15 (scripts/install-deps.sh)" >&2
  exit 2
}

# Runs a command as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    local q
    q=$(printf '%q ' "$@")
    su postgres -s /bin/sh -c "$q"
  else
    "$@"
  fi
}

running() { as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $cmd in
  up)
    if [[ $(id -u) -eq 0 ]]; then
      id postgres >/dev/null 2>&1 || {
        echo "postgres.sh: running as root needs the user postgres (installed with postgresql-15)" >&2
        exit 2
      }
      chown postgres: "$dir"
      chmod 0700 "$dir"
      # The parents must be searchable by postgres (a worktree under /root is not by default).
      p=$dir
      while [[ $p != / ]]; do
        p=$(dirname "$p")
        if ! su postgres -s /bin/sh -c "test -x '$p'"; then
          chmod o+x "$p"
        fi
      done
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
      as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
      }
      cat >"$data/pg_hba.conf" <<'EOF'
# ecomon's local test cluster (scripts/cluster/postgres.sh): trust on the socket and on loopback only.
local   all all               trust
host    all all 127.0.0.1/32  trust
host    all all ::1/128       trust
EOF
    fi
    if ! running; then
      as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-c listen_addresses=$host -p $port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=on" \
        start >/dev/null || {
        echo "postgres.sh: the server did not start; its log ($log):" >&2
        tail -20 "$log" >&2
        exit 1
      }
    fi
    # Ready: the server accepts connections on the port (pg_ctl -w waited for the socket).
    for _ in $(seq 1 60); do
      if "$bin/pg_isready" -q -h "$host" -p "$port"; then break; fi
      sleep 0.5
    done
    "$bin/pg_isready" -q -h "$host" -p "$port" || {
      echo "postgres.sh: the server on $host:$port is not ready" >&2
      exit 1
    }
    psql=(/usr/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres -d postgres)
    if [[ $("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname='ecomon'") != 1 ]]; then
      # CREATEDB: the tests make a database or schema of their own for each test.
      "${psql[@]}" -c "CREATE ROLE ecomon LOGIN CREATEDB"
    fi
    if [[ $("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname='ecomon'") != 1 ]]; then
      "${psql[@]}" -c "CREATE DATABASE ecomon OWNER ecomon ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
    fi
    echo "$uri"
    ;;
  down)
    if [[ -f $data/PG_VERSION ]] && running; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
      echo "postgres.sh: stopped ($data)"
    else
      echo "postgres.sh: not running ($data)"
    fi
    ;;
  status)
    if [[ -f $data/PG_VERSION ]] && running; then
      echo "postgres.sh: running on $host:$port ($data)"
      echo "$uri"
    else
      echo "postgres.sh: not running ($data)"
      exit 3
    fi
    ;;
  *) usage ;;
esac
