#!/usr/bin/env bash
# Issue 22's benchmark "electricity compliance for a county's 500 enterprises over a 3-day warning < 1 s"
# (docs/performance.md, "Power-use monitoring"): a fresh SQLite store with 500 enterprises of one county (城区)
# on the reduction list, each one line L1 (限产 30 % at orange) and one metered production line linked to it,
# reading every STEP seconds (default 60: a power module's minute) from 12-01 00:00 to 12-11 00:00 — the 7
# baseline days and the warning, orange 12-08 00:00 .. 12-11 00:00 (3 days). Baseline 200 kW; during the
# warning 150 kW on even enterprises (cut 25 % < 30 %: not_cutting) and 130 kW on odd ones (35 %: cutting).
# Times, three runs each: `power check` over the warning as the county's user (the verdicts: every line's
# 7 + 3 days of readings) and `emergency compliance` over the same warning (the console operator's: the
# emission verdicts with the electricity column; that verb has no --as, and every enterprise is 城区's).
# The readings are written straight into power_reading (the table of store/sqlite/migrations.cc, with the
# thousandths column kw_milli when the binary's schema has it) by Python's sqlite3: the setup is not what is
# measured.
# Usage: bench/power_compliance_bench.sh [BUILD_DIR]     (default build/release; N=500 STEP=60)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/${1:-build/release}/bin/ecomon
n=${N:-500}
step=${STEP:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ECOMON_PWHASH=min
mkdir em
python3 - "$n" "$step" <<'PY'
import sys
n, step = int(sys.argv[1]), int(sys.argv[2])
ids = [f"P{i:04d}" for i in range(1, n + 1)]
with open("em/enterprises.csv", "w") as f:
    f.write("id,name,county,industry,grade,guarantee,source_enterprise\n")
    for e in ids: f.write(f"{e},基准企业{e},城区,钢铁,C,N,\n")
with open("em/lines.csv", "w") as f:
    f.write("enterprise,line,name,process,unit,so2,nox,pm,vocs\n")
    for e in ids: f.write(f"{e},L1,1#烧结机,烧结,kg/d,100,100,100,0\n")
with open("em/measures.csv", "w") as f:
    f.write("enterprise,line,level,measure,cut_percent,process,unit,so2,nox,pm,vocs,note\n")
    for e in ids:
        for level, pct in (("yellow", 10), ("orange", 30), ("red", 50)):
            f.write(f"{e},L1,{level},cut,{pct},,,,,,,限产{pct}%\n")
with open("power_lines.csv", "w") as f:
    f.write("line,enterprise,name,role,running_kw,interval_s,mn,code,serves,outlets,list_lines\n")
    for e in ids: f.write(f"{e}/P1,{e},烧结机,production,10,{step},,,,,L1\n")
PY
"$bin" --db run.db emergency import em >/dev/null
"$bin" --db run.db power import power_lines.csv >/dev/null
python3 - "$n" "$step" <<'PY'
import calendar, datetime, sqlite3, sys
n, step = int(sys.argv[1]), int(sys.argv[2])
civil = lambda *a: calendar.timegm(datetime.datetime(*a).timetuple())  # SourceTime: civil time as seconds
begin, warn, end = civil(2026, 12, 1), civil(2026, 12, 8), civil(2026, 12, 11)
db = sqlite3.connect("run.db")
# As the store writes them: the kW text and, from SQLite migration 14 on, its thousandths (kw_milli).
milli = any(c[1] == "kw_milli" for c in db.execute("PRAGMA table_info(power_reading)"))
for i in range(1, n + 1):
    during = "150" if i % 2 == 0 else "130"
    rows = ((f"P{i:04d}/P1", t, "200" if t < warn else during) for t in range(begin, end, step))
    if milli:
        db.executemany("INSERT INTO power_reading(line, at_s, kw, kw_milli) VALUES (?, ?, ?, ?)",
                       ((l, t, kw, int(kw) * 1000) for l, t, kw in rows))
    else:
        db.executemany("INSERT INTO power_reading(line, at_s, kw) VALUES (?, ?, ?)", rows)
db.commit()
print(db.execute("SELECT COUNT(*) FROM power_reading").fetchone()[0], "readings")
PY
"$bin" --db run.db emergency declare --level orange --from "2026-12-08 00:00" >/dev/null
"$bin" --db run.db emergency lift --at "2026-12-11 00:00" >/dev/null
"$bin" --db run.db users add county --role county --county 城区 --password bench-password-1 >/dev/null
echo "load $(cut -d' ' -f1-3 /proc/loadavg); $n enterprises, a reading every $step s"
ms() { echo $(($(date +%s%N) / 1000000)); }
for run in 1 2 3; do
  t0=$(ms)
  "$bin" --db run.db power check --from "2026-12-08 00:00" --to "2026-12-11 00:00" --as county >check.txt
  t1=$(ms)
  "$bin" --db run.db emergency compliance --level orange --from "2026-12-08 00:00" --to "2026-12-11 00:00" \
    --format json >compliance.json
  t2=$(ms)
  echo "run $run: power check $((t1 - t0)) ms, emergency compliance $((t2 - t1)) ms"
done
echo "verdicts: $(grep -c ',cutting$' check.txt) cutting, $(grep -c ',not_cutting$' check.txt) not_cutting," \
  "$(grep -c ',insufficient_data$' check.txt) insufficient_data"
