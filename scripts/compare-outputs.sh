#!/usr/bin/env bash
# compare-outputs.sh: captures what an `ecomon` binary prints for every read command of the README (and the
# module pages it points to) and every GET endpoint of its /api/openapi.json, on the demo store and on 晋城 2019
# real data, so that two binaries can be compared output by output (issue 16: "behaviour is unchanged").
#
#   scripts/compare-outputs.sh capture BINARY OUTDIR   capture one binary into OUTDIR (created; must be empty)
#   scripts/compare-outputs.sh diff DIR_A DIR_B        compare two captures: each differing file with a short
#                                                      unified diff, the counts; exit 1 when anything differs
#   scripts/compare-outputs.sh BINARY_A BINARY_B       capture both (in temp dirs) and diff them
#
# Using it during a refactor: build the code before the refactor once (Release), copy the binary out of the
# tree and capture it (the baseline of issue 16 is /work/baseline/ecomon, captured in /work/baseline/capture).
# After each step of the refactor, build again and run
#     scripts/compare-outputs.sh capture build/release/bin/ecomon /tmp/after && \
#     scripts/compare-outputs.sh diff /work/baseline/capture /tmp/after
# (or `scripts/compare-outputs.sh /work/baseline/ecomon build/release/bin/ecomon` to capture both afresh).
# Zero differences is the goal; a difference that is a fixed defect is explained in the commit that makes it.
# A new endpoint or command shows as "only in B" (add it to the baseline by capturing the old binary again with
# the new script: the script, not the binary, decides what is captured). A capture of the code of issue 16's
# start (295 commands, 450 requests over the 33 GET paths, 1,340 files) takes 20-40 s on 2 busy cores; the
# diff takes a second.
#
# Each captured file is named <store>.<what>.{out,err,rc} for a command (stdout, stderr, exit code; the first
# line of .rc is the command line), <store>.<what>.<file>.file for a file a command wrote (the bulletin's HTML
# and JSON) and <store>.<path>.<variant>.http for an endpoint (request line, status, content type, body).
# Variants: `default` (required parameters only, admin token), `anon` (the same without a token), `county`
# and `enterprise` (the same with a county user's (城区) and an enterprise user's (E01) token), `csv`
# (format=csv), `page` (limit=2&offset=1) and v1, v2, ... (the EXTRA table in compare_outputs.py).
#
# Deterministic by construction: the demo is written with a fixed seed and fixed years (2024-2025), the
# sources' uploads are fixed HJ 212 frames sent one at a time (compare_outputs.py feed-hj212, DataTimes in
# 2025-11), every command that would default to "today" (ledger --as-of, sources events --to, ...) is given a
# date. What still changes from one run to the next is masked by compare_outputs.py `normalise`, which
# rewrites every captured file in place, and nothing else is touched (nothing is sorted):
#   1. the work directory's path (a fresh mktemp dir per capture)                       -> <WORK>
#   2. API tokens, `ecm_` + 64 hex digits (random)                                        -> <TOKEN>
#   3. instants of "now": a date-time (YYYY-MM-DD hh:mm[:ss[.f]], T or space, optional zone), a bare date,
#      a compact HJ 212 time (yyyymmddhhmmss[fff]) or epoch seconds/milliseconds that falls inside the
#      capture's own run, widened by a day on each side (account creation, token creation, audit times,
#      received_ms/raised_ms of the gateway, a ledger entry's `at`, the window of /api/sources/events
#      without from/to, ...). The stores' data are from 2019 and 2024-2025, so no data value can fall in that
#      window. (Known at the baseline: `sources events --source computed` closes device 3's silence at the
#      wall-clock time, so that cell reads <NOW>; a fix shows as a difference there.)      -> <NOW>
#   4. in the import reports only (files named setup.*): the elapsed seconds `in 1.23 s` and the JSON
#      `"seconds": 1.23`                                                                   -> <ELAPSED>
# Checked: two captures of the same binary diff to zero (the baseline was checked that way).
#
# ECOMON_COMPARE_KEEP=1 keeps the work directory (stores, generated files, server logs) for a closer look.
# Needs: bash, python3 (standard library only), the real data in ${ECOMON_SHARED_DIR:-/work/shared/data}
# (cnemc-2019/jincheng and sites-2022.csv; the 晋城 part is skipped with a note when absent). The surface-water
# snapshots in shared/data/surface-water have no import verb (only tests/water_real_data_test.cc reads them), so
# they are not part of the capture.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
py="$here/compare_outputs.py"
shared=${ECOMON_SHARED_DIR:-/work/shared/data}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT PID: until something listens on 127.0.0.1:PORT (or the process PID is gone).
wait_port() {
  local port=$1 pid=$2 i
  for ((i = 0; i < 300; i++)); do
    if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "error: process $pid ended before listening on $port" >&2; return 1; }
    sleep 0.1
  done
  echo "error: nothing listens on 127.0.0.1:$port after 30 s" >&2
  return 1
}

