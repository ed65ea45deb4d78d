// The definitions of SqlQualityStationStore (quality_station_store.h), for SQLite (quality_station_store.cc)
// and PostgreSQL (store/postgres): the same statements, SQLite's SQL (store/postgres/sql_db.h translates it).
#pragma once

#include <algorithm>
#include <map>
#include <tuple>

#include "store/quality_stations/quality_station_store.h"

namespace ecomon {

template <class Sql>
Status SqlQualityStationStore<Sql>::upsert_station(const QualityStationRow& s) {
  auto tx = Sql::begin(db_, SqlConcern::kQualityStations);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(db_.cached("DELETE FROM qs_station WHERE code = ?1").bind(1, s.code).run());
  ECOMON_RETURN_IF_ERROR(
      db_.cached(
             "INSERT INTO qs_station(code, name, kind, site, city, county, mn) VALUES(?1,?2,?3,?4,?5,?6,?7)")
          .bind(1, s.code)
          .bind(2, s.name)
          .bind(3, s.kind)
          .bind(4, s.site)
          .bind(5, s.city)
          .bind(6, s.county)
          .bind(7, s.mn)
          .run());
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<QualityStationRow>> SqlQualityStationStore<Sql>::stations() {
  auto& q = db_.cached("SELECT code, name, kind, site, city, county, mn FROM qs_station ORDER BY code");
  std::vector<QualityStationRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6)});
  }));
  return out;
}

template <class Sql>
StatusOr<QualityHourCounts> SqlQualityStationStore<Sql>::write_hours(
    const std::vector<QualityHourRow>& rows) {
  QualityHourCounts out;
  if (rows.empty()) return out;
  auto tx = Sql::begin(db_, SqlConcern::kQualityStations);
  if (!tx.ok()) return tx.status();
  // What is stored for the batch's stations over its hours, read once per station (a batch is a feed round).
  std::map<std::string, std::pair<int64_t, int64_t>> span;  // station -> first, last hour index
  for (const QualityHourRow& r : rows) {
    auto [it, added] = span.try_emplace(r.station, r.hour.index(), r.hour.index());
    it->second.first = std::min(it->second.first, r.hour.index());
    it->second.second = std::max(it->second.second, r.hour.index());
  }
  std::map<std::tuple<std::string, int64_t, std::string>, std::string> stored;
  for (const auto& entry : span) {
    const std::string& station = entry.first;
    auto& q =
        db_.cached("SELECT hour, item, value FROM qs_hour WHERE station = ?1 AND hour >= ?2 AND hour <= ?3");
    q.bind(1, station).bind(2, entry.second.first).bind(3, entry.second.second);
    ECOMON_RETURN_IF_ERROR(sql_each_row(
        q, [&](auto& r) { stored.emplace(std::make_tuple(station, r.int64(0), r.str(1)), r.str(2)); }));
  }
  for (const QualityHourRow& r : rows) {
    auto [it, added] = stored.try_emplace(std::make_tuple(r.station, r.hour.index(), r.item), r.value);
    if (added) {
      ++out.fresh;
      ECOMON_RETURN_IF_ERROR(db_.cached("INSERT INTO qs_hour(station, hour, item, value) VALUES(?1,?2,?3,?4)")
                                 .bind(1, r.station)
                                 .bind(2, r.hour.index())
                                 .bind(3, r.item)
                                 .bind(4, r.value)
                                 .run());
    } else if (it->second == r.value) {
      ++out.same;
    } else {
      ++out.conflicts;
    }
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return out;
}

template <class Sql>
StatusOr<std::vector<QualityHourRow>> SqlQualityStationStore<Sql>::hours(const std::string& station,
                                                                         Hour first, Hour last) {
  auto& q = db_.cached(
      "SELECT hour, item, value FROM qs_hour WHERE station = ?1 AND hour >= ?2 AND hour <= ?3 "
      "ORDER BY hour, item");
  q.bind(1, station).bind(2, first.index()).bind(3, last.index());
  std::vector<QualityHourRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    out.push_back({station, Hour::from_index(r.int64(0)), r.str(1), r.str(2)});
  }));
  return out;
}

}  // namespace ecomon
