# Sourced by the event benchmarks (bench/dust_events_bench.sh, bench/power_events_bench.sh): prints the latency of
# the stored events of one kind in the SQLite store DB — an event's raised_ms (when its row was stored) minus the
# received_ms of the upload that made it (same MN, that CN, DataTime = the event's COLUMN: opened_at when the
# opening upload decides, data_time when a later one does).
#   event_latency run.db dust_exceedance 2051 opened_at
event_latency() {
  local db=$1 kind=$2 cn=$3 column=$4
  sqlite3 "$db" "
WITH lat AS (SELECT e.raised_ms - r.received_ms AS ms FROM source_event e
             JOIN source_record r ON r.mn = e.mn AND r.cn = $cn AND r.data_time = e.$column
             WHERE e.kind = '$kind')
SELECT COUNT(*) || ' $kind events timed; latency ms: min ' || MIN(ms) || ', median ' ||
       (SELECT ms FROM lat ORDER BY ms LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM lat)) || ', p99 ' ||
       (SELECT ms FROM lat ORDER BY ms LIMIT 1 OFFSET (SELECT COUNT(*) * 99 / 100 FROM lat)) || ', max ' ||
       MAX(ms) || '; over 5000 ms: ' || SUM(ms > 5000) FROM lat;"
}
