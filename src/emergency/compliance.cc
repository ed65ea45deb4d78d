#include "emergency/compliance.h"

#include <fmt/format.h>

namespace ecomon::emergency {
namespace {

constexpr double kPercent = 100;

// A value usable for loads: flag N (its Avg) or F (the source stopped: 0). nullopt for anything else.
std::optional<double> usable(const sources::PollutantValue* v) {
  if (!v) return std::nullopt;
  if (v->flag == sources::DataFlag::kStopped) return 0.0;
  if (v->flag != sources::DataFlag::kNormal || !v->avg) return std::nullopt;
  return v->avg->to_double();
}

struct DeviceMeans {
  int valid = 0;
  int invalid = 0;
  double flow = 0;
  std::array<std::optional<double>, kPollutantCount> load;  // mean hourly load
  std::array<bool, kPollutantCount> reported{};
};

DeviceMeans means_of(const std::vector<sources::MonitoringRecord>& records) {
  DeviceMeans m;
  double flow_sum = 0;
  std::array<double, kPollutantCount> load_sum{};
  std::array<int, kPollutantCount> n{};
  for (const sources::MonitoringRecord& r : records) {
    if (r.kind != sources::DataKind::kHourly) continue;
    const sources::PollutantValue* fv = r.find(kFlowCode);
    const bool stopped = fv && fv->flag == sources::DataFlag::kStopped;
    std::optional<double> flow = usable(fv);
    if (!flow) {
      ++m.invalid;
      continue;
    }
    ++m.valid;
    flow_sum += *flow;
    for (Pollutant p : kPollutants) {
      const size_t i = static_cast<size_t>(p);
      const sources::PollutantValue* pv = r.find(hj212_code(p));
      if (pv) m.reported[i] = true;
      std::optional<double> c = stopped ? std::optional<double>(0.0) : usable(pv);
      if (!c) continue;
      load_sum[i] += *c * *flow;
      ++n[i];
    }
  }
  if (m.valid > 0) m.flow = flow_sum / m.valid;
  for (size_t i = 0; i < load_sum.size(); ++i)
    if (n[i] > 0) m.load[i] = load_sum[i] / n[i];
  return m;
}

void add_device(PeriodFigures& f, const DeviceMeans& d) {
  f.valid_hours += d.valid;
  f.invalid_hours += d.invalid;
  f.flow += d.flow;
  for (size_t i = 0; i < d.load.size(); ++i)
    if (d.load[i]) f.load[i] = f.load[i].value_or(0) + *d.load[i];
}

void finish(PeriodFigures& f) {
  for (size_t i = 0; i < f.load.size(); ++i)
    if (f.load[i] && f.flow > 0) f.concentration[i] = *f.load[i] / f.flow;
}

ComplianceResult by_inspection(ComplianceResult r, const std::vector<Inspection>& inspections,
                               const std::string& from, const std::string& to) {
  for (const Inspection& i : inspections) {
    if (i.enterprise != r.enterprise || i.time < from || (!to.empty() && i.time >= to)) continue;
    if (!r.inspection || r.inspection->time <= i.time) r.inspection = i;
  }
  if (!r.inspection) {
    r.verdict = Verdict::kNotInspected;
    r.reason = "no online monitoring and no inspection recorded during the warning";
  } else {
    r.verdict = r.inspection->compliant ? Verdict::kInspectedOk : Verdict::kInspectedNot;
    r.reason = fmt::format("inspected {} by {}: {}", r.inspection->time, r.inspection->inspector,
                           r.inspection->compliant ? "measures in place" : "measures not in place");
  }
  return r;
}

}  // namespace

std::string_view hj212_code(Pollutant p) {
  switch (p) {
    case Pollutant::kSO2:
      return "a21026";
    case Pollutant::kNOx:
      return "a21002";
    case Pollutant::kPM:
      return "a34013";
    case Pollutant::kVOCs:
      return "a24088";
  }
  return "";
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kCompliant:
      return "compliant";
    case Verdict::kNotCutting:
      return "not-cutting";
    case Verdict::kNoData:
      return "no-data";
    case Verdict::kInspectedOk:
      return "inspected-ok";
    case Verdict::kInspectedNot:
      return "inspected-not";
    case Verdict::kNotInspected:
      return "not-inspected";
  }
  return "no-data";
}

ComplianceResult check_compliance(const Enterprise& e, WarningLevel level,
                                  const std::vector<DeviceSeries>& devices,
                                  const std::vector<Inspection>& inspections, const std::string& warning_from,
                                  const std::string& warning_to, const ComplianceParams& params) {
  ComplianceResult r;
  r.enterprise = e.id;
  r.name = e.name;
  r.county = e.county;
  r.level = level;
  const Emissions base = e.baseline();
  const Emissions at_level = e.emission_at(level);
  for (Pollutant p : kPollutants) {
    PollutantCompliance& pc = r.pollutants[static_cast<size_t>(p)];
    pc.pollutant = p;
    if (level != WarningLevel::kNone && at(base, p) > 0)
      pc.required_percent =
          static_cast<double>(at(base, p) - at(at_level, p)) * kPercent / static_cast<double>(at(base, p));
  }
  bool any_record = false;
  for (const DeviceSeries& d : devices) any_record = any_record || !d.baseline.empty() || !d.warning.empty();
  if (!any_record) return by_inspection(std::move(r), inspections, warning_from, warning_to);

  r.monitored = true;
  bool enough = true;
  for (const DeviceSeries& d : devices) {
    const DeviceMeans b = means_of(d.baseline), w = means_of(d.warning);
    if (b.valid < params.min_valid_hours || w.valid < params.min_valid_hours) enough = false;
    add_device(r.baseline, b);
    add_device(r.warning, w);
    for (size_t i = 0; i < b.reported.size(); ++i)
      r.pollutants[i].monitored = r.pollutants[i].monitored || b.reported[i] || w.reported[i];
  }
  finish(r.baseline);
  finish(r.warning);
  if (!enough) {
    r.verdict = Verdict::kNoData;
    r.reason = fmt::format("fewer than {} valid hours in a period", params.min_valid_hours);
    return r;
  }
  std::string shortfalls;
  for (PollutantCompliance& pc : r.pollutants) {
    const size_t i = static_cast<size_t>(pc.pollutant);
    if (!pc.monitored || !r.baseline.load[i] || *r.baseline.load[i] <= 0 || !r.warning.load[i]) continue;
    pc.achieved_percent = (1.0 - *r.warning.load[i] / *r.baseline.load[i]) * kPercent;
    if (pc.required_percent && *pc.achieved_percent + params.tolerance_points < *pc.required_percent) {
      pc.short_of_required = true;
      shortfalls += fmt::format("{}{} load cut {:.1f} % < required {:.1f} %", shortfalls.empty() ? "" : "; ",
                                pollutant_name(pc.pollutant), *pc.achieved_percent, *pc.required_percent);
    }
  }
  r.verdict = shortfalls.empty() ? Verdict::kCompliant : Verdict::kNotCutting;
  r.reason = shortfalls.empty() ? "every monitored pollutant cut as required" : shortfalls;
  return r;
}

}  // namespace ecomon::emergency
