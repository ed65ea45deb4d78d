// The emergency store (store/api/emergency.h) once for both SQL backends (store/sql_backend.h): SQLite's
// (sqlite_emergency_store) and PostgreSQL's (store/postgres) are this template.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/api/emergency.h"
#include "store/sql_backend.h"

namespace ecomon {
namespace emergency_store_impl {

namespace em = emergency;

inline em::Emissions emissions_at(const auto& s, int first) {
  em::Emissions e{};
  for (size_t i = 0; i < e.size(); ++i) e[i] = s.int64(first + static_cast<int>(i));
  return e;
}

}  // namespace emergency_store_impl

namespace em = emergency;

template <class Sql>
class SqlEmergencyStore final : public EmergencyStore {
 public:
  explicit SqlEmergencyStore(typename Sql::Db& db) : db_(db) {}

  StatusOr<em::ReductionList> load_list() override {
    em::ReductionList list;
    std::map<std::string, size_t> index;
    auto& e = db_.cached(
        "SELECT id,name,county,industry,grade,guarantee,source_enterprise FROM em_enterprise ORDER BY id");
    ECOMON_RETURN_IF_ERROR(sql_each_row(e, [&](auto&) {
      em::Enterprise x{.id = e.str(0), .name = e.str(1), .county = e.str(2), .industry = e.str(3)};
      x.grade = em::parse_grade(e.text(4)).value_or(em::Grade::kUngraded);
      x.guarantee = e.int64(5) != 0;
      x.source_enterprise = e.str(6);
      index[x.id] = list.enterprises.size();
      list.enterprises.push_back(std::move(x));
    }));
    auto& l = db_.cached(
        "SELECT enterprise,line,name,process,so2,nox,pm,vocs FROM em_line ORDER BY enterprise,seq");
    ECOMON_RETURN_IF_ERROR(sql_each_row(l, [&](auto&) {
      auto it = index.find(l.str(0));
      if (it == index.end()) return;
      em::Line x{.id = l.str(1),
                 .name = l.str(2),
                 .process = l.str(3),
                 .baseline = emergency_store_impl::emissions_at(l, 4)};
      for (em::Measure& m : x.measures) m.emission = x.baseline;
      list.enterprises[it->second].lines.push_back(std::move(x));
    }));
    std::map<std::pair<std::string, std::string>, em::Line*> lines;
    for (em::Enterprise& x : list.enterprises)
      for (em::Line& y : x.lines) lines[{x.id, y.id}] = &y;
    auto& m = db_.cached(
        "SELECT enterprise,line,level,kind,cut_percent,process,note,so2,nox,pm,vocs FROM em_measure");
    ECOMON_RETURN_IF_ERROR(sql_each_row(m, [&](auto&) {
      auto it = lines.find({m.str(0), m.str(1)});
      std::optional<em::WarningLevel> level = em::parse_level(m.text(2));
      if (it == lines.end() || !level || *level == em::WarningLevel::kNone) return;
      em::Measure& x = it->second->measures[em::level_index(*level)];
      x.kind = em::parse_measure(m.text(3)).value_or(em::MeasureKind::kNone);
      x.cut_percent = static_cast<int>(m.int64(4));
      x.process = m.str(5);
      x.note = m.str(6);
      x.emission = emergency_store_impl::emissions_at(m, 7);
    }));
    return list;
  }

  StatusOr<ListImportCounts> write_list(const std::vector<em::Enterprise>& entries,
                                        const std::vector<em::Inspection>& inspections) override {
    auto tx = Sql::begin(db_, SqlConcern::kEmergency);
    if (!tx.ok()) return tx.status();
    auto stored = load_list();
    if (!stored.ok()) return stored.status();
    ListImportCounts counts;
    for (const em::Enterprise& e : entries) {
      const em::Enterprise* old = stored->find(e.id);
      if (old && *old == e) {
        ++counts.unchanged;
        continue;
      }
      ECOMON_RETURN_IF_ERROR(put_enterprise(e));
      ++(old ? counts.updated : counts.added);
    }
    // The stored inspections, read once: an inspection is written (and counted) when it is new or its
    // verdict or note differ; the writes go together (one round trip on PostgreSQL).
    auto stored_inspections = this->inspections();
    if (!stored_inspections.ok()) return stored_inspections.status();
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<bool, std::string>> have;
    for (const em::Inspection& s : *stored_inspections) {
      have[{s.enterprise, s.time, s.inspector}] = {s.compliant, s.note};
    }
    for (const em::Inspection& in : inspections) {
      const std::tuple<std::string, std::string, std::string> key{in.enterprise, in.time, in.inspector};
      const std::pair<bool, std::string> value{in.compliant, in.note};
      auto it = have.find(key);
      if (it != have.end() && it->second == value) continue;
      auto& q = db_.cached(
          "INSERT INTO em_inspection(enterprise,time,inspector,compliant,note) VALUES(?1,?2,?3,?4,?5) "
          "ON CONFLICT(enterprise,time,inspector) DO UPDATE SET "
          "compliant=excluded.compliant,note=excluded.note");
      q.bind(1, in.enterprise).bind(2, in.time).bind(3, in.inspector).bind(4, int64_t{in.compliant});
      ECOMON_RETURN_IF_ERROR(q.bind(5, in.note).run());
      ++counts.inspections_added;
      have[key] = value;
    }
    ECOMON_RETURN_IF_ERROR(tx->commit());
    return counts;
  }

