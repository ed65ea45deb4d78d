// The definitions of SqlPowerStore (power_store.h), for SQLite (power_store.cc) and PostgreSQL
// (store/postgres): the same statements, SQLite's SQL (store/postgres/sql_db.h translates it).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "core/decimal.h"
#include "store/power/power_store.h"

namespace ecomon {
namespace power_impl {

// Lists are stored as one text column, '|' between items (ids never hold '|': the importer refuses it).
inline std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : "|") + s;
  return out;
}
inline std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= text.size() && !text.empty()) {
    const size_t e = text.find('|', b);
    out.push_back(text.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

}  // namespace power_impl

template <class Sql>
Status SqlPowerStore<Sql>::write_lines(const std::vector<PowerLineRow>& rows) {
  auto tx = Sql::begin(db_, SqlConcern::kPower);
  if (!tx.ok()) return tx.status();
  for (const PowerLineRow& l : rows) {
    ECOMON_RETURN_IF_ERROR(
        db_.cached(
               "INSERT OR REPLACE INTO power_line(line, enterprise, name, role, running_kw, interval_s, mn, "
               "code, serves, outlets, list_lines) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)")
            .bind(1, l.line)
            .bind(2, l.enterprise)
            .bind(3, l.name)
            .bind(4, l.role)
            .bind(5, l.running_kw)
            .bind(6, l.interval_s)
            .bind(7, l.mn)
            .bind(8, l.code)
            .bind(9, power_impl::join(l.serves))
            .bind(10, power_impl::join(l.outlets))
            .bind(11, power_impl::join(l.list_lines))
            .run());
  }
  return tx->commit();
}

template <class Sql>
Status SqlPowerStore<Sql>::write_sites(const std::vector<PowerSiteRow>& rows) {
  auto tx = Sql::begin(db_, SqlConcern::kPower);
  if (!tx.ok()) return tx.status();
  for (const PowerSiteRow& s : rows) {
    ECOMON_RETURN_IF_ERROR(
        db_.cached("INSERT OR REPLACE INTO power_site(site, name, county, meter, status, closed_since) "
                   "VALUES(?1,?2,?3,?4,?5,?6)")
            .bind(1, s.site)
            .bind(2, s.name)
            .bind(3, s.county)
            .bind(4, s.meter)
            .bind(5, s.status)
            .bind(6, s.closed_since)
            .run());
  }
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<PowerLineRow>> SqlPowerStore<Sql>::lines(const std::string& enterprise) {
  auto& q = db_.cached(
      "SELECT line, enterprise, name, role, running_kw, interval_s, mn, code, serves, outlets, list_lines "
      "FROM power_line WHERE ?1 = '' OR enterprise = ?1 ORDER BY line");
  q.bind(1, enterprise);
  std::vector<PowerLineRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    PowerLineRow l;
    l.line = r.str(0);
    l.enterprise = r.str(1);
    l.name = r.str(2);
    l.role = r.str(3);
    l.running_kw = r.str(4);
    l.interval_s = r.int64(5);
    l.mn = r.str(6);
    l.code = r.str(7);
    l.serves = power_impl::split(r.str(8));
    l.outlets = power_impl::split(r.str(9));
    l.list_lines = power_impl::split(r.str(10));
    out.push_back(std::move(l));
  }));
  return out;
}

template <class Sql>
StatusOr<std::vector<PowerSiteRow>> SqlPowerStore<Sql>::sites() {
  auto& q =
      db_.cached("SELECT site, name, county, meter, status, closed_since FROM power_site ORDER BY site");
  std::vector<PowerSiteRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5)});
  }));
  return out;
}