# ------------------------------------------------------------------------------------------------ capture
capture() {
  local bin out
  bin=$(realpath "$1")
  out=$2
  [[ -x $bin ]] || { echo "error: $bin is not an executable" >&2; exit 2; }
  mkdir -p "$out"
  out=$(realpath "$out")
  if [[ -n $(ls -A "$out") ]]; then
    echo "error: $out is not empty" >&2
    exit 2
  fi
  work=$(mktemp -d /tmp/ecomon-compare.XXXXXX)  # global: the EXIT trap removes it
  local t0 t_start
  t0=$(date +%s)
  t_start=$SECONDS
  pids=()  # global: the processes started here (servers, gateway), ended by the EXIT trap
  cleanup() {
    local p
    for p in "${pids[@]}"; do
      if [[ -n $p ]]; then kill -TERM "$p" 2>/dev/null || true; fi
    done
    for p in "${pids[@]}"; do
      if [[ -n $p ]]; then wait "$p" 2>/dev/null || true; fi
    done
    pids=()
    if [[ -n ${ECOMON_COMPARE_KEEP:-} ]]; then
      echo "kept the work directory $work (ECOMON_COMPARE_KEEP)" >&2
    else
      rm -rf "$work"
    fi
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  local db="" store="" ncmd=0
  # cap NAME ARGS...: runs `ecomon --db $db ARGS` in $work; NAME.out, NAME.err, NAME.rc (command, exit code).
  cap() {
    local name="$store.$1"
    shift
    local rc=0
    (cd "$work" && ECOMON_PWHASH=min "$bin" --db "$db" "$@") >"$out/$name.out" 2>"$out/$name.err" </dev/null || rc=$?
    printf 'ecomon --db %s %s\nexit %d\n' "$(basename "$db")" "$*" "$rc" >"$out/$name.rc"
    ncmd=$((ncmd + 1))
  }
  # cap_files NAME DIR: the files a command wrote into $work/DIR, as NAME.<file>.file.
  cap_files() {
    local f
    for f in "$work/$2"/*; do
      [[ -f $f ]] && cp "$f" "$out/$store.$1.$(basename "$f").file"
    done
    return 0
  }
  # cap3 NAME ARGS...: cap in table, csv and json.
  cap3() {
    local name=$1
    shift
    cap "$name.table" "$@"
    cap "$name.csv" "$@" --format csv
    cap "$name.json" "$@" --format json
  }

  # new_token LOGIN: a new API token of LOGIN (printed once by `users token`).
  new_token() {
    local t
    t=$(cd "$work" && "$bin" --db "$db" users token "$1" --name compare)
    grep -o 'ecm_[0-9a-f]*' <<<"$t" | head -1
  }
  # serve_and_get K=V...: `ecomon serve` on $db, every GET endpoint with compare_outputs.py http.
  local nhttp=0
  serve_and_get() {
    local port pid token ctoken etoken n
    cap setup.users-add users add cmpadmin --role admin --password compare-outputs-pw
    cap setup.users-add-county users add cmpcounty --role county --county 城区 --password compare-outputs-pw
    cap setup.users-add-enterprise users add cmpent --role enterprise --enterprise E01 --password compare-outputs-pw
    token=$(new_token cmpadmin)
    ctoken=$(new_token cmpcounty)
    etoken=$(new_token cmpent)
    port=$(free_port)
    (cd "$work" && exec "$bin" --db "$db" serve --listen "127.0.0.1:$port") >"$work/serve-$store.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_port "$port" "$pid"
    n=$(python3 "$py" http "http://127.0.0.1:$port" "$out" "$store" "$token" login=cmpadmin \
      county_token="$ctoken" enterprise_token="$etoken" "$@")
    nhttp=$((nhttp + n))
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pids=("${pids[@]/$pid/}")
  }

  # ---------------------------------------------------------------------------------------- the demo store
  store=demo
  db=$work/demo.db
  cp -r "$repo/demo/ledger" "$work/ledger"
  cap setup.demo demo --out demo-data --first-year 2024 --last-year 2025 --seed 1
  local station
  station=$(awk -F, 'NR>1 && $1 !~ /^#/ {print $1; exit}' "$work"/demo-data/*stations*.csv 2>/dev/null || true)
  [[ -n $station ]] || station=$(grep -rho '^[0-9]\{4\}A' "$work/demo-data" | head -1 || true)
  cap setup.sources-demo-registry sources demo-registry --out registry
  cap setup.sources-import sources import registry --format json
  cap setup.ledger-import ledger import ledger --format json
  cap setup.ledger-status ledger status air-2021/21 --to 进行中 --date 2021-05-01 --by 李四 --note 已部署
  cap setup.ledger-progress ledger progress air-2021/21 --amount '300 辆' --date 2021-06-30 --by 李四
  cap setup.ledger-done ledger status air-2021/3 --to 完成 --date 2021-04-28 --by 李四
  cap setup.ledger-problem ledger problem add air-2021/21 --problem 淘汰进度慢 --responsibility 市交通局 \
    --measure 加快补贴发放 --deadline 2021年8月底前 --by 李四
  cap setup.ledger-evidence ledger evidence add air-2021/21 --note 淘汰车辆清单已报送 --by 李四
  cap setup.emergency-demo-registry emergency demo-registry --out emergency
  cap setup.emergency-import emergency import emergency --format json
  cap setup.emergency-declare emergency declare --level orange --from '2025-12-03 00:00' --reason 预报重污染 --format json
  cap setup.emergency-lift emergency lift --at '2025-12-06 00:00' --reason 过程结束 --format json
  # The sources' uploads: fixed frames through the real gateway (then stopped), so records, events and rates
  # have data; a downstream command is queued afterwards (stays queued: no gateway runs any more).
  local gport gpid
  gport=$(free_port)
  (cd "$work" && exec "$bin" --db "$db" gateway --listen "127.0.0.1:$gport" --no-commands) >"$work/gateway.log" 2>&1 &
  gpid=$!
  pids+=("$gpid")
  wait_port "$gport" "$gpid"
  python3 "$py" feed-hj212 "$gport" "$out/demo.setup.hj212-feed.out"
  kill -INT "$gpid"
  wait "$gpid" 2>/dev/null || true
  pids=("${pids[@]/$gpid/}")
  cap setup.sources-command sources command E0C000000000000000000000 set-interval 60 --format json
  cap setup.sources-command-get sources command E0C000000000000000000001 get-time

  # air (README: hourly|daily|annual|period|rank, table/csv/json, --rules, --include-reference, --zone)
  local C=演示市
  cap3 air-hourly air hourly --city $C --date 2025-07-10
  [[ -n $station ]] && cap3 air-hourly-station air hourly --city $C --date 2025-07-10 --station "$station"
  cap3 air-daily-month air daily --city $C --month 2025-02
  cap3 air-daily-year air daily --city $C --year 2025
  cap3 air-annual air annual --city $C --year 2025
  cap3 air-annual-2024 air annual --city $C --year 2024
  cap3 air-annual-rules2026 air annual --city $C --year 2025 --rules 2026
  cap3 air-annual-reference air annual --city $C --year 2025 --include-reference --no-yoy
  cap3 air-annual-zone1 air annual --city $C --year 2025 --zone 1
  cap3 air-annual-weights air annual --city $C --year 2025 --composite-weights PM2.5=3,NO2=2,O3=2
  cap3 air-period-ytd air period --city $C --ytd 2025-10-01
  cap3 air-period-quarter air period --city $C --quarter 2025-Q3
  cap3 air-period-month air period --city $C --month 2025-12
  cap3 air-period-range air period --city $C --from 2025-03-01 --to 2025-05-31
  cap3 air-rank air rank --year 2025
  cap3 air-rank-month air rank --month 2025-01
  cap air-unknown-city air annual --city 无此市 --year 2025
  cap air-no-data air annual --city $C --year 2019
  # water, groundwater, noise, rain (docs/quality-rules.md)
  cap3 water-assess water assess --year 2025
  cap3 water-assess-2024 water assess --year 2024
  cap3 water-assess-quarter water assess --period 2025-Q3
  cap water-assess-bulletin.json water assess --year 2025 --vocabulary bulletin --format json
  cap3 groundwater-assess groundwater assess --year 2025
  cap3 groundwater-assess-range groundwater assess --period 2025-01..2025-06
  cap3 noise-assess noise assess --year 2025
  cap3 rain-assess rain assess --year 2025
  cap3 rain-assess-month rain assess --period 2025-07
  # soil (docs/soil.md)
  cap3 soil-assess soil assess
  cap3 soil-assess-county soil assess --county 阳城县
  cap3 soil-plots soil plots
  # sources (docs/sources.md, docs/gateway.md)
  cap sources-devices.table sources devices
  cap sources-devices.json sources devices --format json
  cap sources-latest.table sources latest
  cap sources-latest.json sources latest --format json
  cap sources-latest-2061.json sources latest --cn 2061 --format json
  cap sources-records.table sources records --mn E0C000000000000000000000 --from 20251125000000 --to 20251125235959
  cap sources-records.json sources records --mn E0C000000000000000000000 --from 20251125000000 --to 20251125235959 --format json
  cap sources-records-hourly.table sources records --mn E0C000000000000000000004 --cn 2061 --from 20251124000000 --to 20251125235959
  cap sources-records-hourly.json sources records --mn E0C000000000000000000004 --cn 2061 --from 20251125000000 --to 20251125235959 --format json
  cap sources-records-all.table sources records --mn E0C000000000000000000002 --cn 0 --from 20251124000000 --to 20251125235959 --limit 5
  local src
  for src in auto stored computed; do
    cap sources-events-$src.table sources events --from 20251124000000 --to 20251126000000 --source $src
    cap sources-events-$src.json sources events --from 20251124000000 --to 20251126000000 --source $src --format json
  done
  cap sources-events-mn.table sources events --from 20251124000000 --to 20251126000000 --mn E0C00000000000000000000D
  local kind
  for kind in hourly daily minute realtime; do
    cap sources-rates-$kind.table sources rates --month 2025-11 --kind $kind
    cap sources-rates-$kind.json sources rates --month 2025-11 --kind $kind --format json
  done
  cap sources-rates-empty.table sources rates --month 2025-10
  cap sources-commands.table sources commands
  cap sources-commands.json sources commands --format json
  cap sources-commands-mn.table sources commands --mn E0C000000000000000000000 --limit 5
  # hj212 check (the shared messages when present)
  if [[ -f $shared/hj212/messages.csv ]]; then
    python3 -c 'import csv,sys; [print(r["message"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]' \
      "$shared/hj212/messages.csv" >"$work/messages.txt"
    cap hj212-check-strict hj212 check --policy strict messages.txt
    cap hj212-check-lenient hj212 check --policy lenient messages.txt
  fi
  # ledger (docs/ledger.md)
  cap3 ledger-tasks ledger tasks --as-of 2021-09-30
  cap3 ledger-tasks-plan ledger tasks --plan air-2021 --as-of 2021-12-31
  cap3 ledger-tasks-overdue ledger tasks --overdue --as-of 2022-01-01
  cap3 ledger-tasks-status ledger tasks --status 进行中 --as-of 2021-09-30
  cap3 ledger-tasks-unit ledger tasks --unit 泽州县 --as-of 2021-09-30
  cap3 ledger-tasks-dir ledger tasks --dir ledger --as-of 2021-09-30
  cap ledger-show.table ledger show air-2021/21 --as-of 2021-06-30
  cap ledger-show.json ledger show air-2021/21 --as-of 2021-06-30 --format json
  cap ledger-show-3.json ledger show air-2021/3 --as-of 2021-12-31 --format json
  cap ledger-show-missing ledger show air-2021/999 --as-of 2021-06-30
  cap3 ledger-report-overdue ledger report overdue --as-of 2022-01-01
  cap3 ledger-report-overdue-plan ledger report overdue --as-of 2021-10-01 --plan air-2021
  cap3 ledger-report-scorecard ledger report scorecard --as-of 2021-12-31
  cap3 ledger-report-scorecard-plan ledger report scorecard --as-of 2021-12-31 --plan water-2021
  cap3 ledger-report-targets ledger report targets --city $C --as-of 2025-10-01
  # targets
  cap3 targets-status targets status --city $C --as-of 2025-10-01
  cap3 targets-status-flags targets status --city $C --as-of 2025-06-30 --pm25 35 --good-ratio 80 --heavy-ratio 1
  cap3 targets-status-stored targets status --city $C --as-of 2025-12-31 --stored-only
  # emergency (docs/emergency.md)
  cap3 emergency-warnings emergency warnings
  cap3 emergency-warnings-forecast emergency warnings --forecast emergency/forecast.csv
  cap3 emergency-warnings-forecast-rule emergency warnings --forecast emergency/forecast.csv --rule orange_severe_days=1
  cap3 emergency-warnings-hindsight emergency warnings --city $C --from 2025-01-01 --to 2025-12-31
  cap3 emergency-check-list emergency check-list
  cap3 emergency-check-list-required emergency check-list --required 15/25/35 --exclude-guarantee --top 0
  cap3 emergency-check-list-whatif emergency check-list --what-if-grade JC0003=A --assumed-cut 10
  cap3 emergency-check-list-whatif-add emergency check-list --what-if-add emergency
  cap3 emergency-roster emergency roster
  cap3 emergency-roster-orange emergency roster --level orange --from '2025-12-03 00:00'
  cap3 emergency-roster-county emergency roster --level red --from '2025-12-03 00:00' --county 西山县
  cap3 emergency-compliance emergency compliance
  cap3 emergency-compliance-explicit emergency compliance --level orange --from '2025-12-03 00:00' \
    --to '2025-12-06 00:00' --baseline-from '2025-11-24 00:00' --baseline-to '2025-11-26 00:00' --tolerance 5
  # the annual bulletin (HTML and JSON; no PDF: it needs a browser and is not text)
  cap bulletin bulletin --year 2025 --city $C --out bulletin --no-pdf
  cap_files bulletin bulletin
  # users (read-only verbs; the accounts are made by serve_and_get below, so list them after it too)
  cap users-list-empty.table users list
  # the API
  serve_and_get city=$C year=2025 rates_month=2025-11 targets_as_of=2025-10-01 date=2025-07-10 \
    station="${station:-none}" month=2025-02 quarter=2025-Q3 as_of=2025-10-01 from=2025-03-01 to=2025-05-31 \
    ytd_end=2025-12-31 ev_from=20251124000000 ev_to=20251126000000 mn=E0C000000000000000000000 \
    county=城区 enterprise=E01 soil_county=阳城县 ledger_as_of=2021-09-30 plan=air-2021 no=21 \
    em_from='2025-12-03 00:00' em_to='2025-12-06 00:00' em_county=西山县 em_start=2025-12-01 \
    em_aqi=150,210,260,180 period_range=2025-01..2025-06
  cap users-list.table users list
  cap users-list.json users list --format json
  cap users-tokens.table users tokens
  cap users-tokens.json users tokens cmpadmin --format json
  cap users-audit.table users audit
  cap users-audit.json users audit --limit 20 --format json

  # ------------------------------------------------------------------------------------ 晋城 2019 real data
  if [[ -d $shared/cnemc-2019/jincheng && -f $shared/cnemc-2019/sites-2022.csv ]]; then
    store=jc
    db=$work/jc.db
    C=晋城
    cap setup.import-cnemc import cnemc "$shared/cnemc-2019/jincheng" --stations "$shared/cnemc-2019/sites-2022.csv" --format json
    cap setup.import-cnemc-again import cnemc "$shared/cnemc-2019/jincheng" --stations "$shared/cnemc-2019/sites-2022.csv"
    cap setup.ledger-import ledger import ledger --format json
    cap3 air-hourly air hourly --city $C --date 2019-07-10
    cap3 air-hourly-station air hourly --city $C --date 2019-07-10 --station 2160A
    cap3 air-daily air daily --city $C --month 2019-02
    cap3 air-daily-year air daily --city $C --year 2019
    cap3 air-annual air annual --city $C --year 2019
    cap3 air-annual-rules2026 air annual --city $C --year 2019 --rules 2026
    cap3 air-annual-reference air annual --city $C --year 2019 --include-reference
    cap3 air-annual-zone1 air annual --city $C --year 2019 --zone 1
    cap3 air-annual-o3 air annual --city $C --year 2019 --o3-windows rolling
    cap3 air-period-ytd air period --city $C --ytd 2019-10-01
    cap3 air-period-quarter air period --city $C --quarter 2019-Q3
    cap3 air-period-range air period --city $C --from 2019-08-20 --to 2019-09-05
    cap3 air-period-month-gap air period --city $C --month 2019-04
    cap3 air-rank air rank --year 2019
    cap3 air-rank-cities air rank --year 2019 --cities 晋城,长治
    cap3 targets-status targets status --city $C --as-of 2019-10-01
    cap3 ledger-report-targets ledger report targets --city $C --as-of 2019-10-01
    cap3 emergency-warnings-hindsight emergency warnings --city $C --from 2019-01-01 --to 2019-12-31
    cap3 water-assess water assess --year 2019
    cap3 soil-assess soil assess
    cap sources-devices.table sources devices
    cap sources-rates.table sources rates --month 2019-11
    # the facts file from the work directory, so that its path (cited in the bulletin) is <WORK>, not the checkout's
    cp "$repo/demo/bulletin-facts-2019.json" "$work/bulletin-facts-2019.json"
    cap bulletin bulletin --year 2019 --city $C --out bulletin --facts "$work/bulletin-facts-2019.json" --no-pdf
    cap_files bulletin bulletin
    serve_and_get city=$C year=2019 rates_month=2019-11 targets_as_of=2019-10-01 date=2019-07-10 station=2160A \
      month=2019-02 quarter=2019-Q3 as_of=2019-10-01 from=2019-08-20 to=2019-09-05 ytd_end=2019-12-31 \
      ev_from=20191101000000 ev_to=20191102000000 mn=E0C000000000000000000000 county=城区 enterprise=E01 \
      soil_county=阳城县 ledger_as_of=2021-09-30 plan=air-2021 no=21 em_from='2019-12-03 00:00' \
      em_to='2019-12-06 00:00' em_county=西山县 em_start=2019-12-01 em_aqi=150,210,260,180 \
      period_range=2019-01..2019-06
  else
    echo "note: $shared/cnemc-2019 absent: the 晋城 2019 part is not captured" >&2
    echo "absent" >"$out/jc.ABSENT"
  fi

  local t1
  t1=$(date +%s)
  python3 "$py" normalise "$out" "$work" "$t0" "$t1"
  echo "captured $ncmd commands and $nhttp endpoint requests into $out in $((SECONDS - t_start)) s" >&2
  cleanup
  trap - EXIT INT TERM
}

case "${1:-}" in
  capture)
    [[ $# -eq 3 ]] || usage
    capture "$2" "$3"
    ;;
  diff)
    [[ $# -eq 3 ]] || usage
    python3 "$py" diff "$2" "$3"
    ;;
  "" | -h | --help) usage ;;
  *)
    [[ $# -eq 2 ]] || usage
    tmp=$(mktemp -d /tmp/ecomon-compare-ab.XXXXXX)
    echo "captures in $tmp/a and $tmp/b" >&2
    "$0" capture "$1" "$tmp/a"
    "$0" capture "$2" "$tmp/b"
    python3 "$py" diff "$tmp/a" "$tmp/b"
    ;;
esac