  StatusOr<std::vector<em::WarningEvent>> warnings() override {
    std::vector<em::WarningEvent> out;
    auto& s = db_.cached(
        "SELECT id,action,level,effective_from,declared_by,role,reason FROM em_warning ORDER BY id");
    ECOMON_RETURN_IF_ERROR(sql_each_row(s, [&](auto&) {
      em::WarningEvent e;
      e.id = s.int64(0);
      const std::string_view a = s.text(1);
      for (em::WarningAction x : {em::WarningAction::kDeclare, em::WarningAction::kUpgrade,
                                  em::WarningAction::kDowngrade, em::WarningAction::kLift})
        if (em::action_name(x) == a) e.action = x;
      e.level = em::parse_level(s.text(2)).value_or(em::WarningLevel::kNone);
      e.effective_from = s.str(3);
      e.declared_by = s.str(4);
      e.role = s.str(5);
      e.reason = s.str(6);
      out.push_back(std::move(e));
    }));
    return out;
  }

  StatusOr<em::WarningEvent> append_warning(const WarningDecision& decide) override {
    auto tx = Sql::begin(db_, SqlConcern::kEmergency);
    if (!tx.ok()) return tx.status();
    auto h = warnings();
    if (!h.ok()) return h.status();
    StatusOr<em::WarningEvent> ev = decide(*h);
    if (!ev.ok()) return ev;
    auto& s = db_.cached(
        "INSERT INTO em_warning(action,level,effective_from,declared_by,role,reason) "
        "VALUES(?1,?2,?3,?4,?5,?6)");
    s.bind(1, em::action_name(ev->action)).bind(2, em::level_name(ev->level));
    s.bind(3, ev->effective_from).bind(4, ev->declared_by).bind(5, ev->role).bind(6, ev->reason);
    ECOMON_RETURN_IF_ERROR(s.run());
    ev->id = db_.last_insert_rowid();
    ECOMON_RETURN_IF_ERROR(tx->commit());
    return ev;
  }

  StatusOr<std::vector<em::Inspection>> inspections() override {
    std::vector<em::Inspection> out;
    auto& s = db_.cached(
        "SELECT enterprise,time,inspector,compliant,note FROM em_inspection ORDER BY "
        "enterprise,time,inspector");
    ECOMON_RETURN_IF_ERROR(sql_each_row(s, [&](auto&) {
      out.push_back({s.str(0), s.str(1), s.str(2), s.int64(3) != 0, s.str(4)});
    }));
    return out;
  }

 private:
  // Replaces entry `e` (its row, lines and measures). In the caller's transaction.
  Status put_enterprise(const em::Enterprise& e) {
    for (const char* sql :
         {"DELETE FROM em_measure WHERE enterprise=?1", "DELETE FROM em_line WHERE enterprise=?1"}) {
      ECOMON_RETURN_IF_ERROR(db_.cached(sql).bind(1, e.id).run());
    }
    auto& s = db_.cached(
        "INSERT INTO em_enterprise(id,name,county,industry,grade,guarantee,source_enterprise) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7) "
        "ON CONFLICT(id) DO UPDATE SET name=excluded.name,county=excluded.county,industry=excluded.industry,"
        "grade=excluded.grade,guarantee=excluded.guarantee,source_enterprise=excluded.source_enterprise");
    s.bind(1, e.id).bind(2, e.name).bind(3, e.county).bind(4, e.industry).bind(5, em::grade_name(e.grade));
    ECOMON_RETURN_IF_ERROR(s.bind(6, int64_t{e.guarantee}).bind(7, e.source_enterprise).run());
    int64_t seq = 0;
    for (const em::Line& l : e.lines) {
      auto& li = db_.cached(
          "INSERT INTO em_line(enterprise,line,seq,name,process,so2,nox,pm,vocs) "
          "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
      li.bind(1, e.id).bind(2, l.id).bind(3, seq++).bind(4, l.name).bind(5, l.process);
      for (int i = 0; i < em::kPollutantCount; ++i) li.bind(6 + i, l.baseline[static_cast<size_t>(i)]);
      ECOMON_RETURN_IF_ERROR(li.run());
      for (em::WarningLevel level : em::kLevels) {
        const em::Measure& m = l.measures[em::level_index(level)];
        auto& ms = db_.cached(
            "INSERT INTO em_measure(enterprise,line,level,kind,cut_percent,process,note,so2,nox,pm,vocs) "
            "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
        ms.bind(1, e.id).bind(2, l.id).bind(3, em::level_name(level)).bind(4, em::measure_name(m.kind));
        ms.bind(5, int64_t{m.cut_percent}).bind(6, m.process).bind(7, m.note);
        for (int i = 0; i < em::kPollutantCount; ++i) ms.bind(8 + i, m.emission[static_cast<size_t>(i)]);
        ECOMON_RETURN_IF_ERROR(ms.run());
      }
    }
    return Status();
  }

  typename Sql::Db& db_;
};

}  // namespace ecomon
