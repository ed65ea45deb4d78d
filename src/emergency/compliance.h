// Compliance during a warning (应急减排措施落实核查). For a listed enterprise with online monitoring (HJ 212
// hourly uploads of its devices), the warning period is compared with a baseline period: mean flow, mean
// (flow-weighted) concentration and mean hourly load per pollutant, the cut achieved against the cut its list
// entry requires at the level; those not cutting as required are flagged. Enterprises without monitoring are
// judged by the inspections (现场检查) recorded during the warning.
//
//   DeviceSeries s{.mn = "...", .baseline = base_records, .warning = warn_records};
//   ComplianceResult r = check_compliance(enterprise, WarningLevel::kOrange, {s}, {}, {});
//   r.verdict == Verdict::kNotCutting;   // e.g. SO2 load down 5 % where the entry requires 40 %
//
// Loads: an hour's load is its measured concentration (Avg, not the standardised ZsAvg) times its flow
// (a00000 Avg); units cancel in the ratio, so they only need to be the device's own throughout. An hour
// flagged F (停运, the source stopped) has load and flow 0; hours with other flags than N are not used
// (counted as invalid). Pure: no clock, no store.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "emergency/registry.h"
#include "sources/record.h"

namespace ecomon::emergency {

// The HJ 212-2017 codes of the four pollutants and of the flue-gas flow (Appendix B).
std::string_view hj212_code(Pollutant p);  // a21026, a21002, a34013, a24088 (非甲烷总烃 for VOCs)
inline constexpr std::string_view kFlowCode = "a00000";

struct DeviceSeries {
  std::string mn;
  std::vector<sources::MonitoringRecord> baseline;  // hourly (2061) records of the baseline period
  std::vector<sources::MonitoringRecord> warning;   // ... of the warning period
};

struct Inspection {
  std::string enterprise;
  std::string time;        // "YYYY-MM-DD hh:mm"
  std::string inspector;   // Actor::user who recorded it
  bool compliant = false;  // 措施落实 or not
  std::string note;
};

struct ComplianceParams {
  // A pollutant's achieved cut may fall short of the required one by this many percentage points and still
  // count as cutting (measurement noise). Default 0: strict.
  double tolerance_points = 0;
  // The fewest valid hours each period needs per device for a verdict (fewer: kNoData).
  int min_valid_hours = 1;
};

enum class Verdict : uint8_t {
  kCompliant,     // every monitored pollutant cut at least as required
  kNotCutting,    // some monitored pollutant cut less than required
  kNoData,        // monitored, but too few valid hours in a period
  kInspectedOk,   // no monitoring; an inspection during the warning found the measures in place
  kInspectedNot,  // no monitoring; an inspection found them not in place
  kNotInspected,  // no monitoring and no inspection during the warning
};
std::string_view verdict_name(Verdict v);

struct PeriodFigures {
  int valid_hours = 0;    // hours with a usable value of every measured pollutant and flow
  int invalid_hours = 0;  // hours with a fault flag (D, B, C, M, ...) or a missing value
  double flow = 0;        // mean flow, summed over the devices
  std::array<std::optional<double>, kPollutantCount> concentration;  // flow-weighted mean
  std::array<std::optional<double>, kPollutantCount> load;           // mean hourly load, summed over devices
};

struct PollutantCompliance {
  Pollutant pollutant = Pollutant::kSO2;
  bool monitored = false;                  // some device reports it
  std::optional<double> required_percent;  // 1 - emission at level / baseline (entry), x 100
  std::optional<double> achieved_percent;  // 1 - warning load / baseline load, x 100
  bool short_of_required = false;
};

struct ComplianceResult {
  std::string enterprise;
  std::string name;
  std::string county;
  WarningLevel level = WarningLevel::kNone;
  bool monitored = false;  // has devices with data
  Verdict verdict = Verdict::kNotInspected;
  PeriodFigures baseline;
  PeriodFigures warning;
  std::array<PollutantCompliance, kPollutantCount> pollutants;
  std::optional<Inspection> inspection;  // the latest inspection used (unmonitored enterprises)
  std::string reason;
};

// `devices` empty: judged by `inspections` of this enterprise whose time lies in [warning_from, warning_to)
// (strings "YYYY-MM-DD hh:mm"), the latest deciding.
ComplianceResult check_compliance(const Enterprise& e, WarningLevel level,
                                  const std::vector<DeviceSeries>& devices,
                                  const std::vector<Inspection>& inspections, const std::string& warning_from,
                                  const std::string& warning_to, const ComplianceParams& params);

}  // namespace ecomon::emergency
