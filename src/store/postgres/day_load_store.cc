#include "store/postgres/day_load_store.h"

#include <algorithm>

namespace ecomon {
namespace {

constexpr const char* kLoadColumns =
    "mn, day, pollutant, kg, intervals_cou, intervals_flow, intervals_missing, covered_s, fingerprint";

// The days' keys as the three arrays of an unnest(ctext[], bigint[], bigint[]) (ctext: the columns' own
// type and collation, so the comparisons need no COLLATE).
void add_day_keys(pg::Params& p, std::span<const SourceDay> days) {
  std::vector<std::string> mn;
  std::vector<int64_t> cn, day;
  mn.reserve(days.size());
  for (const SourceDay& d : days) {
    mn.push_back(d.mn);
    cn.push_back(d.cn);
    day.push_back(d.day);
  }
  p.add_array(mn).add_array(cn).add_array(day);
}

}  // namespace

StatusOr<std::vector<SourceDay>> PgDayLoadStore::stale_days(int cn, int64_t first, int64_t last) {
  auto r = c_.run(
      "SELECT mn, day, mark FROM source_day_stale WHERE cn = $1 AND day BETWEEN $2 AND $3 ORDER BY mn, day",
      pg::Params().add(cn).add(first).add(last));
  if (!r.ok()) return r.status().with_context("read stale days");
  std::vector<SourceDay> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) out.push_back({r->str(i, 0), cn, r->int64(i, 1), r->int64(i, 2)});
  return out;
}

StatusOr<std::vector<StoredDayLoad>> PgDayLoadStore::day_loads(const std::string& mn, int cn, int64_t first,
                                                               int64_t last) {
  const std::string select =
      std::string("SELECT ") + kLoadColumns + " FROM source_day_load WHERE cn = $1 AND day BETWEEN $2 AND $3";
  auto r = mn.empty()
               ? c_.run(select + " ORDER BY day, mn, pollutant", pg::Params().add(cn).add(first).add(last))
               : c_.run(select + " AND mn = $4 ORDER BY day, pollutant",
                        pg::Params().add(cn).add(first).add(last).add(mn));
  if (!r.ok()) return r.status().with_context("read day-loads");
  std::vector<StoredDayLoad> out(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    StoredDayLoad& d = out[static_cast<size_t>(i)];
    d.mn = r->str(i, 0);
    d.cn = cn;
    d.day = r->int64(i, 1);
    d.pollutant = r->str(i, 2);
    d.kg = r->real(i, 3);
    d.intervals_cou = r->int64(i, 4);
    d.intervals_flow = r->int64(i, 5);
    d.intervals_missing = r->int64(i, 6);
    d.covered_seconds = r->int64(i, 7);
    d.fingerprint = r->int64(i, 8);
  }
  return out;
}

Status PgDayLoadStore::replace_day_loads(std::span<const SourceDay> days,
                                         std::span<const StoredDayLoad> rows) {
  if (days.empty()) return Status();
  auto tx = pg::Tx::begin(c_, pg::kLockDayLoads);
  if (!tx.ok()) return tx.status().with_context("replace day-loads");
  std::vector<pg::Query> q;
  std::vector<int64_t> marks;
  marks.reserve(days.size());
  for (const SourceDay& d : days) marks.push_back(d.mark);
  {
    // The marks first, in key order (the spool's upsert takes them so): a writer raising one of them waits
    // for this transaction, or this one for the writer, never both.
    pg::Params p;
    add_day_keys(p, days);
    q.push_back(
        {"SELECT s.mn FROM source_day_stale s JOIN unnest($1::ctext[], $2::bigint[], $3::bigint[]) "
         "AS d(mn, cn, day) ON s.mn = d.mn AND s.cn = d.cn AND s.day = d.day "
         "ORDER BY s.mn, s.cn, s.day FOR UPDATE OF s",
         std::move(p)});
  }
  {
    pg::Params p;
    add_day_keys(p, days);
    q.push_back(
        {"DELETE FROM source_day_load l USING unnest($1::ctext[], $2::bigint[], $3::bigint[]) "
         "AS d(mn, cn, day) WHERE l.cn = d.cn AND l.day = d.day AND l.mn = d.mn",
         std::move(p)});
  }
  {
    // A mark raised since it was read (another upload of the day) stays.
    pg::Params p;
    add_day_keys(p, days);
    p.add_array(marks);
    q.push_back(
        {"DELETE FROM source_day_stale s USING unnest($1::ctext[], $2::bigint[], $3::bigint[], "
         "$4::bigint[]) AS d(mn, cn, day, mark) "
         "WHERE s.mn = d.mn AND s.cn = d.cn AND s.day = d.day AND s.mark = d.mark",
         std::move(p)});
  }
  for (size_t from = 0; from < rows.size(); from += kChunkRows) {
    const auto chunk = rows.subspan(from, std::min(kChunkRows, rows.size() - from));
    std::vector<int64_t> cn, day, cou, flow, missing, covered, fingerprint;
    std::vector<std::string> mn, pollutant;
    std::vector<double> kg;
    for (const StoredDayLoad& r : chunk) {
      cn.push_back(r.cn);
      day.push_back(r.day);
      mn.push_back(r.mn);
      pollutant.push_back(r.pollutant);
      kg.push_back(r.kg);
      cou.push_back(r.intervals_cou);
      flow.push_back(r.intervals_flow);
      missing.push_back(r.intervals_missing);
      covered.push_back(r.covered_seconds);
      fingerprint.push_back(r.fingerprint);
    }
    q.push_back(
        {"INSERT INTO source_day_load(cn, day, mn, pollutant, kg, intervals_cou, intervals_flow, "
         "intervals_missing, covered_s, fingerprint) SELECT * FROM unnest($1::bigint[], $2::bigint[], "
         "$3::ctext[], $4::ctext[], $5::double precision[], $6::bigint[], $7::bigint[], $8::bigint[], "
         "$9::bigint[], $10::bigint[])",
         pg::Params()
             .add_array(cn)
             .add_array(day)
             .add_array(mn)
             .add_array(pollutant)
             .add_array(kg)
             .add_array(cou)
             .add_array(flow)
             .add_array(missing)
             .add_array(covered)
             .add_array(fingerprint)});
  }
  auto done = c_.pipeline(q);
  if (!done.ok()) return done.status().with_context("replace day-loads");
  return tx->commit();
}

Status PgDayLoadStore::mark_unmarked(std::span<const SourceDay> days) {
  for (size_t from = 0; from < days.size(); from += kChunkRows) {
    pg::Params p;
    add_day_keys(p, days.subspan(from, std::min(kChunkRows, days.size() - from)));
    auto r = c_.run(
        "INSERT INTO source_day_stale(mn, cn, day, mark) SELECT DISTINCT mn, cn, day, 1 FROM "
        "unnest($1::ctext[], $2::bigint[], $3::bigint[]) AS d(mn, cn, day) ORDER BY 1, 2, 3 "
        "ON CONFLICT DO NOTHING",
        p);
    if (!r.ok()) return r.status().with_context("mark stored uploads' days");
  }
  return Status();
}

}  // namespace ecomon
