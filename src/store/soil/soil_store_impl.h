// The definitions of SqlSoilStore (soil_store.h), for SQLite (soil_store.cc) and PostgreSQL (store/postgres):
// the same statements, SQLite's SQL (store/postgres/sql_db.h translates it).
#pragma once

#include <map>
#include <utility>

#include "store/soil/soil_store.h"

namespace ecomon {
namespace soil_impl {

struct StoredPoint {
  std::string county, land_use, ph;
};

}  // namespace soil_impl

template <class Sql>
StatusOr<std::vector<SoilSampleOutcome>> SqlSoilStore<Sql>::write_samples(
    const std::vector<SoilSampleRow>& rows) {
  auto tx = Sql::begin(db_, SqlConcern::kSoil);
  if (!tx.ok()) return tx.status();
  // Stored points and values, to keep what is there and report what differs.
  std::map<std::string, soil_impl::StoredPoint> points;
  {
    auto& q = db_.cached("SELECT point, county, land_use, ph FROM soil_point");
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
      points[q.str(0)] = {q.str(1), q.str(2), q.str(3)};
    }));
  }
  std::map<std::pair<std::string, std::string>, std::pair<std::string, bool>> values;
  {
    auto& q = db_.cached("SELECT point, item, value, nd FROM soil_value");
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
      values[{q.str(0), q.str(1)}] = {q.str(2), q.int64(3) == 1};
    }));
  }
  std::vector<SoilSampleOutcome> out;
  out.reserve(rows.size());
  for (const SoilSampleRow& s : rows) {
    SoilSampleOutcome o;
    auto p = points.find(s.point);
    if (p != points.end()) {
      const soil_impl::StoredPoint& st = p->second;
      o.field = st.county != s.county       ? "county"
                : st.land_use != s.land_use ? "land_use"
                : st.ph != s.ph             ? "ph"
                                            : "";
      if (!o.field.empty()) {
        o.kind = SoilSampleOutcome::Kind::kPointConflict;
        o.county = st.county;
        o.land_use = st.land_use;
        o.ph = st.ph;
        out.push_back(std::move(o));
        continue;
      }
    } else {
      ECOMON_RETURN_IF_ERROR(
          db_.cached("INSERT INTO soil_point(point, county, land_use, ph) VALUES(?1,?2,?3,?4)")
              .bind(1, s.point)
              .bind(2, s.county)
              .bind(3, s.land_use)
              .bind(4, s.ph)
              .run());
      points[s.point] = {s.county, s.land_use, s.ph};
    }
    auto v = values.find({s.point, s.item});
    if (v == values.end()) {
      ECOMON_RETURN_IF_ERROR(db_.cached("INSERT INTO soil_value(point, item, value, nd) VALUES(?1,?2,?3,?4)")
                                 .bind(1, s.point)
                                 .bind(2, s.item)
                                 .bind(3, s.value)
                                 .bind(4, s.not_detected ? "1" : "0")
                                 .run());
      values[{s.point, s.item}] = {s.value, s.not_detected};
      o.kind = SoilSampleOutcome::Kind::kNew;
    } else if (v->second.first == s.value && v->second.second == s.not_detected) {
      o.kind = SoilSampleOutcome::Kind::kSame;
    } else {
      o.kind = SoilSampleOutcome::Kind::kValueConflict;
      o.value = v->second.first;
      o.not_detected = v->second.second;
    }
    out.push_back(std::move(o));
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return out;
}

template <class Sql>
Status SqlSoilStore<Sql>::write_plots(const std::vector<SoilPlotRow>& rows) {
  auto tx = Sql::begin(db_, SqlConcern::kSoil);
  if (!tx.ok()) return tx.status();
  for (const SoilPlotRow& p : rows) {
    ECOMON_RETURN_IF_ERROR(
        db_.cached(
               "INSERT OR REPLACE INTO soil_plot(plot, name, county, planned_use, area, status, redeveloped) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7)")
            .bind(1, p.plot)
            .bind(2, p.name)
            .bind(3, p.county)
            .bind(4, p.planned_use)
            .bind(5, p.area)
            .bind(6, p.status)
            .bind(7, p.redeveloped ? "1" : "0")
            .run());
  }
  return tx->commit();
}

template <class Sql>
Status SqlSoilStore<Sql>::write_parcels(const std::vector<SoilParcelRow>& rows) {
  auto tx = Sql::begin(db_, SqlConcern::kSoil);
  if (!tx.ok()) return tx.status();
  for (const SoilParcelRow& p : rows) {
    ECOMON_RETURN_IF_ERROR(
        db_.cached(
               "INSERT OR REPLACE INTO soil_parcel(parcel, county, area, category, light, measures, produce) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7)")
            .bind(1, p.parcel)
            .bind(2, p.county)
            .bind(3, p.area)
            .bind(4, p.category)
            .bind(5, p.light ? "1" : "0")
            .bind(6, p.measures ? "1" : "0")
            .bind(7, p.produce)
            .run());
  }
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<soil::SoilPoint>> SqlSoilStore<Sql>::points(const std::string& county) {
  auto& q = db_.cached(
      "SELECT p.point, p.county, p.land_use, p.ph, v.item, v.value, v.nd FROM soil_point p "
      "JOIN soil_value v ON v.point = p.point WHERE ?1 = '' OR p.county = ?1 ORDER BY p.point, v.rowid");
  q.bind(1, county);
  std::vector<soil::SoilPoint> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
    if (out.empty() || out.back().id != q.text(0))
      out.push_back({q.str(0), q.str(1), q.str(2), q.str(3), {}});
    out.back().values.push_back({q.str(4), q.str(5), q.text(6) == "1"});
  }));
  return out;
}

template <class Sql>
StatusOr<std::vector<SoilPlotRow>> SqlSoilStore<Sql>::plots(const std::string& county) {
  auto& q = db_.cached(
      "SELECT plot, name, county, planned_use, area, status, redeveloped FROM soil_plot "
      "WHERE ?1 = '' OR county = ?1 ORDER BY plot");
  q.bind(1, county);
  std::vector<SoilPlotRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
    out.push_back({q.str(0), q.str(1), q.str(2), q.str(3), q.str(4), q.str(5), q.text(6) == "1"});
  }));
  return out;
}

template <class Sql>
StatusOr<std::vector<SoilParcelRow>> SqlSoilStore<Sql>::parcels(const std::string& county) {
  auto& q = db_.cached(
      "SELECT parcel, county, area, category, light, measures, produce FROM soil_parcel "
      "WHERE ?1 = '' OR county = ?1 ORDER BY parcel");
  q.bind(1, county);
  std::vector<SoilParcelRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
    out.push_back({q.str(0), q.str(1), q.str(2), q.str(3), q.text(4) == "1", q.text(5) == "1", q.str(6)});
  }));
  return out;
}

}  // namespace ecomon