template <class Sql>
StatusOr<std::vector<PowerWriteOutcome>> SqlPowerStore<Sql>::write_readings(
    const std::vector<PowerReadingRow>& rows) {
  std::vector<PowerWriteOutcome> out;
  if (rows.empty()) return out;
  auto tx = Sql::begin(db_, SqlConcern::kPower);
  if (!tx.ok()) return tx.status();
  // What is stored over the batch's time range, read once (a batch is a gateway's minute or a file).
  int64_t lo = rows.front().at.seconds, hi = lo;
  std::set<std::string> batch_lines;
  for (const PowerReadingRow& r : rows) {
    lo = std::min(lo, r.at.seconds);
    hi = std::max(hi, r.at.seconds);
    batch_lines.insert(r.line);
  }
  std::map<std::pair<std::string, int64_t>, std::string> stored;
  {
    auto& q = db_.cached("SELECT line, at_s, kw FROM power_reading WHERE at_s >= ?1 AND at_s <= ?2");
    q.bind(1, lo).bind(2, hi);
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
      std::string line = r.str(0);
      if (batch_lines.count(line)) stored[{std::move(line), r.int64(1)}] = r.str(2);
    }));
  }
  out.reserve(rows.size());
  for (const PowerReadingRow& r : rows) {
    auto [it, added] = stored.try_emplace({r.line, r.at.seconds}, r.kw);
    PowerWriteOutcome o;
    if (added) {
      ECOMON_RETURN_IF_ERROR(
          db_.cached("INSERT INTO power_reading(line, at_s, kw, kw_milli) VALUES(?1,?2,?3,?4)")
              .bind(1, r.line)
              .bind(2, r.at.seconds)
              .bind(3, r.kw)
              .bind(4, parse_milli(r.kw))  // NULL when no number: reading_sums returns it as text
              .run());
    } else if (it->second == r.kw) {
      o.kind = PowerWriteOutcome::Kind::kSame;
    } else {
      o.kind = PowerWriteOutcome::Kind::kConflict;
      o.stored = it->second;
    }
    out.push_back(std::move(o));
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return out;
}

template <class Sql>
StatusOr<std::vector<PowerWriteOutcome>> SqlPowerStore<Sql>::write_grid(
    const std::vector<GridEnergyRow>& rows) {
  std::vector<PowerWriteOutcome> out;
  if (rows.empty()) return out;
  auto tx = Sql::begin(db_, SqlConcern::kPower);
  if (!tx.ok()) return tx.status();
  std::string lo = rows.front().start, hi = lo;
  for (const GridEnergyRow& g : rows) {
    lo = std::min(lo, g.start);
    hi = std::max(hi, g.start);
  }
  // key (meter, period, start) -> (enterprise, kwh)
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::string, std::string>> stored;
  {
    auto& q = db_.cached(
        "SELECT meter, period, start, enterprise, kwh FROM power_grid WHERE start >= ?1 AND start <= ?2");
    q.bind(1, lo).bind(2, hi);
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
      stored[{r.str(0), r.str(1), r.str(2)}] = {r.str(3), r.str(4)};
    }));
  }
  out.reserve(rows.size());
  for (const GridEnergyRow& g : rows) {
    auto [it, added] = stored.try_emplace({g.meter, g.period, g.start}, std::make_pair(g.enterprise, g.kwh));
    PowerWriteOutcome o;
    if (added) {
      ECOMON_RETURN_IF_ERROR(
          db_.cached("INSERT INTO power_grid(meter, period, start, enterprise, kwh) VALUES(?1,?2,?3,?4,?5)")
              .bind(1, g.meter)
              .bind(2, g.period)
              .bind(3, g.start)
              .bind(4, g.enterprise)
              .bind(5, g.kwh)
              .run());
    } else if (it->second == std::make_pair(g.enterprise, g.kwh)) {
      o.kind = PowerWriteOutcome::Kind::kSame;
    } else {
      o.kind = PowerWriteOutcome::Kind::kConflict;
      o.stored = it->second.first == g.enterprise ? it->second.second : "enterprise " + it->second.first;
    }
    out.push_back(std::move(o));
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return out;
}

template <class Sql>
StatusOr<std::vector<PowerReadingRow>> SqlPowerStore<Sql>::readings(const std::vector<std::string>& lines,
                                                                    sources::TimeSpan span) {
  std::vector<PowerReadingRow> out;
  std::vector<std::string> sorted = lines;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& line : sorted) {
    auto& q = db_.cached(
        "SELECT at_s, kw FROM power_reading WHERE line = ?1 AND at_s >= ?2 AND at_s < ?3 ORDER BY at_s");
    q.bind(1, line).bind(2, span.begin.seconds).bind(3, span.end.seconds);
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
      out.push_back({line, sources::SourceTime::of_seconds(r.int64(0)), r.str(1)});
    }));
  }
  return out;
}

