// The definitions of SqlQualityStore (quality_store.h), for SQLite (quality_store.cc) and PostgreSQL
// (store/postgres): the same statements, SQLite's SQL (store/postgres/sql_db.h translates it).
#pragma once

#include <functional>

#include "store/quality/quality_store.h"

namespace ecomon {
namespace quality_impl {

// Runs `sql` (a read with ?1, ?2 bound to `params`) and hands each row to `row`.
template <class Db, class F>
Status each_row(Db& db, std::string_view sql, const std::vector<std::string>& params, const F& row) {
  auto& q = db.cached(sql);
  for (size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) { row(q); }));
  return Status();
}

template <typename T, class Db, class F>
StatusOr<std::vector<T>> read_all(Db& db, std::string_view sql, const std::vector<std::string>& params,
                                  const F& make) {
  std::vector<T> out;
  ECOMON_RETURN_IF_ERROR(each_row(db, sql, params, [&](const auto& q) { out.push_back(make(q)); }));
  return out;
}

// Writes each row of `rows` with `sql`, binding the strings `cells` gives.
template <typename T, class Db>
Status write_all(Db& db, std::string_view sql, const std::vector<T>& rows,
                 const std::function<std::vector<std::string>(const T&)>& cells) {
  for (const T& r : rows) {
    auto& st = db.cached(sql);
    const std::vector<std::string> c = cells(r);
    for (size_t i = 0; i < c.size(); ++i) st.bind(static_cast<int>(i + 1), c[i]);
    ECOMON_RETURN_IF_ERROR(st.run());
  }
  return Status();
}

inline constexpr auto site_of = [](const auto& q) -> SiteRecord {
  return {q.str(0), q.str(1), q.str(2), q.columns() > 3 ? q.str(3) : "", q.columns() > 4 ? q.str(4) : ""};
};

}  // namespace quality_impl

