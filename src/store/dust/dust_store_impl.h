// The definitions of SqlDustStore (dust_store.h), for SQLite (dust_store.cc) and PostgreSQL (store/postgres):
// the same statements, SQLite's SQL (store/postgres/sql_db.h translates it).
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "store/dust/dust_store.h"

namespace ecomon {
namespace dust_impl {

template <class Q>
DustReadingRow reading_of(Q& r) {
  DustReadingRow d;
  d.point = r.str(0);
  d.cn = static_cast<int>(r.int64(1));
  d.at = sources::SourceTime::of_seconds(r.int64(2));
  d.tsp = r.str(3);
  d.pm10 = r.str(4);
  d.pm25 = r.str(5);
  d.noise = r.str(6);
  d.wind_speed = r.str(7);
  d.wind_dir = r.str(8);
  return d;
}

}  // namespace dust_impl

template <class Sql>
Status SqlDustStore<Sql>::write_points(const std::vector<DustPointRow>& rows) {
  auto tx = Sql::begin(db_, SqlConcern::kDust);
  if (!tx.ok()) return tx.status();
  for (const DustPointRow& p : rows) {
    // A point that takes over another's MN: the MN moves (the other point keeps its id, without the MN).
    ECOMON_RETURN_IF_ERROR(db_.cached("DELETE FROM dust_point WHERE id = ?1").bind(1, p.id).run());
    ECOMON_RETURN_IF_ERROR(db_.cached("INSERT INTO dust_point(id, name, type, owner, county, lon, lat, mn) "
                                      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")
                               .bind(1, p.id)
                               .bind(2, p.name)
                               .bind(3, p.type)
                               .bind(4, p.owner)
                               .bind(5, p.county)
                               .bind(6, p.lon)
                               .bind(7, p.lat)
                               .bind(8, p.mn)
                               .run());
  }
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<DustPointRow>> SqlDustStore<Sql>::points() {
  auto& q = db_.cached("SELECT id, name, type, owner, county, lon, lat, mn FROM dust_point ORDER BY id");
  std::vector<DustPointRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7)});
  }));
  return out;
}

template <class Sql>
StatusOr<DustWriteCounts> SqlDustStore<Sql>::write_readings(const std::vector<DustReadingRow>& rows) {
  DustWriteCounts out;
  if (rows.empty()) return out;
  auto tx = Sql::begin(db_, SqlConcern::kDust);
  if (!tx.ok()) return tx.status();
  // What is stored over the batch's time range, read once (a batch is a gateway's round or a command's
  // range).
  int64_t lo = rows.front().at.seconds, hi = lo;
  std::set<std::string> batch_points;
  for (const DustReadingRow& r : rows) {
    lo = std::min(lo, r.at.seconds);
    hi = std::max(hi, r.at.seconds);
    batch_points.insert(r.point);
  }
  std::map<std::tuple<std::string, int64_t, int>, DustReadingRow> stored;
  {
    auto& q = db_.cached(
        "SELECT point, cn, at_s, tsp, pm10, pm25, noise, wind_speed, wind_dir FROM dust_reading "
        "WHERE at_s >= ?1 AND at_s <= ?2");
    q.bind(1, lo).bind(2, hi);
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
      DustReadingRow d = dust_impl::reading_of(r);
      if (batch_points.count(d.point)) stored.emplace(std::make_tuple(d.point, d.at.seconds, d.cn), d);
    }));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const DustReadingRow& r = rows[i];
    auto [it, added] = stored.try_emplace(std::make_tuple(r.point, r.at.seconds, r.cn), r);
    if (added) {
      ++out.fresh;
      ECOMON_RETURN_IF_ERROR(
          db_.cached(
                 "INSERT INTO dust_reading(point, cn, at_s, tsp, pm10, pm25, noise, wind_speed, wind_dir) "
                 "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)")
              .bind(1, r.point)
              .bind(2, int64_t{r.cn})
              .bind(3, r.at.seconds)
              .bind(4, r.tsp)
              .bind(5, r.pm10)
              .bind(6, r.pm25)
              .bind(7, r.noise)
              .bind(8, r.wind_speed)
              .bind(9, r.wind_dir)
              .run());
    } else if (it->second == r) {
      ++out.same;
    } else {
      ++out.conflicts;
      out.conflicting.push_back(i);
    }
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return out;
}

template <class Sql>
StatusOr<std::vector<DustReadingRow>> SqlDustStore<Sql>::readings(const std::vector<std::string>& points,
                                                                  sources::TimeSpan span) {
  std::vector<DustReadingRow> out;
  auto read = [&](auto& q) {
    return sql_each_row(q, [&](auto& r) { out.push_back(dust_impl::reading_of(r)); });
  };
  if (points.empty()) {
    auto& q = db_.cached(
        "SELECT point, cn, at_s, tsp, pm10, pm25, noise, wind_speed, wind_dir FROM dust_reading "
        "WHERE at_s >= ?1 AND at_s < ?2 ORDER BY point, at_s, cn");
    q.bind(1, span.begin.seconds).bind(2, span.end.seconds);
    ECOMON_RETURN_IF_ERROR(read(q));
    return out;
  }
  const std::set<std::string> sorted(points.begin(), points.end());
  for (const std::string& point : sorted) {
    auto& q = db_.cached(
        "SELECT point, cn, at_s, tsp, pm10, pm25, noise, wind_speed, wind_dir FROM dust_reading "
        "WHERE point = ?1 AND at_s >= ?2 AND at_s < ?3 ORDER BY at_s, cn");
    q.bind(1, point).bind(2, span.begin.seconds).bind(3, span.end.seconds);
    ECOMON_RETURN_IF_ERROR(read(q));
  }
  return out;
}

}  // namespace ecomon
