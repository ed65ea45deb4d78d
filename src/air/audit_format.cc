#include "air/audit_format.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/text_table.h"

namespace ecomon {
namespace {

// The stored value exactly, without trailing zeros: 45000 -> "45", 1250 -> "1.25".
std::string exact(Milli v) {
  std::string s = Decimal::of_milli(v).to_string();
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// A number, as the air JSON's concentrations are (docs/air-json.md): 45, 1.25.
nlohmann::json value_json(Pollutant, Milli v) {
  if (v == kMissing) return nullptr;
  if (v % kMilliPerUnit == 0) return v / kMilliPerUnit;
  return static_cast<double>(v) / static_cast<double>(kMilliPerUnit);
}

std::string value_text(Pollutant, Milli v) { return v == kMissing ? "-" : exact(v); }

std::string month_name(MonthKey m) { return fmt::format("{}-{:02d}", m.year(), m.month()); }

}  // namespace

std::string audit_time_text(int64_t ms) {
  constexpr int64_t kBeijingOffsetMs = int64_t{8} * 3600 * 1000;
  constexpr int64_t kMsPerDay = int64_t{86400} * 1000;
  const int64_t local = ms + kBeijingOffsetMs;
  int64_t days = local / kMsPerDay;
  int64_t rest = local % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  const int64_t s = rest / 1000;
  return fmt::format("{} {:02d}:{:02d}:{:02d}", CivilDay::from_days(static_cast<int32_t>(days)).to_string(),
                     s / 3600, s / 60 % 60, s % 60);
}

nlohmann::json audit_version_json(const AuditVersion& v, const std::string& station_code) {
  return {{"station", station_code},
          {"pollutant", pollutant_code(v.pollutant)},
          {"hour", v.hour.to_string()},
          {"version", v.version},
          {"action", audit_action_name(v.action)},
          {"old", value_json(v.pollutant, v.previous)},
          {"new", v.action == AuditAction::kInvalidate ? nlohmann::json(nullptr)
                  : v.action == AuditAction::kCorrect || v.action == AuditAction::kRepublish
                      ? value_json(v.pollutant, v.value)
                      : nlohmann::json("realtime")},
          {"reason", v.reason},
          {"note", v.note},
          {"source", v.source},
          {"who", v.who},
          {"at", audit_time_text(v.at_ms)},
          {"at_ms", v.at_ms}};
}

nlohmann::json audit_change_json(const std::string& station_code, const std::vector<AuditVersion>& recorded,
                                 int64_t unchanged) {
  nlohmann::json list = nlohmann::json::array();
  for (const AuditVersion& v : recorded) list.push_back(audit_version_json(v, station_code));
  return {{"station", station_code}, {"recorded", list}, {"unchanged", unchanged}};
}

nlohmann::json audit_trails_json(const std::string& station_code, const std::vector<AuditTrail>& trails) {
  nlohmann::json hours = nlohmann::json::array();
  for (const AuditTrail& t : trails) {
    nlohmann::json vs = nlohmann::json::array();
    for (const AuditVersion& v : t.versions) vs.push_back(audit_version_json(v, t.station));
    hours.push_back({{"pollutant", pollutant_code(t.pollutant)},
                     {"hour", t.hour.to_string()},
                     {"realtime", value_json(t.pollutant, t.realtime)},
                     {"audited", value_json(t.pollutant, t.audited)},
                     {"state", audited_state_name(t.state)},
                     {"exceptional", t.exceptional},
                     {"month_closed", t.month_closed},
                     {"versions", vs}});
  }
  return {{"station", station_code}, {"hours", hours}};
}

nlohmann::json month_closings_json(const std::vector<MonthClosing>& closings) {
  nlohmann::json list = nlohmann::json::array();
  for (const MonthClosing& m : closings) {
    list.push_back({{"month", month_name(m.month)},
                    {"action", m.closed ? "close" : "reopen"},
                    {"who", m.who},
                    {"reason", m.reason},
                    {"at", audit_time_text(m.at_ms)}});
  }
  return {{"closings", list}};
}

std::string audit_change_table(const std::string& station_code, const std::vector<AuditVersion>& recorded,
                               int64_t unchanged) {
  TextTable t({"站点", "污染物", "时间", "版本", "操作", "原值", "新值", "原因"});
  for (const AuditVersion& v : recorded) {
    t.add({station_code, std::string(pollutant_code(v.pollutant)), v.hour.to_string(),
           std::to_string(v.version), std::string(audit_action_name(v.action)),
           value_text(v.pollutant, v.previous),
           v.action == AuditAction::kRestore || v.action == AuditAction::kFlag
               ? "(实时值)"
               : value_text(v.pollutant, v.value),
           v.reason});
  }
  return t.render() + fmt::format("{} versions recorded, {} hours unchanged\n", recorded.size(), unchanged);
}

std::string audit_trails_table(const std::vector<AuditTrail>& trails) {
  TextTable t({"污染物", "时间", "实时值", "版本", "操作", "原值", "新值", "原因", "说明", "来源", "审核人",
               "审核时间", "审核值", "状态"});
  for (const AuditTrail& h : trails) {
    for (size_t i = 0; i < h.versions.size(); ++i) {
      const AuditVersion& v = h.versions[i];
      const bool last = i + 1 == h.versions.size();
      t.add({std::string(pollutant_code(h.pollutant)), h.hour.to_string(),
             value_text(h.pollutant, h.realtime), std::to_string(v.version),
             std::string(audit_action_name(v.action)), value_text(h.pollutant, v.previous),
             v.action == AuditAction::kRestore || v.action == AuditAction::kFlag
                 ? "(实时值)"
                 : value_text(h.pollutant, v.value),
             v.reason, v.note, v.source, v.who, audit_time_text(v.at_ms),
             last ? value_text(h.pollutant, h.audited) : "",
             last ? std::string(audited_state_name(h.state)) + (h.exceptional ? " exceptional" : "") +
                        (h.month_closed ? " closed" : "")
                  : ""});
    }
  }
  return t.render();
}

std::string month_closings_table(const std::vector<MonthClosing>& closings) {
  TextTable t({"月份", "操作", "操作人", "原因", "时间"});
  for (const MonthClosing& m : closings)
    t.add({month_name(m.month), m.closed ? "close" : "reopen", m.who, m.reason, audit_time_text(m.at_ms)});
  return t.render();
}

}  // namespace ecomon