template <class Sql>
Status SqlQualityStore<Sql>::write(const QualityBatch& b) {
  auto tx = Sql::begin(db_, SqlConcern::kQuality);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<WaterSectionRecord>(
      db_,
      "INSERT OR REPLACE INTO q_water_section(name, river, county, body, target, level) "
      "VALUES(?1,?2,?3,?4,?5,?6)",
      b.water_sections, [](const WaterSectionRecord& s) {
        return std::vector<std::string>{s.name, s.river, s.county, s.body, s.target, s.level};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<ValueRecord>(
      db_, "INSERT OR REPLACE INTO q_water_value(section, month, item, value) VALUES(?1,?2,?3,?4)",
      b.water_values, [](const ValueRecord& v) {
        return std::vector<std::string>{v.subject, v.period, v.item, v.value};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<SiteRecord>(
      db_, "INSERT OR REPLACE INTO q_gw_well(name, county, kind) VALUES(?1,?2,?3)", b.wells,
      [](const SiteRecord& s) {
        return std::vector<std::string>{s.name, s.county, s.kind};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<ValueRecord>(
      db_, "INSERT OR REPLACE INTO q_gw_value(well, day, indicator, value, nd) VALUES(?1,?2,?3,?4,?5)",
      b.well_values, [](const ValueRecord& v) {
        return std::vector<std::string>{v.subject, v.period, v.item, v.value, v.not_detected ? "1" : "0"};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<SiteRecord>(
      db_, "INSERT OR REPLACE INTO q_drink_source(name, county, kind) VALUES(?1,?2,?3)", b.sources,
      [](const SiteRecord& s) {
        return std::vector<std::string>{s.name, s.county, s.kind};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<ValueRecord>(
      db_, "INSERT OR REPLACE INTO q_drink_value(source, month, item, value, volume) VALUES(?1,?2,?3,?4,?5)",
      b.source_values, [](const ValueRecord& v) {
        return std::vector<std::string>{v.subject, v.period, v.item, v.value, v.volume};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<SiteRecord>(
      db_, "INSERT OR REPLACE INTO q_noise_point(name, kind, zone, length) VALUES(?1,?2,?3,?4)",
      b.noise_points, [](const SiteRecord& s) {
        return std::vector<std::string>{s.name, s.kind, s.zone, s.length};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<NoiseRecord>(
      db_, "INSERT OR REPLACE INTO q_noise_value(point, day, part, leq, lmax) VALUES(?1,?2,?3,?4,?5)",
      b.noise_values, [](const NoiseRecord& n) {
        return std::vector<std::string>{n.point, n.date, n.part, n.leq, n.lmax};
      }));
  ECOMON_RETURN_IF_ERROR(quality_impl::write_all<RainRecord>(
      db_, "INSERT OR REPLACE INTO q_rain_sample(site, day, ph, rainfall) VALUES(?1,?2,?3,?4)",
      b.rain_samples, [](const RainRecord& r) {
        return std::vector<std::string>{r.site, r.date, r.ph, r.rainfall};
      }));
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<WaterSectionRecord>> SqlQualityStore<Sql>::water_sections() {
  return quality_impl::read_all<WaterSectionRecord>(
      db_, "SELECT name, river, county, body, target, level FROM q_water_section ORDER BY rowid", {},
      [](const auto& q) {
        return WaterSectionRecord{q.str(0), q.str(1), q.str(2), q.str(3), q.str(4), q.str(5)};
      });
}

template <class Sql>
StatusOr<std::vector<ValueRecord>> SqlQualityStore<Sql>::water_values(const std::string& first,
                                                                      const std::string& last) {
  return quality_impl::read_all<ValueRecord>(
      db_,
      "SELECT section, month, item, value FROM q_water_value WHERE month BETWEEN ?1 "
      "AND ?2 ORDER BY section, month, rowid",
      {first, last},
      [](const auto& q) { return ValueRecord{q.str(0), q.str(1), q.str(2), q.str(3), false, ""}; });
}

template <class Sql>
StatusOr<std::vector<SiteRecord>> SqlQualityStore<Sql>::wells() {
  return quality_impl::read_all<SiteRecord>(db_, "SELECT name, county, kind FROM q_gw_well ORDER BY rowid",
                                            {}, quality_impl::site_of);
}

template <class Sql>
StatusOr<std::vector<ValueRecord>> SqlQualityStore<Sql>::well_values(const std::string& first,
                                                                     const std::string& last) {
  return quality_impl::read_all<ValueRecord>(
      db_,
      "SELECT well, day, indicator, value, nd FROM q_gw_value WHERE day BETWEEN ?1 AND "
      "?2 ORDER BY well, day, rowid",
      {first, last},
      [](const auto& q) { return ValueRecord{q.str(0), q.str(1), q.str(2), q.str(3), q.str(4) == "1", ""}; });
}

template <class Sql>
StatusOr<std::vector<SiteRecord>> SqlQualityStore<Sql>::sources() {
  return quality_impl::read_all<SiteRecord>(
      db_, "SELECT name, county, kind FROM q_drink_source ORDER BY rowid", {}, quality_impl::site_of);
}

template <class Sql>
StatusOr<std::vector<ValueRecord>> SqlQualityStore<Sql>::source_values(const std::string& first,
                                                                       const std::string& last) {
  return quality_impl::read_all<ValueRecord>(
      db_,
      "SELECT source, month, item, value, volume FROM q_drink_value WHERE month "
      "BETWEEN ?1 AND ?2 ORDER BY source, month, rowid",
      {first, last},
      [](const auto& q) { return ValueRecord{q.str(0), q.str(1), q.str(2), q.str(3), false, q.str(4)}; });
}

template <class Sql>
StatusOr<std::vector<SiteRecord>> SqlQualityStore<Sql>::noise_points() {
  return quality_impl::read_all<SiteRecord>(
      db_, "SELECT name, '', kind, zone, length FROM q_noise_point ORDER BY rowid", {},
      quality_impl::site_of);
}

template <class Sql>
StatusOr<std::vector<NoiseRecord>> SqlQualityStore<Sql>::noise_values(const std::string& first,
                                                                      const std::string& last) {
  return quality_impl::read_all<NoiseRecord>(
      db_,
      "SELECT point, day, part, leq, lmax FROM q_noise_value WHERE day BETWEEN ?1 AND "
      "?2 ORDER BY point, day, rowid",
      {first, last}, [](const auto& q) {
        return NoiseRecord{q.str(0), q.str(1), q.str(2), q.str(3), q.str(4)};
      });
}

template <class Sql>
StatusOr<std::vector<RainRecord>> SqlQualityStore<Sql>::rain_samples(const std::string& first,
                                                                     const std::string& last) {
  return quality_impl::read_all<RainRecord>(
      db_, "SELECT site, day, ph, rainfall FROM q_rain_sample WHERE day BETWEEN ?1 AND ?2 ORDER BY site, day",
      {first, last}, [](const auto& q) {
        return RainRecord{q.str(0), q.str(1), q.str(2), q.str(3)};
      });
}

}  // namespace ecomon
