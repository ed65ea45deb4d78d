#include "emergency/emergency_format.h"

#include <fmt/format.h>

#include "core/text_table.h"

namespace ecomon::emergency {
namespace {

std::string opt_decimal(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }
std::string opt_percent(const std::optional<double>& v) { return v ? fmt::format("{:.1f}", *v) : "-"; }
std::string opt_number(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : "-"; }
nlohmann::json json_or_null(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
nlohmann::json json_or_null(const std::optional<Decimal>& d) {
  return d ? nlohmann::json(d->to_string()) : nlohmann::json();
}

nlohmann::json emissions_json(const Emissions& e) {
  nlohmann::json j = nlohmann::json::object();
  for (Pollutant p : kPollutants) j[std::string(pollutant_name(p))] = kg_per_day(at(e, p));
  return j;
}

std::string measure_text(const Measure& m) {
  switch (m.kind) {
    case MeasureKind::kCutProduction:
      return fmt::format("限产{}%", m.cut_percent);
    case MeasureKind::kStopProcess:
      return "停止" + m.process;
    default:
      return std::string(measure_name_zh(m.kind));
  }
}

nlohmann::json period_json(const PeriodFigures& f) {
  nlohmann::json conc = nlohmann::json::object(), load = nlohmann::json::object();
  for (Pollutant p : kPollutants) {
    conc[std::string(pollutant_name(p))] = json_or_null(f.concentration[static_cast<size_t>(p)]);
    load[std::string(pollutant_name(p))] = json_or_null(f.load[static_cast<size_t>(p)]);
  }
  return {{"valid_hours", f.valid_hours},
          {"invalid_hours", f.invalid_hours},
          {"flow", f.flow},
          {"concentration", conc},
          {"load", load}};
}

}  // namespace

std::string Table::render_text() const {
  TextTable t(header);
  for (const auto& r : rows) t.add(r);
  return t.render();
}

std::string Table::render_csv() const {
  std::string s = csv_row(header);  // csv_row ends the line
  for (const auto& r : rows) s += csv_row(r);
  return s;
}

nlohmann::json to_json(const ListCheck& c) {
  nlohmann::json levels = nlohmann::json::array();
  for (const LevelCheck& l : c.levels) {
    nlohmann::json pols = nlohmann::json::array(), carriers = nlohmann::json::array();
    for (const PollutantShare& s : l.pollutants)
      pols.push_back({{"pollutant", pollutant_name(s.pollutant)},
                      {"baseline_kg_d", kg_per_day(s.baseline)},
                      {"at_level_kg_d", kg_per_day(s.at_level)},
                      {"reduction_kg_d", kg_per_day(s.reduction)},
                      {"share_percent", json_or_null(s.share_percent)},
                      {"reached", s.reached}});
    for (const Carrier& k : l.carriers) {
      nlohmann::json shares = nlohmann::json::object();
      for (Pollutant p : kPollutants)
        shares[std::string(pollutant_name(p))] = json_or_null(k.share_of_reduction[static_cast<size_t>(p)]);
      carriers.push_back({{"enterprise", k.enterprise},
                          {"name", k.name},
                          {"county", k.county},
                          {"grade", grade_name(k.grade)},
                          {"guarantee", k.guarantee},
                          {"reduction_kg_d", emissions_json(k.reduction)},
                          {"share_of_reduction_percent", shares}});
    }
    levels.push_back({{"level", level_name(l.level)},
                      {"required_percent", l.required_percent},
                      {"all_reached", l.all_reached},
                      {"pollutants", pols},
                      {"carriers", carriers}});
  }
  nlohmann::json findings = nlohmann::json::array();
  for (const RuleFinding& f : c.findings)
    findings.push_back({{"rule", f.rule},
                        {"enterprise", f.enterprise},
                        {"name", f.name},
                        {"county", f.county},
                        {"line", f.line},
                        {"level", level_name(f.level)},
                        {"message", f.message}});
  return {{"enterprises", c.enterprises},
          {"guarantee_entries", c.guarantee_entries},
          {"lines", c.lines},
          {"levels", levels},
          {"findings", findings}};
}

nlohmann::json to_json(const std::vector<WarningEvent>& history) {
  nlohmann::json j = nlohmann::json::array();
  for (const WarningEvent& e : history)
    j.push_back({{"id", e.id},
                 {"action", action_name(e.action)},
                 {"level", level_name(e.level)},
                 {"effective_from", e.effective_from},
                 {"declared_by", e.declared_by},
                 {"role", e.role},
                 {"reason", e.reason}});
  return j;
}

nlohmann::json to_json(const LevelDecision& d, const Advice& a, const WarningState& in_force) {
  auto day = [](const std::optional<CivilDay>& x) {
    return x ? nlohmann::json(x->to_string()) : nlohmann::json();
  };
  return {{"in_force", {{"level", level_name(in_force.level)}, {"since", in_force.since}}},
          {"decision",
           {{"level", level_name(d.level)},
            {"first", day(d.first)},
            {"last", day(d.last)},
            {"heavy_days", d.heavy_days},
            {"severe_days", d.severe_days},
            {"extreme", d.extreme},
            {"reason", d.reason}}},
          {"advice",
           {{"action", advice_name(a.kind)},
            {"level", level_name(a.level)},
            {"from", day(a.from)},
            {"reason", a.reason}}}};
}

nlohmann::json to_json(const std::vector<RosterEntry>& roster) {
  nlohmann::json j = nlohmann::json::array();
  for (const RosterEntry& r : roster)
    j.push_back({{"county", r.county},
                 {"enterprise", r.enterprise},
                 {"name", r.name},
                 {"grade", grade_name(r.grade)},
                 {"guarantee", r.guarantee},
                 {"line", r.line},
                 {"line_name", r.line_name},
                 {"process", r.process},
                 {"measure", measure_name(r.measure.kind)},
                 {"cut_percent", r.measure.cut_percent},
                 {"stop_process", r.measure.process},
                 {"note", r.measure.note},
                 {"from", r.from},
                 {"emission_kg_d", emissions_json(r.measure.emission)},
                 {"reduction_kg_d", emissions_json(r.reduction)}});
  return j;
}

nlohmann::json to_json(const std::vector<ComplianceResult>& results) {
  nlohmann::json j = nlohmann::json::array();
  for (const ComplianceResult& r : results) {
    nlohmann::json pols = nlohmann::json::array();
    for (const PollutantCompliance& p : r.pollutants)
      pols.push_back({{"pollutant", pollutant_name(p.pollutant)},
                      {"monitored", p.monitored},
                      {"required_percent", json_or_null(p.required_percent)},
                      {"achieved_percent", json_or_null(p.achieved_percent)},
                      {"short", p.short_of_required}});
    nlohmann::json ins;
    if (r.inspection)
      ins = {{"time", r.inspection->time},
             {"inspector", r.inspection->inspector},
             {"compliant", r.inspection->compliant},
             {"note", r.inspection->note}};
    j.push_back({{"enterprise", r.enterprise},
                 {"name", r.name},
                 {"county", r.county},
                 {"level", level_name(r.level)},
                 {"monitored", r.monitored},
                 {"verdict", verdict_name(r.verdict)},
                 {"reason", r.reason},
                 {"baseline", period_json(r.baseline)},
                 {"warning", period_json(r.warning)},
                 {"pollutants", pols},
                 {"inspection", ins}});
  }
  return j;
}

Table list_check_table(const ListCheck& c) {
  Table t{{"级别", "污染物", "基准 kg/d", "预警时 kg/d", "减排 kg/d", "减排比例%", "要求%", "达到"}, {}};
  for (const LevelCheck& l : c.levels)
    for (const PollutantShare& s : l.pollutants)
      t.rows.push_back({std::string(level_name_zh(l.level)), std::string(pollutant_name(s.pollutant)),
                        kg_per_day(s.baseline), kg_per_day(s.at_level), kg_per_day(s.reduction),
                        opt_decimal(s.share_percent), std::to_string(l.required_percent),
                        s.reached ? "是" : "否"});
  return t;
}

Table carriers_table(const ListCheck& c, size_t top) {
  Table t{{"级别", "企业", "名称", "区县", "绩效", "SO2%", "NOx%", "PM%", "VOCs%"}, {}};
  for (const LevelCheck& l : c.levels) {
    for (size_t i = 0; i < l.carriers.size() && (top == 0 || i < top); ++i) {
      const Carrier& k = l.carriers[i];
      std::vector<std::string> row = {std::string(level_name_zh(l.level)), k.enterprise, k.name, k.county,
                                      std::string(grade_name(k.grade))};
      for (const auto& s : k.share_of_reduction) row.push_back(opt_decimal(s));
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

Table warnings_table(const std::vector<WarningEvent>& history) {
  Table t{{"#", "动作", "级别", "生效时间", "发布人", "角色", "原因"}, {}};
  for (const WarningEvent& e : history)
    t.rows.push_back({std::to_string(e.id), std::string(action_name(e.action)),
                      std::string(level_name_zh(e.level)), e.effective_from, e.declared_by, e.role,
                      e.reason});
  return t;
}

Table roster_table(const std::vector<RosterEntry>& roster) {
  Table t{{"区县", "企业", "名称", "绩效", "保障类", "生产线", "措施", "起始", "减排SO2", "减排NOx", "减排PM",
           "减排VOCs"},
          {}};
  for (const RosterEntry& r : roster) {
    std::vector<std::string> row = {r.county,
                                    r.enterprise,
                                    r.name,
                                    std::string(grade_name(r.grade)),
                                    r.guarantee ? "是" : "",
                                    r.line + " " + r.line_name,
                                    measure_text(r.measure),
                                    r.from};
    for (Pollutant p : kPollutants) row.push_back(kg_per_day(at(r.reduction, p)));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table compliance_table(const std::vector<ComplianceResult>& results) {
  Table t{{"企业", "名称", "区县", "结论", "SO2 要求/实际%", "NOx 要求/实际%", "PM 要求/实际%",
           "VOCs 要求/实际%", "流量 基准/预警", "说明"},
          {}};
  for (const ComplianceResult& r : results) {
    std::vector<std::string> row = {r.enterprise, r.name, r.county, std::string(verdict_name(r.verdict))};
    for (const PollutantCompliance& p : r.pollutants)
      row.push_back(p.monitored ? opt_percent(p.required_percent) + "/" + opt_percent(p.achieved_percent)
                                : "-");
    row.push_back(r.monitored ? opt_number(r.baseline.flow) + "/" + opt_number(r.warning.flow) : "-");
    row.push_back(r.reason);
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace ecomon::emergency

namespace ecomon {

nlohmann::json compliance_json(const CompliancePeriod& p, const ComplianceReport& r) {
  return {{"level", emergency::level_name(p.level)},
          {"warning", {{"from", p.warning.begin.to_string()}, {"to", p.warning.end.to_string()}}},
          {"baseline", {{"from", p.baseline.begin.to_string()}, {"to", p.baseline.end.to_string()}}},
          {"records", r.records},
          {"undecodable", r.undecodable},
          {"problems", r.problems},
          {"flagged", flagged_count(r)},
          {"enterprises", emergency::to_json(r.results)}};
}

}  // namespace ecomon
