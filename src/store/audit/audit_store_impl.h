// The definitions of SqlAuditStore (audit_store.h), for SQLite (audit_store.cc) and PostgreSQL
// (store/postgres/concern_stores.cc): the same statements, SQLite's SQL (store/postgres/sql_db.h translates).
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>

#include "store/audit/audit_store.h"

namespace ecomon {
namespace audit_impl {

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::string month_text(MonthKey m) {
  const std::string mm = std::to_string(m.month());
  return std::to_string(m.year()) + "-" + (mm.size() == 1 ? "0" : "") + mm;
}

inline std::optional<int64_t> opt_milli(Milli v) {
  return v == kMissing ? std::nullopt : std::optional<int64_t>(v);
}

}  // namespace audit_impl

template <class Sql>
Status SqlAuditStore<Sql>::append(std::span<AuditVersion> versions) {
  if (versions.empty()) return Status();
  auto tx = Sql::begin(db_, SqlConcern::kAudit);
  if (!tx.ok()) return tx.status();
  // Closed months: the latest closing row of each month the batch touches.
  Hour lo = versions[0].hour, hi = versions[0].hour;
  std::set<int64_t> stations;
  for (const AuditVersion& v : versions) {
    lo = std::min(lo, v.hour);
    hi = std::max(hi, v.hour);
    stations.insert(v.station_id);
  }
  {
    auto& q = db_.cached("SELECT month, closed FROM audit_month WHERE month BETWEEN ?1 AND ?2 ORDER BY id");
    q.bind(1, int64_t{MonthKey::of(lo.day()).ordinal}).bind(2, int64_t{MonthKey::of(hi.day()).ordinal});
    std::map<int32_t, bool> closed;
    ECOMON_RETURN_IF_ERROR(
        sql_each_row(q, [&](auto&) { closed[static_cast<int32_t>(q.int64(0))] = q.int64(1) != 0; }));
    for (const AuditVersion& v : versions) {
      const MonthKey m = MonthKey::of(v.hour.day());
      auto it = closed.find(m.ordinal);
      if (it != closed.end() && it->second) {
        return failed_precondition("month " + audit_impl::month_text(m) +
                                   " is closed (audited): " + v.hour.to_string() +
                                   " cannot change until the month is reopened (ecomon audit reopen)");
      }
    }
  }
  // The last version of each key the batch touches, station by station.
  std::map<std::tuple<int64_t, int, int64_t>, int64_t> last;
  for (int64_t station : stations) {
    auto& q = db_.cached(
        "SELECT pollutant, hour, max(version) FROM audit_version WHERE station_id = ?1 AND hour BETWEEN ?2 "
        "AND "
        "?3 GROUP BY pollutant, hour");
    q.bind(1, station).bind(2, lo.index()).bind(3, hi.index());
    ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
      last[{station, static_cast<int>(q.int64(0)), q.int64(1)}] = q.int64(2);
    }));
  }
  const int64_t now = audit_impl::now_ms();
  for (AuditVersion& v : versions) {
    int64_t& n = last[{v.station_id, index_of(v.pollutant), v.hour.index()}];
    v.version = ++n;
    if (v.at_ms == 0) v.at_ms = now;
    ECOMON_RETURN_IF_ERROR(
        db_.cached("INSERT INTO audit_version(station_id, pollutant, hour, version, action, value, previous, "
                   "reason, note, source, who, at_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)")
            .bind(1, v.station_id)
            .bind(2, int64_t{index_of(v.pollutant)})
            .bind(3, v.hour.index())
            .bind(4, v.version)
            .bind(5, audit_action_name(v.action))
            .bind(6, audit_impl::opt_milli(v.value))
            .bind(7, audit_impl::opt_milli(v.previous))
            .bind(8, v.reason)
            .bind(9, v.note)
            .bind(10, v.source)
            .bind(11, v.who)
            .bind(12, v.at_ms)
            .run());
  }
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<AuditVersion>> SqlAuditStore<Sql>::versions(std::span<const int64_t> stations,
                                                                 Hour first, Hour last) {
  std::vector<AuditVersion> out;
  auto read = [&](auto& q) -> Status {
    return sql_each_row(q, [&](auto&) -> Status {
      AuditVersion v;
      v.station_id = q.int64(0);
      const int64_t p = q.int64(1);
      if (p < 0 || p >= kPollutantCount)
        return data_loss("audit_version: pollutant " + std::to_string(p) + " is not one of the six");
      v.pollutant = static_cast<Pollutant>(p);
      v.hour = Hour::from_index(q.int64(2));
      v.version = q.int64(3);
      auto action = parse_audit_action(q.text(4));
      if (!action) return data_loss("audit_version: unknown action '" + q.str(4) + "'");
      v.action = *action;
      v.value = q.is_null(5) ? kMissing : static_cast<Milli>(q.int64(5));
      v.previous = q.is_null(6) ? kMissing : static_cast<Milli>(q.int64(6));
      v.reason = q.str(7);
      v.note = q.str(8);
      v.source = q.str(9);
      v.who = q.str(10);
      v.at_ms = q.int64(11);
      out.push_back(std::move(v));
      return Status();
    });
  };
  constexpr const char* kColumns =
      "SELECT station_id, pollutant, hour, version, action, value, previous, reason, note, source, who, "
      "at_ms "
      "FROM audit_version WHERE ";
  if (stations.empty()) {
    // Sorted here, not by the SQL: an ORDER BY over the hour index's rows would sort in a temporary B-tree
    // (on SQLite a temp file: most of the read's time with thousands of versions, docs/performance.md).
    auto& q = db_.cached(std::string(kColumns) + "hour BETWEEN ?1 AND ?2");
    q.bind(1, first.index()).bind(2, last.index());
    ECOMON_RETURN_IF_ERROR(read(q));
    std::sort(out.begin(), out.end(), [](const AuditVersion& a, const AuditVersion& b) {
      return std::tuple(a.station_id, index_of(a.pollutant), a.hour, a.version) <
             std::tuple(b.station_id, index_of(b.pollutant), b.hour, b.version);
    });
    return out;
  }
  std::vector<int64_t> sorted(stations.begin(), stations.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (int64_t s : sorted) {
    auto& q = db_.cached(std::string(kColumns) +
                         "station_id = ?1 AND hour BETWEEN ?2 AND ?3 ORDER BY pollutant, hour, version");
    q.bind(1, s).bind(2, first.index()).bind(3, last.index());
    ECOMON_RETURN_IF_ERROR(read(q));
  }
  return out;
}

template <class Sql>
StatusOr<int64_t> SqlAuditStore<Sql>::version_count() {
  auto& q = db_.cached("SELECT count(*) FROM audit_version");
  auto row = q.step();
  if (!row.ok()) return row.status();
  const int64_t n = *row ? q.int64(0) : 0;
  q.reset();
  return n;
}

template <class Sql>
Status SqlAuditStore<Sql>::set_month_closed(const MonthClosing& c) {
  auto tx = Sql::begin(db_, SqlConcern::kAudit);
  if (!tx.ok()) return tx.status();
  bool closed = false;
  {
    auto& q = db_.cached("SELECT closed FROM audit_month WHERE month = ?1 ORDER BY id DESC LIMIT 1");
    q.bind(1, int64_t{c.month.ordinal});
    auto row = q.step();
    if (!row.ok()) return row.status();
    closed = *row && q.int64(0) != 0;
    q.reset();
  }
  if (closed == c.closed) {
    return failed_precondition("month " + audit_impl::month_text(c.month) + " is already " +
                               (c.closed ? "closed" : "open"));
  }
  ECOMON_RETURN_IF_ERROR(
      db_.cached("INSERT INTO audit_month(month, closed, who, reason, at_ms) VALUES(?1,?2,?3,?4,?5)")
          .bind(1, int64_t{c.month.ordinal})
          .bind(2, int64_t{c.closed ? 1 : 0})
          .bind(3, c.who)
          .bind(4, c.reason)
          .bind(5, c.at_ms == 0 ? audit_impl::now_ms() : c.at_ms)
          .run());
  return tx->commit();
}

template <class Sql>
StatusOr<std::vector<MonthClosing>> SqlAuditStore<Sql>::month_closings(std::optional<MonthKey> first,
                                                                       std::optional<MonthKey> last) {
  auto& q = db_.cached(
      "SELECT month, closed, who, reason, at_ms FROM audit_month WHERE month BETWEEN ?1 AND ?2 "
      "ORDER BY month, id");
  q.bind(1, int64_t{first ? first->ordinal : 0})
      .bind(2, int64_t{last ? last->ordinal : std::numeric_limits<int32_t>::max()});
  std::vector<MonthClosing> out;
  ECOMON_RETURN_IF_ERROR(sql_each_row(q, [&](auto&) {
    out.push_back(
        {MonthKey{static_cast<int32_t>(q.int64(0))}, q.int64(1) != 0, q.str(2), q.str(3), q.int64(4)});
  }));
  return out;
}

template <class Sql>
Status SqlAuditStore<Sql>::set_station_county(const std::string& code, const std::string& county) {
  auto tx = Sql::begin(db_, SqlConcern::kAudit);
  if (!tx.ok()) return tx.status();
  ECOMON_RETURN_IF_ERROR(db_.cached("DELETE FROM audit_station_county WHERE code = ?1").bind(1, code).run());
  if (!county.empty()) {
    ECOMON_RETURN_IF_ERROR(db_.cached("INSERT INTO audit_station_county(code, county) VALUES(?1,?2)")
                               .bind(1, code)
                               .bind(2, county)
                               .run());
  }
  return tx->commit();
}

template <class Sql>
StatusOr<std::string> SqlAuditStore<Sql>::station_county(const std::string& code) {
  auto& q = db_.cached("SELECT county FROM audit_station_county WHERE code = ?1");
  q.bind(1, code);
  auto row = q.step();
  if (!row.ok()) return row.status();
  std::string county = *row ? q.str(0) : std::string();
  q.reset();
  return county;
}

}  // namespace ecomon