template <class Sql>
StatusOr<std::vector<PowerReadingSum>> SqlPowerStore<Sql>::reading_sums(const std::vector<std::string>& lines,
                                                                        sources::TimeSpan span) {
  std::vector<PowerReadingSum> out;
  std::vector<std::string> sorted = lines;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& line : sorted) {
    PowerReadingSum sum;
    sum.line = line;
    int64_t all = 0;
    auto& q = db_.cached(
        "SELECT COUNT(kw_milli), CAST(COALESCE(SUM(kw_milli), 0) AS BIGINT), COUNT(*) FROM power_reading "
        "WHERE line = ?1 AND at_s >= ?2 AND at_s < ?3");
    q.bind(1, line).bind(2, span.begin.seconds).bind(3, span.end.seconds);
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
      sum.readings = r.int64(0);
      sum.milli_kw = r.int64(1);
      all = r.int64(2);
    }));
    if (all > sum.readings) {
      auto& raw = db_.cached(
          "SELECT at_s, kw FROM power_reading WHERE line = ?1 AND at_s >= ?2 AND at_s < ?3 AND kw_milli IS "
          "NULL "
          "ORDER BY at_s");
      raw.bind(1, line).bind(2, span.begin.seconds).bind(3, span.end.seconds);
      ECOMON_RETURN_IF_ERROR(sql_each_row(raw, [&](auto& r) {
        sum.unsummed.push_back({line, sources::SourceTime::of_seconds(r.int64(0)), r.str(1)});
      }));
    }
    out.push_back(std::move(sum));
  }
  return out;
}

template <class Sql>
StatusOr<std::vector<GridEnergyRow>> SqlPowerStore<Sql>::grid(const std::vector<std::string>& meters,
                                                              const std::string& from,
                                                              const std::string& to) {
  std::set<std::string> wanted(meters.begin(), meters.end());
  auto& q = db_.cached(
      "SELECT enterprise, meter, period, start, kwh FROM power_grid WHERE start >= ?1 AND start <= ?2 "
      "ORDER BY meter, period, start");
  q.bind(1, from).bind(2, to);
  std::vector<GridEnergyRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    GridEnergyRow g{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)};
    if (wanted.empty() || wanted.count(g.meter)) out.push_back(std::move(g));
  }));
  return out;
}

template <class Sql>
StatusOr<int64_t> SqlPowerStore<Sql>::write_cases(const std::vector<PowerCaseRow>& rows, int64_t now_ms) {
  if (rows.empty()) return int64_t{0};
  auto tx = Sql::begin(db_, SqlConcern::kPower);
  if (!tx.ok()) return tx.status();
  int64_t changed = 0;
  for (const PowerCaseRow& c : rows) {
    auto& q =
        db_.cached("SELECT closed, days, threshold_kwh FROM power_case WHERE site = ?1 AND opened = ?2");
    q.bind(1, c.site).bind(2, c.opened);
    std::optional<std::tuple<std::string, int64_t, std::string>> stored;
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) { stored.emplace(r.str(0), r.int64(1), r.str(2)); }));
    if (!stored) {
      ECOMON_RETURN_IF_ERROR(
          db_.cached("INSERT INTO power_case(site, opened, closed, name, county, meter, status, days, "
                     "threshold_kwh, found_ms, updated_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)")
              .bind(1, c.site)
              .bind(2, c.opened)
              .bind(3, c.closed)
              .bind(4, c.name)
              .bind(5, c.county)
              .bind(6, c.meter)
              .bind(7, c.status)
              .bind(8, c.days)
              .bind(9, c.threshold_kwh)
              .bind(10, now_ms)
              .run());
      ++changed;
    } else if (*stored != std::make_tuple(c.closed, c.days, c.threshold_kwh)) {
      ECOMON_RETURN_IF_ERROR(db_.cached("UPDATE power_case SET closed = ?3, days = ?4, threshold_kwh = ?5, "
                                        "updated_ms = ?6 WHERE site = ?1 AND opened = ?2")
                                 .bind(1, c.site)
                                 .bind(2, c.opened)
                                 .bind(3, c.closed)
                                 .bind(4, c.days)
                                 .bind(5, c.threshold_kwh)
                                 .bind(6, now_ms)
                                 .run());
      ++changed;
    }
  }
  ECOMON_RETURN_IF_ERROR(tx->commit());
  return changed;
}

template <class Sql>
StatusOr<std::vector<PowerCaseRow>> SqlPowerStore<Sql>::cases(const std::string& county) {
  auto& q = db_.cached(
      "SELECT site, opened, closed, name, county, meter, status, days, threshold_kwh, found_ms, updated_ms "
      "FROM power_case WHERE ?1 = '' OR county = ?1 ORDER BY opened, site");
  q.bind(1, county);
  std::vector<PowerCaseRow> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto& r) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.int64(7), r.str(8),
                   r.int64(9), r.int64(10)});
  }));
  return out;
}

}  // namespace ecomon
